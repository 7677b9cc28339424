from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "masthead.live"
    label = "live"
    verbose_name = "Live updates"

    def ready(self):
        from masthead.live import receivers  # noqa: F401 - connects the receivers

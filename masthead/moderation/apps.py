from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "masthead.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from masthead.moderation import receivers  # noqa: F401  (connects signal receivers)

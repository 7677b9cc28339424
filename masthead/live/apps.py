from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "masthead.live"
    label = "live"
    verbose_name = _("Live updates")

    def ready(self):
        from masthead.live import receivers  # noqa: F401 - connects the receivers

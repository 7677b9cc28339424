from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "masthead.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from masthead.core.startup import startup_hook_register
        from masthead.moderation import (
            checks,  # noqa: F401  (registers the model-file check)
            receivers,  # noqa: F401  (connects signal receivers)
        )
        from masthead.moderation.pipeline import warm_up

        # Loading takes a fraction of a second; a missing or corrupt model stops the server.
        startup_hook_register("moderation.warm_up", warm_up, required=True)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionConfig(AppConfig):
    """Threads, comments, votes and inline feedback under every article."""

    name = "masthead.discussion"
    label = "discussion"
    verbose_name = _("Discussion")

    def ready(self):
        from masthead.discussion import receivers  # noqa: F401 - connects signal receivers

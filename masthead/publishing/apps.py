from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    """Articles, sections and the front page, edited in Wagtail's admin."""

    name = "masthead.publishing"
    label = "publishing"
    verbose_name = _("Publishing")

    def ready(self):
        from masthead.publishing import receivers  # noqa: F401 - connects signal receivers

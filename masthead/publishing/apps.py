from django.apps import AppConfig


class PublishingConfig(AppConfig):
    """Articles, sections and the front page, edited in Wagtail's admin."""

    name = "masthead.publishing"
    label = "publishing"
    verbose_name = "Publishing"

    def ready(self):
        from masthead.publishing import receivers  # noqa: F401 - connects signal receivers

from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    """Threads, comments, votes and inline feedback under every article."""

    name = "masthead.discussion"
    label = "discussion"
    verbose_name = "Discussion"

    def ready(self):
        from masthead.discussion import receivers  # noqa: F401 - connects signal receivers

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Domain-free building blocks shared by every other app."""

    name = "masthead.core"
    label = "core"

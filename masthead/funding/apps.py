from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "masthead.funding"
    label = "funding"
    verbose_name = "Funding"

    def ready(self) -> None:
        from masthead.funding import receivers  # noqa: F401  (connects signal receivers)

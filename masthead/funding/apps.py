from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "masthead.funding"
    label = "funding"
    verbose_name = _("Funding")

    def ready(self) -> None:
        from masthead.core.periodic import periodic_job_register
        from masthead.funding import receivers  # noqa: F401  (connects signal receivers)
        from masthead.funding.services import campaign_monthly_ensure_if_switched_on

        periodic_job_register("funding.monthly_campaign", campaign_monthly_ensure_if_switched_on)

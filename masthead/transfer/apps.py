from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransferConfig(AppConfig):
    """Moving an outlet in and out: imports from WordPress, Disqus, Commento, Isso and
    Remark42, and exports of everything in Masthead's JSON and in WXR."""

    name = "masthead.transfer"
    label = "transfer"
    verbose_name = _("Import and export")

    def ready(self):
        from masthead.core.periodic import periodic_job_register
        from masthead.transfer.importing import import_runs_prune

        periodic_job_register("transfer.import_runs_prune", import_runs_prune)

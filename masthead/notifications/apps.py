from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Email subscriptions to discussions, and the outbound mail they cause."""

    name = "masthead.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from masthead.core.periodic import periodic_job_register
        from masthead.notifications import delivery, receivers  # noqa: F401 - connects receivers

        periodic_job_register("notifications.mails_sweep", delivery.mails_sweep)
        periodic_job_register("notifications.digests_send", delivery.digests_send)
        periodic_job_register("notifications.outbound_log_prune", delivery.outbound_log_prune)

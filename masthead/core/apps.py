from django.apps import AppConfig
from django.conf import settings


def task_results_prune() -> None:
    """Drop the database queue's records of tasks finished over a week ago (a month if failed).

    Every mail is a task: without this the queue's table would grow by every mail ever sent.
    """
    from django.core.management import call_command

    call_command(
        "prune_db_task_results",
        queue_name="*",
        min_age_days=7,
        failed_min_age_days=30,
        verbosity=0,
    )


class CoreConfig(AppConfig):
    """Domain-free building blocks shared by every other app."""

    name = "masthead.core"
    label = "core"

    def ready(self):
        from masthead.core import idempotency, outbox
        from masthead.core.periodic import periodic_job_register

        periodic_job_register("core.outbox_dispatch_due", outbox.outbox_dispatch_due)
        periodic_job_register("core.outbox_prune", outbox.outbox_prune)
        periodic_job_register("core.idempotency_keys_prune", idempotency.idempotency_keys_prune)
        if settings.MASTHEAD_TASK_QUEUE == "database":
            periodic_job_register("core.task_results_prune", task_results_prune)

"""Background tasks of core: thin wrappers that load by id and call the service."""

from django_tasks import task

from masthead.core import outbox


@task()
def outbox_run(entry_id: int) -> bool:
    """Run one outbox entry's work and mark it done (a no-op if done or running elsewhere)."""
    return outbox.outbox_entry_run(entry_id)

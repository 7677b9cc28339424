"""Background tasks: thin wrappers that load by id and call the services."""

from django_tasks import task

from masthead.funding import receipts


@task()
def receipt_send(donation_id: int) -> bool:
    """Compose and queue the receipt of one gift (at most once per ledger line)."""
    return receipts.receipt_compose(donation_id)

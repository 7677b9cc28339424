"""A gift's receipt survives a task queue that loses its message: the outbox row commits with
the ledger line, and the scheduler's tick hands it to a new task; the donor gets one receipt."""

from datetime import timedelta

import pytest
from django.utils import timezone

from masthead.core.models import OutboxEntry
from masthead.core.periodic import periodic_jobs_run
from masthead.funding import services as funding
from masthead.funding.tests.factories import month_campaign

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Accepts every task and never runs one: a Redis that was restarted without its data.
LOSING = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def scheduler_tick(capture):
    """Run the minute tick as if the grace period had passed."""
    OutboxEntry.objects.filter(done__isnull=True).update(
        next_attempt=timezone.now() - timedelta(seconds=1)
    )
    with capture(execute=True):
        periodic_jobs_run()


def test_a_gift_whose_receipt_task_was_lost_still_gets_one_receipt(
    smtp_server, settings, django_capture_on_commit_callbacks
):
    campaign = month_campaign()
    settings.TASKS = LOSING
    with django_capture_on_commit_callbacks(execute=True):
        funding.donation_record(
            campaign=campaign, amount_minor=4_200, currency=campaign.currency, source="card",
            donor_name="Ada", donor_email="ada@example.org", external_id="pi_lost",
        )  # fmt: skip
    assert smtp_server.to("ada@example.org") == []

    settings.TASKS = IMMEDIATE
    for _tick in range(3):
        scheduler_tick(django_capture_on_commit_callbacks)
    (receipt,) = smtp_server.to("ada@example.org")
    assert "42" in receipt["Subject"]

"""A gift reaches open pages: the goal bar's figures go out on every event stream."""

import pytest

from masthead.funding import services
from masthead.funding.tests.factories import month_campaign
from masthead.live.broker import EVERYONE, broker_set
from masthead.live.tests.test_receivers import RecordingBroker

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorder():
    broker = RecordingBroker()
    previous = broker_set(broker)
    yield broker
    broker_set(previous)


def test_a_gift_is_announced_to_every_stream_after_the_commit(
    recorder, django_capture_on_commit_callbacks
):
    campaign = month_campaign(goal_minor=500_000)
    with django_capture_on_commit_callbacks(execute=True):
        services.donation_record(
            campaign=campaign, amount_minor=166_000, currency="USD", source="bank"
        )
        assert recorder.published == []  # nothing leaves before the commit
    [(key, event, data)] = recorder.published
    assert (key, event) == (EVERYONE, "funding")
    assert (data["raised"], data["percent"], data["formatted"]["raised"]) == (
        "1660.00",
        33,
        "1,660 $",
    )
    assert "donor" not in str(data)


def test_a_broker_that_is_down_costs_the_live_bar_not_the_gift(
    django_capture_on_commit_callbacks,
):
    previous = broker_set(RecordingBroker(fail=True))
    try:
        campaign = month_campaign()
        with django_capture_on_commit_callbacks(execute=True):
            line = services.donation_record(
                campaign=campaign, amount_minor=1_000, currency="USD", source="cash"
            )
        assert line.pk is not None
    finally:
        broker_set(previous)

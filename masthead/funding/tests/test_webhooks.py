"""The Stripe webhook: only genuine events count, each exactly once, in any order."""

import itertools
import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import OperationalError, connection
from django.test import Client

from masthead.core.tests.concurrency import run_in_parallel
from masthead.funding import services
from masthead.funding.models import Donation, StripeEvent
from masthead.funding.selectors import campaign_totals, local_date
from masthead.funding.tests.stripe_helpers import (
    WEBHOOK_SECRET,
    charge_refunded,
    deliver,
    event,
    invoice_paid,
    session_completed,
    sign,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def stripe_settings(settings):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_WEBHOOK_TOLERANCE = 300
    settings.FUNDING_MAX_AMOUNT = "10000"
    return settings


@pytest.fixture
def campaign():
    """A campaign in dollars covering a week either side of today."""
    today = local_date()
    return services.campaign_create(
        starts=today - timedelta(days=7),
        ends=today + timedelta(days=7),
        goal_minor=500_000,
        currency="USD",
    )


def raised(campaign) -> int:
    return campaign_totals(campaign)[0]


def test_one_off_gift_counts_with_the_donor_as_chosen(client, campaign):
    response = deliver(client, session_completed(2500, name="Ada Reader", thank_publicly=True))

    assert response.status_code == 200
    assert response.json()["status"] == "applied"
    assert campaign_totals(campaign) == (2500, 1)
    gift = Donation.objects.get()
    assert (gift.kind, gift.currency, gift.source, gift.recurring) == ("gift", "USD", "card", False)
    assert (gift.donor_name, gift.donor_email, gift.thank_publicly) == (
        "Ada Reader",
        "ada@example.org",
        True,
    )
    assert gift.external_id.startswith("pi_test_")


def test_public_thanks_needs_a_name_the_reader_typed(client, campaign):
    deliver(client, session_completed(1000, name="", thank_publicly=True))

    gift = Donation.objects.get()
    assert gift.donor_name == "Card Holder"  # kept for the ledger, never thanked publicly
    assert gift.thank_publicly is False


def test_bad_signature_is_refused_and_nothing_is_recorded(client, campaign):
    response = deliver(client, session_completed(2500), secret="whsec_forged")

    assert response.status_code == 400
    assert "signature" in response.json()["error"]
    assert not Donation.objects.exists() and not StripeEvent.objects.exists()


def test_missing_signature_header_is_refused(client, campaign):
    response = client.post(
        "/webhooks/stripe",
        data=json.dumps(session_completed(2500)),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {"error": "The Stripe-Signature header is missing."}


def test_stale_timestamp_is_refused(client, campaign):
    stale = int(time.time()) - 301

    response = deliver(client, session_completed(2500), timestamp=stale)

    assert response.status_code == 400
    assert not Donation.objects.exists() and not StripeEvent.objects.exists()


def test_malformed_json_with_a_valid_signature_is_refused(client, campaign):
    response = deliver(client, b'{"id": "evt_1", "type": ')

    assert response.status_code == 400
    assert response.json() == {"error": "The body is not a JSON Stripe event."}


def test_without_a_signing_secret_the_webhook_answers_503(client, campaign, stripe_settings):
    stripe_settings.STRIPE_WEBHOOK_SECRET = ""

    response = deliver(client, session_completed(2500))

    assert response.status_code == 503
    assert not StripeEvent.objects.exists()


def test_only_post_is_accepted(client):
    assert client.get("/webhooks/stripe").status_code == 405


def test_a_replayed_event_counts_once(client, campaign):
    gift = session_completed(2500)

    first, second = deliver(client, gift), deliver(client, gift)

    assert first.json()["status"] == "applied"
    assert (second.status_code, second.json()) == (200, {"status": "duplicate"})
    assert campaign_totals(campaign) == (2500, 1)


def test_refund_before_its_gift_ends_with_gift_minus_refund(client, campaign):
    refund = charge_refunded("ch_early", 1000, amount=4000, payment_intent="pi_early")
    gift = session_completed(4000, payment_intent="pi_early")

    assert deliver(client, refund).status_code == 200
    assert deliver(client, gift).status_code == 200

    assert campaign_totals(campaign) == (3000, 1)


@pytest.mark.parametrize("order", list(itertools.permutations([1000, 2500, 4000])))
def test_partial_refunds_are_cumulative_in_any_order(client, campaign, order):
    deliver(client, session_completed(4000, payment_intent="pi_partial"))

    for total in order:
        deliver(
            client, charge_refunded("ch_partial", total, amount=4000, payment_intent="pi_partial")
        )

    assert raised(campaign) == 0
    # Append-only: one line per increase of the cumulative total, never an update; together
    # they hold exactly the charge's refunded total.
    refunds = Donation.objects.filter(kind="refund", external_id="ch_partial")
    increases = sum(1 for n, total in enumerate(order) if total > max(order[:n], default=0))
    assert refunds.count() == increases
    assert sorted(refunds.values_list("sequence", flat=True)) == list(range(1, increases + 1))
    assert sum(refunds.values_list("amount_minor", flat=True)) == 4000


def test_a_refund_appends_a_line_and_never_changes_the_one_before(client, campaign):
    deliver(client, session_completed(4000, payment_intent="pi_two_steps"))
    deliver(client, charge_refunded("ch_two", 1000, amount=4000, payment_intent="pi_two_steps"))
    first = Donation.objects.get(kind="refund")
    first_as_written = (first.amount_minor, first.received, first.note)

    deliver(client, charge_refunded("ch_two", 2500, amount=4000, payment_intent="pi_two_steps"))

    first.refresh_from_db()
    assert (first.amount_minor, first.received, first.note) == first_as_written
    second = Donation.objects.filter(kind="refund").exclude(pk=first.pk).get()
    assert (second.amount_minor, second.sequence, second.external_id) == (1500, 2, "ch_two")
    gift = Donation.objects.get(kind="gift")
    assert first.reverses == second.reverses == gift  # each refund line names its gift
    assert raised(campaign) == 1500


def test_a_replayed_refund_event_appends_nothing(client, campaign):
    deliver(client, session_completed(4000, payment_intent="pi_replay"))
    refund = charge_refunded("ch_replay", 1000, amount=4000, payment_intent="pi_replay")

    answers = [deliver(client, refund).json()["status"] for _ in range(3)]

    assert answers == ["applied", "duplicate", "duplicate"]
    assert Donation.objects.filter(kind="refund").count() == 1
    assert raised(campaign) == 3000


def test_a_refund_lands_in_the_campaign_of_its_payment(client, campaign):
    last_month = services.campaign_create(
        starts=campaign.starts - timedelta(days=30),
        ends=campaign.starts - timedelta(days=1),
        goal_minor=100_000,
        currency="USD",
    )
    paid_then = datetime.combine(last_month.starts + timedelta(days=2), datetime.min.time(), UTC)
    deliver(client, session_completed(2000, payment_intent="pi_old", created=paid_then))

    deliver(client, charge_refunded("ch_old", 500, amount=2000, payment_intent="pi_old"))

    assert raised(last_month) == 1500
    assert raised(campaign) == 0


def test_subscription_checkout_records_nothing_but_each_invoice_counts(client, campaign):
    started = deliver(client, session_completed(1000, mode="subscription"))
    first_month = deliver(client, invoice_paid(1000, name="Grace Monthly"))
    second_month = deliver(client, invoice_paid(1000))

    assert started.json()["outcome"] == "subscription started; its invoices count"
    assert [r.status_code for r in (first_month, second_month)] == [200, 200]
    assert campaign_totals(campaign) == (2000, 2)
    assert set(Donation.objects.values_list("recurring", flat=True)) == {True}
    assert Donation.objects.filter(donor_name="Grace Monthly", thank_publicly=True).count() == 1


def test_an_invoice_with_nothing_paid_records_nothing(client, campaign):
    response = deliver(client, invoice_paid(0))

    assert response.status_code == 200
    assert not Donation.objects.exists()


def test_unknown_event_types_are_recorded_as_ignored(client, campaign):
    response = deliver(client, event("customer.created", {"id": "cus_1", "object": "customer"}))

    assert response.status_code == 200
    assert StripeEvent.objects.get().outcome == "ignored"
    assert not Donation.objects.exists()


def test_a_gift_in_another_currency_is_refused_and_nothing_is_recorded(client, campaign):
    response = deliver(client, session_completed(2500, currency="eur"))

    assert response.status_code == 400
    assert "counts in USD" in response.json()["error"]
    assert not Donation.objects.exists() and not StripeEvent.objects.exists()


def test_a_gift_over_the_maximum_is_refused(client, campaign):
    response = deliver(client, session_completed(1_000_001))

    assert response.status_code == 400
    assert "Gifts above 10000 USD" in response.json()["error"]
    assert not StripeEvent.objects.exists()


def test_a_gift_without_a_campaign_is_kept_visible(client, campaign, caplog):
    long_ago = datetime(2001, 5, 4, 12, tzinfo=UTC)

    response = deliver(client, session_completed(2500, created=long_ago))

    assert response.status_code == 200
    assert StripeEvent.objects.get().outcome == "no campaign for that date"
    assert not Donation.objects.exists()
    assert "no campaign covers" in caplog.text


def test_a_database_failure_answers_503_so_stripe_retries(campaign, monkeypatch):
    def database_down(**fields):
        raise OperationalError("connection refused")

    monkeypatch.setattr(StripeEvent.objects, "create", database_down)
    client = Client(raise_request_exception=False)

    response = deliver(client, session_completed(2500))

    # Any answer but 2xx makes Stripe deliver the event again later.
    assert response.status_code == 503
    assert response["Retry-After"]
    assert not Donation.objects.exists()


def test_signature_helper_matches_stripe_s_own_verification():
    import stripe

    payload = json.dumps(event("ping", {})).encode()

    verified = stripe.Webhook.construct_event(payload, sign(payload), WEBHOOK_SECRET)

    assert verified.type == "ping"


# Signed bodies that are not events funding can read: 400, nothing recorded.


def ledger_state():
    return (
        list(Donation.objects.values_list("id", "kind", "amount_minor")),
        list(StripeEvent.objects.values_list("id", flat=True)),
    )


def with_object(type_: str, obj: dict) -> dict:
    return event(type_, obj)


def paid_session(**changes) -> dict:
    session = session_completed(2500)["data"]["object"]
    return {**session, **changes}


ODD_BODIES = {
    "a JSON array": [session_completed(2500)],
    "a JSON string": "evt_1",
    "an object without id": {k: v for k, v in session_completed(2500).items() if k != "id"},
    "an id that is a number": {**session_completed(2500), "id": 12},
    "an object without type": {k: v for k, v in session_completed(2500).items() if k != "type"},
    "created as a string": {**session_completed(2500), "created": "yesterday"},
    "created beyond year 9999": {**session_completed(2500), "created": 10**13},
    "data missing": {k: v for k, v in session_completed(2500).items() if k != "data"},
    "data.object a string": {**session_completed(2500), "data": {"object": "cs_test_1"}},
    "an unknown type whose data.object is a list": {
        **event("customer.created", {}),
        "data": {"object": []},
    },
    "amount as a string": with_object(
        "checkout.session.completed", paid_session(amount_total="2500")
    ),
    "amount as a float": with_object(
        "checkout.session.completed", paid_session(amount_total=2500.0)
    ),
    "amount negative": with_object("checkout.session.completed", paid_session(amount_total=-1)),
    "amount huge": with_object("checkout.session.completed", paid_session(amount_total=10**30)),
    "metadata not an object": with_object(
        "checkout.session.completed", paid_session(metadata=["donor_name"])
    ),
    "a donor name that is a number": with_object(
        "checkout.session.completed", paid_session(metadata={"donor_name": 7})
    ),
    "invoice amount as a string": with_object(
        "invoice.paid", {**invoice_paid(1000)["data"]["object"], "amount_paid": "1000"}
    ),
    "invoice paid_at as a string": with_object(
        "invoice.paid",
        {**invoice_paid(1000)["data"]["object"], "status_transitions": {"paid_at": "now"}},
    ),
    "refund total negative": with_object(
        "charge.refunded",
        {**charge_refunded("ch_odd", 10, amount=10)["data"]["object"], "amount_refunded": -10},
    ),
    "refund without currency": with_object(
        "charge.refunded",
        {
            k: v
            for k, v in charge_refunded("ch_odd", 10, amount=10)["data"]["object"].items()
            if k != "currency"
        },
    ),
}


@pytest.mark.parametrize("body", ODD_BODIES.values(), ids=ODD_BODIES.keys())
def test_a_signed_body_that_is_not_a_readable_event_is_refused(client, campaign, body):
    deliver(client, session_completed(1000))  # a ledger with something in it already
    before = ledger_state()

    response = deliver(client, json.dumps(body).encode())

    assert response.status_code == 400
    assert response.json()["error"].startswith("The body is not a Stripe event this site can read")
    assert ledger_state() == before
    assert raised(campaign) == 1000


def test_the_refusal_names_the_field_without_echoing_the_value(client, campaign):
    body = with_object("checkout.session.completed", paid_session(amount_total="<script>"))

    message = deliver(client, body).json()["error"]

    assert "data.object.amount_total" in message
    assert "<script>" not in message


def test_deeply_nested_json_is_refused_not_a_500(client, campaign):
    response = deliver(client, b"[" * 100_000 + b"]" * 100_000)

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_an_unknown_event_type_with_a_valid_envelope_is_still_accepted(client, campaign):
    response = deliver(client, event("payout.paid", {"id": "po_1", "amount": "not ours to read"}))

    assert (response.status_code, response.json()["outcome"]) == (200, "ignored")


@pytest.mark.parametrize("offset", [3600, -3600, 301, -301])
def test_a_signature_timestamp_outside_the_tolerance_is_refused(client, campaign, offset):
    before = ledger_state()

    response = deliver(client, session_completed(2500), timestamp=int(time.time()) + offset)

    assert response.status_code == 400
    assert "signature does not verify" in response.json()["error"]
    assert ledger_state() == before


def test_a_signature_timestamp_within_the_tolerance_either_way_is_accepted(client, campaign):
    now = int(time.time())

    ahead = deliver(client, session_completed(1000), timestamp=now + 200)
    behind = deliver(client, session_completed(1500), timestamp=now - 200)

    assert (ahead.status_code, behind.status_code) == (200, 200)
    assert raised(campaign) == 2500


def test_stripe_itself_accepts_a_timestamp_an_hour_ahead_which_is_why_it_is_checked_here():
    import stripe

    payload = json.dumps(event("ping", {})).encode()
    header = sign(payload, timestamp=int(time.time()) + 3600)

    assert stripe.WebhookSignature.verify_header(payload, header, WEBHOOK_SECRET, 300)


# Concurrency: real connections, so PostgreSQL and committed rows.


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent deliveries are checked on PostgreSQL (DATABASE_URL)")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_concurrent_deliveries_of_different_events_total_exactly(postgresql_only, campaign):
    gifts = [session_completed(100 * (n + 1)) for n in range(16)]
    refunds = [
        charge_refunded("ch_busy", total, amount=4000, payment_intent="pi_busy")
        for total in (500, 1500, 1000, 2000)
    ]
    deliveries = gifts + refunds
    statuses: list[int] = []

    errors = run_in_parallel(
        lambda n: statuses.append(deliver(Client(), deliveries[n]).status_code), len(deliveries)
    )

    assert errors == []
    assert statuses == [200] * 20
    assert raised(campaign) == sum(100 * (n + 1) for n in range(16)) - 2000
    assert StripeEvent.objects.count() == 20


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_concurrent_deliveries_of_the_same_event_count_once(postgresql_only, campaign):
    gift = session_completed(2500)
    answers: list[dict] = []

    errors = run_in_parallel(lambda n: answers.append(deliver(Client(), gift).json()), 10)

    assert errors == []
    assert campaign_totals(campaign) == (2500, 1)
    assert sorted(answer["status"] for answer in answers) == ["applied"] + ["duplicate"] * 9

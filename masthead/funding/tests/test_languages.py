"""Funding speaks the reader's language: the goal bar's month and amounts, the API, the live
bar, and the receipt a donor is mailed in the language they gave in.

Month names and number formats come from CLDR (babel), which knows every shipped language
already, so these tests read real German and French, not just a language code.
"""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import translation
from freezegun import freeze_time

from masthead.funding import services
from masthead.funding.models import Donation
from masthead.funding.tests.stripe_helpers import (
    WEBHOOK_SECRET,
    deliver,
    invoice_paid,
    session_completed,
)
from masthead.live.broker import broker_set
from masthead.live.tests.test_receivers import RecordingBroker
from masthead.notifications.tests.helpers import html, plain

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    # A request's middleware leaves its language active in this thread: the next test must
    # not start in Russian.
    yield
    translation.deactivate()


# French groups thousands with a narrow no-break space, and puts one before the percent sign.
NNBSP, NBSP = "\u202f", "\xa0"


@pytest.fixture
def june():
    """June 2021 in dollars, 1,660 raised of 5,000 (tests that need "now" in June freeze it)."""
    with freeze_time("2021-06-15 12:00"):
        campaign = services.campaign_create(
            starts=date(2021, 6, 1), ends=date(2021, 6, 30), goal_minor=500_000, currency="USD"
        )
        services.donation_record(
            campaign=campaign, amount_minor=166_000, currency="USD", source="bank"
        )
    return campaign


def bar() -> str:
    return Template("{% load funding_tags %}{% funding_goal_bar %}").render(Context())


@freeze_time("2021-06-15 12:00")
def test_the_goal_bar_is_written_in_the_language_of_the_page(june):
    with translation.override("de"):
        german = bar()
    with translation.override("fr"):
        french = bar()
    with translation.override("en"):
        english = bar()  # after the others were cached

    assert "JUNI 2021" in german
    assert "<strong data-funding-raised>1.660 $</strong>" in german
    assert f"<strong data-funding-percent>33{NBSP}%</strong>" in german
    assert "JUIN 2021" in french
    assert f"1{NNBSP}660" in french
    assert "JUNE 2021" in english
    assert "<strong data-funding-raised>1,660 $</strong>" in english
    assert "<strong data-funding-percent>33%</strong>" in english
    # The bar refreshes itself from the API in its page's language.
    assert 'data-funding-api="/api/v1/funding/current?language=de"' in german


def test_the_api_answers_in_the_language_the_page_asks_for(client, june):
    # The API builds its schemas on first use, which a frozen clock's dates confuse.
    client.get("/api/v1/funding/current")
    with freeze_time("2021-06-15 12:00"):
        german = client.get("/api/v1/funding/current?language=de", HTTP_ACCEPT_LANGUAGE="fr")
        readers = client.get("/api/v1/funding/current", HTTP_ACCEPT_LANGUAGE="fr")
        unknown = client.get("/api/v1/funding/current?language=tlh", HTTP_ACCEPT_LANGUAGE="fr")

    assert german.json()["title"] == "Juni 2021"
    assert german.json()["formatted"]["raised"] == "1.660 $"
    assert readers.json()["title"] == "Juin 2021"
    assert unknown.json()["title"] == "Juin 2021"
    assert german.json()["raised"] == readers.json()["raised"] == "1660.00"


def test_a_gift_announced_live_carries_every_languages_words(
    june, django_capture_on_commit_callbacks
):
    recorder = RecordingBroker()
    previous = broker_set(recorder)
    try:
        with freeze_time("2021-06-20 12:00"), django_capture_on_commit_callbacks(execute=True):
            services.donation_record(
                campaign=june, amount_minor=34_000, currency="USD", source="cash"
            )
    finally:
        broker_set(previous)

    [(_key, _event, data)] = recorder.published
    assert data["languages"]["de"]["title"] == "Juni 2021"
    assert data["languages"]["de"]["formatted"]["raised"] == "2.000 $"
    assert data["languages"]["tr"]["formatted"]["percent"] == "%40"
    assert data["languages"]["en"]["formatted"]["raised"] == "2,000 $"


def test_the_admins_month_names_follow_its_language(june):
    with translation.override("de"):
        assert str(june) == "Juni 2021"
    with translation.override("en"):
        assert str(june) == "June 2021"


@pytest.fixture
def stripe_settings(settings):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_WEBHOOK_TOLERANCE = 300
    settings.FUNDING_MAX_AMOUNT = "10000"
    return settings


def test_a_card_gift_from_a_german_page_gets_its_receipt_in_german(
    client, june, stripe_settings, smtp_server, django_capture_on_commit_callbacks
):
    gift = session_completed(
        2500, email="jonas@example.org", created=datetime(2021, 6, 15, 9, tzinfo=UTC)
    )
    gift["data"]["object"]["metadata"]["language"] = "de"
    with django_capture_on_commit_callbacks(execute=True):
        # Stripe's own request asks for no language: the metadata alone decides.
        response = deliver(client, gift)
    assert response.status_code == 200

    assert Donation.objects.get(donor_email="jonas@example.org").language == "de"
    (receipt,) = smtp_server.to("jonas@example.org")
    assert receipt["Content-Language"] == "de"
    assert "25 $" in receipt["Subject"]
    assert "15. Juni 2021" in plain(receipt)
    assert 'lang="de"' in html(receipt)


def test_a_monthly_gifts_receipts_follow_the_language_given_at_checkout(
    client, june, stripe_settings, smtp_server, django_capture_on_commit_callbacks
):
    month = invoice_paid(120_000, paid_at=datetime(2021, 6, 15, 9, tzinfo=UTC))
    month["data"]["object"]["parent"]["subscription_details"]["metadata"]["language"] = "fr"
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, month)

    (receipt,) = smtp_server.to("monthly@example.org")
    assert receipt["Content-Language"] == "fr"
    assert "15 juin 2021" in plain(receipt)
    assert f"1{NNBSP}200" in receipt["Subject"]


def test_a_language_the_site_does_not_speak_is_not_kept_and_the_receipt_is_in_the_default(
    client, june, stripe_settings, smtp_server, django_capture_on_commit_callbacks
):
    gift = session_completed(
        2500, email="odd@example.org", created=datetime(2021, 6, 15, 9, tzinfo=UTC)
    )
    gift["data"]["object"]["metadata"]["language"] = "<script>"
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, gift)

    assert Donation.objects.get(donor_email="odd@example.org").language == ""
    (receipt,) = smtp_server.to("odd@example.org")
    assert receipt["Content-Language"] == "en"
    assert "June 15, 2021" in plain(receipt)


def test_a_gift_staff_enter_gets_its_receipt_in_the_sites_language_not_the_editors(
    june, smtp_server, django_capture_on_commit_callbacks
):
    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        services.donation_record(
            campaign=june,
            amount_minor=5_000,
            currency="USD",
            source="bank",
            donor_email="bank@example.org",
            received=datetime(2021, 6, 15, 9, tzinfo=UTC),
        )

    (receipt,) = smtp_server.to("bank@example.org")
    assert receipt["Content-Language"] == "en"
    assert "June 15, 2021" in plain(receipt)

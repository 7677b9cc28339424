"""A reader sees the month's goal bar, a card gift arrives through Stripe's webhook, and the
bar on the next page load (cached pages included) shows the new total."""

import hashlib
import hmac
import json
import time

import pytest
from playwright.sync_api import expect

from masthead.funding import services
from masthead.funding.pages import SupportPage
from masthead.funding.selectors import local_date
from masthead.publishing.tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WEBHOOK_SECRET = "whsec_journey"


def stripe_signature(payload: bytes, secret: str) -> str:
    """Sign as Stripe does: HMAC-SHA256 of "<timestamp>.<body>" with the endpoint's secret."""
    timestamp = int(time.time())
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def checkout_completed(amount_minor: int) -> bytes:
    session = {
        "id": "cs_test_journey",
        "object": "checkout.session",
        "mode": "payment",
        "payment_status": "paid",
        "amount_total": amount_minor,
        "currency": "usd",
        "payment_intent": "pi_test_journey",
        "subscription": None,
        "customer_details": {"name": "Card Holder", "email": "reader@example.org"},
        "metadata": {"donor_name": "Ada Reader", "thank_publicly": "1", "recurring": "0"},
    }
    event = {
        "id": "evt_test_journey",
        "object": "event",
        "type": "checkout.session.completed",
        "created": int(time.time()),
        "livemode": False,
        "data": {"object": session},
    }
    return json.dumps(event).encode()


def expect_bar(bar, *, raised: str, percent: str, ticks: list[str]):
    expect(bar.locator("[data-funding-raised]")).to_have_text(raised)
    expect(bar.locator("[data-funding-percent]")).to_have_text(percent)
    expect(bar.locator(".funding-bar-tick")).to_have_text(ticks)
    expect(bar.get_by_role("progressbar")).to_have_attribute(
        "aria-valuenow", raised.replace(",", "").replace(" $", ".00")
    )


def test_a_card_gift_moves_the_goal_bar(page, live_server, settings):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_SECRET_KEY = ""
    factories.outlet_configure(name="The Harbour Ledger")
    article = factories.article_create(factories.section_create("City"), "Ferry fares rise")
    support = SupportPage(title="Support The Harbour Ledger", slug="give")
    factories.front_page().add_child(instance=support)
    support.save_revision().publish()
    starts, ends = services.month_bounds(local_date())
    campaign = services.campaign_create(
        starts=starts, ends=ends, goal_minor=500_000, currency="USD", ticks=[0, 250_000, 500_000]
    )
    services.donation_record(campaign=campaign, amount_minor=166_000, currency="USD", source="bank")
    ticks = ["0 $", "2,500 $", "5,000 $"]
    month = starts.strftime("%B %Y").upper()

    page.goto(live_server.url + article.url)
    bar = page.locator(".site-header [data-funding-bar]")
    expect(bar.locator("[data-funding-title]")).to_have_text(month)
    expect_bar(bar, raised="1,660 $", percent="33%", ticks=ticks)
    page.goto(live_server.url + support.url)
    expect_bar(page.locator(".funding-bar-large"), raised="1,660 $", percent="33%", ticks=ticks)
    # No Stripe keys and no other way set up: readers are told plainly, no broken card form.
    expect(page.get_by_text("Gifts cannot be made on this site yet.")).to_be_visible()

    payload = checkout_completed(50_000)
    response = page.request.post(
        live_server.url + "/webhooks/stripe",
        data=payload,
        headers={
            "Content-Type": "application/json",
            "Stripe-Signature": stripe_signature(payload, WEBHOOK_SECRET),
        },
    )
    assert response.ok, response.text()

    # Both pages were cached for this anonymous reader; the gift must have purged them.
    page.goto(live_server.url + article.url)
    expect_bar(bar, raised="2,160 $", percent="43%", ticks=ticks)
    page.goto(live_server.url + support.url)
    large = page.locator(".funding-bar-large")
    expect_bar(large, raised="2,160 $", percent="43%", ticks=ticks)
    expect(page.locator(".public-thanks")).to_contain_text("Ada Reader")

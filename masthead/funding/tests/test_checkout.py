"""Card checkout: the Support form opens a Stripe Checkout session, and records nothing."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
import stripe
from django.utils import translation

from masthead.funding import services
from masthead.funding.models import Donation
from masthead.funding.selectors import local_date

pytestmark = pytest.mark.django_db

SESSION_URL = "https://checkout.stripe.test/pay/cs_test_1"


class StripeStandIn:
    """A local HTTP server answering POST /v1/checkout/sessions as Stripe's API does."""

    def __init__(self):
        self.requests: list[dict] = []
        self.failing = False
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                stand_in.requests.append(
                    {
                        "path": self.path,
                        "authorization": self.headers["Authorization"],
                        "form": {key: values[0] for key, values in parse_qs(body).items()},
                    }
                )
                if stand_in.failing:
                    answer, status = {"error": {"type": "api_error", "message": "Boom"}}, 500
                else:
                    answer, status = (
                        {
                            "id": "cs_test_1",
                            "object": "checkout.session",
                            "url": SESSION_URL,
                        },
                        200,
                    )
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                # As Stripe does for errors a retry cannot fix; keeps the test to one request.
                self.send_header("Stripe-Should-Retry", "false")
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def last_form(self) -> dict:
        return self.requests[-1]["form"]


@pytest.fixture
def stripe_api(monkeypatch, settings):
    stand_in = StripeStandIn()
    thread = threading.Thread(
        target=stand_in.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    monkeypatch.setattr(stripe, "api_base", stand_in.base)
    settings.STRIPE_SECRET_KEY = "sk_test_masthead"
    settings.SITE_URL = "https://news.example.org"
    settings.FUNDING_MAX_AMOUNT = "10000"
    settings.FUNDING_CURRENCY = "EUR"
    yield stand_in
    stand_in.server.shutdown()
    stand_in.server.server_close()


@pytest.fixture
def campaign():
    today = local_date()
    return services.campaign_create(
        starts=today - timedelta(days=3),
        ends=today + timedelta(days=3),
        goal_minor=500_000,
        currency="USD",
    )


def give(client, **fields):
    form = {"amount": "25", "frequency": "once", "donor_name": "", **fields}
    return client.post("/support/checkout", form)


def test_a_one_off_gift_goes_to_stripe_checkout(client, stripe_api, campaign):
    response = give(client, amount="12.50", donor_name="  Ada   Reader ", thank_publicly="on")

    assert response.status_code == 303
    assert response["Location"] == SESSION_URL
    [sent] = stripe_api.requests
    assert sent["path"] == "/v1/checkout/sessions"
    assert sent["authorization"] == "Bearer sk_test_masthead"
    form = sent["form"]
    assert form["mode"] == "payment"
    assert form["submit_type"] == "donate"
    assert form["line_items[0][price_data][unit_amount]"] == "1250"
    assert form["line_items[0][price_data][currency]"] == "usd"
    assert form["line_items[0][price_data][product_data][name]"] == "Support Masthead"
    assert form["line_items[0][quantity]"] == "1"
    assert "line_items[0][price_data][recurring][interval]" not in form
    assert form["success_url"] == (
        "https://news.example.org/support/thanks?session_id={CHECKOUT_SESSION_ID}"
    )
    assert form["cancel_url"] == "https://news.example.org/support/cancelled"
    assert form["metadata[donor_name]"] == "Ada Reader"
    assert form["metadata[thank_publicly]"] == "1"
    assert form["metadata[recurring]"] == "0"
    assert not Donation.objects.exists()


def test_a_monthly_gift_opens_a_subscription(client, stripe_api, campaign):
    response = give(client, amount="10", frequency="monthly", donor_name="Grace")

    assert response.status_code == 303
    form = stripe_api.last_form
    assert form["mode"] == "subscription"
    assert form["line_items[0][price_data][recurring][interval]"] == "month"
    assert form["line_items[0][price_data][unit_amount]"] == "1000"
    assert "submit_type" not in form  # Stripe accepts it only in payment mode
    assert form["metadata[recurring]"] == "1"
    assert form["metadata[thank_publicly]"] == "0"
    assert form["subscription_data[metadata][recurring]"] == "1"


def test_a_custom_amount_is_read_when_other_is_chosen(client, stripe_api, campaign):
    give(client, amount="other", amount_other="7.25")

    assert stripe_api.last_form["line_items[0][price_data][unit_amount]"] == "725"


def test_without_a_campaign_the_site_currency_is_asked(client, stripe_api):
    give(client, amount="5")

    assert stripe_api.last_form["line_items[0][price_data][currency]"] == "eur"


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("", "Choose or enter an amount."),
        ("0", "The amount must be more than zero."),
        ("-5", "The amount must be more than zero."),
        ("12.345", "USD amounts have at most 2 decimals."),
        ("ten", "&#x27;ten&#x27; is not an amount."),
        ("NaN", "is not an amount."),
        ("10000.01", "Gifts above 10000 USD are not taken here"),
    ],
)
def test_invalid_amounts_are_refused_without_calling_stripe(
    client, stripe_api, campaign, amount, message
):
    response = give(client, amount=amount)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert stripe_api.requests == []


def test_an_unknown_frequency_is_refused(client, stripe_api, campaign):
    response = give(client, frequency="weekly")

    assert response.status_code == 400
    assert stripe_api.requests == []


def test_without_a_secret_key_card_payments_are_unavailable(client, stripe_api, campaign, settings):
    settings.STRIPE_SECRET_KEY = ""

    response = give(client)

    assert response.status_code == 503
    assert "Card payments are not configured" in response.content.decode()
    assert stripe_api.requests == []


def test_a_stripe_failure_shows_a_calm_page_and_records_nothing(client, stripe_api, campaign):
    stripe_api.failing = True

    response = give(client)

    assert response.status_code == 502
    assert "Nothing was charged" in response.content.decode()
    assert len(stripe_api.requests) == 1
    assert not Donation.objects.exists()


def test_the_checkout_form_needs_its_csrf_token(stripe_api, campaign):
    from django.test import Client

    response = give(Client(enforce_csrf_checks=True))

    assert response.status_code == 403
    assert stripe_api.requests == []


def test_checkout_accepts_only_post(client):
    assert client.get("/support/checkout").status_code == 405


def test_thanks_and_cancelled_pages_render(client):
    thanks = client.get("/support/thanks?session_id=cs_test_1&amount=999999")
    cancelled = client.get("/support/cancelled")

    assert thanks.status_code == 200 and b"Thank you" in thanks.content
    # What the page says (the language menu's links keep the whole address, query and all).
    main = thanks.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert "999999" not in main
    assert cancelled.status_code == 200 and b"Nothing was charged" in cancelled.content


def test_the_support_pages_language_travels_with_the_session_for_the_receipt(
    client, stripe_api, campaign
):
    # The form says which language its page is in; the browser's does not matter then.
    client.post(
        "/support/checkout",
        {"amount": "25", "frequency": "monthly", "language": "de"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    form = stripe_api.last_form
    assert form["metadata[language]"] == "de"
    # Monthly gifts are counted from invoices, which see the subscription's metadata.
    assert form["subscription_data[metadata][language]"] == "de"

    # Without it (an older cached page), the reader's language is the best guess.
    client.post("/support/checkout", {"amount": "25"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert stripe_api.last_form["metadata[language]"] == "fr"
    translation.deactivate()  # the request left French active in this thread

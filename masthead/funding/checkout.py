"""Card gifts through Stripe Checkout: read the Support form, open a Checkout session.

Nothing is recorded here. A reader may close the Stripe tab, or pay later by bank debit; the
ledger learns of money only from Stripe's signed webhook events (`stripe_events`).
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Site

from masthead.core.urls import public_url
from masthead.funding.money import MoneyError, to_minor
from masthead.funding.selectors import campaign_at
from masthead.funding.services import FundingError, amount_check
from masthead.publishing.models.settings import OutletSettings

logger = logging.getLogger(__name__)

FREQUENCIES = ("once", "monthly")


class CheckoutNotConfigured(FundingError):
    """No Stripe secret key: the site takes no card payments."""

    status = 503


class CheckoutFailed(FundingError):
    """Stripe could not be reached or refused the session."""

    status = 502


@dataclass(frozen=True)
class CheckoutChoice:
    """What a reader chose on the Support page, validated."""

    amount_minor: int
    currency: str
    monthly: bool
    donor_name: str
    thank_publicly: bool


def checkout_currency() -> str:
    """Return the currency gifts are asked in: the current campaign's, else FUNDING_CURRENCY."""
    campaign = campaign_at()
    return campaign.currency if campaign else settings.FUNDING_CURRENCY


def checkout_choice_read(form) -> CheckoutChoice:
    """Validate the Support form's fields; raise FundingError with a message for the reader.

    `amount` holds a preset or typed amount; `amount_other` is read when `amount` is empty or
    "other" (a radio group with a free field).
    """
    currency = checkout_currency()
    raw = (form.get("amount") or "").strip()
    if raw in ("", "other"):
        raw = (form.get("amount_other") or "").strip()
    if not raw:
        raise FundingError(_("Choose or enter an amount."), field="amount")
    try:
        amount_minor = to_minor(raw, currency)
    except MoneyError as error:
        raise FundingError(str(error), field="amount") from None
    amount_check(amount_minor, currency)
    frequency = form.get("frequency") or "once"
    if frequency not in FREQUENCIES:
        raise FundingError(_("Choose a one-off or a monthly gift."), field="frequency")
    donor_name = " ".join((form.get("donor_name") or "").split())[:120]
    return CheckoutChoice(
        amount_minor=amount_minor,
        currency=currency,
        monthly=frequency == "monthly",
        donor_name=donor_name,
        thank_publicly=bool(form.get("thank_publicly")) and bool(donor_name),
    )


def checkout_session_open(choice: CheckoutChoice, *, outlet_name: str) -> str:
    """Create a Stripe Checkout session for `choice`; return the address to send the reader to.

    Runs in the reader's language (the Support page's), which goes to Stripe with the session
    so the receipt mailed after the payment is written in it.
    """
    if not settings.STRIPE_SECRET_KEY:
        raise CheckoutNotConfigured(_("Card payments are not configured on this site."))
    if outlet_name:
        # Translators: the name of the gift on Stripe's payment page.
        product = _("Support %(outlet)s") % {"outlet": outlet_name}
    else:
        product = _("Support the outlet")
    price_data = {
        "currency": choice.currency.lower(),
        "unit_amount": choice.amount_minor,
        "product_data": {"name": product},
    }
    # The webhook reads these back: they are the reader's choices Stripe does not keep.
    metadata = {
        "donor_name": choice.donor_name,
        "thank_publicly": "1" if choice.thank_publicly else "0",
        "recurring": "1" if choice.monthly else "0",
        "language": translation.get_language() or settings.LANGUAGE_CODE,
    }
    options: dict = {}
    if choice.monthly:
        price_data["recurring"] = {"interval": "month"}
        # Invoices (the events that count monthly gifts) see the subscription's metadata.
        options["subscription_data"] = {"metadata": metadata}
    else:
        options["submit_type"] = "donate"
    # Imported here, not at the top: the stripe package (with the HTTP clients it loads) is
    # ~17 MB in every process that imports it, and only a reader paying needs it; the task
    # worker and a server nobody has donated through since it started never do.
    import stripe

    try:
        session = stripe.checkout.Session.create(
            api_key=settings.STRIPE_SECRET_KEY,
            mode="subscription" if choice.monthly else "payment",
            line_items=[{"price_data": price_data, "quantity": 1}],
            # Stripe fills in {CHECKOUT_SESSION_ID}; the braces must stay unencoded.
            success_url=public_url(reverse("funding:thanks")) + "?session_id={CHECKOUT_SESSION_ID}",
            cancel_url=public_url(reverse("funding:cancelled")),
            metadata=metadata,
            **options,
        )
    except stripe.StripeError as error:
        logger.warning("Stripe Checkout session not created: %r", error)
        raise CheckoutFailed(
            _(
                "The payment service could not be reached just now. Nothing was charged; "
                "please try again in a few minutes."
            )
        ) from error
    return session.url


def outlet_name_for(request) -> str:
    """Return the outlet's name for the site serving `request` ("" when no site matches)."""
    site = Site.find_for_request(request)
    return OutletSettings.for_site(site).name if site else ""

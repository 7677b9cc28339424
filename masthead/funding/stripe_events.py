"""Stripe's webhook events, verified and applied to the ledger exactly once.

Stripe delivers each event at least once, in no guaranteed order, sometimes twice at the same
moment. Each event is applied in one transaction together with its `StripeEvent` row, whose
primary key is Stripe's event id: a replay finds the row and changes nothing, and an event the
ledger refuses leaves no row, so Stripe's retry can apply it once the cause is fixed.

Stripe writes amounts in the currency's smallest unit, which is the ledger's minor unit.
"""

import json
import logging
import time
from datetime import UTC, datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from masthead.funding.models import Campaign, Donation, StripeEvent
from masthead.funding.selectors import campaign_at
from masthead.funding.services import (
    FundingError,
    donation_record,
    donation_refund_record,
)
from masthead.funding.stripe_shapes import event_shape_check

logger = logging.getLogger(__name__)

DUPLICATE = "duplicate"


class StripeEventError(FundingError):
    """A delivery that is not a genuine, readable Stripe event.

    These messages answer Stripe, for the developer reading its dashboard, never a reader:
    like the outcomes recorded on events, they stay in English.
    """


class WebhookNotConfigured(FundingError):
    """No signing secret: the site cannot tell Stripe's deliveries from forgeries."""

    status = 503


def stripe_event_verify(payload: bytes, signature: str) -> dict:
    """Check the signature, age and shape of a delivery; return the event as plain JSON data.

    `payload` must be the request body exactly as received: the signature covers its bytes.
    Every refusal is a StripeEventError (400) naming what is wrong; nothing is recorded.
    """
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise WebhookNotConfigured("Stripe webhooks are not configured on this site.")
    if not signature:
        raise StripeEventError("The Stripe-Signature header is missing.")
    tolerance = settings.STRIPE_WEBHOOK_TOLERANCE
    import stripe  # on first delivery: see checkout.py

    try:
        # Only the signature check: construct_event would also build stripe's objects, which
        # fails with a 500 on a signed body that is not an event (a JSON array).
        stripe.WebhookSignature.verify_header(payload, signature, secret, tolerance)
    except stripe.SignatureVerificationError as error:
        # Covers forged signatures and timestamps older than the tolerance (replay attacks).
        raise StripeEventError(f"The signature does not verify: {error.user_message}") from None
    except ValueError:  # a body that is not UTF-8
        raise StripeEventError("The body is not a JSON Stripe event.") from None
    # stripe 16.1 refuses only timestamps too old; one too far ahead would let a captured
    # delivery be replayed for as long as it lies in the future, so it is refused too.
    if tolerance and _signed_at(signature) > time.time() + tolerance:
        raise StripeEventError(
            "The signature does not verify: its timestamp is in the future; check the clock."
        )
    try:
        # Parsed as plain dicts: handlers stay independent of stripe's object classes.
        event = json.loads(payload)
    except (ValueError, RecursionError):
        raise StripeEventError("The body is not a JSON Stripe event.") from None
    return event_shape_check(event)


def _signed_at(signature: str) -> int:
    """Return the header's `t` (the first one, as stripe reads it; it verified already)."""
    for item in signature.split(","):
        key, _, value = item.partition("=")
        if key == "t":
            return int(value)
    raise StripeEventError("The signature does not verify: it has no timestamp.")


@transaction.atomic
def stripe_event_apply(event: dict) -> str:
    """Apply a verified event to the ledger once; return its outcome, or DUPLICATE.

    Raises FundingError (nothing recorded) for an event the ledger refuses, such as a gift in
    another currency than its campaign's.
    """
    try:
        # A savepoint: a concurrent delivery of the same event waits here for the first one's
        # commit, then fails on the primary key instead of applying the event twice.
        with transaction.atomic():
            record = StripeEvent.objects.create(
                id=event["id"], type=event["type"], created=_moment(event.get("created"))
            )
    except IntegrityError:
        return DUPLICATE
    handler = HANDLERS.get(event["type"])
    # The shape of `data.object` was checked for every handled type (stripe_shapes.py).
    data = event["data"]["object"]
    record.outcome = handler(event, data) if handler else "ignored"
    record.save(update_fields=["outcome"])
    return record.outcome


def _moment(timestamp) -> datetime:
    """Turn Stripe's Unix timestamp into an aware datetime (now when absent)."""
    if not timestamp:
        return datetime.now(tz=UTC)
    return datetime.fromtimestamp(int(timestamp), tz=UTC)


def _campaign(moment: datetime, event: dict) -> Campaign | None:
    campaign = campaign_at(moment)
    if campaign is None:
        # The money is real but no campaign covers its date: the event row keeps the outcome
        # so an editor can find it, and the log says so now.
        logger.warning(
            "Stripe event %s (%s): no campaign covers %s; nothing counted.",
            event["id"],
            event["type"],
            moment.isoformat(),
        )
    return campaign


def _gift_once(*, external_id: str, **fields) -> str:
    """Record a card gift unless the same payment is in the ledger already."""
    if Donation.objects.filter(kind=Donation.Kind.GIFT, external_id=external_id).exists():
        return f"gift {external_id} already recorded"
    donation_record(source=Donation.Source.CARD, external_id=external_id, **fields)
    return f"gift {external_id} recorded"


def _checkout_session_paid(event: dict, session: dict) -> str:
    if session.get("mode") == "subscription":
        # Stripe also sends invoice.paid for a subscription's first month; that event counts
        # every month, so counting the session as well would double the first one.
        return "subscription started; its invoices count"
    if session.get("mode") != "payment" or session.get("payment_status") != "paid":
        # Delayed methods (bank debits) complete unpaid and send async_payment_succeeded later.
        return f"not paid yet ({session.get('payment_status')})"
    moment = _moment(event.get("created"))
    campaign = _campaign(moment, event)
    if campaign is None:
        return "no campaign for that date"
    metadata = session.get("metadata") or {}
    customer = session.get("customer_details") or {}
    typed_name = (metadata.get("donor_name") or "").strip()
    return _gift_once(
        external_id=session.get("payment_intent") or session["id"],
        campaign=campaign,
        amount_minor=session.get("amount_total"),
        currency=(session.get("currency") or "").upper(),
        received=moment,
        donor_name=typed_name or customer.get("name") or "",
        donor_email=customer.get("email") or "",
        # Public thanks only under the name the reader typed for it, never the cardholder's.
        thank_publicly=metadata.get("thank_publicly") == "1" and bool(typed_name),
        recurring=metadata.get("recurring") == "1",
        # The Support page's language, for the receipt (checkout.checkout_session_open).
        language=metadata.get("language") or "",
    )


def _invoice_paid(event: dict, invoice: dict) -> str:
    if not invoice.get("amount_paid"):
        return "nothing paid (free or fully discounted invoice)"
    paid_at = (invoice.get("status_transitions") or {}).get("paid_at")
    moment = _moment(paid_at or event.get("created"))
    campaign = _campaign(moment, event)
    if campaign is None:
        return "no campaign for that date"
    metadata = _subscription_metadata(invoice)
    typed_name = (metadata.get("donor_name") or "").strip()
    return _gift_once(
        external_id=invoice["id"],
        campaign=campaign,
        amount_minor=invoice["amount_paid"],
        currency=(invoice.get("currency") or "").upper(),
        received=moment,
        donor_name=typed_name or invoice.get("customer_name") or "",
        donor_email=invoice.get("customer_email") or "",
        thank_publicly=metadata.get("thank_publicly") == "1" and bool(typed_name),
        recurring=True,
        language=metadata.get("language") or "",
    )


def _subscription_metadata(invoice: dict) -> dict:
    """Return the metadata checkout gave the subscription (where the API version puts it)."""
    parent = invoice.get("parent") or {}
    details = parent.get("subscription_details") or invoice.get("subscription_details") or {}
    return details.get("metadata") or {}


def _charge_refunded(event: dict, charge: dict) -> str:
    """Append a refund line for what the charge's refunded total adds to the ledger's.

    `amount_refunded` is the charge's cumulative total, so counting only what exceeds the
    refund lines already recorded ends right whatever the order or number of partial-refund
    events; the lines already there are never changed.
    """
    refunded = charge["amount_refunded"]
    payment = charge.get("payment_intent")
    gift = payment and Donation.objects.filter(kind=Donation.Kind.GIFT, external_id=payment).first()
    # The refund belongs where the gift counted: the gift's own campaign when the gift is in
    # the ledger, else the campaign at the time of payment (the refund may arrive first).
    if gift:
        campaign = gift.campaign
    else:
        campaign = _campaign(_moment(charge.get("created") or event.get("created")), event)
    if campaign is None:
        return "no campaign for that date"
    line = donation_refund_record(
        campaign=campaign,
        charge_id=charge["id"],
        refunded_total=refunded,
        currency=(charge.get("currency") or "").upper(),
        received=_moment(event.get("created")),
        gift=gift or None,
    )
    if line is None:
        return f"refund {charge['id']} already at {refunded} or more"
    return f"refund {charge['id']} recorded: {line.amount_minor} more, {refunded} in all"


HANDLERS = {
    "checkout.session.completed": _checkout_session_paid,
    "checkout.session.async_payment_succeeded": _checkout_session_paid,
    "invoice.paid": _invoice_paid,
    "charge.refunded": _charge_refunded,
}

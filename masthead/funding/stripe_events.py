"""Stripe's webhook events, verified and applied to the ledger exactly once.

Stripe delivers each event at least once, in no guaranteed order, sometimes twice at the same
moment. Each event is applied in one transaction together with its `StripeEvent` row, whose
primary key is Stripe's event id: a replay finds the row and changes nothing, and an event the
ledger refuses leaves no row, so Stripe's retry can apply it once the cause is fixed.

Stripe writes amounts in the currency's smallest unit, which is the ledger's minor unit.
"""

import json
import logging
from datetime import UTC, datetime

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction

from masthead.funding.models import Campaign, Donation, StripeEvent
from masthead.funding.selectors import campaign_at
from masthead.funding.services import FundingError, amount_check, donation_record

logger = logging.getLogger(__name__)

DUPLICATE = "duplicate"


class StripeEventError(FundingError):
    """A delivery that is not a genuine, readable Stripe event."""


class WebhookNotConfigured(FundingError):
    """No signing secret: the site cannot tell Stripe's deliveries from forgeries."""

    status = 503


def stripe_event_verify(payload: bytes, signature: str) -> dict:
    """Check the signature and age of a delivery; return the event as plain JSON data.

    `payload` must be the request body exactly as received: the signature covers its bytes.
    """
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise WebhookNotConfigured("Stripe webhooks are not configured on this site.")
    if not signature:
        raise StripeEventError("The Stripe-Signature header is missing.")
    try:
        stripe.Webhook.construct_event(
            payload, signature, secret, tolerance=settings.STRIPE_WEBHOOK_TOLERANCE
        )
    except stripe.SignatureVerificationError as error:
        # Covers forged signatures and timestamps older than the tolerance (replay attacks).
        raise StripeEventError(f"The signature does not verify: {error.user_message}") from None
    except ValueError:
        raise StripeEventError("The body is not a JSON Stripe event.") from None
    # Parsed again as plain dicts: handlers stay independent of stripe's object classes.
    event = json.loads(payload)
    if not isinstance(event, dict) or not event.get("id") or not event.get("type"):
        raise StripeEventError("The body is not a Stripe event (no id or type).")
    return event


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
    data = (event.get("data") or {}).get("object") or {}
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
    )


def _subscription_metadata(invoice: dict) -> dict:
    """Return the metadata checkout gave the subscription (where the API version puts it)."""
    parent = invoice.get("parent") or {}
    details = parent.get("subscription_details") or invoice.get("subscription_details") or {}
    return details.get("metadata") or {}


def _charge_refunded(event: dict, charge: dict) -> str:
    """Keep one refund line per charge, as large as the largest refunded total seen.

    `amount_refunded` is the charge's cumulative total, so keeping the maximum ends right
    whatever the order or number of partial-refund events.
    """
    refunded = charge.get("amount_refunded")
    currency = (charge.get("currency") or "").upper()
    line = (
        Donation.objects.select_for_update()
        .filter(kind=Donation.Kind.REFUND, external_id=charge["id"])
        .select_related("campaign")
        .first()
    )
    if line is None:
        campaign = _refund_campaign(event, charge)
        if campaign is None:
            return "no campaign for that date"
        try:
            donation_record(
                campaign=campaign,
                kind=Donation.Kind.REFUND,
                source=Donation.Source.CARD,
                amount_minor=refunded,
                currency=currency,
                received=_moment(event.get("created")),
                external_id=charge["id"],
                note=f"Refund of charge {charge['id']}",
            )
            return f"refund {charge['id']} recorded"
        except FundingError:
            # Another event for the same charge may have created the line meanwhile: then
            # it is updated below; any other refusal stands.
            line = (
                Donation.objects.select_for_update()
                .filter(kind=Donation.Kind.REFUND, external_id=charge["id"])
                .select_related("campaign")
                .first()
            )
            if line is None:
                raise
    return _refund_raise(line, refunded, currency)


def _refund_campaign(event: dict, charge: dict) -> Campaign | None:
    # The refund belongs where the gift counted: the gift's own campaign when the gift is in
    # the ledger, else the campaign at the time of payment (the refund may arrive first).
    payment = charge.get("payment_intent")
    gift = payment and Donation.objects.filter(kind=Donation.Kind.GIFT, external_id=payment).first()
    if gift:
        return gift.campaign
    return _campaign(_moment(charge.get("created") or event.get("created")), event)


def _refund_raise(line: Donation, refunded, currency: str) -> str:
    """Grow an existing refund line to the charge's refunded total; never shrink it."""
    if currency != line.currency:
        raise FundingError(
            f"Charge {line.external_id} was refunded in {line.currency}, not {currency}.",
            field="currency",
        )
    amount_check(refunded, currency)
    if refunded <= line.amount_minor:
        return f"refund {line.external_id} already at {line.amount_minor}"
    line.amount_minor = refunded
    line.save(update_fields=["amount_minor"])  # pages hear of it after the commit
    return f"refund {line.external_id} raised to {refunded}"


HANDLERS = {
    "checkout.session.completed": _checkout_session_paid,
    "checkout.session.async_payment_succeeded": _checkout_session_paid,
    "invoice.paid": _invoice_paid,
    "charge.refunded": _charge_refunded,
}

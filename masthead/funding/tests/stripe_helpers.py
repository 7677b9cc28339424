"""Stripe's side of a webhook, written offline: signed deliveries and realistic events."""

import hashlib
import hmac
import itertools
import json
import time
from datetime import datetime

WEBHOOK_SECRET = "whsec_test_masthead"

_numbers = itertools.count(1)


def sign(payload: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """Return a Stripe-Signature header for `payload`, computed as Stripe computes it."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def deliver(client, event: dict | bytes, *, secret: str = WEBHOOK_SECRET, timestamp=None):
    """POST an event to the webhook as Stripe does: raw JSON body plus its signature."""
    payload = event if isinstance(event, bytes) else json.dumps(event).encode()
    return client.post(
        "/webhooks/stripe",
        data=payload,
        content_type="application/json",
        headers={"Stripe-Signature": sign(payload, secret, timestamp)},
    )


def _unix(moment: datetime | None) -> int:
    return int(moment.timestamp() if moment else time.time())


def event(type_: str, obj: dict, *, created: datetime | None = None, id_: str = "") -> dict:
    """Return an event envelope around `obj`, with a fresh id unless one is given."""
    return {
        "id": id_ or f"evt_test_{next(_numbers)}",
        "object": "event",
        "type": type_,
        "created": _unix(created),
        "livemode": False,
        "data": {"object": obj},
    }


def session_completed(
    amount: int,
    currency: str = "usd",
    *,
    mode: str = "payment",
    payment_intent: str | None = "",
    name: str = "Ada Reader",
    email: str = "ada@example.org",
    thank_publicly: bool = False,
    created: datetime | None = None,
) -> dict:
    """Return checkout.session.completed for a paid session (mode payment or subscription)."""
    number = next(_numbers)
    if payment_intent == "":
        payment_intent = f"pi_test_{number}" if mode == "payment" else None
    session = {
        "id": f"cs_test_{number}",
        "object": "checkout.session",
        "mode": mode,
        "payment_status": "paid",
        "amount_total": amount,
        "currency": currency,
        "payment_intent": payment_intent,
        "subscription": f"sub_test_{number}" if mode == "subscription" else None,
        "customer_details": {"name": "Card Holder", "email": email},
        "metadata": {
            "donor_name": name,
            "thank_publicly": "1" if thank_publicly else "0",
            "recurring": "1" if mode == "subscription" else "0",
        },
    }
    return event("checkout.session.completed", session, created=created)


def invoice_paid(
    amount: int, currency: str = "usd", *, paid_at: datetime | None = None, name: str = ""
) -> dict:
    """Return invoice.paid for one month of a subscription."""
    number = next(_numbers)
    invoice = {
        "id": f"in_test_{number}",
        "object": "invoice",
        "amount_paid": amount,
        "currency": currency,
        "customer_email": "monthly@example.org",
        "customer_name": "Monthly Giver",
        "status_transitions": {"paid_at": _unix(paid_at)},
        "parent": {
            "type": "subscription_details",
            "subscription_details": {
                "subscription": "sub_test_1",
                "metadata": {"donor_name": name, "thank_publicly": "1" if name else "0"},
            },
        },
    }
    return event("invoice.paid", invoice)


def charge_refunded(
    charge_id: str,
    amount_refunded: int,
    *,
    amount: int,
    currency: str = "usd",
    payment_intent: str | None = None,
    charged_at: datetime | None = None,
) -> dict:
    """Return charge.refunded; `amount_refunded` is the charge's cumulative total, as Stripe's."""
    charge = {
        "id": charge_id,
        "object": "charge",
        "amount": amount,
        "amount_refunded": amount_refunded,
        "refunded": amount_refunded == amount,
        "currency": currency,
        "payment_intent": payment_intent,
        "created": _unix(charged_at),
    }
    return event("charge.refunded", charge)

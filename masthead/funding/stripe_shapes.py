"""The shape of the Stripe events funding reads, checked before any of their data is used.

A valid signature proves a body came from whoever holds the signing secret, not that it is an
event the handlers can read: a JSON array, an event without `id`, or an amount written as a
string must be refused with a 400, never reach the ledger or end in a 500. The models below
name only the fields the handlers read (Stripe sends many more, which are let through) and
check them strictly: no string where a number belongs, no negative or out-of-range amount or
timestamp. pydantic (already installed for django-ninja's API schemas) does the checking.
"""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from masthead.funding.services import FundingError

# Minor units as Stripe writes them: whole numbers that fit the ledger's 64-bit column. The
# ledger's own maximum (FUNDING_MAX_AMOUNT) is checked later, with a message for people.
Amount = Annotated[int, Field(ge=0, le=2**63 - 1)]
# Unix seconds up to the last second of year 9999, the largest date Python can hold.
Timestamp = Annotated[int, Field(ge=0, le=253_402_300_799)]
Id = Annotated[str, Field(min_length=1, max_length=255)]
Text = Annotated[str, Field(max_length=5000)]
Metadata = dict[str, Text]


class _Shape(BaseModel):
    # strict: "2500" is not 2500 and 25.0 is not 25; extra fields are Stripe's business.
    model_config = ConfigDict(strict=True, extra="allow")


class EventData(_Shape):
    object: dict


class EventShape(_Shape):
    id: Id
    type: Annotated[str, Field(min_length=1, max_length=80)]
    created: Timestamp
    data: EventData


class CustomerDetails(_Shape):
    name: Text | None = None
    email: Text | None = None


class CheckoutSessionShape(_Shape):
    id: Id
    mode: Text | None = None
    payment_status: Text | None = None
    amount_total: Amount | None = None
    currency: Text | None = None
    payment_intent: Id | None = None
    customer_details: CustomerDetails | None = None
    metadata: Metadata | None = None


class StatusTransitions(_Shape):
    paid_at: Timestamp | None = None


class SubscriptionDetails(_Shape):
    metadata: Metadata | None = None


class InvoiceParent(_Shape):
    subscription_details: SubscriptionDetails | None = None


class InvoiceShape(_Shape):
    id: Id
    amount_paid: Amount | None = None
    currency: Text | None = None
    customer_name: Text | None = None
    customer_email: Text | None = None
    status_transitions: StatusTransitions | None = None
    parent: InvoiceParent | None = None
    subscription_details: SubscriptionDetails | None = None


class ChargeShape(_Shape):
    id: Id
    amount_refunded: Amount
    currency: Text
    payment_intent: Id | None = None
    created: Timestamp | None = None


# The object each handled event type carries in `data.object`; other types are only recorded.
OBJECT_SHAPES: dict[str, type[_Shape]] = {
    "checkout.session.completed": CheckoutSessionShape,
    "checkout.session.async_payment_succeeded": CheckoutSessionShape,
    "invoice.paid": InvoiceShape,
    "charge.refunded": ChargeShape,
}


class EventShapeError(FundingError):
    """A signed body that is not a Stripe event funding can read."""


def event_shape_check(event) -> dict:
    """Return `event` (parsed JSON) if it and its handled object have the expected shape."""
    _check(EventShape, event, where="")
    shape = OBJECT_SHAPES.get(event["type"])
    if shape is not None:
        _check(shape, event["data"]["object"], where="data.object.")
    return event


def _check(shape: type[_Shape], value, *, where: str) -> None:
    try:
        shape.model_validate(value)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        field = where + ".".join(str(part) for part in first["loc"])
        problem = first["msg"].rstrip(".")
        # The message names the field and the rule, never echoes the value sent.
        raise EventShapeError(
            f"The body is not a Stripe event this site can read: {field or 'the body'}: {problem}."
        ) from None

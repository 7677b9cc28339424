"""Writes of funding: campaigns and ledger lines. Each validates at the edge and runs in a
transaction; once it commits, `donations_changed` (sent for every saved ledger line, see
receivers.py) tells the pages (cache, live bar) to refresh."""

import calendar
from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from masthead.funding.models import Campaign, Donation
from masthead.funding.money import MoneyError, currency_check, to_minor
from masthead.funding.receipts import receipt_queue
from masthead.funding.selectors import campaign_on, local_date


class FundingError(Exception):
    """A request funding refuses, with a message for people and an HTTP status."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def max_amount_minor(currency: str) -> int:
    return to_minor(settings.FUNDING_MAX_AMOUNT, currency)


def amount_check(amount_minor: int, currency: str) -> int:
    """Refuse zero, negative and over-the-maximum amounts (in minor units)."""
    if not isinstance(amount_minor, int) or isinstance(amount_minor, bool):
        raise FundingError("The amount must be a whole number of minor units.", field="amount")
    if amount_minor <= 0:
        raise FundingError("The amount must be more than zero.", field="amount")
    if amount_minor > max_amount_minor(currency):
        raise FundingError(
            f"Gifts above {settings.FUNDING_MAX_AMOUNT} {currency} are not taken here; "
            "please contact the outlet.",
            field="amount",
        )
    return amount_minor


def month_bounds(day: date) -> tuple[date, date]:
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


@transaction.atomic
def campaign_create(
    *, starts: date, ends: date, goal_minor: int, currency: str, title: str = "", ticks=None
) -> Campaign:
    currency = _currency(currency)
    if ends < starts:
        raise FundingError("A campaign ends on or after the day it starts.", field="ends")
    if goal_minor <= 0:
        raise FundingError("The goal must be more than zero.", field="goal")
    return Campaign.objects.create(
        title=title,
        starts=starts,
        ends=ends,
        currency=currency,
        goal_minor=goal_minor,
        ticks_minor=list(ticks or []),
    )


@transaction.atomic
def campaign_monthly_ensure(today: date | None = None) -> Campaign | None:
    """Start this month's campaign with last month's goal, if none covers today yet."""
    today = today or local_date()
    if campaign_on(today) is not None:
        return None
    previous = Campaign.objects.filter(starts__lt=today).order_by("-starts", "-id").first()
    if previous is None:
        return None
    starts, ends = month_bounds(today)
    return Campaign.objects.create(
        starts=starts,
        ends=ends,
        currency=previous.currency,
        goal_minor=previous.goal_minor,
        ticks_minor=previous.ticks_minor,
    )


def campaign_monthly_ensure_if_switched_on() -> Campaign | None:
    """The scheduler's minute job: start the month's campaign when the outlet wants that."""
    from masthead.funding.models import FundingSettings

    row = FundingSettings.objects.filter(site__is_default_site=True).first()
    if row is None or not row.monthly_campaigns:
        return None
    return campaign_monthly_ensure()


def _currency(code: str) -> str:
    try:
        return currency_check(code)
    except MoneyError as error:
        raise FundingError(str(error), field="currency") from None


def donation_record(
    *,
    campaign: Campaign,
    amount_minor: int,
    currency: str,
    source: str,
    kind: str = Donation.Kind.GIFT,
    received: datetime | None = None,
    donor_name: str = "",
    donor_email: str = "",
    thank_publicly: bool = False,
    recurring: bool = False,
    external_id: str = "",
    note: str = "",
    entered_by=None,
) -> Donation:
    """Add one line to the ledger. Currencies never mix: it must be the campaign's currency.

    Runs inside the caller's transaction when there is one (webhooks apply an event and its
    lines together); the pages hear of it after the commit (receivers.ledger_changed).
    """
    currency = _currency(currency)
    if currency != campaign.currency:
        raise FundingError(
            f"This campaign counts in {campaign.currency}; a gift in {currency} cannot be "
            "added to it.",
            field="currency",
        )
    amount_check(amount_minor, currency)
    if source not in Donation.Source.values:
        raise FundingError(f"Unknown way of giving {source!r}.", field="source")
    with transaction.atomic():
        try:
            donation = Donation.objects.create(
                campaign=campaign,
                kind=kind,
                amount_minor=amount_minor,
                currency=currency,
                source=source,
                received=received or timezone.now(),
                donor_name=donor_name.strip()[:120],
                donor_email=donor_email.strip()[:254],
                thank_publicly=bool(thank_publicly and donor_name.strip()),
                recurring=recurring,
                external_id=external_id,
                note=note.strip()[:500],
                entered_by=entered_by,
            )
        except IntegrityError:
            raise FundingError("This payment is in the ledger already.") from None
        receipt_queue(donation)
    return donation

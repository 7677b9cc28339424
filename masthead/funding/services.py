"""Writes of funding: campaigns and ledger lines. Each validates at the edge and runs in a
transaction; once it commits, `donations_changed` (sent for every saved ledger line, see
receivers.py) tells the pages (cache, live bar) to refresh."""

import calendar
from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from masthead.core.text import storable_line, storable_text
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


class DuplicateLine(FundingError):
    """The ledger has this line already (same payment and line number, or same reversal)."""


def max_amount_minor(currency: str) -> int:
    return to_minor(settings.FUNDING_MAX_AMOUNT, currency)


def amount_check(amount_minor: int, currency: str) -> int:
    """Refuse zero, negative and over-the-maximum amounts (in minor units)."""
    if not isinstance(amount_minor, int) or isinstance(amount_minor, bool):
        raise FundingError(_("The amount must be a whole number of minor units."), field="amount")
    if amount_minor <= 0:
        raise FundingError(_("The amount must be more than zero."), field="amount")
    if amount_minor > max_amount_minor(currency):
        raise FundingError(
            _("Gifts above %(maximum)s %(currency)s are not taken here; please contact the outlet.")
            % {"maximum": settings.FUNDING_MAX_AMOUNT, "currency": currency},
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
        raise FundingError(_("A campaign ends on or after the day it starts."), field="ends")
    if goal_minor <= 0:
        raise FundingError(_("The goal must be more than zero."), field="goal")
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
    reverses: Donation | None = None,
    sequence: int = 1,
    language: str = "",
) -> Donation:
    """Add one line to the ledger — the only place that writes one. Currencies never mix: it
    must be the campaign's currency. `language` is the donor's: their receipt is written in it.

    Runs inside the caller's transaction when there is one (webhooks apply an event and its
    lines together); the pages hear of it after the commit (receivers.ledger_changed).
    """
    currency = _currency(currency)
    if currency != campaign.currency:
        raise FundingError(
            _("This campaign counts in %(campaign)s; a gift in %(currency)s cannot be added to it.")
            % {"campaign": campaign.currency, "currency": currency},
            field="currency",
        )
    if kind not in Donation.Kind.values:
        raise FundingError(
            _("Unknown kind of ledger line %(kind)s.") % {"kind": repr(kind)}, field="kind"
        )
    if kind == Donation.Kind.REVERSAL:
        # A reversal repeats its line's amount, which passed the checks when it was written
        # (the maximum may have been lowered since).
        if reverses is None or amount_minor != reverses.amount_minor:
            raise FundingError(_("A reversal cancels one whole line."), field="amount")
    else:
        amount_check(amount_minor, currency)
    if source not in Donation.Source.values:
        raise FundingError(
            _("Unknown way of giving %(source)s.") % {"source": repr(source)}, field="source"
        )
    # Names and notes come from payment providers and forms: stored as every database can
    # store them (PostgreSQL refuses NUL), never refused for a stray control character.
    donor_name, donor_email, note = (
        storable_line(donor_name),
        storable_line(donor_email),
        storable_text(note).strip(),
    )
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
                sequence=sequence,
                reverses=reverses,
                note=note.strip()[:500],
                entered_by=entered_by,
                language=_language_keep(language),
            )
        except IntegrityError:
            raise DuplicateLine(_("This payment is in the ledger already.")) from None
        receipt_queue(donation)
    return donation


def _refund_note(charge_id: str, refunded_total: int) -> str:
    # The ledger is the accountant's record: its notes are in the site's language, whatever
    # language the request that appended the line was in.
    with translation.override(settings.LANGUAGE_CODE):
        return _("Refund of charge %(charge)s (refunded in all: %(total)s)") % {
            "charge": charge_id,
            "total": refunded_total,
        }


def _language_keep(language: str) -> str:
    """Return `language` if the site speaks it, else "" (the default): it arrives through
    Stripe's metadata and the admin, and only a language a mail can be written in is kept."""
    if not language:
        return ""
    try:
        return translation.get_supported_language_variant(language)
    except LookupError:
        return ""


# How often a refund is re-counted after losing a race to a concurrent delivery of another
# refund event for the same charge; each loss means another line landed, so this is plenty.
REFUND_RACE_ATTEMPTS = 5


def donation_refund_record(
    *,
    campaign: Campaign,
    charge_id: str,
    refunded_total: int,
    currency: str,
    received: datetime | None = None,
    gift: Donation | None = None,
) -> Donation | None:
    """Bring a card charge's refund lines up to Stripe's cumulative refunded total.

    Stripe reports each refund event with the charge's total refunded so far, in any order and
    possibly twice: the ledger appends a line for what exceeds the refund lines it already has
    for the charge, and nothing when the total is not larger (an old or repeated report).
    Returns the new line, or None. Lines are never changed: refunds are only ever appended.
    """
    currency = _currency(currency)
    amount_check(refunded_total, currency)
    for _attempt in range(REFUND_RACE_ATTEMPTS):
        lines = Donation.objects.filter(kind=Donation.Kind.REFUND, external_id=charge_id)
        other = lines.exclude(currency=currency).values_list("currency", flat=True).first()
        if other:
            raise FundingError(
                _("Charge %(charge)s was refunded in %(other)s, not %(currency)s.")
                % {"charge": charge_id, "other": other, "currency": currency},
                field="currency",
            )
        so_far = lines.aggregate(total=Sum("amount_minor"), count=Count("id"))
        recorded = so_far["total"] or 0
        if refunded_total <= recorded:
            return None
        try:
            return donation_record(
                campaign=campaign,
                kind=Donation.Kind.REFUND,
                source=Donation.Source.CARD,
                amount_minor=refunded_total - recorded,
                currency=currency,
                received=received,
                external_id=charge_id,
                sequence=so_far["count"] + 1,
                reverses=gift,
                note=_refund_note(charge_id, refunded_total),
            )
        except DuplicateLine:
            # A concurrent delivery appended this line number first; count again.
            continue
    raise FundingError(_("The ledger is busy with this charge; Stripe will deliver again."))


@transaction.atomic
def donation_reverse(*, line: Donation, entered_by, reason: str) -> Donation:
    """Cancel a ledger line entered by mistake with a reversal line naming it.

    The line stays as it was; the reversal takes it out of the totals (a gift stops counting,
    a refund is undone). Card lines follow Stripe and are refunded there instead.
    """
    line = Donation.objects.select_for_update().select_related("campaign").get(pk=line.pk)
    reason = (reason or "").strip()
    if not reason:
        raise FundingError(_("Say why this line is reversed."), field="reason")
    if line.kind == Donation.Kind.REVERSAL:
        raise FundingError(
            _("A reversal cannot be reversed; enter the line again instead."), field="reason"
        )
    if line.source == Donation.Source.CARD:
        raise FundingError(
            _(
                "Card payments follow Stripe: refund the payment in Stripe's dashboard and "
                "its refund is added to the ledger by itself."
            ),
            field="reason",
        )
    if line.reversals.filter(kind=Donation.Kind.REVERSAL).exists():
        raise FundingError(_("This line is reversed already."), field="reason")
    try:
        return donation_record(
            campaign=line.campaign,
            kind=Donation.Kind.REVERSAL,
            amount_minor=line.amount_minor,
            currency=line.currency,
            source=line.source,
            reverses=line,
            note=reason,
            entered_by=entered_by,
        )
    except DuplicateLine:
        raise FundingError(_("This line is reversed already."), field="reason") from None

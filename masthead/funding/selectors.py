"""Reads of funding: the campaign in force, and what it has raised (summed from the ledger)."""

from dataclasses import dataclass, replace
from datetime import date, datetime

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone, translation

from masthead.funding.models import Campaign, Donation, FundingSettings, month_title
from masthead.funding.money import money_format, percent_format, reader_locale, to_major


@dataclass(frozen=True)
class FundingLook:
    pattern: str
    locale: str


def funding_look(language: str | None = None) -> FundingLook:
    """Return how amounts and dates are written: the pattern of Settings → Funding (else
    FUNDING_AMOUNT_PATTERN), in the locale it names, else in `language` (default: the language
    the reader reads in)."""
    row = FundingSettings.objects.filter(site__is_default_site=True).first()
    pattern = (row.amount_pattern if row else "") or settings.FUNDING_AMOUNT_PATTERN
    locale = (row.locale if row else "") or reader_locale(language)
    return FundingLook(pattern=pattern, locale=locale)


def local_date(moment: datetime | None = None) -> date:
    """Return the site's calendar date at `moment` (campaign periods are site-local days)."""
    return timezone.localtime(moment or timezone.now()).date()


def campaign_on(day: date) -> Campaign | None:
    """Return the campaign whose period contains `day` (the newest, if periods overlap)."""
    return (
        Campaign.objects.filter(starts__lte=day, ends__gte=day).order_by("-starts", "-id").first()
    )


def campaign_at(moment: datetime | None = None) -> Campaign | None:
    """Return the campaign in force at `moment` (default now), by the site's calendar."""
    return campaign_on(local_date(moment))


def campaign_totals(campaign: Campaign) -> tuple[int, int]:
    """Return (raised in minor units, number of gifts): gifts minus refunds, one query.

    A reversal line cancels the line it names: a reversed gift neither counts nor adds, a
    reversed refund no longer subtracts.
    """
    kind = Donation.Kind
    undoes_gift = Q(kind=kind.REVERSAL, reverses__kind=kind.GIFT)
    undoes_refund = Q(kind=kind.REVERSAL, reverses__kind=kind.REFUND)
    totals = Donation.objects.filter(campaign=campaign, currency=campaign.currency).aggregate(
        gifts=Sum("amount_minor", filter=Q(kind=kind.GIFT)),
        refunds=Sum("amount_minor", filter=Q(kind=kind.REFUND)),
        gifts_reversed=Sum("amount_minor", filter=undoes_gift),
        refunds_reversed=Sum("amount_minor", filter=undoes_refund),
        count=Count("id", filter=Q(kind=kind.GIFT)),
        count_reversed=Count("id", filter=undoes_gift),
    )
    raised = (totals["gifts"] or 0) - (totals["gifts_reversed"] or 0)
    raised -= (totals["refunds"] or 0) - (totals["refunds_reversed"] or 0)
    return raised, (totals["count"] or 0) - (totals["count_reversed"] or 0)


def campaign_ticks(campaign: Campaign) -> list[int]:
    """Return the tick marks in minor units: the editor's, or 0, half the goal and the goal."""
    ticks = [int(tick) for tick in campaign.ticks_minor or [] if int(tick) >= 0]
    return sorted(set(ticks)) if ticks else [0, campaign.goal_minor // 2, campaign.goal_minor]


def campaign_title(campaign: Campaign, locale: str) -> str:
    """Return the campaign's title, by default its month in `locale`'s words ("June 2021")."""
    return campaign.title or month_title(campaign.starts, locale)


@dataclass(frozen=True)
class CampaignSummary:
    campaign: Campaign
    title: str
    currency: str
    goal_minor: int
    raised_minor: int
    donations: int
    ticks_minor: list[int]
    look: FundingLook

    @property
    def percent(self) -> int:
        """The share of the goal raised, rounded down; may pass 100."""
        return self.raised_minor * 100 // self.goal_minor if self.goal_minor else 0

    @property
    def bar_percent(self) -> int:
        """How full the bar is drawn: 0 to 100."""
        return max(0, min(100, self.percent))

    def formatted(self, minor: int) -> str:
        return money_format(
            minor, self.currency, pattern=self.look.pattern, locale=self.look.locale
        )

    @property
    def percent_text(self) -> str:
        return percent_format(self.percent, locale=self.look.locale)

    def in_language(self, language: str) -> "CampaignSummary":
        """The same figures, with the title and amounts written for readers of `language`."""
        look = funding_look(language)
        return replace(self, look=look, title=campaign_title(self.campaign, look.locale))

    def as_api(self) -> dict:
        return {
            "title": self.title,
            "period_start": self.campaign.starts.isoformat(),
            "period_end": self.campaign.ends.isoformat(),
            "currency": self.currency,
            "goal": str(to_major(self.goal_minor, self.currency)),
            "raised": str(to_major(self.raised_minor, self.currency)),
            "percent": self.percent,
            "ticks": [str(to_major(tick, self.currency)) for tick in self.ticks_minor],
            "donations": self.donations,
        }


def campaign_summary(campaign: Campaign | None = None) -> CampaignSummary | None:
    """Return what the goal bar shows for `campaign` (default: the one in force now)."""
    campaign = campaign or campaign_at()
    if campaign is None:
        return None
    look = funding_look()
    raised, count = campaign_totals(campaign)
    return CampaignSummary(
        campaign=campaign,
        title=campaign_title(campaign, look.locale),
        currency=campaign.currency,
        goal_minor=campaign.goal_minor,
        raised_minor=raised,
        donations=count,
        ticks_minor=campaign_ticks(campaign),
        look=look,
    )


SUMMARY_CACHE_KEY = "funding:current-summary"
SUMMARY_CACHE_SECONDS = 60  # also bounds how late a new month's campaign appears
SUMMARY_TAG = "funding-summary"


def _summary_language() -> str:
    """The active language as one of LANGUAGES: one cached summary each, all forgettable."""
    try:
        return translation.get_supported_language_variant(
            translation.get_language() or settings.LANGUAGE_CODE
        )
    except LookupError:
        return settings.LANGUAGE_CODE


def _summary_cache_key(language: str) -> str:
    return f"{SUMMARY_CACHE_KEY}:{language}"


def current_summary() -> CampaignSummary | None:
    """Return the goal bar's figures for the campaign in force, from the shared cache.

    Every page's header shows them, so they are read from the cache rather than summed per
    page; `summary_forget` drops them whenever the ledger, a campaign or the settings change.
    The title and amounts are written in the reader's language, so each language has its own.
    """
    from masthead.core.pagecache import tagged_value

    # Kept in each process while the "funding-summary" tag stands (no round trip per page),
    # for SUMMARY_CACHE_SECONDS at most. False stands for "no campaign".
    summary = tagged_value(
        _summary_cache_key(_summary_language()),
        tags=[SUMMARY_TAG],
        compute=lambda: campaign_summary() or False,
        seconds=SUMMARY_CACHE_SECONDS,
    )
    return summary or None


def summary_forget() -> None:
    from masthead.core.pagecache import cache_tags_invalidate

    cache_tags_invalidate(SUMMARY_TAG)

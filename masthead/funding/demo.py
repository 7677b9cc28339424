"""This month's demo campaign with a few offline gifts, and the Support page if its slug is free.

`masthead demo` calls `demo_load()` of every app after publishing's part, so the front page
and the outlet settings exist by then.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from masthead.funding import services
from masthead.funding.models import Donation
from masthead.funding.pages import SupportPage
from masthead.funding.selectors import campaign_at, local_date

GOAL_MINOR = 500_000  # 5,000 USD
TICKS_MINOR = [0, 250_000, 500_000]
# (amount in cents, way of giving, donor's name if they asked to be thanked, days ago)
GIFTS = [
    (60_000, Donation.Source.BANK, "Harbour Rowing Club", 9),
    (35_000, Donation.Source.CASH, "", 6),
    (25_000, Donation.Source.PAYPAL, "Marguerite Okafor", 3),
    (46_000, Donation.Source.BANK, "", 1),
]  # 1,660 USD in all

SUPPORT_PAGE = {
    "slug": "support",
    "intro": "<p>Every article we publish is paid for by readers who give what they can, once "
    "or every month. There is no paywall and no advertising.</p>",
    "other_ways": [
        {
            "type": "bank_transfer",
            "value": {
                "account_holder": "Harbour Ledger Trust",
                "account": "GB33 BUKB 2020 1555 5555 55",
                "bic": "BUKBGB22",
                "bank": "Barclays, Gullhaven",
                "reference": "Gift",
            },
        },
        {
            "type": "crypto",
            "value": {
                "network": "Bitcoin",
                "address": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
                "note": "Tell us by mail if you want a receipt.",
            },
        },
        {
            "type": "text",
            "value": "<p>Cheques and cash are welcome at the newsroom, 14 Ropewalk Court.</p>",
        },
    ],
}


@dataclass
class DemoReport:
    created: list[str] = field(default_factory=list)


@transaction.atomic
def funding_demo_load() -> DemoReport:
    """Create this month's campaign and its offline gifts, unless a campaign covers today."""
    report = DemoReport()
    if campaign_at() is None:
        _campaign_create(report)
    _support_page_create(report)
    return report


def _campaign_create(report: DemoReport) -> None:
    starts, ends = services.month_bounds(local_date())
    campaign = services.campaign_create(
        starts=starts, ends=ends, goal_minor=GOAL_MINOR, currency="USD", ticks=TICKS_MINOR
    )
    # Gifts stay inside the month, even when the demo is loaded on its first day.
    month_start = timezone.make_aware(datetime.combine(starts, time.min))
    now = timezone.now()
    for amount_minor, source, donor_name, days_ago in GIFTS:
        services.donation_record(
            campaign=campaign,
            amount_minor=amount_minor,
            currency="USD",
            source=source,
            received=max(month_start, now - timedelta(days=days_ago)),
            donor_name=donor_name,
            thank_publicly=bool(donor_name),
            note="Demo gift",
        )
    report.created.append(f"campaign {campaign} with {len(GIFTS)} gifts")


def _support_page_create(report: DemoReport) -> None:
    # publishing's demo puts a stand-in StandardPage at /support/; it stays until an editor
    # replaces it, so this page is only made on a site without one.
    home = Site.objects.get(is_default_site=True).root_page.specific
    if home.get_children().filter(slug=SUPPORT_PAGE["slug"]).exists():
        return
    from masthead.publishing.models import OutletSettings

    outlet = OutletSettings.for_site(Site.objects.get(is_default_site=True))
    page = SupportPage(
        title=f"Support {outlet.name}",
        slug=SUPPORT_PAGE["slug"],
        intro=SUPPORT_PAGE["intro"],
        other_ways=SUPPORT_PAGE["other_ways"],
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    if not (outlet.support_page_id or outlet.support_url):
        outlet.support_page = page
        outlet.save()
    report.created.append(f"page {page.title}")


# The name `masthead demo` looks for in each app.
demo_load = funding_demo_load

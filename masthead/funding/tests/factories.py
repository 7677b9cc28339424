"""Builders for funding test data."""

from datetime import date

from masthead.funding import services
from masthead.funding.selectors import local_date


def month_campaign(goal_minor: int = 500_000, currency: str = "USD", day: date | None = None):
    """Return a campaign for the month of `day` (default today)."""
    starts, ends = services.month_bounds(day or local_date())
    return services.campaign_create(
        starts=starts, ends=ends, goal_minor=goal_minor, currency=currency
    )

"""The campaign in force through the JSON API (mounted on the discussion API under /api/v1).

Totals only: no donor's name or address ever leaves through here.
"""

from ninja import Router, Schema, Status

from masthead.funding import selectors

router = Router(tags=["funding"])


class FormattedOut(Schema):
    """Amounts as the goal bar writes them (Settings → Funding pattern and locale)."""

    goal: str
    raised: str
    ticks: list[str]


class CampaignOut(Schema):
    title: str
    period_start: str
    period_end: str
    currency: str
    goal: str  # decimal string in major units, e.g. "5000.00"
    raised: str
    percent: int
    ticks: list[str]
    donations: int
    formatted: FormattedOut


class ErrorOut(Schema):
    error: str


@router.get("/funding/current", response={200: CampaignOut, 404: ErrorOut})
def funding_current(request):
    """What the goal bar shows now: the campaign's period, goal, raised amount and ticks."""
    summary = selectors.current_summary()
    if summary is None:
        return Status(404, {"error": "No campaign is running."})
    return summary_out(summary)


def summary_out(summary) -> dict:
    """The API's answer, also pushed to open pages as the live "funding" event."""
    formatted = {
        "goal": summary.formatted(summary.goal_minor),
        "raised": summary.formatted(summary.raised_minor),
        "ticks": [summary.formatted(tick) for tick in summary.ticks_minor],
    }
    return {**summary.as_api(), "formatted": formatted}

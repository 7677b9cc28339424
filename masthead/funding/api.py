"""The campaign in force through the JSON API (mounted on the discussion API under /api/v1).

Totals only: no donor's name or address ever leaves through here.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from masthead.funding import selectors
from masthead.notifications.services import page_language

router = Router(tags=["funding"])


class FormattedOut(Schema):
    """Amounts as the goal bar writes them (Settings → Funding pattern and locale)."""

    goal: str
    raised: str
    ticks: list[str]
    percent: str


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
def funding_current(request, language: str = ""):
    """What the goal bar shows now: the campaign's period, goal, raised amount and ticks.

    `language` (the page's, e.g. "fr") writes the title and amounts for that page's readers;
    without it, or with one the site does not speak, the reader's language does.
    """
    with translation.override(page_language(language)):
        summary = selectors.current_summary()
        if summary is None:
            return Status(404, {"error": _("No campaign is running.")})
        return summary_out(summary)


def summary_out(summary) -> dict:
    """The API's answer: the figures, with the title and amounts written as `summary` says."""
    return {**summary.as_api(), "formatted": _formatted(summary)}


def _formatted(summary) -> dict:
    return {
        "goal": summary.formatted(summary.goal_minor),
        "raised": summary.formatted(summary.raised_minor),
        "ticks": [summary.formatted(tick) for tick in summary.ticks_minor],
        "percent": summary.percent_text,
    }


def summary_announcement(summary) -> dict:
    """The live "funding" event pushed to every open page, whatever language it is in.

    Besides the API's answer (in the language active now), it carries the title and amounts as
    each language writes them, so a page shows the new figures in its own words.
    """
    languages = {}
    for code, _name in settings.LANGUAGES:
        written = summary.in_language(code)
        languages[code] = {"title": written.title, "formatted": _formatted(written)}
    return {**summary_out(summary), "languages": languages}

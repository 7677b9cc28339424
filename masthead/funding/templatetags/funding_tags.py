"""{% funding_goal_bar size="compact" %}: the campaign in force, as a bar with tick marks."""

from django import template

from masthead.funding import selectors
from masthead.funding.money import to_major

register = template.Library()

SIZES = ("compact", "large")


@register.inclusion_tag("funding/_goal_bar.html")
def funding_goal_bar(size: str = "compact", link: str = ""):
    """Render the goal bar of the campaign in force; nothing when no campaign is running.

    `link` (e.g. the outlet's support target) makes the compact bar lead to the Support page.
    Its title and amounts are written in the language of the page it is on.
    """
    summary = selectors.current_summary()
    if summary is None:
        return {"summary": None}
    goal = summary.goal_minor
    ticks = [
        # Positions are shares of the goal; a tick an editor set above the goal sits at the end.
        {"label": summary.formatted(tick), "position": min(100, tick * 100 / goal)}
        for tick in summary.ticks_minor
    ]
    return {
        "summary": summary,
        "size": size if size in SIZES else "compact",
        "link": link,
        "ticks": ticks,
        "goal_major": to_major(goal, summary.currency),
        "raised_major": to_major(summary.raised_minor, summary.currency),
        "goal_text": summary.formatted(goal),
        "raised_text": summary.formatted(summary.raised_minor),
        "percent_text": summary.percent_text,
        "passed": summary.raised_minor > goal,
    }

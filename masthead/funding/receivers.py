"""Funding's reactions to its own events: fresh pages after a gift."""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from masthead.core.pagecache import cache_tags_invalidate
from masthead.funding.api import summary_announcement
from masthead.funding.models import Campaign, Donation, FundingSettings
from masthead.funding.selectors import current_summary, summary_forget
from masthead.funding.signals import donations_changed
from masthead.live.broker import EVERYONE, broker_get

logger = logging.getLogger(__name__)


@receiver(donations_changed)
def goal_bar_changed_by_gift(sender, campaign: Campaign, **kwargs):
    # The compact goal bar sits in every page's header, so every cached page is now stale.
    _goal_bar_forget()
    goal_bar_announce()


def goal_bar_announce() -> None:
    """Push the new figures to every open page's event stream (article pages hold one).

    A broker that cannot deliver (Redis down) costs readers the live bar, never the gift.
    """
    summary = current_summary()
    if summary is None:
        return
    try:
        broker_get().publish(EVERYONE, "funding", summary_announcement(summary))
    # After the commit: no failure of the broker may turn a saved change into an error page
    # (the Redis broker already drops events while Redis is away).
    except Exception:
        logger.warning("Live updates: could not announce the new funding total.", exc_info=True)


@receiver(post_save, sender=Donation)
@receiver(post_delete, sender=Donation)
def ledger_changed(sender, instance: Donation, **kwargs):
    """Any ledger write — a webhook, a service, staff in the admin — announces itself once the
    transaction commits, so pages never re-cache the figures of an uncommitted gift."""
    campaign_id = instance.campaign_id
    transaction.on_commit(
        lambda: donations_changed.send(sender=Campaign, campaign=Campaign(pk=campaign_id))
    )


@receiver(post_save, sender=Campaign)
@receiver(post_delete, sender=Campaign)
@receiver(post_save, sender=FundingSettings)
def goal_bar_changed_by_editor(sender, **kwargs):
    # A new goal, period or ticks, or another amount pattern: the bar changes everywhere.
    _goal_bar_forget()


def _goal_bar_forget() -> None:
    summary_forget()
    cache_tags_invalidate("site")

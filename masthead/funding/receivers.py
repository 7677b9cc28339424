"""Funding's reactions to its own events: fresh pages after a gift."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from masthead.core.pagecache import cache_tags_invalidate
from masthead.funding.models import Campaign, Donation, FundingSettings
from masthead.funding.selectors import summary_forget
from masthead.funding.signals import donations_changed


@receiver(donations_changed)
def goal_bar_changed_by_gift(sender, campaign: Campaign, **kwargs):
    # The compact goal bar sits in every page's header, so every cached page is now stale.
    summary_forget()
    cache_tags_invalidate("site")


@receiver(post_save, sender=Donation)
@receiver(post_delete, sender=Donation)
@receiver(post_save, sender=Campaign)
@receiver(post_delete, sender=Campaign)
@receiver(post_save, sender=FundingSettings)
def goal_bar_changed_by_editor(sender, **kwargs):
    # A gift entered or corrected by staff, a new goal, period or ticks, or another amount
    # pattern: the bar changes everywhere.
    summary_forget()
    cache_tags_invalidate("site")

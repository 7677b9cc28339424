"""Moderation's reactions to events: settings changes, and what a reader's page needs."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import reverse

from masthead.core.pagecache import cache_tags_invalidate
from masthead.discussion import signals as discussion_signals
from masthead.moderation.config import config_changed, current_config
from masthead.moderation.models import Ban, ListEntry, ModerationSettings
from masthead.moderation.selectors import BANS_TAG


@receiver(post_save, sender=ModerationSettings)
@receiver(post_save, sender=ListEntry)
@receiver(post_delete, sender=ListEntry)
def _rules_changed(sender, **kwargs):
    # Bans are not among the rules: their index follows a tag of its own (below).
    # Now, for what this transaction reads next, and again once it commits: a process that
    # read the rules in between read them before this change.
    config_changed()
    transaction.on_commit(config_changed)


@receiver(post_save, sender=Ban)
@receiver(post_delete, sender=Ban)
def _bans_changed(sender, **kwargs):
    # Now, for what this transaction reads next, and again once it commits: a process that
    # rebuilt the index in between read the bans before this change.
    cache_tags_invalidate(BANS_TAG)
    transaction.on_commit(lambda: cache_tags_invalidate(BANS_TAG))


@receiver(discussion_signals.reader_state)
def _proof_of_work_for_guests(sender, request, thread, **kwargs):
    """Tell a guest's page where to fetch a proof-of-work challenge, when the site wants one."""
    if request.user.is_authenticated or not current_config().altcha_enabled:
        return None
    return {
        "altcha": {
            "challenge": reverse("moderation:altcha_challenge"),
            "script": static("moderation/altcha.js"),
        }
    }

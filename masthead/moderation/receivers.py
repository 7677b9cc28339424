"""Moderation's reactions to events: settings changes, and what a reader's page needs."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import reverse

from masthead.discussion import signals as discussion_signals
from masthead.moderation.config import config_changed, current_config
from masthead.moderation.models import Ban, ListEntry, ModerationSettings


@receiver(post_save, sender=ModerationSettings)
@receiver(post_save, sender=ListEntry)
@receiver(post_delete, sender=ListEntry)
@receiver(post_save, sender=Ban)
def _rules_changed(sender, **kwargs):
    config_changed()


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

"""Turn discussion events into background tasks and subscriptions."""

import logging

from django.dispatch import receiver

from masthead.core.hashing import ip_hash
from masthead.discussion.signals import comment_held, comment_published, comment_submitted
from masthead.notifications import services, tasks

logger = logging.getLogger(__name__)


def _enqueue(task, *args) -> None:
    # The comment is already stored: a queue that is down must not turn its post into an
    # error. Its subscribers are not mailed then; the log says so.
    try:
        task.enqueue(*args)
    except Exception:
        logger.exception("Could not enqueue %s%r", task.name, args)


@receiver(comment_published)
def comment_published_notify(sender, comment, **kwargs):
    _enqueue(tasks.notify_comment_published, comment.pk)


@receiver(comment_held)
def comment_held_notify(sender, comment, verdict=None, **kwargs):
    # Without a verdict (hidden after reader reports), the reasons are those stored on it.
    reasons = verdict.reasons if verdict is not None else comment.moderation_reasons
    _enqueue(tasks.notify_comment_held, comment.pk, [str(reason) for reason in reasons])


@receiver(comment_submitted)
def comment_submitted_subscribe(sender, comment, request, subscribe="", **kwargs) -> dict | None:
    """Honour "subscribe" on a posted comment: the thread, replies to me, or to this comment."""
    if not subscribe:
        return None
    try:
        result = services.subscription_request(
            thread=comment.thread,
            kind=subscribe,
            email=comment.author_email,
            user=request.user,
            comment=comment,
            ip_hash=ip_hash(request),
        )
    except services.SubscriptionError as error:
        return {"status": "error", "message": error.message}
    return {"status": result.status, "message": result.message}

"""Turn discussion events into background tasks and subscriptions."""

from django.dispatch import receiver

from masthead.core.hashing import ip_hash
from masthead.core.outbox import outbox_add
from masthead.discussion.models import Comment
from masthead.discussion.signals import comment_stored, comment_submitted
from masthead.notifications import services, tasks


@receiver(comment_stored)
def comment_stored_notify(sender, comment, verdict=None, **kwargs):
    """Promise, in the comment's own transaction, to mail its subscribers or the moderators.

    The outbox row commits with the comment, so a task queue that loses the message (Redis
    restarted, a worker killed) delays the mail by the scheduler's grace period instead of
    losing it. Both tasks are idempotent (one mail per comment and address), which is what
    makes running them again after an edit or a retry harmless.
    """
    if comment.status == Comment.Status.PUBLISHED:
        outbox_add(task=tasks.notify_comment_published, args=[comment.pk])
    elif comment.status == Comment.Status.PENDING:
        # Without a verdict (hidden after reader reports), the reasons are those stored on it.
        reasons = verdict.reasons if verdict is not None else comment.moderation_reasons
        outbox_add(
            task=tasks.notify_comment_held, args=[comment.pk, [str(reason) for reason in reasons]]
        )


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

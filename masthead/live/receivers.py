"""Forward discussion events to open article pages.

Discussion sends its signals after the transaction commits, from the request thread (or the
worker) that made the change; each receiver reads the thread's count fresh and publishes one
event. A broker that cannot deliver (Redis down) costs readers a live update, never the
comment: failures are logged, not raised.
"""

import logging

from django.dispatch import receiver

from masthead.discussion.models import Comment, Thread
from masthead.discussion.selectors import thread_key_and_count
from masthead.discussion.signals import comment_published, thread_changed
from masthead.live.broker import broker_get

logger = logging.getLogger(__name__)


@receiver(comment_published)
def comment_announce(sender, comment: Comment, **kwargs):
    key_and_count = _key_and_count(comment.thread_id)
    if key_and_count:
        key, count = key_and_count
        _publish(key, "comment", {"id": comment.pk, "parent": comment.parent_id, "count": count})


@receiver(thread_changed)
def count_announce(sender, thread: Thread, imported: bool = False, published=None, **kwargs):
    if imported:
        return  # an import is not news to readers on the page
    if published is not None:
        return  # comment_announce just sent the new count with the comment
    key_and_count = _key_and_count(thread.pk)
    if key_and_count:
        key, count = key_and_count
        _publish(key, "count", {"count": count})


def _key_and_count(thread_id: int | None) -> tuple[str, int] | None:
    # Fresh from the database: the instance a signal carries may predate the change.
    if thread_id is None:
        return None
    return thread_key_and_count(thread_id)


def _publish(key: str, event: str, data: dict) -> None:
    try:
        broker_get().publish(key, event, data)
    # After the commit: no failure of the broker may turn a saved change into an error page
    # (the Redis broker already drops events while Redis is away).
    except Exception:
        logger.warning(
            "Live updates: could not publish %s for thread %s.", event, key, exc_info=True
        )

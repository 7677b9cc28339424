"""Work that a commit promised, kept in the database until a task reports it done.

A change that must cause work elsewhere (mail a comment's subscribers, tell the moderators)
calls `outbox_add` inside its own transaction, so the promise commits or rolls back with the
change. Once committed, the row is handed to the task queue as `core.tasks.outbox_run`, which
runs the named task's function and only then marks the row done. A queue that loses the
message (Redis restarted without its data, a worker killed mid-task) leaves the row undone,
and the scheduler's minute tick (`outbox_dispatch_due`) hands it to a new task after GRACE,
waiting longer after each failed run and giving up after OUTBOX_MAX_ATTEMPTS runs.

Work can therefore run twice (a slow worker and the tick's copy): every task named here must
be idempotent, as the mail tasks are by their per-comment-and-address dedupe keys.
"""

import logging
import time
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task

from masthead.core.models import OutboxEntry

logger = logging.getLogger(__name__)

# How long a committed row may wait for its first task before the tick sends another one.
GRACE = timedelta(minutes=2)
# A run that started longer ago than this is taken for a dead worker and may be run again.
LEASE = timedelta(minutes=10)
MAX_BACKOFF = timedelta(hours=6)
KEEP_DONE = timedelta(days=7)
KEEP_GIVEN_UP = timedelta(days=30)


def outbox_add(*, task: Task, args: Sequence = ()) -> OutboxEntry:
    """Record that `task(*args)` must run after the current transaction commits, until done."""
    if getattr(import_string(task.module_path), "func", None) is not task.func:
        # The row names the task by its function's import path, where the task must be found.
        raise ValueError(f"{task.module_path} does not name this task.")
    entry = OutboxEntry.objects.create(
        task=task.module_path, args=list(args), next_attempt=timezone.now() + GRACE
    )
    if _queue_is_this_database():
        from masthead.core.tasks import outbox_run

        # The task's row commits or rolls back with the entry, in the same transaction: no
        # second write after the commit (on SQLite, one more wait for the write lock).
        outbox_run.enqueue(entry.pk)
    else:
        transaction.on_commit(lambda: _dispatch(entry.pk))
    return entry


def _queue_is_this_database() -> bool:
    from masthead.core.tasks import outbox_run

    backend = outbox_run.get_backend()
    return type(backend).__module__.startswith("django_tasks_db.") and (
        OutboxEntry.objects.db == _task_rows_database()
    )


def _task_rows_database() -> str:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.db


# When the queue is down every commit fails to enqueue: one log line a minute says so.
_LOG_EVERY_SECONDS = 60
_last_logged = {"at": float("-inf"), "missed": 0}


def _dispatch(entry_id: int) -> bool:
    from masthead.core.tasks import outbox_run

    try:
        outbox_run.enqueue(entry_id)
    # A queue that is down must not fail the commit: the tick retries.
    except Exception as error:  # noqa: BLE001 - any queue failure, logged below
        _last_logged["missed"] += 1
        now = time.monotonic()
        if now - _last_logged["at"] >= _LOG_EVERY_SECONDS:
            logger.warning(
                "The task queue refused %s outbox entries (last %s: %s: %s); the scheduler's "
                "tick will hand them to it again",
                _last_logged["missed"],
                entry_id,
                type(error).__name__,
                error,
            )
            _last_logged.update(at=now, missed=0)
        return False
    return True


def backoff(attempts: int) -> timedelta:
    """Wait after failed run number `attempts`: 1, 2, 4, 8 … minutes, at most six hours."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _claimable(now) -> Q:
    return Q(done__isnull=True, attempts__lt=settings.OUTBOX_MAX_ATTEMPTS) & (
        Q(started__isnull=True) | Q(started__lt=now - LEASE)
    )


def outbox_entry_run(entry_id: int) -> bool:
    """Run one outbox entry's task unless it is done or running; mark it done if it succeeds.

    Returns whether it ran; a failing task is recorded on the row and its error raised again.
    """
    now = timezone.now()
    # The conditional UPDATE is the claim: of two copies of one message only one runs at a time.
    claimed = OutboxEntry.objects.filter(_claimable(now), pk=entry_id).update(
        started=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    entry = OutboxEntry.objects.get(pk=entry_id)
    try:
        import_string(entry.task).call(*entry.args)
    except Exception as error:
        retry_at = timezone.now() + backoff(entry.attempts)
        OutboxEntry.objects.filter(pk=entry_id).update(
            started=None, next_attempt=retry_at, error=f"{type(error).__name__}: {error}"[:2000]
        )
        if entry.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            logger.error(
                "Outbox entry %s (%s) failed %s times; giving up", entry_id, entry, entry.attempts
            )
        raise
    OutboxEntry.objects.filter(pk=entry_id).update(started=None, done=timezone.now(), error="")
    return True


def outbox_dispatch_due(*, limit: int = 500) -> int:
    """Hand every committed entry not done in time to a new task; return how many.

    Covers a lost queue message, a worker that died mid-run and a failed run whose wait is
    over. Stops at the first entry the queue refuses: it is down, the next tick tries again.
    """
    now = timezone.now()
    due = list(
        OutboxEntry.objects.filter(_claimable(now), next_attempt__lte=now)
        .order_by("next_attempt")
        .values_list("pk", flat=True)[:limit]
    )
    dispatched = 0
    for entry_id in due:
        # Not again before GRACE, however long this copy waits in the queue.
        OutboxEntry.objects.filter(pk=entry_id).update(next_attempt=now + GRACE)
        if not _dispatch(entry_id):
            break
        dispatched += 1
    return dispatched


def outbox_prune() -> int:
    """Forget entries done over a week ago, and those given up on over a month ago."""
    now = timezone.now()
    deleted, _ = OutboxEntry.objects.filter(
        Q(done__lt=now - KEEP_DONE)
        | Q(
            done__isnull=True,
            attempts__gte=settings.OUTBOX_MAX_ATTEMPTS,
            created__lt=now - KEEP_GIVEN_UP,
        )
    ).delete()
    return deleted

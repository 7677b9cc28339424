"""Counters stay exact when many readers act at the same moment (PostgreSQL, real connections)."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from masthead.core.models import OutboxEntry
from masthead.core.tests.concurrency import run_in_parallel
from masthead.discussion import services
from masthead.discussion.models import Comment, Thread, Vote
from masthead.discussion.tests.factories import article_thread, guest

# Transactional (threads need committed rows); the migration-made front page is restored.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PARALLEL = 50


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency are checked on PostgreSQL (DATABASE_URL)")


def test_fifty_parallel_votes_leave_exact_counts(postgresql_only):
    _, thread = article_thread()
    comment = services.comment_post(thread=thread, text="Vote on me", author=guest())

    errors = run_in_parallel(
        lambda n: services.vote_cast(
            comment_id=comment.pk, voter=f"guest:{n}", value=1 if n % 5 else -1
        ),
        PARALLEL,
    )

    assert errors == []
    comment.refresh_from_db()
    assert (comment.upvotes, comment.downvotes, comment.score) == (40, 10, 30)
    assert Vote.objects.filter(comment=comment).count() == PARALLEL


def test_parallel_vote_changes_by_one_reader_end_consistent(postgresql_only):
    _, thread = article_thread()
    comment = services.comment_post(thread=thread, text="Flip flop", author=guest())

    errors = run_in_parallel(
        lambda n: services.vote_cast(
            comment_id=comment.pk, voter="guest:same", value=(1, -1, 0)[n % 3]
        ),
        30,
    )

    assert errors == []
    comment.refresh_from_db()
    votes = list(Vote.objects.filter(comment=comment).values_list("value", flat=True))
    assert comment.upvotes == votes.count(1) and comment.downvotes == votes.count(-1)
    assert comment.score == sum(votes)


def test_parallel_comments_and_replies_keep_thread_and_reply_counts_exact(postgresql_only):
    _, thread = article_thread()
    parent = services.comment_post(thread=thread, text="Parent", author=guest())

    errors = run_in_parallel(
        lambda n: services.comment_post(
            thread=thread, text=f"Reply {n}", author=guest(f"Reader{n}"), parent_id=parent.pk
        ),
        PARALLEL,
    )

    assert errors == []
    assert Thread.objects.get(pk=thread.pk).comment_count == PARALLEL + 1
    assert Comment.objects.get(pk=parent.pk).reply_count == PARALLEL


def _while_the_thread_is_held(thread, change, post):
    """Run `post` while another transaction holds the thread's row, having made `change`,
    until `post` waits for that row; then commit the change. Return what `post` raised and
    whether its comment's row was already written while it waited."""
    held, release, outcome = threading.Event(), threading.Event(), {}

    def holder():
        try:
            with transaction.atomic():
                Thread.objects.select_for_update().get(pk=thread.pk)
                change()
                held.set()
                release.wait(30)
        finally:
            connections.close_all()

    def poster():
        try:
            post()
        except Exception as error:  # noqa: BLE001 - asserted on by the test
            outcome["error"] = error
        finally:
            connections.close_all()

    holding = threading.Thread(target=holder)
    holding.start()
    posting = threading.Thread(target=poster)
    try:
        assert held.wait(30)
        posting.start()
        outcome["written_before_waiting"] = _comment_written_by_the_waiting_post()
    finally:
        release.set()
        holding.join(30)
        if posting.ident is not None:
            posting.join(30)
    return outcome


def _comment_written_by_the_waiting_post() -> bool:
    """Wait until another session waits for a lock; return whether it has written a comment
    row by then (it holds the comments table's row-writing lock)."""
    deadline = time.monotonic() + 30
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            row = cursor.fetchone()
            if row is not None:
                cursor.execute(
                    "SELECT count(*) FROM pg_locks WHERE pid = %s AND granted "
                    "AND relation = %s::regclass AND mode = 'RowExclusiveLock'",
                    [row[0], Comment._meta.db_table],
                )
                return cursor.fetchone()[0] == 1
            time.sleep(0.01)
    raise AssertionError("the post never waited for the thread's row")


def test_a_post_waits_for_its_thread_only_once_its_comment_is_written_and_then_sees_the_close(
    postgresql_only,
):
    _, thread = article_thread()
    services.comment_post(thread=thread, text="Before the close", author=guest())
    outbox_before = OutboxEntry.objects.count()

    outcome = _while_the_thread_is_held(
        thread,
        lambda: Thread.objects.filter(pk=thread.pk).update(closed=True),
        lambda: services.comment_post(thread=thread, text="Just too late", author=guest("Bo")),
    )

    # Posts to one thread queue only for their last step: the comment was already written.
    assert outcome["written_before_waiting"]
    # ...and the moderator's close, committed meanwhile, still refuses it whole.
    assert isinstance(outcome.get("error"), services.ThreadClosedError)
    assert list(Comment.objects.filter(thread=thread).values_list("text", flat=True)) == [
        "Before the close"
    ]
    assert Thread.objects.get(pk=thread.pk).comment_count == 1
    assert OutboxEntry.objects.count() == outbox_before  # no mail promised for it


def test_a_reply_racing_the_close_of_its_branch_is_refused(postgresql_only):
    _, thread = article_thread()
    parent = services.comment_post(thread=thread, text="Branch", author=guest())

    outcome = _while_the_thread_is_held(
        thread,
        lambda: Comment.objects.filter(pk=parent.pk).update(replies_closed=True),
        lambda: services.comment_post(
            thread=thread, text="A reply", author=guest("Bo"), parent_id=parent.pk
        ),
    )

    assert outcome["written_before_waiting"]
    assert isinstance(outcome.get("error"), services.ThreadClosedError)
    assert Comment.objects.get(pk=parent.pk).reply_count == 0
    assert Comment.objects.filter(thread=thread).count() == 1


def test_a_post_racing_the_deletion_of_its_thread_is_a_not_found(postgresql_only):
    _, thread = article_thread()
    thread_pk = thread.pk

    outcome = _while_the_thread_is_held(
        thread,
        lambda: Thread.objects.filter(pk=thread_pk).delete(),
        lambda: services.comment_post(thread=thread, text="Into the void", author=guest()),
    )

    assert outcome["written_before_waiting"]
    assert isinstance(outcome.get("error"), services.NotFoundError)
    assert not Comment.objects.filter(thread_id=thread_pk).exists()


def test_a_comment_being_screened_keeps_no_other_reader_waiting(settings):
    """The screen runs before the comment's transaction: another reader's comment on the same
    thread is stored while the first is still being screened (on SQLite no writer waits for
    the model, on PostgreSQL not even those of the same thread)."""
    import threading

    from django.db import connections

    from masthead.discussion.tests import screens

    settings.DISCUSSION_SCREEN = "masthead.discussion.tests.screens.WaitsForSignal"
    screens.WaitsForSignal.screening = threading.Event()
    screens.WaitsForSignal.release = threading.Event()
    _, thread = article_thread()
    errors = []

    def post_slowly():
        try:
            services.comment_post(thread=thread, text="slow thoughts", author=guest("Sam"))
        except Exception as error:  # noqa: BLE001 - asserted below
            errors.append(error)
        finally:
            connections.close_all()

    slow = threading.Thread(target=post_slowly)
    slow.start()
    try:
        assert screens.WaitsForSignal.screening.wait(timeout=30)
        quick = services.comment_post(thread=thread, text="quick reply", author=guest("Quinn"))
        assert Comment.objects.filter(pk=quick.pk, status=Comment.Status.PUBLISHED).exists()
    finally:
        screens.WaitsForSignal.release.set()
        slow.join(timeout=60)
    assert errors == []
    thread.refresh_from_db()
    assert thread.comment_count == 2

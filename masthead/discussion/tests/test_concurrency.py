"""Counters stay exact when many readers act at the same moment (PostgreSQL, real connections)."""

import pytest
from django.db import connection

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

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

"""Keyset pages: every comment exactly once, in order, whatever the sort."""

import pytest

from masthead.discussion import selectors, services
from masthead.discussion.models import Comment
from masthead.discussion.tests.factories import article_thread, comments_bulk, guest

pytestmark = pytest.mark.django_db


def walk(thread, sort, limit):
    seen, cursor = [], None
    while True:
        page = selectors.thread_page(thread=thread, sort=sort, cursor=cursor, limit=limit)
        seen.extend(page.comments)
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("newest", lambda c: (-c.created.timestamp(), -c.pk)),
        ("oldest", lambda c: (c.created.timestamp(), c.pk)),
        ("most_voted", lambda c: (-c.score, -c.created.timestamp(), -c.pk)),
    ],
)
def test_paging_through_a_sort_returns_every_top_level_comment_once_in_order(sort, key):
    _, thread = article_thread()
    comments_bulk(thread, 57)

    seen = walk(thread, sort, limit=10)

    expected = sorted(Comment.objects.filter(thread=thread, parent=None), key=key)
    assert [c.pk for c in seen] == [c.pk for c in expected]


def test_equal_timestamps_and_scores_do_not_lose_or_repeat_comments():
    _, thread = article_thread()
    comments_bulk(thread, 25)
    moment = Comment.objects.first().created
    Comment.objects.filter(thread=thread).update(created=moment, score=3)

    for sort in selectors.SORTS:
        assert sorted(c.pk for c in walk(thread, sort, limit=4)) == sorted(
            Comment.objects.filter(thread=thread).values_list("pk", flat=True)
        )


def test_replies_come_nested_and_chronological_under_their_conversation():
    _, thread = article_thread()
    root = services.comment_post(thread=thread, text="Root", author=guest("A"))
    first = services.comment_post(thread=thread, text="First", author=guest("B"), parent_id=root.pk)
    second = services.comment_post(
        thread=thread, text="Second", author=guest("C"), parent_id=root.pk
    )
    deep = services.comment_post(thread=thread, text="Deep", author=guest("D"), parent_id=first.pk)

    page = selectors.thread_page(thread=thread)

    [shown] = page.comments
    assert [reply.pk for reply in shown.replies] == [first.pk, second.pk]
    assert [reply.pk for reply in shown.replies[0].replies] == [deep.pk]


def test_hidden_comments_are_left_out_and_deleted_parents_keep_their_replies():
    _, thread = article_thread()
    held = services.comment_post(thread=thread, text="Held", author=guest("A"))
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.PENDING, listed=False)
    parent = services.comment_post(thread=thread, text="Parent", author=guest("B"))
    reply = services.comment_post(
        thread=thread, text="Reply", author=guest("C"), parent_id=parent.pk
    )
    services.comment_delete(comment_id=parent.pk, author=guest("B"))

    [shown] = selectors.thread_page(thread=thread).comments

    assert shown.pk == parent.pk and shown.status == Comment.Status.DELETED
    assert [r.pk for r in shown.replies] == [reply.pk]


@pytest.mark.parametrize(
    "cursor", ["garbage", "!!!", "eyJhIjoxfQ", "W10", "WyJuZXdlc3QiLDAsMSwyXQ"]
)
def test_malformed_cursors_are_refused(cursor):
    _, thread = article_thread()

    with pytest.raises(selectors.CursorError):
        selectors.thread_page(thread=thread, cursor=cursor)


def test_a_cursor_of_one_sort_is_refused_by_another():
    _, thread = article_thread()
    comments_bulk(thread, 15)
    cursor = selectors.thread_page(thread=thread, sort="newest").next_cursor

    with pytest.raises(selectors.CursorError):
        selectors.thread_page(thread=thread, sort="oldest", cursor=cursor)


def test_permalink_locates_the_page_starting_with_the_conversation_of_a_deep_reply():
    _, thread = article_thread()
    comments_bulk(thread, 300, replies_each=1)
    target_root = Comment.objects.filter(thread=thread, parent=None).order_by("created")[249]
    reply = Comment.objects.get(parent=target_root)

    cursor = selectors.comment_locate(thread=thread, comment_id=reply.pk, sort="oldest")
    page = selectors.thread_page(thread=thread, sort="oldest", cursor=cursor)

    assert page.comments[0].pk == target_root.pk
    assert page.comments[0].replies[0].pk == reply.pk


def test_the_posting_reads_of_a_thread_give_what_the_orm_gives():
    from masthead.discussion.models import Thread

    _article, thread = article_thread()
    services.comment_post(thread=thread, text="A first point.", author=guest("Ada"))
    services.thread_close(thread=thread)
    stored = Thread.objects.get(pk=thread.pk)

    found = selectors.thread_by_key(thread.key)
    assert found is not None and found.pk == thread.pk
    for field in Thread._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(stored, field.attname), field.name
    assert found.created.tzinfo is not None  # converted as the ORM converts (SQLite's text)
    assert found.closed and services.thread_is_closed(found)
    assert selectors.thread_by_key("url-" + "0" * 32) is None
    locked = selectors.thread_locked(thread.pk)
    assert [getattr(locked, f.attname) for f in Thread._meta.concrete_fields] == [
        getattr(stored, f.attname) for f in Thread._meta.concrete_fields
    ]

    assert selectors.thread_key_and_count(thread.pk) == (thread.key, 1)
    assert selectors.thread_key_and_count(thread.pk + 1000) is None

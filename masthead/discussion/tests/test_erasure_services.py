"""Erasing a reader's traces through discussion's own services (moderation's privacy tools call
them): votes withdrawn and comments anonymized or removed, with every counter still exact."""

import pytest

from masthead.discussion import services
from masthead.discussion.models import Comment, Thread, Vote
from masthead.discussion.tests.factories import article_thread, guest

pytestmark = pytest.mark.django_db

Status = Comment.Status


@pytest.fixture
def thread():
    return article_thread()[1]


def ada():
    return services.Author(
        name="Ada Lovelace", email="ada@example.org", reader="reader-ada", ip_hash="ip-ada"
    )


def post(thread, text, author, parent=None) -> Comment:
    return services.comment_post(
        thread=thread, text=text, author=author, parent_id=parent.pk if parent else None
    )


def assert_counters_exact(*threads: Thread) -> None:
    """Every stored counter equals what counting the rows gives."""
    for thread in threads:
        stored = Thread.objects.get(pk=thread.pk).comment_count
        assert stored == Comment.objects.filter(thread=thread, status=Status.PUBLISHED).count()
        for comment in Comment.objects.filter(thread=thread):
            assert comment.reply_count == comment.children.filter(listed=True).count(), comment
            ups = comment.votes.filter(value=1).count()
            downs = comment.votes.filter(value=-1).count()
            assert (comment.upvotes, comment.downvotes, comment.score) == (ups, downs, ups - downs)


def test_withdrawing_votes_takes_them_out_of_every_count_and_leaves_others_votes(
    thread, django_capture_on_commit_callbacks
):
    other_thread = article_thread("Another story")[1]
    first = post(thread, "First", guest("Bo"))
    second = post(other_thread, "Second", guest("Cy"))
    for voter, comment, value in [
        ("guest:ada", first, 1),
        ("user:7", second, -1),  # the same person, signed in
        ("guest:bo", first, 1),
        ("guest:cy", first, -1),
        ("guest:cy", second, 1),
    ]:
        services.vote_cast(comment_id=comment.pk, voter=voter, value=value)

    changed = []
    services.signals.thread_changed.connect(
        lambda thread, **_: changed.append(thread.pk), weak=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn = services.votes_withdraw(voter_keys=["guest:ada", "user:7"])

    assert withdrawn == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.upvotes, first.downvotes, first.score) == (1, 1, 0)
    assert (second.upvotes, second.downvotes, second.score) == (1, 0, 1)
    assert sorted(Vote.objects.values_list("voter", flat=True)) == [
        "guest:bo",
        "guest:cy",
        "guest:cy",
    ]
    assert_counters_exact(thread, other_thread)
    # Cached pages of both threads show the old counts until told.
    assert set(changed) >= {thread.pk, other_thread.pk}


def test_anonymizing_keeps_the_text_and_the_counts_and_cuts_every_link_to_the_author(thread):
    mine = post(thread, "My words stay", ada())
    reply = post(thread, "A reply", guest("Bo"), parent=mine)

    result = services.comments_anonymize(comment_ids=[mine.pk], name="Anonymous")

    assert result == services.Anonymized(comments=1)
    mine.refresh_from_db()
    assert (mine.author_name, mine.author_email, mine.author_reader, mine.ip_hash) == (
        "Anonymous",
        "",
        "",
        "",
    )
    assert mine.user_id is None and mine.text == "My words stay" and mine.listed
    assert Comment.objects.get(pk=reply.pk).author_name == "Bo"
    assert Thread.objects.get(pk=thread.pk).comment_count == 2
    assert_counters_exact(thread)


def test_removing_keeps_counters_exact_and_placeholders_only_where_others_replied(thread):
    answered = post(thread, "Ada's first", ada())
    others_reply = post(thread, "Bo answers", guest("Bo"), parent=answered)
    alone = post(thread, "Ada's second", ada())
    own_reply = post(thread, "Ada answers herself", ada(), parent=alone)
    bos = post(thread, "Bo's own", guest("Bo"))
    reply_to_bo = post(thread, "Ada answers Bo", ada(), parent=bos)
    services.vote_cast(comment_id=reply_to_bo.pk, voter="guest:bo", value=1)
    assert Thread.objects.get(pk=thread.pk).comment_count == 6

    adas = [answered.pk, alone.pk, own_reply.pk, reply_to_bo.pk]
    result = services.comments_anonymize(
        comment_ids=adas, name="Anonymous", remove_text=True, reason="erased"
    )

    assert result == services.Anonymized(comments=4, removed=3, placeholders=1)
    rows = Comment.objects.in_bulk(adas)
    assert all(row.status == Status.DELETED and row.text == row.html == "" for row in rows.values())
    assert all(row.moderation_reasons == ["erased"] for row in rows.values())
    # Only the comment someone else answered stays, as a placeholder holding Bo's reply.
    assert [pk for pk, row in rows.items() if row.listed] == [answered.pk]
    assert Comment.objects.get(pk=others_reply.pk).listed
    assert Thread.objects.get(pk=thread.pk).comment_count == 2  # Bo's two comments
    assert Comment.objects.get(pk=bos.pk).reply_count == 0
    assert_counters_exact(thread)

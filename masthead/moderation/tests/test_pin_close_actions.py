"""Moderators pin comments and close conversations from the queue (wpDiscuz's Stick and Close).

Each action changes what readers see on the article, is written to the audit log with the
state before and after, and is refused to admin users without the moderation permission.
"""

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.test import TestCase

from masthead.discussion import services as discussion
from masthead.discussion.models import Comment
from masthead.discussion.tests.factories import article_thread, guest
from masthead.moderation import audit, services
from masthead.moderation.models import AuditEntry
from masthead.moderation.tests.queue_helpers import PUBLISH_EVERYTHING

pytestmark = pytest.mark.django_db

QUEUE = "/admin/moderation/"
ACT = QUEUE + "act/"


@pytest.fixture
def story(settings):
    settings.DISCUSSION_SCREEN = PUBLISH_EVERYTHING
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 0
    return article_thread("Harbour bridge closes for repairs")


@pytest.fixture
def conversation(story):
    """Ann's comment (older), Bo's reply to it, and Di's newer comment."""
    _, thread = story
    ann = discussion.comment_post(thread=thread, text="Ann starts", author=guest("Ann"))
    bo = discussion.comment_post(
        thread=thread, text="Bo answers", author=guest("Bo"), parent_id=ann.pk
    )
    di = discussion.comment_post(thread=thread, text="Di is newer", author=guest("Di"))
    return ann, bo, di


@pytest.fixture
def as_moderator(client, moderator):
    client.force_login(moderator)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def row_action(client, value: str):
    # What follows the action's commit (the thread's cached parts made stale) runs, as it
    # does outside the test's transaction.
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(ACT, {"row_action": value, "tab": "all"})
    client.get(response["Location"])  # shows (and so uses up) the messages, as a browser would
    return response


def article_cards(client, article):
    page = BeautifulSoup(client.get(article.url).content, "html.parser")
    return page, page.select("[data-comment-list] > article.comment")


def test_the_all_tab_offers_pin_and_close_where_they_apply(as_moderator, conversation):
    ann, bo, _ = conversation

    page = BeautifulSoup(as_moderator.get(QUEUE, {"tab": "all"}).content, "html.parser")

    ann_row, bo_row = (
        page.select_one(f"#queue-comment-{ann.pk}"),
        page.select_one(f"#queue-comment-{bo.pk}"),
    )
    assert ann_row.select_one('[data-action="pin"]')["value"] == f"pin:{ann.pk}"
    assert ann_row.select_one('[data-action="close"]').get_text(strip=True) == "Close replies"
    assert bo_row.select_one('[data-action="pin"]') is None  # replies are not pinned
    assert bo_row.select_one('[data-action="close"]') is not None


def test_a_moderator_pins_a_comment_and_readers_see_it_first(
    client, moderator, as_moderator, story, conversation
):
    article, _ = story
    ann, _, di = conversation
    _, before = article_cards(client, article)
    assert before[0]["id"] == f"comment-{di.pk}"  # newest first

    response = row_action(as_moderator, f"pin:{ann.pk}")

    assert response.status_code == 302
    assert messages_of(response) == ["Pinned the comment at the top of its thread."]
    _, after = article_cards(client, article)
    assert after[0]["id"] == f"comment-{ann.pk}"
    assert after[0].select_one(".comment-badge-pinned").get_text(strip=True) == "Pinned"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.target_id) == ("comment_pin", moderator, str(ann.pk))
    assert (entry.before, entry.after) == ({"pinned": False}, {"pinned": True})
    [row] = audit.audit_rows([entry])
    assert row.text == (
        f"Pinned comment #{ann.pk} by Ann on “Harbour bridge closes for repairs” "
        "at the top of its thread"
    )
    queue = BeautifulSoup(as_moderator.get(QUEUE, {"tab": "all"}).content, "html.parser")
    assert queue.select_one(f"#queue-comment-{ann.pk} [data-action=unpin]") is not None


def test_unpinning_puts_the_comment_back_in_its_place(client, as_moderator, story, conversation):
    article, _ = story
    ann, _, di = conversation
    row_action(as_moderator, f"pin:{ann.pk}")

    response = row_action(as_moderator, f"unpin:{ann.pk}")

    assert messages_of(response) == ["Unpinned the comment."]
    _, cards = article_cards(client, article)
    assert cards[0]["id"] == f"comment-{di.pk}"
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "comment_pin",
        "comment_unpin",
    ]


def test_a_moderator_closes_the_replies_to_a_comment_and_reopens_them(
    client, as_moderator, story, conversation
):
    article, thread = story
    ann, bo, _ = conversation

    closed = row_action(as_moderator, f"close:{ann.pk}")

    assert messages_of(closed) == [
        "Closed the replies to the comment: readers can no longer answer it."
    ]
    page, _ = article_cards(client, article)
    assert page.select_one(f"#comment-{ann.pk} [data-replies-closed]") is not None
    assert page.select_one(f"#comment-{bo.pk} [data-reply]") is None
    refused = client.post(
        f"/api/v1/threads/{article.pk}/comments",
        {"author_name": "Eve", "author_email": "e@example.org", "text": "Hi", "parent": bo.pk},
        content_type="application/json",
    )
    assert refused.status_code == 409

    reopened = row_action(as_moderator, f"reopen:{ann.pk}")

    assert messages_of(reopened) == ["Reopened the replies to the comment."]
    reply = discussion.comment_post(
        thread=thread, text="Now I may", author=guest("Eve"), parent_id=bo.pk
    )
    assert reply.parent_id == bo.pk
    close_entry, reopen_entry = AuditEntry.objects.order_by("pk")
    assert close_entry.action == "comment_replies_close"
    assert close_entry.after == {"replies_closed": True, "comments": 2}
    assert reopen_entry.action == "comment_replies_reopen"
    assert "Reopened the replies to comment #" in audit.audit_rows([reopen_entry])[0].text


def test_repeating_an_action_changes_and_logs_nothing(as_moderator, conversation):
    ann, _, _ = conversation
    row_action(as_moderator, f"pin:{ann.pk}")
    row_action(as_moderator, f"close:{ann.pk}")

    pinned_again = row_action(as_moderator, f"pin:{ann.pk}")
    closed_again = row_action(as_moderator, f"close:{ann.pk}")

    assert messages_of(pinned_again) == ["The comment was pinned already."]
    assert messages_of(closed_again) == ["The replies to the comment were closed already."]
    assert AuditEntry.objects.count() == 2


def test_pinning_a_reply_is_refused_with_the_reason(as_moderator, conversation):
    _, bo, _ = conversation

    response = row_action(as_moderator, f"pin:{bo.pk}")

    assert messages_of(response) == ["Only top-level comments can be pinned; this one is a reply."]
    assert not Comment.objects.filter(pinned=True).exists()
    assert not AuditEntry.objects.exists()


def test_admin_users_without_the_permission_cannot_pin_or_close(client, bystander, conversation):
    ann, _, _ = conversation
    client.force_login(bystander)

    for value in (f"pin:{ann.pk}", f"close:{ann.pk}"):
        response = row_action(client, value)
        assert response.status_code in (302, 403)
    with pytest.raises(PermissionDenied):
        services.comment_pin_by(bystander, ann.pk, pinned=True)
    with pytest.raises(PermissionDenied):
        services.comment_replies_close_by(bystander, ann.pk, closed=True)

    ann.refresh_from_db()
    assert (ann.pinned, ann.replies_closed) == (False, False)
    assert not AuditEntry.objects.exists()

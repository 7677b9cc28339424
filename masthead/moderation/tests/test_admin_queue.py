"""The moderators' admin pages: the queue, histories, bans, word lists, the audit log.

Every endpoint is tried three ways: anonymous (sent to the admin login), signed in without the
moderation permission (refused, nothing changes), and as a moderator (works).
"""

import html
import re
from dataclasses import dataclass

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.discussion.models import Comment, Thread
from masthead.discussion.tests.factories import article_thread
from masthead.moderation import services
from masthead.moderation.models import AuditEntry, Ban, Flag, ListEntry
from masthead.moderation.tests.queue_helpers import held, screened

pytestmark = pytest.mark.django_db

Status = Comment.Status
QUEUE = "/admin/moderation/"


@pytest.fixture
def thread(settings):
    return article_thread("Harbour bridge closes for repairs")[1]


@pytest.fixture
def as_moderator(client, moderator):
    client.force_login(moderator)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- the queue --------------------------------------------------------------------------------


def test_queue_shows_a_held_comment_with_its_screen_reasons_scores_author_and_article(
    as_moderator, thread, settings
):
    comment = held(thread, "You **idiot**, the bridge was fine.", "Troll Tom", settings=settings)
    screened(comment, reasons=["toxicity 0.93 (insult)"], scores={"toxicity": 0.93, "spam": 0.1})
    Flag.objects.create(comment=comment, reason="abusive", reporter="guest:1", note="rude")
    page = as_moderator.get(QUEUE).content.decode()
    assert "<strong>idiot</strong>" in page  # the stored, sanitized HTML
    assert "toxicity 0.93 (insult)" in page
    assert "toxicity 0.93 · spam 0.10" in page
    assert "troll@example.org" in page
    assert "0 published, 0 rejected/spam, 1 pending" in page
    assert "Harbour bridge closes for repairs" in page
    assert "Abusive or hateful (1)" in page and "“rude”" in page
    assert 'data-tab="pending"' in page and "Keyboard shortcuts" in page


def test_queue_tabs_hold_their_statuses_and_flagged_comments(
    as_moderator, thread, moderator, settings
):
    pending = held(thread, "Waiting", settings=settings)
    spam = held(thread, "Buy now", "Sly Spammer", settings=settings)
    services.comment_mark_spam_by(moderator, spam.pk)
    settings.DISCUSSION_SCREEN = "masthead.discussion.screening.PublishEverything"
    from masthead.discussion import services as discussion
    from masthead.discussion.tests.factories import guest

    published = discussion.comment_post(thread=thread, text="Reported", author=guest("Flo Fine"))
    Flag.objects.create(comment=published, reason="off_topic", reporter="guest:9")

    def ids(tab):
        page = as_moderator.get(QUEUE, {"tab": tab}).content.decode()
        return {c.pk for c in Comment.objects.all() if f'data-comment="{c.pk}"' in page}

    assert ids("pending") == {pending.pk}
    assert ids("spam") == {spam.pk}
    assert ids("flagged") == {published.pk}
    assert ids("all") == {pending.pk, spam.pk, published.pk}


def test_approve_button_publishes_and_returns_to_the_same_tab_with_a_message(
    as_moderator, thread, settings, django_capture_on_commit_callbacks
):
    comment = held(thread, "Fine after all", settings=settings)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_moderator.post(
            QUEUE + "act/", {"row_action": f"approve:{comment.pk}", "tab": "pending"}
        )
    assert response.status_code == 302 and response["Location"] == QUEUE + "?tab=pending"
    assert messages_of(response) == ["Approved 1 comment."]
    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED
    assert Thread.objects.get(pk=thread.pk).comment_count == 1


def test_bulk_reject_acts_on_the_ticked_comments_only(as_moderator, thread, settings):
    first, second, third = (held(thread, f"Text {n}", settings=settings) for n in range(3))
    response = as_moderator.post(
        QUEUE + "act/",
        {"action": "reject", "ids": [first.pk, second.pk], "tab": "pending", "q": "Text"},
    )
    assert response["Location"] == QUEUE + "?tab=pending&q=Text"
    assert messages_of(response) == ["Rejected 2 comments."]
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "rejected", second.pk: "rejected", third.pk: "pending"}


def test_ban_author_button_bans_for_the_chosen_time_and_rejects(as_moderator, thread, settings):
    comment = held(thread, "Insults", "Troll Tom", ip_hash="ip-tom", settings=settings)
    as_moderator.post(
        QUEUE + "act/",
        {
            "row_action": f"ban:{comment.pk}",
            f"ban_duration_{comment.pk}": "30d",
            f"ban_reason_{comment.pk}": "insults",
            "tab": "pending",
        },
    )
    comment.refresh_from_db()
    assert comment.status == Status.REJECTED
    bans = Ban.objects.all()
    assert {ban.kind for ban in bans} == {"email", "ip"}
    assert all(ban.reason == "insults" and ban.expires for ban in bans)
    assert 29 < (bans[0].expires - bans[0].created).days <= 30


def test_enter_without_a_chosen_action_changes_nothing(as_moderator, thread, settings):
    comment = held(thread, "Text", settings=settings)
    response = as_moderator.post(QUEUE + "act/", {"action": "", "ids": [comment.pk]})
    assert response.status_code == 302 and messages_of(response) == ["Unknown action."]
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def _queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE, {"tab": "pending"})
    assert response.status_code == 200
    return len(queries)


def _hold_many(threads, count: int, settings, start: int) -> None:
    for number in range(start, start + count):
        thread = threads[number % len(threads)]
        comment = held(thread, f"Held {number}", f"Reader{number} Guest", settings=settings)
        Flag.objects.create(comment=comment, reason="spam", reporter=f"guest:{number}")


def test_queue_page_costs_the_same_queries_for_5_and_50_comments(as_moderator, thread, settings):
    _hold_many([thread], 5, settings, start=0)
    as_moderator.get(QUEUE)  # warm caches every page shares (site root paths, session)
    few = _queue_queries(as_moderator)
    # More authors, more reports and more articles: still one query for each kind of thing.
    other_thread = article_thread("Ferry timetable changes")[1]
    _hold_many([thread, other_thread], 45, settings, start=5)
    many = _queue_queries(as_moderator)
    assert few == many, f"{few} queries for 5 comments, {many} for 50"


def test_queue_pages_older_comments_with_a_cursor(as_moderator, thread, settings, monkeypatch):
    monkeypatch.setattr("masthead.moderation.admin_views.QUEUE_PAGE_SIZE", 2)
    oldest, middle, newest = (held(thread, f"Held {n}", settings=settings) for n in range(3))
    first = as_moderator.get(QUEUE).content.decode()

    def shown(page, comment):
        return f'data-comment="{comment.pk}"' in page

    assert shown(first, newest) and shown(first, middle) and not shown(first, oldest)
    older_link = re.search(r'href="([^"]+)" data-older', first).group(1)
    older = as_moderator.get(html.unescape(older_link)).content.decode()
    assert shown(older, oldest) and not shown(older, newest)
    assert "data-older" not in older


def test_author_history_page_lists_comments_and_lifts_bans(
    as_moderator, thread, moderator, settings
):
    comment = held(thread, "First words", "Troll Tom", settings=settings)
    services.author_ban(moderator, comment.pk, duration=None, reason="abuse")
    page = as_moderator.get(f"{QUEUE}authors/{comment.pk}/").content.decode()
    assert "First words" in page and "abuse" in page and "Lift" in page
    ban = Ban.objects.first()
    response = as_moderator.post(
        f"{QUEUE}bans/{ban.pk}/lift/", {"next": f"{QUEUE}authors/{comment.pk}/"}
    )
    assert response["Location"] == f"{QUEUE}authors/{comment.pk}/"
    ban.refresh_from_db()
    assert ban.lifted is not None


def test_ban_list_separates_bans_in_force_from_ended_ones(as_moderator, moderator):
    active = services.ban_create_by(moderator, kind="email", value="a@example.org", duration=None)
    ended = services.ban_create_by(moderator, kind="email", value="b@example.org", duration=None)
    services.ban_lift_by(moderator, ended.pk)
    in_force = as_moderator.get(QUEUE + "bans/").content.decode()
    assert f'data-ban="{active.pk}"' in in_force and f'data-ban="{ended.pk}"' not in in_force
    over = as_moderator.get(QUEUE + "bans/", {"state": "ended"}).content.decode()
    assert f'data-ban="{ended.pk}"' in over


def test_ban_form_shows_the_problem_with_a_bad_address(as_moderator):
    response = as_moderator.post(
        QUEUE + "bans/add/", {"kind": "email", "value": "nobody", "duration": "7d"}
    )
    assert response.status_code == 200
    assert b"name@example.org" in response.content
    assert not Ban.objects.exists()


def test_word_list_edits_go_through_the_services_and_the_audit_log(as_moderator):
    response = as_moderator.post(
        QUEUE + "lists/new/", {"kind": "block_word", "value": "  Darn ", "note": ""}
    )
    assert response.status_code == 302, response.content
    entry = ListEntry.objects.get()
    assert entry.value == "darn"
    duplicate = as_moderator.post(QUEUE + "lists/new/", {"kind": "block_word", "value": "DARN"})
    assert duplicate.status_code == 200 and "on this list already" in duplicate.content.decode()
    as_moderator.post(
        f"{QUEUE}lists/edit/{entry.pk}/", {"kind": "block_word", "value": "darned", "note": "x"}
    )
    as_moderator.post(f"{QUEUE}lists/delete/{entry.pk}/")
    assert not ListEntry.objects.exists()
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "list_entry_add",
        "list_entry_edit",
        "list_entry_remove",
    ]


def test_audit_log_filters_by_action_and_moderator(as_moderator, moderator, thread, settings):
    comment = held(thread, "Text", settings=settings)
    services.comment_approve_by(moderator, comment.pk)
    services.list_entry_add(moderator, kind="block_word", value="darn")
    page = as_moderator.get(QUEUE + "audit/", {"action": "comment_approve"}).content.decode()
    assert "Approved comment" in page and "Added “darn”" not in page
    page = as_moderator.get(QUEUE + "audit/", {"actor": moderator.pk}).content.decode()
    assert "Approved comment" in page and "Added “darn”" in page
    assert "status: pending → status: published" in page


def test_menu_shows_moderation_only_to_moderators(client, moderator, bystander, thread, settings):
    held(thread, "Waiting", settings=settings)
    client.force_login(moderator)
    assert "Moderation (1)" in client.get("/admin/").content.decode()
    client.force_login(bystander)
    assert "Moderation" not in client.get("/admin/").content.decode()


# --- every endpoint, three ways ---------------------------------------------------------------


@dataclass
class World:
    comment: Comment
    ban: Ban
    entry: ListEntry


@pytest.fixture
def world(thread, moderator, settings):
    comment = held(thread, "Held for the matrix", settings=settings)
    ban = services.ban_create_by(moderator, kind="email", value="x@example.org", duration=None)
    entry = services.list_entry_add(moderator, kind="block_word", value="darn")
    return World(comment, ban, entry)


def _state():
    """What any endpoint could change: comments, bans, lists and the log."""
    return (
        list(Comment.objects.order_by("pk").values_list("pk", "status")),
        list(Ban.objects.order_by("pk").values_list("pk", "lifted")),
        list(ListEntry.objects.order_by("pk").values_list("pk", "kind", "value", "note")),
        AuditEntry.objects.count(),
    )


ENDPOINTS = [
    ("get", lambda w: QUEUE, None),
    ("get", lambda w: QUEUE + "?tab=flagged", None),
    ("post", lambda w: QUEUE + "act/", lambda w: {"row_action": f"approve:{w.comment.pk}"}),
    ("post", lambda w: QUEUE + "act/", lambda w: {"action": "spam", "ids": [w.comment.pk]}),
    ("get", lambda w: f"{QUEUE}authors/{w.comment.pk}/", None),
    ("post", lambda w: f"{QUEUE}authors/{w.comment.pk}/ban/", lambda w: {"ban_duration": "1d"}),
    ("get", lambda w: QUEUE + "bans/", None),
    ("get", lambda w: QUEUE + "bans/add/", None),
    (
        "post",
        lambda w: QUEUE + "bans/add/",
        lambda w: {"kind": "email", "value": "new@example.org", "duration": "7d"},
    ),
    ("post", lambda w: f"{QUEUE}bans/{w.ban.pk}/lift/", lambda w: {}),
    ("get", lambda w: QUEUE + "audit/", None),
    ("get", lambda w: QUEUE + "lists/", None),
    ("get", lambda w: QUEUE + "lists/results/", None),
    ("get", lambda w: QUEUE + "lists/new/", None),
    ("post", lambda w: QUEUE + "lists/new/", lambda w: {"kind": "block_word", "value": "heck"}),
    ("get", lambda w: f"{QUEUE}lists/edit/{w.entry.pk}/", None),
    (
        "post",
        lambda w: f"{QUEUE}lists/edit/{w.entry.pk}/",
        lambda w: {"kind": "allow_word", "value": "darn", "note": "harmless"},
    ),
    ("get", lambda w: f"{QUEUE}lists/delete/{w.entry.pk}/", None),
    ("post", lambda w: f"{QUEUE}lists/delete/{w.entry.pk}/", lambda w: {}),
    ("get", lambda w: f"{QUEUE}lists/history/{w.entry.pk}/", None),
]
ENDPOINT_IDS = [f"{method} {index}" for index, (method, _, _) in enumerate(ENDPOINTS)]


def _call(client, world, method, url, data):
    target = url(world)
    if method == "get":
        return client.get(target)
    return client.post(target, data(world))


@pytest.mark.parametrize(("method", "url", "data"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_anonymous_visitors_are_sent_to_the_login(client, world, method, url, data):
    before = _state()
    response = _call(client, world, method, url, data)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert _state() == before


@pytest.mark.parametrize(("method", "url", "data"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_admin_users_without_the_permission_are_refused(
    client, world, bystander, method, url, data
):
    client.force_login(bystander)
    before = _state()
    response = _call(client, world, method, url, data)
    refused = response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )
    assert refused, (response.status_code, response.get("Location"))
    assert _state() == before


@pytest.mark.parametrize(("method", "url", "data"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_moderators_are_served(client, world, moderator, method, url, data):
    client.force_login(moderator)
    before = _state()
    response = _call(client, world, method, url, data)
    if method == "get":
        assert response.status_code == 200
    else:
        assert response.status_code == 302, response.content[:2000]
        assert not response["Location"].startswith("/admin/login/")
        assert _state() != before


def test_bulk_ban_bans_each_ticked_author_and_rejects_their_comments(
    as_moderator, thread, settings
):
    tom = held(thread, "Insult one", "Troll Tom", ip_hash="ip-tom", settings=settings)
    tia = held(thread, "Insult two", "Troll Tia", ip_hash="ip-tia", settings=settings)
    response = as_moderator.post(
        QUEUE + "act/",
        {"action": "ban", "ids": [tom.pk, tia.pk], "ban_duration": "permanent", "ban_reason": "x"},
    )
    assert messages_of(response) == [
        "Banned the authors of 2 comments (permanent) and rejected them."
    ]
    assert set(Comment.objects.values_list("status", flat=True)) == {Status.REJECTED}
    # Both guests signed as troll@example.org: one address ban, and one per network.
    assert Ban.objects.filter(expires__isnull=True).count() == 3

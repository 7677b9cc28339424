"""wpDiscuz's "Stick" and "Close": pinned comments lead the thread, closed ones take no replies."""

import base64
import json

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.discussion import selectors, services
from masthead.discussion.models import Comment
from masthead.discussion.tests.factories import article_thread, comments_bulk, guest
from masthead.discussion.tests.test_views import ARTICLE_PAGE_QUERIES

pytestmark = pytest.mark.django_db

SORT_KEYS = {
    "newest": lambda c: (-c.created.timestamp(), -c.pk),
    "oldest": lambda c: (c.created.timestamp(), c.pk),
    "most_voted": lambda c: (-c.score, -c.created.timestamp(), -c.pk),
}


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def pin(*comments):
    for comment in comments:
        services.comment_pin(comment_id=comment.pk, pinned=True)


def roots_of(thread):
    return list(Comment.objects.filter(thread=thread, parent=None))


def walk(thread, sort, limit):
    seen, cursor = [], None
    while True:
        page = selectors.thread_page(thread=thread, sort=sort, cursor=cursor, limit=limit)
        seen.extend(page.comments)
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor


def conversation(thread):
    """Ann's comment, Bo's reply to it, and Cy's reply to Bo."""
    ann = services.comment_post(thread=thread, text="Ann starts", author=guest("Ann"))
    bo = services.comment_post(
        thread=thread, text="Bo answers", author=guest("Bo"), parent_id=ann.pk
    )
    cy = services.comment_post(
        thread=thread, text="Cy answers", author=guest("Cy"), parent_id=bo.pk
    )
    return ann, bo, cy


# --- reading: pinned comments first --------------------------------------------------------


@pytest.mark.parametrize("sort", selectors.SORTS)
def test_pinned_comments_lead_the_first_page_then_the_rest_in_the_chosen_order(sort):
    _, thread = article_thread()
    comments_bulk(thread, 30)
    roots = sorted(roots_of(thread), key=SORT_KEYS[sort])
    pinned = [roots[7], roots[22], roots[29]]  # none of them among the first ten
    pin(*pinned)

    page = selectors.thread_page(thread=thread, sort=sort, limit=10)

    expected_pinned = sorted(pinned, key=SORT_KEYS[sort])
    others = [c for c in roots if c.pk not in {p.pk for p in pinned}]
    assert [c.pk for c in page.comments] == [c.pk for c in expected_pinned + others[:7]]


@pytest.mark.parametrize("sort", selectors.SORTS)
def test_paging_with_pinned_comments_shows_every_comment_once(sort):
    _, thread = article_thread()
    comments_bulk(thread, 57)
    roots = sorted(roots_of(thread), key=SORT_KEYS[sort])
    # More pinned comments than a page holds: they run over onto the second page.
    pinned = roots[::4][:13]
    pin(*pinned)

    seen = walk(thread, sort, limit=10)

    pinned_ids = {c.pk for c in pinned}
    expected = [c for c in roots if c.pk in pinned_ids] + [
        c for c in roots if c.pk not in pinned_ids
    ]
    assert [c.pk for c in seen] == [c.pk for c in expected]


def test_a_cursor_made_before_pinning_existed_still_continues_the_list():
    _, thread = article_thread()
    comments_bulk(thread, 15)
    roots = sorted(roots_of(thread), key=SORT_KEYS["newest"])
    tenth = roots[9]
    old_cursor = (
        base64.urlsafe_b64encode(
            json.dumps(["newest", 0, tenth.created.isoformat(), tenth.pk]).encode()
        )
        .decode()
        .rstrip("=")
    )

    page = selectors.thread_page(thread=thread, sort="newest", cursor=old_cursor, limit=10)

    assert [c.pk for c in page.comments] == [c.pk for c in roots[10:]]


def test_a_permalink_to_a_reply_under_a_pinned_comment_finds_its_page():
    _, thread = article_thread()
    comments_bulk(thread, 25)
    ann, bo, _ = conversation(thread)
    pin(ann)

    cursor = selectors.comment_locate(thread=thread, comment_id=bo.pk, sort="oldest")
    page = selectors.thread_page(thread=thread, sort="oldest", cursor=cursor)

    assert page.comments[0].pk == ann.pk
    assert page.comments[0].replies[0].pk == bo.pk


def test_a_pin_imported_onto_a_reply_does_not_lift_it_out_of_its_conversation():
    _, thread = article_thread()
    ann, bo, _ = conversation(thread)
    Comment.objects.filter(pk=bo.pk).update(pinned=True)

    [shown] = selectors.thread_page(thread=thread).comments

    assert shown.pk == ann.pk and shown.replies[0].pk == bo.pk
    assert selectors.leads(shown.replies[0]) is False


@pytest.mark.parametrize("sort", selectors.SORTS)
def test_the_article_shows_pinned_comments_first_with_a_badge(client, sort):
    article, thread = article_thread()
    comments_bulk(thread, 14)
    oldest = min(roots_of(thread), key=SORT_KEYS["oldest"])
    pin(oldest)

    page = soup(client.get(article.url, {"sort": sort}))

    top_level = page.select("[data-comment-list] > article.comment")
    assert top_level[0]["id"] == f"comment-{oldest.pk}"
    assert top_level[0].select_one(".comment-badge-pinned").get_text(strip=True) == "Pinned"
    assert len(page.select(".comment-badge-pinned")) == 1
    assert len(top_level) == 10


def test_load_more_after_a_first_page_of_pinned_comments_repeats_none(client):
    _, thread = article_thread()
    comments_bulk(thread, 20)
    roots = sorted(roots_of(thread), key=SORT_KEYS["newest"])
    pin(*roots[-12:])  # the twelve oldest, more than a page
    first = soup(client.get(f"/discussion/threads/{thread.key}/comments/", {"sort": "newest"}))
    cursor = first.select_one("[data-load-more]")["data-cursor"]

    second = soup(
        client.get(
            f"/discussion/threads/{thread.key}/comments/", {"sort": "newest", "cursor": cursor}
        )
    )

    ids = [card["data-comment-id"] for card in first.find_all("article", recursive=False)]
    ids += [card["data-comment-id"] for card in second.find_all("article", recursive=False)]
    expected = roots[-12:] + roots[:-12]
    assert ids[:20] == [str(c.pk) for c in expected]
    assert len(second.select(".comment-badge-pinned")) == 2


# --- the page cost --------------------------------------------------------------------------


@pytest.mark.parametrize("size", [10, 1000])
def test_a_first_api_page_with_pinned_comments_costs_what_one_without_does(client, size):
    article, thread = article_thread()
    comments_bulk(thread, size, replies_each=2)
    pin(*roots_of(thread)[:3])
    url = f"/api/v1/threads/{article.pk}/comments"
    client.get(url)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"limit": 10, "sort": "most_voted"})

    assert response.status_code == 200
    assert [c["pinned"] for c in response.json()["comments"]] == [True] * 3 + [False] * 7
    assert len(captured.captured_queries) == 3  # thread, top-level comments, their replies


@pytest.mark.parametrize("size", [10, 1000])
def test_the_article_page_with_pinned_comments_costs_a_fixed_number_of_queries(
    client, settings, size
):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 0  # measure rendering, not the page cache
    article, thread = article_thread()
    comments_bulk(thread, size, replies_each=2)
    pin(*roots_of(thread)[:2])
    ann, _, _ = conversation(thread)
    services.comment_replies_close(comment_id=ann.pk, closed=True)
    client.get(article.url)  # creates the outlet's settings row: the site's parts go stale
    client.get(article.url)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(article.url)

    assert response.status_code == 200
    assert len(captured.captured_queries) == ARTICLE_PAGE_QUERIES


# --- reading: closed conversations -----------------------------------------------------------


def test_a_closed_conversation_shows_no_reply_buttons_and_says_so_once(client):
    article, thread = article_thread()
    ann, bo, cy = conversation(thread)
    other = services.comment_post(thread=thread, text="Elsewhere", author=guest("Di"))
    services.comment_replies_close(comment_id=ann.pk, closed=True)

    page = soup(client.get(article.url))

    for comment in (ann, bo, cy):
        card = page.select_one(f"#comment-{comment.pk}")
        assert card.select_one(":scope > .comment-main [data-reply]") is None
    notes = page.select("[data-replies-closed]")
    assert [note.get_text(strip=True) for note in notes] == ["Replies are closed"]
    assert notes[0].find_parent("article")["id"] == f"comment-{ann.pk}"
    assert page.select_one(f"#comment-{other.pk} [data-reply]") is not None


def test_the_single_comment_fragment_shows_the_note_only_at_the_head(client):
    _, thread = article_thread()
    ann, bo, _ = conversation(thread)
    services.comment_replies_close(comment_id=ann.pk, closed=True)

    head = soup(client.get(f"/discussion/comments/{ann.pk}/"))
    inside = soup(client.get(f"/discussion/comments/{bo.pk}/"))

    assert head.select_one("[data-replies-closed]") is not None
    assert head.select_one("[data-reply]") is None
    assert inside.select_one("[data-replies-closed]") is None
    assert inside.select_one("[data-reply]") is None


def test_the_api_says_which_comments_are_pinned_and_closed(client):
    article, thread = article_thread()
    ann, bo, _ = conversation(thread)
    pin(ann)
    services.comment_replies_close(comment_id=bo.pk, closed=True)

    [shown] = client.get(f"/api/v1/threads/{article.pk}/comments").json()["comments"]

    assert (shown["pinned"], shown["replies_closed"]) == (True, False)
    reply = shown["replies"][0]
    assert (reply["pinned"], reply["replies_closed"]) == (False, True)
    assert reply["replies"][0]["replies_closed"] is True


def test_the_api_schema_documents_the_flags_and_the_409(client):
    schema = client.get("/api/v1/openapi.json").json()

    fields = schema["components"]["schemas"]["CommentOut"]["properties"]
    assert fields["pinned"]["type"] == fields["replies_closed"]["type"] == "boolean"
    post = schema["paths"]["/api/v1/threads/{key}/comments"]["post"]
    assert "409" in post["responses"]


# --- writing: replies to a closed conversation ----------------------------------------------


def test_a_reply_through_the_api_to_a_closed_comment_is_refused_with_409(client):
    article, thread = article_thread()
    ann, _, cy = conversation(thread)
    services.comment_replies_close(comment_id=ann.pk, closed=True)

    for parent in (ann, cy):  # the head and a reply deep in its branch
        response = client.post(
            f"/api/v1/threads/{article.pk}/comments",
            {
                "author_name": "Eve",
                "author_email": "eve@example.org",
                "text": "Me too",
                "parent": parent.pk,
            },
            content_type="application/json",
        )
        assert response.status_code == 409
        assert response.json()["error"] == "This conversation is closed; it takes no new replies."
    assert Comment.objects.filter(author_name="Eve").count() == 0
    top = client.post(
        f"/api/v1/threads/{article.pk}/comments",
        {"author_name": "Eve", "author_email": "eve@example.org", "text": "New topic"},
        content_type="application/json",
    )
    assert top.status_code == 201


def test_a_reply_through_the_plain_form_to_a_closed_comment_shows_why(client):
    article, thread = article_thread()
    ann, _, _ = conversation(thread)
    services.comment_replies_close(comment_id=ann.pk, closed=True)

    response = client.post(
        f"/discussion/threads/{thread.key}/post/",
        {
            "text": "My careful reply",
            "author_name": "Eve",
            "author_email": "eve@example.org",
            "parent": ann.pk,
            "next": article.url,
        },
        HTTP_ORIGIN="http://testserver",
    )

    assert response.status_code == 409
    assert b"This conversation is closed; it takes no new replies." in response.content
    assert b"My careful reply" in response.content


def test_reopening_lets_readers_reply_again():
    _, thread = article_thread()
    ann, _, cy = conversation(thread)
    services.comment_replies_close(comment_id=ann.pk, closed=True)

    reopened = services.comment_replies_close(comment_id=ann.pk, closed=False)
    reply = services.comment_post(thread=thread, text="Back", author=guest("Eve"), parent_id=cy.pk)

    assert reopened.marks_changed == 3 and reply.parent_id == cy.pk


def test_closing_a_reply_closes_its_branch_only(settings):
    settings.DISCUSSION_NESTING_DEPTH = 2
    _, thread = article_thread()
    ann, bo, cy = conversation(thread)  # Cy is at the deepest level
    # Stored beside Cy (under Bo), answering Cy: part of Cy's branch.
    beside = services.comment_post(thread=thread, text="To Cy", author=guest("Di"), parent_id=cy.pk)
    sibling = services.comment_post(
        thread=thread, text="Also", author=guest("Flo"), parent_id=ann.pk
    )

    services.comment_replies_close(comment_id=cy.pk, closed=True)

    closed = set(Comment.objects.filter(replies_closed=True).values_list("pk", flat=True))
    assert beside.parent_id == bo.pk and closed == {cy.pk, beside.pk}
    services.comment_post(thread=thread, text="Fine", author=guest("Gus"), parent_id=sibling.pk)
    with pytest.raises(services.ThreadClosedError):
        services.comment_post(thread=thread, text="No", author=guest("Gus"), parent_id=beside.pk)


# --- writing: the services ------------------------------------------------------------------


def test_only_published_top_level_comments_can_be_pinned():
    _, thread = article_thread()
    ann, bo, _ = conversation(thread)

    with pytest.raises(services.DiscussionError, match="Only top-level comments"):
        services.comment_pin(comment_id=bo.pk, pinned=True)
    services.comment_moderate(comment_id=ann.pk, status=Comment.Status.REJECTED)
    with pytest.raises(services.ConflictError, match="Only published comments"):
        services.comment_pin(comment_id=ann.pk, pinned=True)
    with pytest.raises(services.NotFoundError):
        services.comment_pin(comment_id=10**9, pinned=True)
    assert not Comment.objects.filter(pinned=True).exists()


def test_pinning_and_closing_refresh_the_cached_article_page(
    client, django_capture_on_commit_callbacks
):
    article, thread = article_thread()
    comments_bulk(thread, 3)
    oldest = min(roots_of(thread), key=SORT_KEYS["oldest"])
    client.get(article.url)
    assert client.get(article.url)["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_pin(comment_id=oldest.pk, pinned=True)
    pinned_page = client.get(article.url)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_replies_close(comment_id=oldest.pk, closed=True)
    closed_page = client.get(article.url)

    assert pinned_page["X-Page-Cache"] == closed_page["X-Page-Cache"] == "miss"
    first = soup(pinned_page).select_one("[data-comment-list] > article.comment")
    assert first["id"] == f"comment-{oldest.pk}"
    assert soup(closed_page).select_one(f"#comment-{oldest.pk} [data-replies-closed]")


def test_a_second_pin_or_close_changes_nothing_and_announces_nothing(
    django_capture_on_commit_callbacks,
):
    _, thread = article_thread()
    ann, _, _ = conversation(thread)
    pin(ann)
    services.comment_replies_close(comment_id=ann.pk, closed=True)

    with django_capture_on_commit_callbacks() as callbacks:
        again = services.comment_pin(comment_id=ann.pk, pinned=True)
        closed_again = services.comment_replies_close(comment_id=ann.pk, closed=True)

    assert again.previous_pinned is True and closed_again.marks_changed == 0
    assert callbacks == []

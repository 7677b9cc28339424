"""The comment section on the article page, its fragments, and the form that needs no JavaScript."""

import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.discussion import services
from masthead.discussion.models import Comment
from masthead.discussion.tests.factories import article_thread, comments_bulk, guest

pytestmark = pytest.mark.django_db


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def test_article_shows_count_form_tabs_and_first_ten_conversations(client):
    article, thread = article_thread()
    comments_bulk(thread, 14, replies_each=1)

    page = soup(client.get(article.url))

    root = page.select_one(".discussion[data-thread-key]")
    assert root["data-thread-key"] == str(article.pk)
    assert page.select_one(".discussion-count").get_text(strip=True) == "28 Comments"
    assert [o.get_text() for o in page.select("[data-notify-of] option")] == [
        "new follow-up comments",
        "new replies to my comments",
    ]
    assert page.select_one("textarea[name=text]")["placeholder"].startswith("Join the discussion")
    assert page.select_one("input[name=author_name]") and page.select_one(
        "input[name=author_email]"
    )
    assert [tab.get_text() for tab in page.select("[data-sort-tab]")] == [
        "Newest",
        "Oldest",
        "Most Voted",
        "Inline Feedbacks",
    ]
    top_level = page.select("[data-comment-list] > article.comment")
    assert len(top_level) == 10
    assert top_level[0].select_one(".comment-body").get_text(strip=True) == "Bulk comment 13"
    assert page.select_one("[data-load-more]").get_text(strip=True) == "View all comments"
    assert (
        "Would love your thoughts, please comment." in page.select_one("[data-bubble]").get_text()
    )


def test_guest_posts_a_top_level_comment_without_javascript(client):
    article, thread = article_thread()
    origin = "http://testserver"

    response = client.post(
        f"/discussion/threads/{thread.key}/post/",
        {
            "text": "Posted by a plain form",
            "author_name": "Ada",
            "author_email": "ada@example.org",
            "next": article.url,
        },
        HTTP_ORIGIN=origin,
    )

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert (
        response["Location"]
        == f"{article.url}?comment={comment.pk}&posted=published#comment-{comment.pk}"
    )
    page = soup(client.get(response["Location"].split("#")[0]))
    assert (
        page.select_one(f"#comment-{comment.pk} .comment-body").get_text(strip=True)
        == "Posted by a plain form"
    )
    # Its time is stored to the microsecond; HTML's datetime takes at most milliseconds.
    assert comment.created.microsecond
    stamps = [time["datetime"] for time in page.select("time[datetime]")]
    assert stamps and all(
        re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp) for stamp in stamps
    )


def test_form_post_from_another_site_is_refused(client):
    article, thread = article_thread()

    response = client.post(
        f"/discussion/threads/{thread.key}/post/",
        {
            "text": "Forged",
            "author_name": "Ada",
            "author_email": "ada@example.org",
            "next": article.url,
        },
        HTTP_ORIGIN="https://evil.example",
    )

    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_form_errors_keep_the_readers_text(client):
    article, thread = article_thread()

    response = client.post(
        f"/discussion/threads/{thread.key}/post/",
        {
            "text": "My careful argument",
            "author_name": "Ada",
            "author_email": "bad",
            "next": article.url,
        },
        HTTP_ORIGIN="http://testserver",
    )

    assert response.status_code == 400
    assert b"My careful argument" in response.content
    assert b"email address" in response.content


def test_tabs_and_load_more_fragments(client):
    _, thread = article_thread()
    comments_bulk(thread, 25)

    oldest = soup(client.get(f"/discussion/threads/{thread.key}/comments/", {"sort": "oldest"}))
    first = [
        c.select_one(".comment-body").get_text(strip=True) for c in oldest.select("article.comment")
    ]
    assert first[:2] == ["Bulk comment 0", "Bulk comment 1"]
    cursor = oldest.select_one("[data-load-more]")["data-cursor"]
    more = soup(
        client.get(
            f"/discussion/threads/{thread.key}/comments/", {"sort": "oldest", "cursor": cursor}
        )
    )
    assert (
        more.select_one("article.comment .comment-body").get_text(strip=True) == "Bulk comment 10"
    )
    assert (
        client.get(f"/discussion/threads/{thread.key}/comments/", {"cursor": "junk"}).status_code
        == 400
    )


def test_permalink_opens_the_page_with_the_comment_and_marks_it(client):
    article, thread = article_thread()
    comments_bulk(thread, 120)
    target = Comment.objects.filter(thread=thread).order_by("created")[30]

    page = soup(client.get(article.url, {"comment": target.pk}))

    located = page.select_one(".comment-located")
    assert located["id"] == f"comment-{target.pk}"
    assert page.select_one("[data-view-all]") is not None


def test_deep_replies_show_flat_with_the_name_they_answer(client, settings):
    settings.DISCUSSION_NESTING_DEPTH = 2
    article, thread = article_thread()
    parent = services.comment_post(thread=thread, text="Level 0", author=guest("Ann"))
    for level, name in enumerate(["Ben", "Cat", "Dan"], start=1):
        parent = services.comment_post(
            thread=thread, text=f"Level {level}", author=guest(name), parent_id=parent.pk
        )

    page = soup(client.get(article.url))

    flat = page.select(".comment-flat")
    assert [c.select_one(".comment-mention").get_text() for c in flat] == ["@Ben", "@Cat"]


def test_closed_thread_shows_comments_and_says_it_is_closed(client):
    article, thread = article_thread()
    services.comment_post(thread=thread, text="Said before closing", author=guest())
    services.thread_close(thread=thread)

    page = soup(client.get(article.url))

    assert "This discussion is closed" in page.select_one(".discussion-closed").get_text()
    assert page.select_one("[data-comment-form]") is None
    assert "Said before closing" in page.select_one("[data-comment-list]").get_text()


def test_comment_html_is_escaped_in_the_page(client):
    article, thread = article_thread()
    services.comment_post(
        thread=thread, text="<script>alert(1)</script> <img src=x onerror=alert(1)>", author=guest()
    )

    page = soup(client.get(article.url))

    body = page.select_one(".comment-body")
    assert body.find("script") is None and body.find("img") is None
    assert "<script>alert(1)</script>" in body.get_text()


@pytest.mark.parametrize("size", [10, 1000])
def test_article_page_queries_do_not_grow_with_the_thread(client, size, settings):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 0  # measure rendering, not the page cache
    article, thread = article_thread()
    comments_bulk(thread, size, replies_each=2)
    # Warm-up: the first view creates the outlet's settings row, which makes the site's
    # shared parts stale; the second fills them.
    client.get(article.url)
    client.get(article.url)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(article.url)

    assert response.status_code == 200
    assert len(soup(response).select("article.comment")) >= 10
    # The same count for 10 and for 1,000 comments: none (the route, the site, the page's
    # row, the thread and its first comments come from the shared cache).
    assert len(captured.captured_queries) == ARTICLE_PAGE_QUERIES, [
        q["sql"][:80] for q in captured.captured_queries
    ]


ARTICLE_PAGE_QUERIES = 0


def test_anonymous_html_is_identical_for_readers_who_voted_differently(client):
    article, thread = article_thread()
    comment = services.comment_post(thread=thread, text="Vote on me", author=guest())
    ada, bo = type(client)(), type(client)()
    for reader, value in ((ada, 1), (bo, -1)):
        reader.get(f"/api/v1/threads/{thread.key}/me")  # gets the reader cookie
        reader.post(
            f"/api/v1/comments/{comment.pk}/votes",
            f'{{"value": {value}}}',
            content_type="application/json",
        )

    first, second = ada.get(article.url), bo.get(article.url)

    assert first.content == second.content
    assert "csrfmiddlewaretoken" not in first.content.decode()
    assert {first["X-Page-Cache"], second["X-Page-Cache"]} == {"miss", "hit"}
    assert ada.get(f"/api/v1/threads/{thread.key}/me").json()["votes"] == {str(comment.pk): 1}
    assert bo.get(f"/api/v1/threads/{thread.key}/me").json()["votes"] == {str(comment.pk): -1}


def test_a_new_comment_shows_on_the_next_load_of_a_cached_page(
    client, django_capture_on_commit_callbacks
):
    article, thread = article_thread()
    client.get(article.url)
    assert client.get(article.url)["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):  # announcements follow the commit
        services.comment_post(thread=thread, text="Fresh news from a reader", author=guest())
    response = client.get(article.url)

    assert response["X-Page-Cache"] == "miss"
    assert b"Fresh news from a reader" in response.content
    assert b"1 Comment<" in response.content


def test_signed_in_readers_get_their_own_uncached_page(client, django_user_model):
    article, _ = article_thread()
    user = django_user_model.objects.create_user("ada", password="pw-for-tests", first_name="Ada")
    client.get(article.url)
    client.force_login(user)

    response = client.get(article.url)

    assert "X-Page-Cache" not in response
    identity = soup(response).select_one(".comment-form-identity")
    assert identity.get_text() == "Posting as Ada"
    assert identity.select_one("strong bdi").get_text() == "Ada"  # isolated from the sentence
    assert b"csrfmiddlewaretoken" in response.content

"""CSRF on the JSON API: writes that ride on a signed-in session need the token; guests do not."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from masthead.discussion import services
from masthead.discussion.models import Comment
from masthead.discussion.tests.factories import article_thread, guest

pytestmark = pytest.mark.django_db

FOREIGN = {"HTTP_ORIGIN": "https://attacker.example"}


@pytest.fixture
def story():
    article, thread = article_thread()
    comment = services.comment_post(thread=thread, text="Good reporting.", author=guest("Ada"))
    return article, comment


@pytest.fixture
def moe():
    """Moe, a signed-in reader, in a browser that enforces CSRF like a real one."""
    user = get_user_model().objects.create_user("moe", "moe@example.org", "a long passphrase")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    return browser


def writes(article, comment):
    """Every kind of write the API takes, as (method, path, body)."""
    return [
        ("post", f"/api/v1/threads/{article.pk}/comments", {"text": "Agreed, entirely."}),
        ("post", f"/api/v1/comments/{comment.pk}/votes", {"value": 1}),
        ("post", f"/api/v1/comments/{comment.pk}/flags", {"reason": "spam"}),
        ("post", f"/api/v1/threads/{article.pk}/subscriptions", {"kind": "thread"}),
    ]


def send(browser, method, path, body, **headers):
    return getattr(browser, method)(
        path, json.dumps(body), content_type="application/json", **headers
    )


def test_session_writes_from_another_site_without_the_token_are_403(moe, story):
    article, comment = story
    for method, path, body in writes(article, comment):
        response = send(moe, method, path, body, **FOREIGN)

        assert response.status_code == 403, path
        assert "CSRF token" in response.json()["error"]
    assert not Comment.objects.filter(text="Agreed, entirely.").exists()
    assert Comment.objects.get(pk=comment.pk).upvotes == 0


def test_session_writes_with_the_token_from_me_work(moe, story):
    article, comment = story
    token = moe.get(f"/api/v1/threads/{article.pk}/me").json()["csrf_token"]

    statuses = [
        send(moe, method, path, body, HTTP_X_CSRFTOKEN=token).status_code
        for method, path, body in writes(article, comment)
    ]

    assert statuses == [201, 200, 201, 202]
    assert Comment.objects.get(text="Agreed, entirely.").user.username == "moe"


def test_a_session_edit_or_delete_without_the_token_is_403(moe, story):
    article, _ = story
    token = moe.get(f"/api/v1/threads/{article.pk}/me").json()["csrf_token"]
    own = send(
        moe,
        "post",
        f"/api/v1/threads/{article.pk}/comments",
        {"text": "Mine"},
        HTTP_X_CSRFTOKEN=token,
    ).json()

    edit = send(moe, "patch", f"/api/v1/comments/{own['id']}", {"text": "Changed"}, **FOREIGN)
    delete = moe.delete(f"/api/v1/comments/{own['id']}", **FOREIGN)

    assert (edit.status_code, delete.status_code) == (403, 403)
    assert Comment.objects.get(pk=own["id"]).text == "Mine"


def test_guests_without_cookies_post_vote_and_report_as_before(story):
    article, comment = story
    for method, path, body in writes(article, comment)[:3]:
        browser = Client(enforce_csrf_checks=True)  # a fresh guest: no cookie at all

        response = send(
            browser,
            method,
            path,
            {**body, "author_name": "Bo", "author_email": "bo@example.org"}
            if path.endswith("/comments")
            else body,
            **FOREIGN,
        )

        assert response.status_code in (200, 201), (path, response.content)


def test_reading_with_a_session_needs_no_token(moe, story):
    article, _ = story

    response = moe.get(f"/api/v1/threads/{article.pk}/comments", **FOREIGN)

    assert response.status_code == 200

"""Bad input at every edge of the discussion: a precise 4xx, or clean storage, never a 500.

NUL is the sharp one: PostgreSQL refuses it in any text column or query parameter (SQLite
takes it), so run these on PostgreSQL too (DATABASE_URL).
"""

import json

import pytest

from masthead.discussion import services
from masthead.discussion.models import Comment
from masthead.discussion.tests.factories import article_thread

pytestmark = pytest.mark.django_db

LONG_EMAIL = "a" * 300 + "@example.org"  # 312 characters: valid for Django, longer than SMTP allows


def post_json(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/threads/%00/comments",
        "/api/v1/threads/%00/count",
        "/api/v1/threads/%00/me",
        "/api/v1/threads/1%00/comments",
        "/api/v1/threads/" + "9" * 400 + "/comments",
        "/discussion/threads/%00/comments/",
        "/discussion/threads/%00/inline/",
        "/discussion/threads/%00/feed/",
        "/discussion/threads/url-%00/feed/",
    ],
)
def test_a_malformed_thread_key_is_a_404_before_any_query(client, path):
    response = client.get(path)

    assert response.status_code == 404


@pytest.mark.parametrize(
    "path", ["/api/v1/threads/%00/comments", "/api/v1/threads/%00/subscriptions"]
)
def test_writing_to_a_malformed_thread_key_is_a_404_with_a_message(client, path):
    response = post_json(
        client, path, {"text": "Hi", "author_name": "Ada", "author_email": "ada@example.org"}
    )

    assert response.status_code == 404
    assert "no discussion with this key" in response.json()["error"]


def test_the_html_form_to_a_malformed_key_is_a_404(client):
    response = client.post(
        "/discussion/threads/%00/post/",
        {"text": "Hi", "author_name": "Ada", "author_email": "ada@example.org"},
        HTTP_ORIGIN="http://testserver",
    )

    assert response.status_code == 404


def test_nul_and_controls_in_names_anchors_and_text_are_stored_without_them(client):
    article, _ = article_thread()

    response = post_json(
        client,
        f"/api/v1/threads/{article.pk}/comments",
        {
            "author_name": "Ada\x00 Love\x1blace",
            "author_email": "ada@example.org\x00",
            "text": "Quite\x00 right\u0085.",
            "anchor_exact": "the\x00 harbour plan",
            "anchor_prefix": "about\x00",
            "anchor_suffix": "\x00 next",
        },
    )

    assert response.status_code == 201, response.content
    comment = Comment.objects.get()
    stored = [
        comment.author_name,
        comment.author_email,
        comment.text,
        comment.anchor_exact,
        comment.anchor_prefix,
        comment.anchor_suffix,
    ]
    assert stored == [
        "Ada Lovelace",
        "ada@example.org",
        "Quite right.",
        "the harbour plan",
        "about",
        " next",  # the quote's context keeps its spaces: anchoring matches it exactly
    ]


def test_nul_in_the_passage_marker_is_refused_with_a_message(client):
    article, _ = article_thread()

    response = post_json(
        client,
        f"/api/v1/threads/{article.pk}/comments",
        {
            "author_name": "Ada",
            "author_email": "ada@example.org",
            "text": "About this passage",
            "anchor_block": "intro\x00",
        },
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {"anchor": "This passage is not one of the article's."}
    assert not Comment.objects.exists()


def test_an_email_longer_than_254_characters_is_refused_by_the_api(client):
    article, _ = article_thread()

    response = post_json(
        client,
        f"/api/v1/threads/{article.pk}/comments",
        {"author_name": "Ada", "author_email": LONG_EMAIL, "text": "Hello"},
    )

    assert response.status_code == 400
    assert "author_email" in response.json()["fields"]
    assert not Comment.objects.exists()


def test_an_email_longer_than_254_characters_is_refused_by_the_service_and_the_form(client):
    article, thread = article_thread()

    with pytest.raises(services.DiscussionError, match="at most 254 characters"):
        services.comment_post(
            thread=thread,
            text="Hello",
            author=services.Author(name="Ada", email=LONG_EMAIL, reader="r-ada"),
        )
    response = client.post(
        f"/discussion/threads/{article.pk}/post/",
        {"text": "Hello", "author_name": "Ada", "author_email": LONG_EMAIL},
        HTTP_ORIGIN="http://testserver",
    )

    assert response.status_code == 400
    assert "at most 254 characters" in response.content.decode()
    assert not Comment.objects.exists()

"""The public JSON API: paths, fields, statuses and error shapes."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.discussion import services
from masthead.discussion.models import Comment
from masthead.discussion.tests.factories import article_thread, comments_bulk, guest

pytestmark = pytest.mark.django_db


def post_json(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def article_and_thread():
    return article_thread()


def test_posting_returns_201_with_the_comment_and_never_the_email(client, article_and_thread):
    article, _ = article_and_thread

    response = post_json(
        client,
        f"/api/v1/threads/{article.pk}/comments",
        {"author_name": "Ada", "author_email": "ada@example.org", "text": "Hello *there*"},
    )

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "published"
    assert body["author"] == {"name": "Ada", "url": ""}
    assert body["html"] == "<p>Hello <em>there</em></p>"
    assert "ada@example.org" not in response.content.decode()
    assert "masthead_reader" in response.cookies


def test_listing_returns_the_contract_fields_and_a_cursor(client, article_and_thread):
    article, thread = article_and_thread
    comments_bulk(thread, 12, replies_each=1)

    body = client.get(
        f"/api/v1/threads/{article.pk}/comments", {"sort": "oldest", "limit": 5}
    ).json()

    assert body["thread"] == {"key": str(article.pk), "count": 24, "closed": False}
    first = body["comments"][0]
    assert {
        "id",
        "parent",
        "depth",
        "author",
        "html",
        "created",
        "edited",
        "score",
        "upvotes",
        "downvotes",
        "reply_count",
        "replies",
    } <= set(first)
    assert first["replies"][0]["parent"] == first["id"]
    assert len(body["comments"]) == 5 and body["next"]
    following = client.get(
        f"/api/v1/threads/{article.pk}/comments",
        {"sort": "oldest", "limit": 5, "cursor": body["next"]},
    ).json()
    assert following["comments"][0]["id"] not in {c["id"] for c in body["comments"]}


def test_votes_and_count(client, article_and_thread):
    article, thread = article_and_thread
    comment = services.comment_post(thread=thread, text="Vote", author=guest())

    response = post_json(client, f"/api/v1/comments/{comment.pk}/votes", {"value": 1})
    assert response.json() == {"score": 1, "upvotes": 1, "downvotes": 0}
    response = post_json(client, f"/api/v1/comments/{comment.pk}/votes", {"value": -1})
    assert response.json() == {"score": -1, "upvotes": 0, "downvotes": 1}
    assert client.get(f"/api/v1/threads/{article.pk}/count").json() == {"count": 1}


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"author_name": "Ada", "author_email": "ada@example.org", "text": "  "}, 400, "text"),
        (
            {"author_name": "Ada", "author_email": "ada@example.org", "text": "x" * 5001},
            400,
            "text",
        ),
        ({"author_name": "Ada", "author_email": "nope", "text": "Hi"}, 400, "author_email"),
        ({"author_name": "", "author_email": "ada@example.org", "text": "Hi"}, 400, "author_name"),
        ({"author_name": "Ada", "author_email": "ada@example.org"}, 400, "text"),
        (
            {
                "author_name": "Ada",
                "author_email": "ada@example.org",
                "text": "Hi",
                "parent": 999999,
            },
            400,
            "parent",
        ),
    ],
)
def test_bad_comments_get_a_precise_error_and_nothing_is_written(
    client, article_and_thread, body, status, field
):
    article, _ = article_and_thread

    response = post_json(client, f"/api/v1/threads/{article.pk}/comments", body)

    assert response.status_code == status
    assert field in response.json()["fields"]
    assert response.json()["error"]
    assert Comment.objects.count() == 0


def test_form_encoded_posts_are_refused(client, article_and_thread):
    article, _ = article_and_thread

    response = client.post(
        f"/api/v1/threads/{article.pk}/comments",
        {"author_name": "Ada", "author_email": "ada@example.org", "text": "Hi"},
    )

    assert response.status_code == 400
    assert "JSON" in response.json()["error"]
    assert Comment.objects.count() == 0


def test_malformed_json_is_a_400(client, article_and_thread):
    article, _ = article_and_thread

    response = client.post(
        f"/api/v1/threads/{article.pk}/comments", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["error"]


def test_unknown_threads_and_comments_are_404_and_closed_is_409(client, article_and_thread):
    article, thread = article_and_thread

    assert client.get("/api/v1/threads/nope/comments").status_code == 404
    assert client.get("/api/v1/threads/999999/count").status_code == 404
    assert client.get(f"/api/v1/threads/{'9' * 30}/count").status_code == 404
    assert client.get("/api/v1/threads/²³/count").status_code == 404
    assert post_json(client, "/api/v1/comments/999999/votes", {"value": 1}).status_code == 404
    services.thread_close(thread=thread)
    response = post_json(
        client,
        f"/api/v1/threads/{article.pk}/comments",
        {"author_name": "Ada", "author_email": "ada@example.org", "text": "Hi"},
    )
    assert response.status_code == 409
    assert "closed" in response.json()["error"]


@pytest.mark.parametrize("value", [2, "up", None, 0.5])
def test_vote_values_other_than_minus_one_zero_one_are_400(client, article_and_thread, value):
    _, thread = article_and_thread
    comment = services.comment_post(thread=thread, text="Vote", author=guest())

    response = post_json(client, f"/api/v1/comments/{comment.pk}/votes", {"value": value})

    assert response.status_code == 400
    assert "value" in response.json()["fields"]


@pytest.mark.parametrize(
    "query", [{"sort": "best"}, {"limit": 0}, {"limit": 500}, {"cursor": "xyz"}]
)
def test_bad_list_parameters_are_400(client, article_and_thread, query):
    article, _ = article_and_thread

    response = client.get(f"/api/v1/threads/{article.pk}/comments", query)

    assert response.status_code == 400


def test_guest_edits_and_deletes_own_comment_by_reader_cookie(client, article_and_thread):
    article, _ = article_and_thread
    created = post_json(
        client,
        f"/api/v1/threads/{article.pk}/comments",
        {"author_name": "Ada", "author_email": "ada@example.org", "text": "Frist"},
    ).json()
    me = client.get(f"/api/v1/threads/{article.pk}/me").json()
    assert me["editable"] == [created["id"]]

    edited = client.patch(
        f"/api/v1/comments/{created['id']}",
        json.dumps({"text": "First"}),
        content_type="application/json",
    )
    assert edited.status_code == 200 and edited.json()["edited"]
    stranger = type(client)()
    refused = stranger.patch(
        f"/api/v1/comments/{created['id']}",
        json.dumps({"text": "Mine now"}),
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert client.delete(f"/api/v1/comments/{created['id']}").status_code == 204
    assert client.get(f"/api/v1/threads/{article.pk}/count").json() == {"count": 0}


def test_openapi_schema_documents_the_paths(client):
    schema = client.get("/api/v1/openapi.json").json()

    for path in [
        "/api/v1/threads/{key}/comments",
        "/api/v1/comments/{comment_id}/votes",
        "/api/v1/threads/{key}/count",
    ]:
        assert path in schema["paths"]


@pytest.mark.parametrize("size", [10, 1000])
def test_first_api_page_costs_the_same_queries_for_small_and_huge_threads(client, size):
    article, thread = article_thread()
    comments_bulk(thread, size, replies_each=2)
    url = f"/api/v1/threads/{article.pk}/comments"
    client.get(url, {"limit": 5})  # warm-up: the discussion settings are read and cached

    with CaptureQueriesContext(connection) as first_read:
        first = client.get(url, {"limit": 10})
    with CaptureQueriesContext(connection) as next_read:
        again = client.get(url, {"limit": 10})

    assert first.status_code == 200 and len(first.json()["comments"]) == 10
    assert again.json() == first.json()
    assert len(first_read.captured_queries) == 3  # thread, top-level comments, their replies
    assert len(next_read.captured_queries) == 0  # kept until the thread changes


def test_a_post_costs_the_same_few_queries_on_a_long_thread(
    client, article_and_thread, django_capture_on_commit_callbacks, settings
):
    """Posting reads the thread twice (to screen the comment, then under the write lock) and
    writes the comment, the count and the mail promise; after the commit one read gives live
    readers the new count. Whether the article has translations to refresh is known in the
    process until a publication. Nothing more, and nothing that grows with the thread."""
    article, thread = article_and_thread
    url = f"/api/v1/threads/{article.pk}/comments"
    # The mail task is queued, not run here: its queries are the worker's.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    def post(number):
        body = {"author_name": "Ada", "author_email": "ada@example.org"}
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = post_json(client, url, {**body, "text": f"Point {number}, in short."})
        assert response.status_code == 201
        # Transaction control is the database's, not a query.
        return [
            query["sql"]
            for query in queries
            if query["sql"].split()[0] not in {"BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"}
        ]

    post(0)  # warm-up: settings, the moderation rules and the bans are read and kept
    short = post(1)
    comments_bulk(thread, 300)
    long = post(2)

    assert len(short) == len(long) == 6
    assert sum(sql.startswith("SELECT") for sql in long) == 3

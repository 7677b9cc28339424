"""Posting twice by retrying posts once: the Idempotency-Key header of the API and the per-form
key of the plain HTML form return the first attempt's comment instead of a second one."""

import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from masthead.core.idempotency import idempotency_keys_prune
from masthead.core.models import IdempotencyKey
from masthead.core.tests.concurrency import run_in_parallel
from masthead.discussion import services, signals
from masthead.discussion.models import Comment, Thread
from masthead.discussion.tests.factories import article_thread

pytestmark = pytest.mark.django_db

KEY = "3f0c9a52-8e1d-4c7b-9a61-2b4e5d6f7a80"


def post(client, thread, text="Ferries should run later", key=KEY, **extra):
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    return client.post(
        f"/api/v1/threads/{thread.key}/comments",
        json.dumps({"author_name": "Ada", "author_email": "ada@example.org", "text": text}),
        content_type="application/json",
        **headers,
        **extra,
    )


@pytest.fixture
def thread():
    return article_thread("Night ferries")[1]


def test_a_retry_with_the_same_key_answers_the_first_comment_and_the_thread_holds_one(
    client, thread
):
    first = post(client, thread)
    again = post(client, thread)  # the first answer never reached the reader

    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["status"] == first.json()["status"] == "published"
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Comment.objects.filter(thread=thread).count() == 1
    assert Thread.objects.get(pk=thread.pk).comment_count == 1


def test_a_new_key_posts_a_new_comment_even_with_the_same_text(client, thread):
    first = post(client, thread, key="key-number-one")
    second = post(client, thread, key="key-number-two")
    assert second.status_code == 201 and second.json()["id"] != first.json()["id"]
    assert Comment.objects.filter(thread=thread).count() == 2


@pytest.mark.parametrize(
    "key",
    [
        "",
        "short",
        "x" * 129,
        "has spaces in it",
        "ключ-для-комментария",
        "<script>alert(1)</script>",
    ],
)
def test_malformed_keys_are_refused_with_a_reason_and_nothing_is_posted(client, thread, key):
    response = post(client, thread, key=key)
    assert response.status_code == 400
    assert "Idempotency-Key must be 8 to 128 characters" in response.json()["error"]
    assert "idempotency_key" in response.json()["fields"]
    assert not Comment.objects.exists()


def test_the_same_key_with_another_text_is_refused(client, thread):
    post(client, thread, text="First text")
    response = post(client, thread, text="Another text")
    assert response.status_code == 422
    assert "already used for a different request" in response.json()["error"]
    assert Comment.objects.count() == 1


def test_someone_elses_key_neither_replays_nor_reveals_their_comment(client, thread):
    mine = post(client, thread, text="Mine")
    theirs = post(Client(), thread, text="Theirs", REMOTE_ADDR="203.0.113.9")
    assert theirs.status_code == 201
    assert theirs.json()["id"] != mine.json()["id"]
    assert "Mine" not in theirs.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failure_after_the_commit_is_logged_and_the_post_still_answers_201(thread, caplog):
    def broken_after_commit(**kwargs):
        raise RuntimeError("the cache server went away")

    signals.comment_submitted.connect(broken_after_commit, dispatch_uid="test-broken")
    signals.thread_changed.connect(broken_after_commit, dispatch_uid="test-broken-changed")
    reader = Client(raise_request_exception=False)
    try:
        first = post(reader, thread)
    finally:
        signals.comment_submitted.disconnect(dispatch_uid="test-broken")
        signals.thread_changed.disconnect(dispatch_uid="test-broken-changed")
    # The comment is stored, so the reader is told so (a 500 here would invite a re-post).
    assert first.status_code == 201
    (stored,) = Comment.objects.filter(thread=thread)
    assert first.json()["id"] == stored.pk
    assert "the cache server went away" in caplog.text

    retried = post(reader, thread)
    assert retried.status_code == 201
    assert retried.json()["id"] == stored.pk
    assert Comment.objects.filter(thread=thread).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_identical_posts_make_one_comment(thread):
    if connection.vendor != "postgresql":
        # SQLite runs one write transaction at a time (IMMEDIATE), so the second attempt
        # always finds the first one's key; its in-memory test database cannot run threads.
        pytest.skip("concurrent posts are checked on PostgreSQL (DATABASE_URL)")
    answers = []

    def attempt(number):
        answers.append(post(Client(), thread))

    errors = run_in_parallel(attempt, 4)
    assert errors == []
    assert {answer.status_code for answer in answers} == {201}, [a.content for a in answers]
    assert len({answer.json()["id"] for answer in answers}) == 1
    assert Comment.objects.filter(thread=thread).count() == 1


def test_keys_are_forgotten_after_a_day(client, thread):
    post(client, thread, key="yesterdays-key")
    post(client, thread, key="todays-key-01")
    IdempotencyKey.objects.filter(key="yesterdays-key").update(
        created=timezone.now() - timedelta(hours=25)
    )
    assert idempotency_keys_prune() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["todays-key-01"]


# --- the form that needs no JavaScript ---------------------------------------------------


def form_post(client, thread, article, key, text="Posted by a plain form"):
    return client.post(
        f"/discussion/threads/{thread.key}/post/",
        {
            "text": text,
            "author_name": "Ada",
            "author_email": "ada@example.org",
            "next": article.url,
            "idempotency_key": key,
        },
        HTTP_ORIGIN="http://testserver",
    )


def test_the_plain_form_carries_a_key_and_posting_it_twice_posts_once(client):
    article, thread = article_thread()
    page = client.get(article.url).content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)

    first = form_post(client, thread, article, key)
    again = form_post(client, thread, article, key)  # Back, then Post again

    comment = Comment.objects.get()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert f"comment={comment.pk}" in again["Location"]


def test_two_readers_of_one_cached_form_post_their_own_comments(client):
    article, thread = article_thread()
    form_post(client, thread, article, "cached-page-key", text="First reader")
    form_post(client, thread, article, "cached-page-key", text="Second reader")
    assert sorted(Comment.objects.values_list("text", flat=True)) == [
        "First reader",
        "Second reader",
    ]


def test_the_plain_form_with_a_forged_key_is_refused_with_the_text_kept(client):
    article, thread = article_thread()
    response = form_post(client, thread, article, "bad key!")
    assert response.status_code == 400
    assert "Idempotency-Key must be 8 to 128 characters" in response.content.decode()
    assert "Posted by a plain form" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_comment_posted_by_a_service_caller_is_unaffected_without_a_key(thread):
    services.comment_post(
        thread=thread, text="No key", author=services.Author("Ada", "ada@example.org")
    )
    services.comment_post(
        thread=thread, text="No key", author=services.Author("Ada", "ada@example.org")
    )
    assert Comment.objects.count() == 2
    assert not IdempotencyKey.objects.exists()

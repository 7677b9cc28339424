"""POST /api/v1/threads/{key}/subscriptions, and "subscribe" on a posted comment."""

import json

import pytest
from django.contrib.auth import get_user_model

from masthead.discussion.tests.factories import article_thread
from masthead.notifications.models import Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread():
    return article_thread("Council minutes")[1]


def api_post(client, path, body, **extra):
    return client.post(
        f"/api/v1{path}", data=json.dumps(body), content_type="application/json", **extra
    )


def test_guest_subscription_answers_202_and_mails_a_confirmation(
    client, thread, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_post(
            client,
            f"/threads/{thread.key}/subscriptions",
            {"email": "api@example.org", "kind": "replies"},
        )
    assert response.status_code == 202
    assert response.json()["status"] == "confirmation_sent"
    assert response.json()["kind"] == "replies"
    (message,) = smtp_server.to("api@example.org")
    assert "new replies to my comments" in message["Subject"]
    subscription = Subscription.objects.get()
    assert (subscription.kind, subscription.confirmed) == ("replies", None)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "nope", "kind": "thread"}, "email"),
        ({"email": "", "kind": "thread"}, "email"),
        ({"email": "a@example.org", "kind": "everything"}, "kind"),
        ({"email": "a@example.org", "kind": "comment", "comment": 999999}, "comment"),
    ],
)
def test_bad_subscription_requests_get_a_field_error(client, thread, body, field):
    response = api_post(client, f"/threads/{thread.key}/subscriptions", body)
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert response.json()["error"]
    assert not Subscription.objects.exists()


def test_unknown_thread_is_404(client, db):
    response = api_post(client, "/threads/999999/subscriptions", {"email": "a@example.org"})
    assert response.status_code == 404


def test_form_encoded_subscription_is_refused(client, thread):
    response = client.post(
        f"/api/v1/threads/{thread.key}/subscriptions", {"email": "a@example.org"}
    )
    assert response.status_code == 400
    assert not Subscription.objects.exists()


def test_too_many_confirmations_is_429_with_a_message(
    client, thread, settings, smtp_server, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_CONFIRMATIONS_PER_ADDRESS = 1
    body = {"email": "again@example.org", "kind": "thread"}
    with django_capture_on_commit_callbacks(execute=True):
        assert api_post(client, f"/threads/{thread.key}/subscriptions", body).status_code == 202
        again = api_post(client, f"/threads/{thread.key}/subscriptions", body)
    assert again.status_code == 429
    assert "last hour" in again.json()["error"]
    assert len(smtp_server.to("again@example.org")) == 1


def test_posting_a_comment_with_subscribe_comment_subscribes_to_its_replies(
    client, thread, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_post(
            client,
            f"/threads/{thread.key}/comments",
            {
                "author_name": "Sam Poster",
                "author_email": "sam@example.org",
                "text": "Tell me when someone answers",
                "subscribe": "comment",
            },
        )
    assert response.status_code == 201
    body = response.json()
    assert body["subscription"]["status"] == "confirmation_sent"
    assert "sam@example.org" not in json.dumps(
        {k: v for k, v in body.items() if k != "subscription"}
    )
    subscription = Subscription.objects.get()
    assert (subscription.kind, subscription.comment_id) == ("comment", body["id"])
    assert len(smtp_server.to("sam@example.org")) == 1


def test_signed_in_reader_subscribes_with_the_account_address(client, thread, smtp_server):
    user = get_user_model().objects.create_user("pat", "pat@example.org", "pw")
    client.force_login(user)
    response = api_post(
        client, f"/threads/{thread.key}/subscriptions", {"kind": "thread", "email": "x@y.org"}
    )
    assert response.status_code == 202
    assert response.json()["status"] == "subscribed"
    subscription = Subscription.objects.get()
    assert subscription.email == "pat@example.org" and subscription.confirmed
    assert smtp_server.messages == []


def test_subscribe_value_outside_the_contract_is_refused_and_nothing_is_posted(client, thread):
    response = api_post(
        client,
        f"/threads/{thread.key}/comments",
        {"author_name": "X", "author_email": "x@example.org", "text": "hi", "subscribe": "all"},
    )
    assert response.status_code == 400
    assert "subscribe" in response.json()["fields"]
    assert thread.comments.count() == 0

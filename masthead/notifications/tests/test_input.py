"""Addresses the SMTP path cannot carry are refused where a subscription comes in."""

import json

import pytest

from masthead.discussion import services as discussion_services
from masthead.discussion.tests.factories import article_thread, guest
from masthead.notifications.models import Subscription
from masthead.notifications.services import comment_subscribers

pytestmark = pytest.mark.django_db

LONG_EMAIL = "a" * 300 + "@example.org"  # 312 characters: valid for Django, longer than SMTP allows


def test_a_subscription_with_a_312_character_email_is_refused(client):
    article, _ = article_thread()

    api = client.post(
        f"/api/v1/threads/{article.pk}/subscriptions",
        json.dumps({"email": LONG_EMAIL}),
        content_type="application/json",
    )
    form = client.post(
        f"/notifications/threads/{article.pk}/subscribe/",
        {"email": LONG_EMAIL, "kind": "thread"},
        HTTP_ORIGIN="http://testserver",
    )

    assert api.status_code == 400 and "email" in api.json()["fields"]
    assert form.status_code == 400 and "at most 254 characters" in form.content.decode()
    assert not Subscription.objects.exists()


def test_a_reply_stored_beside_the_deepest_comment_reaches_that_comments_author(settings):
    settings.DISCUSSION_NESTING_DEPTH = 1
    _, thread = article_thread()
    top = discussion_services.comment_post(thread=thread, text="Top", author=guest("Ann"))
    cat = discussion_services.comment_post(
        thread=thread, text="Deepest", author=guest("Cat"), parent_id=top.pk
    )
    Subscription.objects.create(
        email="cat@example.org",
        kind=Subscription.Kind.REPLIES,
        thread=thread,
        scope=f"thread:{thread.pk}",
        confirmed=cat.created,
    )

    reply = discussion_services.comment_post(
        thread=thread, text="Answering Cat", author=guest("Dan"), parent_id=cat.pk
    )

    assert (reply.parent_id, reply.replied_to_id) == (top.pk, cat.pk)
    assert [s.email for s in comment_subscribers(reply)] == ["cat@example.org"]

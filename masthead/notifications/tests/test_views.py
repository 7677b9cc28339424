"""The "Notify of" form without JavaScript, and the moderators' admin page."""

import pytest
from django.contrib.auth import get_user_model

from masthead.discussion.tests.factories import article_thread
from masthead.notifications.models import Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def article_and_thread():
    return article_thread("Library opening hours")


def test_article_offers_notify_of_with_both_choices_and_a_reply_checkbox(
    client, article_and_thread
):
    article, _thread = article_and_thread
    page = client.get(article.url).content.decode()
    assert 'action="/notifications/threads/' in page
    assert "new follow-up comments" in page and "new replies to my comments" in page
    assert "Notify of new replies to this comment" in page


def test_notify_form_without_javascript_sends_a_confirmation_and_says_so(
    client, article_and_thread, smtp_server, django_capture_on_commit_callbacks
):
    article, thread = article_and_thread
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/notifications/threads/{thread.key}/subscribe/",
            {"kind": "thread", "email": "nojs@example.org", "next": article.url},
            HTTP_ORIGIN="http://testserver",
        )
    assert response.status_code == 302
    assert response["Location"].endswith("?notify=confirmation_sent#comments")
    assert len(smtp_server.to("nojs@example.org")) == 1
    landing = client.get(response["Location"]).content.decode()
    assert "Check your inbox" in landing


def test_notify_form_from_another_site_is_refused(client, article_and_thread, smtp_server):
    article, thread = article_and_thread
    response = client.post(
        f"/notifications/threads/{thread.key}/subscribe/",
        {"kind": "thread", "email": "victim@example.org", "next": article.url},
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert not Subscription.objects.exists() and smtp_server.messages == []


def test_notify_form_with_a_bad_address_shows_the_problem_and_what_was_typed(
    client, article_and_thread
):
    article, thread = article_and_thread
    response = client.post(
        f"/notifications/threads/{thread.key}/subscribe/",
        {"kind": "thread", "email": "not an address", "next": article.url},
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 400
    assert b"valid email address" in response.content
    assert b"not an address" in response.content


def test_moderator_picks_hourly_digest_in_the_admin(client):
    moderator = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw")
    client.force_login(moderator)
    assert client.get("/admin/mail/moderation/").status_code == 200
    response = client.post("/admin/mail/moderation/", {"mode": "digest"})
    assert response.status_code == 302
    subscription = Subscription.objects.get(kind="moderation")
    assert (subscription.email, subscription.digest) == ("ed@example.org", True)
    client.post("/admin/mail/moderation/", {"mode": "off"})
    assert not Subscription.objects.exists()

"""Mails speak the language the reader subscribed in, whoever's request or task sends them.

The catalogs are filled in by translators later, so these tests read what the rendering itself
says about its language: the Content-Language header every mail carries, and the `lang` (and
`dir`) of its HTML part, which the templates take from the language active while rendering.
"""

import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from masthead.discussion.tests.factories import article_thread, guest
from masthead.notifications import delivery, services
from masthead.notifications.models import OutboundMail, Subscription
from masthead.notifications.tests.helpers import confirm_from_mail, html, post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    # A request's middleware leaves its language active in this thread: the next test must
    # not start in Russian.
    yield
    translation.deactivate()


@pytest.fixture
def article_and_thread():
    return article_thread("Tram line extension")


def api_subscribe(client, thread, body: dict, **headers):
    return client.post(
        f"/api/v1/threads/{thread.key}/subscriptions",
        data=json.dumps({"kind": "thread", **body}),
        content_type="application/json",
        **headers,
    )


def test_a_reader_whose_browser_asks_for_russian_gets_every_mail_in_russian(
    client, article_and_thread, smtp_server, django_capture_on_commit_callbacks
):
    _article, thread = article_and_thread
    with django_capture_on_commit_callbacks(execute=True):
        response = api_subscribe(
            client, thread, {"email": "olga@example.org"}, HTTP_ACCEPT_LANGUAGE="ru"
        )
    assert response.status_code == 202
    assert Subscription.objects.get(email="olga@example.org").language == "ru"

    (confirmation,) = smtp_server.to("olga@example.org")
    assert confirmation["Content-Language"] == "ru"
    assert '<html lang="ru" dir="ltr">' in html(confirmation)

    # Confirming from a browser that asks for nothing, then news posted by an English reader,
    # delivered by a task: none of them changes the language the reader chose.
    confirm_from_mail(client, confirmation)
    with translation.override("en"):
        post(thread, "The extension opens in May", capture=django_capture_on_commit_callbacks)
    news = smtp_server.to("olga@example.org")[-1]
    assert "The extension opens in May" in news.get_body(preferencelist=("plain",)).get_content()
    assert news["Content-Language"] == "ru"
    assert '<html lang="ru" dir="ltr">' in html(news)
    assert OutboundMail.objects.get(kind="notification").headers["Content-Language"] == "ru"


def test_the_page_language_the_script_sends_wins_over_the_browsers(
    client, article_and_thread, smtp_server, django_capture_on_commit_callbacks
):
    _article, thread = article_and_thread
    with django_capture_on_commit_callbacks(execute=True):
        response = api_subscribe(
            client,
            thread,
            {"email": "amira@example.org", "language": "ar"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 202
    assert Subscription.objects.get().language == "ar"
    (confirmation,) = smtp_server.to("amira@example.org")
    assert confirmation["Content-Language"] == "ar"
    assert '<html lang="ar" dir="rtl">' in html(confirmation)


def test_a_language_the_site_does_not_speak_falls_back_to_the_readers(
    client, article_and_thread, smtp_server, django_capture_on_commit_callbacks
):
    _article, thread = article_and_thread
    with django_capture_on_commit_callbacks(execute=True):
        api_subscribe(
            client,
            thread,
            {"email": "kai@example.org", "language": "tlh"},
            HTTP_ACCEPT_LANGUAGE="de",
        )
    assert Subscription.objects.get().language == "de"
    (confirmation,) = smtp_server.to("kai@example.org")
    assert confirmation["Content-Language"] == "de"


def test_the_form_without_javascript_carries_its_pages_language(
    client, article_and_thread, smtp_server, django_capture_on_commit_callbacks
):
    article, thread = article_and_thread
    page = client.get(article.url).content.decode()
    assert '<input type="hidden" name="language" value="en">' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/notifications/threads/{thread.key}/subscribe/",
            {"kind": "thread", "email": "ines@example.org", "next": article.url, "language": "pt"},
            HTTP_ORIGIN="http://testserver",
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 302
    assert Subscription.objects.get().language == "pt"
    (confirmation,) = smtp_server.to("ines@example.org")
    assert confirmation["Content-Language"] == "pt"


def test_asking_again_before_confirming_mails_the_new_pages_language_but_a_confirmed_one_stays(
    client, article_and_thread, smtp_server, django_capture_on_commit_callbacks
):
    _article, thread = article_and_thread
    with django_capture_on_commit_callbacks(execute=True):
        api_subscribe(client, thread, {"email": "jan@example.org", "language": "de"})
        api_subscribe(client, thread, {"email": "jan@example.org", "language": "fr"})
    first, second = smtp_server.to("jan@example.org")
    assert (first["Content-Language"], second["Content-Language"]) == ("de", "fr")
    assert Subscription.objects.get().language == "fr"

    confirm_from_mail(client, second)
    with django_capture_on_commit_callbacks(execute=True):
        # Anyone can type an address: a stranger's request in Turkish changes nothing.
        api_subscribe(client, thread, {"email": "jan@example.org", "language": "tr"})
    assert Subscription.objects.get().language == "fr"
    assert len(smtp_server.to("jan@example.org")) == 2


def test_a_digest_is_written_in_its_readers_language(
    article_and_thread, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_MAX_PER_HOUR = 1
    _article, thread = article_and_thread
    Subscription.objects.create(
        thread=thread,
        kind="thread",
        email="busy@example.org",
        scope=f"thread:{thread.pk}",
        confirmed=timezone.now(),
        language="uk",
    )
    for number in range(3):
        post(
            thread,
            f"Update {number}",
            guest(f"Writer {number}"),
            capture=django_capture_on_commit_callbacks,
        )
    OutboundMail.objects.filter(state="sent").update(sent=timezone.now() - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.digests_send() == 1

    digest = smtp_server.to("busy@example.org")[-1]
    # The subject's plural comes from the Ukrainian catalog, not the English words.
    assert "2 коментарі" in digest["Subject"] and "comments" not in digest["Subject"]
    assert digest["Content-Language"] == "uk"
    assert '<html lang="uk" dir="ltr">' in html(digest)


def test_a_moderators_mails_follow_the_language_their_admin_spoke_when_they_chose(
    article_and_thread, smtp_server, settings, django_capture_on_commit_callbacks
):
    moderator = get_user_model().objects.create_user("mod", "mod@example.org", "pw", is_staff=True)
    with translation.override("es"):
        services.moderation_subscription_set(user=moderator, mode="each")
    assert Subscription.objects.get(kind="moderation").language == "es"

    settings.DISCUSSION_SCREEN = "masthead.discussion.tests.screens.HoldEverything"
    _article, thread = article_and_thread
    post(
        thread, "Held for a look", guest("Held Writer"), capture=django_capture_on_commit_callbacks
    )
    (mail,) = smtp_server.to("mod@example.org")
    assert mail["Content-Language"] == "es"


def test_subscriptions_from_before_languages_were_stored_get_the_default_language(
    article_and_thread, smtp_server, django_capture_on_commit_callbacks
):
    _article, thread = article_and_thread
    Subscription.objects.create(
        thread=thread,
        kind="thread",
        email="old@example.org",
        scope=f"thread:{thread.pk}",
        confirmed=timezone.now(),
    )
    with translation.override("fr"):
        post(thread, "Still here", capture=django_capture_on_commit_callbacks)
    (mail,) = smtp_server.to("old@example.org")
    assert mail["Content-Language"] == "en"
    assert '<html lang="en" dir="ltr">' in html(mail)


def test_the_admins_test_mail_is_written_in_the_admins_language(smtp_server):
    with translation.override("hy"):
        result = delivery.check_mail_send(to="ed@example.org", sent_by="Ed")
    assert result.state == "sent"
    (mail,) = smtp_server.to("ed@example.org")
    assert mail["Content-Language"] == "hy"

"""Subscribing, double opt-in, who gets which mail, and unsubscribing — against a real SMTP
server on loopback."""

import re

import pytest
from django.contrib.auth import get_user_model

from masthead.discussion.models import Comment
from masthead.discussion.tests.factories import article_thread, guest
from masthead.notifications import services
from masthead.notifications.models import OutboundMail, Subscription, SuppressedAddress
from masthead.notifications.tests.helpers import (
    confirm_from_mail,
    html,
    links,
    path_of,
    plain,
    post,
    subscribe,
    unsubscribe_link,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread():
    return article_thread("Harbour budget vote")[1]


def subscribed(thread, email, kind="thread", *, client, mailbox, capture, comment=None):
    """Subscribe `email` and confirm it from the mail, as the reader would."""
    subscribe(thread, email, kind, comment=comment, capture=capture)
    (message,) = mailbox.to(email)
    confirm_from_mail(client, message)
    mailbox.clear()


def test_guest_gets_one_confirmation_mail_and_nothing_else_until_confirming(
    thread, smtp_server, client, django_capture_on_commit_callbacks
):
    result = subscribe(thread, "Ana@Example.org", capture=django_capture_on_commit_callbacks)
    assert result.status == "confirmation_sent"

    (message,) = smtp_server.messages
    assert message["To"] == "ana@example.org"
    assert "Harbour budget vote" in message["Subject"]
    assert links(message, "/notifications/confirm/")
    assert "/notifications/confirm/" in html(message)

    post(
        thread,
        "A comment the unconfirmed address must not hear about",
        capture=django_capture_on_commit_callbacks,
    )
    assert len(smtp_server.messages) == 1
    assert not OutboundMail.objects.filter(kind=OutboundMail.Kind.NOTIFICATION).exists()

    confirm_from_mail(client, message)
    assert Subscription.objects.get(email="ana@example.org").confirmed is not None
    post(thread, "Now she hears about this one", capture=django_capture_on_commit_callbacks)
    assert len(smtp_server.to("ana@example.org")) == 2


def test_opening_the_confirmation_link_alone_confirms_nothing(
    thread, smtp_server, client, django_capture_on_commit_callbacks
):
    subscribe(thread, "scanner@example.org", capture=django_capture_on_commit_callbacks)
    (link,) = links(smtp_server.messages[0], "/notifications/confirm/")
    page = client.get(path_of(link))
    assert page.status_code == 200
    assert b"Confirm subscription" in page.content
    assert Subscription.objects.get().confirmed is None


def test_confirming_twice_says_so_and_changes_nothing(
    thread, smtp_server, client, django_capture_on_commit_callbacks
):
    subscribe(thread, "twice@example.org", capture=django_capture_on_commit_callbacks)
    (link,) = links(smtp_server.messages[0], "/notifications/confirm/")
    client.post(path_of(link))
    first = Subscription.objects.get().confirmed
    again = client.post(path_of(link))
    assert again.status_code == 200
    assert b"already subscribed" in again.content
    assert Subscription.objects.get().confirmed == first


def test_forged_and_expired_confirmation_links_give_a_clear_page_and_confirm_nothing(
    thread, smtp_server, client, settings, django_capture_on_commit_callbacks
):
    subscribe(thread, "late@example.org", capture=django_capture_on_commit_callbacks)
    (link,) = links(smtp_server.messages[0], "/notifications/confirm/")
    path = path_of(link)

    forged = client.post(path.replace("/confirm/", "/confirm/x"))
    assert forged.status_code == 400
    assert b"not valid" in forged.content

    tampered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    assert client.post(tampered).status_code == 400

    settings.NOTIFICATIONS_CONFIRM_HOURS = 0
    expired = client.post(path)
    assert expired.status_code == 410
    assert b"expired" in expired.content
    assert Subscription.objects.get().confirmed is None


def test_signed_in_reader_is_subscribed_at_once_with_the_account_address(
    thread, smtp_server, django_capture_on_commit_callbacks
):
    user = get_user_model().objects.create_user("mo", "Mo@Example.org", "pw")
    result = subscribe(thread, "", user=user, capture=django_capture_on_commit_callbacks)
    assert result.status == "subscribed"
    assert result.subscription.email == "mo@example.org"
    assert smtp_server.messages == []  # nothing to confirm

    post(thread, "Hello Mo", capture=django_capture_on_commit_callbacks)
    assert len(smtp_server.to("mo@example.org")) == 1


def test_notification_mail_has_both_parts_the_comment_its_permalink_and_unsubscribe_headers(
    thread, smtp_server, client, django_capture_on_commit_callbacks
):
    subscribed(
        thread,
        "reader@example.org",
        client=client,
        mailbox=smtp_server,
        capture=django_capture_on_commit_callbacks,
    )
    comment = post(
        thread,
        "Tolls **fund** the ferry. <script>alert(1)</script>",
        guest("Bea Critic"),
        capture=django_capture_on_commit_callbacks,
    )
    (message,) = smtp_server.to("reader@example.org")

    assert message.get_content_type() == "multipart/alternative"
    assert "Bea Critic" in message["Subject"] and "Harbour budget vote" in message["Subject"]
    text, body = plain(message), html(message)
    assert "Bea Critic" in text and "Tolls fund the ferry." in text
    assert "<strong>fund</strong>" in body
    assert "<script" not in body  # shown as text, never as markup
    assert "<script>alert(1)</script>" in text  # plain text is not HTML: no entities

    (permalink,) = links(message, f"comment={comment.pk}")
    page = client.get(path_of(permalink))
    assert page.status_code == 200
    assert f'id="comment-{comment.pk}"'.encode() in page.content

    unsubscribe_header = message["List-Unsubscribe"]
    assert "<http" in unsubscribe_header and "<mailto:" in unsubscribe_header
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifications/unsubscribe/" in text


def test_long_comments_are_shortened_with_a_link_to_the_rest(
    thread, smtp_server, client, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_EXCERPT_LENGTH = 80
    subscribed(
        thread,
        "reader@example.org",
        client=client,
        mailbox=smtp_server,
        capture=django_capture_on_commit_callbacks,
    )
    post(thread, "word " * 200 + "THE-END", capture=django_capture_on_commit_callbacks)
    (message,) = smtp_server.to("reader@example.org")
    assert "THE-END" not in plain(message) and "THE-END" not in html(message)
    assert "Read the rest" in plain(message)


def test_each_subscriber_gets_one_mail_per_comment_and_nobody_hears_of_their_own(
    thread, smtp_server, client, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    ana = guest("Ana Author")
    first = post(thread, "My first take", ana, capture=capture)
    for kind in ("thread", "replies"):  # Ana: subscribed both ways
        subscribed(thread, ana.email, kind, client=client, mailbox=smtp_server, capture=capture)
    subscribed(thread, "watcher@example.org", client=client, mailbox=smtp_server, capture=capture)
    subscribed(
        thread,
        "bystander@example.org",
        "comment",
        comment=first,
        client=client,
        mailbox=smtp_server,
        capture=capture,
    )

    post(thread, "A reply to Ana", guest("Ben Replier"), parent=first, capture=capture)
    assert len(smtp_server.to(ana.email)) == 1
    assert "replied to your comment" in smtp_server.to(ana.email)[0]["Subject"]
    assert len(smtp_server.to("watcher@example.org")) == 1
    assert len(smtp_server.to("bystander@example.org")) == 1

    smtp_server.clear()
    post(thread, "Ana adds a thought", ana, capture=capture)
    assert smtp_server.to(ana.email) == []
    assert len(smtp_server.to("watcher@example.org")) == 1


def test_replies_subscription_covers_only_replies_to_the_subscribers_comments(
    thread, smtp_server, client, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    ana = guest("Ana Author")
    subscribed(thread, ana.email, "replies", client=client, mailbox=smtp_server, capture=capture)
    someone = post(thread, "Not Ana's comment", guest("Cy Other"), capture=capture)
    post(thread, "A reply to Cy", guest("Ben Replier"), parent=someone, capture=capture)
    post(thread, "A new top-level comment", guest("Di New"), capture=capture)
    assert smtp_server.to(ana.email) == []


def test_held_comments_notify_subscribers_only_once_published_and_deleted_ones_never(
    thread, smtp_server, client, settings, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    subscribed(thread, "watcher@example.org", client=client, mailbox=smtp_server, capture=capture)

    settings.DISCUSSION_SCREEN = "masthead.discussion.tests.screens.HoldEverything"
    held = post(thread, "Held for review", capture=capture)
    assert held.status == Comment.Status.PENDING
    assert smtp_server.messages == []

    # A mail queued for a comment that is deleted before delivery is cancelled, not sent.
    settings.DISCUSSION_SCREEN = "masthead.discussion.screening.PublishEverything"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    doomed = post(thread, "I will be deleted", guest("Eve Hasty"), capture=capture)
    services.comment_notifications_queue(doomed.pk)
    Comment.objects.filter(pk=doomed.pk).update(status=Comment.Status.DELETED)
    from masthead.notifications.delivery import mail_deliver

    mail = OutboundMail.objects.get(comment=doomed)
    mail_deliver(mail.pk)
    mail.refresh_from_db()
    assert mail.state == OutboundMail.State.CANCELLED
    assert "deleted" in mail.error
    assert smtp_server.messages == []


def test_one_click_unsubscribe_works_without_login_and_stops_the_thread(
    thread, smtp_server, client, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    subscribed(thread, "leaver@example.org", client=client, mailbox=smtp_server, capture=capture)
    post(thread, "First news", capture=capture)
    (message,) = smtp_server.to("leaver@example.org")

    link = unsubscribe_link(message)
    assert client.get(path_of(link)).status_code == 200
    assert Subscription.objects.filter(email="leaver@example.org").exists()  # GET changes nothing

    response = client.post(path_of(link), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.filter(email="leaver@example.org").exists()

    replay = client.post(path_of(link), {"List-Unsubscribe": "One-Click"})
    assert replay.status_code == 200
    smtp_server.clear()
    post(thread, "Second news", capture=capture)
    assert smtp_server.to("leaver@example.org") == []


def test_unsubscribe_from_everything_stops_all_threads_until_a_new_confirmation(
    smtp_server, client, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    first = article_thread("First story")[1]
    second = article_thread("Second story")[1]
    for thread in (first, second):
        subscribed(thread, "all@example.org", client=client, mailbox=smtp_server, capture=capture)
    post(first, "News", capture=capture)
    (message,) = smtp_server.to("all@example.org")

    page = client.get(path_of(unsubscribe_link(message)))
    assert b"everything from" in page.content
    done = client.post(path_of(unsubscribe_link(message)), {"scope": "everything"})
    assert done.status_code == 200 and b"You are unsubscribed" in done.content
    assert SuppressedAddress.objects.filter(email="all@example.org").exists()

    smtp_server.clear()
    post(second, "More news", capture=capture)
    assert smtp_server.to("all@example.org") == []

    subscribed(second, "all@example.org", client=client, mailbox=smtp_server, capture=capture)
    assert not SuppressedAddress.objects.filter(email="all@example.org").exists()


def test_forged_unsubscribe_link_gives_a_clear_page_and_changes_nothing(
    thread, smtp_server, client, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    subscribed(thread, "stay@example.org", client=client, mailbox=smtp_server, capture=capture)
    response = client.post("/notifications/unsubscribe/not-a-token/", {"scope": "everything"})
    assert response.status_code == 400
    assert b"not valid" in response.content
    assert Subscription.objects.filter(email="stay@example.org").exists()


def test_confirmation_mails_are_rate_limited_per_address_and_per_network(
    smtp_server, settings, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    settings.NOTIFICATIONS_CONFIRMATIONS_PER_ADDRESS = 2
    settings.NOTIFICATIONS_CONFIRMATIONS_PER_IP = 3
    threads = [article_thread(f"Story {number}")[1] for number in range(5)]

    for thread in threads[:2]:
        subscribe(thread, "victim@example.org", capture=capture)
    with pytest.raises(services.TooManyRequestsError) as refused:
        subscribe(threads[2], "victim@example.org", capture=capture)
    assert refused.value.status == 429 and refused.value.field == "email"
    assert len(smtp_server.to("victim@example.org")) == 2

    # The same network, other addresses: two more pass (three in all), then it is refused.
    subscribe(threads[0], "other1@example.org", capture=capture)
    with pytest.raises(services.TooManyRequestsError):
        subscribe(threads[0], "other2@example.org", capture=capture)


@pytest.mark.parametrize("email", ["", "not-an-address", "a@b", "x@example.org\nBcc: y@z.org"])
def test_invalid_email_is_a_field_error(thread, email):
    with pytest.raises(services.SubscriptionError) as problem:
        services.subscription_request(thread=thread, kind="thread", email=email)
    assert problem.value.field == "email"
    assert not Subscription.objects.exists()


def test_my_subscriptions_lists_and_cancels_a_signed_in_readers_subscriptions(
    thread, client, django_capture_on_commit_callbacks
):
    user = get_user_model().objects.create_user("lee", "lee@example.org", "pw")
    other = get_user_model().objects.create_user("kim", "kim@example.org", "pw")
    mine = subscribe(thread, "", user=user, capture=django_capture_on_commit_callbacks)
    theirs = subscribe(thread, "", user=other, capture=django_capture_on_commit_callbacks)

    assert client.get("/notifications/subscriptions/").status_code == 302  # sign in first
    client.force_login(user)
    page = client.get("/notifications/subscriptions/")
    assert b"Harbour budget vote" in page.content
    assert f'data-subscription="{theirs.subscription.pk}"'.encode() not in page.content

    assert (
        client.post("/notifications/subscriptions/", {"cancel": theirs.subscription.pk}).status_code
        == 200
    )
    assert Subscription.objects.filter(pk=theirs.subscription.pk).exists()
    client.post("/notifications/subscriptions/", {"cancel": mine.subscription.pk})
    assert not Subscription.objects.filter(pk=mine.subscription.pk).exists()


def test_unsubscribe_by_mail_to_the_list_unsubscribe_mailto_address(
    thread, smtp_server, client, monkeypatch, django_capture_on_commit_callbacks
):
    import io
    import sys
    from email.message import EmailMessage
    from urllib.parse import unquote

    from django.core.management import call_command

    capture = django_capture_on_commit_callbacks
    subscribed(thread, "mailer@example.org", client=client, mailbox=smtp_server, capture=capture)
    post(thread, "News", capture=capture)
    (message,) = smtp_server.to("mailer@example.org")
    mailto = re.search(r"<mailto:([^>]+)>", message["List-Unsubscribe"]).group(1)
    address, query = mailto.split("?", 1)
    assert query.startswith("subject=")

    reply = EmailMessage()
    reply["From"] = "mailer@example.org"
    reply["To"] = address
    reply["Subject"] = unquote(query.removeprefix("subject="))
    reply.set_content("This message was generated by the mail client.")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(reply.as_bytes())))
    call_command("mail_unsubscribe")
    assert not Subscription.objects.filter(email="mailer@example.org").exists()

    keep = Subscription.objects.create(
        thread=thread, kind="thread", email="keep@example.org", scope=f"thread:{thread.pk}"
    )
    forged = EmailMessage()
    forged["Subject"] = "unsubscribe " + "A" * 40 + ":forged:token"
    forged.set_content("x")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(forged.as_bytes())))
    call_command("mail_unsubscribe")  # refuses quietly, changes nothing
    assert Subscription.objects.filter(pk=keep.pk).exists()


def test_a_held_comment_notifies_once_approved_and_an_edit_does_not_notify_again(
    thread, smtp_server, client, settings, django_capture_on_commit_callbacks
):
    from masthead.discussion import services as discussion

    capture = django_capture_on_commit_callbacks
    subscribed(thread, "watcher@example.org", client=client, mailbox=smtp_server, capture=capture)
    settings.DISCUSSION_SCREEN = "masthead.discussion.tests.screens.HoldEverything"
    author = guest("Held Writer")
    held = post(thread, "Awaiting a moderator", author, capture=capture)
    assert smtp_server.to("watcher@example.org") == []

    with capture(execute=True):
        discussion.comment_approve(comment_id=held.pk)
    (message,) = smtp_server.to("watcher@example.org")
    assert "Held Writer" in message["Subject"]
    assert thread.__class__.objects.get(pk=thread.pk).comment_count == 1

    settings.DISCUSSION_SCREEN = "masthead.discussion.screening.PublishEverything"
    with capture(execute=True):
        discussion.comment_edit(comment_id=held.pk, text="Awaiting, edited", author=author)
    assert len(smtp_server.to("watcher@example.org")) == 1

"""Delivery: the outbound log's states, retries, permanent failures, hourly limits, digests,
moderators' mails and the background worker."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from conftest import free_port
from masthead.discussion.models import Comment
from masthead.discussion.tests.factories import article_thread, guest
from masthead.notifications import delivery, services
from masthead.notifications.models import OutboundMail, Subscription
from masthead.notifications.tests.helpers import html, plain, post

pytestmark = pytest.mark.django_db
State = OutboundMail.State


@pytest.fixture
def thread():
    return article_thread("Ferry timetable")[1]


def confirmed(thread, email, kind="thread"):
    return Subscription.objects.create(
        thread=thread, kind=kind, email=email, scope=f"thread:{thread.pk}", confirmed=timezone.now()
    )


def test_sent_mail_records_the_servers_answer(
    thread, smtp_server, django_capture_on_commit_callbacks
):
    confirmed(thread, "log@example.org")
    post(thread, "Logged", capture=django_capture_on_commit_callbacks)
    mail = OutboundMail.objects.get(to="log@example.org")
    assert mail.state == State.SENT
    assert mail.attempts == 1
    assert mail.server_reply.startswith("250 2.0.0 Ok: queued as TEST")
    assert mail.sent is not None


def test_smtp_server_down_leaves_the_comment_posted_and_the_mail_retrying_until_it_is_back(
    thread, smtp_server, settings, django_capture_on_commit_callbacks
):
    confirmed(thread, "patient@example.org")
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there

    comment = post(thread, "Posted while mail is down", capture=django_capture_on_commit_callbacks)
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PUBLISHED
    mail = OutboundMail.objects.get(to="patient@example.org")
    assert mail.state == State.RETRYING
    assert "Could not reach the mail server" in mail.error
    assert mail.next_attempt > timezone.now()
    assert smtp_server.messages == []

    # Not due yet: the sweep leaves it alone.
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.mails_sweep() == 0

    settings.EMAIL_PORT = working_port
    OutboundMail.objects.filter(pk=mail.pk).update(
        next_attempt=timezone.now() - timedelta(minutes=5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.mails_sweep() == 1
    mail.refresh_from_db()
    assert mail.state == State.SENT and mail.attempts == 2
    assert len(smtp_server.to("patient@example.org")) == 1


def test_retries_back_off_and_end_as_failed_after_the_last_attempt(
    thread, settings, smtp_server, django_capture_on_commit_callbacks
):
    assert [delivery.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert delivery.backoff(30) == delivery.MAX_BACKOFF
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    settings.EMAIL_PORT = free_port()
    confirmed(thread, "unlucky@example.org")
    post(thread, "Never arrives", capture=django_capture_on_commit_callbacks)
    mail = OutboundMail.objects.get(to="unlucky@example.org")
    assert mail.state == State.RETRYING

    OutboundMail.objects.filter(pk=mail.pk).update(next_attempt=timezone.now())
    delivery.mail_deliver(mail.pk)
    mail.refresh_from_db()
    assert mail.state == State.FAILED and mail.attempts == 2
    assert "Could not reach the mail server" in mail.error


def test_a_refused_recipient_fails_for_good_with_the_servers_words(
    thread, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.refused["gone@example.org"] = (550, "5.1.1 <gone@example.org>: no such user")
    confirmed(thread, "gone@example.org")
    post(thread, "Bounces", capture=django_capture_on_commit_callbacks)
    mail = OutboundMail.objects.get(to="gone@example.org")
    assert mail.state == State.FAILED and mail.attempts == 1
    assert "550" in mail.error and "no such user" in mail.error


def test_a_busy_server_is_retried(thread, smtp_server, django_capture_on_commit_callbacks):
    smtp_server.refused["busy@example.org"] = (451, "4.3.0 try again later")
    confirmed(thread, "busy@example.org")
    post(thread, "Greylisted", capture=django_capture_on_commit_callbacks)
    mail = OutboundMail.objects.get(to="busy@example.org")
    assert mail.state == State.RETRYING
    assert "451" in mail.error


def test_no_address_gets_more_than_the_hourly_limit_the_rest_waits_for_one_digest(
    thread, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_MAX_PER_HOUR = 2
    confirmed(thread, "busyreader@example.org")
    for number in range(5):
        post(
            thread,
            f"Comment {number}",
            guest(f"Writer {number}"),
            capture=django_capture_on_commit_callbacks,
        )

    assert len(smtp_server.to("busyreader@example.org")) == 2
    waiting = OutboundMail.objects.filter(to="busyreader@example.org", state=State.WAITING)
    assert waiting.count() == 3

    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.digests_send() == 0  # the hour is not over
    assert len(smtp_server.to("busyreader@example.org")) == 2

    OutboundMail.objects.filter(state=State.SENT).update(sent=timezone.now() - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.digests_send() == 1
    messages = smtp_server.to("busyreader@example.org")
    assert len(messages) == 3
    digest = messages[-1]
    assert digest["Subject"].startswith("3 comments")
    for number in (2, 3, 4):
        assert f"Comment {number}" in plain(digest) and f"Writer {number}" in html(digest)
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not OutboundMail.objects.filter(state=State.WAITING).exists()
    assert OutboundMail.objects.filter(state=State.DIGESTED, digest__kind="digest").count() == 3


def test_moderators_get_a_mail_per_held_comment_or_an_hourly_digest(
    thread, smtp_server, settings, django_capture_on_commit_callbacks
):
    users = get_user_model().objects
    each = users.create_user("mod1", "mod1@example.org", "pw", is_staff=True)
    hourly = users.create_user("mod2", "mod2@example.org", "pw", is_staff=True)
    reader = users.create_user("reader", "reader@example.org", "pw")
    services.moderation_subscription_set(user=each, mode="each")
    services.moderation_subscription_set(user=hourly, mode="digest")
    with pytest.raises(services.SubscriptionError):
        services.moderation_subscription_set(user=each, mode="sometimes")
    services.moderation_subscription_set(user=reader, mode="each")  # not staff: never mailed

    settings.DISCUSSION_SCREEN = "masthead.discussion.tests.screens.HoldEverything"
    post(
        thread,
        "Please look at me",
        guest("Held Writer"),
        capture=django_capture_on_commit_callbacks,
    )

    (mail,) = smtp_server.to("mod1@example.org")
    assert "Awaiting moderation" in mail["Subject"]
    assert "Held Writer" in plain(mail) and "Please look at me" in plain(mail)
    assert smtp_server.to("mod2@example.org") == []
    assert smtp_server.to("reader@example.org") == []

    OutboundMail.objects.filter(to="mod2@example.org").update(digest_after=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        delivery.digests_send()
    (digest,) = smtp_server.to("mod2@example.org")
    assert "awaiting moderation" in plain(digest)


def test_test_mail_button_sends_now_and_shows_the_answer_or_the_problem(
    client, smtp_server, settings
):
    admin = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw")
    client.force_login(admin)
    page = client.post("/admin/mail/test/", {"to": "boss@example.org"})
    assert page.status_code == 200
    assert b"queued as TEST" in page.content
    (message,) = smtp_server.to("boss@example.org")
    assert message["Subject"].startswith("Test mail from")

    settings.EMAIL_PORT = free_port()
    failed = client.post("/admin/mail/test/", {"to": "boss@example.org"})
    assert b"Could not reach the mail server" in failed.content
    assert OutboundMail.objects.filter(kind="test", state=State.FAILED).count() == 1

    log = client.get("/admin/mail/?state=failed")
    assert log.status_code == 200
    assert b"Could not reach the mail server" in log.content
    assert b"queued as TEST" not in log.content  # filtered to failed mails


def test_outbound_log_is_for_editors_with_permission_only(client):
    user = get_user_model().objects.create_user("nosy", "nosy@example.org", "pw", is_staff=True)
    client.force_login(user)
    response = client.get("/admin/mail/")
    assert response.status_code in (302, 403)


# Real commits (not the test's rolled-back transaction), so the tasks enqueued after each
# commit reach the queue exactly as they do in production.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_posting_sends_nothing_until_the_worker_runs(smtp_server, settings):
    from masthead.discussion import services as discussion

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    thread = article_thread("Queued story")[1]
    confirmed(thread, "queued@example.org")
    discussion.comment_post(thread=thread, text="Through the queue", author=guest("Quinn"))
    assert smtp_server.messages == []
    assert not OutboundMail.objects.exists()  # even the fan-out waits for the worker

    call_command("worker", batch=True, verbosity=0)
    assert len(smtp_server.to("queued@example.org")) == 1
    assert OutboundMail.objects.get().state == State.SENT


def test_the_log_forgets_finished_mails_after_its_retention_but_never_pending_ones(settings):
    settings.NOTIFICATIONS_LOG_DAYS = 30
    old = timezone.now() - timedelta(days=31)
    for state in (State.SENT, State.FAILED, State.QUEUED, State.RETRYING, State.WAITING):
        mail = OutboundMail.objects.create(
            kind="notification", to=f"{state}@example.org", subject="s", text_body="t", state=state
        )
        OutboundMail.objects.filter(pk=mail.pk).update(created=old)
    OutboundMail.objects.create(
        kind="notification", to="new@example.org", subject="s", text_body="t", state=State.SENT
    )

    assert delivery.outbound_log_prune() == 2
    assert set(OutboundMail.objects.values_list("to", flat=True)) == {
        "queued@example.org",
        "retrying@example.org",
        "waiting@example.org",
        "new@example.org",
    }


def test_scheduler_runs_the_sweep_and_digests_once(thread, smtp_server, settings):
    from masthead.core.periodic import _jobs

    assert {"notifications.mails_sweep", "notifications.digests_send"} <= set(_jobs)
    mail = OutboundMail.objects.create(
        kind="test", to="late@example.org", subject="Stuck", text_body="t", state=State.QUEUED
    )
    OutboundMail.objects.filter(pk=mail.pk).update(created=timezone.now() - timedelta(minutes=5))
    call_command("scheduler", once=True)
    mail.refresh_from_db()
    assert mail.state == State.SENT
    assert len(smtp_server.to("late@example.org")) == 1

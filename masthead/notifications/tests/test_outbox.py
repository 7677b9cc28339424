"""Mail promised by a commit survives a task queue that loses its messages: the outbox row
commits with the comment, and the scheduler's tick hands it to a new task."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from masthead.core import outbox
from masthead.core.models import OutboxEntry
from masthead.core.periodic import periodic_jobs_run
from masthead.discussion import services as discussion
from masthead.discussion.models import Comment
from masthead.discussion.tests.factories import article_thread, guest
from masthead.notifications import services
from masthead.notifications.models import OutboundMail, Subscription
from masthead.notifications.tests.helpers import plain, post

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Accepts every task and never runs one: a Redis that was restarted without its data.
LOSING = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def thread():
    return article_thread("Harbour works")[1]


def follower(thread, email):
    return Subscription.objects.create(
        thread=thread,
        kind="thread",
        email=email,
        scope=f"thread:{thread.pk}",
        confirmed=timezone.now(),
    )


def grace_passes():
    """Move every waiting outbox row's next attempt into the past, as minutes passing would."""
    OutboxEntry.objects.filter(done__isnull=True).update(
        next_attempt=timezone.now() - timedelta(seconds=1)
    )


def scheduler_tick(capture):
    with capture(execute=True):
        periodic_jobs_run()


def test_a_comment_whose_queued_task_was_lost_still_mails_its_subscribers_after_the_tick(
    thread, smtp_server, settings, django_capture_on_commit_callbacks
):
    follower(thread, "follower@example.org")
    settings.TASKS = LOSING
    comment = post(thread, "Lost in the queue", capture=django_capture_on_commit_callbacks)
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PUBLISHED
    assert smtp_server.to("follower@example.org") == []
    assert not OutboundMail.objects.exists()  # the old sweep had nothing to re-send
    (entry,) = OutboxEntry.objects.all()
    assert entry.done is None and entry.args == [comment.pk]

    # The queue is back (empty); within the grace period the tick leaves the row alone.
    settings.TASKS = IMMEDIATE
    scheduler_tick(django_capture_on_commit_callbacks)
    assert smtp_server.to("follower@example.org") == []

    grace_passes()
    scheduler_tick(django_capture_on_commit_callbacks)
    (message,) = smtp_server.to("follower@example.org")
    assert "Lost in the queue" in plain(message)
    entry.refresh_from_db()
    assert entry.done is not None and entry.attempts == 1

    # Later ticks, and the run of the lost task if the queue finds it after all, mail nobody twice.
    grace_passes()
    scheduler_tick(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.outbox_entry_run(entry.pk) is False
    assert len(smtp_server.to("follower@example.org")) == 1


def test_a_held_comment_whose_task_was_lost_still_reaches_the_moderators(
    thread, smtp_server, settings, django_capture_on_commit_callbacks
):
    moderator = get_user_model().objects.create_user("moe", "moe@example.org", "pw", is_staff=True)
    services.moderation_subscription_set(user=moderator, mode="each")
    settings.DISCUSSION_SCREEN = "masthead.discussion.tests.screens.HoldEverything"
    settings.TASKS = LOSING
    post(
        thread, "Please review me", guest("Held Writer"), capture=django_capture_on_commit_callbacks
    )
    assert smtp_server.to("moe@example.org") == []

    settings.TASKS = IMMEDIATE
    grace_passes()
    scheduler_tick(django_capture_on_commit_callbacks)
    (message,) = smtp_server.to("moe@example.org")
    assert "Awaiting moderation" in message["Subject"]
    assert "held by the test screen" in plain(message)


def test_the_outbox_row_commits_with_the_comment_and_rolls_back_with_it(
    thread, django_capture_on_commit_callbacks
):
    class Abandoned(Exception):
        pass

    with (
        pytest.raises(Abandoned),
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        discussion.comment_post(thread=thread, text="Never committed", author=guest())
        assert OutboxEntry.objects.count() == 1  # written inside the comment's transaction
        raise Abandoned
    assert not Comment.objects.exists()
    assert not OutboxEntry.objects.exists()


def test_a_worker_that_died_mid_task_is_replaced_after_its_lease(
    thread, smtp_server, settings, django_capture_on_commit_callbacks
):
    follower(thread, "late@example.org")
    settings.TASKS = LOSING
    post(thread, "Worker crashed", capture=django_capture_on_commit_callbacks)
    # A worker claimed the row, then was killed before it finished.
    OutboxEntry.objects.update(started=timezone.now(), attempts=1)
    settings.TASKS = IMMEDIATE
    grace_passes()
    scheduler_tick(django_capture_on_commit_callbacks)
    assert smtp_server.to("late@example.org") == []  # it may still be running

    OutboxEntry.objects.update(started=timezone.now() - outbox.LEASE - timedelta(seconds=1))
    scheduler_tick(django_capture_on_commit_callbacks)
    assert len(smtp_server.to("late@example.org")) == 1
    assert OutboxEntry.objects.get().attempts == 2

"""The outbox: a failing task is retried with growing waits and given up on after the last
attempt, done rows are forgotten, and only tasks that can be found again are accepted."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from masthead.core import outbox
from masthead.core.models import OutboxEntry

pytestmark = pytest.mark.django_db

calls: list[str] = []
broken = {"yes": True}


@task()
def remember(word: str) -> None:
    if broken["yes"]:
        raise ConnectionError("the search server is down")
    calls.append(word)


@pytest.fixture(autouse=True)
def _fresh():
    calls.clear()
    broken["yes"] = True


def overdue():
    OutboxEntry.objects.update(next_attempt=timezone.now() - timedelta(seconds=1))


def test_a_failing_task_is_retried_with_growing_waits_until_it_works(
    django_capture_on_commit_callbacks,
):
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]
    with django_capture_on_commit_callbacks(execute=True):
        entry = outbox.outbox_add(task=remember, args=["hello"])
    entry.refresh_from_db()
    assert entry.done is None and entry.attempts == 1
    assert "ConnectionError: the search server is down" in entry.error
    assert entry.next_attempt > timezone.now() + timedelta(seconds=50)
    assert outbox.outbox_dispatch_due() == 0  # not due before its wait is over

    broken["yes"] = False
    overdue()
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.outbox_dispatch_due() == 1
    entry.refresh_from_db()
    assert calls == ["hello"]
    assert entry.done is not None and entry.attempts == 2 and entry.error == ""


def test_after_the_last_attempt_the_entry_is_given_up_and_logged(
    settings, caplog, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    with django_capture_on_commit_callbacks(execute=True):
        entry = outbox.outbox_add(task=remember, args=["never"])
    overdue()
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.outbox_dispatch_due() == 1
    assert "failed 2 times; giving up" in caplog.text
    overdue()
    assert outbox.outbox_dispatch_due() == 0
    entry.refresh_from_db()
    assert entry.done is None and entry.attempts == 2 and calls == []


def test_done_entries_are_pruned_after_a_week_pending_ones_never(
    django_capture_on_commit_callbacks,
):
    broken["yes"] = False
    with django_capture_on_commit_callbacks(execute=True):
        done = outbox.outbox_add(task=remember, args=["old"])
        outbox.outbox_add(task=remember, args=["recent"])
    broken["yes"] = True
    waiting = outbox.outbox_add(task=remember, args=["waiting"])  # not committed: no run yet
    OutboxEntry.objects.filter(pk=done.pk).update(done=timezone.now() - timedelta(days=8))
    OutboxEntry.objects.filter(pk=waiting.pk).update(created=timezone.now() - timedelta(days=90))
    assert outbox.outbox_prune() == 1
    assert sorted(OutboxEntry.objects.values_list("args", flat=True)) == [["recent"], ["waiting"]]


def _plain(word: str) -> None:
    calls.append(word)


# Its function's path names the plain function, so a worker could never find this task.
aliased = task()(_plain)


def test_a_task_that_cannot_be_found_by_its_path_is_refused():
    with pytest.raises(ValueError, match="does not name this task"):
        outbox.outbox_add(task=aliased, args=["lost"])
    assert not OutboxEntry.objects.exists()


# Real commits: the worker below runs the task as it would after the comment's commit.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_the_database_queue_the_task_commits_or_rolls_back_with_its_entry(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    broken["yes"] = False
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.outbox_add(task=remember, args=["never stored"])
        raise RuntimeError("the comment's own write failed")
    assert not OutboxEntry.objects.exists() and not DBTaskResult.objects.exists()

    with transaction.atomic():
        entry = outbox.outbox_add(task=remember, args=["kept"])
        # Queued in the same transaction: nothing is left to write once it commits.
        assert DBTaskResult.objects.get().args_kwargs["args"] == [entry.pk]
    call_command("worker", batch=True, verbosity=0)
    entry.refresh_from_db()
    assert calls == ["kept"] and entry.done is not None

"""`masthead serve`: what it starts beside the server, and the server it hands over to."""

import os
import sys

import pytest
from django.core.management import call_command

from masthead.core.management.commands import serve


@pytest.fixture
def started(monkeypatch):
    """Run `serve` without migrating, collecting or exec'ing; return what it would start."""
    record = {"helpers": [], "server": None}
    monkeypatch.setattr(serve, "call_command", lambda *args, **kwargs: None)
    monkeypatch.setattr(
        serve.subprocess, "Popen", lambda arguments: record["helpers"].append(arguments)
    )
    monkeypatch.setattr(serve.os, "execv", lambda path, arguments: record.update(server=arguments))
    monkeypatch.setattr(serve, "open_file_limit_raise", lambda: 4096)
    monkeypatch.setenv("MASTHEAD_THREADS", "4")  # restored after the test
    return record


def supervisor(*helpers: str) -> list[str]:
    parent = ["--parent-pid", str(os.getpid())]
    return [sys.executable, "-m", "masthead.core.supervise", *parent, "--", *helpers]


def test_serve_starts_the_worker_with_its_scheduler_beside_the_asgi_server(started):
    call_command("serve", "--port", "8123", "--threads", "6")

    assert started["helpers"] == [supervisor("worker-with-scheduler")]
    server = started["server"]
    assert server[server.index("--interface") + 1] == "asgi"
    assert server[-1] == "masthead.asgi:application"
    assert server[server.index("--port") + 1] == "8123"
    assert server[server.index("--backpressure") + 1] == "4096"
    assert os.environ["MASTHEAD_THREADS"] == "6"  # the size of Django's thread pool


def test_no_worker_leaves_the_background_worker_to_run_elsewhere(started):
    call_command("serve", "--no-worker")

    assert started["helpers"] == [supervisor("scheduler")]


def test_no_scheduler_leaves_the_worker_alone(started):
    call_command("serve", "--no-scheduler")

    assert started["helpers"] == [supervisor("worker")]


def test_no_scheduler_and_no_worker_start_the_server_alone(started):
    call_command("serve", "--no-scheduler", "--no-worker")

    assert started["helpers"] == []
    assert started["server"] is not None


@pytest.mark.django_db
def test_the_scheduler_leaves_within_seconds_once_its_server_is_gone(monkeypatch):
    import time

    from masthead.core import periodic

    monkeypatch.setattr(periodic, "periodic_jobs_run", lambda: None)
    gone = os.getppid() + 100_000  # a server process that is not this one's parent
    started = time.monotonic()

    call_command("scheduler", "--interval", "60", "--parent-pid", str(gone))

    assert time.monotonic() - started < 5  # not the minute it used to sleep first


# Committed for real (the thread has a connection of its own); the data is restored after.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_runs_the_scheduler_on_a_thread_of_its_own():
    import threading

    from masthead.core import periodic

    ticks, stop = threading.Event(), threading.Event()
    periodic.periodic_job_register("test-tick", ticks.set)
    try:
        thread = periodic.scheduler_thread_start(interval=1, stop=stop)

        assert ticks.wait(timeout=10), "the scheduler thread ran no job"
        assert thread.daemon  # it never keeps a stopping worker alive
        ticks.clear()
        assert ticks.wait(timeout=10), "the scheduler thread ticked only once"
    finally:
        stop.set()
        periodic._jobs.pop("test-tick", None)
    thread.join(timeout=10)
    assert not thread.is_alive()

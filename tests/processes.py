"""Real Masthead processes (servers, workers, commands) on a scratch database of their own.

Tests that need several processes cannot share pytest-django's test database (in memory on
SQLite, inside a transaction on PostgreSQL): they get a fresh one here, on the same kind of
database the test run uses, migrated by the processes themselves.
"""

import os
import subprocess
import sys
import time
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent

# Settings of the test run that must not leak into the child processes.
_PARENT_ONLY = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "MEDIA_ROOT", "STATIC_ROOT", "REDIS_URL"}


@contextmanager
def scratch_environment(folder: Path, **settings: str):
    """Yield environment variables for Masthead processes on a new, empty database.

    With the test run on PostgreSQL (DATABASE_URL=postgres://…), the scratch database is a new
    PostgreSQL database, dropped afterwards; otherwise a SQLite file in `folder`.
    """
    environment = {key: value for key, value in os.environ.items() if key not in _PARENT_ONLY}
    environment.update(
        MASTHEAD_VAR_DIR=str(folder / "var"),
        MASTHEAD_PAGE_CACHE_SECONDS="0",
        # Browsers driven by tests fill forms in milliseconds, faster than the moderation
        # pipeline believes a person can; scratch servers are for people's journeys.
        MODERATION_MIN_FILL_SECONDS="0",
        PYTHONUNBUFFERED="1",
    )
    parent_database = os.environ.get("DATABASE_URL", "")
    if parent_database.startswith(("postgres://", "postgresql://")):
        name = f"masthead_scratch_{uuid.uuid4().hex[:12]}"
        _postgres_admin(parent_database, f'CREATE DATABASE "{name}"')
        environment["DATABASE_URL"] = parent_database.rsplit("/", 1)[0] + f"/{name}"
        try:
            environment.update(settings)
            yield environment
        finally:
            _postgres_admin(parent_database, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        environment["DATABASE_URL"] = f"sqlite:///{folder / 'scratch.sqlite3'}"
        environment.update(settings)
        yield environment


def _postgres_admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement)


def masthead(environment: dict, *arguments: str, timeout: float = 180, check: bool = True):
    """Run `masthead <arguments>` to completion and return the finished process."""
    result = subprocess.run(
        [sys.executable, "-m", "masthead.cli", *arguments],
        env=environment,
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"masthead {' '.join(arguments)} exited with {result.returncode}:\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result


def masthead_start(environment: dict, *arguments: str, log: Path) -> subprocess.Popen:
    """Start `masthead <arguments>` in the background, its output going to `log`."""
    return subprocess.Popen(
        [sys.executable, "-m", "masthead.cli", *arguments],
        env=environment,
        cwd=REPOSITORY,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for_http(url: str, process: subprocess.Popen, *, seconds: float = 120) -> None:
    """Wait until `url` answers, failing early if `process` exits."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - loopback only
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in {seconds} s")


def stop(process: subprocess.Popen) -> None:
    """Stop a process started by masthead_start, and everything it started."""
    import signal

    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)

"""Kept SQLite connections follow the database file at the configured path, and writers take
turns before SQLite's lock (core/sqlite)."""

import contextlib
import fcntl
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from django.db.utils import ConnectionHandler, OperationalError


def handler_for(path, **database) -> ConnectionHandler:
    """Connections of this test's own to the SQLite file at `path`, kept as the site keeps them."""
    return ConnectionHandler(
        {
            "default": {
                "ENGINE": "masthead.core.sqlite",
                "NAME": str(path),
                "CONN_MAX_AGE": 60,
                **database,
            }
        }
    )


@pytest.fixture
def database(tmp_path, django_db_blocker):
    path = tmp_path / "site.sqlite3"
    connection = handler_for(path, CONN_HEALTH_CHECKS=True)["default"]
    with django_db_blocker.unblock():  # a database of this test's own, not the test run's
        yield path, connection
        connection.close()


def new_request(connection) -> None:
    """What Django does to a kept connection between requests (and the task worker between
    tasks): the age and error checks, then the health check at its first use."""
    connection.close_if_unusable_or_obsolete()
    connection.close_if_health_check_failed()


def rows(connection) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM comments ORDER BY text")
        return [text for (text,) in cursor.fetchall()]


def test_a_connection_is_kept_between_requests_while_its_file_stays(database):
    _, connection = database
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE comments (text TEXT)")
        cursor.execute("INSERT INTO comments VALUES ('first')")
    kept = connection.connection

    new_request(connection)

    assert rows(connection) == ["first"]
    assert connection.connection is kept  # no new connection, no PRAGMAs, no checkpoint


def test_after_a_restore_from_backup_writes_go_to_the_restored_file(database, tmp_path):
    path, connection = database
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE comments (text TEXT)")
        cursor.execute("INSERT INTO comments VALUES ('before the backup')")
    backup = sqlite3.connect(tmp_path / "backup.sqlite3")
    sqlite3.connect(path).backup(backup)
    backup.close()
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO comments VALUES ('lost with the old file')")

    # The operator restores last night's backup over the live file.
    (tmp_path / "backup.sqlite3").replace(path)
    new_request(connection)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO comments VALUES ('after the restore')")

    restored = sqlite3.connect(path)
    assert [text for (text,) in restored.execute("SELECT text FROM comments ORDER BY text")] == [
        "after the restore",
        "before the backup",
    ]


def test_a_moved_database_fails_the_next_request_instead_of_writing_nowhere(database, tmp_path):
    path, connection = database
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE comments (text TEXT)")
    path.rename(tmp_path / "elsewhere.sqlite3")
    path.mkdir()  # something SQLite cannot open stands where the file was

    new_request(connection)

    with pytest.raises(OperationalError):
        rows(connection)


# --- Writers take turns before SQLite's lock ----------------------------------------------


@pytest.fixture
def writers_database(tmp_path, django_db_blocker):
    path = tmp_path / "site.sqlite3"
    handler = handler_for(
        path,
        OPTIONS={
            "init_command": "PRAGMA journal_mode=WAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    )
    with django_db_blocker.unblock():
        with handler["default"].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (n INTEGER)")
            cursor.execute("INSERT INTO counter VALUES (0)")
        yield path, handler
        handler.close_all()


@contextlib.contextmanager
def write_transaction(connection):
    """What transaction.atomic does on the way in and out, on a connection of our own."""
    connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    try:
        yield
    except BaseException:
        connection.rollback()
        raise
    else:
        connection.commit()
    finally:
        connection.set_autocommit(True)


def turn_is_free(path) -> bool:
    with open(f"{path}-writers", "a") as other:  # another open file, as another process has
        try:
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(other, fcntl.LOCK_UN)
        return True


def test_a_write_transaction_holds_the_writers_turn_until_it_commits_or_fails(writers_database):
    path, handler = writers_database
    connection = handler["default"]
    with write_transaction(connection):
        connection.cursor().execute("UPDATE counter SET n = n + 1")
        assert not turn_is_free(path)
    assert turn_is_free(path)

    with pytest.raises(ZeroDivisionError), write_transaction(connection):
        connection.cursor().execute("UPDATE counter SET n = n + 1")
        1 / 0  # noqa: B018 - the write fails halfway
    assert turn_is_free(path)
    with connection.cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        assert cursor.fetchone() == (1,)


def test_a_writer_waits_for_another_processs_turn_instead_of_failing(writers_database):
    path, handler = writers_database
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time\n"
            f"f = open({str(path) + '-writers'!r}, 'a')\n"
            "fcntl.flock(f, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\n"
            "time.sleep(0.5)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        connection = handler["default"]
        with write_transaction(connection):
            connection.cursor().execute("UPDATE counter SET n = n + 1")
        assert time.monotonic() - started >= 0.2  # it waited for the other process's turn
    finally:
        holder.wait(timeout=10)
    with connection.cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        assert cursor.fetchone() == (1,)


def test_concurrent_writers_each_get_their_turn_and_lose_no_update(writers_database):
    _, handler = writers_database
    errors = []

    def writer():
        connection = handler["default"]  # each thread has its own connection
        try:
            for _ in range(25):
                with write_transaction(connection), connection.cursor() as cursor:
                    cursor.execute("SELECT n FROM counter")
                    (n,) = cursor.fetchone()
                    cursor.execute("UPDATE counter SET n = %s", [n + 1])
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with handler["default"].cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        assert cursor.fetchone() == (200,)

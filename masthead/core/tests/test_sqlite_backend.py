"""Kept SQLite connections follow the database file at the configured path (core/sqlite)."""

import sqlite3

import pytest
from django.db.utils import ConnectionHandler, OperationalError


@pytest.fixture
def database(tmp_path, django_db_blocker):
    path = tmp_path / "site.sqlite3"
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "masthead.core.sqlite",
                "NAME": str(path),
                "CONN_MAX_AGE": 60,
                "CONN_HEALTH_CHECKS": True,
            }
        }
    )
    connection = handler["default"]
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

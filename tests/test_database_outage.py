"""When the database goes away, a running server answers a clear 503 (never a 500), and it
serves again as soon as the database is back: tried against a real `masthead serve`."""

import json
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import free_port
from tests.processes import masthead, masthead_start, scratch_environment, stop, wait_for_http


def fetch(url: str, data: bytes | None = None) -> tuple[int, object, str]:
    request = urllib.request.Request(  # noqa: S310 - loopback only
        url, data=data, headers={"Content-Type": "application/json"} if data else {}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@contextmanager
def database_gone(environment: dict):
    """Make the scratch database refuse every new connection, then bring it back."""
    url = environment["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        aside = path.with_name(path.name + ".aside")
        path.rename(aside)
        path.mkdir()  # where the file was, something SQLite cannot open
        try:
            yield
        finally:
            path.rmdir()
            aside.rename(path)
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        try:
            yield
        finally:
            connection.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


@pytest.mark.django_db  # for the run's database settings only; the server has its own database
def test_a_server_whose_database_is_gone_answers_503_and_recovers(tmp_path):
    with scratch_environment(tmp_path) as environment:
        masthead(environment, "migrate", "--no-input", timeout=300)
        masthead(environment, "demo", timeout=600)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        process = masthead_start(
            environment,
            "serve", "--skip-migrate", "--no-scheduler", "--no-worker",
            "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
            log=tmp_path / "serve.log",
        )  # fmt: skip
        try:
            wait_for_http(f"{base}/robots.txt", process)
            status, _, _ = fetch(base + "/")
            assert status == 200
            comment = {"author_name": "Ada", "author_email": "ada@example.org", "text": "Hello."}

            with database_gone(environment):
                page_status, page_headers, page = fetch(base + "/")
                api_status, api_headers, api = fetch(base + "/api/v1/threads/1/count")
                post_status, _, posted = fetch(
                    base + "/api/v1/threads/1/comments", json.dumps(comment).encode()
                )

            assert page_status == 503, page[:500]
            assert page_headers["Retry-After"] == "30"
            assert "cannot reach its database" in page
            assert api_status == 503
            assert json.loads(api)["code"] == "unavailable"
            assert api_headers["Retry-After"] == "30"
            assert post_status == 503, posted[:500]

            status, _, _ = fetch(base + "/")
            assert status == 200
        finally:
            stop(process)

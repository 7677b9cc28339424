"""Test-run configuration shared by every test package.

Speed-ups and isolation for tests live here, not in a second settings module. Services a run
cannot reach (PostgreSQL named by DATABASE_URL, Debian's Chromium) skip the tests that need
them with the reason, except under MASTHEAD_REQUIRE_SERVICES=1, where they fail the run.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse ORM
# calls made by the test itself.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_PATH = os.environ.get("MASTHEAD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def services_required() -> bool:
    """Return whether a missing service must fail the run instead of skipping tests."""
    return os.environ.get("MASTHEAD_REQUIRE_SERVICES", "").strip().lower() in {"1", "true", "yes"}


def _database_problem() -> str | None:
    from django.conf import settings

    database = settings.DATABASES["default"]
    if not settings.DATABASE_IS_POSTGRES:
        return None
    # A direct connection: pytest-django blocks the ORM's outside tests.
    import psycopg

    try:
        psycopg.connect(
            host=database.get("HOST") or None,
            port=database.get("PORT") or None,
            user=database.get("USER") or None,
            password=database.get("PASSWORD") or None,
            dbname=database.get("NAME") or "postgres",
            connect_timeout=5,
        ).close()
    except psycopg.Error as error:
        return f"PostgreSQL named by DATABASE_URL is not reachable: {error}".strip()
    return None


# Tests use a Redis database named here only when the operator says so (and empty it before
# each test that asks for it); otherwise the run starts a redis-server of its own on a free
# port and stops it at the end, so a Redis running on this machine is never touched.
REDIS_URL = os.environ.get("MASTHEAD_TEST_REDIS_URL", "").strip()


def _redis_problem() -> str | None:
    if not REDIS_URL:
        if not shutil.which("redis-server"):
            return "redis-server is not on PATH (apt-get install redis-server)"
        return None
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return f"Redis at MASTHEAD_TEST_REDIS_URL={REDIS_URL} is not reachable: {error}"
    return None


class RedisServer:
    """A redis-server of the test run's own, on a free loopback port, without persistence."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        import subprocess
        import time

        import redis

        # --daemonize no: the process is this object's, stopped by its pid and nothing else.
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.05)
            finally:
                client.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


def _chromium_problem() -> str | None:
    if not Path(CHROMIUM_PATH).exists():
        return f"Chromium not found at {CHROMIUM_PATH} (apt-get install chromium)"
    return None


def pytest_configure(config):
    from django.conf import settings
    from django.test.utils import override_settings

    scratch = Path(tempfile.mkdtemp(prefix="masthead-tests-"))
    config._masthead_scratch = scratch
    (scratch / "static").mkdir()
    # override_settings (not plain assignment) sends setting_changed, so cached storages reset.
    config._masthead_overrides = override_settings(
        MEDIA_ROOT=scratch / "media",
        STATIC_ROOT=scratch / "static",
        VAR_DIR=scratch,
        # Plain storage: the manifest one needs `collectstatic`, which unit tests do not run.
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "renditions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        },
        # Tasks (Wagtail's index updates, mail) run where they are enqueued, except in tests
        # that switch to the database queue to check that a worker does the work.
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    )
    config._masthead_overrides.enable()


def pytest_unconfigure(config):
    overrides = getattr(config, "_masthead_overrides", None)
    if overrides:
        overrides.disable()
    scratch = getattr(config, "_masthead_scratch", None)
    if scratch:
        shutil.rmtree(scratch, ignore_errors=True)


def _uses_database(item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    return bool(
        item.get_closest_marker("django_db") or names & {"db", "transactional_db", "live_server"}
    )


def pytest_collection_modifyitems(config, items):
    needs = {
        "database": [item for item in items if _uses_database(item)],
        "browser": [item for item in items if item.get_closest_marker("browser")],
        "redis": [item for item in items if item.get_closest_marker("redis")],
        "java": [item for item in items if item.get_closest_marker("java")],
        "gettext": [item for item in items if item.get_closest_marker("gettext")],
    }
    checks = {
        "database": _database_problem,
        "browser": _chromium_problem,
        "redis": _redis_problem,
        "java": lambda: None if shutil.which("java") else "Java is not installed",
        "gettext": lambda: None if shutil.which("xgettext") else "GNU gettext is not installed",
    }
    problems = {kind: checks[kind]() if needs[kind] else None for kind in needs}
    for kind, problem in problems.items():
        if not problem:
            continue
        if services_required():
            raise pytest.UsageError(f"MASTHEAD_REQUIRE_SERVICES=1 but {problem}")
        for item in needs[kind]:
            item.add_marker(pytest.mark.skip(reason=problem))


@pytest.fixture(autouse=True)
def _empty_cache(monkeypatch):
    """Start every test with an empty cache: cached pages must not leak between tests.

    Nor an outage: a test that makes the shared cache fail leaves this process skipping it for
    a few seconds and counting rate limits in its own counters, which the next test would
    inherit (a guest's sixth comment refused as a flood).
    """
    from django.core.cache import cache

    from masthead.core import pagecache, ratelimit, sharedcache

    cache.clear()
    monkeypatch.setattr(sharedcache, "_health", sharedcache._Health())
    ratelimit._process_counters.clear()
    # Tag versions kept from another test's cache (and its Redis listener) are not this one's.
    pagecache.tag_versions_forget()
    yield
    pagecache.tag_versions_forget()


@pytest.fixture(scope="session")
def redis_server_url(tmp_path_factory):
    """Address of the run's own redis-server (or of MASTHEAD_TEST_REDIS_URL, when set)."""
    if REDIS_URL:
        yield REDIS_URL
        return
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server_url) -> str:
    """Address of a scratch Redis database, emptied before the test (it is the run's own, or
    the one the operator named in MASTHEAD_TEST_REDIS_URL)."""
    import redis

    redis.Redis.from_url(redis_server_url).flushdb()
    return redis_server_url


class Mailbox:
    """What a real SMTP server on loopback received, parsed as the recipient would see it."""

    def __init__(self):
        import threading

        self.messages = []
        self.envelopes = []
        self.refused = {}  # address -> (code, text) the server answers at RCPT
        self._lock = threading.Lock()

    def to(self, address: str) -> list:
        with self._lock:
            return [m for m in self.messages if address.lower() in m["To"].lower()]

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()
            self.envelopes.clear()


class _MailboxHandler:
    def __init__(self, mailbox: Mailbox):
        self.mailbox = mailbox
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        refusal = self.mailbox.refused.get(address.lower())
        if refusal:
            return f"{refusal[0]} {refusal[1]}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.mailbox._lock:
            self.count += 1
            self.mailbox.messages.append(message)
            self.mailbox.envelopes.append(envelope)
        return f"250 2.0.0 Ok: queued as TEST{self.count:04d}"


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on loopback, with Masthead's SMTP settings pointing at it."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    port = free_port()
    controller = Controller(_MailboxHandler(mailbox), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "masthead.notifications.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    mailbox.port = port
    mailbox.controller = controller
    yield mailbox
    controller.stop()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request's language stays active in its thread."""
    from django.utils import translation

    yield
    translation.deactivate()

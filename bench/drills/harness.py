"""What every drill needs: its own Redis, its own mail server, its own database and a real
`masthead serve`, started and stopped here, so a drill never touches a service it did not start.

The database follows the shell: a scratch PostgreSQL database (created, then dropped) when
DATABASE_URL names a PostgreSQL server, otherwise a SQLite file in a temporary folder.
"""

import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPOSITORY))

from conftest import Mailbox, _MailboxHandler, free_port  # noqa: E402
from tests.processes import masthead, scratch_environment, stop, wait_for_http  # noqa: E402


def say(*parts) -> None:
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


class OwnRedis:
    """A redis-server on a free port that this drill starts, stops and starts again."""

    def __init__(self):
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        # Nothing on disk: a restart comes back empty, as after a lost machine.
        command = [
            shutil.which("redis-server") or "/usr/bin/redis-server",
            "--port",
            str(self.port),
        ]
        command += ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(  # noqa: S603 - Debian's redis-server, fixed arguments
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        import redis

        for _ in range(100):
            try:
                redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
                return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("the drill's redis-server did not start")

    def kill(self) -> None:
        """Stop it the hard way, as a crash or a lost machine would: what it held is gone."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@contextmanager
def own_smtp():
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    mailbox.port = free_port()
    controller = Controller(_MailboxHandler(mailbox), hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    mailbox.controller = controller
    try:
        yield mailbox
    finally:
        controller.stop()


@contextmanager
def site(*, redis: OwnRedis | None, mailbox: Mailbox, demo: bool = True, **settings: str):
    """Yield (environment, folder) for a migrated Masthead on a scratch database."""
    folder = Path(tempfile.mkdtemp(prefix="masthead-drill-"))
    try:
        with scratch_environment(folder, **settings) as environment:
            environment.update(
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=str(mailbox.port),
                DEFAULT_FROM_EMAIL="Drill <news@example.org>",
                NOTIFICATIONS_MAX_PER_HOUR="1000000",
                MASTHEAD_PAGE_CACHE_SECONDS=settings.get("MASTHEAD_PAGE_CACHE_SECONDS", "300"),
            )
            if redis is not None:
                environment["REDIS_URL"] = redis.url
            say("migrating a scratch database" + (" and loading the demo outlet" if demo else ""))
            masthead(environment, "migrate", "--no-input", timeout=600)
            if demo:
                masthead(environment, "demo", timeout=600)
            yield environment, folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class Server:
    """`masthead serve` with its worker and scheduler, in a process group of its own."""

    def __init__(self, environment: dict, folder: Path, *arguments: str):
        self.environment = environment
        self.folder = folder
        self.arguments = arguments
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        from tests.processes import masthead_start

        self.starts += 1
        self.process = masthead_start(
            self.environment,
            "serve",
            "--skip-migrate",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            "1",
            *self.arguments,
            log=self.folder / f"serve-{self.starts}.log",
        )
        wait_for_http(f"http://127.0.0.1:{self.port}/robots.txt", self.process, seconds=180)

    def kill(self) -> None:
        """kill -9 the server, its worker and its scheduler at once."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process:
            stop(self.process)

    def log(self) -> str:
        return "".join(
            path.read_text(errors="replace") for path in sorted(self.folder.glob("serve-*.log"))
        )


class Client:
    """A reader's HTTP client: keeps cookies, never raises for a status."""

    def __init__(self, port: int, *, address: str = ""):
        self.port = port
        self.cookies: dict[str, str] = {}
        # The reader's address, as the trusted proxy in front would pass it on.
        self.address = address

    def request(self, method: str, path: str, body=None, headers=None, timeout=15):
        """Return (status, parsed JSON or text); status 0 when the server could not be reached."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = dict(headers or {})
        if self.address:
            headers["X-Forwarded-For"] = self.address
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None and not isinstance(body, (bytes, str)):
            body = json.dumps(body)
            headers.setdefault("Content-Type", "application/json")
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException):
            return 0, None
        finally:
            connection.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        text = payload.decode("utf-8", "replace")
        if response.getheader("Content-Type", "").startswith("application/json"):
            try:
                return response.status, json.loads(text)
            except ValueError:
                pass
        return response.status, text


class Poster(threading.Thread):
    """Posts comments to a thread until told to stop; retries each one with the same
    Idempotency-Key until the server acknowledges it, as a careful client would."""

    def __init__(self, port: int, key: str, name: str, phase, *, pause: float = 0.05):
        super().__init__(daemon=True)
        self.client = Client(port)
        self.key = key
        self.name_ = name
        self.phase = phase  # callable returning the drill's current phase name
        self.pause = pause
        self.stopping = threading.Event()
        self.statuses: dict[str, Counter] = {}
        self.acknowledged: list[tuple[int, str]] = []  # (comment id, text)
        self.abandoned: list[str] = []

    def run(self) -> None:
        number = 0
        while not self.stopping.is_set():
            number += 1
            text = f"Drill comment {self.name_}-{number}: the harbour budget needs a vote."
            idempotency_key = uuid.uuid4().hex
            for _attempt in range(40):
                status, answer = self.client.request(
                    "POST",
                    f"/api/v1/threads/{self.key}/comments",
                    {
                        "author_name": f"Poster {self.name_}",
                        "author_email": f"poster-{self.name_}@example.org",
                        "text": text,
                    },
                    headers={"Idempotency-Key": idempotency_key},
                )
                self.statuses.setdefault(self.phase(), Counter())[status] += 1
                if status == 201:
                    self.acknowledged.append((answer["id"], text))
                    break
                if 400 <= status < 500 and status != 429:
                    self.abandoned.append(f"{status} {str(answer)[:120]}")
                    break
                time.sleep(0.5)
            else:
                self.abandoned.append("gave up after 40 attempts")
            time.sleep(self.pause)


class Reader(threading.Thread):
    """Reads pages and the comments API until told to stop, counting statuses per phase."""

    def __init__(self, port: int, paths: list[str], phase):
        super().__init__(daemon=True)
        self.client = Client(port)
        self.paths = paths
        self.phase = phase
        self.stopping = threading.Event()
        self.statuses: dict[str, Counter] = {}

    def run(self) -> None:
        while not self.stopping.is_set():
            for path in self.paths:
                status, _ = Client(self.client.port).request("GET", path)
                self.statuses.setdefault(self.phase(), Counter())[status] += 1
            time.sleep(0.05)


def merge(counters: list[dict[str, Counter]]) -> dict[str, Counter]:
    merged: dict[str, Counter] = {}
    for counter in counters:
        for phase, statuses in counter.items():
            merged.setdefault(phase, Counter()).update(statuses)
    return merged


def shell(environment: dict, code: str) -> str:
    return masthead(environment, "shell", "-c", code, timeout=300).stdout


SEED = """
from django.utils import timezone
from masthead.discussion import services
from masthead.notifications.models import Subscription
from masthead.publishing.models import ArticlePage
article = ArticlePage.objects.live().order_by("pk").first()
# A thread of its own, so the demo's followers do not blur the count of mails.
thread = services.thread_for_url("https://drill.example.org/story", title="Drill story")
for n in range({subscribers}):
    Subscription.objects.get_or_create(
        thread=thread, kind="thread", email=f"follower{{n}}@example.org",
        scope=f"thread:{{thread.pk}}", defaults={{"confirmed": timezone.now()}})
print("thread", thread.key, article.url if article else "/")
"""


def seed(environment: dict, *, subscribers: int) -> tuple[str, str]:
    """Give the first article's thread confirmed subscribers; return (thread key, article path)."""
    line = next(
        line
        for line in shell(environment, SEED.format(subscribers=subscribers)).splitlines()
        if line.startswith("thread ")
    )
    _, key, *path = line.split()
    return key, (path[0] if path else "/")


STORED = """
import json
from collections import Counter
from masthead.discussion.models import Comment
from masthead.notifications.models import OutboundMail
texts = Counter(Comment.objects.filter(text__startswith="Drill comment").values_list("text", flat=True))
mails = Counter(OutboundMail.objects.values_list("state", flat=True))
print("STORED", json.dumps({"comments": sum(texts.values()), "distinct": len(texts),
      "duplicated": [t for t, n in texts.items() if n > 1][:5], "mail_states": mails}))
"""


def stored(environment: dict) -> dict:
    output = shell(environment, STORED)
    return json.loads(output.split("STORED ", 1)[1].splitlines()[0])


def wait_for_mail(mailbox: Mailbox, expected: int, *, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and len(mailbox.messages) < expected:
        time.sleep(1)
    return len(mailbox.messages)


def mails_per_comment(mailbox: Mailbox, texts: list[str]) -> Counter:
    """How many mails each acknowledged comment produced (0 = lost, >subscribers = duplicates)."""
    bodies = []
    for message in list(mailbox.messages):
        part = message.get_body(("plain",))
        bodies.append(part.get_content() if part else "")
    return Counter(sum(text in body for body in bodies) for text in texts)


def print_statuses(title: str, statuses: dict[str, Counter], phases: list[str]) -> None:
    say(title)
    for phase in phases:
        counts = statuses.get(phase, Counter())
        line = ", ".join(f"{status or 'no answer'}: {n}" for status, n in sorted(counts.items()))
        print(f"    {phase:<12} {line or '-'}")

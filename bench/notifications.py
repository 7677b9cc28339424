"""Mail throughput: one comment on a thread with N confirmed subscribers, through the real
queue and worker, into a real SMTP server on loopback.

    .venv/bin/python bench/notifications.py --subscribers 1000 [--queue database|redis]

Reports how long posting the comment took (it only queues work), how long the worker took to
fan out and deliver every mail, and mails per second. Uses a scratch SQLite database in a
temporary folder (or DATABASE_URL's server when it is set), never your own.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))

SETUP = """
from django.utils import timezone
from masthead.discussion import services
from masthead.notifications.models import Subscription
thread = services.thread_for_url("https://bench.example.org/story", title="Bench story")
Subscription.objects.bulk_create(
    Subscription(thread=thread, kind="thread", email=f"reader{{n}}@example.org",
                 scope=f"thread:{{thread.pk}}", confirmed=timezone.now())
    for n in range({count})
)
"""

POST = """
import time
from masthead.discussion import services
thread = services.thread_for_url("https://bench.example.org/story")
started = time.perf_counter()
services.comment_post(thread=thread, text="A comment for everyone",
                      author=services.Author(name="Bench", email="bench@example.org", reader="b"))
print(f"post-seconds {time.perf_counter() - started:.4f}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--queue", choices=["database", "redis"], default="database")
    arguments = parser.parse_args()

    from aiosmtpd.controller import Controller

    from conftest import Mailbox, _MailboxHandler, free_port

    mailbox = Mailbox()
    port = free_port()
    controller = Controller(_MailboxHandler(mailbox), hostname="127.0.0.1", port=port)
    controller.start()
    folder = Path(tempfile.mkdtemp(prefix="masthead-bench-mail-"))
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}},
        "MASTHEAD_VAR_DIR": str(folder),
        "MASTHEAD_TASK_QUEUE": arguments.queue,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "NOTIFICATIONS_MAX_PER_HOUR": "1000000",
    }
    environment.setdefault("DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}")
    redis_server = None
    if arguments.queue == "redis" and "REDIS_URL" not in environment:
        # A redis-server of the benchmark's own: a Redis already on this machine is not ours.
        from conftest import RedisServer

        redis_server = RedisServer(folder)
        redis_server.start()
        environment["REDIS_URL"] = redis_server.url

    def masthead(*args):
        return subprocess.run(  # noqa: S603 - our own command
            [sys.executable, "-m", "masthead.cli", *args],
            env=environment,
            cwd=REPOSITORY,
            check=True,
            capture_output=True,
            text=True,
        )

    masthead("migrate", "--no-input")
    masthead("shell", "-c", SETUP.format(count=arguments.subscribers))
    posted = masthead("shell", "-c", POST).stdout
    post_seconds = float(posted.split("post-seconds ")[1].split()[0])

    started = time.perf_counter()
    masthead("worker", "--batch")
    worker_seconds = time.perf_counter() - started
    received = len(mailbox.messages)
    controller.stop()
    if redis_server:
        redis_server.stop()

    print(f"queue: {arguments.queue}, subscribers: {arguments.subscribers}")
    print(f"posting the comment (queues the fan-out only): {post_seconds * 1000:.1f} ms")
    print(f"worker: fan-out + delivery of {received} mails in {worker_seconds:.1f} s")
    print(
        f"throughput: {received / worker_seconds:.0f} mails/s (one worker, one SMTP connection per mail)"
    )


if __name__ == "__main__":
    main()

"""Mail goes out from `masthead worker`, never from the process that posted the comment: on
the embedded database queue and on the distributed Redis queue (RQ), with real processes."""

import time

import pytest

from conftest import REDIS_URL
from tests.processes import masthead, scratch_environment

POST_A_COMMENT = """
from django.utils import timezone
from masthead.discussion import services
from masthead.notifications.models import OutboundMail, Subscription

thread = services.thread_for_url("https://elsewhere.example.org/story", title="Queue story")
Subscription.objects.create(
    thread=thread, kind="thread", email="follower@example.org", scope=f"thread:{thread.pk}",
    confirmed=timezone.now(),
)
services.comment_post(
    thread=thread, text="Posted from another process", author=services.Author(
        name="Poster", email="poster@example.org", reader="r1"),
)
print("mails-created", OutboundMail.objects.count())
"""


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("queues")
    with scratch_environment(folder) as environment:
        masthead(environment, "migrate", "--no-input", timeout=300)
        yield environment


@pytest.mark.redis
@pytest.mark.parametrize("queue", ["database", "redis"])
@pytest.mark.django_db  # only for the smtp_server fixture's settings; the processes use their own
def test_worker_delivers_what_the_posting_process_queued(migrated, queue, smtp_server):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    environment = dict(
        migrated,
        MASTHEAD_TASK_QUEUE=queue,
        REDIS_URL=REDIS_URL,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_server.port),
        DEFAULT_FROM_EMAIL="Queue Test <news@example.org>",
    )
    posting = masthead(environment, "shell", "-c", POST_A_COMMENT)
    # The posting process only queued the work: not even the mail's row exists yet.
    assert "mails-created 0" in posting.stdout
    time.sleep(0.5)
    assert smtp_server.to("follower@example.org") == []

    masthead(environment, "worker", "--batch", timeout=120)
    (message,) = smtp_server.to("follower@example.org")
    assert "Queue story" in message["Subject"]
    assert message["From"] == "Queue Test <news@example.org>"
    assert "Posted from another process" in message.get_body(("plain",)).get_content()

    log = masthead(
        environment,
        "shell",
        "-c",
        "from masthead.notifications.models import OutboundMail as M; "
        "mails = M.objects.filter(to='follower@example.org'); "
        "print([(m.state, m.server_reply[:3]) for m in mails])",
    )
    assert "('sent', '250')" in log.stdout
    masthead(
        environment,
        "shell",
        "-c",
        "from masthead.notifications.models import OutboundMail, Subscription; "
        "OutboundMail.objects.all().delete(); Subscription.objects.all().delete()",
    )

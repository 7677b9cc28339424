"""Mail goes out from `masthead worker`, never from the process that posted the comment: on
the embedded database queue and on the distributed Redis queue (RQ), with real processes."""

import time

import pytest

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
def test_worker_delivers_what_the_posting_process_queued(migrated, queue, smtp_server, redis_url):
    environment = dict(
        migrated,
        MASTHEAD_TASK_QUEUE=queue,
        REDIS_URL=redis_url,
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


OUTBOX_OVERDUE = """
from datetime import timedelta
from django.utils import timezone
from masthead.core.models import OutboxEntry
print("overdue", OutboxEntry.objects.filter(done__isnull=True).update(
    next_attempt=timezone.now() - timedelta(seconds=1)))
"""


@pytest.mark.redis
@pytest.mark.django_db  # only for the smtp_server fixture's settings; the processes use their own
def test_comments_whose_redis_tasks_were_lost_are_mailed_after_the_schedulers_tick(
    migrated, smtp_server, redis_url
):
    import redis

    environment = dict(
        migrated,
        MASTHEAD_TASK_QUEUE="redis",
        REDIS_URL=redis_url,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_server.port),
    )
    masthead(environment, "shell", "-c", POST_A_COMMENT)
    # Redis restarted without its data: the queued task is gone (this database is the test's own).
    redis.Redis.from_url(redis_url).flushdb()
    masthead(environment, "worker", "--batch", timeout=120)
    assert smtp_server.to("follower@example.org") == []

    # The scheduler's tick after the grace period hands the promise to a new task.
    assert "overdue 1" in masthead(environment, "shell", "-c", OUTBOX_OVERDUE).stdout
    masthead(environment, "scheduler", "--once", timeout=120)
    masthead(environment, "worker", "--batch", timeout=120)
    (message,) = smtp_server.to("follower@example.org")
    assert "Posted from another process" in message.get_body(("plain",)).get_content()

    # Further ticks find nothing left to do and mail nobody twice.
    assert "overdue 0" in masthead(environment, "shell", "-c", OUTBOX_OVERDUE).stdout
    masthead(environment, "scheduler", "--once", timeout=120)
    masthead(environment, "worker", "--batch", timeout=120)
    assert len(smtp_server.to("follower@example.org")) == 1
    masthead(
        environment,
        "shell",
        "-c",
        "from masthead.core.models import OutboxEntry; "
        "from masthead.notifications.models import OutboundMail, Subscription; "
        "OutboundMail.objects.all().delete(); Subscription.objects.all().delete(); "
        "OutboxEntry.objects.all().delete()",
    )

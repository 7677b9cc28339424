"""Discussion's signals become live events, published after the transaction commits."""

import asyncio
import threading

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from masthead.discussion import services
from masthead.discussion.tests.factories import article_thread, guest
from masthead.live.broker import Broker, MemoryBroker, broker_set, frame_encode

pytestmark = pytest.mark.django_db


class RecordingBroker(Broker):
    """A broker that keeps what it was asked to publish."""

    def __init__(self, fail: bool = False):
        super().__init__()
        self.published = []
        self.fail = fail

    def publish(self, key, event, data):
        if self.fail:
            raise RedisConnectionError("Redis is down")
        self.published.append((key, event, data))


@pytest.fixture
def recorder():
    broker = RecordingBroker()
    previous = broker_set(broker)
    yield broker
    broker_set(previous)


def test_posting_a_comment_publishes_it_with_the_fresh_count_after_commit(
    recorder, django_capture_on_commit_callbacks
):
    _, thread = article_thread()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.comment_post(thread=thread, text="First", author=guest("Ada Guest"))
        assert recorder.published == []  # nothing leaves before the commit
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.comment_post(
            thread=thread, text="A reply", author=guest("Bo Guest"), parent_id=first.pk
        )

    # One event per comment, carrying the count: no second "count" event saying it again.
    assert recorder.published == [
        (thread.key, "comment", {"id": first.pk, "parent": None, "count": 1}),
        (thread.key, "comment", {"id": reply.pk, "parent": first.pk, "count": 2}),
    ]


def test_a_held_comment_is_not_announced_and_leaves_the_count_alone(
    recorder, settings, django_capture_on_commit_callbacks
):
    settings.DISCUSSION_SCREEN = "masthead.discussion.tests.screens.HoldEverything"
    _, thread = article_thread()

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(thread=thread, text="Held", author=guest())

    assert recorder.published == [(thread.key, "count", {"count": 0})]


def test_deleting_a_comment_publishes_the_lower_count(recorder, django_capture_on_commit_callbacks):
    _, thread = article_thread()
    author = guest()
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_post(thread=thread, text="Oops", author=author)
    recorder.published.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_delete(comment_id=comment.pk, author=author)

    assert recorder.published == [(thread.key, "count", {"count": 0})]


def test_a_broker_failure_costs_the_live_update_not_the_comment(
    django_capture_on_commit_callbacks, caplog
):
    previous = broker_set(RecordingBroker(fail=True))
    try:
        _, thread = article_thread()
        with django_capture_on_commit_callbacks(execute=True):
            comment = services.comment_post(thread=thread, text="Still here", author=guest())
    finally:
        broker_set(previous)

    comment.refresh_from_db()
    assert comment.status == "published"
    assert "could not publish comment" in caplog.text


def test_a_comment_posted_on_a_request_thread_reaches_a_stream_on_the_server_loop(
    django_capture_on_commit_callbacks,
):
    """The memory broker's path: a sync thread hands the event to the loop thread."""
    _, thread = article_thread()
    broker = MemoryBroker()
    previous = broker_set(broker)
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    received = []

    async def reader():
        await broker.start()
        with broker.subscribe(thread.key) as subscription:
            ready.set()
            received.append(await subscription.next(5))

    server = threading.Thread(target=loop.run_until_complete, args=(reader(),))
    server.start()
    try:
        assert ready.wait(5)
        with django_capture_on_commit_callbacks(execute=True):
            comment = services.comment_post(thread=thread, text="Live", author=guest())
        server.join(5)
    finally:
        broker_set(previous)
        loop.close()

    assert received[0].startswith(
        frame_encode("comment", {"id": comment.pk, "parent": None, "count": 1})
    )

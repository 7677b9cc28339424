"""Live updates while Redis is gone: streams end and are refused until it returns, publishing
drops events without holding anyone up, and everything resumes by itself."""

import asyncio
import logging
import time
import uuid

import pytest

from conftest import RedisServer
from masthead.live.broker import RedisBroker, broker_set, frame_encode
from masthead.live.tests.test_stream import Client, run

pytestmark = pytest.mark.redis


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker(redis_server):
    fresh = RedisBroker(url=redis_server.url, prefix=f"test:{uuid.uuid4().hex}:")
    fresh.RECONNECT_SECONDS = (0.2,)
    previous = broker_set(fresh)
    yield fresh
    broker_set(previous)


async def until(condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


def test_streams_end_when_redis_goes_and_open_again_when_it_returns(broker, redis_server):
    async def scenario():
        reader = Client("/live/threads/7").start()
        assert (await reader.response_start())["status"] == 200
        assert (await reader.body()).startswith(b"retry: ")

        redis_server.stop()
        # The open stream ends (the browser reconnects by itself, after `retry`)…
        while (message := await reader.message(10)).get("more_body"):
            pass
        assert message["body"] == b""
        await reader.task

        # …and is refused while Redis is away (the page backs off and tries again).
        refused = Client("/live/threads/7").start()
        start = await refused.response_start()
        assert start["status"] == 503
        assert start["headers"][b"retry-after"] == b"10"
        await refused.task

        redis_server.start()
        await until(lambda: broker.available)
        again = Client("/live/threads/7").start()
        assert (await again.response_start())["status"] == 200
        await again.body()
        broker.publish("7", "count", {"count": 3})
        assert await again.body() == frame_encode("count", {"count": 3})
        again.left.set()
        await again.task
        await broker.close()

    run(scenario())


def test_publishing_while_redis_is_down_neither_raises_nor_waits_and_logs_once(
    broker, redis_server, caplog
):
    redis_server.stop()
    caplog.set_level(logging.WARNING, logger="masthead.live.broker")

    started = time.monotonic()
    for count in range(50):
        broker.publish("7", "count", {"count": count})
    assert time.monotonic() - started < 2

    warnings = [r for r in caplog.records if "events are dropped" in r.getMessage()]
    assert len(warnings) == 1

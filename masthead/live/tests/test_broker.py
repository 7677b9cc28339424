"""The brokers: fan-out to local subscribers, bounded queues, Redis between processes."""

import asyncio
import threading
import uuid

import pytest

from masthead.live.broker import (
    CLIENT_NAME,
    EVERYONE,
    RESYNC,
    MemoryBroker,
    RedisBroker,
    frame_encode,
)


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, timeout=10))


def test_memory_broker_fans_an_event_out_to_every_subscriber_of_its_thread_only():
    async def scenario():
        broker = MemoryBroker()
        await broker.start()
        first, second, other = broker.subscribe("7"), broker.subscribe("7"), broker.subscribe("8")

        broker.publish("7", "comment", {"id": 1, "parent": None, "count": 3})
        await asyncio.sleep(0)  # publish hands the event to the loop

        frame = frame_encode("comment", {"id": 1, "parent": None, "count": 3})
        assert await first.next(1) == frame
        assert await second.next(1) == frame
        assert await other.next(0.01) == b""  # nothing but the idle timeout

    run(scenario())


def test_an_event_for_everyone_reaches_every_open_stream():
    async def scenario():
        broker = MemoryBroker()
        await broker.start()
        on_seven, on_eight = broker.subscribe("7"), broker.subscribe("8")
        broker.publish(EVERYONE, "funding", {"raised": "1660.00"})
        frame = frame_encode("funding", {"raised": "1660.00"})
        assert await on_seven.next(1) == frame
        assert await on_eight.next(1) == frame

    run(scenario())


@pytest.mark.redis
def test_through_redis_an_event_for_everyone_reaches_every_stream_of_another_process(redis_url):
    prefix = f"test:{uuid.uuid4().hex}:"

    async def scenario():
        reader_side = RedisBroker(url=redis_url, prefix=prefix)
        writer_side = RedisBroker(url=redis_url, prefix=prefix)
        await reader_side.start()
        try:
            on_seven, on_eight = reader_side.subscribe("7"), reader_side.subscribe("8")
            publisher = threading.Thread(
                target=writer_side.publish, args=(EVERYONE, "funding", {"percent": 33})
            )
            publisher.start()
            publisher.join()
            frame = frame_encode("funding", {"percent": 33})
            assert await on_seven.next(5) == frame
            assert await on_eight.next(5) == frame
        finally:
            await reader_side.close()

    run(scenario())


def test_event_frames_are_server_sent_events_with_compact_json():
    assert frame_encode("count", {"count": 2}) == b'event: count\ndata: {"count":2}\n\n'


def test_memory_broker_takes_events_from_other_threads():
    async def scenario():
        broker = MemoryBroker()
        await broker.start()
        subscription = broker.subscribe("7")
        publisher = threading.Thread(target=broker.publish, args=("7", "count", {"count": 5}))
        publisher.start()
        publisher.join()
        assert await subscription.next(2) == frame_encode("count", {"count": 5})

    run(scenario())


def test_memory_broker_publish_without_a_running_server_is_a_harmless_no_op():
    MemoryBroker().publish("7", "count", {"count": 1})


def test_a_subscriber_that_falls_behind_gets_one_resync_instead_of_a_backlog():
    async def scenario():
        broker = MemoryBroker(queue_size=3)
        await broker.start()
        slow = broker.subscribe("7")
        for number in range(10):
            broker._deliver("7", frame_encode("count", {"count": number}))
        assert len(slow._frames) <= 3

        waiting = await slow.next(1)

        # What it missed is lost; RESYNC makes the page ask for the thread's state instead.
        assert waiting.startswith(RESYNC)
        assert len(waiting.split(b"\n\n")) <= 4

    run(scenario())


def test_closing_a_subscription_ends_its_wait_and_forgets_it():
    async def scenario():
        broker = MemoryBroker()
        await broker.start()
        with broker.subscribe("7") as subscription:
            waiting = asyncio.ensure_future(subscription.next(30))
            await asyncio.sleep(0)
            subscription.close()
            assert await waiting is None
        assert broker.subscriber_count == 0
        assert broker._subscribers == {}

    run(scenario())


def test_closing_the_broker_ends_every_open_subscription():
    async def scenario():
        broker = MemoryBroker()
        await broker.start()
        subscriptions = [broker.subscribe(str(key)) for key in range(5)]

        await broker.close()

        assert [await subscription.next(30) for subscription in subscriptions] == [None] * 5
        assert broker.closed and broker.subscriber_count == 0
        broker.publish("1", "count", {"count": 1})  # after shutdown: ignored

    run(scenario())


@pytest.mark.redis
def test_redis_broker_carries_events_between_two_processes_brokers(redis_url):
    prefix = f"test:{uuid.uuid4().hex}:"

    async def scenario():
        reader_side = RedisBroker(url=redis_url, prefix=prefix)
        writer_side = RedisBroker(url=redis_url, prefix=prefix)
        await reader_side.start()
        try:
            subscription = reader_side.subscribe("7")
            unrelated = reader_side.subscribe("8")

            # A plain thread, as a request thread of the other process would publish.
            publisher = threading.Thread(
                target=writer_side.publish,
                args=("7", "comment", {"id": 5, "parent": None, "count": 1}),
            )
            publisher.start()
            publisher.join()

            assert await subscription.next(5) == frame_encode(
                "comment", {"id": 5, "parent": None, "count": 1}
            )
            assert await unrelated.next(0.2) == b""
        finally:
            await reader_side.close()

    run(scenario())


@pytest.mark.redis
def test_redis_broker_ignores_channels_outside_its_prefix(redis_url):
    prefix = f"test:{uuid.uuid4().hex}:"

    async def scenario():
        broker = RedisBroker(url=redis_url, prefix=prefix)
        other_site = RedisBroker(url=redis_url, prefix=f"other:{prefix}")
        await broker.start()
        try:
            subscription = broker.subscribe("7")
            other_site.publish("7", "count", {"count": 9})
            assert await subscription.next(0.5) == b""
        finally:
            await broker.close()

    run(scenario())


@pytest.mark.redis
def test_redis_broker_holds_one_connection_however_many_readers(redis_url):
    import redis

    prefix = f"test:{uuid.uuid4().hex}:"
    admin = redis.Redis.from_url(redis_url)

    def listening_connections() -> int:
        return sum(1 for client in admin.client_list() if client.get("name") == CLIENT_NAME)

    async def scenario():
        broker = RedisBroker(url=redis_url, prefix=prefix)
        before = listening_connections()
        await broker.start()
        try:
            subscriptions = [broker.subscribe(str(key % 10)) for key in range(200)]
            await broker.start()  # every new stream calls it: no new connection
            assert listening_connections() == before + 1
            broker.publish("3", "count", {"count": 1})
            received = await asyncio.gather(*(s.next(0.5) for s in subscriptions))
            assert sum(1 for frame in received if frame) == 20
        finally:
            await broker.close()
        assert listening_connections() == before

    run(scenario())

"""`GET /live/threads/<key>` through the ASGI application `masthead serve` runs."""

import asyncio

import pytest

from masthead import asgi
from masthead.live.broker import MemoryBroker, broker_set, frame_encode


@pytest.fixture
def broker():
    """A fresh in-process broker behind the event streams."""
    fresh = MemoryBroker(queue_size=10)
    previous = broker_set(fresh)
    yield fresh
    broker_set(previous)


class Client:
    """One HTTP request to the ASGI application, driven message by message."""

    def __init__(self, path: str, method: str = "GET"):
        self.scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"testserver"), (b"accept", b"text/event-stream")],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
        }
        self.sent: asyncio.Queue = asyncio.Queue()
        self.left = asyncio.Event()
        self.task = None

    async def receive(self):
        await self.left.wait()
        return {"type": "http.disconnect"}

    async def send(self, message):
        await self.sent.put(message)

    def start(self):
        self.task = asyncio.get_running_loop().create_task(
            asgi.application(self.scope, self.receive, self.send)
        )
        return self

    async def message(self, timeout: float = 5):
        return await asyncio.wait_for(self.sent.get(), timeout)

    async def body(self, timeout: float = 5) -> bytes:
        message = await self.message(timeout)
        assert message["type"] == "http.response.body"
        return message["body"]

    async def response_start(self) -> dict:
        message = await self.message()
        assert message["type"] == "http.response.start"
        return {"status": message["status"], "headers": dict(message["headers"])}


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, timeout=20))


def test_stream_answers_with_event_stream_headers_and_a_retry_line(broker):
    async def scenario():
        client = Client("/live/threads/7").start()
        start = await client.response_start()
        assert start["status"] == 200
        assert start["headers"][b"content-type"].startswith(b"text/event-stream")
        assert start["headers"][b"cache-control"] == b"no-store"
        assert start["headers"][b"x-accel-buffering"] == b"no"
        assert (await client.body()).startswith(b"retry: ")
        client.left.set()
        await client.task

    run(scenario())


def test_stream_forwards_the_events_of_its_thread_only(broker):
    async def scenario():
        client = Client("/live/threads/7").start()
        await client.response_start()
        await client.body()

        broker.publish("8", "count", {"count": 40})
        broker.publish("7", "comment", {"id": 3, "parent": None, "count": 12})

        assert await client.body() == frame_encode(
            "comment", {"id": 3, "parent": None, "count": 12}
        )
        client.left.set()
        await client.task

    run(scenario())


def test_idle_stream_sends_keepalive_comments(broker, settings):
    settings.LIVE_KEEPALIVE_SECONDS = 0.05

    async def scenario():
        client = Client("/live/threads/url-" + "a" * 32).start()
        await client.response_start()
        await client.body()
        assert await client.body() == b": keep-alive\n\n"
        assert await client.body() == b": keep-alive\n\n"
        client.left.set()
        await client.task

    run(scenario())


def test_reader_leaving_ends_the_stream_without_leaving_tasks_or_queues(broker):
    async def scenario():
        tasks_before = len(asyncio.all_tasks())
        clients = [Client(f"/live/threads/{key % 3}").start() for key in range(30)]
        for client in clients:
            await client.response_start()
        assert broker.subscriber_count == 30

        for client in clients:
            client.left.set()
        await asyncio.wait_for(asyncio.gather(*(client.task for client in clients)), 5)
        await asyncio.sleep(0)  # let cancelled watchers finish

        assert broker.subscriber_count == 0
        assert broker._subscribers == {}
        assert len(asyncio.all_tasks()) == tasks_before

    run(scenario())


def test_stopping_server_ends_open_streams_and_refuses_new_ones(broker):
    async def scenario():
        client = Client("/live/threads/7").start()
        await client.response_start()
        await client.body()

        await broker.close()

        last = await client.message()
        assert last == {"type": "http.response.body", "body": b""}  # the response ends
        await client.task
        late = Client("/live/threads/7").start()
        assert (await late.response_start())["status"] == 503
        await late.task

    run(scenario())


@pytest.mark.parametrize(
    "path",
    [
        "/live/threads/",
        "/live/threads/abc",
        "/live/threads/7/extra",
        "/live/threads/url-XYZ",
        "/live/threads/" + "9" * 40,
        "/live/elsewhere",
    ],
)
def test_malformed_thread_keys_are_not_found(broker, path):
    async def scenario():
        client = Client(path).start()
        assert (await client.response_start())["status"] == 404
        await client.task

    run(scenario())


def test_streams_are_read_with_get_only(broker):
    async def scenario():
        client = Client("/live/threads/7", method="POST").start()
        start = await client.response_start()
        assert start["status"] == 405
        assert start["headers"][b"allow"] == b"GET, HEAD"
        await client.task

    run(scenario())


def test_every_other_request_goes_to_django(broker, monkeypatch):
    seen = []

    async def django(scope, receive, send):
        seen.append(scope["path"])
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    monkeypatch.setattr(asgi, "django_application", django)

    async def scenario():
        for path in ("/", "/live", "/api/v1/threads/7/count"):
            client = Client(path).start()
            assert (await client.response_start())["status"] == 204
            await client.task

    run(scenario())
    assert seen == ["/", "/live", "/api/v1/threads/7/count"]


def test_lifespan_shutdown_closes_the_broker(broker, monkeypatch):
    monkeypatch.setattr(asgi, "_end_streams_on_signals", lambda loop: None)

    async def scenario():
        incoming = asyncio.Queue()
        outgoing = []

        async def send(message):
            outgoing.append(message["type"])

        task = asyncio.get_running_loop().create_task(
            asgi.application({"type": "lifespan"}, incoming.get, send)
        )
        await incoming.put({"type": "lifespan.startup"})
        await incoming.put({"type": "lifespan.shutdown"})
        await task
        assert outgoing == ["lifespan.startup.complete", "lifespan.shutdown.complete"]

    run(scenario())
    assert broker.closed


def test_a_stop_signal_ends_open_streams_at_once(broker):
    import signal

    saved = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}

    async def scenario():
        asgi._end_streams_on_signals(asyncio.get_running_loop())
        client = Client("/live/threads/7").start()
        await client.response_start()
        await client.body()

        # As granian's worker receives it when the server is stopped (without the signal itself).
        signal.getsignal(signal.SIGTERM)(signal.SIGTERM, None)

        assert await client.message() == {"type": "http.response.body", "body": b""}
        await client.task

    try:
        run(scenario())
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)
    assert broker.closed

"""Carry thread events from whoever publishes them to the event streams open in this process.

A broker has two halves. `publish` is synchronous and safe from any thread: request threads
call it after their transaction commits. Subscriptions live on the server's asyncio loop, one
per open event stream, each a bounded queue of encoded Server-Sent Events frames.

`MemoryBroker` connects the two inside one process (the embedded default). `RedisBroker` sends
every event through Redis pub/sub, so a comment posted to one server process (or by a worker,
or on another machine) reaches readers connected to any of them; each process holds a single
pattern subscription and fans its messages out to local queues.

While Redis is unreachable, live updates stop and nothing else does: open streams end (the
browser reconnects by itself, then backs off while new streams are refused with 503), and
publishing drops the event, logged at most once a minute, so posting never waits or fails.
"""

import asyncio
import contextlib
import json
import logging
import threading
import time
from collections import deque

from django.conf import settings

logger = logging.getLogger(__name__)

# Sent in place of the events a subscriber could not take in time, and after a lost Redis
# connection: the page asks the server for the thread's state again.
RESYNC = b"event: resync\ndata: {}\n\n"
# How a process's listening connection shows in Redis's CLIENT LIST.
CLIENT_NAME = "masthead-live"


def frame_encode(event: str, data: dict) -> bytes:
    """Return one Server-Sent Events frame carrying `data` as JSON."""
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


class Subscription:
    """The events of one thread waiting for one open stream; used on the loop thread only."""

    __slots__ = ("_broker", "_frames", "_limit", "_waiter", "closed", "key")

    def __init__(self, broker: "Broker", key: str, limit: int):
        self._broker = broker
        self._frames: deque[bytes] = deque()
        self._limit = limit
        self._waiter: asyncio.Future | None = None
        self.key = key
        self.closed = False

    def push(self, frame: bytes) -> None:
        """Queue `frame`; a reader too slow to keep up gets one RESYNC instead of a backlog."""
        if self.closed:
            return
        if len(self._frames) >= self._limit:
            self._frames.clear()
            frame = RESYNC
        self._frames.append(frame)
        self._wake()

    def close(self) -> None:
        """End the stream: `next` returns None from now on, and the broker forgets it."""
        if not self.closed:
            self.closed = True
            self._broker._forget(self)
            self._wake()

    async def next(self, timeout: float) -> bytes | None:
        """Return the queued frames joined, b"" after `timeout` idle seconds, None once closed."""
        if not self._frames and not self.closed:
            loop = asyncio.get_running_loop()
            self._waiter = loop.create_future()
            timer = loop.call_later(timeout, self._wake)
            try:
                await self._waiter
            finally:
                timer.cancel()
                self._waiter = None
        if self.closed:
            return None
        frames = b"".join(self._frames)
        self._frames.clear()
        return frames

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def __enter__(self) -> "Subscription":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


class Broker:
    """Fan events out to this process's subscribers; subclasses decide how events arrive."""

    def __init__(self, *, queue_size: int = 100):
        self.queue_size = queue_size
        self.closed = False
        self._subscribers: dict[str, set[Subscription]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    def publish(self, key: str, event: str, data: dict) -> None:
        """Send `event` to every stream open on thread `key`; callable from any thread."""
        raise NotImplementedError

    @property
    def available(self) -> bool:
        """Whether events can reach this process's streams now."""
        return not self.closed

    async def start(self) -> None:
        """Bind the broker to the running loop (idempotent); events arrive from then on."""
        self._loop = asyncio.get_running_loop()

    def subscribe(self, key: str) -> Subscription:
        """Return a new subscription to thread `key` (call `start` first, on the same loop)."""
        subscription = Subscription(self, key, self.queue_size)
        self._subscribers.setdefault(key, set()).add(subscription)
        return subscription

    async def close(self) -> None:
        """End every open subscription and take no more (the server is stopping)."""
        self.closed = True
        self._close_subscriptions()
        self._loop = None

    def _close_subscriptions(self) -> None:
        for subscriptions in list(self._subscribers.values()):
            for subscription in list(subscriptions):
                subscription.close()

    @property
    def subscriber_count(self) -> int:
        return sum(len(subscriptions) for subscriptions in self._subscribers.values())

    def _deliver(self, key: str, frame: bytes) -> None:
        # On the loop thread only, like everything that touches subscriptions.
        if key == EVERYONE:
            self._deliver_everyone(frame)
            return
        for subscription in tuple(self._subscribers.get(key, ())):
            subscription.push(frame)

    def _deliver_everyone(self, frame: bytes) -> None:
        for key in list(self._subscribers):
            self._deliver(key, frame)

    def _forget(self, subscription: Subscription) -> None:
        subscriptions = self._subscribers.get(subscription.key)
        if subscriptions is not None:
            subscriptions.discard(subscription)
            if not subscriptions:
                del self._subscribers[subscription.key]


class MemoryBroker(Broker):
    """Events published in this process reach the streams open in this process."""

    def publish(self, key: str, event: str, data: dict) -> None:
        loop = self._loop
        if loop is None:
            return  # no event streams in this process (a worker, a command, a test)
        try:  # noqa: SIM105 - called per event; plain try is cheapest
            loop.call_soon_threadsafe(self._deliver, key, frame_encode(event, data))
        except RuntimeError:
            pass  # the loop has closed: the server is stopping


class RedisBroker(Broker):
    """Events travel through Redis pub/sub, one channel per thread under a common prefix."""

    RECONNECT_SECONDS = (0.5, 1, 2, 5)
    START_TIMEOUT_SECONDS = 3
    # After a failed publish, events are dropped without trying Redis for this long.
    PUBLISH_SKIP_SECONDS = 5
    LOG_EVERY_SECONDS = 60

    def __init__(self, *, url: str, prefix: str, queue_size: int = 100):
        super().__init__(queue_size=queue_size)
        self.url = url
        self.prefix = prefix
        self._publisher = None
        self._publisher_lock = threading.Lock()
        self._listener: asyncio.Task | None = None
        self._listening: asyncio.Event | None = None
        self._failing: asyncio.Event | None = None
        self._publish_skip_until = 0.0
        self._logged_at: dict[str, float] = {}

    def publish(self, key: str, event: str, data: dict) -> None:
        from redis.exceptions import RedisError

        if time.monotonic() < self._publish_skip_until:
            return  # Redis failed moments ago: the event is lost, the request is not held up
        try:
            # The channel names the thread and the message is the finished frame, so
            # listeners forward it untouched.
            self._client().publish(self.prefix + key, frame_encode(event, data))
        except (RedisError, OSError) as error:
            self._publish_skip_until = time.monotonic() + self.PUBLISH_SKIP_SECONDS
            self._log_outage(
                "publish", "Live updates: Redis unreachable (%s); events are dropped.", error
            )

    @property
    def available(self) -> bool:
        return not self.closed and self._listening is not None and self._listening.is_set()

    def _log_outage(self, kind: str, message: str, error: Exception) -> None:
        # Once a minute per kind, not once per event or reconnect attempt.
        now = time.monotonic()
        if now - self._logged_at.get(kind, -self.LOG_EVERY_SECONDS) >= self.LOG_EVERY_SECONDS:
            self._logged_at[kind] = now
            logger.warning(message, error)

    def _client(self):
        if self._publisher is None:
            import redis

            with self._publisher_lock:
                if self._publisher is None:
                    self._publisher = redis.Redis.from_url(
                        self.url, socket_timeout=1, socket_connect_timeout=0.5
                    )
        return self._publisher

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        if self._listener is None or self._listener.done() or self._loop is not loop:
            await super().start()
            self._listening = asyncio.Event()
            self._failing = asyncio.Event()
            self._listener = loop.create_task(self._listen(), name="live-redis-listener")
        if self._listening.is_set() or self._failing.is_set():
            return
        # A stream opens once events can reach it; until the listener's first attempt is
        # decided (connected, or failed: see `available`), for a few seconds at most.
        waiters = {loop.create_task(self._listening.wait()), loop.create_task(self._failing.wait())}
        await asyncio.wait(
            {*waiters, self._listener},
            timeout=self.START_TIMEOUT_SECONDS,
            return_when=asyncio.FIRST_COMPLETED,
        )
        for waiter in waiters:
            waiter.cancel()

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        await super().close()

    async def _listen(self) -> None:
        import redis.asyncio as aioredis
        from redis.exceptions import RedisError

        pattern = _glob_escape(self.prefix) + "*"
        skip = len(self.prefix)
        failures = 0
        while True:
            client = aioredis.Redis.from_url(
                self.url, socket_connect_timeout=2, socket_keepalive=True, client_name=CLIENT_NAME
            )
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.psubscribe(pattern)
                if failures:
                    logger.warning("Live updates: reconnected to Redis.")
                    # Events published meanwhile are lost: pages ask for the thread's state.
                    self._deliver_everyone(RESYNC)
                failures = 0
                self._failing.clear()
                self._listening.set()
                async for message in pubsub.listen():
                    if message["type"] == "pmessage":
                        self._deliver(message["channel"][skip:].decode(), message["data"])
            except (RedisError, OSError) as error:
                self._listening.clear()
                self._failing.set()
                # Open streams would wait for events that cannot come: end them, so browsers
                # reconnect (and resync) once Redis, or another server process, can serve them.
                self._close_subscriptions()
                delay = self.RECONNECT_SECONDS[min(failures, len(self.RECONNECT_SECONDS) - 1)]
                failures += 1
                self._log_outage("listen", "Live updates: Redis unreachable (%s); retrying.", error)
                await asyncio.sleep(delay)
            finally:
                await pubsub.aclose()
                await client.aclose()


# A key no thread has: an event published under it reaches every open stream (the goal bar in
# every page's header changes with a gift, whatever thread the page shows). Through Redis it
# is the channel "<prefix>*", which the listeners' pattern subscription also receives.
EVERYONE = "*"


def _glob_escape(text: str) -> str:
    return "".join("\\" + char if char in "*?[]\\" else char for char in text)


_broker: Broker | None = None
_broker_lock = threading.Lock()


def broker_get() -> Broker:
    """Return this process's broker, built from the LIVE_* settings on first use."""
    global _broker
    if _broker is None:
        with _broker_lock:
            if _broker is None:
                _broker = broker_build()
    return _broker


def broker_build() -> Broker:
    """Return a new broker of the kind LIVE_BROKER names."""
    kind = settings.LIVE_BROKER
    if kind == "memory":
        return MemoryBroker(queue_size=settings.LIVE_QUEUE_SIZE)
    if kind == "redis":
        return RedisBroker(
            url=settings.REDIS_URL,
            prefix=settings.LIVE_CHANNEL_PREFIX,
            queue_size=settings.LIVE_QUEUE_SIZE,
        )
    raise ValueError(f"LIVE_BROKER must be memory or redis, not {kind!r}.")


def broker_set(broker: Broker | None) -> Broker | None:
    """Replace this process's broker (tests); None rebuilds it from settings on next use."""
    global _broker
    previous, _broker = _broker, broker
    return previous

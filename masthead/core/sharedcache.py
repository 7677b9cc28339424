"""The shared cache (Redis) as something the site runs without when it has to.

Everything Masthead keeps in the default cache is a copy (pages, settings, the funding
summary, Wagtail's site paths) or a counter (rate limits), so an unreachable Redis must cost
speed, never a page: `ResilientRedisCache`, Django's RedisCache chosen in settings, answers as
an empty cache would while Redis cannot be reached (a miss, a write that is lost at once, as if
evicted) instead of raising into every view that reads a setting.

After a failure, the backend does not try Redis again for `skip_seconds` (a circuit breaker),
so a dead or firewalled server costs one short socket timeout every few seconds per process,
not one per request. The failure is logged at most once a minute; `shared_cache_outage()` tells
the admin's dashboard what happened, `shared_cache_unavailable()` lets rate limits count in the
process instead, and `shared_cache_recovered` is sent once Redis answers again, for caches
whose invalidations were lost meanwhile.
"""

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.dispatch import Signal

logger = logging.getLogger(__name__)

# A failing Redis is reported in the log at most this often per process.
LOG_EVERY_SECONDS = 60
# Defaults for the connection: Redis answers a healthy request in well under a millisecond, so
# a second is already a sick server, and waiting longer only holds every reader's page up.
SOCKET_DEFAULTS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}

# Sent (sender: the cache backend) on the first successful call after an outage.
shared_cache_recovered = Signal()


@dataclass
class CacheOutage:
    """One spell of an unreachable shared cache, as this process saw it (epoch seconds)."""

    started: float
    last_failure: float
    error: str
    failures: int = 1
    ended: float | None = None


class _Health:
    """Process-wide state of the shared cache: the breaker, the current outage, the log pace."""

    def __init__(self):
        self._lock = threading.Lock()
        self.outage: CacheOutage | None = None
        self.skip_until = 0.0  # time.monotonic() before which Redis is not tried
        self._logged_at: float | None = None

    def failed(self, error: Exception, skip_seconds: float) -> None:
        now = time.time()
        with self._lock:
            self.skip_until = time.monotonic() + skip_seconds
            outage = self.outage
            if outage is None or outage.ended is not None:
                outage = self.outage = CacheOutage(started=now, last_failure=now, error=str(error))
            else:
                outage.last_failure = now
                outage.failures += 1
                outage.error = str(error)
            due = self._logged_at is None or time.monotonic() - self._logged_at >= LOG_EVERY_SECONDS
            if due:
                self._logged_at = time.monotonic()
        if due:
            logger.warning(
                "The shared cache (Redis) is unreachable (%s): pages are served uncached and "
                "rate limits count per process; %d failed call(s) since %s.",
                error,
                outage.failures,
                time.strftime("%H:%M:%S", time.localtime(outage.started)),
            )

    def succeeded(self, backend) -> None:
        outage = self.outage
        if outage is None or outage.ended is not None:
            return  # the common case, without taking the lock
        with self._lock:
            if outage.ended is not None:
                return
            outage.ended = time.time()
        logger.warning(
            "The shared cache (Redis) is reachable again after %d s.",
            outage.ended - outage.started,
        )
        shared_cache_recovered.send(sender=backend)

    def skipping(self) -> bool:
        return time.monotonic() < self.skip_until


_health = _Health()


def shared_cache_unavailable() -> bool:
    """Return whether the shared cache failed moments ago (its calls are being skipped)."""
    return _health.skipping()


def shared_cache_outage() -> CacheOutage | None:
    """Return this process's latest outage of the shared cache, ongoing or ended, if any."""
    return _health.outage


# A counter that changes and says so in one step (Redis runs a script as one command): the key
# is incremented, or set to ARGV[2] where it is missing (evicted), and ARGV[3] published on the
# channel ARGV[1]. Nobody can see the new value without the announcement having been made.
_BUMP_ANNOUNCED = """
if redis.call('exists', KEYS[1]) == 1 then
    redis.call('incr', KEYS[1])
else
    redis.call('set', KEYS[1], ARGV[2])
end
redis.call('publish', ARGV[1], ARGV[3])
"""

# The listener pings Redis this often while nothing else arrives, and takes a connection that
# answered nothing for LISTEN_DEAD_SECONDS as lost (a hung or unplugged server sends no reset).
LISTEN_PING_SECONDS = 0.5
LISTEN_DEAD_SECONDS = 2.0


class _Lost(Exception):
    """Internal: the call did not reach Redis."""


class ResilientRedisCache(RedisCache):
    """Django's RedisCache that answers as an empty cache while Redis is unreachable.

    OPTIONS take `skip_seconds` (how long to skip Redis after a failure, default 5) besides
    redis-py's connection options; short socket timeouts apply unless set.
    """

    def __init__(self, server, params):
        # redis-py is imported by the first shared cache built, not with this module: the
        # health state below is read on every request, also by sites without Redis, and
        # redis-py is ~7 MB in each process that imports it.
        import redis

        self._redis = redis
        self._errors = (redis.RedisError, OSError)
        options = {**SOCKET_DEFAULTS, **params.get("OPTIONS", {})}
        self.skip_seconds = float(options.pop("skip_seconds", 5))
        super().__init__(server, {**params, "OPTIONS": options})

    def _call(self, method, *args):
        if _health.skipping():
            raise _Lost
        try:
            result = method(*args)
        except self._errors as error:
            _health.failed(error, self.skip_seconds)
            raise _Lost from error
        _health.succeeded(self)
        return result

    # Each operation answers as an empty cache would; a lost write is an instant eviction, which
    # every cache user must already expect (so `add` reports success).

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._call(super().add, key, value, timeout, version)
        except _Lost:
            return True

    def get(self, key, default=None, version=None):
        try:
            return self._call(super().get, key, default, version)
        except _Lost:
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with contextlib.suppress(_Lost):
            self._call(super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._call(super().touch, key, timeout, version)
        except _Lost:
            return False

    def delete(self, key, version=None):
        try:
            return self._call(super().delete, key, version)
        except _Lost:
            return False

    def get_many(self, keys, version=None):
        try:
            return self._call(super().get_many, keys, version)
        except _Lost:
            return {}

    def has_key(self, key, version=None):
        try:
            return self._call(super().has_key, key, version)
        except _Lost:
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return self._call(super().incr, key, delta, version)
        except _Lost:
            raise ValueError(f"Key {key!r} not found (the shared cache is unreachable).") from None

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._call(super().set_many, data, timeout, version)
        except _Lost:
            return list(data)  # keys that were not stored

    def delete_many(self, keys, version=None):
        with contextlib.suppress(_Lost):
            self._call(super().delete_many, keys, version)

    def clear(self):
        try:
            return self._call(super().clear)
        except _Lost:
            return False

    # Announced counters: for values other processes keep in memory (core/pagecache.py's tag
    # versions), told of each change as it is made instead of asking Redis on every use.

    def counter_bump_announced(self, key: str, *, start: int, channel: str) -> None:
        """Increment the integer at `key` (or set it to `start` where it is missing) and
        publish `key` on `channel`, as one step. Lost, like any write, while Redis is away."""
        full_key = self.make_and_validate_key(key)
        client = self._cache.get_client(full_key, write=True)
        with contextlib.suppress(_Lost):
            self._call(
                client.eval, _BUMP_ANNOUNCED, 1, full_key, self.make_key(channel), start, key
            )

    def announcements_listen(
        self,
        channel: str,
        *,
        heard: Callable[[str], None],
        listening: Callable[[bool], None],
        stop: threading.Event,
    ) -> threading.Thread:
        """Call `heard(key)` for each key published on `channel` (by `counter_bump_announced`),
        on a daemon thread of its own, until `stop` is set.

        `listening(True)` is called each time the subscription is (re)made, and
        `listening(False)` as soon as it is lost or its connection stops answering pings:
        announcements made meanwhile were missed, so whatever was kept on their account must be
        forgotten. Reconnects every `skip_seconds`.
        """
        thread = threading.Thread(
            target=self._listen,
            args=(self.make_key(channel), heard, listening, stop),
            name="sharedcache-listen",
            daemon=True,
        )
        thread.start()
        return thread

    def _listen(self, channel: str, heard, listening, stop: threading.Event) -> None:
        options = {key: self._options[key] for key in SOCKET_DEFAULTS if key in self._options}
        while not stop.is_set():
            client = self._redis.Redis.from_url(self._servers[0], **{**SOCKET_DEFAULTS, **options})
            pubsub = client.pubsub()
            try:
                pubsub.subscribe(channel)
                answered = pinged = time.monotonic()
                while not stop.is_set():
                    message = pubsub.get_message(timeout=LISTEN_PING_SECONDS)
                    now = time.monotonic()
                    if message is not None:
                        answered = now
                        if message["type"] == "subscribe":
                            listening(True)
                        elif message["type"] == "message":
                            heard(message["data"].decode())
                    if now - pinged >= LISTEN_PING_SECONDS:
                        pubsub.ping()
                        pinged = now
                    if now - answered > LISTEN_DEAD_SECONDS:
                        raise ConnectionError("Redis stopped answering the listener's pings")
            except self._errors:
                pass
            finally:
                listening(False)
                with contextlib.suppress(*self._errors):
                    pubsub.close()
                    client.close()
            stop.wait(self.skip_seconds)

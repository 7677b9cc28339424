"""`GET /live/threads/<key>`: a thread's events as Server-Sent Events, in plain asyncio.

Each open stream costs one subscription and a callback on the server's pending receive() that
notices the reader leaving; neither Django's request machinery nor the database is involved,
before or after.
"""

import asyncio
import re

from django.conf import settings

from masthead.live.broker import broker_get

# Thread.key: an article's page id, or "url-" and 32 hex digits for pages outside Masthead.
THREAD_PATH = re.compile(r"/live/threads/(\d{1,18}|url-[0-9a-f]{32})")
# Milliseconds the browser waits before reconnecting a dropped stream.
RETRY_MILLISECONDS = 3000
HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-store"),
    # nginx and similar proxies would otherwise buffer the stream.
    (b"x-accel-buffering", b"no"),
]
KEEPALIVE = b": keep-alive\n\n"


async def live_application(scope, receive, send) -> None:
    """Answer an HTTP request under /live/ (the ASGI dispatcher in masthead.asgi sends them)."""
    match = THREAD_PATH.fullmatch(scope["path"])
    if match is None:
        await _plain(send, 404, b"No such event stream.\n")
    elif scope["method"] not in ("GET", "HEAD"):
        await _plain(send, 405, b"Event streams are read with GET.\n", [(b"allow", b"GET, HEAD")])
    elif scope["method"] == "HEAD":
        await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
        await send({"type": "http.response.body", "body": b""})
    else:
        await thread_events(match.group(1), receive, send)


async def thread_events(key: str, receive, send) -> None:
    """Stream thread `key`'s events until the reader leaves or the server stops."""
    broker = broker_get()
    if broker.closed:
        # The server is stopping; the page connects again a few seconds later (to another
        # process, or to this server restarted).
        await _plain(send, 503, b"The server is restarting.\n", [(b"retry-after", b"3")])
        return
    await broker.start()
    if not broker.available:
        # Redis, which carries the events, is unreachable: the page tries again later,
        # backing off, and shows the thread as it was loaded meanwhile.
        await _plain(
            send, 503, b"Live updates are unavailable for now.\n", [(b"retry-after", b"10")]
        )
        return
    keepalive = settings.LIVE_KEEPALIVE_SECONDS
    with broker.subscribe(key) as subscription:
        watcher = _DisconnectWatcher(receive, subscription)
        try:
            await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
            await _body(send, f"retry: {RETRY_MILLISECONDS}\n\n".encode())
            # None once the reader left or the server is stopping; b"" after an idle spell.
            while (frames := await subscription.next(keepalive)) is not None:
                await _body(send, frames or KEEPALIVE)
            await send({"type": "http.response.body", "body": b""})
        except OSError:
            pass  # the reader left while a frame was on its way (ASGI servers raise OSError)
        finally:
            watcher.cancel()


class _DisconnectWatcher:
    """Close a stream's subscription when its reader leaves.

    A callback on the server's pending `receive()`, armed again after each message until
    "http.disconnect": granian's receive() is already a future, so no task, coroutine frame
    or future of our own stays alive per open stream (ten thousand streams, ten thousand of
    each). A server whose receive() is a coroutine gets it wrapped in a task, cancelled at the
    end.
    """

    __slots__ = ("_pending", "_receive", "_subscription")

    def __init__(self, receive, subscription):
        self._receive = receive
        self._subscription = subscription
        self._pending = None
        self._arm()

    def _arm(self) -> None:
        self._pending = asyncio.ensure_future(self._receive())
        self._pending.add_done_callback(self._heard)

    def _heard(self, pending) -> None:
        if self._subscription.closed:
            return
        try:
            message = pending.result()
        except BaseException:  # noqa: BLE001 - cancelled, or the server dropped the connection
            self._subscription.close()
            return
        if message.get("type") == "http.disconnect":
            self._subscription.close()
        else:
            self._arm()

    def cancel(self) -> None:
        if self._pending is not None and not self._pending.done():
            self._pending.cancel()
        self._pending = None


async def _body(send, chunk: bytes) -> None:
    await send({"type": "http.response.body", "body": chunk, "more_body": True})


async def _plain(send, status: int, body: bytes, headers=()) -> None:
    """Answer with a short plain-text `body`.

    In English only: these answers go to an EventSource, which never shows them (people read
    them only when debugging with curl), and this path runs before Django's middleware
    chooses a language.
    """
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), *headers],
        }
    )
    await send({"type": "http.response.body", "body": body})

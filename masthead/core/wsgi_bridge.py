"""Run a WSGI application under an ASGI server, on a pool of threads, with one hop per request.

a2wsgi's WSGIMiddleware does the same job but crosses between the event loop and the request
thread three times per response (start, body, end), each a task, a queue and a blocking wait:
measured on granian, it served a cached article page at a quarter of the rate of granian's own
WSGI threads. Here the thread runs the whole application and collects the response; the loop
sends it. Only large or endless responses (a downloaded document) are sent while the thread
still produces them, in chunks of STREAM_CHUNK bytes.
"""

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from a2wsgi.wsgi import build_environ

logger = logging.getLogger(__name__)

# Responses up to this size are sent in one piece once the application has finished.
BUFFER_LIMIT = 256 * 1024
STREAM_CHUNK = 64 * 1024


class WSGIBridge:
    """An ASGI application that serves HTTP requests with `app` on `threads` threads.

    `responded(scope, environ, status, headers, body)`, if given, is called on the event loop
    after each response sent in one piece (core/pagereplay.py keeps cached pages with it).
    """

    def __init__(self, app, *, threads: int, responded=None):
        self.app = app
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="wsgi")
        self.responded = responded

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1000})
            return
        loop = asyncio.get_running_loop()
        body = RequestBody(loop, receive)
        environ = build_environ(scope, body)
        body.more = environ.get("CONTENT_LENGTH", "0") != "0" or "HTTP_TRANSFER_ENCODING" in environ
        if body.more:
            # Most request bodies arrive in one message: read it here, not from the thread.
            await body.prefetch()
        exchange = Exchange(loop, send)
        finished = loop.create_future()
        self.executor.submit(exchange.run, self.app, environ, finished)
        await finished
        if not exchange.streaming:
            # One chunk (a cached page) is sent as the very object it is, not a copy.
            body = b"".join(exchange.chunks)
            await send(
                {
                    "type": "http.response.start",
                    "status": exchange.status,
                    "headers": exchange.headers,
                }
            )
            await send({"type": "http.response.body", "body": body})
            if self.responded is not None:
                self.responded(scope, environ, exchange.status, exchange.headers, body)


class RequestBody:
    """`wsgi.input`: the request body, fetched from the loop as the application reads it."""

    def __init__(self, loop, receive):
        self.loop = loop
        self.receive = receive
        self.buffer = bytearray()
        self.more = True

    async def prefetch(self) -> None:
        """Take the first message of the body, on the loop."""
        self._take(await self.receive())

    def _fetch(self) -> bool:
        if not self.more:
            return False
        message = asyncio.run_coroutine_threadsafe(_awaited(self.receive()), self.loop).result()
        self._take(message)
        return True

    def _take(self, message) -> None:
        if message["type"] == "http.disconnect":
            self.more = False
            return
        self.buffer += message.get("body", b"")
        self.more = message.get("more_body", False)

    def read(self, size: int = -1) -> bytes:
        while (size < 0 or len(self.buffer) < size) and self._fetch():
            pass
        size = len(self.buffer) if size < 0 else min(size, len(self.buffer))
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data

    def readline(self, size: int = -1) -> bytes:
        while b"\n" not in self.buffer and (size < 0 or len(self.buffer) < size) and self._fetch():
            pass
        end = self.buffer.find(b"\n") + 1 or len(self.buffer)
        return self.read(end if size < 0 else min(end, size))

    def readlines(self, hint: int = -1) -> list[bytes]:
        return list(iter(self.readline, b""))

    def __iter__(self):
        return iter(self.readline, b"")


class Exchange:
    """One response, collected on the request thread."""

    def __init__(self, loop, send):
        self.loop = loop
        self.send = send
        self.status = 500
        self.headers: list[tuple[bytes, bytes]] = []
        self.chunks: list[bytes] = []
        self.size = 0
        self.streaming = False

    def start_response(self, status: str, headers, exc_info=None):
        if exc_info is not None and self.streaming:
            raise exc_info[1].with_traceback(exc_info[2])
        self.status = int(status.split(" ", 1)[0])
        self.headers = [
            (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers
        ]
        return self.write

    def write(self, data: bytes) -> None:
        if not data:
            return
        self.chunks.append(data)
        self.size += len(data)
        if self.size >= (STREAM_CHUNK if self.streaming else BUFFER_LIMIT):
            self._flush(more=True)

    def run(self, app, environ, finished: asyncio.Future) -> None:
        """Run `app` (on a pool thread) and resolve `finished` on the loop."""
        try:
            self._run(app, environ)
        except BaseException as error:  # noqa: BLE001 - handed to the request's coroutine
            self.loop.call_soon_threadsafe(_resolve, finished, error)
            return
        self.loop.call_soon_threadsafe(_resolve, finished, None)

    def _run(self, app, environ) -> None:
        iterable = app(environ, self.start_response)
        try:
            for data in iterable:
                self.write(data)
            if self.streaming:
                self._flush(more=False)
        except OSError:
            pass  # the client left in the middle of a streamed response
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                close()

    def _flush(self, *, more: bool) -> None:
        messages = []
        if not self.streaming:
            self.streaming = True
            messages.append(
                {"type": "http.response.start", "status": self.status, "headers": self.headers}
            )
        messages.append(
            {"type": "http.response.body", "body": b"".join(self.chunks), "more_body": more}
        )
        self.chunks.clear()
        self.size = 0
        asyncio.run_coroutine_threadsafe(_send_all(self.send, messages), self.loop).result()


def _resolve(future: asyncio.Future, error: BaseException | None) -> None:
    if future.done():
        return  # the request was cancelled meanwhile
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(error)


async def _awaited(awaitable):
    # run_coroutine_threadsafe takes coroutines only; servers' receive and send may return
    # other awaitables (granian's do).
    return await awaitable


async def _send_all(send, messages) -> None:
    for message in messages:
        await send(message)

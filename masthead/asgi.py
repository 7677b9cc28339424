"""ASGI entry point: what `masthead serve` runs.

A small dispatcher: event streams under /live/ are answered by masthead.live in plain asyncio
(an open stream costs the process about 30 KiB, bench/live.py); a cached page Django answered
before is answered again from memory while it is current (core/pagereplay.py); every other
request goes to Django's WSGI application on a pool of MASTHEAD_THREADS threads. Django's
own ASGI handler would be the alternative, but its hop through sync_to_async for synchronous
views measured two to four times slower than WSGI on threads (bench/discussion.py).
"""

import asyncio
import os
import signal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")

from django.core.wsgi import get_wsgi_application

from masthead.core.wsgi_bridge import WSGIBridge

django_wsgi = get_wsgi_application()

from masthead.core import pagereplay  # noqa: E402 - after Django is set up

django_application = WSGIBridge(
    django_wsgi,
    threads=int(os.environ.get("MASTHEAD_THREADS", "4")),
    responded=pagereplay.remember,
)

from masthead.core.startup import startup_hooks_run  # noqa: E402
from masthead.live.broker import broker_get  # noqa: E402 - after Django is set up
from masthead.live.stream import live_application  # noqa: E402


async def application(scope, receive, send):
    """Send /live/ to the event streams, lifespan events to the broker, cached pages Django
    answered before to their remembered answer (core/pagereplay.py), the rest to Django."""
    if scope["type"] == "http":
        if scope["path"].startswith("/live/"):
            await live_application(scope, receive, send)
        elif not await pagereplay.answer(scope, send):
            await django_application(scope, receive, send)
    elif scope["type"] == "lifespan":
        await lifespan(receive, send)
    else:
        await django_application(scope, receive, send)


async def lifespan(receive, send) -> None:
    """End open event streams when the server is asked to stop, and once it has stopped."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            _end_streams_on_signals(asyncio.get_running_loop())
            # Apps' warm-ups (the moderation model) run now, not in a reader's first request;
            # on a thread, as requests do: on the event loop Django refuses the database
            # (the moderation model's warm-up reads the outlet's installed adaptation).
            try:
                await asyncio.get_running_loop().run_in_executor(None, _startup_hooks_run)
            except Exception as problem:  # noqa: BLE001 - any failure: say it and refuse to start
                # A required part is broken (a model file missing or corrupt): refuse to
                # serve, saying why, instead of failing every request that needs it.
                await send({"type": "lifespan.startup.failed", "message": str(problem)})
                return
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await broker_get().close()
            await send({"type": "lifespan.shutdown.complete"})
            return


def _startup_hooks_run() -> None:
    from django.db import connections

    try:
        startup_hooks_run()
    finally:
        connections.close_all()  # this thread's: it serves no request afterwards


def _end_streams_on_signals(loop: asyncio.AbstractEventLoop) -> None:
    # granian waits for open connections to finish before it shuts the application down, and
    # an event stream never finishes by itself: without this, stopping a server with readers
    # connected would hang until they leave.
    #
    # Two traps, both met with a thousand readers: asyncio learns of a signal through one byte
    # on its self-pipe, which is dropped when the pipe is full (granian wakes the loop once
    # per request event, and a thousand readers leaving at once fill it), so the stop is lost;
    # and granian's own handler deadlocks when it runs a third time (a process-group kill and
    # granian's main process each send one signal). So the signal is taken from both paths,
    # the interpreter's flag (a Python-level handler, never lost) and asyncio's, and granian's
    # handler runs exactly once.
    granian_handlers = dict(getattr(loop, "_signal_handlers", {}))  # copied before replacing
    stopped = False

    def stop(number: int) -> None:
        nonlocal stopped
        if stopped:
            return
        stopped = True
        loop.create_task(broker_get().close())
        if number in granian_handlers:
            granian_handlers[number]._run()

    def handler(signum, frame):
        try:  # noqa: SIM105 - this runs in a signal handler; keep it plain
            loop.call_soon_threadsafe(stop, signum)
        except RuntimeError:
            pass  # the loop has closed: the server is gone already

    for number in (signal.SIGINT, signal.SIGTERM):
        if number in granian_handlers:
            loop.add_signal_handler(number, stop, number)
        signal.signal(number, handler)

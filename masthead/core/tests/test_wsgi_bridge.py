"""The WSGI bridge: Django's WSGI application served from an ASGI server's event loop."""

import asyncio

import pytest

from masthead.core import wsgi_bridge
from masthead.core.wsgi_bridge import WSGIBridge


def call(app, *, body_messages=({"type": "http.request", "body": b""},), method="GET", send=None):
    """Run one request through a bridge around `app`; return the messages sent."""
    sent = []
    incoming = list(body_messages)
    content_length = sum(len(message.get("body", b"")) for message in incoming)

    async def receive():
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def record(message):
        sent.append(message)

    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": "/thing/",
        "root_path": "",
        "query_string": b"a=1",
        "headers": [
            (b"host", b"example.org"),
            (b"content-type", b"text/plain"),
            (b"content-length", str(content_length).encode()),
        ],
        "client": ("10.0.0.1", 4000),
        "server": ("127.0.0.1", 8000),
    }
    bridge = WSGIBridge(app, threads=2)
    asyncio.run(bridge(scope, receive, send or record))
    bridge.executor.shutdown()
    return sent


def test_small_response_is_sent_in_one_piece_after_the_application_finished():
    def app(environ, start_response):
        assert environ["PATH_INFO"] == "/thing/" and environ["QUERY_STRING"] == "a=1"
        assert environ["HTTP_HOST"] == "example.org" and environ["REMOTE_ADDR"] == "10.0.0.1"
        start_response("201 Created", [("Content-Type", "text/plain"), ("X-Thing", "yes")])
        return [b"hello ", b"world"]

    sent = call(app)

    assert sent == [
        {
            "type": "http.response.start",
            "status": 201,
            "headers": [(b"content-type", b"text/plain"), (b"x-thing", b"yes")],
        },
        {"type": "http.response.body", "body": b"hello world"},
    ]


def test_request_body_arriving_in_several_messages_is_read_whole():
    def app(environ, start_response):
        stream = environ["wsgi.input"]
        first_line = stream.readline()
        rest = stream.read()
        start_response("200 OK", [])
        return [first_line.upper(), rest]

    sent = call(
        app,
        method="POST",
        body_messages=[
            {"type": "http.request", "body": b"line one\nli", "more_body": True},
            {"type": "http.request", "body": b"ne two\n", "more_body": True},
            {"type": "http.request", "body": b"end", "more_body": False},
        ],
    )

    assert sent[-1]["body"] == b"LINE ONE\nline two\nend"


def test_large_response_is_streamed_in_chunks_and_its_iterable_closed():
    closed = []

    class Download:
        def __iter__(self):
            for _ in range(100):
                yield b"x" * 8192

        def close(self):
            closed.append(True)

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/pdf")])
        return Download()

    sent = call(app)

    assert sent[0]["type"] == "http.response.start"
    bodies = sent[1:]
    assert len(bodies) > 2
    assert all(message["more_body"] for message in bodies[:-1])
    assert not bodies[-1]["more_body"]
    assert sum(len(message["body"]) for message in bodies) == 100 * 8192
    assert closed == [True]


def test_client_leaving_during_a_streamed_response_stops_the_application(monkeypatch):
    monkeypatch.setattr(wsgi_bridge, "BUFFER_LIMIT", 10)
    monkeypatch.setattr(wsgi_bridge, "STREAM_CHUNK", 10)
    produced, closed = [], []

    class Endless:
        def __iter__(self):
            while True:
                produced.append(1)
                yield b"y" * 10

        def close(self):
            closed.append(True)

    def app(environ, start_response):
        start_response("200 OK", [])
        return Endless()

    async def gone(message):
        if message["type"] == "http.response.body":
            raise OSError("client disconnected")

    call(app, send=gone)

    assert len(produced) == 1
    assert closed == [True]


def test_write_callable_output_comes_before_the_iterable():
    def app(environ, start_response):
        write = start_response("200 OK", [])
        write(b"early ")
        return [b"late"]

    assert call(app)[-1]["body"] == b"early late"


def test_request_without_a_body_never_waits_for_one():
    def app(environ, start_response):
        assert environ["wsgi.input"].read() == b""
        start_response("200 OK", [])
        return [b"ok"]

    async def receive():
        raise AssertionError("a GET without a body must not wait for one")

    async def scenario():
        sent = []

        async def send(message):
            sent.append(message)

        scope = {
            "type": "http",
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": "/",
            "root_path": "",
            "query_string": b"",
            "headers": [(b"host", b"example.org")],
        }
        await WSGIBridge(app, threads=1)(scope, receive, send)
        return sent

    assert asyncio.run(scenario())[-1]["body"] == b"ok"


def test_an_application_error_reaches_the_server():
    def app(environ, start_response):
        raise RuntimeError("broken view")

    with pytest.raises(RuntimeError, match="broken view"):
        call(app)

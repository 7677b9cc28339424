"""Akismet answers, imitated by a real HTTP server on loopback.

The akismet client always calls https://rest.akismet.com; the httpx client given to it carries
a transport that sends those requests to the local server instead, so everything below the
URL (form encoding, headers, status codes, timeouts, refused connections) is real.
"""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import httpx
import pytest

from conftest import free_port
from masthead.moderation import akismet as akismet_stage


class FakeAkismet(BaseHTTPRequestHandler):
    """Answers comment-check as the server's `reply` says: (status, body, headers, delay)."""

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        form = parse_qs(self.rfile.read(length).decode())
        self.server.requests.append((self.path, {key: values[0] for key, values in form.items()}))
        status, body, headers, delay = self.server.reply
        time.sleep(delay)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, format, *args):  # keep the test output quiet
        pass


class ToLoopback(httpx.BaseTransport):
    """Send every request to 127.0.0.1:`port` over plain HTTP, whatever its URL says."""

    def __init__(self, port: int):
        self.port = port
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=self.port)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


@pytest.fixture
def fake_akismet(settings):
    settings.AKISMET_API_KEY = "test-key"
    settings.AKISMET_BLOG_URL = "https://news.example.org"
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeAkismet)
    server.daemon_threads = True
    server.requests = []
    server.reply = (200, "false", {}, 0)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def client_for(port: int, timeout: float = 2.0) -> httpx.Client:
    return httpx.Client(transport=ToLoopback(port), timeout=timeout)


def check(http_client) -> tuple[bool | None, str]:
    return akismet_stage.akismet_check(
        text="Buy cheap watches at example.com",
        author_name="Sam Seller",
        author_email="sam@example.org",
        user_ip="203.0.113.7",
        user_agent="Mozilla/5.0",
        referrer="https://news.example.org/",
        permalink="https://news.example.org/city/story/",
        http_client=http_client,
    )


def test_spam_is_reported_as_spam_with_what_was_sent(fake_akismet):
    fake_akismet.reply = (200, "true", {}, 0)
    with client_for(fake_akismet.server_port) as client:
        assert check(client) == (True, akismet_stage.REASON_SPAM)

    path, form = fake_akismet.requests[0]
    assert path == "/1.1/comment-check"
    assert form["api_key"] == "test-key" and form["blog"] == "https://news.example.org"
    assert form["user_ip"] == "203.0.113.7"
    assert form["comment_content"] == "Buy cheap watches at example.com"
    assert form["comment_author_email"] == "sam@example.org"
    assert form["comment_type"] == "comment"
    assert form["permalink"] == "https://news.example.org/city/story/"


def test_blatant_spam_is_told_apart_by_the_pro_tip_header(fake_akismet):
    fake_akismet.reply = (200, "true", {"X-akismet-pro-tip": "discard"}, 0)
    with client_for(fake_akismet.server_port) as client:
        assert check(client) == (True, akismet_stage.REASON_BLATANT_SPAM)


def test_a_clean_comment_is_ham(fake_akismet):
    with client_for(fake_akismet.server_port) as client:
        assert check(client) == (False, "")


def test_a_server_error_means_unknown(fake_akismet):
    fake_akismet.reply = (500, "oops", {}, 0)
    with client_for(fake_akismet.server_port) as client:
        assert check(client) == (None, "Akismet answered with an error (HTTP 500)")


def test_a_refused_key_means_unknown(fake_akismet):
    fake_akismet.reply = (200, "invalid", {}, 0)
    with client_for(fake_akismet.server_port) as client:
        assert check(client) == (None, "Akismet refused the API key")


def test_an_unreadable_answer_means_unknown(fake_akismet):
    fake_akismet.reply = (200, "maybe", {}, 0)
    with client_for(fake_akismet.server_port) as client:
        assert check(client) == (None, "Akismet's answer could not be understood")


def test_a_slow_server_times_out_quickly(fake_akismet):
    fake_akismet.reply = (200, "true", {}, 1.0)
    started = time.monotonic()
    with client_for(fake_akismet.server_port, timeout=0.2) as client:
        assert check(client) == (None, "Akismet did not answer in time")
    assert time.monotonic() - started < 0.9


def test_the_default_client_has_a_short_timeout_within_the_stage_budget(settings):
    settings.MODERATION_STAGE_TIMEOUT_SECONDS = 1.0
    with akismet_stage.akismet_http_client() as client:
        assert client.timeout.read == 0.75 and client.timeout.connect == 0.375


def test_an_unreachable_server_means_unknown(settings):
    settings.AKISMET_API_KEY = "test-key"
    settings.AKISMET_BLOG_URL = "https://news.example.org"
    nobody_listens = free_port()
    with client_for(nobody_listens) as client:
        assert check(client) == (None, akismet_stage.UNREACHABLE)


def test_without_configuration_nothing_is_asked(settings, fake_akismet):
    settings.AKISMET_API_KEY = ""
    with client_for(fake_akismet.server_port) as client:
        is_spam, reason = check(client)
    assert is_spam is None and "not configured" in reason
    assert fake_akismet.requests == []

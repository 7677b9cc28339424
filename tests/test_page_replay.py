"""Cached pages answered by the ASGI layer (core/pagereplay.py), never staler than the cache.

Each request goes through `masthead.asgi.application`, the dispatcher `masthead serve` runs,
with Django behind the same WSGI bridge. Whether Django saw a request is read from its
`request_started` signal: an answer from the ASGI layer never reaches it.
"""

import asyncio
import gzip

import pytest
from bs4 import BeautifulSoup
from django.core.signals import request_started
from django.core.wsgi import get_wsgi_application
from django.db import connections

from masthead import asgi
from masthead.core import pagereplay
from masthead.core.wsgi_bridge import WSGIBridge
from masthead.discussion import services
from masthead.discussion.tests.factories import article_thread, guest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _closing(app):
    # The bridge's thread keeps its database connection between requests, as in production;
    # here it is closed after each one, so the test database can be emptied and dropped.
    def application(environ, start_response):
        try:
            yield from app(environ, start_response)
        finally:
            connections.close_all()

    return application


@pytest.fixture
def server(monkeypatch, settings):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 600
    bridge = WSGIBridge(_closing(get_wsgi_application()), threads=1, responded=pagereplay.remember)
    monkeypatch.setattr(asgi, "django_application", bridge)
    pagereplay.forget_all()
    seen = []

    def count(**kwargs):
        seen.append(1)

    request_started.connect(count)
    yield Server(seen)
    request_started.disconnect(count)
    pagereplay.forget_all()
    bridge.executor.shutdown()


class Server:
    def __init__(self, seen: list):
        self.seen = seen

    def get(self, path: str, headers: dict[str, str] | None = None):
        """Return (status, headers, body, whether Django answered) for a GET of `path`."""
        before = len(self.seen)
        sent = []
        path, _, query = path.partition("?")
        scope = {
            "type": "http",
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": query.encode(),
            "headers": [(b"host", b"localhost")]
            + [(name.lower().encode(), value.encode()) for name, value in (headers or {}).items()],
            "client": ("10.0.0.1", 4000),
            "server": ("127.0.0.1", 8000),
        }

        async def receive():
            return {"type": "http.request", "body": b""}

        async def send(message):
            sent.append(message)

        asyncio.run(asgi.application(scope, receive, send))
        start, body = sent[0], b"".join(m.get("body", b"") for m in sent[1:])
        return start["status"], dict(start["headers"]), body, len(self.seen) > before


def comment_texts(body: bytes) -> list[str]:
    page = BeautifulSoup(body, "html.parser")
    return [card.get_text(strip=True) for card in page.select("article.comment .comment-body")]


def test_a_cached_page_is_answered_again_without_django_byte_for_byte(server):
    article, thread = article_thread()
    services.comment_post(thread=thread, text="First thoughts", author=guest())

    status, headers, rendered, by_django = server.get(article.url)
    assert (status, headers[b"x-page-cache"], by_django) == (200, b"miss", True)
    status, headers_again, replayed, by_django = server.get(article.url)

    assert (status, by_django) == (200, False)
    assert replayed == rendered
    assert comment_texts(replayed) == ["First thoughts"]
    assert headers_again[b"x-page-cache"] == b"hit"
    # Every header of the page as Django sent it (the security policy and its nonce too).
    assert {**headers_again, b"x-page-cache": b"miss"} == headers
    assert b"x-content-type-options" in headers and b"vary" in headers


def test_a_new_comment_shows_on_the_very_next_view(server):
    article, thread = article_thread()
    services.comment_post(thread=thread, text="First thoughts", author=guest())
    server.get(article.url)
    assert server.get(article.url)[3] is False  # remembered

    services.comment_post(thread=thread, text="A second opinion", author=guest("Bo"))
    status, _, body, by_django = server.get(article.url)

    assert (status, by_django) == (200, True)
    assert sorted(comment_texts(body)) == ["A second opinion", "First thoughts"]
    assert server.get(article.url)[3] is False  # the new page is remembered in turn


def test_an_unpublished_article_is_gone_at_once(server):
    article, _ = article_thread()
    server.get(article.url)
    assert server.get(article.url)[0] == 200

    article.unpublish()

    status, _, _, by_django = server.get(article.url)
    assert (status, by_django) == (404, True)


def test_each_coding_is_remembered_apart_and_answered_as_accepted(server):
    article, _ = article_thread()
    plain = server.get(article.url)[2]
    server.get(article.url, {"Accept-Encoding": "gzip"})

    status, headers, body, by_django = server.get(article.url, {"Accept-Encoding": "gzip"})
    assert (status, by_django, headers[b"content-encoding"]) == (200, False, b"gzip")
    assert gzip.decompress(body) == plain
    assert int(headers[b"content-length"]) == len(body)
    status, headers, body, _ = server.get(article.url)
    assert b"content-encoding" not in headers and body == plain


def test_a_reader_with_a_session_is_never_answered_from_memory(server):
    article, _ = article_thread()
    server.get(article.url)
    assert server.get(article.url)[3] is False

    assert server.get(article.url, {"Cookie": "sessionid=whatever"})[3] is True
    assert server.get(article.url, {"Cookie": "a=1; sessionid=whatever"})[3] is True


def test_each_language_asked_for_is_remembered_apart(server):
    # The page cache keys pages by the language a reader asks for (search and error pages
    # follow it); an article answers in its own language whatever the browser asks.
    article, _ = article_thread()
    english = server.get(article.url, {"Accept-Language": "en"})
    french = server.get(article.url, {"Accept-Language": "fr-FR,fr;q=0.9"})
    chosen = server.get(article.url, {"Cookie": "django_language=de"})
    assert [answer[3] for answer in (english, french, chosen)] == [True, True, True]

    again = [
        server.get(article.url, {"Accept-Language": "en"}),
        server.get(article.url, {"Accept-Language": "fr-FR,fr;q=0.9"}),
        server.get(article.url, {"Cookie": "django_language=de"}),
    ]
    assert [answer[3] for answer in again] == [False, False, False]
    assert {answer[1][b"content-language"] for answer in again} == {b"en"}


def test_junk_in_the_address_never_fills_memory(server):
    article, _ = article_thread()
    for number in range(5):
        assert server.get(f"{article.url}?utm_source={number}")[3] is True
    assert pagereplay._answers == {} or all(
        b"utm_source" not in key[6] for key in pagereplay._answers
    )

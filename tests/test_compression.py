"""Compressed answers: brotli or gzip as the browser accepts, cached pages compressed once."""

import gzip
import json

import brotli
import pytest

from masthead.core import compression
from masthead.discussion.services import thread_for_page
from masthead.discussion.tests.factories import comments_bulk
from masthead.publishing.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    section = factories.section_create("Harbour")
    body = [{"type": "paragraph", "value": "<p>" + "The ferry runs late again. " * 80 + "</p>"}]
    return factories.article_create(section, "Night ferry", body=body)


@pytest.mark.parametrize(
    ("header", "coding"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip, deflate", "gzip"),
        ("br;q=0, gzip;q=0.5", "gzip"),
        ("*", "br"),
        ("*;q=0", None),
        ("identity", None),
        ("", None),
        ("gzip;q=oops, br;q=0", None),
        ("GZIP", "gzip"),
    ],
)
def test_the_coding_follows_what_the_browser_accepts(header, coding):
    assert compression.encoding_accepted(header) == coding


def test_an_article_comes_in_brotli_and_gzip_and_as_is_the_same_page(client, article):
    plain = client.get(article.url)
    as_brotli = client.get(article.url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    as_gzip = client.get(article.url, HTTP_ACCEPT_ENCODING="gzip")

    assert "Content-Encoding" not in plain
    assert as_brotli["Content-Encoding"] == "br"
    assert as_gzip["Content-Encoding"] == "gzip"
    assert brotli.decompress(as_brotli.content) == plain.content
    assert gzip.decompress(as_gzip.content) == plain.content
    assert len(as_brotli.content) < len(plain.content) / 3
    assert int(as_brotli["Content-Length"]) == len(as_brotli.content)
    for response in (plain, as_brotli, as_gzip):
        assert "Accept-Encoding" in response["Vary"]


def test_a_cached_page_is_compressed_once_when_stored_not_per_reader(client, article, monkeypatch):
    calls = []
    real = compression.compress

    def counting(body, coding):
        calls.append(coding)
        return real(body, coding)

    monkeypatch.setattr(compression, "compress", counting)
    first = client.get(article.url, HTTP_ACCEPT_ENCODING="br")
    assert first["X-Page-Cache"] == "miss"
    assert sorted(calls) == ["br", "gzip"]  # both stored with the page

    for header in ("br", "gzip", "br, gzip", ""):
        again = client.get(article.url, HTTP_ACCEPT_ENCODING=header)
        assert again["X-Page-Cache"] == "hit"
    assert sorted(calls) == ["br", "gzip"]


def test_api_answers_and_feeds_are_compressed_too(client, article):
    comments_bulk(thread_for_page(article), 5)
    api = client.get(f"/api/v1/threads/{article.pk}/comments", HTTP_ACCEPT_ENCODING="br")
    feed = client.get("/feed/", HTTP_ACCEPT_ENCODING="gzip")

    assert api.status_code == 200
    assert api["Content-Encoding"] == "br"
    assert len(json.loads(brotli.decompress(api.content))["comments"]) == 5
    assert feed.status_code == 200
    assert feed["Content-Encoding"] == "gzip"
    assert b"<rss" in gzip.decompress(feed.content)


def test_small_answers_are_left_as_they_are(client):
    response = client.get("/robots.txt", HTTP_ACCEPT_ENCODING="br")

    assert response.status_code == 200
    assert "Content-Encoding" not in response

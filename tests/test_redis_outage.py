"""With REDIS_URL set and Redis gone, the site is slower, never broken.

A redis-server of these tests' own is stopped (or frozen with SIGSTOP, like a hung host) in the
middle of each test: pages and the API are rendered instead of cached, comments are posted and
stored once, rate limits count per process, the outage is logged once and shown on the admin's
dashboard, and once Redis is back pages are cached again, none of them stale.
"""

import json
import logging
import os
import signal
import time

import pytest
import redis

from conftest import RedisServer
from masthead.core import ratelimit, sharedcache
from masthead.discussion.models import Comment
from masthead.discussion.tests.factories import article_thread

# The transaction commits inside the request, so after-commit work (page-cache invalidation,
# live events) runs where it would in production and can fail the response if it raises.
pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SKIP_SECONDS = 0.2  # the breaker, short so a test sees Redis again quickly
CIVIL = "I think the council's new budget underfunds the bus network, and the figures show it."


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis-outage"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def shared_cache(redis_server, settings, monkeypatch):
    """Django's cache on the test's own Redis, configured as settings.py does with REDIS_URL."""
    if redis_server.process is None:
        redis_server.start()
    redis.Redis.from_url(redis_server.url).flushdb()  # this test module's own server
    monkeypatch.setattr(sharedcache, "_health", sharedcache._Health())
    ratelimit._process_counters.clear()  # earlier tests' outages counted there
    settings.CACHES = {
        "default": {
            "BACKEND": "masthead.core.sharedcache.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "masthead",
            "OPTIONS": {"socket_timeout": 0.3, "skip_seconds": SKIP_SECONDS},
        },
        "renditions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 600
    yield redis_server
    if redis_server.process is None:
        redis_server.start()
    else:
        os.kill(redis_server.process.pid, signal.SIGCONT)


def back(server: RedisServer) -> None:
    """Start Redis again (empty, like a restarted server) and let the breaker's wait pass."""
    server.start()
    time.sleep(SKIP_SECONDS + 0.1)


def post(client, thread, text=CIVIL, address="192.0.2.1", email="ada@example.org"):
    return client.post(
        f"/api/v1/threads/{thread.key}/comments",
        data=json.dumps({"text": text, "author_name": "Ada", "author_email": email}),
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def cache_warnings(caplog) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "masthead.core.sharedcache" and record.levelno == logging.WARNING
    ]


def test_readers_get_pages_and_the_api_while_redis_is_down_and_cached_pages_after(
    client, shared_cache, caplog
):
    article, thread = article_thread("Buses in the budget")
    assert client.get(article.url)["X-Page-Cache"] == "miss"
    assert client.get(article.url)["X-Page-Cache"] == "hit"

    shared_cache.stop()
    caplog.set_level(logging.WARNING)
    for _ in range(4):
        page = client.get(article.url)
        assert page.status_code == 200
        assert "Buses in the budget" in page.content.decode()
        assert page["X-Page-Cache"] == "unavailable"
        listing = client.get(f"/api/v1/threads/{thread.key}/comments")
        assert listing.status_code == 200
        assert listing.json()["thread"]["count"] == 0
        time.sleep(SKIP_SECONDS)  # past the breaker: each round tries Redis again

    # Logged once, not once per request or per retry.
    (warning,) = cache_warnings(caplog)
    assert "The shared cache (Redis) is unreachable" in warning

    back(shared_cache)
    assert client.get(article.url)["X-Page-Cache"] == "miss"
    assert client.get(article.url)["X-Page-Cache"] == "hit"
    assert any("reachable again" in message for message in cache_warnings(caplog))


def test_a_comment_posted_while_redis_is_down_is_stored_once(client, shared_cache):
    _, thread = article_thread()

    shared_cache.stop()
    response = post(client, thread)

    assert response.status_code == 201
    assert response.json()["status"] == "published"
    assert Comment.objects.filter(thread=thread, text=CIVIL).count() == 1


def test_a_hung_redis_costs_the_page_cache_invalidation_not_the_comment_nor_fresh_pages(
    client, shared_cache
):
    """SIGSTOP: connections open but nothing answers, as with a hung or firewalled host. The
    comment's after-commit invalidation times out; the POST still succeeds, and the page cached
    before the outage, still in Redis afterwards, is not served stale."""
    article, thread = article_thread()
    client.get(article.url)
    assert client.get(article.url)["X-Page-Cache"] == "hit"

    os.kill(shared_cache.process.pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        response = post(client, thread, "The timetable in the appendix contradicts page four.")
        waited = time.monotonic() - started
    finally:
        os.kill(shared_cache.process.pid, signal.SIGCONT)

    assert response.status_code == 201
    assert Comment.objects.filter(thread=thread).count() == 1
    assert waited < 5  # one short socket timeout, then Redis is skipped
    time.sleep(SKIP_SECONDS + 0.1)
    page = client.get(article.url)
    assert page["X-Page-Cache"] == "miss"
    assert "The timetable in the appendix contradicts page four." in page.content.decode()


def test_rate_limits_still_refuse_a_flood_while_redis_is_down(client, shared_cache):
    _, thread = article_thread()

    shared_cache.stop()
    answers = [post(client, thread, f"{CIVIL} Point {n}.") for n in range(6)]

    # The burst limit (5 a minute per reader), counted in this process meanwhile.
    assert [answer.status_code for answer in answers] == [201] * 5 + [429]
    assert Comment.objects.filter(thread=thread).count() == 5


def test_the_dashboard_tells_staff_while_and_after_redis_was_down(admin_client, shared_cache):
    assert "shared cache (Redis)" not in admin_client.get("/admin/").content.decode()

    shared_cache.stop()
    during = admin_client.get("/admin/")
    assert during.status_code == 200
    text = " ".join(during.content.decode().split())
    assert "The shared cache (Redis) was unreachable at" in text
    assert "pages are served uncached and rate limits are per process" in text

    back(shared_cache)
    after = " ".join(admin_client.get("/admin/").content.decode().split())
    assert "It works again." in after
    assert "pages are served uncached" not in after

"""Page cache tag versions kept in process memory, never staler than the shared cache.

A cached page is current while its tags' versions are those it was stored under. Reading them
from the shared cache on every hit costs more than the hit itself, so each process keeps them:
with the file cache while the files are unchanged, with Redis while no change was announced.
Another process's change (here: a second cache backend on the same files or the same Redis,
as another server process has) must be seen at once, whatever was kept.
"""

import os
import threading
import time

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache

from masthead.core import pagecache
from masthead.core.sharedcache import ResilientRedisCache
from masthead.discussion import services
from masthead.discussion.tests.factories import article_thread, guest
from tests.test_page_replay import comment_texts, server  # noqa: F401 - the fixture

KEY = pagecache._tag_key("thread:7")


def read(key: str = KEY):
    """The version of `key` as a page of this process would read it."""
    return pagecache._versions_of([key], {})[key]


def eventually(condition, seconds: float = 3.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


# --- the file cache --------------------------------------------------------------------------


@pytest.fixture
def file_cache(settings, tmp_path):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        },
    }
    pagecache.tag_versions_forget()
    return FileBasedCache(str(tmp_path / "cache"), {})  # another process's view of it


def age(key: str, seconds: float) -> None:
    """Make the file holding `key` look written `seconds` ago (a version kept for long)."""
    path = caches["default"]._key_to_file(key)
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_version_another_process_changes_in_the_file_cache_is_read_at_once(file_cache):
    pagecache.cache_tags_invalidate("thread:7")
    age(KEY, 3600)
    first = read()
    assert read() == first  # kept now: its file is old and unchanged

    file_cache.incr(KEY)  # another server process invalidates the thread

    assert read() == first + 1
    age(KEY, 3600)
    assert read() == first + 1
    file_cache.incr(KEY)
    assert read() == first + 2


def test_a_version_whose_file_was_culled_starts_again_from_a_new_number(file_cache):
    pagecache.cache_tags_invalidate("thread:7")
    age(KEY, 3600)
    first = read()
    read()

    file_cache.delete(KEY)  # culled when the cache was full, or the cache folder emptied

    again = read()
    assert again is not None and again != first


# --- Redis -----------------------------------------------------------------------------------


@pytest.fixture
def redis_cache(settings, redis_url):
    params = {"KEY_PREFIX": "masthead", "OPTIONS": {"socket_timeout": 0.5, "skip_seconds": 0.1}}
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "masthead.core.sharedcache.ResilientRedisCache",
            "LOCATION": redis_url,
            **params,
        },
    }
    pagecache.tag_versions_forget()
    # Another server process: its own connection to the same Redis, its own invalidations.
    other = ResilientRedisCache(redis_url, params)
    yield other, redis.Redis.from_url(redis_url)
    pagecache.tag_versions_forget()


def listening() -> bool:
    read()  # the first read starts this process's listener
    return pagecache._announced.listening


def bump(other) -> None:
    other.counter_bump_announced(
        KEY, start=time.time_ns(), channel=pagecache._AnnouncedVersions.CHANNEL
    )


def reads_from_redis(client) -> int:
    stats = client.info("commandstats")
    return sum(stats.get(f"cmdstat_{name}", {}).get("calls", 0) for name in ("get", "mget"))


@pytest.mark.redis
def test_kept_redis_versions_spare_redis_and_follow_another_process_changes(redis_cache):
    other, client = redis_cache
    pagecache.cache_tags_invalidate("thread:7")
    assert eventually(listening)
    first = read()
    before = reads_from_redis(client)
    assert all(read() == first for _ in range(200))
    assert reads_from_redis(client) - before <= 1  # read once, then kept

    bump(other)

    assert eventually(lambda: read() == first + 1, seconds=1.0)
    bump(other)
    bump(other)
    assert eventually(lambda: read() == first + 3, seconds=1.0)


@pytest.mark.redis
def test_this_process_sees_its_own_invalidation_on_its_next_read(redis_cache):
    pagecache.cache_tags_invalidate("thread:7")
    assert eventually(listening)
    first = read()
    read()

    pagecache.cache_tags_invalidate("thread:7")

    assert read() == first + 1  # at once, not when the announcement comes back


@pytest.mark.redis
def test_changes_announced_while_the_listener_was_cut_off_are_not_missed(redis_cache):
    other, client = redis_cache
    pagecache.cache_tags_invalidate("thread:7")
    assert eventually(listening)
    first = read()
    read()

    client.client_kill_filter(_type="pubsub")  # the listener's connection drops
    assert eventually(lambda: not pagecache._announced.listening)
    bump(other)  # announced to nobody

    assert read() == first + 1
    assert eventually(listening)  # it subscribes again, and keeps versions again
    bump(other)
    assert eventually(lambda: read() == first + 2, seconds=1.0)


@pytest.mark.redis
def test_a_version_read_while_its_change_is_announced_is_not_kept(redis_cache, monkeypatch):
    other, _ = redis_cache
    pagecache.cache_tags_invalidate("thread:7")
    assert eventually(listening)
    first = read()
    pagecache.tag_versions_forget()
    assert eventually(listening)
    pagecache._announced.kept.clear()

    # The read answers the old version, and the change is announced before it is kept.
    answered = threading.Event()
    get_many = caches["default"].get_many

    def slow_get_many(keys, version=None):
        found = get_many(keys, version)
        bump(other)
        assert eventually(lambda: pagecache._announced.generation > generation)
        answered.set()
        return found

    generation = pagecache._announced.generation
    monkeypatch.setattr(caches["default"], "get_many", slow_get_many)
    assert read() == first
    monkeypatch.undo()

    assert answered.is_set()
    assert read() == first + 1


@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_redis_a_new_comment_shows_on_the_very_next_cached_view(redis_cache, server):  # noqa: F811
    article, thread = article_thread()
    services.comment_post(thread=thread, text="First thoughts", author=guest())
    server.get(article.url)
    assert eventually(listening)
    server.get(article.url)
    assert server.get(article.url)[3] is False  # answered by the ASGI layer, not Django

    services.comment_post(thread=thread, text="A second opinion", author=guest("Bo"))
    status, _, body, by_django = server.get(article.url)

    assert (status, by_django) == (200, True)
    assert sorted(comment_texts(body)) == ["A second opinion", "First thoughts"]
    assert server.get(article.url)[3] is False


@pytest.mark.redis
@pytest.mark.django_db
def test_a_signed_in_readers_article_asks_redis_for_the_session_only(
    redis_cache, client, django_user_model
):
    """What every page shows and almost never changes (the locales, when threads close, the
    goal bar's figures, the comment list) is kept in the process while its tags stand."""
    _, redis_client = redis_cache
    article, thread = article_thread()
    services.comment_post(thread=thread, text="A view from the ferry", author=guest())
    client.force_login(django_user_model.objects.create_user("ada", first_name="Ada"))
    assert client.get(article.url).status_code == 200  # fills the shared cache
    assert eventually(listening)
    client.get(article.url)  # reads the versions again, now kept

    before = reads_from_redis(redis_client)
    response = client.get(article.url)

    assert response.status_code == 200 and b"A view from the ferry" in response.content
    assert reads_from_redis(redis_client) - before == 1  # the reader's session

"""A page cache for anonymous readers, invalidated the moment what a page shows changes.

Pages that opt in (by setting `response.cache_tags`) are stored whole for readers without a
session. Each entry remembers the version of every tag it was built under; bumping a tag
(`cache_tags_invalidate`) makes every entry carrying it stale at once, without knowing which
URLs those are. Per-reader state never enters these pages: it comes from a separate request.

While the shared cache is unreachable (see `core.sharedcache`), every page is rendered and
answered with `X-Page-Cache: unavailable`; invalidations made meanwhile are lost, so the first
process to reach the cache again makes every stored page stale.
"""

import os
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache, caches
from django.core.signals import request_finished, request_started
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import translation

from masthead.core import compression
from masthead.core.sharedcache import shared_cache_recovered, shared_cache_unavailable

# Lists may be paginated; any other query string (tracking tags, random junk) is not cached,
# so nobody can fill the cache with one entry per made-up URL.
CACHEABLE_PARAMETERS = {"page"}
# The security headers too: a cached page must keep the policy (and nonce) it was rendered with.
HEADERS_KEPT = (
    "Content-Type",
    "Content-Language",
    "Vary",
    "X-Frame-Options",
    "Content-Security-Policy",
    "Content-Security-Policy-Report-Only",
    "Permissions-Policy",
)


def _tag_key(tag: str) -> str:
    return f"pagecache:tag:{tag}"


def _version_new() -> int:
    # 62 random bits: a tag whose version was evicted, or is changed, never takes a number an
    # old entry may have been stored under (which would make that entry current again). Not
    # the clock: two changes within one tick, or under a test's frozen clock, would agree.
    return secrets.randbits(62)


class _LocalEntries:
    """The most used entries of the shared cache, also kept in this process's memory.

    A cached page or part is read hundreds of times a second; reading it from the shared
    cache means a file (or Redis) read and unpickling tens of kilobytes each time. An entry
    kept here is used only while its tags' versions, read from the shared cache, are still
    those it was stored under: it is never staler than the shared cache's own. Values are
    shared between requests and threads: never change one.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        # key -> (versions, value, expires: time.monotonic() after which it is not used)
        self.entries: OrderedDict[str, tuple[dict, object, float]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str, versions: dict | None = None):
        """Return the (versions, value) kept under `key`, if not expired (and stored under
        `versions`, when given)."""
        with self.lock:
            entry = self.entries.get(key)
            if entry is None or (versions is not None and entry[0] != versions):
                return None
            if time.monotonic() >= entry[2]:
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return entry[0], entry[1]

    def put(self, key: str, versions: dict, value, *, seconds: float) -> None:
        with self.lock:
            self.entries[key] = (versions, value, time.monotonic() + seconds)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


_local = _LocalEntries(size=256)

# The tag versions read during the current request, so that its several parts read each tag
# once: a request is one moment, and its parts agree with each other. Outside a request (the
# worker, the scheduler, a shell) nothing is remembered.
_request = threading.local()


@receiver(request_started)
def _request_begins(**kwargs) -> None:
    _request.versions = {}


@receiver(request_finished)
def _request_ends(**kwargs) -> None:
    _request.versions = None


def cache_tags_invalidate(*tags: str) -> None:
    """Make every cached page and fragment carrying one of `tags` stale."""
    remembered = getattr(_request, "versions", None)
    announced = _announced_versions()
    for tag in tags:
        key = _tag_key(tag)
        if remembered is not None:
            remembered.pop(key, None)
        if announced is not None:
            announced.bump(key)
            continue
        # A version only has to differ from every one an entry was stored under: a new random
        # one does, in one write (a file cache's add and incr would be three).
        cache.set(key, _version_new(), timeout=None)


_outages_ended = 0  # how many times the shared cache came back (this process saw)


@receiver(shared_cache_recovered)
def _pages_after_outage(sender, **kwargs):
    # Pages stored before the outage may have changed during it, unannounced.
    global _outages_ended
    _outages_ended += 1
    cache_tags_invalidate("site")


def _versions(tags) -> dict:
    return _versions_current([_tag_key(tag) for tag in tags])


def _versions_current(keys: list[str]) -> dict:
    """Return the current version of each tag key, read once per request."""
    remembered = getattr(_request, "versions", None)
    if remembered is None:
        return _versions_of(keys, {})
    unread = [key for key in keys if key not in remembered]
    if unread:
        read = _versions_of(unread, {})
        remembered.update({key: version for key, version in read.items() if version is not None})
        return {key: remembered.get(key, read.get(key)) for key in keys}
    return {key: remembered[key] for key in keys}


def _versions_of(keys: list[str], found: dict) -> dict:
    """Return the current version of each tag key (`found` holds those already read).

    A tag nobody has invalidated yet gets its first version here, so that an entry is always
    stored under versions that exist; None means the cache could not be reached.
    """
    missing = [key for key in keys if key not in found]
    if missing:
        ended = _outages_ended
        found = {**found, **_read_versions(missing)}
        if ended != _outages_ended:
            # That read was the first after an outage: it answered before the "site" tag was
            # invalidated for the changes the outage hid. Read again.
            found = {**found, **cache.get_many(missing)}
        for key in missing:
            if key not in found:
                cache.add(key, _version_new(), timeout=None)
        if any(key not in found for key in missing):
            found.update(cache.get_many([key for key in missing if key not in found]))
    return {key: found.get(key) for key in keys}


class _FileVersions:
    """Tag versions read from the file cache, kept in memory while their files are unchanged.

    Reading a key from Django's file cache (exists, open, unpickle, decompress) costs ~50 µs,
    several times what answering a remembered page costs (core/pagereplay.py); a stat costs
    ~1 µs. The file cache writes every value to a new file renamed into place, so a value
    whose file has the same inode and modification time as when it was read is the value
    read. Inodes are reused, and modification times are coarse (a clock tick): a value is only
    kept when its file was last written well before it was read (git's "racily clean" rule),
    so a later write, even to a reused inode, has a later modification time.
    """

    SETTLED_NS = 100_000_000  # a file written less than this before it was read is not kept
    KEPT_NS = 30_000_000_000  # nor used for longer than this (a file's expiry is not read)

    def __init__(self) -> None:
        self.paths: dict[str, str] = {}
        # key -> (inode, mtime_ns, size, value, kept until: time.monotonic_ns())
        self.kept: dict[str, tuple] = {}

    def read_many(self, keys: list[str]) -> dict:
        found = {}
        for key in keys:
            value = self.read(key)
            if value is not None:
                found[key] = value
        return found

    def read(self, key: str):
        path = self.paths.get(key)
        if path is None:
            path = self.paths[key] = caches["default"]._key_to_file(key)
        try:
            before = os.stat(path)
        except FileNotFoundError:
            return None
        kept = self.kept.get(key)
        if (
            kept is not None
            and kept[:3] == (before.st_ino, before.st_mtime_ns, before.st_size)
            and time.monotonic_ns() < kept[4]
        ):
            return kept[3]
        value = cache.get(key)
        try:
            after = os.stat(path)
        except FileNotFoundError:
            return value
        signature = (after.st_ino, after.st_mtime_ns, after.st_size)
        if (
            value is not None
            and signature == (before.st_ino, before.st_mtime_ns, before.st_size)
            and time.time_ns() - after.st_mtime_ns > self.SETTLED_NS
        ):
            self.kept[key] = (*signature, value, time.monotonic_ns() + self.KEPT_NS)
        else:
            self.kept.pop(key, None)
        return value


_file_versions = _FileVersions()


class _AnnouncedVersions:
    """Tag versions read from Redis, kept in memory for as long as nobody announces a change.

    Every invalidation bumps its tag and announces it in one step (sharedcache's
    `counter_bump_announced`); each process listens on a thread of its own and forgets a
    kept version the moment its change is announced, and all of them whenever the listener
    is not subscribed (announcements made meanwhile were missed). So a page still current by
    its kept versions is current by Redis's, without a round trip to Redis per page: later
    only by the time an announcement takes to arrive over loopback or the LAN. A process
    cut off from Redis without a reset stops keeping within LISTEN_DEAD_SECONDS.
    """

    CHANNEL = "pagecache:tags"
    SIZE = 20_000  # versions kept at most; past it they are all forgotten and read again

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.kept: dict[str, int] = {}
        # Changes on every announcement and reset: a version read from Redis is kept only if
        # nothing was announced while it was being read (it might predate the change).
        self.generation = 0
        self.listening = False
        self.listener_pid: int | None = None
        self.stop = threading.Event()

    def listen(self) -> None:
        if self.listener_pid == os.getpid():
            return
        with self.lock:
            if self.listener_pid == os.getpid():
                return
            self.listener_pid = os.getpid()  # a forked process listens again
            self.listening = False
            self.kept.clear()
            self.stop = threading.Event()
        caches["default"].announcements_listen(
            self.CHANNEL, heard=self.heard, listening=self.listening_set, stop=self.stop
        )

    def close(self) -> None:
        """Stop listening and forget every kept version (tests: another cache comes next)."""
        with self.lock:
            self.stop.set()
            self.listener_pid = None
            self.listening = False
            self.kept.clear()
            self.generation += 1

    def heard(self, key: str) -> None:
        with self.lock:
            self.kept.pop(key, None)
            self.generation += 1

    def listening_set(self, listening: bool) -> None:
        with self.lock:
            self.kept.clear()
            self.generation += 1
            self.listening = listening and not self.stop.is_set()

    def bump(self, key: str) -> None:
        caches["default"].counter_bump_announced(key, start=_version_new(), channel=self.CHANNEL)
        self.heard(key)  # this process's next read sees the change, announced or not yet

    def kept_only(self, keys: list[str]) -> dict | None:
        """The kept versions of `keys`, or None unless all of them are kept."""
        self.listen()
        with self.lock:
            if not self.listening or shared_cache_unavailable():
                return None
            try:
                return {key: self.kept[key] for key in keys}
            except KeyError:
                return None

    def read_many(self, keys: list[str]) -> dict:
        self.listen()
        with self.lock:
            generation = self.generation
            keeping = self.listening and not shared_cache_unavailable()
            found = {key: self.kept[key] for key in keys if key in self.kept} if keeping else {}
        missing = [key for key in keys if key not in found]
        if missing:
            read = cache.get_many(missing)
            found.update(read)
            with self.lock:
                if keeping and self.generation == generation and self.listening:
                    if len(self.kept) + len(read) > self.SIZE:
                        self.kept.clear()
                    self.kept.update(read)
        return found


_announced = _AnnouncedVersions()


def tag_versions_forget() -> None:
    """Forget the tag versions and entries this process keeps, and stop listening for
    announcements (for tests, which change the shared cache under a running process)."""
    _announced.close()
    _file_versions.kept.clear()
    _file_versions.paths.clear()
    # Versions restart from the clock in an emptied cache, and a frozen clock gives the same
    # number again: what was kept under it belongs to the test before.
    with _local.lock:
        _local.entries.clear()


def _announced_versions() -> _AnnouncedVersions | None:
    backend = caches["default"]
    return _announced if hasattr(backend, "counter_bump_announced") else None


def _read_versions(keys: list[str]) -> dict:
    if settings.CACHES["default"]["BACKEND"].endswith(".FileBasedCache"):
        return _file_versions.read_many(keys)
    announced = _announced_versions()
    if announced is not None:
        return announced.read_many(keys)
    return cache.get_many(keys)


def versions_still_current_here(versions: dict) -> bool | None:
    """Like `versions_still_current`, from what this machine holds, or None where answering
    means asking Redis (a round trip the caller may not want on its thread)."""
    announced = _announced_versions()
    if announced is None:
        return _still_current(versions)
    kept = announced.kept_only(list(versions))
    if kept is None:
        return None
    return all(kept[key] == version for key, version in versions.items())


def versions_still_current(versions: dict) -> bool:
    """Whether no tag of a page stored under `versions` (tag key -> version) has changed."""
    return _still_current(versions)


def _still_current(versions: dict) -> bool:
    current = _versions_current(list(versions))
    return all(
        current.get(key) is not None and current.get(key) == version
        for key, version in versions.items()
    )


Value = TypeVar("Value")


def tagged_value(
    key: str,
    *,
    tags: Iterable[str],
    compute: Callable[[], Value],
    keep: Callable[[Value], bool] | None = None,
    seconds: int | None = None,
) -> Value:
    """Return what `compute` returned, from the cache while none of `tags` was invalidated.

    For the parts of a page that many readers share (a thread's first comments, an article's
    body, the navigation) while the page itself is rendered per reader. The tags' versions
    are read before `compute` runs, so a change committed while it runs is not hidden by the
    value it stores; they are read once per request, and the value itself comes from this
    process's memory when it holds the same version (`_LocalEntries`). While
    the shared cache is unreachable the value is computed every time and nothing is stored;
    nor is a value `keep` refuses (a lookup that found nothing, whose keys anyone can invent).
    `seconds` bounds how long a value is kept when it also follows the clock.
    """
    versions = _versions_current([_tag_key(tag) for tag in tags])
    if any(version is None for version in versions.values()):
        return compute()  # the shared cache is unreachable: nothing can be checked or kept
    entry_key = f"fragment:{key}"
    entry = _local.get(entry_key, versions)
    if entry is not None:
        return entry[1]
    seconds = seconds or settings.MASTHEAD_FRAGMENT_CACHE_SECONDS
    entry = cache.get(entry_key)
    if entry is not None and entry[0] == versions:
        # Its remaining lifetime in the shared cache is unknown: a short while here.
        _local.put(entry_key, versions, entry[1], seconds=min(seconds, 60))
        return entry[1]
    value = compute()
    if keep is None or keep(value):
        cache.set(entry_key, (versions, value), timeout=seconds)
        _local.put(entry_key, versions, value, seconds=seconds)
    return value


def _entry_key(request) -> str | None:
    if request.method not in ("GET", "HEAD"):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None  # signed-in (or once signed-in) readers get pages made for them
    if set(request.GET) - CACHEABLE_PARAMETERS:
        return None
    query = request.GET.urlencode()
    # Pages of the site's tree speak their own language, but search, error and other pages
    # follow the reader's (core/locale.py): one entry per language the reader may ask for.
    language = translation.get_language_from_request(request, check_path=True)
    return f"pagecache:page:{request.get_host()}:{language}:{request.path}?{query}"


def _answer_from(entry: dict, request, response) -> None:
    """Give `response` the entry's bytes in the encoding the reader accepts."""
    encoded = entry.get("encoded") or {}
    if not encoded:
        response.content = entry["content"]
        return
    coding = compression.encoding_accepted(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    if coding in encoded:
        compression.response_encode(response, coding, encoded[coding])
    else:
        compression.response_encode(response, None, entry["content"])
    response["Content-Length"] = str(len(response.content))


# Where this middleware tells the ASGI layer (core/pagereplay.py) that an answer is a cached
# page, with the versions and the lifetime of its entry.
ENVIRON_KEY = "masthead.pagecache"


def _mark_cached(request, entry: dict) -> None:
    if all(version is not None for version in entry["versions"].values()):
        expires = entry.get("stored", 0) + settings.MASTHEAD_PAGE_CACHE_SECONDS
        request.environ[ENVIRON_KEY] = (entry["versions"], expires)


class PageCacheMiddleware:
    """Serve opted-in pages to anonymous readers from the cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.MASTHEAD_PAGE_CACHE_SECONDS:
            return self.get_response(request)
        key = _entry_key(request)
        if key is not None:
            kept = _local.get(key)
            entry = kept[1] if kept else cache.get(key)
            if entry is not None and kept is None:
                left = entry.get("stored", 0) + settings.MASTHEAD_PAGE_CACHE_SECONDS - time.time()
                if left > 0:
                    _local.put(key, entry["versions"], entry, seconds=left)
            if entry is not None and _still_current(entry["versions"]):
                _mark_cached(request, entry)
                response = HttpResponse(status=200)
                for header, value in entry["headers"].items():
                    response[header] = value
                _answer_from(entry, request, response)
                response["X-Page-Cache"] = "hit"
                return response
        response = self.get_response(request)
        tags = getattr(response, "cache_tags", None)
        if (
            key is not None
            and tags
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
        ):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            entry = {
                "content": response.content,
                # Compressed once here, answered as they are on every hit.
                "encoded": compression.variants(response.content, response.get("Content-Type", "")),
                "headers": {h: response[h] for h in HEADERS_KEPT if h in response},
                "versions": _versions(tags),
                "stored": time.time(),
            }
            cache.set(key, entry, timeout=settings.MASTHEAD_PAGE_CACHE_SECONDS)
            _local.put(key, entry["versions"], entry, seconds=settings.MASTHEAD_PAGE_CACHE_SECONDS)
            _answer_from(entry, request, response)
            _mark_cached(request, entry)
            response["X-Page-Cache"] = "miss"
        if key is not None and shared_cache_unavailable():
            response["X-Page-Cache"] = "unavailable"
        return response

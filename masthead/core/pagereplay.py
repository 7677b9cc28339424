"""Cached pages answered in the ASGI layer, before a request reaches Django.

A page-cache hit (core/pagecache.py) still costs a hop to a request thread, a Django request,
the middleware and a response object: about a tenth of what nginx serves of the same bytes
(bench/peers.py). Here the ASGI dispatcher remembers the final answer Django gave for a hit
or a freshly stored page, headers and bytes as they left, and answers the same request with
it while the page cache entry it came from is still current: the same tag versions, within
the entry's lifetime. Anything else (a stale entry, a signed-in reader, a request unlike any
answered before) goes to Django as before, which remembers its answer again.

"The same request" means the same in everything the page cache and the middleware around it
read: method, scheme, host (and the proxy headers Django may trust), path, query string, the
language asked for (the language cookie and Accept-Language) and the coding the reader
accepts. A reader with a session never gets a remembered page, as they never get a cached one.

Answers live in this process's memory, LRU, on the event loop's thread only (no lock); their
bytes are the page cache's own objects, not copies. The tag versions come from what the page
cache keeps in memory (a stat of each version's file, or versions Redis has announced no change
to); where one must be read from Redis, that happens on a thread of a small pool of its own,
so that a slow or unreachable Redis never stalls the loop that also carries live streams.
"""

import asyncio
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings

from masthead.core import compression, pagecache

# Answers remembered per process. Their bytes are shared with the page cache's own memory;
# each entry adds its headers and key.
SIZE = 512


@dataclass(frozen=True)
class _Answer:
    headers: list[tuple[bytes, bytes]]
    body: bytes
    versions: dict
    expires: float  # time.time() after which the page cache entry is not used


_answers: OrderedDict[tuple, _Answer] = OrderedDict()
_checker: ThreadPoolExecutor | None = None


def request_key(scope) -> tuple | None:
    """What a cached page's answer depends on, for a request that may be answered from one."""
    if scope["type"] != "http" or scope["method"] != "GET":
        return None
    host = forwarded_host = forwarded_proto = cookie = accept_language = accept_encoding = b""
    for name, value in scope["headers"]:
        if name == b"host":
            host = value
        elif name == b"cookie":
            cookie = value if not cookie else cookie + b"; " + value
        elif name == b"accept-language":
            accept_language = value
        elif name == b"accept-encoding":
            accept_encoding = value
        elif name == b"x-forwarded-host":
            forwarded_host = value
        elif name == b"x-forwarded-proto":
            forwarded_proto = value
    language_cookie = ""
    if cookie:
        cookies = _cookies(cookie.decode("latin-1"))
        if settings.SESSION_COOKIE_NAME in cookies:
            return None  # pages made for this reader
        language_cookie = cookies.get(settings.LANGUAGE_COOKIE_NAME, "")
    return (
        scope.get("scheme", "http"),
        host,
        forwarded_host,
        forwarded_proto,
        scope.get("root_path", ""),
        scope["path"],
        scope.get("query_string", b""),
        language_cookie,
        accept_language,
        compression.encoding_accepted(accept_encoding.decode("latin-1")),
    )


def _cookies(header: str) -> dict[str, str]:
    from django.http.cookie import parse_cookie

    return parse_cookie(header)


async def answer(scope, send) -> bool:
    """Answer the request from a remembered cached page if one is current; say whether."""
    if not settings.MASTHEAD_PAGE_CACHE_SECONDS or not _answers:
        return False
    key = request_key(scope)
    remembered = _answers.get(key) if key is not None else None
    if remembered is None:
        return False
    if time.time() >= remembered.expires or not await _current(remembered.versions):
        if _answers.get(key) is remembered:
            del _answers[key]
        return False
    _answers.move_to_end(key)
    await send({"type": "http.response.start", "status": 200, "headers": remembered.headers})
    await send({"type": "http.response.body", "body": remembered.body})
    return True


async def _current(versions: dict) -> bool:
    current = pagecache.versions_still_current_here(versions)
    if current is not None:
        return current
    global _checker
    if _checker is None:
        _checker = ThreadPoolExecutor(max_workers=2, thread_name_prefix="pagereplay")
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_checker, pagecache.versions_still_current, versions)


def remember(scope, environ: dict, status: int, headers: list, body: bytes) -> None:
    """Keep Django's answer to `scope` if it was a cached page (called on the event loop)."""
    cached = environ.get(pagecache.ENVIRON_KEY)
    if cached is None or status != 200:
        return
    key = request_key(scope)
    if key is None or any(name == b"set-cookie" for name, _ in headers):
        return  # an answer that sets a cookie is this reader's
    versions, expires = cached
    headers = [
        (name, b"hit" if name == b"x-page-cache" else value)
        for name, value in headers
        if name != b"date"  # the server adds its own
    ]
    _answers[key] = _Answer(headers, body, versions, expires)
    _answers.move_to_end(key)
    while len(_answers) > SIZE:
        _answers.popitem(last=False)


def forget_all() -> None:
    """Drop every remembered answer (tests; the page cache being switched off)."""
    _answers.clear()

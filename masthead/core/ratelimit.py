"""Fixed-window rate limits kept in the shared cache (Redis when configured).

While the shared cache is unreachable, limits count in this process instead: a flood is still
refused, though each server process lets `limit` through per window.
MASTHEAD_RATE_LIMITS=off switches every limit off, for load tests.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache

from masthead.core.sharedcache import shared_cache_unavailable

# Counters of this process, used only while the shared cache is unreachable; bounded, so a
# flood of distinct buckets evicts old counters rather than growing memory.
_process_counters = LocMemCache("masthead-ratelimit", {"OPTIONS": {"MAX_ENTRIES": 20000}})


def rate_limit_retry_after(
    bucket: str, *, limit: int, window_seconds: int, count_it: bool = True
) -> int:
    """Count one event in `bucket`; return 0 if within `limit` per window, else seconds to wait.

    With `count_it=False` the event was counted before (a retry of the same request): the
    answer is the one the events counted so far give, and nothing is added.

    Windows are aligned to the clock (bucket + window number), so the wait is exact without
    reading a key's remaining lifetime, which not every cache backend can tell.
    Pass keyed hashes, never raw addresses, in `bucket`: cache keys can end up in logs.
    """
    if not getattr(settings, "MASTHEAD_RATE_LIMITS", True) or limit <= 0 or window_seconds <= 0:
        return 0
    now = time.time()
    window = int(now // window_seconds)
    key = f"ratelimit:{bucket}:{window_seconds}:{window}"
    if not count_it:
        count = cache.get(key, 0)
        if shared_cache_unavailable():
            count = _process_counters.get(key, 0)
    else:
        count = _count(cache, key, window_seconds)
        if shared_cache_unavailable():  # the count above was lost (or never tried)
            count = _count(_process_counters, key, window_seconds)
    if count <= limit:
        return 0
    return max(1, int((window + 1) * window_seconds - now + 0.999))


def _count(counters, key: str, window_seconds: int) -> int:
    # add() only sets the counter when absent, so the first event of a window creates it.
    counters.add(key, 0, timeout=window_seconds + 5)
    try:
        return counters.incr(key)
    except ValueError:  # expired between add() and incr()
        counters.set(key, 1, timeout=window_seconds + 5)
        return 1


def rate_limit_exceeded(bucket: str, *, limit: int, window_seconds: int) -> bool:
    """Count one event in `bucket` and return whether it goes over `limit` per window."""
    return rate_limit_retry_after(bucket, limit=limit, window_seconds=window_seconds) > 0

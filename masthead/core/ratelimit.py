"""Fixed-window rate limits kept in the shared cache (Redis when configured)."""

from django.core.cache import cache


def rate_limit_exceeded(bucket: str, *, limit: int, window_seconds: int) -> bool:
    """Count one event in `bucket` and return whether it goes over `limit` per window.

    Pass keyed hashes, never raw addresses, in `bucket`: cache keys can end up in logs.
    """
    key = f"ratelimit:{bucket}"
    # add() only sets the counter when absent, so the window starts at the first event.
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count > limit

"""Django's file cache, counting its files at most once a second per process.

Django's FileBasedCache lists its whole folder on every write to learn whether MAX_ENTRIES is
reached. With the page cache full (20,000 files) that is a directory scan per stored page and
per invalidated tag, on the request that posted a comment. Here a process scans at most once
per CULL_INTERVAL: the folder may exceed MAX_ENTRIES by the files written in between (a few
hundred at most at this server's write rate), and is culled as Django culls it at the next
scan. Everything else, the file format included, is Django's.
"""

import threading
import time

from django.core.cache.backends import filebased

CULL_INTERVAL = 1.0  # seconds

# Django makes one cache object per thread: the time of the last scan is kept per folder.
_last_scan: dict[str, float] = {}
_lock = threading.Lock()


# Django's name kept: code asking which kind of cache this is (a file cache) gets the same answer.
class FileBasedCache(filebased.FileBasedCache):
    def _cull(self):
        now = time.monotonic()
        with _lock:
            if now - _last_scan.get(self._dir, float("-inf")) < CULL_INTERVAL:
                return
            _last_scan[self._dir] = now
        super()._cull()

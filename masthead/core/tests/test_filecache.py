"""The file cache counts its files at most once per CULL_INTERVAL, and still culls."""

from pathlib import Path

from masthead.core import filecache


def files(folder: Path) -> int:
    return len(list(folder.glob("*.djcache")))


def test_a_burst_of_writes_scans_the_folder_once_and_the_next_scan_culls(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    cache = filecache.FileBasedCache(str(folder), {"OPTIONS": {"MAX_ENTRIES": 10}})
    scans = []
    listing = filecache.filebased.FileBasedCache._list_cache_files
    monkeypatch.setattr(
        filecache.FileBasedCache,
        "_list_cache_files",
        lambda self: scans.append(1) or listing(self),
    )
    clock = [1000.0]
    monkeypatch.setattr(filecache.time, "monotonic", lambda: clock[0])

    for n in range(30):
        cache.set(f"page:{n}", "x" * 100)
    # Django's own file cache would have listed the folder 30 times, at every write.
    assert len(scans) == 1
    assert files(folder) == 30  # over MAX_ENTRIES until the next scan
    assert cache.get("page:29") == "x" * 100

    clock[0] += filecache.CULL_INTERVAL
    cache.set("page:30", "y")
    assert len(scans) == 2
    # Django's cull, before the write: a third of the files, chosen at random.
    assert files(folder) == 30 - 30 // 3 + 1
    assert cache.get("page:30") == "y"  # written after the cull


def test_the_threads_of_a_process_share_one_scan_time_per_folder(tmp_path, monkeypatch):
    # Django makes a cache object per thread: a second object on the same folder does not
    # scan again within the interval.
    folder = tmp_path / "cache"
    clock = [2000.0]
    monkeypatch.setattr(filecache.time, "monotonic", lambda: clock[0])
    first = filecache.FileBasedCache(str(folder), {"OPTIONS": {"MAX_ENTRIES": 2}})
    second = filecache.FileBasedCache(str(folder), {"OPTIONS": {"MAX_ENTRIES": 2}})
    for n in range(6):
        (first if n % 2 else second).set(f"k{n}", n)
    assert files(folder) == 6

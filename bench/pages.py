"""Latency of Masthead's reading pages over loopback.

Usage: .venv/bin/python bench/pages.py [BASE_URL] [REQUESTS]
Start the server first (scripts/run). Only loopback addresses are accepted.
"""

import re
import statistics
import sys
import time
import urllib.request
from urllib.parse import urlsplit


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback only
        return response.read()


def measure(url: str, requests: int) -> tuple[float, float]:
    fetch(url)  # warm-up: renditions and caches
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        fetch(url)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def main() -> None:
    base = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000").rstrip("/")
    requests = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    if urlsplit(base).hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit("Benchmarks only run against a server on this machine.")
    front = fetch(base + "/").decode()
    article = re.search(r'class="card-title"><a href="([^"]+)"', front).group(1)
    section = re.search(r'<li><a href="(/[^"]+/)">', front).group(1)
    pages = {
        "front page": "/",
        "section": section,
        "article": article,
        "rss feed": "/feed/",
        "search": "/search/?q=harbour",
    }
    print(f"{requests} sequential requests each, {base}")
    for name, path in pages.items():
        median, p95 = measure(base + path, requests)
        print(f"{name:12} median {median:6.1f} ms   p95 {p95:6.1f} ms   {path}")


if __name__ == "__main__":
    main()

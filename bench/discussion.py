"""Discussion benchmark: a 100,000-comment thread against a 200-comment one, over loopback.

Usage: .venv/bin/python bench/discussion.py [--comments 100000] [--requests 2000] [--concurrency 32]
GETs are measured with wrk (apt-get install wrk) when it is installed, else with a Python client.

Builds a scratch site in /tmp/masthead-bench (SQLite, or DATABASE_URL if set), seeds the demo and
two threads, starts `masthead serve` twice (page cache on, and off to measure rendering), and
reports requests per second and p50/p99 latency. Only loopback is ever contacted.
"""

import argparse
import http.client
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from wrk_output import wrk_figures  # bench/, the script's own folder

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = Path(os.environ.get("MASTHEAD_BENCH_DIR", "/tmp/masthead-bench"))  # noqa: S108
MASTHEAD = str(ROOT / ".venv" / "bin" / "masthead")
WRK_SECONDS = 8

SEED = """
import django, json, sys
from datetime import timedelta
django.setup()
from django.utils import timezone
from masthead.publishing.models import ArticlePage
from masthead.discussion import services
from masthead.discussion.models import Comment, Thread
sizes = json.loads(sys.argv[1])
result = {}
articles = list(ArticlePage.objects.live().order_by("pk")[: len(sizes)])
for article, size in zip(articles, sizes):
    thread = services.thread_for_page(article)
    Comment.objects.filter(thread=thread).delete()
    start = timezone.now() - timedelta(days=60)
    batch = []
    for n in range(size):
        batch.append(Comment(thread=thread, author_name=f"Reader {n % 997}",
            text=f"Comment {n} with *some* text.", html=f"<p>Comment {n} with <em>some</em> text.</p>",
            created=start + timedelta(seconds=n), score=(n * 7919) % 41 - 20, upvotes=(n * 7919) % 41, downvotes=20, listed=True))
        if len(batch) == 5000:
            Comment.objects.bulk_create(batch); batch = []
    Comment.objects.bulk_create(batch)
    Thread.objects.filter(pk=thread.pk).update(comment_count=size)
    result[str(size)] = {"url": article.url, "key": thread.key}
print(json.dumps(result))
"""


def environment(page_cache: bool) -> dict:
    env = dict(
        os.environ, MASTHEAD_VAR_DIR=str(SCRATCH), DJANGO_SETTINGS_MODULE="masthead.settings"
    )
    env["MASTHEAD_PAGE_CACHE_SECONDS"] = "600" if page_cache else "0"
    # A load test posts from one address far faster than any reader: limits off, as documented.
    env["MASTHEAD_RATE_LIMITS"] = "off"
    return env


def serve(port: int, page_cache: bool, workers: int) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603 - our own command
        [
            MASTHEAD,
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-scheduler",
            "--no-worker",
            "--skip-migrate",
        ],
        env=environment(page_cache),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(120):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/robots.txt")
            connection.getresponse().read()
            return process
        except OSError:
            time.sleep(0.5)
    raise SystemExit("server did not start")


def fetch_once(port: int, path: str) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path)
    connection.getresponse().read()


def load_wrk(port: int, path: str, seconds: int, concurrency: int) -> dict:
    """Measure a GET with wrk (a C load generator): the Python client saturates before the server."""
    output = subprocess.run(  # noqa: S603 - fixed loopback target
        [
            shutil.which("wrk") or "/usr/bin/wrk",
            "-t2",
            f"-c{concurrency}",
            f"-d{seconds}s",
            "--latency",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return wrk_figures(output)


def load(port: int, method: str, path: str, requests: int, concurrency: int, body=None) -> dict:
    if method == "GET" and shutil.which("wrk"):
        return load_wrk(port, path, WRK_SECONDS, concurrency)
    timings: list[float] = []
    errors = 0
    lock = threading.Lock()
    per_worker = requests // concurrency

    def worker(number: int) -> None:
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Content-Type": "application/json", "Origin": f"http://127.0.0.1:{port}"}
        local = []
        for request in range(per_worker):
            payload = body(number, request) if body else None
            started = time.perf_counter()
            try:
                connection.request(method, path, body=payload, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status < 400
            except OSError:
                ok = False
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            local.append(time.perf_counter() - started)
            if not ok:
                with lock:
                    errors += 1
        with lock:
            timings.extend(local)

    workers = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    started = time.perf_counter()
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    elapsed = time.perf_counter() - started
    timings.sort()
    return {
        "rps": len(timings) / elapsed,
        "p50": statistics.median(timings) * 1000,
        "p99": timings[max(0, int(len(timings) * 0.99) - 1)] * 1000,
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()

    shutil.rmtree(SCRATCH, ignore_errors=True)
    SCRATCH.mkdir(parents=True)
    env = environment(True)
    subprocess.run([MASTHEAD, "migrate", "-v0"], env=env, check=True)  # noqa: S603
    subprocess.run([MASTHEAD, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    seeded = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SEED, json.dumps([200, options.comments])],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    threads = json.loads(seeded.stdout.strip().splitlines()[-1])
    small, large = threads["200"], threads[str(options.comments)]
    api = "/api/v1/threads/{key}/comments?sort=oldest&limit={limit}"

    def deep_cursor(port: int, key: str) -> str:
        connection = http.client.HTTPConnection("127.0.0.1", port)
        cursor, path = None, api.format(key=key, limit=200)
        for _ in range(options.comments // 200 - 1):  # walk to the last page of the thread
            connection.request("GET", path + (f"&cursor={cursor}" if cursor else ""))
            cursor = json.loads(connection.getresponse().read())["next"]
        return cursor

    results = {}
    for page_cache, port in ((False, 8091), (True, 8092)):
        process = serve(port, page_cache, options.workers)
        try:
            label = "cached" if page_cache else "rendered"
            for name, url in (("200", small["url"]), (str(options.comments), large["url"])):
                fetch_once(port, url)  # warm-up: renditions, caches
                results[f"article page, {name} comments, {label}"] = load(
                    port, "GET", url, options.requests, options.concurrency
                )
            if page_cache:
                continue
            results["API limit=200, 200-comment thread"] = load(
                port,
                "GET",
                api.format(key=small["key"], limit=200),
                options.requests // 2,
                options.concurrency,
            )
            for name, thread in (("200", small), (str(options.comments), large)):
                first = api.format(key=thread["key"], limit=10)
                results[f"API first page (10), {name}-comment thread"] = load(
                    port, "GET", first, options.requests, options.concurrency
                )
            cursor = deep_cursor(port, large["key"])
            deep = api.format(key=large["key"], limit=10) + f"&cursor={cursor}"
            results[f"API deep page (last), {options.comments}-comment thread"] = load(
                port, "GET", deep, options.requests, options.concurrency
            )
            results["POST comment"] = load(
                port,
                "POST",
                f"/api/v1/threads/{small['key']}/comments",
                options.requests // 2,
                options.concurrency,
                body=lambda n, r: json.dumps(
                    {
                        "author_name": f"Bench {n}",
                        "author_email": "bench@example.org",
                        # A typical comment's length (~250 characters), scored in full by the
                        # moderation pipeline; numbered so no two are the same text.
                        "text": f"Post {n}-{r}: the council's figures for the ferry budget do "
                        "not add up, and the minister's answer in parliament yesterday left out "
                        "the maintenance costs that the port authority itself published in May.",
                    }
                ),
            )
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)

    print(
        f"{options.concurrency} concurrent connections, {options.workers} server workers, "
        f"{options.requests} requests per line"
    )
    for name, result in results.items():
        print(
            f"{name:48} {result['rps']:8.1f} req/s   p50 {result['p50']:7.1f} ms   "
            f"p99 {result['p99']:7.1f} ms   errors {result['errors']}"
        )


if __name__ == "__main__":
    main()

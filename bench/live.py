"""Live updates benchmark: many open event streams on one server process, and how fast they hear.

Usage: .venv/bin/python bench/live.py [--broker memory|redis|both] [--clients 1000] [--comments 20]
       .venv/bin/python bench/live.py --url http://127.0.0.1:8000 --pid <granian worker pid>

Builds a scratch site in /tmp/masthead-bench-live (SQLite, or DATABASE_URL if set) with the demo,
starts `masthead serve` (with --broker redis: two of them sharing REDIS_URL, default
redis://127.0.0.1:6379/14; readers on the first, comments posted to the second), opens
--clients concurrent Server-Sent Events streams on one article (plain asyncio sockets), posts
--comments comments through the JSON API one after another, and reports the server process's
memory (VmRSS from /proc) before and after the streams opened, and the delay from sending each
POST to each stream receiving its event (p50/p99 over clients × comments). Loopback only.
"""

import argparse
import asyncio
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = Path(os.environ.get("MASTHEAD_BENCH_DIR", "/tmp/masthead-bench-live"))  # noqa: S108
MASTHEAD = [sys.executable, "-m", "masthead.cli"]
EVENT = re.compile(rb'event: comment\ndata: \{"id":(\d+),')


def raise_file_limit() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def worker_pid(server_pid: int) -> int:
    """Return the granian worker process (where the streams live) of a `masthead serve`."""
    for _ in range(100):
        workers = [
            child
            for child in children(server_pid)
            if b"granian" in Path(f"/proc/{child}/cmdline").read_bytes()
            or b"multiprocessing" in Path(f"/proc/{child}/cmdline").read_bytes()
        ]
        if workers:
            return workers[0]
        time.sleep(0.1)
    raise RuntimeError("granian worker not found")


def site_environment(**extra: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(
        MASTHEAD_VAR_DIR=str(SCRATCH),
        MASTHEAD_TASK_QUEUE="immediate",
        # One client posts every comment, far faster than a reader: limits off, as documented.
        MASTHEAD_RATE_LIMITS="off",
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


def site_build() -> None:
    shutil.rmtree(SCRATCH, ignore_errors=True)
    SCRATCH.mkdir(parents=True)
    env = site_environment()
    subprocess.run([*MASTHEAD, "migrate", "-v0"], env=env, check=True, cwd=ROOT)  # noqa: S603
    subprocess.run(  # noqa: S603
        [*MASTHEAD, "demo"],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def serve(port: int, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603 - our own command
        [
            *MASTHEAD,
            "serve",
            "--port",
            str(port),
            "--no-scheduler",
            "--no-worker",
            "--skip-migrate",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(240):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=2):
                return process
        except OSError:
            time.sleep(0.25)
    raise SystemExit("server did not start")


def article_key(base: str) -> str:
    with urllib.request.urlopen(base + "/", timeout=30) as response:  # noqa: S310 - loopback
        article = re.search(r'class="card-title"><a href="([^"]+)"', response.read().decode())
    with urllib.request.urlopen(base + article.group(1), timeout=30) as response:  # noqa: S310
        return re.search(r'data-thread-key="([^"]+)"', response.read().decode()).group(1)


class Stream:
    """One reader: an event stream read over a raw socket, noting when each comment arrives."""

    def __init__(self):
        self.arrived: dict[int, float] = {}
        self.ready = asyncio.Event()
        self.task = None

    async def run(self, host: str, port: int, key: str) -> None:
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(
            f"GET /live/threads/{key} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            "Accept: text/event-stream\r\n\r\n".encode()
        )
        await writer.drain()
        buffer = b""
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    return
                now = time.perf_counter()
                buffer += data
                if not self.ready.is_set() and b"retry:" in buffer:
                    self.ready.set()
                for match in EVENT.finditer(buffer):
                    self.arrived.setdefault(int(match.group(1)), now)
                buffer = buffer[-200:]  # a frame split across reads is found next time
        finally:
            writer.close()


def post(base: str, key: str, number: int) -> int:
    body = json.dumps(
        {
            "author_name": "Bench Poster",
            "author_email": "bench@example.org",
            "text": f"Live {number}",
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{base}/api/v1/threads/{key}/comments",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.loads(response.read())["id"]


async def measure(read_base: str, post_base: str, key: str, pid: int, options) -> dict:
    split = urlsplit(read_base)
    loop = asyncio.get_running_loop()
    figures = {"rss_before": rss_kib(pid)}
    streams = [Stream() for _ in range(options.clients)]
    started = time.perf_counter()
    for first in range(0, len(streams), 100):  # in batches: the listen backlog is finite
        batch = streams[first : first + 100]
        for stream in batch:
            stream.task = loop.create_task(stream.run(split.hostname, split.port, key))
        await asyncio.wait_for(asyncio.gather(*(stream.ready.wait() for stream in batch)), 60)
    figures["connect_seconds"] = time.perf_counter() - started
    await asyncio.sleep(1)
    figures["rss_connected"] = rss_kib(pid)

    sent, round_trips = {}, []
    for number in range(options.comments):
        before = time.perf_counter()
        comment_id = await loop.run_in_executor(None, post, post_base, key, number)
        round_trips.append((time.perf_counter() - before) * 1000)
        sent[comment_id] = before
        await asyncio.sleep(options.pause)
    figures["post_p50"] = statistics.median(round_trips)
    deadline = time.perf_counter() + 10
    while time.perf_counter() < deadline and any(
        len(stream.arrived.keys() & sent.keys()) < len(sent) for stream in streams
    ):
        await asyncio.sleep(0.05)
    figures["rss_after"] = rss_kib(pid)

    delays = sorted(
        (stream.arrived[comment_id] - at) * 1000
        for stream in streams
        for comment_id, at in sent.items()
        if comment_id in stream.arrived
    )
    figures["delivered"] = len(delays)
    figures["expected"] = len(sent) * len(streams)
    figures["p50"] = statistics.median(delays) if delays else float("nan")
    figures["p99"] = delays[max(0, int(len(delays) * 0.99) - 1)] if delays else float("nan")
    figures["max"] = delays[-1] if delays else float("nan")
    # Fan-out: from the first reader hearing of a comment to the last one.
    spreads = [
        (max(times) - min(times)) * 1000
        for comment_id in sent
        if (times := [s.arrived[comment_id] for s in streams if comment_id in s.arrived])
    ]
    figures["spread"] = statistics.median(spreads) if spreads else float("nan")
    for stream in streams:
        stream.task.cancel()
    await asyncio.gather(*(stream.task for stream in streams), return_exceptions=True)
    return figures


def report(label: str, figures: dict, clients: int) -> None:
    per_stream = (figures["rss_connected"] - figures["rss_before"]) / clients
    print(
        f"{label}: {clients} streams opened in {figures['connect_seconds']:.1f} s; "
        f"server RSS {figures['rss_before'] / 1024:.1f} MiB before, "
        f"{figures['rss_connected'] / 1024:.1f} MiB connected ({per_stream:.1f} KiB per stream), "
        f"{figures['rss_after'] / 1024:.1f} MiB after the posts; "
        f"delivered {figures['delivered']}/{figures['expected']}; "
        f"post→delivery p50 {figures['p50']:.1f} ms, p99 {figures['p99']:.1f} ms, "
        f"max {figures['max']:.1f} ms; first to last reader {figures['spread']:.1f} ms (p50); "
        f"the POST itself answered in {figures['post_p50']:.1f} ms (p50)"
    )


def run_broker(broker: str, options) -> None:
    extra = {"LIVE_BROKER": broker, "LIVE_CHANNEL_PREFIX": f"bench:{uuid.uuid4().hex}:"}
    if broker == "redis":
        extra["REDIS_URL"] = options.redis_url
    env = site_environment(**extra)
    processes = [serve(8391, env)]
    if broker == "redis":
        processes.append(serve(8392, env))  # comments go to another process
    try:
        read_base = "http://127.0.0.1:8391"
        post_base = f"http://127.0.0.1:{8392 if broker == 'redis' else 8391}"
        key = article_key(read_base)
        pid = worker_pid(processes[0].pid)
        figures = asyncio.run(measure(read_base, post_base, key, pid, options))
        where = "readers on server A, posts to server B" if broker == "redis" else "one server"
        report(f"{broker} broker ({where})", figures, options.clients)
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--broker", choices=["memory", "redis", "both"], default="both")
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--comments", type=int, default=20)
    parser.add_argument("--pause", type=float, default=0.25, help="Seconds between posts.")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--url", help="Measure a running server instead (needs --pid).")
    parser.add_argument("--pid", type=int, help="The granian worker process of --url.")
    options = parser.parse_args()
    raise_file_limit()

    if options.url:
        if urlsplit(options.url).hostname not in {"127.0.0.1", "localhost", "::1"}:
            raise SystemExit("Benchmarks only run against a server on this machine.")
        base = options.url.rstrip("/")
        figures = asyncio.run(measure(base, base, article_key(base), options.pid, options))
        report(base, figures, options.clients)
        return
    site_build()
    for broker in ("memory", "redis") if options.broker == "both" else (options.broker,):
        run_broker(broker, options)


if __name__ == "__main__":
    main()

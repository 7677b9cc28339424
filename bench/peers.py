"""Peers benchmark: Masthead side by side with Isso, nginx and WordPress + wpDiscuz, over loopback.

    .venv/bin/python bench/peers.py [--rounds 3] [--seconds 8]
        [--only post,render,cached,thread,memory] [--wpdiscuz PATH]
        [--database-url postgres://USER@127.0.0.1:5432/postgres] [--json FILE] [--skip-install]

Installs its peers for benchmarking only, into /tmp/masthead-peers (never into the repository):
Isso and gunicorn in a virtual environment of their own, nginx, wrk, PHP-FPM and WordPress from
Debian (apt-get), wpDiscuz from a checkout named by --wpdiscuz (a plugin folder, or a git
directory whose HEAD is archived). Builds a scratch Masthead site (`masthead migrate`, `masthead
demo`), seeds one article with the same 200-comment thread (same texts, ~240 characters each, a
quarter of them replies) in Masthead, Isso and WordPress, then runs interleaved rounds: each round
measures every (scenario, system) pair once with wrk, the order alternating from round to round,
and the table gives the median of the rounds per pair:

- post: POST a ~250-character comment, c=8: Masthead's JSON API (moderation on, its default)
  against Isso's POST /new (moderation off). Both post to a second thread, so the thread the
  other scenarios read keeps its 200 comments.
- render: the article page with its 200 comments rendered per request (Masthead's page cache
  off) against WordPress + wpDiscuz's post page, c=32; and for a signed-in reader (Masthead
  with its page cache on, as in production; WordPress signed in as its editor).
- cached: the article from Masthead's page cache against nginx serving the same bytes from
  disk (gzip_static), with `Accept-Encoding: gzip` and without, c=32.
- thread: the whole thread in one API answer, Masthead's limit=200 (its maximum) against
  Isso's GET /?uri=, c=32.
- memory: PSS (proportional set size, shared pages split between their users) of each system's
  process tree after the rounds; for Masthead the default set `scripts/run` starts (server,
  supervisor, worker with the scheduler on a thread) and each process's share, started once
  for this and warmed up first.

The machine is shared (wrk runs on the same cores as the servers): each round prints the 1-minute
load average at its start and end, and the table gives its range per scenario. Compare figures
taken side by side in one run, never across runs. Every process it starts runs in a session of
its own and is stopped on exit (Ctrl+C included); the WordPress database (masthead_bench_wp),
the PostgreSQL database of --database-url and the Redis keys are removed at the end.
"""

import argparse
import contextlib
import gzip
import http.client
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import textwrap
import time
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from wrk_output import wrk_figures  # bench/, the script's own folder

ROOT = Path(__file__).resolve().parent.parent
PEERS = Path(os.environ.get("MASTHEAD_PEERS_DIR", "/tmp/masthead-peers"))  # noqa: S108
RUN = PEERS / "run"  # configuration, sockets, databases and logs of this run
SITE = RUN / "masthead"  # Masthead's MASTHEAD_VAR_DIR
LOGS = RUN / "logs"
ISSO_VENV = PEERS / "isso-venv"
WORDPRESS = PEERS / "wordpress"  # a copy of Debian's /usr/share/wordpress with our wp-config.php
MASTHEAD = [sys.executable, "-m", "masthead.cli"]

PORTS = {
    "masthead-render": 8401,  # page cache off: pages rendered per request; the API
    "masthead-cached": 8402,  # page cache on
    "masthead-default": 8403,  # the default set, for the memory figure
    "isso": 8411,
    "nginx-static": 8421,
    "wordpress": 8422,
}
SCENARIOS = ("post", "render", "cached", "thread", "memory")
COMMENTS = 200
WP_DATABASE = "masthead_bench_wp"
# Masthead's default page size (DISCUSSION_PAGE_SIZE): WordPress shows as many top-level
# comments on its first page, so both pages carry the same conversations.
PAGE_SIZE = 10
MASTHEAD_WORKERS = 2  # `masthead serve --workers`: one per core, as its help suggests
ISSO_WORKERS = 4  # `gunicorn -w 4 --preload isso.run`, as Isso's deployment docs show it
PHP_CHILDREN = 8  # as many PHP processes as Masthead has request threads (2 × 4)
APT_PACKAGES = ("nginx", "wrk", "php-fpm", "php-mysql", "php-cli", "wordpress")
# Settings of this shell that name your own site: they must not reach the scratch one.
_PARENT_ONLY = {
    "DATABASE_URL",
    "DJANGO_SETTINGS_MODULE",
    "MASTHEAD_VAR_DIR",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "REDIS_URL",
    "MASTHEAD_WORKERS",
    "MASTHEAD_THREADS",
    "SITE_URL",
}

# --- the same thread everywhere ----------------------------------------------------------------

NAMES = (
    "Anna Smith", "Ben Okafor", "Chloé Dubois", "David Jones", "Eilidh MacLeod", "Fatima Khan",
    "George Evans", "Hannah Nowak", "Ibrahim Patel", "Jack Wilson", "Kasia Müller", "Liam Murray",
    "Margaret Hughes", "Niamh Ó Briain", "Oliver Brown", "Priya Li", "Rhys Thomas", "Zoë García",
)  # fmt: skip
OPENERS = (
    "I think", "Honestly,", "As someone who lives here,", "Good piece, but", "Frankly,",
    "My neighbour says", "Not sure I agree:", "This is exactly why", "To be fair,",
)  # fmt: skip
SUBJECTS = (
    "the ferry timetable", "the fare rise", "the council's budget", "the harbour wall",
    "the engine refit", "the commuter pass", "the last sailing home", "the sea wall repairs",
)  # fmt: skip
PREDICATES = (
    "has been a mess since spring", "needs a proper budget", "was never going to work",
    "deserves more coverage than this", "will cost more than anyone admits",
    "could be fixed in a week with some goodwill", "is why people are moving away",
    "should have gone to a public vote", "works well enough if you plan ahead",
)  # fmt: skip
CLOSERS = (
    "The islanders who spoke last night deserved a better hearing than they got.",
    "Somebody should ask the transport committee to publish the whole set of figures.",
    "We were promised a review of the timetable two winters ago and nothing came of it.",
    "If the early sailing goes, half the nurses at the hospital will need a new plan.",
)  # fmt: skip
# The POST scenario's comment: a typical comment's length (~250 characters), scored in full by
# Masthead's moderation pipeline; %d are filled in by the load generator so no two are alike.
POST_TEXT = (
    "Post %d-%d: the council's figures for the ferry budget do not add up, and the minister's "
    "answer in parliament yesterday left out the maintenance costs that the port authority "
    "itself published in May. Who is going to pay for the refit?"
)


def thread_plan(count: int) -> list[dict]:
    """The thread every system gets: `count` comments of ~250 characters, one in eight a reply
    to the comment before it and one in eight a reply to that reply (two levels deep)."""
    comments = []
    for n in range(count):
        words = [
            OPENERS[n % len(OPENERS)],
            SUBJECTS[(n * 7) % len(SUBJECTS)],
            PREDICATES[(n * 5) % len(PREDICATES)] + ".",
            CLOSERS[(n * 3) % len(CLOSERS)],
        ]
        text = " ".join(words)
        for extra in (CLOSERS[(n + 1) % len(CLOSERS)], f"(Comment {n + 1}.)"):
            if len(text) + len(extra) < 260:
                text += " " + extra
        parent = {3: n - 1, 7: n - 4}.get(n % 8)
        depth = 0 if parent is None else comments[parent]["depth"] + 1
        name = NAMES[(n * 11) % len(NAMES)]
        comments.append(
            {
                "n": n,
                "parent": parent,
                "depth": depth,
                "author": name,
                "email": name.split()[0].lower() + "@example.org",
                "text": text,
            }
        )
    return comments


# --- processes ---------------------------------------------------------------------------------


class Processes:
    """Every process this benchmark starts, each the leader of a session of its own, so that
    stopping it stops whatever it started (granian's workers, gunicorn's, PHP's, nginx's)."""

    def __init__(self):
        self.started: dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: list[str], env: dict | None = None, cwd=None):
        LOGS.mkdir(parents=True, exist_ok=True)
        with (LOGS / f"{name}.log").open("ab") as log:
            process = subprocess.Popen(  # noqa: S603 - our own commands, fixed arguments
                command,
                env=env,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started[name] = process
        return process

    def stop(self, name: str) -> None:
        """SIGTERM to the process group, SIGKILL to what is left after 20 s."""
        process = self.started.pop(name, None)
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        # Helpers that outlived their leader (a worker finishing a request) go with the group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)

    def stop_all(self) -> None:
        for name in list(self.started):
            self.stop(name)


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def wait_http(port: int, path: str, process: subprocess.Popen, seconds: float = 90) -> None:
    """Wait until `path` answers below 500 on `port`; fail at once if the server died."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited ({process.returncode})")
        try:
            status, _headers, _body = request(port, "GET", path, timeout=5)
            if status < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"nothing answered on port {port} within {seconds} s")


def request(port, method, path, body=None, headers=None, timeout=30) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def browser_cookies(port: int, path: str, cookie: str) -> str:
    """The Cookie header a signed-in reader's browser sends from its second page on: the
    session, and the cookies the first page set (CSRF's), as WordPress's sign-in jar holds its
    own. Without them every request would be a first visit, minting a new CSRF secret."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        response.read()
        set_cookies = response.msg.get_all("Set-Cookie") or []
    finally:
        connection.close()
    jar = dict(part.split("=", 1) for part in cookie.split("; "))
    for header in set_cookies:
        name, _, value = header.split(";", 1)[0].partition("=")
        jar[name.strip()] = value.strip()
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def run(command: list[str], **options) -> subprocess.CompletedProcess:
    """Run a command to its end, its output captured; raise with that output when it fails."""
    options.setdefault("text", True)
    result = subprocess.run(  # noqa: S603 - our own commands, fixed arguments
        command, capture_output=True, check=False, **options
    )
    if result.returncode != 0:
        output = result.stdout + result.stderr
        if isinstance(output, bytes):
            output = output.decode(errors="replace")
        raise RuntimeError(
            f"{' '.join(map(str, command))} exited {result.returncode}:\n{output[-3000:]}"
        )
    return result


# --- installing the peers ----------------------------------------------------------------------


def tools_missing() -> list[str]:
    wanted = {
        "nginx": shutil.which("nginx"),
        "wrk": shutil.which("wrk"),
        "php-fpm": php_fpm_binary(),
        "php-cli": shutil.which("php"),
        "php-mysql": next(Path("/etc/php").glob("*/mods-available/mysqli.ini"), None),
        "wordpress": Path("/usr/share/wordpress/wp-load.php").exists() or None,
    }
    return [name for name, found in wanted.items() if not found]


def php_fpm_binary() -> str | None:
    found = sorted(Path("/usr/sbin").glob("php-fpm*"))
    return str(found[-1]) if found else None


def install_debian() -> None:
    """apt-get install what is missing (nginx, wrk, PHP-FPM, WordPress); no service is started
    by it that we use: every server here runs from a configuration of our own."""
    if not tools_missing():
        return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    apt = shutil.which("apt-get") or "/usr/bin/apt-get"
    print(f"  apt-get install {' '.join(APT_PACKAGES)}", flush=True)
    attempt = subprocess.run(  # noqa: S603 - Debian's packages by name
        [apt, "install", "-y", "-q", *APT_PACKAGES], env=env, capture_output=True, check=False
    )
    if attempt.returncode != 0:  # package lists not fetched yet on this machine
        run([apt, "update", "-q"], env=env)
        run([apt, "install", "-y", "-q", *APT_PACKAGES], env=env)


def install_isso() -> None:
    """Isso and gunicorn from PyPI into a virtual environment of their own."""
    if (ISSO_VENV / "bin" / "gunicorn").exists() and (ISSO_VENV / "bin" / "isso").exists():
        return
    print(f"  python3 -m venv {ISSO_VENV} && pip install isso gunicorn", flush=True)
    python3 = shutil.which("python3") or "/usr/bin/python3"
    run([python3, "-m", "venv", str(ISSO_VENV)])
    run([str(ISSO_VENV / "bin" / "pip"), "install", "-q", "isso", "gunicorn"])


def install_wordpress(wpdiscuz: Path | None) -> str | None:
    """Copy Debian's WordPress to a folder of ours (so the configuration is ours, not
    /etc/wordpress) and put wpDiscuz among its plugins; return the plugin's file, or None."""
    if not WORDPRESS.exists():
        print(f"  cp -a /usr/share/wordpress {WORDPRESS}", flush=True)
        shutil.copytree("/usr/share/wordpress", WORDPRESS, symlinks=True)
        (WORDPRESS / "wp-config.php").unlink()  # Debian's, which reads /etc/wordpress
    uploads = WORDPRESS / "wp-content" / "uploads"
    uploads.mkdir(exist_ok=True)
    shutil.chown(uploads, "www-data", "www-data")
    plugin_folder = WORDPRESS / "wp-content" / "plugins" / "wpdiscuz"
    if wpdiscuz is not None:
        source = wpdiscuz_source(wpdiscuz)
        shutil.rmtree(plugin_folder, ignore_errors=True)
        shutil.copytree(source, plugin_folder, symlinks=True)
    if not plugin_folder.exists():
        return None
    for candidate in sorted(plugin_folder.glob("*.php")):
        if "Plugin Name: wpDiscuz" in candidate.read_text(errors="replace")[:4000]:
            return f"wpdiscuz/{candidate.name}"
    raise RuntimeError(f"no wpDiscuz plugin file in {plugin_folder}")


def wpdiscuz_source(path: Path) -> Path:
    """The wpDiscuz plugin folder in `path`: a checkout, or a git directory (bare or a
    mirror) whose HEAD is archived into /tmp/masthead-peers/wpdiscuz-src first."""
    if (path / "HEAD").exists() and (path / "objects").exists():
        target = PEERS / "wpdiscuz-src"
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        git = shutil.which("git") or "/usr/bin/git"
        archive = run([git, f"--git-dir={path}", "archive", "--format=tar", "HEAD"], text=False)
        subprocess.run(  # noqa: S603 - tar from Debian, our own archive
            [shutil.which("tar") or "/bin/tar", "-x", "-C", str(target)],
            input=archive.stdout,
            check=True,
        )
        path = target
    for main_file in sorted(path.rglob("class.WpdiscuzCore.php")):
        return main_file.parent
    for main_file in sorted(path.rglob("*.php")):
        if "Plugin Name: wpDiscuz" in main_file.read_text(errors="replace")[:4000]:
            return main_file.parent
    raise RuntimeError(f"no wpDiscuz plugin (class.WpdiscuzCore.php) under {path}")


# --- Masthead ----------------------------------------------------------------------------------

SEED = """
import json, sys
from datetime import datetime, timedelta
import django
django.setup()
from masthead.discussion import services
from masthead.discussion.models import Comment, Thread
from masthead.publishing.models import ArticlePage
plan = json.load(sys.stdin)
article, target = ArticlePage.objects.live().order_by("pk")[:2]
thread = services.thread_for_page(article)
Comment.objects.filter(thread=thread).delete()
Thread.objects.filter(pk=thread.pk).update(comment_count=0)
start = datetime.fromisoformat(plan["start"])
ids = {}
# As an import does it: a level at a time, each parent stored before its replies.
for depth in sorted({c["depth"] for c in plan["comments"]}):
    level = [c for c in plan["comments"] if c["depth"] == depth]
    rows = services.comments_import(comments=[
        services.ImportedComment(
            thread_id=thread.pk, parent_id=ids.get(c["parent"]), author_name=c["author"],
            author_email=c["email"], text=c["text"], html=None,
            status=Comment.Status.PUBLISHED, created=start + timedelta(minutes=c["n"]))
        for c in level])
    ids.update({c["n"]: row.pk for c, row in zip(level, rows)})
post_thread = services.thread_for_page(target)
# A signed-in reader (no staff rights): a session as signing in makes one.
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
reader = get_user_model().objects.create_user(
    username="bench-reader", email="bench-reader@example.org", password=None,
    first_name="Bench", last_name="Reader")
client = Client()
client.force_login(reader)
cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
print(json.dumps({
    "cookie": cookie,
    "url": article.url, "key": thread.key, "title": article.title,
    "standfirst": article.standfirst, "body": str(article.body),
    "comments": Comment.objects.filter(thread=thread).count(),
    "post_key": post_thread.key, "post_url": target.url, "post_title": target.title,
}))
"""


def masthead_environment(options, page_cache: bool) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in _PARENT_ONLY}
    env.update(
        MASTHEAD_VAR_DIR=str(SITE),
        DJANGO_SETTINGS_MODULE="masthead.settings",
        PYTHONPATH=str(ROOT),
        MASTHEAD_PAGE_CACHE_SECONDS="600" if page_cache else "0",
        # A load test posts from one address far faster than any reader: limits off, as
        # bench/discussion.py does. Moderation stays on (its default).
        MASTHEAD_RATE_LIMITS="off",
    )
    if options.masthead_database_url:
        env["DATABASE_URL"] = options.masthead_database_url
        env["REDIS_URL"] = options.redis_url
    return env


def masthead_build(options, plan: list[dict]) -> dict:
    """A fresh scratch site: migrate, the demo outlet, then the 200-comment thread."""
    shutil.rmtree(SITE, ignore_errors=True)
    SITE.mkdir(parents=True)
    env = masthead_environment(options, page_cache=True)
    print("  masthead migrate, masthead demo", flush=True)
    run([*MASTHEAD, "migrate", "-v0"], env=env, cwd=ROOT)
    run([*MASTHEAD, "demo"], env=env, cwd=ROOT)
    start = datetime.now(UTC) - timedelta(days=3)
    seeded = run(
        [sys.executable, "-c", SEED],
        env=env,
        cwd=ROOT,
        input=json.dumps({"comments": plan, "start": start.isoformat()}),
    )
    article = json.loads(seeded.stdout.strip().splitlines()[-1])
    article["start"] = start
    return article


def masthead_serve(processes, options, name: str, page_cache: bool, *, default_set=False):
    """`masthead serve`: for the load rounds two server processes without the scheduler and
    worker; for the memory figure the default set, as `scripts/run` starts it."""
    port = PORTS[name]
    command = [*MASTHEAD, "serve", "--port", str(port), "--skip-migrate"]
    if not default_set:
        command += ["--workers", str(MASTHEAD_WORKERS), "--no-scheduler", "--no-worker"]
    process = processes.start(
        name, command, env=masthead_environment(options, page_cache), cwd=ROOT
    )
    wait_http(port, "/robots.txt", process, seconds=180)
    return process


# --- Isso --------------------------------------------------------------------------------------


def isso_start(processes, host_port: int) -> subprocess.Popen:
    """Isso under gunicorn, as its deployment docs show it (`gunicorn -w 4 --preload
    isso.run`): sync workers, the application loaded once before they fork. Isso's own `isso
    run` (werkzeug) is documented for low-traffic sites only."""
    folder = RUN / "isso"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    config = folder / "isso.cfg"
    config.write_text(
        textwrap.dedent(
            f"""\
            ; Written by bench/peers.py.
            [general]
            dbpath = {folder / "comments.db"}
            host = http://127.0.0.1:{host_port}/
            [moderation]
            enabled = false
            [guard]
            ; Rate limits off, so a load test from one address can post.
            enabled = false
            [server]
            listen = http://127.0.0.1:{PORTS["isso"]}/
            """
        )
    )
    env = {key: value for key, value in os.environ.items() if key not in _PARENT_ONLY}
    env["ISSO_SETTINGS"] = str(config)
    command = [
        str(ISSO_VENV / "bin" / "gunicorn"),
        "--bind",
        f"127.0.0.1:{PORTS['isso']}",
        "--workers",
        str(ISSO_WORKERS),
        "--preload",
        "isso.run",
    ]
    process = processes.start("isso", command, env=env, cwd=folder)
    wait_http(PORTS["isso"], "/info", process)
    return process


def isso_seed(plan: list[dict], uri: str, title: str, post_uri: str, post_title: str) -> None:
    """The thread through Isso's own API (POST /new), a reply naming its parent's new id."""
    ids = {}
    for comment in plan:
        body = {
            "text": comment["text"],
            "author": comment["author"],
            "email": comment["email"],
            "parent": ids.get(comment["parent"]),
            "title": title,
        }
        ids[comment["n"]] = isso_post(uri, body)
    isso_post(post_uri, {"text": "The first comment here.", "author": "Bench", "title": post_title})


def isso_post(uri: str, body: dict) -> int:
    status, _headers, answer = request(
        PORTS["isso"],
        "POST",
        "/new?" + urllib.parse.urlencode({"uri": uri}),
        body=json.dumps(body),
        headers={"Content-Type": "application/json"},
    )
    if status != 201:
        raise RuntimeError(f"Isso answered {status} to POST /new: {answer[:300]!r}")
    return json.loads(answer)["id"]


# --- nginx -------------------------------------------------------------------------------------


def nginx_config(name: str, server: str) -> Path:
    """An nginx configuration of our own: its own pid file, logs and temporary folders,
    Debian's defaults otherwise (worker per core, sendfile, keep-alive, no access log)."""
    folder = RUN / name
    for temporary in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / temporary).mkdir(parents=True, exist_ok=True)
    config = folder / "nginx.conf"
    config.write_text(
        textwrap.dedent(
            f"""\
            # Written by bench/peers.py.
            user www-data;
            worker_processes auto;
            pid {folder / "nginx.pid"};
            error_log {LOGS / f"{name}-error.log"};
            events {{ worker_connections 1024; }}
            http {{
                include /etc/nginx/mime.types;
                default_type application/octet-stream;
                sendfile on;
                tcp_nopush on;
                keepalive_timeout 65;
                access_log off;
                client_body_temp_path {folder / "body"};
                proxy_temp_path {folder / "proxy"};
                fastcgi_temp_path {folder / "fastcgi"};
                uwsgi_temp_path {folder / "uwsgi"};
                scgi_temp_path {folder / "scgi"};
            """
        )
        + textwrap.indent(textwrap.dedent(server), "    ")
        + "}\n"
    )
    return config


def nginx_start(processes, name: str, config: Path, port: int, probe: str) -> subprocess.Popen:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    command = [nginx, "-c", str(config), "-e", str(LOGS / f"{name}-error.log")]
    run([*command, "-t"])
    process = processes.start(name, [*command, "-g", "daemon off;"])
    wait_http(port, probe, process)
    return process


def static_start(processes, article: dict, identity: bytes, gzipped: bytes) -> subprocess.Popen:
    """nginx answering the article's address with the bytes Masthead's page cache served,
    and with their gzip copy (gzip_static) to a reader that accepts gzip."""
    root = RUN / "static-site"
    shutil.rmtree(root, ignore_errors=True)
    page = root / article["url"].strip("/") / "index.html"
    page.parent.mkdir(parents=True)
    page.write_bytes(identity)
    page.with_name("index.html.gz").write_bytes(gzipped)
    server = f"""\
        server {{
            listen 127.0.0.1:{PORTS["nginx-static"]};
            root {root};
            index index.html;
            gzip_static on;
            charset utf-8;
            location / {{ try_files $uri $uri/ =404; }}
        }}
        """
    config = nginx_config("nginx-static", server)
    return nginx_start(processes, "nginx-static", config, PORTS["nginx-static"], article["url"])


# --- WordPress ---------------------------------------------------------------------------------

# Run by php-cli as `php wp-seed.php MODE PLAN.json`, each mode a process of its own, so that the
# plugin is loaded by WordPress itself (as on every request) when the comments are written.
WP_SEED = r"""<?php
// Written by bench/peers.py: installs WordPress, activates wpDiscuz, seeds one post.
$mode = $argv[1];
$plan = json_decode(file_get_contents($argv[2]), true);
$_SERVER['HTTP_HOST'] = $plan['host'];
$_SERVER['SERVER_NAME'] = '127.0.0.1';
$_SERVER['SERVER_PORT'] = $plan['port'];
$_SERVER['REQUEST_URI'] = '/';
if ($mode === 'install') {
    define('WP_INSTALLING', true);
    // No mail server here: WordPress defines wp_mail only when it is missing.
    function wp_mail() { return true; }
}
require $plan['root'] . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
if ($mode === 'install') {
    $done = wp_install($plan['title'], 'editor', 'editor@example.org', false, '', $plan['password']);
    foreach ($plan['options'] as $name => $value) { update_option($name, $value); }
    echo json_encode(['user' => $done['user_id'], 'wordpress' => $GLOBALS['wp_version']]), "\n";
    exit(0);
}
wp_set_current_user(1);
if ($mode === 'activate') {
    $result = activate_plugin($plan['plugin']);
    if (is_wp_error($result)) {
        fwrite(STDERR, 'activate_plugin: ' . $result->get_error_message() . "\n");
        exit(3);
    }
    $data = get_plugin_data(WP_PLUGIN_DIR . '/' . $plan['plugin'], false, false);
    echo json_encode(['plugin' => $data['Version'], 'active' => is_plugin_active($plan['plugin'])]), "\n";
    exit(0);
}
$post = wp_insert_post([
    'post_title' => $plan['article']['title'],
    'post_excerpt' => $plan['article']['standfirst'],
    'post_content' => '<p>' . esc_html($plan['article']['standfirst']) . '</p>' . $plan['article']['body'],
    'post_status' => 'publish',
    'post_author' => 1,
    'comment_status' => 'open',
    'post_date_gmt' => $plan['article']['date'],
    'post_date' => $plan['article']['date'],
], true);
if (is_wp_error($post)) {
    fwrite(STDERR, 'wp_insert_post: ' . $post->get_error_message() . "\n");
    exit(4);
}
$ids = [];
foreach ($plan['comments'] as $c) {
    $ids[$c['n']] = wp_insert_comment([
        'comment_post_ID' => $post,
        'comment_author' => $c['author'],
        'comment_author_email' => $c['email'],
        'comment_author_IP' => '127.0.0.1',
        'comment_content' => $c['text'],
        'comment_parent' => $c['parent'] === null ? 0 : $ids[$c['parent']],
        'comment_approved' => 1,
        'comment_date' => $c['date'],
        'comment_date_gmt' => $c['date'],
        'comment_type' => 'comment',
    ]);
}
echo json_encode(['post' => $post, 'url' => wp_make_link_relative(get_permalink($post)),
                  'comments' => count(array_filter($ids))]), "\n";
"""


def mariadb(statement: str) -> str:
    client = shutil.which("mariadb") or shutil.which("mysql") or "/usr/bin/mysql"
    return run([client, "-h127.0.0.1", "-P3306", "-uroot", "-N", "-e", statement]).stdout.strip()


def wordpress_config(port: int) -> None:
    """Our own wp-config.php: the database of its own, no cron on page loads (a production
    site runs it from the system's cron), no outgoing HTTP (this machine reaches no one)."""
    keys = "\n".join(
        f"define('{name}', '{secrets.token_hex(32)}');"
        for name in (
            "AUTH_KEY",
            "SECURE_AUTH_KEY",
            "LOGGED_IN_KEY",
            "NONCE_KEY",
            "AUTH_SALT",
            "SECURE_AUTH_SALT",
            "LOGGED_IN_SALT",
            "NONCE_SALT",
        )
    )
    (WORDPRESS / "wp-config.php").write_text(
        f"""<?php
// Written by bench/peers.py.
define('DB_NAME', '{WP_DATABASE}');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', '127.0.0.1:3306');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
{keys}
$table_prefix = 'wp_';
define('WP_HOME', 'http://127.0.0.1:{port}');
define('WP_SITEURL', 'http://127.0.0.1:{port}');
define('WP_CONTENT_DIR', __DIR__ . '/wp-content');
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('WP_DEBUG', false);
if (!defined('ABSPATH')) {{
    define('ABSPATH', __DIR__ . '/');
}}
require_once ABSPATH . 'wp-settings.php';
"""
    )


def wordpress_build(article: dict, plan: list[dict], plugin: str | None) -> dict:
    """A fresh database, WordPress installed in it, wpDiscuz activated, the post seeded."""
    port = PORTS["wordpress"]
    mariadb(f"DROP DATABASE IF EXISTS {WP_DATABASE}; CREATE DATABASE {WP_DATABASE}")
    wordpress_config(port)
    script = RUN / "wp-seed.php"
    script.write_text(WP_SEED)
    start = article["start"]
    data = {
        "root": str(WORDPRESS),
        "host": f"127.0.0.1:{port}",
        "port": str(port),
        "title": "The Harbour Gazette",
        "password": secrets.token_urlsafe(16),
        "plugin": plugin,
        "options": {
            "comments_per_page": PAGE_SIZE,
            "thread_comments": 1,
            "thread_comments_depth": 5,
            "comment_moderation": 0,
            "comment_previously_approved": 0,
            "blog_public": 0,
        },
        "article": {
            "title": article["title"],
            "standfirst": article["standfirst"],
            "body": article["body"],
            "date": (start - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S"),
        },
        "comments": [
            {**c, "date": (start + timedelta(minutes=c["n"])).strftime("%Y-%m-%d %H:%M:%S")}
            for c in plan
        ],
    }
    plan_file = RUN / "wp-plan.json"
    plan_file.write_text(json.dumps(data))
    php = shutil.which("php") or "/usr/bin/php"
    installed = json.loads(
        run([php, str(script), "install", str(plan_file)]).stdout.splitlines()[-1]
    )
    result = {"wordpress": installed["wordpress"], "plugin": None}
    if plugin:
        activated = run([php, str(script), "activate", str(plan_file)]).stdout.splitlines()[-1]
        result["plugin"] = json.loads(activated)["plugin"]
    seeded = run([php, str(script), "seed", str(plan_file)]).stdout.splitlines()[-1]
    result.update(json.loads(seeded))
    result["password"] = data["password"]
    return result


def wordpress_sign_in(password: str) -> str:
    """Sign in as the editor through wp-login.php and open the dashboard once, as an operator
    does after activating a plugin: wpDiscuz finishes its set-up (its default comment form) on
    that first admin page. Returns the Cookie header of a signed-in visitor of the site."""
    base = f"http://127.0.0.1:{PORTS['wordpress']}"
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    jar.set_cookie(
        http.cookiejar.Cookie(
            0, "wordpress_test_cookie", "WP Cookie check", None, False, "127.0.0.1", False,
            False, "/", True, False, None, True, None, None, {},
        )
    )  # fmt: skip
    form = urllib.parse.urlencode(
        {"log": "editor", "pwd": password, "testcookie": "1", "redirect_to": f"{base}/wp-admin/"}
    ).encode()
    with opener.open(f"{base}/wp-login.php", data=form, timeout=120) as answer:
        answer.read()
    signed_in = [cookie for cookie in jar if cookie.name.startswith("wordpress_logged_in_")]
    if not signed_in:
        raise RuntimeError("could not sign in to WordPress (wp-login.php gave no session)")
    with opener.open(f"{base}/wp-admin/", timeout=120) as answer:
        answer.read()
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar if cookie.path == "/")


def wordpress_start(processes, path: str) -> None:
    """PHP-FPM with a pool of our own (a static pool of 8 processes: as many requests at once
    as Masthead's 2 processes × 4 threads; Debian's opcache on), behind an nginx of our own."""
    folder = RUN / "php-fpm"
    folder.mkdir(parents=True, exist_ok=True)
    socket_path = folder / "php-fpm.sock"
    config = folder / "php-fpm.conf"
    config.write_text(
        textwrap.dedent(
            f"""\
            ; Written by bench/peers.py.
            [global]
            pid = {folder / "php-fpm.pid"}
            error_log = {LOGS / "php-fpm-error.log"}
            daemonize = no
            [wordpress]
            user = www-data
            group = www-data
            listen = {socket_path}
            listen.owner = www-data
            listen.group = www-data
            listen.mode = 0660
            pm = static
            pm.max_children = {PHP_CHILDREN}
            """
        )
    )
    processes.start("php-fpm", [php_fpm_binary(), "--nodaemonize", "--fpm-config", str(config)])
    server = f"""\
        server {{
            listen 127.0.0.1:{PORTS["wordpress"]};
            root {WORDPRESS};
            index index.php;
            location / {{ try_files $uri $uri/ /index.php?$args; }}
            location ~ \\.php$ {{
                try_files $uri =404;
                include /etc/nginx/fastcgi_params;
                fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
                # Debian's fastcgi_params pass $host, without the port WordPress's
                # canonical redirect expects (it would redirect every page to itself).
                fastcgi_param HTTP_HOST $host:$server_port;
                fastcgi_pass unix:{socket_path};
            }}
        }}
        """
    nginx_start(
        processes,
        "nginx-wordpress",
        nginx_config("nginx-wordpress", server),
        PORTS["wordpress"],
        path,
    )


# --- measuring ---------------------------------------------------------------------------------


def wrk(target: dict, seconds: int) -> dict:
    """One wrk run (two threads, as the machine has two cores): requests per second, p50 and
    p99 latency, and every answer that was not 2xx/3xx or failed on the socket."""
    command = [shutil.which("wrk") or "/usr/bin/wrk", "-t2", f"-c{target['concurrency']}"]
    command += [f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for name, value in target.get("headers", {}).items():
        command += ["-H", f"{name}: {value}"]
    if target.get("script"):
        command += ["-s", str(target["script"])]
    command.append(f"http://127.0.0.1:{target['port']}{target['path']}")
    return wrk_figures(run(command).stdout)


def post_script(name: str, method_path: str, body_template: str) -> Path:
    """A wrk Lua script posting JSON; each thread numbers its own requests, so no two bodies
    are alike (a moderation screen would hold repeated texts as a flood)."""
    script = RUN / f"post-{name}.lua"
    script.write_text(
        textwrap.dedent(
            f"""\
            -- Written by bench/peers.py.
            local threads = 0
            function setup(thread)
              threads = threads + 1
              thread:set("tag", threads * 1000 + math.random(0, 999))
            end
            local counter = 0
            local template = [==[{body_template}]==]
            local headers = {{["Content-Type"] = "application/json"}}
            function request()
              counter = counter + 1
              return wrk.format("POST", [==[{method_path}]==], headers,
                                string.format(template, tag, counter))
            end
            """
        )
    )
    return script


def scenario_targets(article: dict, wordpress: dict | None, only: set) -> list[dict]:
    """Each scenario with its Masthead target and its peer's (None when the peer is missing)."""
    api = f"/api/v1/threads/{article['key']}/comments?sort=oldest&limit=200"
    isso_uri = urllib.parse.urlencode({"uri": article["url"]})
    isso_post_uri = urllib.parse.urlencode({"uri": article["post_url"]})
    # POST_TEXT's two %d: filled in by the Lua script with the wrk thread's tag and a counter.
    masthead_body = json.dumps(
        {"author_name": "Bench", "author_email": "bench@example.org", "text": POST_TEXT}
    )
    isso_body = json.dumps({"author": "Bench", "email": "bench@example.org", "text": POST_TEXT})
    render_peer = signed_in_peer = None
    if wordpress is not None:
        label = "WordPress + wpDiscuz" if wordpress.get("plugin") else "WordPress (no wpDiscuz)"
        render_peer = {"system": label, "port": PORTS["wordpress"], "path": wordpress["url"]}
        signed_in_peer = {
            **render_peer,
            "system": f"{label}, signed in",
            "headers": {"Cookie": wordpress["cookie"]},
        }
    gzip_header = {"Accept-Encoding": "gzip"}
    scenarios = [
        {
            "group": "post",
            "name": "POST a comment, c=8",
            "masthead": {
                "system": "Masthead",
                "port": PORTS["masthead-render"],
                "path": f"/api/v1/threads/{article['post_key']}/comments",
                "script": post_script(
                    "masthead", f"/api/v1/threads/{article['post_key']}/comments", masthead_body
                ),
                "concurrency": 8,
            },
            "peer": {
                "system": "Isso",
                "port": PORTS["isso"],
                "path": f"/new?{isso_post_uri}",
                "script": post_script("isso", f"/new?{isso_post_uri}", isso_body),
                "concurrency": 8,
            },
        },
        {
            "group": "render",
            "name": "article page, 200 comments, rendered, c=32",
            "masthead": {
                "system": "Masthead (page cache off)",
                "port": PORTS["masthead-render"],
                "path": article["url"],
                "concurrency": 32,
            },
            "peer": render_peer and {**render_peer, "concurrency": 32},
        },
        {
            "group": "render",
            "name": "article page, 200 comments, signed-in reader, c=32",
            # The production setting, page cache on: a signed-in reader's page is rendered.
            "masthead": {
                "system": "Masthead (page cache on), signed in",
                "port": PORTS["masthead-cached"],
                "path": article["url"],
                "headers": {"Cookie": article["cookie"]},
                "concurrency": 32,
            },
            "peer": signed_in_peer and {**signed_in_peer, "concurrency": 32},
        },
        {
            "group": "cached",
            "name": "article page, cached, identity, c=32",
            "masthead": {
                "system": "Masthead (page cache on)",
                "port": PORTS["masthead-cached"],
                "path": article["url"],
                "concurrency": 32,
            },
            "peer": {
                "system": "nginx (same bytes)",
                "port": PORTS["nginx-static"],
                "path": article["url"],
                "concurrency": 32,
            },
        },
        {
            "group": "cached",
            "name": "article page, cached, gzip, c=32",
            "masthead": {
                "system": "Masthead (page cache on)",
                "port": PORTS["masthead-cached"],
                "path": article["url"],
                "headers": gzip_header,
                "concurrency": 32,
            },
            "peer": {
                "system": "nginx gzip_static (same bytes)",
                "port": PORTS["nginx-static"],
                "path": article["url"],
                "headers": gzip_header,
                "concurrency": 32,
            },
        },
        {
            "group": "thread",
            "name": "whole 200-comment thread, API, c=32",
            "masthead": {
                "system": "Masthead limit=200",
                "port": PORTS["masthead-render"],
                "path": api,
                "concurrency": 32,
            },
            "peer": {
                "system": "Isso GET /?uri=",
                "port": PORTS["isso"],
                "path": f"/?{isso_uri}",
                "concurrency": 32,
            },
        },
    ]
    return [scenario for scenario in scenarios if scenario["group"] in only]


def rounds_run(scenarios: list[dict], rounds: int, seconds: int) -> list[dict]:
    """Every (scenario, system) pair once per round; within a scenario Masthead goes first in
    odd rounds and the peer in even ones, so neither always runs on a machine the other warmed."""
    runs = []
    for number in range(1, rounds + 1):
        start_load = os.getloadavg()[0]
        print(f"round {number}/{rounds}: load average {start_load:.2f} at its start", flush=True)
        for scenario in scenarios:
            sides = ["masthead", "peer"] if number % 2 else ["peer", "masthead"]
            for side in sides:
                target = scenario[side]
                if target is None:
                    continue
                load_before = os.getloadavg()[0]
                figures = wrk(target, seconds)
                figures.update(
                    scenario=scenario["name"],
                    side=side,
                    system=target["system"],
                    round=number,
                    load_before=load_before,
                    load_after=os.getloadavg()[0],
                )
                runs.append(figures)
                print(
                    f"  {scenario['name']:44} {target['system']:30} {figures['rps']:9.1f} req/s"
                    f"  p50 {_ms(figures['p50'])}  p99 {_ms(figures['p99'])}"
                    f"  errors {figures['errors']}",
                    flush=True,
                )
        print(
            f"round {number}/{rounds}: load average {os.getloadavg()[0]:.2f} at its end"
            f" (was {start_load:.2f})",
            flush=True,
        )
    return runs


def _ms(value) -> str:
    return "   n/a" if value is None else f"{value:7.1f} ms"


def medians(scenarios: list[dict], runs: list[dict]) -> list[dict]:
    rows = []
    for scenario in scenarios:
        row = {"scenario": scenario["name"], "loads": []}
        for side in ("masthead", "peer"):
            mine = [r for r in runs if r["scenario"] == scenario["name"] and r["side"] == side]
            row["loads"] += [value for r in mine for value in (r["load_before"], r["load_after"])]
            if not mine:
                row[side] = None
                continue
            row[side] = {
                "system": mine[0]["system"],
                "rps": statistics.median(r["rps"] for r in mine),
                "p50": statistics.median(r["p50"] or 0 for r in mine),
                "p99": statistics.median(r["p99"] or 0 for r in mine),
                "errors": sum(r["errors"] for r in mine),
                "runs": len(mine),
            }
        rows.append(row)
    return rows


# --- memory ------------------------------------------------------------------------------------


def process_tree(pid: int) -> list[int]:
    """`pid` and every process below it (from /proc/PID/task/*/children)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            for task in Path(f"/proc/{current}/task").iterdir():
                with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                    pending += [int(child) for child in (task / "children").read_text().split()]
    return found


def pss_mib(pids: list[int]) -> float:
    """Sum of Pss (shared pages divided among the processes sharing them) in MiB."""
    total = 0
    for pid in pids:
        with contextlib.suppress(FileNotFoundError, ProcessLookupError, PermissionError):
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
    return total / 1024


def process_role(pid: int) -> str:
    """Name one of Masthead's processes by its command line, for the memory table."""
    with contextlib.suppress(FileNotFoundError, ProcessLookupError):
        arguments = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        arguments = arguments.split("\0")
        if "masthead.core.supervise" in arguments:
            return "supervisor (no Django)"
        if "masthead.cli" in arguments:
            return "masthead " + " ".join(arguments[arguments.index("masthead.cli") + 1 :][:2])
        if "granian" in " ".join(arguments):
            # granian's main process only watches; its worker runs Masthead's application.
            if _is_granian_worker(pid):
                return "granian worker: the application, models loaded"
            return "granian main process"
    return "other"


def _is_granian_worker(pid: int) -> bool:
    with contextlib.suppress(FileNotFoundError, ProcessLookupError):
        parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        parent_arguments = Path(f"/proc/{parent}/cmdline").read_bytes().decode(errors="replace")
        return "granian" in parent_arguments
    return False


def pids_named(name: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                if (entry / "comm").read_text().strip() == name:
                    found.append(int(entry.name))
    return found


def memory_rows(processes, options, article, wordpress) -> list[dict]:
    """PSS per system. Masthead's load-round servers first, then, once they are stopped, the
    default set (server, supervisor, worker with the scheduler) started and warmed like a
    reader would, and what each of its processes costs."""
    rows = []

    def add(system, pids, note=""):
        rows.append(
            {"system": system, "processes": len(pids), "pss_mib": pss_mib(pids), "note": note}
        )

    for name, label in (
        ("masthead-render", "Masthead, load-round server, page cache off"),
        ("masthead-cached", "Masthead, load-round server, page cache on"),
    ):
        if name in processes.started:
            add(
                label,
                process_tree(processes.started[name].pid),
                f"--workers {MASTHEAD_WORKERS}, no scheduler/worker",
            )
            processes.stop(name)
    process = masthead_serve(processes, options, "masthead-default", True, default_set=True)
    port = PORTS["masthead-default"]
    api = f"/api/v1/threads/{article['key']}/comments?sort=oldest&limit=200"
    for path in (article["url"], api, article["url"]):
        request(port, "GET", path)
    request(
        port,
        "POST",
        f"/api/v1/threads/{article['post_key']}/comments",
        body=json.dumps({"author_name": "Bench", "text": POST_TEXT % (0, 0)}),
        headers={"Content-Type": "application/json"},
    )
    warm = {"port": port, "path": article["url"], "concurrency": 8}
    wrk(warm, 3)
    wrk({**warm, "path": api}, 3)
    time.sleep(5)  # the worker and scheduler take their turn
    default_set = process_tree(process.pid)
    add(
        "Masthead, default set (scripts/run: server, supervisor, worker with the scheduler)",
        default_set,
        "after 6 s of reads and one post",
    )
    for pid in default_set:  # what each process costs
        add(f"  of which: {process_role(pid)}", [pid], f"pid {pid}")
    if options.masthead_database_url:
        add(
            "PostgreSQL server (shared with the machine)",
            pids_named("postgres"),
            "all its processes",
        )
    for name, label in (
        ("isso", f"Isso (gunicorn, {ISSO_WORKERS} workers)"),
        ("nginx-static", "nginx (static bytes)"),
    ):
        if name in processes.started:
            add(label, process_tree(processes.started[name].pid))
    if wordpress is not None and "php-fpm" in processes.started:
        nginx = process_tree(processes.started["nginx-wordpress"].pid)
        fpm = process_tree(processes.started["php-fpm"].pid)
        maria = pids_named("mariadbd")
        add("WordPress: nginx", nginx)
        add(f"WordPress: php-fpm ({PHP_CHILDREN} children)", fpm)
        add("MariaDB server (shared with the machine)", maria, "all its databases")
        add("WordPress total (nginx + php-fpm + MariaDB)", nginx + fpm + maria)
    return rows


# --- versions ----------------------------------------------------------------------------------


def versions(wordpress: dict | None) -> list[dict]:
    """What ran, read from the installed software; licences as their projects state them."""

    def debian(package):
        with contextlib.suppress(RuntimeError, FileNotFoundError):
            return run(["dpkg-query", "-W", "-f=${Version}", package]).stdout
        return "not installed"

    isso = gunicorn = "not installed"
    with contextlib.suppress(RuntimeError, FileNotFoundError):
        isso, gunicorn = run(
            [
                str(ISSO_VENV / "bin" / "python"),
                "-c",
                "import importlib.metadata as m; print(m.version('isso'), m.version('gunicorn'))",
            ]
        ).stdout.split()
    php_version = "not installed"
    with contextlib.suppress(RuntimeError, FileNotFoundError):
        php_version = run([shutil.which("php") or "php", "-r", "echo PHP_VERSION;"]).stdout
    wordpress = dict(wordpress or {})
    with contextlib.suppress(FileNotFoundError, AttributeError):
        source = (WORDPRESS / "wp-includes" / "version.php").read_text()
        wordpress.setdefault("wordpress", re.search(r"\$wp_version = '([^']+)'", source)[1])
    for main_file in (WORDPRESS / "wp-content" / "plugins" / "wpdiscuz").glob("*.php"):
        header = re.search(r"\* Version:\s*(\S+)", main_file.read_text(errors="replace")[:4000])
        if header and not wordpress.get("plugin"):
            wordpress["plugin"] = f"{header[1]} (installed, not measured)"
    maria = "unreachable"
    with contextlib.suppress(RuntimeError, FileNotFoundError):
        maria = mariadb("SELECT VERSION()")
    rows = [
        {"software": "Isso", "version": isso, "source": "PyPI", "license": "MIT"},
        {"software": "gunicorn", "version": gunicorn, "source": "PyPI", "license": "MIT"},
        {
            "software": "nginx",
            "version": debian("nginx"),
            "source": "Debian",
            "license": "BSD-2-Clause",
        },
        {
            "software": "wrk",
            "version": debian("wrk"),
            "source": "Debian",
            "license": "Apache-2.0 (modified)",
        },
        {
            "software": "WordPress",
            "version": f"{wordpress.get('wordpress', '?')} (Debian {debian('wordpress')})",
            "source": "Debian",
            "license": "GPL-2.0-or-later",
        },
        {
            "software": "wpDiscuz",
            "version": wordpress.get("plugin") or "not installed",
            "source": "--wpdiscuz checkout",
            "license": "GPL-3.0",
        },
        {
            "software": "PHP (php-fpm)",
            "version": f"{php_version} (Debian {debian('php-fpm')})",
            "source": "Debian",
            "license": "PHP-3.01",
        },
        {
            "software": "MariaDB",
            "version": maria,
            "source": "the machine's server",
            "license": "GPL-2.0",
        },
    ]
    return rows


# --- the report --------------------------------------------------------------------------------


def report(rows: list[dict], memory: list[dict], notes: list[str], software: list[dict]) -> None:
    print(
        "\n| scenario | Masthead req/s (p50 / p99 ms) | peer req/s (p50 / p99 ms) | ratio | load average |"
    )
    print("| --- | --- | --- | --- | --- |")
    for row in rows:
        cells = []
        for side in ("masthead", "peer"):
            figures = row[side]
            if figures is None:
                cells.append("skipped")
                continue
            errors = f", {figures['errors']} errors" if figures["errors"] else ""
            cells.append(
                f"{figures['system']}: {figures['rps']:,.0f} ({figures['p50']:.1f} / "
                f"{figures['p99']:.1f}){errors}"
            )
        ratio = "n/a"
        if row["masthead"] and row["peer"] and row["peer"]["rps"]:
            ratio = f"{row['masthead']['rps'] / row['peer']['rps']:.2f}×"
        loads = f"{min(row['loads']):.2f}–{max(row['loads']):.2f}" if row["loads"] else "n/a"
        print(f"| {row['scenario']} | {cells[0]} | {cells[1]} | {ratio} | {loads} |")
    if memory:
        print("\n| system | processes | PSS MiB | note |")
        print("| --- | --- | --- | --- |")
        for row in memory:
            print(
                f"| {row['system']} | {row['processes']} | {row['pss_mib']:.0f} | {row['note']} |"
            )
    print("\n| software | version | from | licence |")
    print("| --- | --- | --- | --- |")
    for row in software:
        print(f"| {row['software']} | {row['version']} | {row['source']} | {row['license']} |")
    for note in notes:
        print(f"- {note}")


# --- cleaning up -------------------------------------------------------------------------------


@contextlib.contextmanager
def scratch_postgres(server_url: str | None):
    """A PostgreSQL database with a name of its own on `server_url`'s server, dropped at the
    end; None without --database-url (Masthead then runs on SQLite in the scratch folder)."""
    if not server_url:
        yield None
        return
    import psycopg

    name = f"masthead_bench_peers_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlunsplit(urllib.parse.urlsplit(server_url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"dropped the PostgreSQL database {name}")


@contextlib.contextmanager
def scratch_redis(redis_url: str | None):
    """Masthead's cache on a Redis database number of its own (refused if it holds anything
    already); at the end only the keys under Masthead's prefix there are deleted, never a
    FLUSHDB or FLUSHALL."""
    if not redis_url:
        yield
        return
    import redis

    client = redis.Redis.from_url(redis_url)
    if client.dbsize():
        raise SystemExit(f"{redis_url} is not empty: name a free database with --redis-url")
    try:
        yield
    finally:
        deleted = 0
        for key in client.scan_iter(match="masthead*", count=1000):
            deleted += client.delete(key)
        print(f"deleted {deleted} Masthead keys from {redis_url}")


def on_signal(number, _frame):
    """SIGTERM or SIGHUP end the run like Ctrl+C: through the cleanup in main()."""
    raise KeyboardInterrupt(f"signal {number}")


# --- main --------------------------------------------------------------------------------------


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--seconds", type=int, default=8, help="wrk seconds per pair (default 8)")
    parser.add_argument(
        "--only",
        default=",".join(SCENARIOS),
        help=f"comma-separated scenarios among {','.join(SCENARIOS)} (default: all)",
    )
    parser.add_argument(
        "--wpdiscuz",
        type=Path,
        help="a wpDiscuz checkout (plugin folder, or a git directory whose HEAD is used); "
        "without it WordPress runs with its own comments",
    )
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server (postgres://USER@HOST:PORT/DB, DB existing): Masthead runs on "
        "a new database of its own there, dropped at the end, and its cache on --redis-url",
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/13",
        help="with --database-url: an empty Redis database for Masthead's cache (default %(default)s)",
    )
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    parser.add_argument(
        "--skip-install",
        action="store_true",
        help="no apt-get and no pip: use what an earlier run installed in /tmp/masthead-peers",
    )
    options = parser.parse_args()
    options.only = {part.strip() for part in options.only.split(",") if part.strip()}
    if options.only - set(SCENARIOS):
        parser.error(f"--only takes {','.join(SCENARIOS)}")
    if options.database_url and not options.database_url.startswith(
        ("postgres://", "postgresql://")
    ):
        parser.error("--database-url takes a postgres:// address")
    if options.rounds < 1 or options.seconds < 1:
        parser.error("--rounds and --seconds must be at least 1")
    return options


def main() -> None:
    options = arguments()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    busy = [f"{name} ({port})" for name, port in PORTS.items() if not port_free(port)]
    if busy:
        raise SystemExit(f"ports in use: {', '.join(busy)}")
    processes = Processes()
    notes = [
        f"{os.cpu_count()} CPUs shared by the servers and wrk (-t2); medians of "
        f"{options.rounds} interleaved rounds of {options.seconds} s per pair.",
        f"Masthead: `masthead serve --workers {MASTHEAD_WORKERS}` (4 threads each), "
        + ("PostgreSQL and Redis." if options.database_url else "SQLite and its file cache."),
    ]
    cleanups = []  # what to undo at the end, however the run ends
    try:
        with (
            scratch_postgres(options.database_url) as masthead_url,
            scratch_redis(options.redis_url if options.database_url else None),
        ):
            options.masthead_database_url = masthead_url
            prepare_and_run(options, processes, notes, cleanups)
    except KeyboardInterrupt:
        print("\ninterrupted: stopping everything this run started", file=sys.stderr)
        raise SystemExit(130) from None
    finally:
        processes.stop_all()
        for cleanup in reversed(cleanups):
            cleanup()


def wordpress_database_drop() -> None:
    with contextlib.suppress(RuntimeError, FileNotFoundError):
        mariadb(f"DROP DATABASE IF EXISTS {WP_DATABASE}")
        print(f"dropped the MariaDB database {WP_DATABASE}")


def prepare_and_run(options, processes: Processes, notes: list[str], cleanups: list) -> None:
    """Install, build and seed everything the chosen scenarios need, run the rounds, report."""
    only = options.only
    need_isso = bool(only & {"post", "thread", "memory"})
    need_static = bool(only & {"cached", "memory"})
    need_wordpress = bool(only & {"render", "memory"})
    RUN.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(LOGS, ignore_errors=True)
    print(f"peers in {PEERS}, logs in {LOGS}", flush=True)
    plugin = None
    wordpress_problem = None
    if not options.skip_install:
        install_debian()
        if need_isso:
            install_isso()
    missing = tools_missing()
    if "wrk" in missing:
        raise SystemExit(
            "wrk is not installed (apt-get install wrk, or run without --skip-install)"
        )
    if need_wordpress:
        if {"php-fpm", "php-cli", "php-mysql", "wordpress", "nginx"} & set(missing):
            wordpress_problem = f"not installed: {', '.join(missing)}"
        else:
            try:
                plugin = install_wordpress(options.wpdiscuz)
            except (RuntimeError, OSError) as error:
                wordpress_problem = f"could not install: {error}"

    plan = thread_plan(COMMENTS)
    print(f"building the Masthead site in {SITE}", flush=True)
    article = masthead_build(options, plan)
    print(
        f"  {article['url']}: {article['comments']} comments, thread {article['key']}", flush=True
    )
    masthead_serve(processes, options, "masthead-render", page_cache=False)
    masthead_serve(processes, options, "masthead-cached", page_cache=True)
    article["cookie"] = browser_cookies(PORTS["masthead-cached"], article["url"], article["cookie"])
    identity = request(PORTS["masthead-cached"], "GET", article["url"])[2]
    status, headers, gzipped = request(
        PORTS["masthead-cached"], "GET", article["url"], headers={"Accept-Encoding": "gzip"}
    )
    if headers.get("content-encoding") != "gzip" or gzip.decompress(gzipped) != identity:
        raise RuntimeError("Masthead's cached page did not come back as the same gzip bytes")
    rendered = request(PORTS["masthead-render"], "GET", article["url"])[2]
    notes.append(
        f"Masthead's article page: {len(identity):,} bytes cached ({len(gzipped):,} gzip), "
        f"{len(rendered):,} bytes rendered; {PAGE_SIZE} top-level comments with their replies."
    )

    if need_static:
        static_start(processes, article, identity, gzipped)
    if need_isso:
        isso_start(processes, PORTS["nginx-static"])
        print("seeding Isso", flush=True)
        isso_seed(
            plan, article["url"], article["title"], article["post_url"], article["post_title"]
        )
        isso_uri = "/?" + urllib.parse.urlencode({"uri": article["url"]})
        isso_thread = request(PORTS["isso"], "GET", isso_uri)[2]
        api = f"/api/v1/threads/{article['key']}/comments?sort=oldest&limit=200"
        masthead_thread = request(PORTS["masthead-render"], "GET", api)[2]
        notes.append(
            f"Isso: `gunicorn --workers {ISSO_WORKERS} --preload isso.run` (Isso's deployment "
            f"docs), SQLite, moderation and [guard] off. Whole thread: Isso {len(isso_thread):,} "
            f"bytes, Masthead's limit=200 answer {len(masthead_thread):,} bytes."
        )
    wordpress = None
    if need_wordpress and wordpress_problem is None:
        try:
            print("installing and seeding WordPress", flush=True)
            cleanups.append(wordpress_database_drop)
            wordpress = wordpress_build(article, plan, plugin)
            wordpress_start(processes, wordpress["url"])
            wordpress["cookie"] = wordpress_sign_in(wordpress.pop("password"))
            status, _headers, page = request(PORTS["wordpress"], "GET", wordpress["url"])
            if status != 200:
                raise RuntimeError(f"the post page answered {status}")
            if plugin and b'id="wpdcom"' not in page:
                raise RuntimeError("wpDiscuz is active but the post page shows no wpDiscuz thread")
            notes.append(
                f"WordPress {wordpress['wordpress']}"
                + (
                    f" + wpDiscuz {wordpress['plugin']}"
                    if plugin
                    else " with its own comments (no --wpdiscuz)"
                )
                + f": {len(page):,} bytes at {wordpress['url']}, comments_per_page={PAGE_SIZE}, "
                f"php-fpm static pool of {PHP_CHILDREN}, opcache on, no page cache, WP-Cron off."
            )
        except (RuntimeError, OSError, KeyError, ValueError) as error:
            wordpress_problem = str(error)
            wordpress = None
    if need_wordpress and wordpress_problem:
        notes.append(f"WordPress skipped: {wordpress_problem}")
        print(f"WordPress skipped: {wordpress_problem}", flush=True)

    scenarios = scenario_targets(article, wordpress, only)
    for scenario in scenarios:  # a first request each: caches, opcache, renditions
        for side in ("masthead", "peer"):
            target = scenario[side]
            if target and not target.get("script"):
                status, _headers, body = request(
                    target["port"], "GET", target["path"], headers=target.get("headers")
                )
                if status != 200:
                    raise RuntimeError(f"{target['system']} answered {status} to {target['path']}")
                # Every seeded text ends "(Comment N.)": how many of the thread each one shows
                # (Masthead's page carries each text twice: shown, and raw for quoting).
                shown = set(re.findall(rb"\(Comment (\d+)\.\)", body))
                target["bytes"], target["comments"] = len(body), len(shown)
                print(
                    f"  {scenario['name']}: {target['system']} answers {len(body):,} bytes"
                    + (f", {target['comments']} comments" if target["comments"] else "")
                )
    runs = rounds_run(scenarios, options.rounds, options.seconds) if scenarios else []
    rows = medians(scenarios, runs)
    memory = memory_rows(processes, options, article, wordpress) if "memory" in only else []
    software = versions(wordpress)
    report(rows, memory, notes, software)
    if options.json:
        options.json.write_text(
            json.dumps(
                {
                    "options": {
                        "rounds": options.rounds,
                        "seconds": options.seconds,
                        "only": sorted(only),
                        "database": "postgresql" if options.database_url else "sqlite",
                    },
                    "runs": runs,
                    "medians": rows,
                    "memory": memory,
                    "versions": software,
                    "notes": notes,
                },
                indent=2,
                default=str,
            )
        )
        print(f"wrote {options.json}")


if __name__ == "__main__":
    main()

"""The README's first command, run as an operator would: set up, load the demo, serve."""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, **headers):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback only
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status, response.headers, response.read()


def wait_until_serving(url: str, process, deadline_seconds: float = 240) -> None:
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"scripts/run exited with {process.returncode}")
        try:
            fetch(url)
            return
        except OSError:
            time.sleep(0.5)
    raise AssertionError("scripts/run did not start serving in time")


@pytest.fixture
def running_site(tmp_path):
    port = free_port()
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "MEDIA_ROOT", "STATIC_ROOT", "SITE_URL"}
    }
    # No SITE_URL: in development it follows the port the server was given.
    environment.update(MASTHEAD_VAR_DIR=str(tmp_path / "var"))
    log = (tmp_path / "run.log").open("w")
    process = subprocess.Popen(
        [str(REPOSITORY / "scripts" / "run"), "--port", str(port)],
        cwd=REPOSITORY,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base + "/robots.txt", process)
        yield base, tmp_path
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def test_first_run_serves_the_demo_outlet_with_static_files_and_originals(running_site):
    base, tmp_path = running_site

    status, _, front = fetch(base + "/")
    html = front.decode()
    assert status == 200
    assert "The Harbour Ledger" in html
    stylesheet = re.search(r'href="(/static/masthead/site\.[0-9a-f]+\.css)"', html).group(1)
    status, headers, _ = fetch(base + stylesheet)
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    # Links name the address actually served (`--port`), not the default :8000.
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)
    assert canonical == base + "/"
    # Hashed static files: compressed once by collectstatic, cached by browsers for a year.
    status, headers, _ = fetch(base + stylesheet, **{"Accept-Encoding": "br"})
    assert headers["Content-Encoding"] == "br"
    assert "immutable" in headers["Cache-Control"]
    assert "max-age=315360000" in headers["Cache-Control"]
    status, headers, _ = fetch(base + "/", **{"Accept-Encoding": "gzip, br"})
    assert status == 200 and headers["Content-Encoding"] == "br"

    article_path = re.search(r'class="card-title"><a href="([^"]+)"', html).group(1)
    _, _, article = fetch(base + article_path)
    original = re.search(
        r'<a class="full-size-link" href="([^"]+)" title="Click to see full-size image">',
        article.decode(),
    ).group(1)
    status, headers, image = fetch(base + original)
    assert status == 200 and headers["Content-Type"] == "image/jpeg"
    assert len(image) > 100_000

    log = (tmp_path / "run.log").read_text()
    assert "Admin login at /admin/ with: username: editor password: " in log
    assert f"Masthead is serving on {base}/" in log

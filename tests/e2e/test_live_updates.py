"""Readers see new comments arrive without reloading, served by real `masthead serve` processes.

The live path runs only under the ASGI server (pytest-django's live_server speaks WSGI), so
these journeys start `masthead serve` itself, on a scratch database loaded with the demo.
"""

import json
import re
import urllib.request
import uuid
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect, sync_playwright

from conftest import CHROMIUM_FLAGS, CHROMIUM_PATH, free_port
from tests.processes import masthead, masthead_start, scratch_environment, stop, wait_for_http

pytestmark = pytest.mark.browser


@contextmanager
def demo_site(folder, **settings):
    """Yield the environment of a migrated scratch site holding the demo outlet."""
    with scratch_environment(folder, MASTHEAD_TASK_QUEUE="immediate", **settings) as environment:
        masthead(environment, "migrate", "--noinput", "--verbosity", "0")
        masthead(environment, "demo")
        yield environment


@contextmanager
def server(environment, folder, name, port=None):
    """Run `masthead serve` (on a free port unless given); yield its base URL."""
    port = port or free_port()
    process = masthead_start(
        environment,
        "serve",
        "--port",
        str(port),
        "--no-scheduler",
        "--no-worker",
        "--skip-migrate",
        log=folder / f"{name}.log",
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/robots.txt", process)
        yield base
    finally:
        stop(process)


@pytest.fixture
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def first_article(base: str) -> str:
    with urllib.request.urlopen(base + "/", timeout=30) as response:  # noqa: S310 - loopback
        front = response.read().decode()
    return re.search(r'class="card-title"><a href="([^"]+)"', front).group(1)


def post_comment(base: str, key: str, text: str, *, name: str, parent: int | None = None) -> int:
    """Post a guest comment through the JSON API, as another reader's browser would."""
    body = {"author_name": name, "author_email": "other@example.org", "text": text}
    if parent:
        body["parent"] = parent
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{base}/api/v1/threads/{key}/comments",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        assert response.status == 201
        return json.loads(response.read())["id"]


def open_article(chromium, url: str):
    """Open `url` in a new tab and wait until its live stream is connected."""
    tab = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    tab.set_default_timeout(15_000)
    tab.goto(url)
    expect(tab.locator("#comments")).to_have_attribute("data-live-state", "open")
    return tab


def shown_count(tab) -> int:
    return int(tab.locator("[data-comment-count]").get_attribute("data-comment-count"))


@pytest.mark.redis
def test_comment_posted_to_one_server_appears_live_to_a_reader_of_another(
    tmp_path, redis_url, chromium
):
    settings = {
        "REDIS_URL": redis_url,
        "LIVE_BROKER": "redis",
        "LIVE_CHANNEL_PREFIX": f"test:{uuid.uuid4().hex}:",
    }
    port_a = free_port()
    with (
        demo_site(tmp_path, **settings) as environment,
        server(environment, tmp_path, "b") as server_b,
    ):
        with server(environment, tmp_path, "a", port=port_a) as server_a:
            tab = open_article(chromium, server_a + first_article(server_a))
            key = tab.locator("#comments").get_attribute("data-thread-key")
            before = shown_count(tab)
            notice = tab.locator("[data-new-comments]")
            expect(notice).to_be_hidden()

            first = post_comment(server_b, key, "Posted on the other server.", name="Bea Other")
            expect(notice).to_have_text("1 new comment — show")
            second = post_comment(server_b, key, "And a second one.", name="Cy Other")

            expect(notice).to_have_text("2 new comments — show")
            expect(tab.locator("[data-comment-count]")).to_have_text(f"{before + 2} Comments")
            expect(tab.locator(f"#comment-{first}")).to_have_count(0)  # nothing moves by itself

            notice.click()

            expect(notice).to_be_hidden()
            newest = tab.locator("[data-comment-list] > .comment")
            expect(newest.nth(0)).to_have_id(f"comment-{second}")
            expect(newest.nth(1)).to_have_id(f"comment-{first}")
            expect(newest.nth(1)).to_contain_text("Posted on the other server.")
            expect(tab.locator(f"#comment-{second}")).to_have_class(re.compile("comment-highlight"))
            expect(tab.locator(f"#comment-{second}")).to_be_in_viewport()
            assert shown_count(tab) == before + 2

        # Server A restarts; what was posted meanwhile reaches its reader after the reconnect.
        expect(tab.locator("#comments")).not_to_have_attribute("data-live-state", "open")
        missed = post_comment(server_b, key, "Posted while A was down.", name="Di Other")
        with server(environment, tmp_path, "a-again", port=port_a):
            expect(tab.locator("#comments")).to_have_attribute("data-live-state", "open")
            expect(tab.locator("[data-comment-count]")).to_have_text(f"{before + 3} Comments")
            expect(notice).to_have_text("1 new comment — show")
            notice.click()
            expect(tab.locator(f"#comment-{missed}")).to_contain_text("Posted while A was down.")


def test_single_server_announces_others_comments_but_not_the_readers_own(tmp_path, chromium):
    with (
        demo_site(tmp_path, LIVE_BROKER="memory") as environment,
        server(environment, tmp_path, "solo") as base,
    ):
        tab = open_article(chromium, base + first_article(base))
        key = tab.locator("#comments").get_attribute("data-thread-key")
        before = shown_count(tab)
        notice = tab.locator("[data-new-comments]")

        # The reader's own comment appears at once, counted once, and is not "new".
        form = tab.locator("[data-comment-form]").first
        form.locator("textarea").fill("My own words.")
        form.locator("input[name=author_name]").fill("Ada Reader")
        form.locator("input[name=author_email]").fill("ada@example.org")
        form.get_by_role("button", name="Post comment").click()
        expect(tab.locator("[data-comment-list] > .comment").first).to_contain_text("My own words.")
        expect(tab.locator("[data-comment-count]")).to_have_text(f"{before + 1} Comments")
        tab.wait_for_timeout(800)  # longer than the grace the page gives its own post
        expect(notice).to_be_hidden()

        # Someone else replies to a conversation on the page.
        parent = int(
            tab.locator("[data-comment-list] > .comment").nth(1).get_attribute("data-comment-id")
        )
        reply = post_comment(base, key, "A reply from elsewhere.", name="Dan Other", parent=parent)

        expect(notice).to_have_text("1 new comment — show")
        expect(tab.locator("[data-comment-count]")).to_have_text(f"{before + 2} Comments")
        expect(tab.locator("[data-discussion-live]")).to_contain_text("1 new comment.")

        notice.click()

        expect(
            tab.locator(f"#comment-{parent} .comment-replies > #comment-{reply}")
        ).to_contain_text("A reply from elsewhere.")
        expect(notice).to_be_hidden()

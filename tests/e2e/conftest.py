"""Browser fixtures for the end-to-end journeys.

Playwright is started per test, after the database fixture has restored the migration-made
content: its sync API runs an event loop, and Django opens a separate connection inside one,
which would miss the restore if the loop were already running (as a session-wide browser does).
"""

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

from conftest import CHROMIUM_FLAGS, CHROMIUM_PATH


@pytest.fixture(autouse=True)
def _robots_type_fast(settings):
    """Playwright fills a form in milliseconds; the pipeline's fill-time check would call that a
    robot. Journeys are about people, so the check is off here (moderation tests cover it)."""
    settings.MODERATION_MIN_FILL_SECONDS = 0


@pytest.fixture
def page(live_server, request, tmp_path):
    """A Chromium tab; a screenshot of it is kept under test-results/ when the test fails."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_FLAGS)
        tab = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        tab.set_default_timeout(15_000)
        yield tab
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            from pathlib import Path

            folder = Path("test-results")
            folder.mkdir(exist_ok=True)
            tab.screenshot(path=str(folder / f"{request.node.name}.png"), full_page=True)
        browser.close()
        # The test body's queries ran on connections of the loop's context: close them here,
        # or PostgreSQL refuses to drop the test database at the end of the run.
        connections.close_all()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report

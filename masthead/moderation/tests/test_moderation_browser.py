"""A moderator works the queue in a real browser: approve one held comment, ban another's author.

The held comments are made here with the test screen that holds everything; the reader's side
(a guest nudged, posting anyway, held by the real pipeline) can replace that setup later.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connections
from playwright.sync_api import expect, sync_playwright

from conftest import CHROMIUM_FLAGS, CHROMIUM_PATH
from masthead.discussion.models import Comment
from masthead.discussion.tests.factories import article_thread
from masthead.moderation.models import AuditEntry, Ban
from masthead.moderation.tests.queue_helpers import held, screened

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "pw-for-the-moderator"


@pytest.fixture
def page(live_server, request):
    """A Chromium tab on the test server (tests/e2e has the same, with failure screenshots)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_FLAGS)
        tab = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        tab.set_default_timeout(15_000)
        yield tab
        browser.close()
        # Connections opened inside Playwright's loop must close before the database is dropped.
        connections.close_all()


def moderator_create():
    user = get_user_model().objects.create_user(
        "mona", "mona@example.org", PASSWORD, first_name="Mona", last_name="Moderator"
    )
    user.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", "moderate"]))
    return user


def test_moderator_approves_one_held_comment_and_bans_another_author(live_server, page, settings):
    article, thread = article_thread("Harbour bridge closes for repairs")
    fair = screened(
        held(thread, "The detour via Elm Street adds ten minutes.", "Ada Guest", settings=settings),
        reasons=["first comment of a new guest"],
        scores={"toxicity": 0.02, "spam": 0.05},
    )
    rude = screened(
        held(thread, "Shut up, you clueless idiot.", "Troll Tom", ip_hash="ip-tom"),
        reasons=["toxicity 0.93 (insult)"],
        scores={"toxicity": 0.93, "spam": 0.1},
    )
    moderator_create()

    # Sign in to the admin and open the queue from the menu.
    page.goto(live_server.url + "/admin/login/")
    page.locator("input[name=username]").fill("mona")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.get_by_role("button", name="Moderation (2)").click()
    page.get_by_role("link", name="Queue (2)").click()
    expect(page.locator("h1")).to_contain_text("Moderation")

    fair_row = page.locator(f"[data-comment='{fair.pk}']")
    rude_row = page.locator(f"[data-comment='{rude.pk}']")
    expect(fair_row.locator("[data-reasons]")).to_contain_text("first comment of a new guest")
    expect(rude_row.locator("[data-reasons]")).to_contain_text("toxicity 0.93 (insult)")
    expect(rude_row.locator("[data-scores]")).to_have_text("toxicity 0.93 · spam 0.10")

    # The keyboard: "?" opens the help, j moves down (newest first, so the fair one is second),
    # a approves.
    page.keyboard.press("?")
    expect(page.locator("[data-queue-help]")).to_have_attribute("open", "")
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(fair_row).to_be_focused()
    page.keyboard.press("a")
    expect(page.get_by_text("Approved 1 comment.")).to_be_visible()
    expect(fair_row).to_have_count(0)

    # The approved comment is now on the article.
    article_page = page.context.new_page()
    article_page.goto(live_server.url + article.url)
    expect(article_page.locator(f"#comment-{fair.pk}")).to_contain_text("adds ten minutes")
    article_page.close()

    # Ban the other author for 7 days, from their row.
    rude_row.get_by_text("Ban author").click()
    rude_row.locator("[data-ban-duration]").select_option("7d")
    rude_row.locator("[data-ban-reason]").fill("insults other readers")
    rude_row.get_by_role("button", name="Ban and reject").click()
    expect(page.get_by_text("Banned the author (7 days) and rejected the comment.")).to_be_visible()
    expect(page.locator("[data-queue-item]")).to_have_count(0)

    # Both decisions are in the audit log.
    page.locator(".moderation-nav").get_by_role("link", name="Audit log").click()
    log = page.locator("[data-audit-log]")
    expect(log).to_contain_text(f"Approved comment #{fair.pk} by Ada Guest")
    expect(log).to_contain_text("Banned Troll Tom")
    expect(log).to_contain_text("insults other readers")

    rude.refresh_from_db()
    assert rude.status == Comment.Status.REJECTED
    assert {ban.kind for ban in Ban.objects.all()} == {"email", "ip"}
    assert AuditEntry.objects.filter(actor_name="Mona Moderator").count() == 3

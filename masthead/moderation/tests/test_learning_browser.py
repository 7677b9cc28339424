"""A moderator teaches the model in a real browser: decide in the queue, then learn from it.

The outlet's moderators have already rejected a local slur the shipped model does not know, and
approved everyday comments; the moderator adds two decisions in the queue and presses "Learn
from decisions now" on Moderation → Model.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connections
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from conftest import CHROMIUM_FLAGS, CHROMIUM_PATH
from masthead.discussion.models import Comment
from masthead.discussion.tests.factories import article_thread
from masthead.moderation import learning
from masthead.moderation.models import LearningAttempt, ModeratorDecision
from masthead.moderation.tests.queue_helpers import held

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "pw-for-the-moderator"
EVERYDAY = [
    "The council meeting ran late again last night.",
    "Thanks for covering the school board vote.",
    "Parking near the market is still a problem on Saturdays.",
    "The harbour festival was lovely this year.",
    "Has anyone asked the mayor about the library hours?",
    "The roadworks on Elm Street should finish next month.",
    "Good article, but the chart needs units.",
    "Will the pool reopen before summer?",
]


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


@pytest.fixture(autouse=True)
def no_adaptation_in_force():
    learning.adaptation_changed()
    yield
    learning.adaptation_changed()


def moderator_create():
    user = get_user_model().objects.create_user(
        "mona", "mona@example.org", PASSWORD, first_name="Mona", last_name="Moderator"
    )
    user.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", "moderate"]))
    return user


def earlier_decisions(thread, moderator) -> None:
    """What the moderators decided before today: the slur rejected, everyday talk approved."""
    rows = [(f"{text} You are a total skrunt.", "reject") for text in EVERYDAY]
    rows += [(text, "approve") for text in EVERYDAY]
    comments = Comment.objects.bulk_create(
        Comment(thread=thread, author_name="Reader", text=text, html=text, created=timezone.now())
        for text, _decision in rows
    )
    ModeratorDecision.objects.bulk_create(
        ModeratorDecision(
            comment=comment, text=comment.text, decision=decision, moderator=moderator
        )
        for comment, (_text, decision) in zip(comments, rows, strict=True)
    )


def test_moderator_decides_in_the_queue_then_the_model_learns_from_it(live_server, page, settings):
    settings.MODERATION_LEARN_MIN_DECISIONS = 10
    _article, thread = article_thread("Harbour bridge closes for repairs")
    moderator = moderator_create()
    earlier_decisions(thread, moderator)
    fair = held(thread, "The detour via Elm Street adds ten minutes.", settings=settings)
    rude = held(thread, "Only a skrunt would close the bridge.", "Troll Tom", ip_hash="ip-tom")

    page.goto(live_server.url + "/admin/login/")
    page.locator("input[name=username]").fill("mona")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.get_by_role("button", name="Moderation (2)").click()
    page.get_by_role("link", name="Queue (2)").click()

    page.locator(f"[data-comment='{rude.pk}']").get_by_role("button", name="Reject").click()
    expect(page.get_by_text("Rejected 1 comment.")).to_be_visible()
    page.locator(f"[data-comment='{fair.pk}']").get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Approved 1 comment.")).to_be_visible()

    page.locator(".moderation-nav").get_by_role("link", name="Model").click()
    expect(page.locator("[data-installed]")).to_contain_text("None yet")
    expect(page.locator("[data-decisions-since]")).to_contain_text("18 decisions collected")
    page.get_by_role("button", name="Learn from decisions now").click()

    expect(page.get_by_text("Installed a new local adaptation.")).to_be_visible()
    expect(page.locator("[data-installed]")).to_contain_text("learned from 18 decisions")
    figures = page.locator("[data-installed-figures]")
    expect(figures).to_contain_text("Held-out decisions")
    expect(figures).to_contain_text("Shipped evaluation data")
    expect(figures).to_contain_text("abuse held")
    expect(page.locator("[data-attempts] [data-outcome='installed']")).to_have_count(1)

    assert dict(
        ModeratorDecision.objects.filter(comment__in=[fair, rude]).values_list(
            "comment_id", "decision"
        )
    ) == {fair.pk: "approve", rude.pk: "reject"}
    assert LearningAttempt.objects.get().created_by == moderator

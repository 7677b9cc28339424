"""The whole comment journey by keyboard alone, with a visible focus ring at every step.

Tab and Shift+Tab reach each control in turn; Enter and Space work them. A reader sorts the
comments, votes, replies, reports a comment, subscribes to the thread and leaves inline
feedback on a passage, never touching the mouse; what happens is announced through live
regions (role="status" or aria-live), where a screen reader hears it.
"""

import pytest
from playwright.sync_api import expect

from masthead.discussion import services
from masthead.discussion.tests.factories import guest
from masthead.publishing.tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FOCUS_RING = """(element) => {
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    return outline || style.boxShadow !== "none";
}"""


def tab_to(tab, target, limit=300):
    """Press Tab until `target` has the focus; its focus ring must show."""
    for _ in range(limit):
        if target.evaluate("(element) => element === document.activeElement"):
            assert target.evaluate(FOCUS_RING), f"no visible focus ring on {target}"
            return
        tab.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


@pytest.fixture
def article(settings):
    settings.MODERATION_MIN_FILL_SECONDS = 0
    factories.outlet_configure()
    section = factories.section_create("City")
    article = factories.article_create(
        section,
        "Harbour ferries: the fare rise explained",
        body=[
            {"type": "paragraph", "value": "<p>The council met on Tuesday.</p>"},
            {
                "type": "feedback",
                "value": {
                    "text": "<p>Fares rise by a third from May.</p>",
                    "question": "Is that fair?",
                },
            },
        ],
    )
    thread = services.thread_for_page(article)
    for number in range(3):
        services.comment_post(
            thread=thread,
            text=f"Opinion number {number} on the fares.",
            author=guest(f"Reader {number}"),
        )
    return article


def test_the_comment_journey_works_by_keyboard_alone(live_server, page, article):
    page.goto(live_server.url + article.url)
    page.locator("[data-comment-list] > .comment").first.wait_for()
    page.wait_for_load_state("networkidle")
    page.locator("body").focus()

    # Sort: the "Oldest" tab.
    oldest = page.locator("[data-sort-tab=oldest]")
    tab_to(page, oldest)
    page.keyboard.press("Enter")
    expect(oldest).to_have_attribute("aria-current", "true")
    first = page.locator("[data-comment-list] > .comment").first
    expect(first).to_contain_text("Opinion number 0")

    # Vote the first comment up with Space.
    up = first.locator(":scope > .comment-main .vote-up")
    tab_to(page, up)
    page.keyboard.press(" ")
    expect(first.locator(":scope > .comment-main [data-score]")).to_have_text("1")

    # Reply: Enter on "Reply" puts the focus in the reply's text box.
    reply = first.locator("[data-reply]").first
    tab_to(page, reply)
    page.keyboard.press("Enter")
    form = first.locator("form.comment-form-reply")
    expect(form.locator("textarea")).to_be_focused()
    page.keyboard.type("Typed without a mouse: the May date is too soon.")
    tab_to(page, form.locator("input[name=author_name]"))
    page.keyboard.type("Kei Board")
    tab_to(page, form.locator("input[name=author_email]"))
    page.keyboard.type("kei@example.org")
    tab_to(page, form.locator("button[type=submit]"))
    page.keyboard.press("Enter")
    expect(first.locator(".comment-replies > .comment")).to_contain_text("Typed without a mouse")
    # Announced to screen readers (the polite live region), not only shown.
    live = page.locator("[data-discussion-live]")
    expect(live).to_have_attribute("aria-live", "polite")
    expect(live).to_contain_text("Your reply was posted.")

    # Report another comment.
    second = page.locator("[data-comment-list] > .comment").nth(1)
    report = second.locator(":scope > .comment-main [data-report]")
    tab_to(page, report)
    page.keyboard.press("Enter")
    confirm = second.locator("form, [role=dialog]").locator("button[type=submit]").first
    if confirm.count():
        tab_to(page, confirm)
        page.keyboard.press("Enter")
    expect(second.locator(".comment-report-thanks")).to_be_visible()

    # Subscribe to the thread: the choice with the arrow keys, the address, then Enter.
    choice = page.locator("[data-notify-of]")
    tab_to(page, choice)
    page.keyboard.press("ArrowDown")
    email = page.locator("[data-notify-email]")
    expect(email).to_be_visible()
    tab_to(page, email)
    # The address given with the reply is offered again; the reader types over it.
    page.keyboard.press("Control+A")
    page.keyboard.type("kei@example.org")
    page.keyboard.press("Enter")
    expect(page.locator("[data-notify-status]")).not_to_be_empty()

    # Inline feedback: Enter on the passage's marker opens its box with the focus inside.
    marker = page.locator(".feedback-passage .feedback-marker")
    tab_to(page, marker)
    page.keyboard.press("Enter")
    feedback = page.locator(".feedback-form")
    expect(feedback.locator("textarea")).to_be_focused()
    page.keyboard.type("Three years would be fairer.")
    tab_to(page, feedback.locator("button[type=submit]"))
    page.keyboard.press("Enter")
    expect(page.locator(".feedback-thanks")).to_be_visible()
    expect(page.locator(".feedback-thanks")).to_have_attribute("role", "status")

    # Escape closes the box and gives the focus back to the marker.
    page.keyboard.press("Escape")
    expect(marker).to_be_focused()

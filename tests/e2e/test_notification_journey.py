"""A guest follows a discussion by email, in a real browser, with a real SMTP server.

Subscribe from "Notify of", confirm from the mail, get exactly one mail when another reader
replies, follow its permalink, unsubscribe with one click as a mail client does, and hear
nothing more.
"""

import re
import time

import pytest
from playwright.sync_api import expect

from masthead.discussion import services
from masthead.discussion.tests.factories import guest
from masthead.publishing.tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

GUEST_EMAIL = "follower@example.org"


def _wait_for_mails(mailbox, address, count, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if len(mailbox.to(address)) >= count:
            break
        time.sleep(0.1)
    return mailbox.to(address)


def _link(message, pattern):
    text = message.get_body(("plain",)).get_content()
    return re.search(rf"https?://\S*{pattern}\S*", text).group(0)


def test_guest_subscribes_confirms_is_notified_once_and_unsubscribes_with_one_click(
    live_server, page, smtp_server, settings
):
    settings.SITE_URL = live_server.url  # links in mails lead to this test server
    section = factories.section_create("City")
    article = factories.article_create(section, "Night buses return to the harbour line")
    thread = services.thread_for_page(article)
    first = services.comment_post(
        thread=thread, text="Good news for shift workers.", author=guest("Ola First")
    )
    url = live_server.url + article.url

    # Subscribe from "Notify of": pick what, give an address, press Subscribe.
    page.goto(url)
    notify = page.locator("[data-notify-form]")
    expect(notify.locator("[data-notify-email]")).to_be_hidden()
    notify.locator("[data-notify-of]").select_option("thread")
    notify.locator("[data-notify-email]").fill(GUEST_EMAIL)
    notify.get_by_role("button", name="Subscribe").click()
    expect(notify.locator("[data-notify-status]")).to_contain_text("Check your inbox")

    (confirmation,) = _wait_for_mails(smtp_server, GUEST_EMAIL, 1)
    assert "Night buses return to the harbour line" in confirmation["Subject"]
    page.goto(_link(confirmation, "/notifications/confirm/"))
    page.get_by_role("button", name="Confirm subscription").click()
    expect(page.locator("[data-confirmed]")).to_have_text("You are subscribed")

    # Another reader replies, in their own browser.
    other = page.context.browser.new_context().new_page()
    other.goto(url)
    parent = other.locator(f"#comment-{first.pk}")
    parent.locator("[data-reply]").first.click()
    reply_form = parent.locator("form.comment-form-reply")
    reply_form.locator("textarea").fill("The 2 a.m. bus is the one that matters.")
    reply_form.locator("input[name=author_name]").fill("Pia Replier")
    reply_form.locator("input[name=author_email]").fill("pia@example.org")
    reply_form.get_by_role("button", name="Post reply").click()
    expect(parent.locator(".comment-replies > .comment")).to_contain_text("The 2 a.m. bus")

    mails = _wait_for_mails(smtp_server, GUEST_EMAIL, 2)
    time.sleep(0.5)  # a second, duplicate mail would have arrived by now
    mails = smtp_server.to(GUEST_EMAIL)
    assert len(mails) == 2, [m["Subject"] for m in mails]
    notification = mails[1]
    assert "Pia Replier" in notification["Subject"]
    assert notification["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The permalink opens the article at the reply.
    page.goto(_link(notification, "comment="))
    reply = page.locator(f"#comment-{first.pk} .comment-replies > .comment")
    expect(reply).to_contain_text("The 2 a.m. bus is the one that matters.")
    expect(reply).to_be_in_viewport()

    # One click, as a mail client does it (RFC 8058): a POST with no login and no cookie.
    one_click = re.search(r"<(https?://[^>]+)>", notification["List-Unsubscribe"]).group(1)
    answer = other.request.post(one_click, form={"List-Unsubscribe": "One-Click"})
    assert answer.status == 200

    services.comment_post(
        thread=thread, text="Anyone know the new timetable?", author=guest("Rui Later")
    )
    time.sleep(1)
    assert len(smtp_server.to(GUEST_EMAIL)) == 2

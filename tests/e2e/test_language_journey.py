"""A reader switches the demo to Russian, or to Arabic, and reads, comments and subscribes.

In Chromium against the live demo: from the English front page the language menu leads to the
Russian (or Arabic) front page; no piece of the interface there is left in English (every text
the page's chrome shows is compared with the English messages of the catalog); Arabic lays out
right to left; a comment posted through the form is acknowledged in that language; and the
subscription's confirmation mail, through a real SMTP server, is written in it.
"""

import time
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import expect

from masthead.publishing.models import ArticlePage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LOCALE = Path(__file__).resolve().parents[2] / "masthead" / "locale"

# What people wrote or named (articles, comments, names, the outlet's own settings) is content,
# not interface: only the rest must be translated.
CONTENT = (
    "[dir=auto], .comment-body, .article-body, .headline, .standfirst, .card-title, "
    ".card-standfirst, .wordmark, .tagline, .footer-about, .footer-name, .byline, .kicker, "
    ".lead-figure, figcaption, .site-nav, .footer-links ul, .language-menu ul, time, "
    ".comment-author, .comment-meta, bdi, .body-quote, .feedback-passage"
)

VISIBLE_TEXTS = """(content) => {
    const texts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        const element = node.parentElement;
        const text = node.textContent.trim();
        if (!text || !element || element.closest(content)) continue;
        if (element.closest("script, style, template, [hidden], .visually-hidden")) continue;
        const box = element.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        texts.push(text);
    }
    document.querySelectorAll("[aria-label], [placeholder]").forEach((element) => {
        if (element.closest(content)) return;
        for (const name of ["aria-label", "placeholder"]) {
            const value = element.getAttribute(name);
            if (value) texts.push(value.trim());
        }
    });
    return texts;
}"""


def _english_messages(language: str) -> set[str]:
    """English messages that `language` translates differently (a name like "RSS" stays)."""
    english = set()
    for domain in ("django", "djangojs"):
        catalog = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / f"{domain}.po"))
        for entry in catalog:
            if entry.msgid_plural:
                continue  # counts are checked through the words around them
            if entry.msgstr and entry.msgstr != entry.msgid and "%" not in entry.msgid:
                english.add(entry.msgid.strip())
    return english


def _script_message(language: str, message: str) -> str:
    """`message` as the reader JavaScript's catalog (djangojs) has it in `language`."""
    catalog = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "djangojs.po"))
    entry = catalog.find(message)
    assert entry is not None and entry.msgstr, f"{message!r} is not in the {language} catalog"
    return entry.msgstr


def _untranslated(tab, english: set[str]) -> list[str]:
    return sorted({text for text in tab.evaluate(VISIBLE_TEXTS, CONTENT) if text in english})


def _wait_for_mail(mailbox, address, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if mailbox.to(address):
            return mailbox.to(address)[0]
        time.sleep(0.1)
    raise AssertionError(f"no mail to {address}")


@pytest.mark.parametrize("language", ["ru", "ar"])
def test_reader_switches_the_demo_language_reads_comments_and_subscribes(
    live_server, page, smtp_server, settings, language
):
    settings.SITE_URL = live_server.url
    settings.MODERATION_MIN_FILL_SECONDS = 0
    call_command("demo")
    english = _english_messages(language)
    local_name = translation.get_language_info(language)["name_local"]

    # Switch from the English front page.
    page.goto(live_server.url + "/")
    # The check sees the interface: on the English page it finds the English messages.
    assert len(_untranslated(page, english)) >= 5
    page.locator(".language-menu summary").click()
    page.locator(".language-menu").get_by_role("link", name=local_name).click()
    page.wait_for_url(f"{live_server.url}/{language}/")
    assert page.locator("html").get_attribute("lang") == language
    assert _untranslated(page, english) == []

    # Right to left for Arabic: the section links run from the right edge leftwards.
    links = page.locator(".site-nav li a")
    first, second = links.nth(0).bounding_box(), links.nth(1).bounding_box()
    direction = page.locator("html").get_attribute("dir")
    if language == "ar":
        assert direction == "rtl" and first["x"] > second["x"]
    else:
        assert direction == "ltr" and first["x"] < second["x"]

    # An article of that language, its discussion in that language.
    article = ArticlePage.objects.live().filter(locale__language_code=language).first()
    page.goto(live_server.url + article.url)
    page.locator("[data-comment-list]").wait_for()
    page.wait_for_load_state("networkidle")
    assert _untranslated(page, english) == []

    # Post a comment, and ask for replies by mail in the same form.
    form = page.locator("form.comment-form").first
    form.locator("textarea").fill("Спасибо за статью." if language == "ru" else "شكرا على المقال.")
    form.locator("input[name=author_name]").fill("Reader")
    form.locator("input[name=author_email]").fill(f"reader-{language}@example.org")
    form.locator("button[type=submit]").click()
    acknowledgements = {
        _script_message(language, "Your comment was posted."),
        _script_message(
            language,
            "Thank you. Your comment is awaiting moderation and will appear once it is approved.",
        ),
    }
    # The JavaScript's messages come from the same catalogs (djangojs); the notice is one of them.
    notice = page.locator("[data-discussion-notice]")
    expect(notice).to_be_visible()
    assert notice.inner_text().strip() in acknowledgements

    notify = page.locator("[data-notify-form]")
    notify.locator("[data-notify-of]").select_option("thread")
    notify.locator("[data-notify-email]").fill(f"follower-{language}@example.org")
    notify.locator("button[type=submit]").click()
    mail = _wait_for_mail(smtp_server, f"follower-{language}@example.org")
    assert mail["Content-Language"] == language
    body = mail.get_body(("plain",)).get_content()
    with translation.override(language, deactivate=True):
        # The mail's own sentences, as this language's catalog has them.
        assert translation.gettext("Hello,") in body
        assert translation.gettext("To confirm, open this link:") in body
    assert "To confirm, open this link:" not in body

"""WCAG 2.2 AA in a real browser: axe-core finds nothing on the pages readers use.

axe-core (bundled with axe-playwright-python) runs in Chromium against the live demo: the front
page, a section, an article (with its comments open, the comment form focused, and an
inline-feedback box open), the Support page and search results; each in the light and the dark
colour scheme, in English (left to right) and in Arabic (right to left). Every rule of every
impact counts, WCAG 2.2 AA and best practice alike.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import sync_playwright
from wagtail.models import Locale

from conftest import CHROMIUM_FLAGS, CHROMIUM_PATH
from masthead.funding.pages import SupportPage
from masthead.publishing.models import ArticlePage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
}


def _arabic_article(article: ArticlePage) -> ArticlePage:
    """The demo's Arabic translation of `article`, or one made for this test."""
    locale, _ = Locale.objects.get_or_create(language_code="ar")
    existing = ArticlePage.objects.live().filter(
        locale=locale, translation_key=article.translation_key
    )
    if existing.exists():
        return existing.first()
    copy = article.copy_for_translation(locale, copy_parents=True)
    copy.title = "ليلة الميزانية: خيارات المجلس"
    copy.save_revision().publish()
    return ArticlePage.objects.get(pk=copy.pk)


def _describe(results) -> list[str]:
    found = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            found.append(
                f"{violation['id']} ({violation['impact']}): {node['target']} — "
                f"{node.get('failureSummary', '').splitlines()[-1:]}"
            )
    return found


def _wait_for_comments(tab):
    tab.locator("[data-comment-list]").wait_for()
    tab.wait_for_load_state("networkidle")


def test_reader_pages_have_no_axe_violations_light_dark_ltr_rtl(live_server):
    call_command("demo")
    article = (
        ArticlePage.objects.live()
        .filter(locale__language_code="en", discussion_thread__comment_count__gt=0)
        .order_by("-discussion_thread__comment_count")
        .first()
    )
    arabic = _arabic_article(article)
    support = SupportPage.objects.live().first()
    word = max(article.title.split(), key=len).strip(",.:;'\"")
    pages = {
        "front": "/",
        "section": article.get_parent().url,
        "article": article.url,
        "support": support.url if support else None,
        "search": f"/search/?q={word}",
        "arabic front": "/ar/" if Locale.objects.filter(language_code="ar").exists() else None,
        "arabic article": arabic.url,
    }
    axe = Axe()
    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_FLAGS)
        for scheme in ("light", "dark"):
            context = browser.new_context(
                viewport={"width": 1280, "height": 900}, color_scheme=scheme
            )
            tab = context.new_page()
            tab.set_default_timeout(15_000)
            for name, address in pages.items():
                if address is None:
                    continue
                tab.goto(live_server.url + address)
                tab.wait_for_load_state("networkidle")
                states = [("as loaded", None)]
                if "article" in name:
                    _wait_for_comments(tab)
                    states = [
                        ("comments open", None),
                        ("form focused", lambda t: t.locator("textarea").first.focus()),
                    ]
                    if tab.locator("[data-feedback-marker]").count():
                        states.append(
                            (
                                "inline feedback open",
                                lambda t: t.locator("[data-feedback-marker]").first.click(),
                            )
                        )
                for state, action in states:
                    if action is not None:
                        action(tab)
                        tab.wait_for_timeout(300)
                    found = _describe(axe.run(tab, options=AXE_OPTIONS))
                    problems += [f"{scheme} · {name} · {state}: {line}" for line in found]
            context.close()
        browser.close()
    assert not problems, "\n".join(problems)

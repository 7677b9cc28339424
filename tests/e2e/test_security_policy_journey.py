"""The site and its admin under the enforced Content-Security-Policy, in a real browser."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from masthead.discussion import services
from masthead.discussion.models import Comment
from masthead.publishing.tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# What the browser reports when the policy blocks something (an init script is not itself
# subject to the page's policy).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def enforced(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": settings.MASTHEAD_CSP_DIRECTIVES}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = None
    settings.DISCUSSION_SCREEN = "masthead.discussion.screening.PublishEverything"
    return settings


def _watch(page):
    page.add_init_script(RECORD_VIOLATIONS)
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: console.append(str(error)))
    return console


def _violations(page, console):
    reported = page.evaluate("window.__cspViolations")
    return reported + [line for line in console if "Content Security Policy" in line]


def test_a_reader_comments_on_an_article_under_the_enforced_policy(live_server, page, enforced):
    section = factories.section_create("City")
    article = factories.article_create(section, "Council backs ferry fare rise")
    services.thread_for_page(article)
    console = _watch(page)

    response = page.goto(live_server.url + article.url)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    form = page.locator("[data-comment-form]")
    form.locator("textarea").fill("The early ferries are the only way to the hospital.")
    form.locator("input[name=author_name]").fill("Nora Guest")
    form.locator("input[name=author_email]").fill("nora@example.org")
    form.get_by_role("button", name="Post comment").click()

    # Posted without leaving the page: discussion.js ran and its request went through.
    expect(page.locator("[data-comment-list] > .comment").first).to_contain_text(
        "The early ferries are the only way to the hospital."
    )
    assert page.url == live_server.url + article.url
    assert Comment.objects.filter(text__startswith="The early ferries").exists()
    assert _violations(page, console) == []


def test_an_editor_works_in_the_admin_under_its_policy(live_server, page, enforced):
    get_user_model().objects.create_superuser("editor", "editor@example.org", "pass-word-1")
    section = factories.section_create("City")
    article = factories.article_create(section, "Council backs ferry fare rise")
    console = _watch(page)

    page.goto(live_server.url + "/admin/login/")
    page.locator("input[name=username]").fill("editor")
    page.locator("input[name=password]").fill("pass-word-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1").first).to_be_visible()
    page.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    expect(page.locator("input[name=title]")).to_have_value("Council backs ferry fare rise")

    assert _violations(page, console) == []

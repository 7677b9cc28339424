"""An editor moves a WordPress site in from the admin, in a real browser: uploads its export,
reads the dry run's report, runs the import while the progress bar fills, and finds the
article with its conversation and votes as they were; the old addresses lead to it.

The tasks go through the database queue, as on a server: the test plays the worker's part
(`db_worker --batch`) while the page polls, so the bar and the page's reloads are the ones an
editor sees.
"""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from playwright.sync_api import expect

from masthead.publishing.models import ArticlePage
from masthead.transfer.models import ImportRun

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EXPORT = Path(__file__).parent / "fixtures" / "courier-wordpress.xml"
PASSWORD = "pw-for-the-editor"
TITLE = "Lighthouse keeper retires after forty years"


def worker_runs_queued_tasks():
    call_command("db_worker", batch=True, interval=0, verbosity=0)


def test_an_editor_imports_a_wordpress_site_and_finds_its_article_and_comments(
    live_server, page, settings
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    editor = get_user_model().objects.create_user(
        "edna", "edna@example.org", PASSWORD, first_name="Edna", last_name="Editor"
    )
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "add_importrun"])
    )
    page.goto(live_server.url + "/admin/login/")
    page.locator("input[name=username]").fill("edna")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # Settings → Import.
    page.get_by_role("button", name="Settings").click()
    page.get_by_role("link", name="Import").click()
    expect(page.locator("h1")).to_contain_text("Import")

    page.get_by_label("The file comes from").select_option(label="WordPress (WXR)")
    page.get_by_label("Export file").set_input_files(EXPORT)
    page.get_by_role("button", name="Upload and check").click()

    # The file waits for the worker; the page says so and polls.
    progress = page.locator("[data-import-progress]")
    expect(progress).to_contain_text("Waiting for the background worker")
    assert not ArticlePage.objects.exists()
    worker_runs_queued_tasks()

    # The page notices on its own and shows the dry run's report; nothing was imported yet.
    expect(page.locator("[data-dry-run-heading]")).to_contain_text("Dry run: nothing was changed.")
    created = page.locator("[data-report-created]")
    expect(created.get_by_role("row", name="Articles 1")).to_be_visible()
    expect(created.get_by_role("row", name="Comments 3")).to_be_visible()
    expect(created.get_by_role("row", name="Redirects from old addresses 2")).to_be_visible()
    assert not ArticlePage.objects.exists()

    # Run it: the bar appears, then fills once the worker has done the work.
    page.get_by_role("button", name="Run the import").click()
    bar = page.locator("[data-progress-bar]")
    expect(bar).to_be_visible()
    expect(page.locator("[data-import-run-page]")).to_have_attribute("data-stage", "running")
    worker_runs_queued_tasks()
    expect(page.locator("[data-import-done]")).to_contain_text("Imported on")
    expect(bar).to_have_attribute("value", "100")
    expect(page.locator("[data-progress-percent]")).to_have_text("100%")
    expect(page.get_by_role("row", name="Comments 3")).to_be_visible()
    assert ImportRun.objects.get().status == ImportRun.Status.DONE

    # The article, with its conversation as it was: three levels, wpDiscuz's votes kept.
    article = ArticlePage.objects.live().get(title=TITLE)
    reader = page.context.browser.new_context().new_page()
    reader.goto(live_server.url + article.url)
    expect(reader.locator("h1")).to_contain_text(TITLE)
    expect(reader.locator("#article-body")).to_contain_text("Aldo Brine hands the keys")
    question = reader.locator("[data-comment-id][data-depth='0']")
    expect(question).to_have_count(1)
    expect(question.locator(".comment-author").first).to_have_text("Ines Harbour")
    answer = question.locator(".comment-replies > [data-depth='1']")
    expect(answer.locator(".comment-author").first).to_have_text("Pavel Quay")
    expect(answer.locator(".comment-body").first).to_contain_text("a volunteer rota")
    thanks = answer.locator(".comment-replies > [data-depth='2']")
    expect(thanks.locator(".comment-body")).to_contain_text("count me in for Thursdays")
    # 3 likes and 1 dislike each: a score of 2.
    for comment in (question, answer, thanks):
        expect(comment.locator("[data-score]").first).to_have_text("2")
    expect(question.locator("time").first).to_have_attribute("datetime", "2023-05-09T09:15:00Z")

    # The old WordPress addresses lead there, permanently.
    for old in ("/2023/05/lighthouse-keeper-retires/", "/?p=412"):
        answered = reader.request.get(live_server.url + old, max_redirects=0)
        assert answered.status == 301, old
        assert answered.headers["location"].endswith(article.url), old
        reader.goto(live_server.url + old)
        assert reader.url == live_server.url + article.url
        expect(reader.locator("h1")).to_contain_text(TITLE)
    reader.close()

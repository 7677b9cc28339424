"""`masthead demo`: a complete fictional outlet, loaded once however often it runs."""

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from masthead.publishing.demo.loader import demo_load
from masthead.publishing.models import ArticlePage, Author, OutletSettings, SectionPage

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "images": get_image_model().objects.count(),
        "authors": Author.objects.count(),
        "revisions": sum(page.revisions.count() for page in Page.objects.all()),
    }


def test_demo_builds_a_complete_outlet(client):
    call_command("demo")  # every app's part: the Support page comes from funding

    articles = ArticlePage.objects.live()
    assert articles.count() >= 8
    assert SectionPage.objects.live().count() >= 2
    for article in articles:
        block_types = [block.block_type for block in article.body]
        assert {"paragraph", "heading", "quote", "list"} <= set(block_types), article.title
        assert article.byline_authors, article.title
        assert article.tags.exists(), article.title
        assert article.lead_image_caption and article.lead_image_credit, article.title
        assert min(article.lead_image.width, article.lead_image.height) >= 1000
        assert max(article.lead_image.width, article.lead_image.height) >= 2000
    outlet = OutletSettings.for_site(Site.objects.get(is_default_site=True))
    assert outlet.name != "Masthead" and outlet.support_target == "/support/"
    assert client.get("/").status_code == 200


def test_running_the_demo_twice_duplicates_nothing(capsys):
    call_command("demo")
    before = snapshot()

    call_command("demo")

    assert snapshot() == before
    assert "already loaded" in capsys.readouterr().out


def test_demo_keeps_an_editors_changes(client):
    demo_load()
    article = ArticlePage.objects.live().first()
    article.title = "Edited by the desk"
    article.save_revision().publish()

    demo_load()

    article.refresh_from_db()
    assert article.title == "Edited by the desk"

"""What search engines read of an article: JSON-LD NewsArticle with its comment count."""

import json
from datetime import UTC

import pytest
from bs4 import BeautifulSoup

from masthead.discussion.services import thread_for_page
from masthead.discussion.tests.factories import comments_bulk
from masthead.publishing.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    factories.outlet_configure()
    reporter = factories.author_create("Cy Lens")
    return factories.article_create(
        factories.section_create("City"),
        "Council votes to keep the night ferry",
        authors=[reporter],
        lead_image=factories.image_create(size=(2400, 1600)),
    )


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def test_structured_data_describes_the_news_article_for_search_engines(client, article, settings):
    settings.SITE_URL = "https://news.example"
    comments_bulk(thread_for_page(article), 3)
    page = soup_of(client.get(article.url))

    (script,) = page.find_all("script", type="application/ld+json")
    news, breadcrumbs = json.loads(script.string)
    assert news["@type"] == "NewsArticle"
    assert news["headline"] == article.title
    assert news["mainEntityOfPage"]["@id"] == f"https://news.example{article.url}"
    assert news["datePublished"].startswith(article.date.astimezone(UTC).strftime("%Y-%m-%dT"))
    assert news["dateModified"] >= news["datePublished"]
    # The lead picture in 1:1, 4:3 and 16:9, each 1,200 pixels wide.
    assert len(news["image"]) == 3
    assert all(url.startswith("https://news.example/media/images/") for url in news["image"])
    assert [a["@type"] for a in news["author"]] == ["Person"] * len(article.byline_authors)
    assert news["author"][0]["url"].startswith("https://news.example/")
    assert news["publisher"]["@type"] == "NewsMediaOrganization"
    assert news["publisher"]["logo"]["url"].startswith("https://news.example/")
    assert news["isAccessibleForFree"] is True
    assert news["commentCount"] == 3
    assert news["interactionStatistic"]["userInteractionCount"] == 3
    assert [item["position"] for item in breadcrumbs["itemListElement"]] == [1, 2, 3]
    assert breadcrumbs["itemListElement"][-1]["item"] == news["url"]

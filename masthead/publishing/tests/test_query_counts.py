"""Pages cost a fixed number of queries, however many articles the site holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.publishing.models import HomeFeaturedArticle
from masthead.publishing.tests import factories

pytestmark = pytest.mark.django_db

# Generous ceiling; the real guarantee is that the count does not move with the data.
MAX_QUERIES = 25


def queries_for(client, address) -> int:
    client.get(address)  # warm-up: renditions and the site-root cache are made on first view
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured.captured_queries)


def add_articles(section, count, reporter):
    for number in range(count):
        factories.article_create(
            section,
            f"{section.title} story {number}",
            authors=[reporter],
            tags=["budget", f"tag{number}"],
            lead_image=factories.image_create(size=(500, 320)),
        )


@pytest.fixture
def newsroom(settings):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 0  # measure rendering, not the page cache
    settings.PUBLISHING_ARTICLES_PER_PAGE = 12
    factories.outlet_configure()
    sections = [factories.section_create("City"), factories.section_create("Culture")]
    return sections, factories.author_create("Ada Byline")


def test_section_page_cost_does_not_grow_with_articles(client, newsroom):
    (city, _), reporter = newsroom
    add_articles(city, 2, reporter)
    few = queries_for(client, city.url)

    add_articles(city, 14, reporter)
    many = queries_for(client, city.url)

    assert few == many <= MAX_QUERIES


def test_front_page_cost_does_not_grow_with_articles(client, newsroom):
    (city, culture), reporter = newsroom
    home = factories.front_page()
    add_articles(city, 2, reporter)
    add_articles(culture, 1, reporter)
    HomeFeaturedArticle.objects.create(
        home=home, article=city.get_children().specific().first(), sort_order=0
    )
    few = queries_for(client, "/")

    add_articles(city, 10, reporter)
    add_articles(culture, 10, reporter)
    for order, article in enumerate(culture.get_children().specific()[:3], start=1):
        HomeFeaturedArticle.objects.create(home=home, article=article, sort_order=order)
    many = queries_for(client, "/")

    assert few == many <= MAX_QUERIES


def test_article_page_cost_does_not_grow_with_articles(client, newsroom):
    (city, _), reporter = newsroom
    add_articles(city, 1, reporter)
    article = factories.article_create(
        city,
        "The one we read",
        authors=[reporter],
        tags=["a", "b", "c"],
        lead_image=factories.image_create(size=(900, 600)),
    )
    few = queries_for(client, article.url)

    add_articles(city, 12, reporter)
    many = queries_for(client, article.url)

    assert few == many <= MAX_QUERIES


def test_tag_and_search_pages_cost_does_not_grow_with_articles(client, newsroom):
    (city, _), reporter = newsroom
    add_articles(city, 2, reporter)
    few = [queries_for(client, "/tags/budget/"), queries_for(client, "/search/?q=story")]

    add_articles(city, 14, reporter)
    many = [queries_for(client, "/tags/budget/"), queries_for(client, "/search/?q=story")]

    assert few == many
    assert max(many) <= MAX_QUERIES

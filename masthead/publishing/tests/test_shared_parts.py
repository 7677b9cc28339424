"""An article page rendered per reader reuses what all readers share, and is never behind.

The route to a page, its head, header, body, related articles and footer come from the
shared cache (`publishing.routing`, `{% fragment %}`) until something is published,
unpublished, moved or made private: each of those shows on the very next view.
"""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from masthead.publishing.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client, django_user_model, settings):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 0  # every view is rendered
    factories.outlet_configure()
    user = django_user_model.objects.create_user("ada", password="pw-for-tests")
    client.force_login(user)
    return client


@pytest.fixture
def city():
    return factories.section_create("City")


def text_of(response, selector: str) -> list[str]:
    page = BeautifulSoup(response.content, "html.parser")
    return [element.get_text(" ", strip=True) for element in page.select(selector)]


def test_a_republished_article_shows_its_new_words_at_once(reader, city):
    article = factories.article_create(city, "Council meets")
    assert text_of(reader.get(article.url), "h1.headline") == ["Council meets"]

    article.title = "Council meets late into the night"
    article.body = [{"type": "paragraph", "value": "<p>A later, longer account.</p>"}]
    article.save_revision().publish()
    response = reader.get(article.url)

    assert text_of(response, "h1.headline") == ["Council meets late into the night"]
    assert "A later, longer account." in text_of(response, ".article-body")[0]
    assert "Council meets late into the night" in text_of(response, "title")[0]


def test_a_new_article_joins_more_from_the_section_at_once(reader, city):
    article = factories.article_create(city, "The first story")
    assert not any("A newer story" in text for text in text_of(reader.get(article.url), "main"))

    factories.article_create(city, "A newer story")
    response = reader.get(article.url)

    assert any("A newer story" in text for text in text_of(response, ".more-articles"))


def test_an_unpublished_article_is_gone_at_once(reader, city):
    article = factories.article_create(city, "Soon withdrawn")
    assert reader.get(article.url).status_code == 200

    article.unpublish()

    assert reader.get(article.url).status_code == 404


def test_a_moved_article_answers_at_its_new_address(reader, city):
    article = factories.article_create(city, "On the move")
    old_address = article.url
    assert reader.get(old_address).status_code == 200
    culture = factories.section_create("Culture")

    article.move(culture, pos="last-child")
    article.refresh_from_db()

    assert article.url != old_address
    moved = reader.get(article.url)
    assert moved.status_code == 200
    assert text_of(moved, "h1.headline") == ["On the move"]
    assert text_of(moved, ".kicker") == ["Culture"]
    assert not (
        reader.get(old_address).status_code == 200
        and text_of(reader.get(old_address), "h1.headline") == ["On the move"]
    )


def test_an_article_made_private_asks_for_its_password_at_once(reader, city):
    article = factories.article_create(city, "Members only soon")
    assert reader.get(article.url).status_code == 200

    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    response = reader.get(article.url)

    assert b"Members only soon</h1>" not in response.content
    assert b"password" in response.content.lower()


def test_an_editor_preview_shows_the_draft_not_the_shared_copy(reader, city):
    article = factories.article_create(city, "The published headline")
    reader.get(article.url)  # the live version is now shared
    article.title = "The draft headline"

    response = article.make_preview_request()

    assert b"The draft headline" in response.content
    assert b"The published headline</h1>" not in response.content


def test_an_article_costs_no_query_anonymous_and_one_signed_in(client, city, settings):
    """After warm-up, anonymous: none (the route and the page row are kept under "site");
    signed in: the user. The session and whether the reader may see the editor bar come
    from the cache."""
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 0
    factories.outlet_configure()
    article = factories.article_create(
        city, "Counted", tags=["a", "b"], lead_image=factories.image_create(size=(900, 600))
    )
    factories.article_create(city, "Related")

    def queries() -> int:
        client.get(article.url)  # warm-up: renditions and the shared parts are made
        with CaptureQueriesContext(connection) as captured:
            response = client.get(article.url)
        assert response.status_code == 200
        assert text_of(response, "h1.headline") == ["Counted"]
        return len(captured.captured_queries)

    assert queries() == 0
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("bo", password="pw"))
    assert queries() == 1

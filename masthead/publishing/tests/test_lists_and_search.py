"""Front page, section lists, tag and author lists, and search."""

import pytest
from bs4 import BeautifulSoup

from masthead.publishing.models import HomeFeaturedArticle
from masthead.publishing.tests import factories

pytestmark = pytest.mark.django_db


def titles_on(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    page = BeautifulSoup(response.content, "html.parser")
    return [title.get_text(strip=True) for title in page.select(".card-title")]


@pytest.fixture
def city():
    factories.outlet_configure()
    return factories.section_create("City", intro="News from city hall.")


def test_front_page_shows_featured_then_latest_and_section_teasers(client, city):
    culture = factories.section_create("Culture")
    older = factories.article_create(city, "Older city story")
    newer = factories.article_create(culture, "Newer culture story")
    featured = factories.article_create(city, "Pinned investigation")
    HomeFeaturedArticle.objects.create(home=factories.front_page(), article=featured, sort_order=0)

    page = BeautifulSoup(client.get("/").content, "html.parser")

    assert page.select_one(".card-hero .card-title").get_text(strip=True) == featured.title
    latest = [t.get_text(strip=True) for t in page.select(".home-latest .card-title")]
    assert latest == [newer.title, older.title]
    teaser_sections = [h.get_text(strip=True) for h in page.select(".home-section .rule-heading")]
    assert teaser_sections == ["City", "Culture"]
    assert [a.get_text() for a in page.select(".site-nav ul a")][1:] == ["City", "Culture"]
    # One heading names the page for screen readers and search engines.
    (heading,) = page.find_all("h1")
    assert heading.get_text(strip=True) == "The Test Gazette: the latest news"


def test_section_lists_its_articles_newest_first_and_paginates(client, city, settings):
    settings.PUBLISHING_ARTICLES_PER_PAGE = 2
    other = factories.section_create("Culture")
    factories.article_create(other, "Belongs elsewhere")
    oldest, middle, newest = (factories.article_create(city, f"City story {n}") for n in (1, 2, 3))

    assert titles_on(client.get(city.url)) == [newest.title, middle.title]
    assert titles_on(client.get(city.url, {"page": "2"})) == [oldest.title]
    page_two = BeautifulSoup(client.get(city.url, {"page": 2}).content, "html.parser")
    assert page_two.find("link", rel="canonical")["href"].endswith(f"{city.url}?page=2")
    assert page_two.select_one("a[rel=prev]")["href"] == "?page=1"


@pytest.mark.parametrize(
    "page_number",
    ["abc", "-1", "0", "3", "1e3", "99999999999999999999", "9" * 5000, "1.5", " ", "²"],
)
def test_malformed_or_out_of_range_page_numbers_give_a_styled_404(client, city, page_number):
    factories.article_create(city)

    response = client.get(city.url, {"page": page_number})

    if page_number.strip() == "":
        assert response.status_code == 200
    else:
        assert response.status_code == 404
        assert "find that page" in response.content.decode()


def test_unknown_pages_give_the_styled_404_with_navigation(client, city):
    for address in ["/no-such-section/", f"{city.url}no-such-article/", "/tags/nothing/"]:
        response = client.get(address)
        assert response.status_code == 404, address
        page = BeautifulSoup(response.content, "html.parser")
        assert page.find("h1").get_text() == "We couldn’t find that page"
        assert page.select_one(".site-nav") is not None


def test_tag_and_author_lists_show_only_matching_articles(client, city):
    reporter = factories.author_create("Cass Reporter")
    tagged = factories.article_create(
        city, "About the harbour", tags=["harbour"], authors=[reporter]
    )
    factories.article_create(city, "About the budget", tags=["budget"])

    assert titles_on(client.get("/tags/harbour/")) == [tagged.title]
    assert titles_on(client.get(f"/authors/{reporter.slug}/")) == [tagged.title]
    assert client.get("/authors/nobody/").status_code == 404


def test_search_finds_articles_by_words_of_headline_and_body(client, city):
    factories.article_create(
        city,
        "Dredging plan approved",
        body=[{"type": "paragraph", "value": "<p>The seagrass beds will be spared.</p>"}],
    )
    factories.article_create(city, "Library reopens")

    assert titles_on(client.get("/search/", {"q": "dredging"})) == ["Dredging plan approved"]
    assert titles_on(client.get("/search/", {"q": "seagrass"})) == ["Dredging plan approved"]
    assert titles_on(client.get("/search/", {"q": "nothing like this"})) == []


def test_search_excludes_drafts(client, city):
    factories.article_create(city, "Secret draft about dredging", live=False)

    assert titles_on(client.get("/search/", {"q": "dredging"})) == []


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "'",
        '"',
        "a & b | !c",
        "(((",
        "dredging:*",
        "%",
        "\\",
        "x" * 5000,
        "né ü 中文",
        "\x00",
    ],
)
def test_search_survives_odd_queries(client, city, query):
    factories.article_create(city, "Dredging plan approved")

    response = client.get("/search/", {"q": query})

    assert response.status_code == 200


@pytest.mark.parametrize("page_number", ["abc", "-1", "5", "9" * 100])
def test_search_with_bad_page_number_is_404(client, city, page_number):
    factories.article_create(city, "Dredging plan approved")

    assert client.get("/search/", {"q": "dredging", "page": page_number}).status_code == 404


def test_robots_txt_points_to_the_sitemap_and_hides_the_admin(client, settings):
    settings.SITE_URL = "https://news.example"

    response = client.get("/robots.txt")

    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Sitemap: https://news.example/sitemap.xml" in lines


def test_publishing_an_article_refreshes_cached_lists(client, city):
    factories.article_create(city, "Morning story")
    assert "Morning story" in titles_on(client.get(city.url))
    assert client.get(city.url)["X-Page-Cache"] == "hit"

    factories.article_create(city, "Evening story")

    assert titles_on(client.get(city.url))[0] == "Evening story"
    assert "Evening story" in titles_on(client.get("/"))

"""RSS, Atom and the sitemap, checked by parsing them as feed readers and crawlers do."""

import feedparser
import pytest
from defusedxml import ElementTree as ET

from masthead.publishing.tests import factories

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def newsroom(settings):
    settings.SITE_URL = "https://news.example"
    factories.outlet_configure(name="The Test Gazette")
    city = factories.section_create("City", intro="News from city hall.")
    culture = factories.section_create("Culture")
    reporter = factories.author_create("Ada Byline")
    articles = {
        "city": factories.article_create(
            city,
            "Ferry fares frozen",
            authors=[reporter],
            tags=["ferries"],
            lead_image=factories.image_create(size=(800, 500)),
        ),
        "culture": factories.article_create(culture, "Jazz festival returns", tags=["music"]),
        "draft": factories.article_create(city, "Unfinished draft", live=False),
    }
    return city, culture, articles


def parse_feed(client, address):
    response = client.get(address)
    assert response.status_code == 200
    ET.fromstring(response.content)  # well-formed XML, or this raises
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return response, feed


@pytest.mark.parametrize(("address", "version"), [("/feed/", "rss20"), ("/feed/atom/", "atom10")])
def test_site_feed_lists_every_published_article_and_no_draft(client, newsroom, address, version):
    _, _, articles = newsroom

    _, feed = parse_feed(client, address)

    assert feed.version == version
    assert feed.feed.title == "The Test Gazette"
    assert [entry.title for entry in feed.entries] == [
        "Jazz festival returns",
        "Ferry fares frozen",
    ]
    ferry = feed.entries[1]
    assert ferry.link == f"https://news.example{articles['city'].url}"
    assert ferry.author == "Ada Byline"
    assert [tag.term for tag in ferry.tags] == ["ferries"]
    assert ferry.summary == "What happened, in brief."
    assert ferry.published_parsed is not None


def test_rss_items_carry_the_lead_image_as_an_enclosure(client, newsroom):
    _, _, articles = newsroom

    _, feed = parse_feed(client, "/feed/")

    ferry = next(entry for entry in feed.entries if entry.title == "Ferry fares frozen")
    enclosure = ferry.enclosures[0]
    assert enclosure.href == f"https://news.example{articles['city'].lead_image.file.url}"
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) == articles["city"].lead_image.file.size


@pytest.mark.parametrize("suffix", ["feed/", "feed/atom/"])
def test_section_feed_lists_only_that_section(client, newsroom, suffix):
    city, _, _ = newsroom

    _, feed = parse_feed(client, f"{city.url}{suffix}")

    assert feed.feed.title == "The Test Gazette: City"
    assert [entry.title for entry in feed.entries] == ["Ferry fares frozen"]


def test_feed_length_is_capped_by_setting(client, newsroom, settings):
    city, _, _ = newsroom
    settings.PUBLISHING_FEED_LENGTH = 2
    factories.article_create(city, "Newest of all")

    _, feed = parse_feed(client, "/feed/")

    assert [entry.title for entry in feed.entries] == ["Newest of all", "Jazz festival returns"]


def test_sitemap_lists_every_published_article_with_public_addresses(client, newsroom):
    city, culture, articles = newsroom

    response = client.get("/sitemap.xml", HTTP_HOST="127.0.0.1")

    assert response.status_code == 200
    root = ET.fromstring(response.content)
    locations = {loc.text for loc in root.findall("sm:url/sm:loc", SITEMAP_NS)}
    for page in (articles["city"], articles["culture"], city, culture):
        assert f"https://news.example{page.url}" in locations
    assert f"https://news.example{articles['draft'].url}" not in locations
    assert all(location.startswith("https://news.example/") for location in locations)
    lastmods = {
        url.find("sm:loc", SITEMAP_NS).text: url.find("sm:lastmod", SITEMAP_NS)
        for url in root.findall("sm:url", SITEMAP_NS)
    }
    assert lastmods[f"https://news.example{articles['city'].url}"] is not None


def test_the_news_sitemap_lists_the_last_two_days_for_google_news(client, newsroom):
    from datetime import timedelta

    from django.utils import timezone

    city, culture, _articles = newsroom
    now = timezone.now()
    fresh = factories.article_create(
        city, "Ferry fares frozen again", date=now - timedelta(hours=3)
    )
    yesterday = factories.article_create(culture, "Jazz at dawn", date=now - timedelta(hours=30))
    old = factories.article_create(city, "Last week's council", date=now - timedelta(days=7))
    news = "http://www.google.com/schemas/sitemap-news/0.9"

    response = client.get("/news-sitemap.xml")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    entries = {url.find("sm:loc", SITEMAP_NS).text: url.find(f"{{{news}}}news") for url in root}
    # The last 48 hours only (the fixture's articles are years old, the draft is not public).
    assert list(entries) == [
        f"https://news.example{fresh.url}",
        f"https://news.example{yesterday.url}",
    ]
    assert f"https://news.example{old.url}" not in entries
    item = entries[f"https://news.example{fresh.url}"]
    assert item.find(f"{{{news}}}title").text == "Ferry fares frozen again"
    publication = item.find(f"{{{news}}}publication")
    assert publication.find(f"{{{news}}}name").text == "The Test Gazette"
    assert publication.find(f"{{{news}}}language").text == "en"
    assert item.find(f"{{{news}}}publication_date").text.endswith("+00:00")
    assert (
        "Sitemap: https://news.example/news-sitemap.xml"
        in client.get("/robots.txt").content.decode()
    )


def test_pages_advertise_their_feeds(client, newsroom):
    city, _, _ = newsroom

    html = client.get(city.url).content.decode()

    assert 'type="application/rss+xml"' in html
    assert f'href="{city.url}feed/atom/"' in html

"""What a reader gets on an article page."""

import re
from datetime import UTC

import pytest
from bs4 import BeautifulSoup

from masthead.publishing.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    factories.outlet_configure(name="The Test Gazette", support_url="https://give.example/now")
    section = factories.section_create("City")
    reporters = [factories.author_create("Ada Byline"), factories.author_create("Bo Credit")]
    return factories.article_create(
        section,
        "Council votes to keep the night ferry",
        standfirst="A late reprieve for the 11pm crossing.",
        authors=reporters,
        tags=["ferries", "council"],
        lead_image=factories.image_create(size=(2400, 1600)),
        caption="The night ferry at the east pier.",
        credit="Photo: Cy Lens",
        body=[
            {"type": "paragraph", "value": "<p>First paragraph of the story.</p>"},
            {"type": "heading", "value": "What happens next"},
            {
                "type": "quote",
                "value": {"text": "We kept our promise.", "attribution": "The mayor"},
            },
            {"type": "list", "value": {"ordered": False, "items": ["one stop", "two stops"]}},
            {"type": "preformatted", "value": "Quay   23:00\n  Isle 23:40 <b>"},
        ],
    )


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def test_article_shows_headline_standfirst_byline_and_date(client, article):
    page = soup_of(client.get(article.url))

    assert page.find("h1").get_text(strip=True) == "Council votes to keep the night ferry"
    assert "A late reprieve for the 11pm crossing." in page.select_one(".standfirst").get_text()
    assert page.select_one(".byline").get_text(" ", strip=True) == "By Ada Byline and Bo Credit"
    published = page.select_one("time[datetime]")
    # HTML's datetime: UTC to the second (it allows no microseconds).
    assert published["datetime"] == article.date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert str(article.date.year) in published.get_text()


def test_lead_image_links_to_the_original_file_with_a_responsive_rendition(client, article):
    page = soup_of(client.get(article.url))

    link = page.find("a", string=re.compile("Click to see full-size image")) or page.find(
        lambda tag: tag.name == "a" and "Click to see full-size image" in tag.get_text()
    )
    assert link is not None
    assert link["href"] == article.lead_image.file.url
    image = link.find("img")
    widths = [int(candidate.split()[1][:-1]) for candidate in image["srcset"].split(", ")]
    assert widths == sorted(widths) and max(widths) < 2400
    assert image["alt"] == "The night ferry at the east pier."
    caption = page.select_one(".lead-figure figcaption").get_text(" ", strip=True)
    assert "The night ferry at the east pier." in caption and "Photo: Cy Lens" in caption


def test_original_image_is_downloadable_at_full_size(client, article):
    page = soup_of(client.get(article.url))
    href = page.select_one("a.full-size-link")["href"]

    response = client.get(href)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    from io import BytesIO

    from PIL import Image

    assert Image.open(BytesIO(b"".join(response.streaming_content))).size == (2400, 1600)


def test_body_renders_paragraphs_headings_quotes_and_lists(client, article):
    body = soup_of(client.get(article.url)).select_one(".article-body")

    assert body.find("p").get_text() == "First paragraph of the story."
    assert body.find("h2").get_text() == "What happens next"
    assert "We kept our promise." in body.find("blockquote").get_text()
    assert [li.get_text() for li in body.select("ul li")] == ["one stop", "two stops"]
    # Preformatted text keeps its spaces and breaks, and shows markup as typed.
    assert body.find("pre").get_text() == "Quay   23:00\n  Isle 23:40 <b>"


def test_support_button_appears_above_and_below_the_body(client, article):
    page = soup_of(client.get(article.url))

    buttons = page.select("a[data-support-button]")
    assert [button["data-support-button"] for button in buttons] == ["top", "bottom"]
    assert {button.get_text(strip=True) for button in buttons} == {"Support The Test Gazette"}
    assert {button["href"] for button in buttons} == {"https://give.example/now"}
    body = page.select_one(".article-body")
    assert buttons[0].find_parent().sourceline <= body.sourceline <= buttons[1].sourceline


def test_discussion_slot_is_present_and_named(client, article):
    page = soup_of(client.get(article.url))

    slot = page.select_one("#discussion[data-discussion-slot]")
    assert slot is not None
    assert slot["data-thread-key"] == str(article.pk)


def test_meta_tags_give_canonical_opengraph_and_twitter_card(client, article, settings):
    settings.SITE_URL = "https://news.example"
    page = soup_of(client.get(article.url, HTTP_HOST="127.0.0.1"))

    canonical = page.find("link", rel="canonical")["href"]
    assert canonical == f"https://news.example{article.url}"
    og = {tag["property"]: tag["content"] for tag in page.find_all("meta", property=True)}
    assert og["og:type"] == "article"
    assert og["og:title"] == article.title
    assert og["og:url"] == canonical
    assert og["og:image"].startswith("https://news.example/media/images/")
    assert og["article:tag"] in {"ferries", "council"}
    assert page.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"


def test_structured_data_cannot_be_broken_out_of_by_a_title(client):
    import json

    section = factories.section_create("City")
    article = factories.article_create(section, "Budget </script><script>alert(1)</script>")

    html = client.get(article.url).content.decode()

    (raw,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert "\\u003c/script\\u003e" in raw
    assert json.loads(raw)[0]["headline"] == article.title


def test_tags_and_author_link_to_their_article_lists(client, article):
    page = soup_of(client.get(article.url))

    tag_link = page.select_one(".tag-list a")
    tag_page = client.get(tag_link["href"])
    assert tag_page.status_code == 200
    assert article.title in tag_page.content.decode()
    author_link = page.select_one(".byline a")
    author_page = client.get(author_link["href"])
    assert author_page.status_code == 200
    assert article.title in author_page.content.decode()


def test_draft_article_is_not_shown_to_readers(client):
    section = factories.section_create("City")
    draft = factories.article_create(section, "Not ready yet", live=False)

    assert client.get(f"{section.url}{draft.slug}/").status_code == 404


def test_an_embed_that_cannot_be_fetched_is_left_out_quietly(client):
    section = factories.section_create("City")
    article = factories.article_create(
        section,
        "Story with a video",
        body=[
            {"type": "paragraph", "value": "<p>Before the video.</p>"},
            {"type": "embed", "value": {"embed": "https://video.example/v/123", "caption": "x"}},
            {"type": "paragraph", "value": "<p>After the video.</p>"},
        ],
    )

    response = client.get(article.url)

    body = soup_of(response).select_one(".article-body")
    assert [p.get_text() for p in body.find_all("p")] == ["Before the video.", "After the video."]
    assert body.find("figure", class_="body-embed") is None


def test_a_server_error_shows_the_styled_500_page(client, monkeypatch):
    from masthead.publishing import selectors

    def fail(**kwargs):
        raise RuntimeError("database fell over")

    monkeypatch.setattr(selectors, "front_page_content", fail)
    client.raise_request_exception = False

    response = client.get("/")

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()

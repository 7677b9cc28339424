"""A reader's first visit, in a real browser: front page → article → full-size picture."""

import io

import pytest
from django.core.management import call_command
from PIL import Image

from masthead.publishing.models import ArticlePage

pytestmark = [
    pytest.mark.browser,
    # Transactional, so the live server sees the data; the migration-made front page and site
    # are restored before each test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_reader_opens_an_article_and_its_full_size_lead_image(live_server, page):
    call_command("demo")

    page.goto(live_server.url + "/")
    hero = page.locator(".card-hero .card-title a")
    headline = hero.inner_text()
    hero.click()

    page.wait_for_url(f"{live_server.url}/**/")
    assert page.locator("h1.headline").inner_text() == headline
    article = ArticlePage.objects.get(title=headline)
    assert page.locator("a[data-support-button]").count() == 2
    assert page.locator("#discussion[data-discussion-slot]").count() == 1
    lead = page.locator(".lead-figure img")
    assert lead.evaluate("img => img.complete && img.naturalWidth > 0")
    assert lead.evaluate("img => img.naturalWidth") < article.lead_image.width

    with page.expect_response(lambda response: "/media/original_images/" in response.url) as seen:
        page.get_by_text("Click to see full-size image").click()
    response = seen.value
    assert response.status == 200
    assert response.headers["content-type"] == "image/jpeg"
    original = Image.open(io.BytesIO(response.body()))
    assert original.size == (article.lead_image.width, article.lead_image.height)
    assert original.width >= 2000


def test_reader_finds_an_article_through_search_and_section_navigation(live_server, page):
    call_command("demo")
    article = ArticlePage.objects.live().order_by("-date").first()
    word = max(article.title.split(), key=len).strip(",.:;'\"")

    page.goto(live_server.url + "/")
    page.fill("#nav-search-q", word)
    page.press("#nav-search-q", "Enter")
    page.wait_for_url("**/search/?q=*")
    assert article.title in page.locator(".card-title").all_inner_texts()

    section = article.get_parent()
    page.locator(".site-nav").get_by_role("link", name=section.title, exact=True).click()
    page.wait_for_url(f"**{section.url}")
    assert page.locator("h1").inner_text() == section.title
    assert article.title in page.locator(".card-title").all_inner_texts()


def test_on_a_phone_every_section_sort_tab_and_the_notify_control_are_in_sight(live_server, page):
    call_command("demo")
    article = ArticlePage.objects.live().order_by("-date").first()
    page.set_viewport_size({"width": 360, "height": 780})

    page.goto(live_server.url + article.url)

    width = page.evaluate("window.innerWidth")
    for selector in (".site-nav ul a", ".discussion-tabs a"):
        links = page.locator(selector)
        assert links.count() >= 2
        for box in (links.nth(n).bounding_box() for n in range(links.count())):
            # Nothing hidden past the right edge behind a scroll no one would guess.
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, (selector, box)
    notify = page.locator("[data-notify-of]")
    assert notify.evaluate("s => s.options[s.selectedIndex].text") == "choose what to hear about"

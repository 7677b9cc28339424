"""Which language a reader is answered in, and how a translated article is found.

A page of the site's tree speaks its own language (its locale: `/ru/...`); the search page, the
error pages and the API follow the reader (their language cookie, then `Accept-Language`);
anything unknown falls back to the default language without an error.
"""

import re

import pytest
from django.conf import settings
from django.utils import timezone, translation
from wagtail.models import Locale

from masthead.publishing.tests import factories

pytestmark = pytest.mark.django_db


def html_lang(response) -> tuple[str, str]:
    found = re.search(r'<html lang="([^"]+)" dir="([^"]+)"', response.content.decode())
    assert found, "the page has no <html lang dir>"
    return found.group(1), found.group(2)


def translate(page, code: str, title: str):
    locale, _ = Locale.objects.get_or_create(language_code=code)
    copy = page.copy_for_translation(locale, copy_parents=True)
    copy.title = title
    copy.save_revision().publish()
    return copy.specific


@pytest.fixture
def article(settings):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 0
    factories.outlet_configure()
    section = factories.section_create("City")
    return factories.article_create(section, "Council votes on the budget")


def test_an_article_speaks_its_own_language_whatever_the_browser_asks(client, article):
    response = client.get(article.url, HTTP_ACCEPT_LANGUAGE="ru,en;q=0.5")
    assert response.status_code == 200
    assert html_lang(response) == ("en", "ltr")
    assert response["Content-Language"] == "en"
    # The same for every browser: caches need not keep one copy per language.
    assert "Accept-Language" not in response.get("Vary", "")


def test_translations_live_under_their_language_and_point_at_each_other(client, article):
    russian = translate(article, "ru", "Совет голосует по бюджету")
    arabic = translate(article, "ar", "المجلس يصوت على الميزانية")
    assert russian.url.startswith("/ru/") and arabic.url.startswith("/ar/")

    response = client.get(russian.url)
    assert response.status_code == 200
    assert html_lang(response) == ("ru", "ltr")
    body = response.content.decode()
    assert "Совет голосует по бюджету" in body
    # Every translation, this one included, is an hreflang alternate at its public address.
    for page, code in ((article, "en"), (russian, "ru"), (arabic, "ar")):
        href = settings.SITE_URL.rstrip("/") + page.url
        assert f'<link rel="alternate" hreflang="{code}" href="{href}">' in body
    # The switcher names each language in its own words and links the translation.
    assert f'href="{arabic.url}" lang="ar" hreflang="ar"' in body
    assert f">{translation.get_language_info('ar')['name_local']}<" in body
    assert ">English<" in body

    response = client.get(arabic.url)
    assert html_lang(response) == ("ar", "rtl")


def test_a_single_language_site_shows_no_switcher_on_its_pages(client, article):
    body = client.get(article.url).content.decode()
    assert "hreflang" not in body
    assert 'class="language-menu"' not in body


def test_pages_without_a_language_follow_the_browser(client, article):
    response = client.get("/search/?q=budget", HTTP_ACCEPT_LANGUAGE="ar-EG,ar;q=0.9,en;q=0.5")
    assert html_lang(response) == ("ar", "rtl")
    assert "Accept-Language" in response["Vary"]

    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 404
    assert html_lang(response) == ("ru", "ltr")


@pytest.mark.parametrize(
    "header", ["xx-YY", "*", "klingon;q=0.9, tlh", "ru;q=oops", "a" * 500, "ar-;;;,,"]
)
def test_an_unknown_or_broken_accept_language_falls_back_to_the_default(client, article, header):
    response = client.get("/search/?q=budget", HTTP_ACCEPT_LANGUAGE=header)
    assert response.status_code == 200
    assert html_lang(response)[0] in {code for code, _name in settings.LANGUAGES}


def test_an_unknown_language_prefix_is_a_plain_404(client, article):
    assert client.get(f"/xx{article.url}").status_code == 404
    # A language the interface speaks but the outlet has no pages in: not found, not an error.
    assert client.get(f"/de{article.url}").status_code == 404


def test_the_reader_choice_outranks_the_browser_and_stays_on_the_site(client, article):
    response = client.get("/language/", {"language": "uk", "next": "/search/?q=budget"})
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=budget"
    response = client.get("/search/?q=budget", HTTP_ACCEPT_LANGUAGE="de")
    assert html_lang(response) == ("uk", "ltr")

    # Somebody else's address as `next` goes to the front page; an unknown code changes nothing.
    response = client.get("/language/", {"language": "zz", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "uk"


def test_the_javascript_catalog_is_per_language_and_cacheable(client):
    response = client.get("/jsi18n/ru.js")
    assert response.status_code == 200
    assert "django.gettext" in response.content.decode() or "gettext" in response.content.decode()
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    assert "Accept-Language" not in response.get("Vary", "")
    assert client.get("/jsi18n/xx.js").status_code == 200


def test_the_page_cache_keeps_one_copy_per_reader_language(client, article, settings):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 300
    first = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="ru")
    second = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="fr")
    assert html_lang(first)[0] == "ru" and html_lang(second)[0] == "fr"
    # A cached article stays in its own language for every reader.
    client.get(article.url, HTTP_ACCEPT_LANGUAGE="ru")
    assert html_lang(client.get(article.url, HTTP_ACCEPT_LANGUAGE="de"))[0] == "en"


def test_feeds_sitemaps_and_search_follow_each_language(client, article):
    article.date = timezone.now()  # within the news sitemap's two days
    article.save_revision().publish()
    russian = translate(article, "ru", "Совет голосует по бюджету")

    russian_feed = client.get("/ru/feed/").content.decode()
    default_feed = client.get("/feed/").content.decode()
    assert "Совет голосует по бюджету" in russian_feed
    assert "Council votes on the budget" not in russian_feed
    assert "Council votes on the budget" in default_feed
    assert "Совет голосует" not in default_feed

    sitemap = client.get("/sitemap.xml").content.decode()
    assert russian.url in sitemap and article.url in sitemap
    assert russian.url in client.get("/news-sitemap.xml").content.decode()

    # The search page speaks the reader's language and searches that language's articles.
    found = client.get("/search/?q=бюджету", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert f'href="{russian.url}"' in found
    found = client.get("/search/?q=budget", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="{article.url}"' in found and russian.url not in found


def test_each_translation_has_its_own_discussion_and_points_to_the_others(client, article):
    from masthead.discussion import services
    from masthead.discussion.tests.factories import guest

    russian = translate(article, "ru", "Совет голосует по бюджету")
    russian_thread = services.thread_for_page(russian)
    for number in range(3):
        services.comment_post(
            thread=russian_thread,
            text=f"Комментарий номер {number}",
            author=guest(f"Ivan {number}"),
        )
    body = client.get(article.url).content.decode()
    # The English discussion has none of the Russian comments, and says where they are.
    assert "Комментарий номер" not in body
    assert f'<a href="{russian.url}#comments" hreflang="ru">Русский: 3 comments</a>' in body
    russian_page = client.get(russian.url).content.decode()
    assert "Комментарий номер 2" in russian_page
    assert 'hreflang="en">English' not in russian_page.split('id="comments"')[1]


def test_a_comment_refreshes_the_count_its_translations_show(
    client, article, django_capture_on_commit_callbacks
):
    import json

    def post(page, text, name):
        body = {"text": text, "author_name": name, "author_email": "reader@example.org"}
        with django_capture_on_commit_callbacks(execute=True):
            posted = client.post(
                f"/api/v1/threads/{page.pk}/comments",
                data=json.dumps(body),
                content_type="application/json",
            )
        assert posted.status_code == 201

    def count_shown(page, language):
        # The "in other languages" link of `page` to its `language` translation.
        body = client.get(page.url).content.decode()
        found = re.search(rf'hreflang="{language}">[^<:]+: (\d+) ', body)
        return int(found.group(1)) if found else None

    # Commented on while it has no translation: no other page to refresh...
    post(article, "The first comment on the budget.", "Ada")
    # ...until one is published, whose line shows the English count (kept once rendered).
    russian = translate(article, "ru", "Совет голосует по бюджету")
    assert count_shown(russian, "en") == 1
    post(article, "A second comment on the budget.", "Bob")
    assert count_shown(russian, "en") == 2

    post(russian, "Первый комментарий", "Ivan")
    assert count_shown(article, "ru") == 1
    post(russian, "Второй комментарий", "Olga")
    assert count_shown(article, "ru") == 2


@pytest.mark.parametrize("language", ["ru", "ar", "de"])
def test_the_comment_apis_messages_follow_the_browser(client, article, language):
    import json

    response = client.post(
        f"/api/v1/threads/{article.pk}/comments",
        json.dumps({"author_name": "Ada", "author_email": "ada@example.org", "text": "  "}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=f"{language},en;q=0.3",
    )
    assert response.status_code == 400
    with translation.override(language):
        expected = translation.gettext("Write something before posting.")
    assert expected != "Write something before posting."  # the catalog translates it
    assert response.json()["error"] == expected
    assert response["Content-Language"] == language

"""Publishing's services for content made elsewhere (imports): each finds what is there before
making anything, and makes it as an editor would."""

import io

import pytest
from PIL import Image as PILImage
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Site

from masthead.publishing import services
from masthead.publishing.models import Author, SectionPage, StandardPage
from masthead.publishing.tests import factories

pytestmark = pytest.mark.django_db


def png(path, color="#123456"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (20, 10), color).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_author_ensure_finds_the_author_again_and_never_changes_it():
    first = services.author_ensure(slug="olga", name="Olga Petrova")
    again = services.author_ensure(slug="olga", name="Someone Else")

    assert again == first
    assert Author.objects.get().name == "Olga Petrova"


def test_author_ensure_gives_a_stable_slug_to_a_name_slugify_cannot_spell():
    first = services.author_ensure(slug="", name="Ольга")
    again = services.author_ensure(slug="", name="Ольга")

    assert first == again
    assert first.slug.startswith("author-")


def test_section_ensure_reuses_the_section_and_steps_around_another_pages_slug():
    home = factories.front_page()
    news = services.section_ensure(home=home, slug="News", title="News")
    assert services.section_ensure(home=home, slug="news", title="Whatever") == news
    assert news.live and news.get_parent().pk == home.pk

    services.standard_page_import(parent=home, title="Shop", slug="shop", body=[])
    shop_section = services.section_ensure(home=home, slug="shop", title="Shop")
    assert isinstance(shop_section, SectionPage)
    assert shop_section.slug == "shop-2"


def test_a_draft_plain_page_is_saved_but_not_published():
    page = services.standard_page_import(
        parent=factories.front_page(), title="Draft page", body=[], status="draft"
    )

    page = StandardPage.objects.get(pk=page.pk)
    assert not page.live
    assert page.latest_revision is not None
    assert page.slug == "draft-page"


def test_image_import_stores_a_picture_once_however_often_it_is_asked(tmp_path):
    first = services.image_import(file_path=png(tmp_path / "a.png"), title="A", alt="Alt text")
    copy = services.image_import(file_path=png(tmp_path / "copy.png"), title="Copy")

    assert copy == first
    assert get_image_model().objects.count() == 1
    assert first.description == "Alt text"
    assert (first.width, first.height) == (20, 10)
    assert len(first.file_hash) == 40


def test_image_import_refuses_what_is_not_a_picture_or_too_large(tmp_path, settings):
    text = tmp_path / "notes.jpg"
    text.write_bytes(b"just words")
    with pytest.raises(ValueError, match="not a readable picture"):
        services.image_import(file_path=text, title="Notes")

    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10
    with pytest.raises(ValueError, match="more than"):
        services.image_import(file_path=png(tmp_path / "big.png"), title="Big")
    assert not get_image_model().objects.exists()


def test_redirect_ensure_keeps_the_path_and_query_of_an_old_address():
    site = Site.objects.get(is_default_site=True)
    article = factories.article_create(factories.section_create("City"))

    made = services.redirect_ensure(
        old_path_or_url="https://old.example/index.php?page_id=5&lang=en", page=article, site=site
    )

    # Wagtail sorts the parameters, and matches requests the same way.
    assert made.old_path == "/index.php?lang=en&page_id=5"
    assert made.is_permanent and made.redirect_page_id == article.pk
    assert made.site == site


def test_redirect_ensure_never_replaces_a_redirect_nor_covers_the_front_page_or_the_page():
    site = Site.objects.get(is_default_site=True)
    section = factories.section_create("City")
    article = factories.article_create(section)
    other = factories.article_create(section)
    editors = Redirect.add_redirect("/2021/06/story", redirect_to=other, site=site)

    assert (
        services.redirect_ensure(old_path_or_url="/2021/06/story/", page=article, site=site) is None
    )
    assert Redirect.objects.get(pk=editors.pk).redirect_page_id == other.pk
    assert services.redirect_ensure(old_path_or_url="https://old.example/", page=article) is None
    assert services.redirect_ensure(old_path_or_url=article.url, page=article, site=site) is None
    assert Redirect.objects.count() == 1

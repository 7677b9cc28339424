"""Applying a WordPress site: its posts become articles in sections with their authors, tags,
pictures and bodies; its pages plain pages; its old addresses redirect; drafts stay drafts;
and a second run adds nothing."""

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page

from masthead.discussion.models import Comment
from masthead.publishing.models import ArticlePage, Author, SectionPage, StandardPage
from masthead.publishing.tests import factories
from masthead.transfer.appliers.pages import attachment_apply, author_apply, page_apply
from masthead.transfer.context import ImportContext, ImportOptions, Links, Report
from masthead.transfer.importing import import_now
from masthead.transfer.models import ImportRun
from masthead.transfer.records import AttachmentRecord, AuthorRecord, PageRecord, SourceRecord

pytestmark = pytest.mark.django_db

EXPORT = Path(__file__).parent / "fixtures" / "wordpress" / "export-1.2.xml"
OLD = "https://gazette.example"
UPLOADS = f"{OLD}/wp-content/uploads/"
WHEN = datetime(2021, 6, 3, 8, 15, tzinfo=UTC)


def picture(path: Path, *, kind: str = "PNG", color: str = "#2a6f97") -> Path:
    """A tiny real picture file, as WordPress's uploads folder would hold it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 40), color).save(buffer, kind)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def media_dir(tmp_path) -> Path:
    folder = tmp_path / "uploads"
    picture(folder / "2021" / "06" / "pier.png")
    return folder


def make_context(media_dir=None, **options) -> ImportContext:
    return ImportContext(
        source=SourceRecord(system="wordpress", site=OLD),
        options=ImportOptions(media_dir=media_dir, **options),
        report=Report(),
        links=Links(f"wordpress:{OLD}"),
    )


def post(source_id="42", **fields) -> PageRecord:
    values = {
        "source_id": source_id,
        "kind": "article",
        "title": "Harbour budget passes",
        "slug": "harbour-budget",
        "link": f"{OLD}/2021/06/harbour-budget/",
        "old_urls": (f"{OLD}/?p={source_id}", f"{OLD}/2021/06/harbor-budget/"),
        "date": WHEN,
        "status": "published",
        "author_ids": ("olga",),
        "categories": (("harbour", "Harbour"), ("city", "City")),
        "tags": ("budget",),
        "excerpt": "Seven votes to four, at two in the morning.",
        "content": (
            "The council voted at <strong>two</strong>.\n\n"
            f'[caption id="attachment_70"]<img class="wp-image-70" src="{UPLOADS}2021/06/'
            'pier-300x188.png" alt="The pier" /> The east pier[/caption]\n\n'
            "<h2>What next</h2>\nDredging."
        ),
        "thumbnail_id": "70",
    }
    values.update(fields)
    return PageRecord(**values)


def apply_site(context, *records) -> None:
    """What the importer does with a WordPress export: authors, attachments, then pages."""
    author_apply(context, AuthorRecord(source_id="olga", name="Ольга Петрова"))
    attachment_apply(
        context,
        AttachmentRecord(
            source_id="70",
            url=f"{UPLOADS}2021/06/pier.png",
            file="2021/06/pier.png",
            title="The east pier",
            alt="The east pier at low tide",
        ),
    )
    for record in records or (post(),):
        page_apply(context, record)


def article_of(context, source_id="42") -> ArticlePage:
    return ArticlePage.objects.get(pk=context.links.get("article", source_id))


def test_a_post_becomes_a_published_article_in_its_section(media_dir):
    context = make_context(media_dir)
    apply_site(context)

    article = article_of(context)
    home = factories.front_page()
    section = article.get_parent().specific
    assert isinstance(section, SectionPage)
    assert (section.slug, section.title, section.live) == ("harbour", "Harbour", True)
    assert section.get_parent().pk == home.pk
    assert article.live
    assert article.title == "Harbour budget passes"
    assert article.slug == "harbour-budget"
    assert article.date == WHEN
    assert article.first_published_at == WHEN
    assert article.standfirst == "Seven votes to four, at two in the morning."
    assert [a.name for a in article.byline_authors] == ["Ольга Петрова"]
    # The second category is kept as a tag.
    assert sorted(t.name for t in article.tags.all()) == ["City", "budget"]
    assert context.report.created == {
        "authors": 1,
        "images": 1,
        "sections": 1,
        "articles": 1,
        "redirects": 3,
    }


def test_the_featured_image_is_the_lead_and_the_body_finds_its_resized_copy(media_dir):
    context = make_context(media_dir)
    apply_site(context)

    article = article_of(context)
    image = get_image_model().objects.get()
    assert article.lead_image == image
    assert image.title == "The east pier"
    assert image.description == "The east pier at low tide"
    body = [(block.block_type, block.value) for block in article.body]
    assert body[0] == ("paragraph", body[0][1])
    assert str(body[0][1]) == "<p>The council voted at <strong>two</strong>.</p>"
    assert body[1][0] == "image"
    assert body[1][1]["image"] == image
    assert body[1][1]["caption"] == "The east pier"
    assert body[2] == ("heading", "What next")
    assert context.report.corrected == {}


def test_the_imported_article_opens_for_readers(client, media_dir):
    context = make_context(media_dir)
    apply_site(context)

    response = client.get(article_of(context).url)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Harbour budget passes" in page
    assert "The council voted at <strong>two</strong>." in page
    assert "Ольга Петрова" in page


def test_old_permalinks_redirect_permanently_to_the_new_article(client, media_dir):
    context = make_context(media_dir)
    apply_site(context)
    article = article_of(context)

    for old in ("/2021/06/harbour-budget/", "/2021/06/harbor-budget/", "/2021/06/harbour-budget"):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == article.url


def test_a_wordpress_short_link_redirects_to_the_new_article(client, media_dir):
    context = make_context(media_dir)
    apply_site(context)

    response = client.get("/?p=42")

    assert response.status_code == 301
    assert response["Location"] == article_of(context).url


def test_the_short_link_is_stored_as_a_redirect_wagtail_can_match(media_dir):
    context = make_context(media_dir)
    apply_site(context)

    redirect = Redirect.objects.get(old_path="/?p=42")
    assert redirect.redirect_page_id == article_of(context).pk
    assert redirect.is_permanent


def test_drafts_pending_and_private_posts_are_kept_unpublished_without_redirects(client):
    context = make_context()
    for number, status in (("43", "draft"), ("47", "pending"), ("46", "private")):
        page_apply(
            context,
            post(
                number, title=f"Not for readers {number}", slug="", status=status, thumbnail_id=""
            ),
        )

    articles = ArticlePage.objects.filter(title__startswith="Not for readers")
    assert articles.count() == 3
    for article in articles:
        assert not article.live
        assert article.latest_revision is not None
        assert article.first_published_at is None
        assert client.get(article.url).status_code == 404
    assert sorted(a.slug for a in articles) == [
        "not-for-readers-43",
        "not-for-readers-46",
        "not-for-readers-47",
    ]
    assert not Redirect.objects.exists()
    assert "redirects" not in context.report.created


def test_a_scheduled_post_waits_for_its_time(client):
    context = make_context()
    later = timezone.now() + timedelta(days=30)
    page_apply(context, post("44", title="Regatta preview", slug="regatta", status="scheduled",
                             date=later, thumbnail_id=""))  # fmt: skip

    article = article_of(context, "44")
    assert not article.live
    assert article.go_live_at == later
    assert article.latest_revision.approved_go_live_at == later
    assert client.get(article.url).status_code == 404
    # Its address will work once it is out.
    assert Redirect.objects.filter(redirect_page=article, old_path="/?p=44").exists()


def test_a_scheduled_post_whose_time_has_passed_is_published():
    context = make_context()
    earlier = timezone.now() - timedelta(hours=2)
    page_apply(context, post("44", status="scheduled", date=earlier, thumbnail_id=""))

    article = article_of(context, "44")
    assert article.live
    assert article.first_published_at == earlier


def test_a_post_in_the_trash_is_not_brought_back():
    context = make_context()
    page_apply(context, post("45", status="trash", thumbnail_id=""))

    assert not ArticlePage.objects.exists()
    assert context.report.skipped["deleted"]["count"] == 1


def test_applying_the_same_records_again_adds_nothing(media_dir):
    first = make_context(media_dir)
    apply_site(first)
    counts = (
        ArticlePage.objects.count(),
        SectionPage.objects.count(),
        Author.objects.count(),
        get_image_model().objects.count(),
        Redirect.objects.count(),
    )

    again = make_context(media_dir)
    apply_site(again)

    assert (
        ArticlePage.objects.count(),
        SectionPage.objects.count(),
        Author.objects.count(),
        get_image_model().objects.count(),
        Redirect.objects.count(),
    ) == counts
    assert again.report.created == {}
    assert again.report.skipped["already_imported"]["count"] == 3


def test_a_picture_missing_from_the_media_folder_is_reported_and_linked(tmp_path):
    context = make_context(tmp_path / "empty")
    apply_site(context)

    article = article_of(context)
    assert article.lead_image is None
    assert not get_image_model().objects.exists()
    missing = context.report.corrected["media_missing"]
    assert missing["count"] == 2
    assert [e["detail"] for e in missing["examples"]] == [
        "2021/06/pier.png",
        f"{UPLOADS}2021/06/pier-300x188.png",
    ]
    body = [(block.block_type, str(block.value)) for block in article.body]
    assert (
        "paragraph",
        f'<p><a href="{UPLOADS}2021/06/pier-300x188.png">The east pier</a></p>',
    ) in body


def test_a_picture_in_the_media_folder_that_no_attachment_names_is_stored_too(media_dir):
    picture(media_dir / "2019" / "01" / "old-map.png", color="#aa3300")
    context = make_context(media_dir)
    page_apply(
        context,
        post(
            content=f'<img src="{UPLOADS}2019/01/old-map-150x150.png" alt="Map">', thumbnail_id=""
        ),
    )

    article = article_of(context)
    block = article.body[0]
    assert block.block_type == "image"
    assert block.value["image"].title == "old-map"


def test_documents_are_not_pictures_and_files_outside_the_media_folder_are_never_read(tmp_path):
    media = tmp_path / "uploads"
    (media / "2021").mkdir(parents=True)
    (media / "2021" / "minutes.pdf").write_bytes(b"%PDF-1.4\n")
    picture(tmp_path / "secret.png")
    context = make_context(media)

    attachment_apply(context, AttachmentRecord(source_id="71", url="", file="2021/minutes.pdf"))
    attachment_apply(context, AttachmentRecord(source_id="72", url="", file="../secret.png"))

    assert not get_image_model().objects.exists()
    assert context.report.skipped["unsupported"]["count"] == 1
    assert context.report.corrected["media_missing"]["examples"][0]["detail"] == "../secret.png"
    assert context.links.get("attachment", "72") is None


def test_a_file_that_is_not_a_picture_is_reported(tmp_path):
    media = tmp_path / "uploads"
    (media / "2021").mkdir(parents=True)
    (media / "2021" / "broken.jpg").write_bytes(b"not a jpeg at all")
    context = make_context(media)

    attachment_apply(context, AttachmentRecord(source_id="73", url="", file="2021/broken.jpg"))

    assert not get_image_model().objects.exists()
    assert (
        "not a readable picture"
        in context.report.corrected["media_missing"]["examples"][0]["detail"]
    )


def test_a_mapped_author_is_credited_instead_of_a_new_one(media_dir):
    editor = factories.author_create("Olga Petrova")
    context = make_context(media_dir, author_map={"olga": editor.slug})
    apply_site(context)

    assert article_of(context).byline_authors == [editor]
    assert Author.objects.count() == 1


def test_an_author_known_only_by_login_is_created_from_it():
    # WXR 1.0 exports have no author list.
    context = make_context()
    page_apply(context, post(author_ids=("harbourmaster",), thumbnail_id=""))

    assert [a.slug for a in article_of(context).byline_authors] == ["harbourmaster"]


def test_a_slug_taken_in_the_section_gets_a_suffix():
    section = factories.section_create("Harbour")
    SectionPage.objects.filter(pk=section.pk).update(slug="harbour")
    factories.article_create(section, "Harbour budget")
    ArticlePage.objects.filter(title="Harbour budget").update(slug="harbour-budget")
    context = make_context()

    page_apply(context, post(thumbnail_id=""))

    article = article_of(context)
    assert article.get_parent().pk == section.pk
    assert article.slug == "harbour-budget-2"


def test_a_post_without_category_goes_to_uncategorized_and_one_without_date_is_reported():
    context = make_context()
    page_apply(context, post(categories=(), date=None, meta={"unreadable_date": "soon"},
                             thumbnail_id="", excerpt=""))  # fmt: skip

    article = article_of(context)
    assert article.get_parent().slug == "uncategorized"
    assert abs(article.date - timezone.now()) < timedelta(minutes=1)
    assert context.report.corrected["date_unreadable"]["examples"][0]["detail"] == "soon"
    # No excerpt: the standfirst is the opening of the text.
    assert article.standfirst == "The council voted at two."


def test_unsafe_markup_and_unknown_shortcodes_are_reported_with_the_post():
    context = make_context()
    page_apply(
        context,
        post(content='Hi.<script>x()</script>\n\n[poll id="3"]', thumbnail_id=""),
    )

    corrected = context.report.corrected
    assert corrected["html_cleaned"]["examples"][0]["source_id"] == "42"
    assert corrected["shortcode_kept"]["examples"][0]["detail"] == '[poll id="3"]'


def test_pages_become_plain_pages_nested_as_they_were(client):
    context = make_context()
    about = PageRecord(
        source_id="50", kind="page", title="About the Gazette", slug="about",
        link=f"{OLD}/about/", old_urls=(f"{OLD}/?page_id=50",), date=WHEN,
        content="We are a small newsroom.\n\n<ul><li>The council</li></ul>",
    )  # fmt: skip
    contact = PageRecord(
        source_id="51", kind="page", title="Contact", slug="contact",
        link=f"{OLD}/about/contact/", old_urls=(f"{OLD}/?page_id=51",), date=WHEN,
        parent_id="50", content="Write to us.",
    )  # fmt: skip
    page_apply(context, about)
    page_apply(context, contact)

    about_page = StandardPage.objects.get(slug="about")
    contact_page = StandardPage.objects.get(slug="contact")
    assert about_page.get_parent().pk == factories.front_page().pk
    assert contact_page.get_parent().pk == about_page.pk
    assert [b.block_type for b in about_page.body] == ["paragraph", "paragraph"]
    assert "<ul>" in str(about_page.body[1].value)
    assert client.get("/about/contact/").status_code == 200
    # Same address as before: no redirect needed, only the ?page_id= ones.
    assert sorted(Redirect.objects.values_list("old_path", flat=True)) == [
        "/?page_id=50",
        "/?page_id=51",
    ]
    assert context.report.created == {"pages": 2, "redirects": 2}


# --- the whole export, through the importer --------------------------------------------------


@pytest.fixture
def uploads(tmp_path) -> Path:
    folder = tmp_path / "uploads"
    picture(folder / "2021" / "06" / "harbour-dawn.jpg", kind="JPEG")
    return folder


def test_a_whole_export_imports_articles_pages_and_threaded_comments_with_votes(client, uploads):
    run = import_now(format="wordpress", path=EXPORT, options=ImportOptions(media_dir=uploads))

    assert run.status == ImportRun.Status.DONE, run.message
    created = run.report["created"]
    assert created["articles"] == 4  # published, draft, scheduled, password-protected
    assert created["pages"] == 2
    assert created["images"] == 1
    article = ArticlePage.objects.get(slug="harbour-budget")
    assert article.lead_image.description == "Fishing boats in the harbour at dawn"
    assert article.lead_image_caption == "Boats leaving at first light"
    comments = {c.author_name: c for c in Comment.objects.filter(thread__page=article)}
    assert comments["Ines"].depth >= 1
    assert comments["Ольга Петрова"].pinned
    assert (comments["Ольга Петрова"].upvotes, comments["Ольга Петрова"].downvotes) == (5, 2)
    assert comments["Tom"].replies_closed
    assert run.report["skipped"]["pingback"]["count"] == 2
    assert client.get("/2021/06/harbour-budget/").status_code == 301


def test_a_page_that_had_comments_shows_its_discussion_and_one_without_shows_none(client, uploads):
    import_now(format="wordpress", path=EXPORT, options=ImportOptions(media_dir=uploads))

    contact = client.get("/about/contact/").content.decode()
    assert 'id="discussion"' in contact
    assert "Is there a phone number for the night desk?" in contact
    # Comments were closed there in WordPress: the old ones show, the form does not.
    assert 'name="text"' not in contact
    about = client.get("/about/").content.decode()
    assert 'id="discussion"' not in about


def test_importing_the_same_export_twice_adds_nothing(uploads):
    import_now(format="wordpress", path=EXPORT, options=ImportOptions(media_dir=uploads))
    counts = (Page.objects.count(), Comment.objects.count(), Redirect.objects.count())

    run = import_now(format="wordpress", path=EXPORT, options=ImportOptions(media_dir=uploads))

    assert run.status == ImportRun.Status.DONE, run.message
    assert (Page.objects.count(), Comment.objects.count(), Redirect.objects.count()) == counts
    assert run.report["created"] == {}


def test_a_dry_run_reports_what_would_be_made_and_makes_nothing(uploads):
    pages_before = Page.objects.count()

    run = import_now(
        format="wordpress", path=EXPORT, options=ImportOptions(media_dir=uploads), dry_run=True
    )

    assert run.report["dry_run"]
    assert run.report["created"]["articles"] == 4
    assert run.report["created"]["images"] == 1
    assert "media_missing" not in run.report["corrected"]
    assert run.report["skipped"]["unsupported"]["count"] == 4  # the PDF among them
    assert Page.objects.count() == pages_before
    assert not get_image_model().objects.exists()

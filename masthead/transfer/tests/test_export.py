"""Exporting discussions and the site: Masthead JSON lines, WXR for WordPress, and the
Masthead JSON parser reading an export back."""

import io
import json
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree

from masthead.discussion import services
from masthead.discussion.models import Comment, Thread
from masthead.discussion.tests.factories import article_thread, comments_bulk, guest
from masthead.publishing.models import StandardPage
from masthead.publishing.tests import factories as publishing
from masthead.transfer import records as r
from masthead.transfer.exporting import export_write, php_votes
from masthead.transfer.formats import masthead_json
from masthead.transfer.formats import wxr as wxr_format

pytestmark = pytest.mark.django_db

WP = "{http://wordpress.org/export/1.2/}"
SECRET_READER = "reader-hash-SECRET"
SECRET_IP = "ip-hash-SECRET"


@dataclass
class Discussions:
    """What `discussions_build` made, by the part each plays."""

    article: object
    thread: Thread
    url_thread: Thread
    ada: Comment  # top-level, pinned, voted on
    bo: Comment  # reply to Ada
    cy: Comment  # reply to Bo, at the deepest level; replies closed under it
    dee: Comment  # answers Cy, stored beside it (under Bo)
    eve: Comment  # rejected by a moderator, with reasons
    fay: Comment  # deleted by its author, kept as a placeholder for Gus's reply
    gus: Comment
    spam: Comment
    held: Comment
    inline: Comment  # inline feedback on a passage
    edited: Comment
    elsewhere: Comment  # on a page outside Masthead, in a closed thread
    lou: Comment  # imported from WordPress: a website, and meta the old system kept


def discussions_build(settings) -> Discussions:
    """A discussion with every shape an export must carry: nesting beyond the limit, votes,
    every status, a placeholder, a pin, a closed branch, an anchor, an edit, a URL thread."""
    settings.DISCUSSION_SCREEN = "masthead.discussion.screening.PublishEverything"
    settings.DISCUSSION_NESTING_DEPTH = 2
    article, thread = article_thread("Council votes on the bridge")
    start = timezone.now() - timedelta(days=3)
    moments = iter(start + timedelta(minutes=n) for n in range(100))

    def post(text, name, parent=None, *, target=None, anchor=None, created="next"):
        author = services.Author(
            name=name,
            email=f"{name.split()[0].lower()}@example.org",
            reader=f"{SECRET_READER}-{name.split()[0]}",
            ip_hash=SECRET_IP,
        )
        return services.comment_post(
            thread=target or thread,
            text=text,
            author=author,
            parent_id=parent.pk if parent else None,
            anchor=anchor,
            created=next(moments) if created == "next" else created,
        )

    ada = post("**Bold** claim, with [a source](https://example.org/report).", "Ada Lovelace")
    bo = post("I doubt it.\n\n> Bold claim\n\nSee the minutes.", "Bo Diddley", ada)
    cy = post("The minutes say otherwise.", "Cy Twombly", bo)
    dee = post("Which page of the minutes?", "Dee Dee", cy)
    eve = post("Something a moderator refused.", "Eve Online")
    fay = post("I take this back.", "Fay Wray")
    gus = post("Too late, I read it.", "Gus Grissom", fay)
    spam = post("Cheap watches here.", "Spam Bot")
    held = post("Held for a second look.", "Hal Holbrook")
    inline = post(
        "This passage needs a source.",
        "Ida Lupino",
        anchor=services.Anchor(
            block="b-1", exact="votes on the bridge", prefix="Council ", suffix="."
        ),
    )
    url_thread = services.thread_for_url("https://elsewhere.example/column/", title="A column")
    elsewhere = post("A comment on a page elsewhere.", "Jo March", target=url_thread)
    edited = post("Frist!", "Kim Novak", created=None)

    services.comment_edit(comment_id=edited.pk, text="First!", author=_author_of("Kim Novak"))
    for voter, value in (("a", 1), ("b", 1), ("c", 1), ("d", -1)):
        services.vote_cast(comment_id=ada.pk, voter=f"guest:{voter}", value=value)
    services.vote_cast(comment_id=bo.pk, voter="guest:a", value=-1)
    services.comment_pin(comment_id=ada.pk, pinned=True)
    services.comment_replies_close(comment_id=cy.pk, closed=True)
    services.comment_moderate(comment_id=eve.pk, status="rejected", reasons=["abuse 0.91"])
    services.comment_moderate(comment_id=spam.pk, status="spam", reasons=["link farm"])
    services.comment_moderate(comment_id=held.pk, status="pending")
    services.comment_delete(comment_id=fay.pk, author=_author_of("Fay Wray"))
    services.thread_close(thread=url_thread)
    (lou,) = services.comments_import(
        comments=[
            services.ImportedComment(
                thread_id=thread.pk,
                parent_id=None,
                author_name="Lou Reed",
                author_email="lou@example.org",
                author_url="https://lou.example.org/",
                text="<p>Brought over from the old site.</p>",
                html="<p>Brought over from the old site.</p>",
                status="published",
                created=start - timedelta(days=400),
                source_meta={"akismet_result": "false", "old_votes_note": "kept"},
            )
        ]
    )
    fresh = {c.pk: c for c in Comment.objects.all()}
    return Discussions(
        article=article,
        thread=thread,
        url_thread=Thread.objects.get(pk=url_thread.pk),
        **{
            name: fresh[comment.pk]
            for name, comment in {
                "ada": ada,
                "bo": bo,
                "cy": cy,
                "dee": dee,
                "eve": eve,
                "fay": fay,
                "gus": gus,
                "spam": spam,
                "held": held,
                "inline": inline,
                "edited": edited,
                "elsewhere": elsewhere,
                "lou": lou,
            }.items()
        },
    )


def _author_of(name: str) -> services.Author:
    return services.Author(
        name=name,
        email=f"{name.split()[0].lower()}@example.org",
        reader=f"{SECRET_READER}-{name.split()[0]}",
        ip_hash=SECRET_IP,
    )


def export_bytes(format: str, scope: str = "comments") -> bytes:
    output = io.BytesIO()
    export_write(output=output, format=format, scope=scope)
    return output.getvalue()


def json_records(data: bytes) -> list[dict]:
    return [json.loads(line) for line in data.decode().splitlines()]


@pytest.fixture
def built(settings):
    return discussions_build(settings)


# --- Masthead JSON ---------------------------------------------------------------------------


def test_json_export_starts_with_a_header_naming_the_site_and_what_it_holds(built, settings):
    settings.SITE_URL = "https://news.example"

    header, *records = json_records(export_bytes("json"))

    assert header["format"] == "masthead"
    assert header["version"] == 1
    assert header["site"] == "https://news.example"
    assert header["contains"] == ["threads", "comments"]
    assert abs(timezone.datetime.fromisoformat(header["exported"]) - timezone.now()) < timedelta(
        minutes=1
    )
    assert {record["type"] for record in records} == {"thread", "comment"}


def test_json_export_holds_every_thread_and_comment_parents_before_replies(built, settings):
    settings.SITE_URL = "https://news.example"

    _header, *records = json_records(export_bytes("json"))

    threads = [rec for rec in records if rec["type"] == "thread"]
    comments = [rec for rec in records if rec["type"] == "comment"]
    assert len(threads) == Thread.objects.count() == 2
    assert len(comments) == Comment.objects.count() == 13
    seen_threads, seen_comments = set(), set()
    for record in records:
        if record["type"] == "thread":
            seen_threads.add(record["key"])
        else:
            assert record["thread"] in seen_threads
            assert record["parent"] is None or record["parent"] in seen_comments
            assert record["replied_to"] is None or record["replied_to"] in seen_comments
            seen_comments.add(record["id"])

    page_thread = next(t for t in threads if t["key"] == built.thread.key)
    assert page_thread["page"]["id"] == built.article.pk
    assert page_thread["page"]["title"] == "Council votes on the bridge"
    assert page_thread["page"]["url"] == "https://news.example" + built.article.url
    assert page_thread["comment_count"] == Thread.objects.get(pk=built.thread.pk).comment_count
    url_thread = next(t for t in threads if t["key"] == built.url_thread.key)
    assert url_thread["url"] == "https://elsewhere.example/column"
    assert url_thread["page"] is None
    assert url_thread["closed"] is True


def test_json_export_carries_what_readers_and_moderators_see(built):
    _header, *records = json_records(export_bytes("json"))
    by_id = {rec["id"]: rec for rec in records if rec["type"] == "comment"}

    ada = by_id[built.ada.pk]
    assert ada["text"] == "**Bold** claim, with [a source](https://example.org/report)."
    assert ada["html"] == built.ada.html and "<strong>Bold</strong>" in ada["html"]
    assert (ada["upvotes"], ada["downvotes"], ada["score"]) == (3, 1, 2)
    assert ada["pinned"] is True
    assert ada["author_name"] == "Ada Lovelace"
    assert ada["author_email"] == "ada@example.org"
    assert ada["user"] is None
    dee = by_id[built.dee.pk]
    assert (dee["parent"], dee["replied_to"]) == (built.bo.pk, built.cy.pk)
    assert by_id[built.cy.pk]["replies_closed"] is True
    assert by_id[built.eve.pk]["status"] == "rejected"
    assert by_id[built.eve.pk]["moderation_reasons"] == ["abuse 0.91"]
    assert by_id[built.spam.pk]["status"] == "spam"
    assert by_id[built.held.pk]["status"] == "pending"
    assert by_id[built.inline.pk]["anchor"] == {
        "block": "b-1",
        "exact": "votes on the bridge",
        "prefix": "Council ",
        "suffix": ".",
    }
    assert by_id[built.ada.pk]["anchor"] is None
    assert by_id[built.edited.pk]["text"] == "First!"
    assert by_id[built.edited.pk]["edited"] is not None


def test_a_deleted_comment_leaves_as_its_placeholder_without_its_text(built):
    _header, *records = json_records(export_bytes("json"))
    fay = next(rec for rec in records if rec.get("id") == built.fay.pk)

    assert fay["status"] == "deleted"
    assert fay["listed"] is True  # it still holds Gus's reply
    assert (fay["text"], fay["html"]) == ("", "")
    assert b"I take this back" not in export_bytes("json")
    assert b"I take this back" not in export_bytes("wxr")


@pytest.mark.parametrize("format", ["json", "wxr"])
def test_keyed_hashes_never_leave_the_install(built, format):
    data = export_bytes(format, "site")

    assert Comment.objects.filter(ip_hash=SECRET_IP).count() == 12
    assert b"SECRET" not in data
    assert b"ip_hash" not in data
    assert b"author_reader" not in data
    assert b"guest:a" not in data  # voter keys of single votes


@pytest.mark.parametrize("format", ["json", "wxr"])
def test_exporting_costs_the_same_queries_for_200_comments_as_for_10(format):
    _article, small = article_thread("A small discussion")
    comments_bulk(small, 5, replies_each=1)
    export_bytes(format)  # the site's root paths are cached from the first export on
    with CaptureQueriesContext(connection) as few:
        export_bytes(format)

    _other, large = article_thread("A large discussion")
    comments_bulk(large, 95, replies_each=1)
    assert Comment.objects.count() == 200
    with CaptureQueriesContext(connection) as many:
        data = export_bytes(format)

    assert len(many.captured_queries) == len(few.captured_queries)
    assert data.count(b"<p>Bulk reply") == 95 + 5


# --- reading the JSON back -------------------------------------------------------------------


def test_the_masthead_parser_reads_an_export_back_into_records(built, tmp_path, settings):
    settings.SITE_URL = "https://news.example"
    path = tmp_path / "export.jsonl"
    path.write_bytes(export_bytes("json"))

    assert masthead_json.looks_like(path.read_bytes()[:4096])
    records = list(masthead_json.parse(path))

    assert records[0] == r.SourceRecord(system="masthead", site="https://news.example")
    threads = {rec.source_id: rec for rec in records if isinstance(rec, r.ThreadRecord)}
    comments = {rec.source_id: rec for rec in records if isinstance(rec, r.CommentRecord)}
    assert set(threads) == {built.thread.key, built.url_thread.key}
    assert threads[built.thread.key].url == "https://news.example" + built.article.url
    assert threads[built.url_thread.key].url == "https://elsewhere.example/column"
    assert threads[built.url_thread.key].closed is True
    assert len(comments) == 13

    ada = comments[str(built.ada.pk)]
    assert ada.thread_id == built.thread.key
    assert ada.parent_id == ""
    assert ada.body == built.ada.text
    assert ada.body_format == "markdown"
    assert ada.meta["masthead_html"] == built.ada.html
    assert (ada.upvotes, ada.downvotes, ada.sticky) == (3, 1, True)
    assert ada.created == built.ada.created
    # A reply stored beside the comment it answers names that comment as its parent.
    dee = comments[str(built.dee.pk)]
    assert dee.parent_id == str(built.cy.pk)
    assert (dee.meta["parent"], dee.meta["replied_to"]) == (str(built.bo.pk), str(built.cy.pk))
    assert comments[str(built.bo.pk)].parent_id == str(built.ada.pk)
    assert comments[str(built.cy.pk)].replies_closed is True
    assert comments[str(built.eve.pk)].status == "rejected"
    assert comments[str(built.eve.pk)].meta["moderation_reasons"] == ["abuse 0.91"]
    assert comments[str(built.fay.pk)].status == "deleted"
    assert comments[str(built.inline.pk)].meta["anchor"]["exact"] == "votes on the bridge"
    assert comments[str(built.edited.pk)].meta["edited"] == built.edited.edited.isoformat()


def test_the_masthead_parser_refuses_what_it_cannot_read(tmp_path):
    other = tmp_path / "other.json"
    other.write_text('{"version": 1, "users": [], "posts": []}\n')
    newer = tmp_path / "newer.jsonl"
    newer.write_text('{"format": "masthead", "version": 7, "site": "https://x.example"}\n')
    cut = tmp_path / "cut.jsonl"
    cut.write_text(
        '{"format": "masthead", "version": 1, "site": "https://x.example"}\n'
        '{"type": "thread", "key": "1", "url": "https://x.example/a"}\n'
        '{"type": "comment", "id": 5, "thread": "1", "te'
    )

    with pytest.raises(r.FileRefused, match="not a Masthead export"):
        list(masthead_json.parse(other))
    with pytest.raises(r.FileRefused, match="newer Masthead"):
        list(masthead_json.parse(newer))
    with pytest.raises(r.FileRefused, match="cut short"):
        list(masthead_json.parse(cut))


def test_the_masthead_parser_reports_broken_lines_and_unknown_records(tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_text(
        '{"format": "masthead", "version": 1, "site": "https://x.example"}\n'
        '{"type": "newsletter", "id": 3, "title": "Weekly"}\n'
        "this is not json\n"
        '{"type": "thread", "key": "1", "url": "https://x.example/a"}\n'
        '{"type": "comment", "id": 5, "thread": "1", "text": "Hi", "status": "odd"}\n'
        '{"type": "comment", "id": 5, "thread": "1", "text": "Again"}\n'
    )

    records = list(masthead_json.parse(path))

    skips = [(rec.reason, rec.line) for rec in records if isinstance(rec, r.Skip)]
    assert skips == [("unsupported", 2), ("malformed", 3), ("duplicate_id", 6)]
    comment = next(rec for rec in records if isinstance(rec, r.CommentRecord))
    assert comment.status == "pending"  # an unknown status waits for a moderator


# --- WXR -------------------------------------------------------------------------------------


def wxr_tree(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def wp(element, name: str) -> str:
    return element.findtext(WP + name)


def test_wxr_export_is_a_wxr_1_2_document_with_a_post_per_discussion(built, settings):
    settings.SITE_URL = "https://news.example"

    root = wxr_tree(export_bytes("wxr"))

    assert root.tag == "rss" and root.get("version") == "2.0"
    assert root.nsmap == {
        "excerpt": "http://wordpress.org/export/1.2/excerpt/",
        "content": "http://purl.org/rss/1.0/modules/content/",
        "wfw": "http://wellformedweb.org/CommentAPI/",
        "dc": "http://purl.org/dc/elements/1.1/",
        "wp": "http://wordpress.org/export/1.2/",
    }
    channel = root.find("channel")
    assert wp(channel, "wxr_version") == "1.2"
    assert wp(channel, "base_site_url") == "https://news.example"
    assert wp(channel, "base_blog_url") == "https://news.example"
    items = channel.findall("item")
    assert len(items) == 2
    post, elsewhere = items
    assert wp(post, "post_type") == "post"
    assert wp(post, "post_id") == str(built.article.pk)
    assert wp(post, "status") == "publish"
    assert post.findtext("title") == "Council votes on the bridge"
    assert post.findtext("link") == "https://news.example" + built.article.url
    assert len(post.findall(WP + "comment")) == 12
    # A discussion of a page outside Masthead: a draft page titled by it, closed as it was.
    assert (wp(elsewhere, "post_type"), wp(elsewhere, "status")) == ("page", "draft")
    assert elsewhere.findtext("title") == "A column"
    assert wp(elsewhere, "comment_status") == "closed"
    meta = {
        m.findtext(WP + "meta_key"): m.findtext(WP + "meta_value")
        for m in elsewhere.findall(WP + "postmeta")
    }
    assert meta == {"masthead_thread_url": "https://elsewhere.example/column"}


def test_wxr_comments_carry_threading_statuses_and_wpdiscuz_votes(built):
    root = wxr_tree(export_bytes("wxr"))
    comments = {int(wp(c, "comment_id")): c for c in root.iter(WP + "comment")}

    def meta(comment) -> dict:
        return {
            m.findtext(WP + "meta_key"): m.findtext(WP + "meta_value")
            for m in comment.findall(WP + "commentmeta")
        }

    ada = comments[built.ada.pk]
    assert wp(ada, "comment_parent") == "0"
    assert wp(ada, "comment_author") == "Ada Lovelace"
    assert wp(ada, "comment_author_email") == "ada@example.org"
    assert wp(ada, "comment_content") == built.ada.html
    assert wp(ada, "comment_approved") == "1"
    assert wp(ada, "comment_type") == "wpdiscuz_sticky"
    assert wp(ada, "comment_date_gmt") == built.ada.created.strftime("%Y-%m-%d %H:%M:%S")
    assert meta(ada) == {
        "wpdiscuz_votes": "2",
        "wpdiscuz_votes_seperate": 'a:2:{s:4:"like";i:3;s:7:"dislike";i:1;}',
    }
    assert meta(comments[built.bo.pk])["wpdiscuz_votes"] == "-1"
    assert wp(comments[built.bo.pk], "comment_parent") == str(built.ada.pk)
    assert wp(comments[built.bo.pk], "comment_type") == "comment"
    # WordPress threads by the comment answered, which a parent id always precedes.
    assert wp(comments[built.dee.pk], "comment_parent") == str(built.cy.pk)
    assert meta(comments[built.cy.pk])["wpdiscuz_closed"] == "1"
    statuses = {
        name: wp(comments[getattr(built, name).pk], "comment_approved")
        for name in ("eve", "fay", "spam", "held", "gus")
    }
    assert statuses == {"eve": "trash", "fay": "trash", "spam": "spam", "held": "0", "gus": "1"}
    assert "wpdiscuz_last_edited_at" in meta(comments[built.edited.pk])
    assert json.loads(meta(comments[built.inline.pk])["masthead_anchor"])["block"] == "b-1"
    for comment_id, comment in comments.items():
        assert int(wp(comment, "comment_parent")) < comment_id


def test_wxr_keeps_to_the_lines_wordpress_line_parser_reads(built):
    """WordPress's importer falls back to a line-by-line parser on hosts without an XML
    extension: authors, terms and categories must each sit on one line, items start alone."""
    publishing.author_create("Nell Byline")
    data = export_bytes("wxr", "site").decode()

    lines = data.splitlines()
    assert any(line.strip() == "<item>" for line in lines)
    for line in lines:
        for tag in ("wp:author", "wp:category", "wp:tag"):
            if f"<{tag}>" in line:
                assert f"</{tag}>" in line
    assert "<wp:wxr_version>1.2</wp:wxr_version>" in data
    categories = re.findall(r'<category domain="([^"]+?)" nicename="([^"]+?)">', data)
    assert ("category", built.article.get_parent().slug) in categories


def test_wxr_export_is_read_back_by_mastheads_wordpress_parser(built, tmp_path):
    path = tmp_path / "export.xml"
    path.write_bytes(export_bytes("wxr"))

    records = list(wxr_format.parse(path))

    comments = {rec.source_id: rec for rec in records if isinstance(rec, r.CommentRecord)}
    ada = comments[str(built.ada.pk)]
    assert (ada.upvotes, ada.downvotes, ada.sticky) == (3, 1, True)
    assert ada.created == built.ada.created.replace(microsecond=0)
    assert comments[str(built.cy.pk)].replies_closed is True
    assert comments[str(built.dee.pk)].parent_id == str(built.cy.pk)
    assert comments[str(built.spam.pk)].status == "spam"
    assert not [rec for rec in records if isinstance(rec, r.Skip)]
    # What has no WordPress field travels as commentmeta and comes back.
    lou = comments[str(built.lou.pk)]
    assert lou.author_url == "https://lou.example.org/"
    assert lou.kept == {"akismet_result": "false", "old_votes_note": "kept"}
    edited = comments[str(built.edited.pk)]
    assert edited.meta["edited"] == built.edited.edited.replace(microsecond=0).isoformat()
    inline = comments[str(built.inline.pk)]
    assert inline.meta["anchor"]["exact"] == "votes on the bridge"


def test_text_ending_in_a_bracket_exports_as_wxr_and_reads_back_the_same(settings, tmp_path):
    # Titles like "[updated]", names like "[mod]" and posts ending in a shortcode: lxml
    # crashed the process writing such text in a CDATA section.
    settings.DISCUSSION_SCREEN = "masthead.discussion.screening.PublishEverything"
    _article, thread = article_thread("圆明园东门单间转租[已租]")
    services.comment_post(
        thread=thread, text="See the correction [updated]", author=guest("Ed [mod]")
    )
    path = tmp_path / "export.xml"
    path.write_bytes(export_bytes("wxr", "site"))

    records = list(wxr_format.parse(path))

    (page,) = [rec for rec in records if isinstance(rec, r.PageRecord)]
    assert page.title == "圆明园东门单间转租[已租]"
    (comment,) = [rec for rec in records if isinstance(rec, r.CommentRecord)]
    assert comment.author_name == "Ed [mod]"
    assert comment.body.strip() == "<p>See the correction [updated]</p>"


def test_php_votes_is_phps_serialize_of_the_like_and_dislike_counts():
    assert php_votes(12, 0) == 'a:2:{s:4:"like";i:12;s:7:"dislike";i:0;}'


# --- the site --------------------------------------------------------------------------------


def site_build(settings):
    """An outlet with a section, two authors, a picture, an article and a plain page, and a
    comment on the article."""
    settings.SITE_URL = "https://news.example"
    section = publishing.section_create("Culture")
    writer = publishing.author_create("Nell Byline", role="Critic")
    second = publishing.author_create("Otto Second")
    picture = publishing.image_create(title="The bridge at dawn")
    article = publishing.article_create(
        section,
        "A bridge too far",
        standfirst="The council's <vote>, in brief.",
        authors=[writer, second],
        tags=["bridges", "council"],
        lead_image=picture,
        caption="At dawn",
        credit="Photo: Pia",
        body=[
            {"type": "heading", "value": "What happened"},
            {
                "type": "paragraph",
                "value": '<p>It ended <b>badly</b>. <a href="/about/">About</a></p>',
            },
            {"type": "feedback", "value": {"text": "<p>Was it fair?</p>", "question": "Fair?"}},
        ],
    )
    about = StandardPage(
        title="About us",
        slug="about",
        intro="Who we are.",
        body=[{"type": "paragraph", "value": "<p>A small newsroom.</p>"}],
    )
    publishing.front_page().add_child(instance=about)
    about.save_revision().publish()
    thread = services.thread_for_page(article)
    settings.DISCUSSION_SCREEN = "masthead.discussion.screening.PublishEverything"
    services.comment_post(thread=thread, text="Great piece.", author=guest("Ada Guest"))
    return section, writer, picture, article, about


@pytest.fixture
def site_content(settings):
    return site_build(settings)


def test_json_site_export_holds_articles_pages_authors_sections_and_images(site_content):
    section, writer, picture, article, _about = site_content

    header, *records = json_records(export_bytes("json", "site"))

    assert header["contains"] == [
        "authors",
        "sections",
        "images",
        "articles",
        "pages",
        "threads",
        "comments",
    ]
    order = [record["type"] for record in records]
    assert order.index("author") < order.index("section") < order.index("image")
    assert order.index("image") < order.index("article") < order.index("page")
    assert order.index("page") < order.index("thread") < order.index("comment")
    found = next(rec for rec in records if rec["type"] == "article")
    assert found["title"] == "A bridge too far"
    assert found["section"] == section.pk
    assert found["authors"][0] == writer.pk and len(found["authors"]) == 2
    assert found["tags"] == ["bridges", "council"]
    assert found["standfirst"] == "The council's <vote>, in brief."
    assert found["lead_image"]["image"] == picture.pk
    assert found["lead_image"]["url"].startswith("https://news.example/")
    assert (found["lead_image"]["caption"], found["lead_image"]["credit"]) == (
        "At dawn",
        "Photo: Pia",
    )
    assert [block["type"] for block in found["body"]] == ["heading", "paragraph", "feedback"]
    assert "<b>badly</b>" in found["html"]
    assert 'href="https://news.example/about/"' in found["html"]
    feedback_id = found["body"][2]["id"]
    assert f'data-feedback-block="{feedback_id}"' in found["html"]
    assert found["live"] is True
    assert found["url"] == "https://news.example" + article.url
    page = next(rec for rec in records if rec["type"] == "page")
    assert (page["title"], page["intro"]) == ("About us", "Who we are.")
    assert "A small newsroom." in page["html"]
    author = next(rec for rec in records if rec["type"] == "author" and rec["id"] == writer.pk)
    assert (author["name"], author["role"]) == ("Nell Byline", "Critic")
    image = next(rec for rec in records if rec["type"] == "image")
    assert image["title"] == "The bridge at dawn"


def test_wxr_site_export_is_a_wordpress_site(site_content):
    section, writer, _picture, article, _about = site_content

    channel = wxr_tree(export_bytes("wxr", "site")).find("channel")

    authors = channel.findall(WP + "author")
    assert {(wp(a, "author_login"), wp(a, "author_display_name")) for a in authors} >= {
        (writer.slug, "Nell Byline")
    }
    assert [wp(c, "category_nicename") for c in channel.findall(WP + "category")] == [section.slug]
    assert sorted(wp(t, "tag_name") for t in channel.findall(WP + "tag")) == ["bridges", "council"]
    items = {wp(item, "post_type"): item for item in channel.findall("item")}
    assert set(items) == {"attachment", "post", "page"}
    post = items["post"]
    assert post.findtext("{http://purl.org/dc/elements/1.1/}creator") == writer.slug
    content = post.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
    assert "<b>badly</b>" in content and "What happened" in content
    assert (
        post.findtext("{http://wordpress.org/export/1.2/excerpt/}encoded")
        == "The council's <vote>, in brief."
    )
    terms = {(c.get("domain"), c.get("nicename"), c.text) for c in post.findall("category")}
    assert terms == {
        ("category", section.slug, "Culture"),
        ("post_tag", "bridges", "bridges"),
        ("post_tag", "council", "council"),
    }
    postmeta = {
        m.findtext(WP + "meta_key"): m.findtext(WP + "meta_value")
        for m in post.findall(WP + "postmeta")
    }
    attachment = items["attachment"]
    assert postmeta["_thumbnail_id"] == wp(attachment, "post_id")
    assert wp(attachment, "attachment_url").startswith("https://news.example/")
    assert len(post.findall(WP + "comment")) == 1
    assert wp(post, "post_date_gmt") == article.date.strftime("%Y-%m-%d %H:%M:%S")
    page = items["page"]
    assert page.findtext("title") == "About us"
    ids = [wp(item, "post_id") for item in channel.findall("item")]
    assert len(ids) == len(set(ids))


# --- the command -----------------------------------------------------------------------------


def test_export_command_writes_the_file_and_prints_counts(built, tmp_path):
    target = tmp_path / "comments.jsonl"
    out = io.StringIO()

    call_command("export", "comments", str(target), "--format", "json", stdout=out)

    assert len(json_records(target.read_bytes())) == 1 + 2 + 13
    assert "threads: 2" in out.getvalue()
    assert "comments: 13" in out.getvalue()
    assert not Path(str(target) + ".part").exists()


def test_export_command_compresses_a_gz_file_the_importer_reads(built, tmp_path):
    target = tmp_path / "comments.jsonl.gz"

    call_command("export", "comments", str(target), stdout=io.StringIO())

    records = list(masthead_json.parse(target))
    assert sum(isinstance(rec, r.CommentRecord) for rec in records) == 13


def test_export_command_refuses_a_path_it_cannot_write(tmp_path):
    with pytest.raises(CommandError, match="Cannot write to"):
        call_command("export", "comments", str(tmp_path / "missing" / "x.xml"), "--format", "wxr")


def test_export_command_writes_to_standard_output_with_a_dash(built):
    class Binary(io.StringIO):
        def __init__(self):
            super().__init__()
            self.buffer = io.BytesIO()

    out, err = Binary(), io.StringIO()

    call_command("export", "comments", "-", "--format", "wxr", stdout=out, stderr=err)

    assert wxr_tree(out.buffer.getvalue()).find("channel") is not None
    assert "comments: 13" in err.getvalue()


def test_the_masthead_parser_reads_a_site_export_as_authors_pictures_and_pages(
    site_content, tmp_path
):
    section, writer, picture, article, _about = site_content
    path = tmp_path / "site.jsonl"
    path.write_bytes(export_bytes("json", "site"))

    records = list(masthead_json.parse(path))

    assert not [rec for rec in records if isinstance(rec, r.Skip)]
    authors = {rec.source_id: rec for rec in records if isinstance(rec, r.AuthorRecord)}
    assert authors[writer.slug].name == "Nell Byline"
    attachment = next(rec for rec in records if isinstance(rec, r.AttachmentRecord))
    assert attachment.source_id == str(picture.pk)
    assert attachment.file == picture.file.name
    pages = {rec.kind: rec for rec in records if isinstance(rec, r.PageRecord)}
    story = pages["article"]
    assert story.source_id == str(article.pk)
    assert (story.title, story.slug, story.status) == (
        "A bridge too far",
        article.slug,
        "published",
    )
    assert story.link == "https://news.example" + article.url
    assert story.author_ids[0] == writer.slug and len(story.author_ids) == 2
    assert story.categories == ((section.slug, "Culture"),)
    assert story.tags == ("bridges", "council")
    assert story.excerpt == "The council's &lt;vote&gt;, in brief."
    assert "<b>badly</b>" in story.content
    assert story.thumbnail_id == str(picture.pk)
    assert story.meta["lead_image_credit"] == "Photo: Pia"
    assert [block["type"] for block in story.meta["masthead_body"]] == [
        "heading",
        "paragraph",
        "feedback",
    ]
    assert story.date == article.date
    page = pages["page"]
    assert (page.title, page.excerpt, page.parent_id) == ("About us", "Who we are.", "")
    assert "A small newsroom." in page.content

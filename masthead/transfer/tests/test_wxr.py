"""Reading a WordPress export (WXR 1.0, 1.1, 1.2) into records: what an outlet leaving
WordPress gets across, with its wpDiscuz discussions, what is left out and why, and which
files are refused whole."""

import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest

from masthead.transfer.formats import wxr
from masthead.transfer.records import (
    AttachmentRecord,
    AuthorRecord,
    CommentRecord,
    FileRefused,
    PageRecord,
    Skip,
    SourceRecord,
)

FIXTURES = Path(__file__).parent / "fixtures"
WORDPRESS = FIXTURES / "wordpress"
EXPORT = WORDPRESS / "export-1.2.xml"


@pytest.fixture(scope="module")
def records() -> list:
    return list(wxr.parse(EXPORT))


def of_type(records, cls) -> dict:
    return {r.source_id: r for r in records if isinstance(r, cls)}


def skips(records) -> list[tuple[str, str]]:
    return [(r.reason, r.source_id) for r in records if isinstance(r, Skip)]


def test_the_stream_starts_with_the_site_then_its_authors(records):
    assert records[0] == SourceRecord(
        system="wordpress", site="https://gazette.example", title="The Harbour Gazette"
    )
    assert sum(isinstance(r, SourceRecord) for r in records) == 1
    assert [type(r) for r in records[1:3]] == [AuthorRecord, AuthorRecord]
    authors = of_type(records, AuthorRecord)
    assert authors["olga"].name == "Ольга Петрова"
    assert authors["olga"].email == "olga@gazette.example"
    # No display name: the first and last names stand in.
    assert authors["tom"].name == "Tom Reeve"


def test_a_post_keeps_what_an_article_needs(records):
    post = of_type(records, PageRecord)["42"]

    assert post.kind == "article"
    assert post.title == "Harbour budget passes after a night of debate"
    assert post.slug == "harbour-budget"
    assert post.link == "https://gazette.example/2021/06/harbour-budget/"
    assert post.date == datetime(2021, 6, 3, 8, 15, tzinfo=UTC)
    assert post.status == "published"
    assert post.author_ids == ("olga",)
    assert post.categories == (("harbour", "Harbour"), ("city", "City"))
    assert post.tags == ("budget", "council")
    assert post.excerpt == "Seven votes to four, at two in the morning."
    assert post.content.startswith("The council approved the harbour budget at 2&nbsp;a.m.")
    assert '[caption id="attachment_70"' in post.content
    assert post.thumbnail_id == "70"
    assert post.parent_id == ""
    assert not post.comments_closed


def test_every_old_address_of_a_post_is_kept_for_its_redirects(records):
    post = of_type(records, PageRecord)["42"]

    # The guid (?p=42) once, and the permalink under the slug it had before (_wp_old_slug).
    assert post.old_urls == (
        "https://gazette.example/?p=42",
        "https://gazette.example/2021/06/harbor-budget/",
    )
    page = of_type(records, PageRecord)["50"]
    assert set(page.old_urls) == {
        "https://gazette.example/?page_id=50",
        "https://gazette.example/?p=50",
    }


def test_post_meta_keeps_what_an_editor_can_use_and_drops_wordpress_bookkeeping(records):
    meta = of_type(records, PageRecord)["42"].meta

    assert meta == {
        "sticky": True,
        "seo_description": "The harbour budget passed 7–4.",
        "source_note": "Council session of 2 June",
        # WordPress 6.3's footnotes, for the body's footnotes block.
        "wp_footnotes": [
            {
                "content": "Minutes of the session, page 4.",
                "id": "8c1a2b3c-0000-4000-8000-000000000001",
            }
        ],
    }


def test_statuses_map_to_what_masthead_shows(records):
    pages = of_type(records, PageRecord)

    assert pages["43"].status == "draft"
    assert pages["44"].status == "scheduled"
    assert pages["44"].date == datetime(2031, 7, 5, 7, 0, tzinfo=UTC)
    assert pages["45"].status == "trash"
    # Published behind a password: readers could not see it, so it is not published here.
    assert pages["46"].status == "private"
    assert pages["46"].meta["password_protected"] is True


def test_a_draft_without_gmt_date_is_dated_by_its_local_time_less_the_sites_offset(records):
    draft = of_type(records, PageRecord)["43"]

    # 18:30 in the site's zone; the other items show the site two hours ahead of UTC.
    assert draft.date == datetime(2021, 6, 10, 16, 30, tzinfo=UTC)
    assert draft.slug == ""
    assert draft.comments_closed
    assert "<!-- wp:paragraph -->" in draft.content


def test_pages_keep_their_parent_page(records):
    pages = of_type(records, PageRecord)

    assert pages["50"].kind == "page"
    assert pages["50"].parent_id == ""
    assert pages["51"].kind == "page"
    assert pages["51"].parent_id == "50"
    assert pages["50"].meta == {"page_template": "default"}


def test_attachments_give_their_file_alt_text_and_caption(records):
    attachments = of_type(records, AttachmentRecord)

    picture = attachments["70"]
    assert picture.url == "https://gazette.example/wp-content/uploads/2021/06/harbour-dawn.jpg"
    assert picture.file == "2021/06/harbour-dawn.jpg"
    assert picture.alt == "Fishing boats in the harbour at dawn"
    assert picture.caption == "Boats leaving at first light"
    assert picture.title == "Harbour dawn"
    assert attachments["71"].file == "2021/06/council-minutes.pdf"


def test_other_post_types_are_skipped_and_say_what_they_were(records):
    found = {r.source_id: r for r in records if isinstance(r, Skip) and r.reason == "unsupported"}

    assert found["80"].detail == "nav_menu_item"
    # Comments inside a skipped item are not lost without a word.
    assert found["90"].detail == "product, with 1 comment"
    assert found["150"].detail == "a comment on a media file"
    assert not {"80", "90"} & set(of_type(records, PageRecord))


def test_entries_without_id_or_with_an_id_seen_before_are_skipped(records):
    found = skips(records)

    assert ("no_id", "") in found
    assert ("duplicate_id", "42") in found
    assert ("duplicate_id", "101") in found
    # The first of two items with one id is the one kept.
    assert of_type(records, PageRecord)["42"].content.startswith("The council")
    assert of_type(records, CommentRecord)["101"].author_name == "Ольга Петрова"
    no_ids = [r for r in records if isinstance(r, Skip) and r.reason == "no_id"]
    assert {r.detail for r in no_ids} == {"Nobody", "A post without an id"}
    # The comments of an item left out are counted too, never dropped unseen.
    assert ("item_skipped", "140") in found


def test_comments_keep_their_thread_at_every_depth_even_when_a_reply_comes_first(records):
    comments = of_type(records, CommentRecord)

    assert comments["101"].parent_id == ""
    assert comments["102"].parent_id == "101"
    assert comments["103"].parent_id == "102"
    assert comments["104"].parent_id == "103"
    assert {c.thread_id for c in comments.values() if c.source_id not in ("120", "130")} == {"42"}
    order = [r.source_id for r in records if isinstance(r, CommentRecord)]
    assert order.index("104") < order.index("103")


def test_a_comment_keeps_its_author_date_and_html(records):
    first = of_type(records, CommentRecord)["101"]

    assert first.author_name == "Ольга Петрова"
    assert first.author_email == "olga@mail.example"
    assert first.author_url == "https://olga.example"
    assert first.created == datetime(2021, 6, 3, 9, 0, tzinfo=UTC)
    assert first.body == "Finally! <em>Someone</em> had to say it.\nSecond line."
    assert first.body_format == "html"


def test_comment_statuses_map_to_mastheads(records):
    comments = of_type(records, CommentRecord)

    assert comments["101"].status == "published"
    assert comments["105"].status == "pending"
    assert comments["106"].status == "spam"
    assert comments["107"].status == "deleted"
    # Trashed with its post.
    assert comments["120"].status == "deleted"
    assert ("malformed", "116") in skips(records)


def test_pingbacks_and_trackbacks_are_left_out_with_their_source(records):
    found = {r.source_id: r for r in records if isinstance(r, Skip) and r.reason == "pingback"}

    assert set(found) == {"108", "109"}
    assert found["108"].detail == "https://another.example/2021/06/budget-roundup/"
    assert not {"108", "109"} & set(of_type(records, CommentRecord))


def test_wpdiscuz_votes_stickiness_and_closed_replies_come_across(records):
    comments = of_type(records, CommentRecord)

    # wpdiscuz_votes_seperate: 5 likes, 2 dislikes (its net score, 3, agrees).
    assert (comments["101"].upvotes, comments["101"].downvotes) == (5, 2)
    assert comments["101"].sticky
    # Only the net score (older wpDiscuz): its sign says which way.
    assert (comments["110"].upvotes, comments["110"].downvotes) == (0, 3)
    assert comments["102"].replies_closed
    assert not comments["101"].replies_closed
    assert not comments["102"].sticky
    assert (comments["105"].upvotes, comments["105"].downvotes) == (0, 0)


def test_comment_meta_is_kept_as_strings_but_what_has_a_field_or_is_a_request_copy(records):
    comments = of_type(records, CommentRecord)

    # The votes became fields; Akismet's copy of the request (address, browser) is dropped.
    assert comments["101"].kept == {
        "akismet_result": "false",
        "example_plugin_note": "Reported from 203.0.113.7 as off-topic",
        "comment_type": "wpdiscuz_sticky",
    }
    assert (comments["101"].upvotes, comments["101"].downvotes) == (5, 2)
    # A registered commenter keeps their WordPress account id; "comment" is no news.
    assert comments["102"].kept == {"wp_user_id": "3"}


def test_the_authors_address_is_read_only_as_its_keyed_hash(records):
    comments = of_type(records, CommentRecord)

    assert len(comments["101"].ip_hash) == 64
    assert comments["102"].ip_hash == ""  # none written


def test_comment_dates_fall_back_to_local_time_and_unreadable_ones_are_flagged(records):
    comments = of_type(records, CommentRecord)

    # comment_date_gmt 0000-00-00: 15:30 local, two hours ahead of UTC.
    assert comments["112"].created == datetime(2021, 6, 3, 13, 30, tzinfo=UTC)
    assert comments["113"].created is None
    assert comments["113"].meta["unreadable_date"] == "yesterday evening"


def test_an_export_of_wordpress_2_is_read_too():
    records = list(wxr.parse(WORDPRESS / "export-1.0.xml"))

    assert records[0] == SourceRecord(
        system="wordpress", site="http://quayside.example", title="Quayside Notes"
    )
    # WXR 1.0 has no author list: posts name their author by login.
    assert not of_type(records, AuthorRecord)
    post = of_type(records, PageRecord)["7"]
    assert post.title == "Fish & chips on the quay"
    assert post.author_ids == ("harbourmaster",)
    # Each term is written twice, and tags are in the "tag" domain.
    assert post.categories == (("news", "News"),)
    assert post.tags == ("fish",)
    assert post.content == "The van is back.\n\nOpen every evening\nfrom six."
    comments = of_type(records, CommentRecord)
    assert comments["4"].parent_id == "3"
    assert comments["3"].created == datetime(2010, 2, 28, 19, 0, tzinfo=UTC)


def test_an_export_of_wordpress_3_1_is_read_with_addresses_under_the_blog_folder():
    records = list(wxr.parse(WORDPRESS / "export-1.1.xml"))

    # The site is WordPress's own address; posts hang off the blog's (home), a folder.
    assert records[0].site == "http://lighthouse.example/wordpress"
    assert of_type(records, AuthorRecord)["keeper"].name == "The Keeper"
    post = of_type(records, PageRecord)["21"]
    assert post.old_urls == ("http://lighthouse.example/news/?p=21",)
    assert post.tags == ("storms",)
    # WordPress stores "&" in a term's name as "&amp;".
    assert post.categories == (("weather", "Weather & Tides"),)
    assert post.excerpt == "Stay in port."
    comment = of_type(records, CommentRecord)["9"]
    assert comment.kept["akismet_history"].startswith("a:2:{")


def test_the_defects_of_real_exports_are_read_around():
    records = list(wxr.parse(WORDPRESS / "defects.xml"))

    # Blank lines and a byte-order mark before the declaration; &nbsp; XML does not define.
    assert records[0] == SourceRecord(
        system="wordpress", site="https://gazette.example", title="Harbour\xa0Gazette"
    )
    pages = of_type(records, PageRecord)
    title = pages["201"].title
    assert title.startswith("Fish ") and title.endswith("ships: the harbour\xa0festival")
    # A Latin-1 byte in UTF-8 text: the character is replaced, the text kept.
    assert pages["201"].content == "The caf\ufffd on the quay opens at nine.\nBring a coat."
    assert of_type(records, CommentRecord)["301"].author_name == "Jørn"
    assert of_type(records, CommentRecord)["301"].body == "See you there!"
    # What follows the damage is read as well.
    assert pages["202"].content == "Still read."


def test_control_characters_pasted_into_a_post_do_not_lose_its_text():
    records = list(wxr.parse(WORDPRESS / "control-characters.xml"))

    assert of_type(records, PageRecord)["401"].content == "The quay opens at nine.\nBring a coat."
    assert of_type(records, CommentRecord)["501"].body == "See you there!"


def test_a_truncated_export_gives_what_it_could_read_then_is_refused():
    stream = wxr.parse(WORDPRESS / "truncated.xml")
    read = []
    with pytest.raises(FileRefused, match="cut short"):
        for record in stream:
            read.append(record)

    assert read[0].site == "https://cut.example"
    assert of_type(read, PageRecord)["1"].content == "All of it arrived."


def test_an_entity_bomb_is_refused_before_anything_is_read():
    with pytest.raises(FileRefused, match="entities"):
        next(wxr.parse(WORDPRESS / "billion-laughs.xml"))


def test_a_sites_rss_feed_is_refused_as_not_an_export():
    with pytest.raises(FileRefused, match=r"not a WordPress export.*<rss>"):
        next(wxr.parse(WORDPRESS / "feed.rss"))


def test_a_disqus_export_is_refused_with_what_it_is():
    with pytest.raises(FileRefused, match=r"not a WordPress export.*Disqus"):
        next(wxr.parse(FIXTURES / "disqus" / "export.xml"))


def test_a_gzipped_export_is_read_like_the_plain_one(tmp_path):
    packed = tmp_path / "gazette.wordpress.2024-05-02.xml.gz"
    packed.write_bytes(gzip.compress(EXPORT.read_bytes()))

    assert list(wxr.parse(packed)) == list(wxr.parse(EXPORT))


def test_looks_like_tells_an_export_from_a_feed():
    assert wxr.looks_like(EXPORT.read_bytes()[:4096])
    assert wxr.looks_like((WORDPRESS / "export-1.0.xml").read_bytes()[:4096])
    assert not wxr.looks_like((WORDPRESS / "feed.rss").read_bytes()[:4096])
    assert not wxr.looks_like((FIXTURES / "disqus" / "export.xml").read_bytes()[:4096])


def test_a_long_export_streams_with_one_record_per_item(tmp_path):
    items = "".join(
        f"<item><title>Post {n}</title><wp:post_id>{n}</wp:post_id>"
        "<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>"
        f"<content:encoded><![CDATA[{'Paragraph. ' * 50}]]></content:encoded>"
        f"<wp:comment><wp:comment_id>{n}</wp:comment_id><wp:comment_parent>0"
        "</wp:comment_parent><wp:comment_approved>1</wp:comment_approved>"
        "<wp:comment_content>Hi</wp:comment_content></wp:comment></item>\n"
        for n in range(1, 3001)
    )
    path = tmp_path / "long.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Long</title>'
        f"<wp:base_site_url>https://long.example</wp:base_site_url>{items}</channel></rss>"
    )

    pages = comments = 0
    for record in wxr.parse(path):
        pages += isinstance(record, PageRecord)
        comments += isinstance(record, CommentRecord)
    assert (pages, comments) == (3000, 3000)


# --- PHP's serialize() -----------------------------------------------------------------------


def test_php_arrays_strings_and_numbers_are_read():
    assert wxr.php_unserialize('a:2:{s:4:"like";i:5;s:7:"dislike";i:2;}') == {
        "like": 5,
        "dislike": 2,
    }
    assert wxr.php_unserialize('a:2:{i:0;s:1:"a";i:1;b:1;}') == ["a", True]
    assert wxr.php_unserialize('a:1:{s:1:"x";a:1:{s:1:"y";d:1.5;}}') == {"x": {"y": 1.5}}
    assert wxr.php_unserialize("N;") is None
    # PHP counts bytes: "Ольга" is 10 bytes in UTF-8.
    assert wxr.php_unserialize('s:10:"Ольга";') == "Ольга"


@pytest.mark.parametrize(
    "raw",
    [
        'O:8:"stdClass":1:{s:1:"a";i:1;}',  # objects are never built
        'a:2:{s:4:"like";i:5;',  # cut short
        's:99:"short";',  # length that does not match
        'a:1:{s:1:"x";i:1;}trailing',
        "i:__import__('os');",
        "a:99999999:{}",
        "not serialized at all",
        "",
    ],
)
def test_anything_else_php_wrote_reads_as_nothing(raw):
    assert wxr.php_unserialize(raw) is None


def test_php_arrays_nested_too_deep_are_not_read():
    raw = "a:1:{i:0;" * 20 + "i:1;" + "}" * 20
    assert wxr.php_unserialize(raw) is None


def test_an_export_declaring_its_namespaces_over_https_reads_the_same(records, tmp_path):
    # WordPress's Theme Unit Test data declares xmlns:wp="https://wordpress.org/export/1.2/".
    text = EXPORT.read_text().replace(
        "http://wordpress.org/export/", "https://wordpress.org/export/"
    )
    path = tmp_path / "https.xml"
    path.write_text(text)

    again = list(wxr.parse(path))

    assert [type(rec).__name__ for rec in again] == [type(rec).__name__ for rec in records]
    assert of_type(again, PageRecord)["42"] == of_type(records, PageRecord)["42"]
    assert of_type(again, CommentRecord)["101"].kept == of_type(records, CommentRecord)["101"].kept

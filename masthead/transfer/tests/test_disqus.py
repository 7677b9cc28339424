"""Reading a Disqus XML export into records: what an outlet leaving Disqus gets across, what is
left out and why, and which files are refused whole."""

import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest

from masthead.transfer.formats import disqus
from masthead.transfer.records import (
    CommentRecord,
    FileRefused,
    Skip,
    SourceRecord,
    ThreadRecord,
)

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = FIXTURES / "disqus" / "export.xml"


def parsed(path=EXPORT) -> list:
    return list(disqus.parse(path))


def comments(records) -> dict[str, CommentRecord]:
    return {r.source_id: r for r in records if isinstance(r, CommentRecord)}


def threads(records) -> dict[str, ThreadRecord]:
    return {r.source_id: r for r in records if isinstance(r, ThreadRecord)}


def skips(records) -> list[tuple[str, str]]:
    return [(r.reason, r.source_id) for r in records if isinstance(r, Skip)]


def test_the_stream_starts_with_the_forum_the_export_belongs_to():
    records = parsed()

    assert records[0] == SourceRecord(system="disqus", site="harbour-gazette")
    assert sum(isinstance(r, SourceRecord) for r in records) == 1


def test_threads_keep_their_address_identifier_title_and_closed_flag():
    found = threads(parsed())

    assert set(found) == {"1001", "1002"}
    budget, fishing = found["1001"], found["1002"]
    assert budget.url == "https://gazette.example/2021/06/harbour-budget/"
    assert budget.identifier == "42 https://gazette.example/?p=42"
    assert budget.title == "Бюджет гавани на 2022 год"
    assert budget.created == datetime(2021, 6, 3, 8, 15, tzinfo=UTC)
    assert not budget.closed
    # Whitespace around the link is the file's layout, not part of the address.
    assert fishing.url == "https://gazette.example/opinion/fishing-rights/"
    assert fishing.identifier == ""
    assert fishing.title == "حقوق الصيد في الميناء"
    assert fishing.closed


def test_replies_keep_their_parent_at_every_depth_even_when_the_parent_comes_later():
    found = comments(parsed())

    assert found["2001"].parent_id == ""
    assert found["2002"].parent_id == "2001"
    assert found["2003"].parent_id == "2002"
    assert found["2004"].parent_id == "2003"
    order = [r.source_id for r in parsed() if isinstance(r, CommentRecord)]
    assert order.index("2003") < order.index("2002")


def test_a_comment_keeps_its_author_date_and_html():
    first = comments(parsed())["2001"]

    assert first.thread_id == "1001"
    assert first.author_name == "Ольга Петрова"
    assert first.author_email == "olga@mail.example"
    assert first.kept == {"username": "olga_p", "anonymous": False}
    assert first.created == datetime(2021, 6, 3, 9, 0, tzinfo=UTC)
    assert first.body == "<p>Где деньги на новый причал?</p>"
    assert first.body_format == "html"
    assert first.status == "published"


def test_deleted_and_spam_comments_come_with_their_status_and_text():
    found = comments(parsed())

    # Deleted with a reply and deleted alone alike: the importer decides what readers see.
    assert found["2005"].status == "deleted"
    assert found["2005"].body == "<p>Something regrettable.</p>"
    assert found["2006"].parent_id == "2005"
    assert found["2006"].status == "published"
    assert found["2007"].status == "deleted"
    assert found["2008"].status == "spam"
    assert found["2005"].kept["anonymous"] is True


def test_entries_that_cannot_be_imported_are_reported_with_their_reason():
    records = parsed()

    assert skips(records) == [
        ("empty_thread_id", ""),
        ("duplicate_id", "1001"),
        ("deleted", "1004"),
        ("no_id", ""),
        ("duplicate_id", "2001"),
        ("orphan_thread", "2010"),
        ("malformed", "2016"),
        ("deleted", "2018"),
    ]
    empty = next(r for r in records if isinstance(r, Skip) and r.reason == "empty_thread_id")
    assert empty.detail == "https://gazette.example/ghost/"
    assert empty.line is not None
    # The first of two posts with one id is the one kept.
    assert comments(records)["2001"].author_name == "Ольга Петрова"


def test_a_comment_in_a_discussion_missing_from_the_file_is_left_to_the_importer():
    assert comments(parsed())["2011"].thread_id == "9999"


def test_dates_are_read_as_utc_and_an_unreadable_one_is_flagged():
    found = comments(parsed())

    assert found["2013"].created == datetime(2022, 1, 10, 21, 30, tzinfo=UTC)
    assert found["2012"].created is None
    assert found["2012"].meta["unreadable_date"] == "last Tuesday"


def test_markup_is_kept_as_written_for_the_importer_to_clean():
    found = comments(parsed())

    assert found["2014"].body == '<p onclick="steal()">Nice<script>alert("x")</script></p>'
    assert found["2015"].body == "<p>شكراً على المقال 🎣🌊</p>"
    assert found["2015"].author_name == "سمير"
    assert found["2017"].body == "<p>Raw <em>markup</em> &amp; all</p>"


def test_no_ip_address_from_the_file_reaches_a_record():
    text = repr(parsed())

    for address in ("203.0.113.7", "198.51.100.20", "192.0.2.10", "192.0.2.11"):
        assert address not in text


def test_leading_junk_before_the_xml_declaration_is_tolerated(tmp_path):
    path = tmp_path / "export.xml"
    path.write_bytes(b"\xef\xbb\xbf\r\nExport generated 2022-02-03\n\n" + EXPORT.read_bytes())

    assert strip_lines(parsed(path)) == strip_lines(parsed())


def test_a_gzipped_export_reads_as_the_plain_one(tmp_path):
    path = tmp_path / "harbour-gazette-2022-02-03T10:00:00.000000-all.xml.gz"
    path.write_bytes(gzip.compress(EXPORT.read_bytes()))

    assert parsed(path) == parsed()


def test_invalid_utf8_bytes_spoil_only_the_text_they_are_in(tmp_path):
    path = tmp_path / "export.xml"
    data = EXPORT.read_bytes().replace("Где деньги".encode(), b"\xff\xfe " + "Где".encode())
    path.write_bytes(data)

    found = comments(parsed(path))

    assert found["2001"].body.startswith("<p>\ufffd")
    assert found["2002"].body == "<p>Second level: in the <b>annex</b>.</p>"
    assert len(found) == len(comments(parsed()))


def test_an_export_cut_short_is_refused_before_anything_is_read(tmp_path):
    data = EXPORT.read_bytes()
    path = tmp_path / "export.xml"
    path.write_bytes(data[: data.index(b"<p>Fourth level")])

    with pytest.raises(FileRefused, match="cut short"):
        next(disqus.parse(path))

    compressed = gzip.compress(data)
    path.write_bytes(compressed[: len(compressed) // 2])
    with pytest.raises(FileRefused, match="cut short"):
        next(disqus.parse(path))


def test_a_long_export_keeps_every_comment_whole_across_read_buffers(tmp_path):
    def post(n: int) -> str:
        parent = f'<parent dsq:id="{n - 1}"/>' if n else ""
        return (
            f'<post dsq:id="{n}"><id/><message><![CDATA[<p>Comment {n} {"x" * 400}</p>]]>'
            "</message><createdAt>2021-01-01T00:00:00Z</createdAt><isDeleted>false</isDeleted>"
            f"<isSpam>false</isSpam><author><email>r{n}@mail.example</email>"
            f"<name>Reader {n}</name><isAnonymous>false</isAnonymous></author>"
            f'<thread dsq:id="7"/>{parent}</post>\n'
        )

    posts = "".join(post(n) for n in range(4000))
    path = tmp_path / "long.xml"
    path.write_text(
        '<?xml version="1.0"?><disqus xmlns="http://disqus.com" '
        'xmlns:dsq="http://disqus.com/disqus-internals"><thread dsq:id="7"><id/>'
        '<forum>f</forum><category dsq:id="1"/><link>https://gazette.example/</link>'
        f"<isClosed>false</isClosed><isDeleted>false</isDeleted></thread>\n{posts}</disqus>"
    )

    found = comments(parsed(path))

    assert len(found) == 4000
    for n, record in enumerate(found.values()):
        assert record.thread_id == "7"
        assert record.author_name == f"Reader {n}"
        assert record.body.startswith(f"<p>Comment {n} ")
        assert record.parent_id == (str(n - 1) if n else "")


def test_a_file_of_another_format_is_refused_with_what_it_looks_like(tmp_path):
    wxr = tmp_path / "wordpress.xml"
    wxr.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2'
        "</wp:wxr_version></channel></rss>"
    )
    with pytest.raises(FileRefused, match=r"not a Disqus export.*(WordPress|<rss>)"):
        next(disqus.parse(wxr))

    commento = FIXTURES / "commento" / "export.json"
    with pytest.raises(FileRefused, match="not a Disqus export; it looks like a Commento"):
        next(disqus.parse(commento))

    text = tmp_path / "notes.txt"
    text.write_text("Just some notes about the harbour.\n")
    with pytest.raises(FileRefused, match="looks like a text file"):
        next(disqus.parse(text))

    binary = tmp_path / "picture.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(FileRefused, match="binary file"):
        next(disqus.parse(binary))


def test_an_entity_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE disqus [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><disqus xmlns="http://disqus.com">'
        "<thread><title>&b;</title></thread></disqus>"
    )

    with pytest.raises(FileRefused, match="entities"):
        list(disqus.parse(path))


def test_a_file_larger_than_the_limit_is_refused(tmp_path, settings):
    settings.TRANSFER_MAX_FILE_BYTES = 1000
    path = tmp_path / "export.xml.gz"
    path.write_bytes(gzip.compress(EXPORT.read_bytes()))

    with pytest.raises(FileRefused, match="more than"):
        next(disqus.parse(path))


def test_looks_like_knows_a_disqus_export_from_a_wordpress_one():
    assert disqus.looks_like(EXPORT.read_bytes()[:4096])
    assert not disqus.looks_like(
        b'<?xml version="1.0"?><rss xmlns:dsq="http://www.disqus.com/"><channel>'
    )


def strip_lines(records: list) -> list:
    """Records without their line numbers (junk before the XML shifts them)."""
    from dataclasses import replace

    return [replace(r, line=None) if hasattr(r, "line") else r for r in records]

"""Reading a Commento (or Commento++) JSON export into records."""

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from masthead.transfer.formats import commento
from masthead.transfer.records import (
    CommentRecord,
    FileRefused,
    Skip,
    SourceRecord,
    ThreadRecord,
)

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = FIXTURES / "commento" / "export.json"
BUDGET = "gazette.example/2021/06/harbour-budget/"
FISHING = "gazette.example/opinion/fishing-rights/"


def hex_id(n: int) -> str:
    return f"c1a0{'0' * 58}{n:02d}"


def parsed(path=EXPORT) -> list:
    return list(commento.parse(path))


def comments(records) -> dict[str, CommentRecord]:
    return {r.source_id: r for r in records if isinstance(r, CommentRecord)}


def test_the_stream_starts_with_the_domain_and_gives_one_thread_per_page():
    records = parsed()

    assert records[0] == SourceRecord(system="commento", site="gazette.example")
    found = [r for r in records if isinstance(r, ThreadRecord)]
    assert found == [
        ThreadRecord(
            source_id=BUDGET,
            url="https://gazette.example/2021/06/harbour-budget/",
            identifier="/2021/06/harbour-budget/",
        ),
        ThreadRecord(
            source_id=FISHING,
            url="https://gazette.example/opinion/fishing-rights/",
            identifier="/opinion/fishing-rights/",
        ),
    ]
    # Each thread comes before the first comment on its page.
    first_fishing = next(i for i, r in enumerate(records) if getattr(r, "thread_id", "") == FISHING)
    assert records.index(found[1]) < first_fishing


def test_authors_named_in_commenters_after_the_comments_are_resolved():
    found = comments(parsed())

    olga = found[hex_id(1)]
    assert olga.author_name == "Ольга Петрова"
    assert olga.author_email == "olga@mail.example"
    assert olga.author_url == "https://olga.example"
    assert olga.kept["provider"] == "commento"
    # Commento++ writes "undefined" for what a guest did not give.
    guest = found[hex_id(17)]
    assert guest.author_name == "Passer-by"
    assert guest.author_email == ""
    assert guest.author_url == ""
    assert found[hex_id(2)].author_url == ""


def test_anonymous_comments_are_signed_anonymous_and_unknown_commenters_left_blank():
    found = comments(parsed())

    assert found[hex_id(5)].author_name == "Anonymous"
    assert found[hex_id(5)].kept["anonymous"] is True
    assert found[hex_id(16)].author_name == ""
    assert found[hex_id(16)].kept["commenter"].startswith("f0f0")


def test_replies_keep_their_parent_at_every_depth_even_when_the_parent_comes_later():
    records = parsed()
    found = comments(records)

    assert found[hex_id(1)].parent_id == ""
    assert found[hex_id(2)].parent_id == hex_id(1)
    assert found[hex_id(3)].parent_id == hex_id(2)
    assert found[hex_id(4)].parent_id == hex_id(3)
    order = list(found)
    assert order.index(hex_id(3)) < order.index(hex_id(2))


def test_markdown_is_the_body_and_score_becomes_votes():
    found = comments(parsed())

    first = found[hex_id(1)]
    assert first.body == "Где деньги на **новый причал**?"
    assert first.body_format == "markdown"
    assert (first.upvotes, first.downvotes) == (3, 0)
    assert (found[hex_id(2)].upvotes, found[hex_id(2)].downvotes) == (0, 2)
    assert found[hex_id(5)].body == "شكراً على المقال 🎣🌊"
    assert found[hex_id(15)].body == (
        'Nice <script>alert("x")</script> [click](javascript:steal())'
    )


def test_moderation_states_and_deletions_map_to_statuses():
    found = comments(parsed())

    assert found[hex_id(1)].status == "published"
    assert found[hex_id(6)].status == "pending"
    # Commento holds what its spam and toxicity filters flag for a moderator to approve.
    assert found[hex_id(7)].status == "pending"
    assert found[hex_id(7)].kept["state"] == "flagged"
    # Deleted with a reply (Commento++ says "deleted": true) ...
    assert found[hex_id(8)].status == "deleted"
    assert found[hex_id(9)].parent_id == hex_id(8)
    assert found[hex_id(9)].status == "published"
    # ... and without (Commento only rewrites the text and the author).
    assert found[hex_id(10)].status == "deleted"


def test_dates_are_read_as_utc_and_an_unreadable_one_is_flagged():
    found = comments(parsed())

    assert found[hex_id(1)].created == datetime(2021, 6, 3, 9, 0, 0, 123456, tzinfo=UTC)
    assert found[hex_id(14)].created == datetime(2022, 1, 11, 0, 30, tzinfo=UTC)
    assert found[hex_id(13)].created is None
    assert found[hex_id(13)].meta["unreadable_date"] == "the day before yesterday"


def test_entries_that_cannot_be_imported_are_reported_with_their_reason():
    records = parsed()

    assert [(r.reason, r.source_id) for r in records if isinstance(r, Skip)] == [
        ("no_id", ""),
        ("duplicate_id", hex_id(1)),
        ("no_target", hex_id(12)),
    ]
    assert comments(records)[hex_id(1)].author_name == "Ольга Петрова"


def test_a_gzipped_export_reads_as_the_plain_one(tmp_path):
    path = tmp_path / "commento-export.json.gz"
    path.write_bytes(gzip.compress(EXPORT.read_bytes()))

    assert parsed(path) == parsed()


def test_an_export_cut_short_is_refused_before_anything_is_yielded(tmp_path):
    data = EXPORT.read_bytes()
    path = tmp_path / "export.json"
    path.write_bytes(data[: data.index(b'"commenters"')])

    with pytest.raises(FileRefused, match="cut short"):
        next(commento.parse(path))


def test_an_export_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "export.json"
    path.write_bytes(EXPORT.read_bytes().replace("Ольга".encode(), "Ольга".encode("cp1251")))

    with pytest.raises(FileRefused, match="not UTF-8"):
        next(commento.parse(path))


def test_an_export_of_another_version_is_refused(tmp_path):
    data = json.loads(EXPORT.read_text())
    data["version"] = 2
    path = tmp_path / "export.json"
    path.write_text(json.dumps(data))

    with pytest.raises(FileRefused, match="version 2"):
        next(commento.parse(path))


def test_an_empty_export_gives_only_its_source(tmp_path):
    path = tmp_path / "export.json"
    path.write_text('{"version": 1, "comments": [], "commenters": []}')

    assert parsed(path) == [SourceRecord(system="commento")]


def test_a_file_of_another_format_is_refused_with_what_it_looks_like(tmp_path):
    with pytest.raises(FileRefused, match="not a Commento export; it looks like a Disqus"):
        next(commento.parse(FIXTURES / "disqus" / "export.xml"))
    with pytest.raises(FileRefused, match="looks like a Remark42"):
        next(commento.parse(FIXTURES / "remark42" / "backup-gazette.jsonl"))

    other = tmp_path / "other.json"
    other.write_text('{"posts": [{"title": "Not comments"}]}')
    with pytest.raises(FileRefused, match="looks like a JSON document"):
        next(commento.parse(other))


def test_a_file_larger_than_the_limit_is_refused(tmp_path, settings):
    settings.TRANSFER_MAX_FILE_BYTES = 1000

    with pytest.raises(FileRefused, match="more than"):
        next(commento.parse(EXPORT))

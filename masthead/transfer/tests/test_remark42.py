"""Reading a Remark42 backup (gzipped JSON lines) into records."""

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from masthead.transfer.formats import remark42
from masthead.transfer.records import (
    CommentRecord,
    FileRefused,
    Skip,
    SourceRecord,
    ThreadRecord,
)

FIXTURES = Path(__file__).parent / "fixtures"
LINES = FIXTURES / "remark42" / "backup-gazette.jsonl"
BUDGET = "https://gazette.example/2021/06/harbour-budget/"
FISHING = "https://gazette.example/opinion/fishing-rights/"


def uid(n: int) -> str:
    return f"7c1b0d9e-{n:04d}-4000-8000-{n:012d}"


@pytest.fixture
def backup(tmp_path) -> Path:
    """The fixture as Remark42 delivers it: gzipped."""
    path = tmp_path / "backup-gazette-20220203.gz"
    path.write_bytes(gzip.compress(LINES.read_bytes()))
    return path


def comments(records) -> dict[str, CommentRecord]:
    return {r.source_id: r for r in records if isinstance(r, CommentRecord)}


def test_the_stream_starts_with_the_site_and_gives_one_thread_per_page(backup):
    records = list(remark42.parse(backup))

    assert records[0] == SourceRecord(system="remark42", site="gazette")
    found = [r for r in records if isinstance(r, ThreadRecord)]
    assert [(t.source_id, t.url, t.identifier, t.title, t.closed) for t in found] == [
        (BUDGET, BUDGET, BUDGET, "Бюджет гавани", False),
        # Read-only in the backup's first line: closed for new comments.
        (FISHING, FISHING, FISHING, "حقوق الصيد", True),
    ]


def test_a_comment_keeps_its_author_date_html_and_what_was_typed(backup):
    first = comments(remark42.parse(backup))[uid(1)]

    assert first.thread_id == BUDGET
    assert first.author_name == "Ольга Петрова"
    assert first.author_email == ""
    assert first.created == datetime(2021, 6, 3, 9, 0, tzinfo=UTC)
    assert first.body == "<p>Где деньги на <strong>новый причал</strong>?</p>\n"
    assert first.body_format == "html"
    assert first.kept["orig"] == "Где деньги на **новый причал**?"
    assert first.kept["user_id"] == "github_olga"
    assert first.kept["verified"] is True
    assert first.status == "published"


def test_votes_are_counted_from_voters_or_else_from_the_score(backup):
    found = comments(remark42.parse(backup))

    assert (found[uid(1)].upvotes, found[uid(1)].downvotes) == (3, 1)
    assert (found[uid(2)].upvotes, found[uid(2)].downvotes) == (0, 2)


def test_replies_keep_their_parent_at_every_depth_even_when_the_parent_comes_later(backup):
    found = comments(remark42.parse(backup))

    assert found[uid(1)].parent_id == ""
    assert found[uid(2)].parent_id == uid(1)
    assert found[uid(3)].parent_id == uid(2)
    assert found[uid(4)].parent_id == uid(3)
    order = list(found)
    assert order.index(uid(3)) < order.index(uid(2))


def test_pins_edits_and_deletions_come_across(backup):
    found = comments(remark42.parse(backup))

    assert found[uid(2)].sticky
    assert not found[uid(1)].sticky
    assert found[uid(2)].meta["edited"] == "2021-06-03T10:05:00+00:00"
    assert found[uid(2)].kept["edit_summary"] == "typo"
    assert found[uid(5)].status == "deleted"
    assert found[uid(6)].parent_id == uid(5)
    assert found[uid(6)].status == "published"
    assert found[uid(7)].status == "deleted"


def test_dates_are_read_as_utc_and_an_unreadable_one_is_flagged(backup):
    found = comments(remark42.parse(backup))

    # Nanoseconds, as Go writes them, are cut to microseconds.
    assert found[uid(2)].created == datetime(2021, 6, 3, 10, 0, 0, 123456, tzinfo=UTC)
    assert found[uid(11)].created == datetime(2022, 1, 11, 0, 30, tzinfo=UTC)
    assert found[uid(10)].created is None
    assert found[uid(10)].meta["unreadable_date"] == "sometime"


def test_text_is_kept_as_written_in_any_script(backup):
    found = comments(remark42.parse(backup))

    assert found[uid(11)].body == '<p onclick="steal()">Nice<script>alert("x")</script></p>'
    assert found[uid(10)].body == "<p>شكراً على المقال 🎣🌊</p>"
    assert found[uid(10)].author_name == "سمير"


def test_no_address_or_address_hash_reaches_a_record(backup):
    text = repr(list(remark42.parse(backup)))

    assert "8f14e45fceea167a5a36dedd4bea2543dd2c3c6d" not in text
    assert "45c48cce2e2d7fbdea1afc51c7c6ad260000bbbb" not in text


def test_lines_that_cannot_be_imported_are_reported_with_their_reason_and_line(backup):
    records = list(remark42.parse(backup))

    assert [(r.reason, r.source_id, r.line) for r in records if isinstance(r, Skip)] == [
        ("no_id", "", 9),
        ("duplicate_id", uid(1), 10),
        ("no_target", uid(9), 11),
        ("malformed", "", 12),
    ]
    assert comments(records)[uid(1)].author_name == "Ольга Петрова"


def test_a_line_that_is_not_utf8_is_skipped_and_the_rest_read(tmp_path):
    lines = LINES.read_bytes().splitlines(keepends=True)
    lines[3] = lines[3].replace(b"Second level", b"\xff\xfe")
    path = tmp_path / "backup.gz"
    path.write_bytes(gzip.compress(b"".join(lines)))

    records = list(remark42.parse(path))

    assert ("malformed", 4) in [(r.reason, r.line) for r in records if isinstance(r, Skip)]
    assert uid(2) not in comments(records)
    assert uid(4) in comments(records)


def test_a_backup_cut_short_yields_what_was_read_then_is_refused(tmp_path):
    data = LINES.read_bytes()
    path = tmp_path / "backup.jsonl"
    path.write_bytes(data[: data.index(b"Fourth level")])

    read = []
    with pytest.raises(FileRefused, match="cut short"):
        read.extend(remark42.parse(path))
    assert read[0] == SourceRecord(system="remark42", site="gazette")
    assert uid(3) in comments(read)

    compressed = gzip.compress(data)
    path.write_bytes(compressed[: len(compressed) // 2])
    with pytest.raises(FileRefused, match="cut short"):
        list(remark42.parse(path))


def test_a_backup_of_another_version_is_refused(tmp_path):
    lines = LINES.read_text().splitlines(keepends=True)
    meta = json.loads(lines[0])
    meta["version"] = 7
    path = tmp_path / "backup.jsonl"
    path.write_text(json.dumps(meta) + "\n" + "".join(lines[1:]))

    with pytest.raises(FileRefused, match="version 7"):
        next(remark42.parse(path))


def test_a_backup_without_its_first_line_still_reads_its_comments(tmp_path):
    path = tmp_path / "backup.jsonl"
    path.write_text("".join(LINES.read_text().splitlines(keepends=True)[1:]))

    records = list(remark42.parse(path))

    assert records[0] == SourceRecord(system="remark42", site="gazette")
    assert uid(1) in comments(records)
    assert not any(r.closed for r in records if isinstance(r, ThreadRecord))


def test_a_file_of_another_format_is_refused_with_what_it_looks_like(tmp_path):
    with pytest.raises(FileRefused, match="not a Remark42 backup; it looks like a Commento"):
        next(remark42.parse(FIXTURES / "commento" / "export.json"))
    with pytest.raises(FileRefused, match="looks like a Disqus"):
        next(remark42.parse(FIXTURES / "disqus" / "export.xml"))

    lines = tmp_path / "log.jsonl"
    lines.write_text('{"level": "info", "msg": "started"}\n')
    with pytest.raises(FileRefused, match="JSON document"):
        next(remark42.parse(lines))


def test_a_file_larger_than_the_limit_is_refused(backup, settings):
    settings.TRANSFER_MAX_FILE_BYTES = 1000

    with pytest.raises(FileRefused, match="more than"):
        list(remark42.parse(backup))


def test_an_overlong_line_is_skipped_without_being_held_in_memory(tmp_path, monkeypatch):
    monkeypatch.setattr(remark42, "MAX_LINE_BYTES", 1000)
    lines = LINES.read_text().splitlines(keepends=True)
    lines.insert(2, '{"id": "huge", "text": "' + "x" * 5000 + '"}\n')
    path = tmp_path / "backup.jsonl"
    path.write_text("".join(lines))

    records = list(remark42.parse(path))

    assert ("malformed", 3) in [(r.reason, r.line) for r in records if isinstance(r, Skip)]
    assert "huge" not in comments(records)
    assert uid(3) in comments(records)

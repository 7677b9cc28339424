"""Reading Isso's SQLite database, and the generic JSON its importer documents, into records."""

import gzip
import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from masthead.transfer.formats import isso
from masthead.transfer.records import (
    CommentRecord,
    FileRefused,
    Skip,
    SourceRecord,
    ThreadRecord,
)

FIXTURES = Path(__file__).parent / "fixtures"
GENERIC = FIXTURES / "isso" / "generic.json"

# The tables as Isso creates them (isso/db/threads.py and comments.py, schema version 5).
SCHEMA = """
CREATE TABLE IF NOT EXISTS preferences (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS threads (
    id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE, title VARCHAR(256));
CREATE TABLE IF NOT EXISTS comments (
    tid REFERENCES threads(id), id INTEGER PRIMARY KEY, parent INTEGER,
    created FLOAT NOT NULL, modified FLOAT, mode INTEGER, remote_addr VARCHAR,
    text VARCHAR NOT NULL, author VARCHAR, email VARCHAR, website VARCHAR,
    likes INTEGER DEFAULT 0, dislikes INTEGER DEFAULT 0, voters BLOB NOT NULL,
    notification INTEGER DEFAULT 0);
"""
# Before Isso 0.12.2: no notification column, and a text could be NULL.
OLD_SCHEMA = """
CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE, title VARCHAR(256));
CREATE TABLE comments (
    tid REFERENCES threads(id), id INTEGER PRIMARY KEY, parent INTEGER,
    created FLOAT NOT NULL, modified FLOAT, mode INTEGER, remote_addr VARCHAR,
    text VARCHAR, author VARCHAR, email VARCHAR, website VARCHAR,
    likes INTEGER DEFAULT 0, dislikes INTEGER DEFAULT 0, voters BLOB NOT NULL);
"""
JUNE_3 = datetime(2021, 6, 3, 9, 0, tzinfo=UTC).timestamp()
THREADS = [
    (1, "/2021/06/harbour-budget/", "Бюджет гавани на 2022 год"),
    (2, "https://gazette.example/opinion/fishing-rights/", "حقوق الصيد في الميناء"),
]
# (tid, id, parent, created, modified, mode, remote_addr, text, author, email, website,
#  likes, dislikes)
COMMENTS = [
    (
        1,
        1,
        None,
        JUNE_3,
        None,
        1,
        "192.0.2.0",
        "Где деньги на **новый причал**?",
        "Ольга Петрова",
        "olga@mail.example",
        "https://olga.example",
        5,
        1,
    ),
    # Written before its parent (3): ids are not always in reply order after a migration.
    (1, 2, 3, JUNE_3 + 7200, None, 1, "192.0.2.0", "Third level.", "Olga", None, None, 0, 0),
    (
        1,
        3,
        1,
        JUNE_3 + 3600,
        JUNE_3 + 3700,
        1,
        "198.51.100.0",
        "Second level.",
        "Sam",
        "sam@mail.example",
        None,
        0,
        0,
    ),
    (1, 4, 2, JUNE_3 + 9000, None, 1, "198.51.100.0", "Fourth level.", "Sam", None, None, 0, 0),
    (1, 5, None, JUNE_3 + 86400, None, 4, "203.0.113.0", "", None, None, None, 0, 0),
    (
        1,
        6,
        5,
        JUNE_3 + 90000,
        None,
        1,
        "203.0.113.0",
        "I saw what you wrote.",
        "Witness",
        None,
        None,
        0,
        0,
    ),
    (1, 7, None, JUNE_3 + 99000, None, 4, "203.0.113.0", "", None, None, None, 0, 0),
    (
        2,
        8,
        None,
        JUNE_3 + 200000,
        None,
        2,
        "203.0.113.0",
        "Awaiting a moderator.",
        "Harold",
        None,
        None,
        0,
        0,
    ),
    (2, 9, None, "not a time", None, 1, "203.0.113.0", "When was this?", "Vague", None, None, 0, 0),
    (
        2,
        10,
        None,
        JUNE_3,
        None,
        1,
        "203.0.113.0",
        'Nice <script>alert("x")</script>',
        "سمير",
        None,
        None,
        0,
        3,
    ),
    (2, 11, None, JUNE_3, None, 1, "2001:db8::", "شكراً على المقال 🎣🌊", "سمير", None, None, 0, 0),
    # A thread row the trigger failed to keep, and a comment with no thread at all.
    (99, 12, None, JUNE_3, None, 1, "203.0.113.0", "Elsewhere.", "Lost", None, None, 0, 0),
    (None, 13, None, JUNE_3, None, 1, "203.0.113.0", "Nowhere.", "Lost", None, None, 0, 0),
]


def isso_database(path: Path, *, schema: str = SCHEMA, comments=COMMENTS) -> Path:
    connection = sqlite3.connect(path)
    connection.executescript(schema)
    connection.executemany("INSERT INTO threads VALUES (?, ?, ?)", THREADS)
    connection.executemany(
        "INSERT INTO comments (tid, id, parent, created, modified, mode, remote_addr, text, "
        "author, email, website, likes, dislikes, voters) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, x'00')",
        comments,
    )
    connection.commit()
    connection.close()
    return path


def comments(records) -> dict[str, CommentRecord]:
    return {r.source_id: r for r in records if isinstance(r, CommentRecord)}


@pytest.fixture
def database(tmp_path) -> Path:
    return isso_database(tmp_path / "comments.db")


def test_threads_come_with_their_uri_and_an_address_only_when_absolute(database):
    records = list(isso.parse(database))

    assert records[0] == SourceRecord(system="isso")
    assert [r for r in records if isinstance(r, ThreadRecord)] == [
        ThreadRecord(
            source_id="1",
            identifier="/2021/06/harbour-budget/",
            title="Бюджет гавани на 2022 год",
        ),
        ThreadRecord(
            source_id="2",
            url="https://gazette.example/opinion/fishing-rights/",
            identifier="https://gazette.example/opinion/fishing-rights/",
            title="حقوق الصيد في الميناء",
        ),
    ]


def test_a_comment_keeps_its_author_date_text_and_votes(database):
    first = comments(isso.parse(database))["1"]

    assert first.thread_id == "1"
    assert first.author_name == "Ольга Петрова"
    assert first.author_email == "olga@mail.example"
    assert first.author_url == "https://olga.example"
    assert first.created == datetime(2021, 6, 3, 9, 0, tzinfo=UTC)
    assert first.body == "Где деньги на **новый причал**?"
    assert first.body_format == "markdown"
    assert (first.upvotes, first.downvotes) == (5, 1)
    assert first.status == "published"


def test_comments_isso_migrated_as_html_are_read_as_html_and_the_rest_as_markdown(tmp_path):
    # Isso's own Disqus and WordPress migration stores the old comment's HTML in "text".
    rows = [
        (1, 1, None, JUNE_3, None, 1, "", "<p>Hi Nikolai,</p><p>thanks!<br>Ana</p>", "Ana",
         None, None, 0, 0),
        (1, 2, None, JUNE_3, None, 1, "", "**Bold** and 2 < 3 > 1", "Bo", None, None, 0, 0),
    ]  # fmt: skip
    found = comments(isso.parse(isso_database(tmp_path / "c.db", comments=rows)))

    assert found["1"].body_format == "html"
    assert found["2"].body_format == "markdown"


def test_replies_keep_their_parent_at_every_depth(database):
    records = list(isso.parse(database))
    found = comments(records)

    assert found["3"].parent_id == "1"
    assert found["2"].parent_id == "3"
    assert found["4"].parent_id == "2"
    order = list(found)
    assert order.index("2") < order.index("3")


def test_modes_become_statuses(database):
    found = comments(isso.parse(database))

    assert found["5"].status == "deleted"
    assert found["6"].parent_id == "5"
    assert found["6"].status == "published"
    assert found["7"].status == "deleted"
    assert found["8"].status == "pending"


def test_dates_and_edits_are_read_and_an_unreadable_date_is_flagged(database):
    found = comments(isso.parse(database))

    assert found["3"].meta["edited"] == "2021-06-03T10:01:40+00:00"
    assert found["9"].created is None
    assert found["9"].meta["unreadable_date"] == "not a time"


def test_text_is_kept_as_written_in_any_script(database):
    found = comments(isso.parse(database))

    assert found["10"].body == 'Nice <script>alert("x")</script>'
    assert found["11"].body == "شكراً على المقال 🎣🌊"
    assert found["11"].author_name == "سمير"


def test_no_ip_address_reaches_a_record(database):
    text = repr(list(isso.parse(database)))

    for address in ("192.0.2.0", "198.51.100.0", "203.0.113.0", "2001:db8::"):
        assert address not in text


def test_a_comment_without_a_thread_is_skipped_and_one_with_a_lost_thread_left_to_the_importer(
    database,
):
    records = list(isso.parse(database))

    assert [(r.reason, r.source_id) for r in records if isinstance(r, Skip)] == [
        ("orphan_thread", "13")
    ]
    assert comments(records)["12"].thread_id == "99"


def test_the_database_is_only_read(database):
    before = database.read_bytes()

    list(isso.parse(database))

    assert database.read_bytes() == before
    assert sorted(p.name for p in database.parent.iterdir()) == ["comments.db"]


def test_a_database_of_an_older_isso_is_read(tmp_path):
    rows = [(*COMMENTS[0][:7], None, *COMMENTS[0][8:])]
    path = isso_database(tmp_path / "old.db", schema=OLD_SCHEMA, comments=rows)

    (only,) = comments(isso.parse(path)).values()

    assert only.body == ""
    assert only.author_name == "Ольга Петрова"


def test_a_gzipped_database_is_unpacked_and_the_copy_removed(tmp_path, database):
    path = tmp_path / "comments.db.gz"
    path.write_bytes(gzip.compress(database.read_bytes()))
    leftovers = set(Path(tempfile.gettempdir()).glob("*.db"))

    assert list(isso.parse(path)) == list(isso.parse(database))
    assert set(Path(tempfile.gettempdir()).glob("*.db")) == leftovers


def test_another_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE threads (id INTEGER PRIMARY KEY, remote_addr VARCHAR)")
    connection.commit()
    connection.close()

    with pytest.raises(FileRefused, match="not Isso's"):
        next(isso.parse(path))

    path.unlink()
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    connection.commit()
    connection.close()
    with pytest.raises(FileRefused, match=r"not an Isso database.*an SQLite database"):
        next(isso.parse(path))


def test_a_database_cut_short_is_refused(tmp_path):
    path = tmp_path / "comments.db"
    rows = [
        (
            1,
            n,
            None,
            JUNE_3,
            None,
            1,
            "192.0.2.0",
            f"Comment {n} " + "x" * 500,
            "Reader",
            None,
            None,
            0,
            0,
        )
        for n in range(1, 200)
    ]
    isso_database(path, comments=rows)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])

    with pytest.raises(FileRefused, match="damaged"):
        list(isso.parse(path))


def test_the_generic_json_maps_like_the_database():
    records = list(isso.parse(GENERIC))
    found = comments(records)

    assert records[0] == SourceRecord(system="isso")
    assert [r for r in records if isinstance(r, ThreadRecord)] == [
        ThreadRecord(
            source_id="/2021/06/harbour-budget/",
            identifier="/2021/06/harbour-budget/",
            title="Бюджет гавани на 2022 год",
        ),
        ThreadRecord(
            source_id="https://gazette.example/opinion/fishing-rights/",
            url="https://gazette.example/opinion/fishing-rights/",
            identifier="https://gazette.example/opinion/fishing-rights/",
            title="حقوق الصيد في الميناء",
        ),
    ]
    first = found["/2021/06/harbour-budget/#1"]
    assert first.author_name == "Ольга Петрова"
    assert first.author_url == "https://olga.example"
    # "YYYY-mm-dd HH:MM:SS" carries no zone: it is read as UTC.
    assert first.created == datetime(2021, 6, 3, 9, 0, tzinfo=UTC)
    assert found["/2021/06/harbour-budget/#2"].body == 'Nice <script>alert("x")</script>'
    assert found["/2021/06/harbour-budget/#3"].meta["unreadable_date"] == "sometime in June"
    # Comment ids repeat across threads.
    assert found["https://gazette.example/opinion/fishing-rights/#1"].author_name == "Harold"
    assert "192.0.2.10" not in repr(records)


def test_the_generic_json_honours_parent_mode_and_votes_when_present():
    reply = comments(isso.parse(GENERIC))["/2021/06/harbour-budget/#5"]

    assert reply.parent_id == "/2021/06/harbour-budget/#1"
    assert reply.status == "deleted"
    assert (reply.upvotes, reply.downvotes) == (2, 1)
    assert reply.created == datetime(2021, 6, 4, 10, 0, tzinfo=UTC)


def test_the_generic_json_reports_what_it_cannot_import():
    records = list(isso.parse(GENERIC))

    assert [(r.reason, r.source_id) for r in records if isinstance(r, Skip)] == [
        ("duplicate_id", "/2021/06/harbour-budget/#1"),
        ("no_id", ""),
        ("empty_thread_id", ""),
    ]


def test_a_json_file_cut_short_yields_what_was_read_then_is_refused(tmp_path):
    data = GENERIC.read_bytes()
    path = tmp_path / "generic.json"
    path.write_bytes(data[: data.index(b"Same id as a comment")])

    stream = isso.parse(path)
    read = []
    with pytest.raises(FileRefused, match="cut short"):
        read.extend(stream)
    assert "/2021/06/harbour-budget/#5" in comments(read)

    # Nothing whole was read: refused before the first record.
    path.write_bytes(data[: data.index("Ольга".encode())])
    with pytest.raises(FileRefused, match="cut short"):
        next(isso.parse(path))


def test_a_file_of_another_format_is_refused_with_what_it_looks_like(tmp_path):
    with pytest.raises(FileRefused, match=r"not an Isso database or JSON export.*Commento"):
        next(isso.parse(FIXTURES / "commento" / "export.json"))

    text = tmp_path / "comments.csv"
    text.write_text('"page: URI","page: title","ID"\n')
    with pytest.raises(FileRefused, match="text file"):
        next(isso.parse(text))

"""Isso: its SQLite database (the file named by `[general] dbpath`), or the "generic" JSON its
own importer reads (`isso import -t generic`).

The database has `threads(id, uri, title)` and `comments(tid, id, parent, created, modified,
mode, remote_addr, text, author, email, website, likes, dislikes, voters, notification)`;
`mode` is 1 for a published comment, 2 for one awaiting moderation, 4 for a deleted one kept
for its replies. The JSON is a list of threads, `{"id": uri, "title", "comments": [{"id",
"author", "email", "website", "remote_addr", "created": "YYYY-mm-dd HH:MM:SS", "text"}]}`.
Addresses (`remote_addr`) are never read into records. docs/import-formats.md has the mapping.
"""

import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import ijson
from django.utils.translation import gettext as _

from masthead.transfer.formats.commento import json_problem
from masthead.transfer.formats.disqus import seems_to_be
from masthead.transfer.formats.opening import source_head, source_open
from masthead.transfer.records import (
    CommentRecord,
    FileRefused,
    Record,
    Skip,
    SourceRecord,
    ThreadRecord,
)

SQLITE_HEADER = b"SQLite format 3\x00"
_MODES = {1: "published", 2: "pending", 4: "deleted"}
# Columns read from `comments`; databases older than Isso 0.12 lack `notification`, which is
# not read, and may hold NULL texts.
_COLUMNS = (
    "id",
    "tid",
    "parent",
    "created",
    "modified",
    "mode",
    "text",
    "author",
    "email",
    "website",
    "likes",
    "dislikes",
)

# The markup of a comment Isso's migration copied as HTML (paragraphs, breaks, links...).
_HTML = re.compile(
    r"<(?:p|br|a|em|strong|b|i|u|blockquote|code|pre|ul|ol|li|span|div)(?:\s[^>]*)?/?>",
    re.IGNORECASE,
)


def looks_like(head: bytes) -> bool:
    if head.startswith(SQLITE_HEADER):
        # The schema is on the database's first page: an Isso one names both its tables.
        return b"threads" in head and b"remote_addr" in head
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(b"[") and b'"comments"' in head


def parse(path: Path | str) -> Iterator[Record]:
    """Yield the source, the threads, then the comments (in id order for a database)."""
    head = source_head(path)
    if not looks_like(head):
        raise FileRefused(
            _("This file is not an Isso database or JSON export; it looks like %(seems)s.")
            % {"seems": seems_to_be(head, besides="isso")}
        )
    if head.startswith(SQLITE_HEADER):
        yield from _database(path)
    else:
        yield from _json(path)


def _database(path: Path | str) -> Iterator[Record]:
    path = Path(path)
    with path.open("rb") as raw:
        plain = raw.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    copy = None
    try:
        if not plain:
            # SQLite needs a file: unpack a .gz or .zip (within opening's size limit) beside /tmp.
            with (
                source_open(path) as stream,
                tempfile.NamedTemporaryFile(suffix=".db", delete=False) as copy,
            ):
                shutil.copyfileobj(stream, copy, 1024 * 1024)
            path = Path(copy.name)
        yield from _database_records(path)
    finally:
        if copy is not None:
            Path(copy.name).unlink(missing_ok=True)


def _database_records(path: Path) -> Iterator[Record]:
    yielded = False
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise FileRefused(
            _("The Isso database cannot be opened: %(error)s") % {"error": error}
        ) from error
    try:
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if not {"threads", "comments"} <= tables:
            raise FileRefused(
                _("This SQLite database is not Isso's: it has no threads and comments tables.")
            )
        present = {row[1] for row in connection.execute("PRAGMA table_info(comments)")}
        columns = [name if name in present else f"NULL AS {name}" for name in _COLUMNS]

        yield SourceRecord(system="isso")
        yielded = True
        for thread_id, uri, title in connection.execute(
            "SELECT id, uri, title FROM threads ORDER BY id"
        ):
            yield _thread(str(thread_id), uri, title)

        # The column list is built from _COLUMNS above, never from the file.
        query = f"SELECT {', '.join(columns)} FROM comments ORDER BY id"  # noqa: S608
        for row in connection.execute(query):
            fields = dict(zip(_COLUMNS, row, strict=True))
            source_id = "" if fields["id"] is None else str(fields["id"])
            if fields["tid"] is None:
                yield Skip("orphan_thread", source_id=source_id)
                continue
            parent = fields["parent"]
            yield _comment(
                fields,
                source_id=source_id,
                thread_id=str(fields["tid"]),
                parent_id="" if parent is None else str(parent),
            )
    except sqlite3.DatabaseError as error:
        if yielded:
            raise FileRefused(
                _("The Isso database is damaged after its last readable comment: %(error)s")
                % {"error": error}
            ) from error
        raise FileRefused(
            _("The Isso database is damaged: %(error)s") % {"error": error}
        ) from error
    finally:
        connection.close()


def _json(path: Path | str) -> Iterator[Record]:
    """The generic format: comment ids are unique within their thread only, so a comment's
    source id is "<thread id>#<comment id>". Each thread, with its comments, is one item in
    memory; the list is streamed."""
    threads_seen: set[str] = set()
    comments_seen: set[str] = set()
    read_any = False
    last = ""
    with source_open(path) as stream:
        try:
            for thread in ijson.items(stream, "item", use_float=True):
                if not read_any:
                    yield SourceRecord(system="isso")
                    read_any = True
                if not isinstance(thread, dict):
                    yield Skip("malformed", detail=str(thread)[:100])
                    continue
                thread_id = last = _id(thread.get("id"))
                if not thread_id:
                    yield Skip("empty_thread_id", detail=_string(thread.get("title")))
                    continue
                if thread_id in threads_seen:
                    # Its comments join the first thread of that address (one page, one thread).
                    yield Skip("duplicate_id", source_id=thread_id, detail=_("discussion"))
                else:
                    threads_seen.add(thread_id)
                    yield _thread(thread_id, thread_id, thread.get("title"))
                comments = thread.get("comments")
                if not isinstance(comments, list):
                    comments = []
                for comment in comments:
                    yield _json_comment(comment, thread_id, comments_seen)
        except ijson.JSONError as error:
            if read_any:
                raise FileRefused(
                    _("%(problem)s The last discussion read whole was %(last)s.")
                    % {"problem": json_problem(error), "last": last or "-"}
                ) from error
            raise FileRefused(json_problem(error)) from error
    if not read_any:
        yield SourceRecord(system="isso")


def _json_comment(comment, thread_id: str, seen: set[str]) -> Record:
    if not isinstance(comment, dict):
        return Skip("malformed", detail=str(comment)[:100])
    number = _id(comment.get("id"))
    if not number:
        return Skip("no_id", detail=_string(comment.get("created")))
    source_id = f"{thread_id}#{number}"
    if source_id in seen:
        return Skip("duplicate_id", source_id=source_id)
    seen.add(source_id)
    # Isso's importer makes every generic comment top-level and published; a file written from
    # an Isso database may carry "parent", "mode", "likes" and "dislikes", which are honoured.
    parent = _id(comment.get("parent"))
    return _comment(
        comment,
        source_id=source_id,
        thread_id=thread_id,
        parent_id=f"{thread_id}#{parent}" if parent else "",
    )


def _thread(source_id: str, uri, title) -> ThreadRecord:
    uri = _string(uri)
    absolute = uri.startswith(("http://", "https://"))
    return ThreadRecord(
        source_id=source_id, url=uri if absolute else "", identifier=uri, title=_string(title)
    )


def _comment(fields: dict, *, source_id: str, thread_id: str, parent_id: str) -> CommentRecord:
    meta: dict = {}
    kept: dict = {}
    created, raw = _date(fields.get("created"))
    if raw:
        meta["unreadable_date"] = raw
    modified, _raw = _date(fields.get("modified"))
    if modified:
        meta["edited"] = modified.isoformat()
    mode = _number(fields.get("mode"), default=1)
    status = _MODES.get(mode)
    if status is None:
        # An unknown state is held for a moderator rather than published.
        status = "pending"
        kept["mode"] = mode
    text = fields.get("text")
    text = text if isinstance(text, str) else ""
    return CommentRecord(
        source_id=source_id,
        thread_id=thread_id,
        parent_id=parent_id,
        author_name=_string(fields.get("author")),
        author_email=_string(fields.get("email")),
        author_url=_string(fields.get("website")),
        created=created,
        body=text,
        # Isso renders Markdown and lets HTML through; comments its own migration brought from
        # Disqus or WordPress are stored as their HTML, which Markdown would show as tags.
        body_format="html" if _HTML.search(text) else "markdown",
        status=status,
        upvotes=max(_number(fields.get("likes")), 0),
        downvotes=max(_number(fields.get("dislikes")), 0),
        meta=meta,
        kept=kept,
    )


def _string(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _number(value, default: int = 0) -> int:
    if isinstance(value, bool):
        return default
    if isinstance(value, int | float | Decimal):
        return int(value)
    try:
        return int(str(value).strip())
    except ValueError:
        return default


def _id(value) -> str:
    """A comment id as text: 7, 7.0 and "7" are the same comment."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        try:
            return str(int(value)) if value == int(value) else str(value)
        except (ValueError, OverflowError):  # NaN, infinity
            return ""
    return _string(value) if isinstance(value, str) else ""


def _date(value) -> tuple[datetime | None, str]:
    """(aware UTC datetime, "") or (None, raw) for a date that cannot be read.

    The database stores Unix time as a float. The generic JSON writes "YYYY-mm-dd HH:MM:SS"
    without a zone (Isso's importer reads it in the server's local time, which the file does
    not say): it is taken as UTC. ISO 8601 with a zone and Unix numbers are read too.
    """
    if value is None or value == "":
        return None, ""
    try:
        if isinstance(value, bool):
            raise ValueError(value)
        if isinstance(value, int | float | Decimal):
            return datetime.fromtimestamp(float(value), tz=UTC), ""
        text = str(value).strip()
        try:
            return datetime.fromtimestamp(float(text), tz=UTC), ""
        except ValueError:
            parsed = datetime.fromisoformat(text)
    except (ValueError, OverflowError, OSError):
        return None, str(value)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC), ""
    return parsed.astimezone(UTC), ""

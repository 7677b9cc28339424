"""Remark42's backup (`backup-{site}-{date}.gz`, or the admin's export): gzipped JSON lines.

The first line is `{"version": 1, "users": [...], "posts": [{"url", "read_only"}]}`; every
following line is one comment: `{"id", "pid", "text" (HTML, already sanitized by Remark42),
"orig" (what was typed), "user": {"name", "id", "picture", "ip" (a keyed hash), "admin", ...},
"locator": {"site", "url"}, "score", "votes", "time", "pin", "delete", "title", ...}`.
docs/import-formats.md has the mapping.
"""

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from django.utils.translation import gettext as _

from masthead.transfer.formats.disqus import seems_to_be
from masthead.transfer.formats.opening import json_lines, source_head, source_open
from masthead.transfer.records import (
    CommentRecord,
    FileRefused,
    Record,
    Skip,
    SourceRecord,
    ThreadRecord,
    iso_date,
)

SUPPORTED_VERSIONS = {0, 1}
# A longer line is not a comment Remark42 wrote (comments are capped at a few kilobytes).
MAX_LINE_BYTES = 8 * 1024 * 1024


def looks_like(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text.startswith(b"{"):
        return False
    first_line = text.split(b"\n", 1)[0]
    if b'"locator"' in first_line:
        return True
    return b'"version"' in first_line and b'"posts"' in first_line and b'"users"' in first_line


def parse(path: Path | str) -> Iterator[Record]:
    """Yield the source (its site is the first comment's `locator.site`), each page's thread
    before its first comment, and the comments, in file order."""
    head = source_head(path)
    if not looks_like(head):
        raise FileRefused(
            _("This file is not a Remark42 backup; it looks like %(seems)s.")
            % {"seems": seems_to_be(head, besides="remark42")}
        )
    read_only: dict[str, bool] = {}
    # Lines that could not be read before the first comment names the site wait here: the
    # source record goes first.
    waiting: list[Record] = []
    source_sent = False
    meta_expected = True
    threads_seen: set[str] = set()
    comments_seen: set[str] = set()
    with source_open(path) as stream:
        for number, line, item in _lines(stream):
            first, meta_expected = meta_expected, False
            if item is None:
                skip = Skip("malformed", detail=line, line=number)
                if source_sent:
                    yield skip
                else:
                    waiting.append(skip)
                continue
            if first and "locator" not in item:
                read_only = _meta(item)
                continue
            if not source_sent:
                site = item.get("locator")
                site = _string(site.get("site")) if isinstance(site, dict) else ""
                yield SourceRecord(system="remark42", site=site)
                source_sent = True
                yield from waiting
                waiting.clear()
            yield from _comment(item, number, read_only, threads_seen, comments_seen)
    if not source_sent:
        yield SourceRecord(system="remark42")
        yield from waiting


def _lines(stream) -> Iterator[tuple[int, str, dict | None]]:
    return json_lines(
        stream,
        max_line_bytes=MAX_LINE_BYTES,
        cut_short=_(
            "The Remark42 backup is cut short: its last line (%(line)d) breaks off. "
            "What came before it was read; take a complete backup and import it."
        ),
    )


def _meta(item: dict) -> dict[str, bool]:
    """Check the first line's version and return url → read-only for its posts."""
    version = item.get("version", 0)
    if version not in SUPPORTED_VERSIONS:
        raise FileRefused(
            _("This Remark42 backup is version %(version)s; Masthead reads version 1.")
            % {"version": version}
        )
    read_only = {}
    posts = item.get("posts")
    for post in posts if isinstance(posts, list) else []:
        if isinstance(post, dict) and (url := _string(post.get("url"))):
            read_only[url] = post.get("read_only") is True
    return read_only


def _comment(
    item: dict, line: int, read_only: dict, threads_seen: set[str], comments_seen: set[str]
) -> Iterator[Record]:
    source_id = _string(item.get("id"))
    if not source_id:
        yield Skip("no_id", detail=_string(item.get("time")), line=line)
        return
    if source_id in comments_seen:
        yield Skip("duplicate_id", source_id=source_id, line=line)
        return
    comments_seen.add(source_id)
    locator = item.get("locator")
    url = _string(locator.get("url")) if isinstance(locator, dict) else ""
    if not url:
        yield Skip("no_target", source_id=source_id, line=line)
        return
    if url not in threads_seen:
        threads_seen.add(url)
        yield ThreadRecord(
            source_id=url,
            url=url,
            identifier=url,
            title=_string(item.get("title")),
            closed=read_only.get(url, False),
            line=line,
        )

    user = item.get("user")
    user = user if isinstance(user, dict) else {}
    # The user's "ip" (a keyed hash of the address) is left out on purpose.
    meta: dict = {}
    kept: dict = {"user_id": _string(user.get("id"))}
    for key in ("picture", "orig"):
        if value := _string(user.get(key) if key == "picture" else item.get(key)):
            kept[key] = value
    for key in ("admin", "verified"):
        if user.get(key) is True:
            kept[key] = True
    if item.get("imported") is True:
        kept["imported"] = True
    edit = item.get("edit")
    if isinstance(edit, dict):
        edited, _raw = _date(edit.get("time"))
        if edited:
            meta["edited"] = edited.isoformat()
        if summary := _string(edit.get("summary")):
            kept["edit_summary"] = summary
    created, raw = _date(item.get("time"))
    if raw:
        meta["unreadable_date"] = raw
    upvotes, downvotes = _votes(item)
    text = item.get("text")
    yield CommentRecord(
        source_id=source_id,
        thread_id=url,
        parent_id=_string(item.get("pid")),
        author_name=_string(user.get("name")),
        created=created,
        body=text if isinstance(text, str) else "",
        body_format="html",
        status="deleted" if item.get("delete") is True else "published",
        upvotes=upvotes,
        downvotes=downvotes,
        sticky=item.get("pin") is True,
        meta=meta,
        kept=kept,
        line=line,
    )


def _votes(item: dict) -> tuple[int, int]:
    """(up, down): counted from the voters map where the backup has it (older versions wrote
    it; newer ones leave it out), else from the net score, which cannot be split further."""
    votes = item.get("votes")
    if isinstance(votes, dict) and votes:
        up = sum(1 for value in votes.values() if value is True)
        return up, sum(1 for value in votes.values() if value is False)
    score = item.get("score")
    score = int(score) if isinstance(score, int | float) and not isinstance(score, bool) else 0
    return max(score, 0), max(-score, 0)


def _string(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _date(value) -> tuple[datetime | None, str]:
    """(aware UTC datetime, "") from RFC 3339 ("2017-12-20T15:18:22.123-06:00"), or
    (None, raw) when it cannot be read."""
    return iso_date(_string(value))

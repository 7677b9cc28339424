"""Masthead's own export (`masthead export comments|site --format json`): JSON lines.

The first line is the header `{"format": "masthead", "version": 1, "site", "exported",
"contains"}`; every other line is one record with a "type": "thread" or "comment", or, in a
site export, "author", "section", "image", "article" or "page". docs/export-format.md
describes every field.

A comment's stored HTML, edit time, anchor, moderation reasons and what it answered travel in
`CommentRecord.meta`, so that an export imported into an empty install and exported again
gives the same file but for ids and the export time.
"""

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from django.utils.translation import gettext as _

from masthead.transfer.formats.disqus import seems_to_be
from masthead.transfer.formats.opening import json_lines, source_head, source_open
from masthead.transfer.records import (
    AttachmentRecord,
    AuthorRecord,
    CommentRecord,
    FileRefused,
    PageRecord,
    Record,
    Skip,
    SourceRecord,
    ThreadRecord,
)

FORMAT_VERSION = 1
# Site exports carry whole article bodies on a line; nothing Masthead writes comes near this.
MAX_LINE_BYTES = 64 * 1024 * 1024
STATUSES = {"published", "pending", "spam", "rejected", "deleted"}
SITE_TYPES = {"author", "section", "image", "article", "page"}

_HEADER = re.compile(rb'"format"\s*:\s*"masthead"')


def looks_like(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text.startswith(b"{"):
        return False
    return bool(_HEADER.search(text.split(b"\n", 1)[0]))


def parse(path: Path | str) -> Iterator[Record]:
    """Yield the source (the exporting site), then each thread and comment in file order
    (the export writes threads first and every comment after the one it answers)."""
    head = source_head(path)
    if not looks_like(head):
        raise FileRefused(
            _("This file is not a Masthead export; it looks like %(seems)s.")
            % {"seems": seems_to_be(head, besides="masthead")}
        )
    threads_seen: set[str] = set()
    comments_seen: set[str] = set()
    site = _Site()
    header_read = False
    with source_open(path) as stream:
        for number, excerpt, item in _lines(stream):
            if not header_read:
                if item is None or item.get("format") != "masthead":
                    raise FileRefused(_("The Masthead export's first line is not its header."))
                yield _source(item)
                header_read = True
                continue
            if item is None:
                yield Skip("malformed", detail=excerpt, line=number)
                continue
            kind = item.get("type")
            if kind == "thread":
                yield _thread(item, number, threads_seen)
            elif kind == "comment":
                yield _comment(item, number, comments_seen)
            elif kind in SITE_TYPES:
                yield from site.read(kind, item, number)
            elif kind:
                # A kind of record a later Masthead writes: left out, and said so.
                yield Skip("unsupported", detail=_string(kind)[:80], line=number)
            else:
                yield Skip("malformed", detail=excerpt, line=number)
    if not header_read:
        raise FileRefused(_("The file is empty."))


def _source(header: dict) -> SourceRecord:
    version = header.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FileRefused(_("The Masthead export's header has no version."))
    if version > FORMAT_VERSION:
        raise FileRefused(
            _(
                "This export was made by a newer Masthead (format version %(version)s); "
                "update Masthead to import it."
            )
            % {"version": version}
        )
    return SourceRecord(system="masthead", site=_string(header.get("site")))


def _lines(stream) -> Iterator[tuple[int, str, dict | None]]:
    return json_lines(
        stream,
        max_line_bytes=MAX_LINE_BYTES,
        cut_short=_(
            "The Masthead export is cut short: its last line (%(line)d) breaks off. "
            "Export again and import the complete file."
        ),
    )


def _thread(item: dict, line: int, seen: set[str]) -> Record:
    key = _string(item.get("key"))
    if not key:
        return Skip("empty_thread_id", detail=_string(item.get("url")), line=line)
    if key in seen:
        return Skip("duplicate_id", source_id=key, line=line)
    seen.add(key)
    page = item.get("page") if isinstance(item.get("page"), dict) else {}
    created, _raw = _date(item.get("created"))
    return ThreadRecord(
        source_id=key,
        # A page's discussion is found again by the page's address on the new site.
        url=_string(item.get("url")) or _string(page.get("url")),
        identifier=key,
        title=_string(item.get("title")),
        closed=item.get("closed") is True,
        created=created,
        line=line,
    )


def _comment(item: dict, line: int, seen: set[str]) -> Record:
    source_id = _string(item.get("id"))
    if not source_id:
        return Skip("no_id", detail=_string(item.get("author_name")), line=line)
    if source_id in seen:
        return Skip("duplicate_id", source_id=source_id, line=line)
    thread = _string(item.get("thread"))
    if not thread:
        return Skip("malformed", source_id=source_id, detail="thread", line=line)
    seen.add(source_id)
    parent = _string(item.get("parent"))
    replied_to = _string(item.get("replied_to"))
    meta: dict = {
        "masthead_html": _string(item.get("html")),
        "edited": _string(item.get("edited")),
        "parent": parent,
        "replied_to": replied_to,
        "listed": item.get("listed") is True,
        "moderation_reasons": [
            _string(reason) for reason in _list(item.get("moderation_reasons")) if reason
        ],
    }
    anchor = item.get("anchor")
    if isinstance(anchor, dict):
        meta["anchor"] = {
            part: _string(anchor.get(part)) for part in ("block", "exact", "prefix", "suffix")
        }
    if user := _string(item.get("user")):
        meta["user"] = user
    created, raw = _date(item.get("created"))
    if raw:
        meta["unreadable_date"] = raw
    status = _string(item.get("status"))
    return CommentRecord(
        source_id=source_id,
        thread_id=thread,
        # The comment it answers: stored under its parent again when the nesting limit here
        # is the same, and under the comment itself when this site allows deeper replies.
        parent_id=replied_to or parent,
        author_name=_string(item.get("author_name")),
        author_email=_string(item.get("author_email")),
        author_url=_string(item.get("author_url")),
        created=created,
        body=_string(item.get("text")),
        body_format="markdown",
        # An unknown status waits for a moderator rather than being shown unchecked.
        status=status if status in STATUSES else "pending",
        upvotes=_count(item.get("upvotes")),
        downvotes=_count(item.get("downvotes")),
        sticky=item.get("pinned") is True,
        replies_closed=item.get("replies_closed") is True,
        meta=meta,
        kept=source_meta if isinstance(source_meta := item.get("source_meta"), dict) else {},
        line=line,
    )


def _date(value) -> tuple[datetime | None, str]:
    """Return (an aware datetime, "") or (None, what was written)."""
    if not value:
        return None, ""
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None, str(value)[:80]
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)), ""


def _string(value) -> str:
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    return str(value)


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _count(value) -> int:
    if isinstance(value, bool):
        return 0
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


class _Site:
    """Reads a site export's authors, sections, images, articles and pages. Sections and
    authors are remembered by id (small: a newsroom's desks and staff) because articles name
    them by id; an article's section becomes its first category, as a WordPress post's."""

    def __init__(self):
        self.sections: dict[str, tuple[str, str]] = {}
        self.authors: dict[str, str] = {}

    def read(self, kind: str, item: dict, line: int) -> Iterator[Record]:
        source_id = _string(item.get("id"))
        if not source_id:
            yield Skip("no_id", detail=kind, line=line)
            return
        if kind == "author":
            slug = _string(item.get("slug")) or source_id
            self.authors[source_id] = slug
            yield AuthorRecord(source_id=slug, name=_string(item.get("name")) or slug, line=line)
        elif kind == "section":
            self.sections[source_id] = (_string(item.get("slug")), _string(item.get("title")))
        elif kind == "image":
            yield AttachmentRecord(
                source_id=source_id,
                url=_string(item.get("url")),
                file=_string(item.get("file")),
                title=_string(item.get("title")),
                line=line,
            )
        else:
            yield self._page(kind, source_id, item, line)

    def _page(self, kind: str, source_id: str, item: dict, line: int) -> Record:
        title = _string(item.get("title"))
        if not title:
            return Skip("malformed", source_id=source_id, detail=_("no title"), line=line)
        date, unreadable = _date(item.get("date") or item.get("first_published_at"))
        meta = {"masthead_body": _list(item.get("body"))}
        if unreadable:
            meta["unreadable_date"] = unreadable
        lead = item.get("lead_image") if isinstance(item.get("lead_image"), dict) else {}
        for key in ("caption", "credit"):
            if _string(lead.get(key)):
                meta[f"lead_image_{key}"] = _string(lead.get(key))
        section = self.sections.get(_string(item.get("section")))
        return PageRecord(
            source_id=source_id,
            kind="article" if kind == "article" else "page",
            title=title,
            slug=_string(item.get("slug")),
            link=_string(item.get("url")),
            date=date,
            status=_page_status(item),
            author_ids=tuple(
                self.authors[a]
                for a in map(_string, _list(item.get("authors")))
                if a in self.authors
            ),
            categories=(section,) if section and section[0] else (),
            tags=tuple(_string(tag) for tag in _list(item.get("tags")) if _string(tag)),
            # Plain text in the export; the importer reads an excerpt as HTML.
            excerpt=html.escape(_string(item.get("standfirst") or item.get("intro")), quote=False),
            content=_string(item.get("html")),
            thumbnail_id=_string(lead.get("image")),
            parent_id=_string(item.get("parent")),
            discussion=item.get("show_discussion") is True,
            meta=meta,
            line=line,
        )


def _page_status(item: dict) -> str:
    if item.get("live") is True:
        return "published"
    go_live, _unreadable = _date(item.get("go_live_at"))
    if go_live is not None and go_live > datetime.now(UTC):
        return "scheduled"
    return "draft"

"""What every import format is read into: plain records, independent of the system that made
the file and of Masthead's tables.

A format's parser (`formats/<name>.py`) turns a file into a stream of these records, one at a
time, so memory does not grow with the file; the importer (`importing.py`) stages them in the
database and applies them through each app's services. Source ids are strings, as the file
writes them; the importer keys everything it creates by (source, kind, source id), which is
what makes an import safe to run again.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

CommentStatus = Literal["published", "pending", "spam", "rejected", "deleted"]
PageStatus = Literal["published", "draft", "pending", "private", "scheduled", "trash"]


@dataclass(frozen=True)
class SourceRecord:
    """The system and site the file comes from: first record of every stream.

    `site` tells two outlets' files apart (the WordPress site address, the Disqus forum
    short name, the Remark42 site id); ids are unique only within it.
    """

    system: str
    site: str = ""
    title: str = ""


@dataclass(frozen=True)
class AuthorRecord:
    """A WordPress author (`wp:author`): articles name their authors by `source_id` (login)."""

    source_id: str
    name: str
    email: str = ""
    line: int | None = None


@dataclass(frozen=True)
class AttachmentRecord:
    """A media file the export points to (a WordPress attachment item)."""

    source_id: str
    url: str
    # The file's path under the uploads folder (`_wp_attached_file`), e.g. "2021/06/pic.jpg".
    file: str = ""
    title: str = ""
    caption: str = ""
    alt: str = ""
    line: int | None = None


@dataclass(frozen=True)
class PageRecord:
    """A WordPress post ("article") or page ("page")."""

    source_id: str
    kind: Literal["article", "page"]
    title: str
    slug: str = ""
    # The item's permalink and every other address it had (`?p=123`, guid): each redirects.
    link: str = ""
    old_urls: tuple[str, ...] = ()
    date: datetime | None = None  # aware, UTC
    status: PageStatus = "published"
    author_ids: tuple[str, ...] = ()
    # (slug, name) pairs.
    categories: tuple[tuple[str, str], ...] = ()
    tags: tuple[str, ...] = ()
    excerpt: str = ""
    content: str = ""  # the post's HTML as stored by WordPress (autop not yet applied)
    thumbnail_id: str = ""  # AttachmentRecord.source_id of the featured image
    parent_id: str = ""  # a page's parent page
    comments_closed: bool = False
    # A plain page that showed a discussion (articles always do).
    discussion: bool = False
    meta: dict = field(default_factory=dict)
    line: int | None = None


@dataclass(frozen=True)
class ThreadRecord:
    """A discussion in the source: a page on the old site, by address and/or identifier."""

    source_id: str
    url: str = ""
    # The embed's own identifier (Disqus `<id>`, an Isso or Remark42 page URI), or a WordPress
    # post id whose PageRecord carries the article itself.
    identifier: str = ""
    title: str = ""
    closed: bool = False
    created: datetime | None = None
    line: int | None = None


@dataclass(frozen=True)
class CommentRecord:
    """One comment as the source stored it."""

    source_id: str
    thread_id: str  # ThreadRecord.source_id, or PageRecord.source_id for WordPress
    parent_id: str = ""  # "" for a top-level comment
    author_name: str = ""
    author_email: str = ""
    author_url: str = ""
    created: datetime | None = None  # aware, UTC; None when the file gave none
    body: str = ""  # as written
    body_format: Literal["html", "markdown", "text"] = "html"
    status: CommentStatus = "published"
    upvotes: int = 0
    downvotes: int = 0
    # wpDiscuz: pinned at the top of its thread; closed for further replies.
    sticky: bool = False
    replies_closed: bool = False
    # What the importer needs beyond the fields above (an unreadable date as written, an
    # edit time, an anchor...): read by the appliers, not stored as such.
    meta: dict = field(default_factory=dict)
    # What the source kept beside the comment that has no field here (WordPress commentmeta,
    # a Disqus username...): stored with the comment (discussion's SourceMeta) and exported.
    kept: dict = field(default_factory=dict)
    # The keyed hash of the author's network (core.hashing.address_hash); the address itself
    # never leaves the parser.
    ip_hash: str = ""
    line: int | None = None


@dataclass(frozen=True)
class Skip:
    """Something in the file that is not imported, and why (a code from `reasons.py`)."""

    reason: str
    source_id: str = ""
    detail: str = ""
    line: int | None = None


Record = (
    SourceRecord
    | AuthorRecord
    | AttachmentRecord
    | PageRecord
    | ThreadRecord
    | CommentRecord
    | Skip
)


class FileRefused(Exception):
    """The whole file is unusable (not this format, not XML, truncated before anything, too
    large, an entity bomb): nothing is written and the message says why, for a person."""


def iso_date(raw: str) -> tuple[datetime | None, str]:
    """Return (aware UTC datetime, "") for an ISO 8601 / RFC 3339 date, or (None, raw) when it
    cannot be read; a date without a zone is taken as UTC (Disqus, Commento and Remark42 all
    write UTC or an explicit offset)."""
    if not raw:
        return None, ""
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        return None, raw
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC), ""
    return value.astimezone(UTC), ""

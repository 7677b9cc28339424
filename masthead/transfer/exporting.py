"""Exporting: every discussion (and with `site`, every article) in a file an outlet can take
elsewhere, so no outlet is locked in.

    export_write   Masthead JSON lines (docs/export-format.md), read back by
                   formats/masthead_json.py, or WXR 1.2 for WordPress's importer

Both writers stream: rows come from the database in chunks (`.iterator(chunk_size=...)`) and
leave as soon as they are written, so memory stays flat however many comments there are. A
thread's comments are read by one ordered query for the whole export, merged with the
threads (or pages) in the same order, never by a query per thread or per comment.

Never written: `ip_hash` and `author_reader` (keyed hashes, meaningless outside this install)
and single votes (their voter keys are keyed hashes too); vote totals are written.
"""

import functools
import json
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import BinaryIO, Literal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max
from django.utils import timezone
from lxml import etree
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from masthead.discussion.models import Comment, Thread
from masthead.publishing.models import ArticlePage, Author, SectionPage, StandardPage

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
CHUNK = 2000
# Articles carry their rendered bodies: fewer per chunk keeps the memory they hold small.
PAGE_CHUNK = 100

Scope = Literal["comments", "site"]

# Fields of a comment that leave the install; ip_hash and author_reader are never among them.
_COMMENT_FIELDS = (
    "id",
    "thread_id",
    "thread__key",
    "thread__page_id",
    "parent_id",
    "replied_to_id",
    "depth",
    "author_name",
    "author_email",
    "author_url",
    "text",
    "html",
    "status",
    "listed",
    "created",
    "edited",
    "upvotes",
    "downvotes",
    "score",
    "pinned",
    "replies_closed",
    "inline_feedback",
    "anchor_block",
    "anchor_exact",
    "anchor_prefix",
    "anchor_suffix",
    "moderation_reasons",
    # What the system it came from kept beside it (SourceMeta), None when nothing.
    "source_meta__meta",
)
_THREAD_FIELDS = (
    "id",
    "key",
    "url",
    "title",
    "closed",
    "created",
    "comment_count",
    "page_id",
    "page__url_path",
    "page__title",
    "page__slug",
    "page__live",
    "page__first_published_at",
    "page__last_published_at",
    "page__articlepage__page_ptr_id",
    "page__articlepage__date",
    "page__articlepage__standfirst",
    "page__standardpage__page_ptr_id",
)


@dataclass
class ExportCounts:
    """What an export wrote, by kind ("threads", "comments", "articles"...)."""

    written: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, n: int = 1) -> None:
        self.written[kind] = self.written.get(kind, 0) + n


def export_write(
    *, output: BinaryIO, format: Literal["json", "wxr"], scope: Scope, now: datetime | None = None
) -> ExportCounts:
    """Write every thread and comment (with `scope="site"`, the articles, pages, authors,
    sections and images too) to `output` as Masthead JSON lines or WXR 1.2."""
    writer = {"json": _json_write, "wxr": _wxr_write}[format]
    counts = ExportCounts()
    writer(output=output, scope=scope, now=now or timezone.now(), counts=counts)
    return counts


# --- reading, shared by both formats ---------------------------------------------------------


def site_url() -> str:
    """The outlet's public address: SITE_URL, else the default Wagtail site's root URL."""
    configured = getattr(settings, "SITE_URL", "")
    if configured:
        return configured.rstrip("/")
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url.rstrip("/") if site is not None else ""


class _Addresses:
    """Public addresses of pages from their tree paths, without a query per page."""

    def __init__(self):
        default_site = Site.objects.filter(is_default_site=True).values_list("pk", flat=True)
        default_id = default_site.first()
        base = site_url()
        self._roots = sorted(
            (
                (root.root_path, base if root.site_id == default_id else root.root_url.rstrip("/"))
                for root in Site.get_site_root_paths()
            ),
            key=lambda pair: -len(pair[0]),
        )
        self.base = base

    def of(self, url_path: str | None) -> str:
        """Return a page's full address ("" for a page outside every site)."""
        for root_path, root_url in self._roots:
            if url_path and url_path.startswith(root_path):
                return root_url + url_path[len(root_path) - 1 :]
        return ""

    def absolute(self, html: str) -> str:
        """Make the site's own links in `html` (images, renditions, pages) absolute, so they
        still point here once the HTML lives elsewhere."""

        def one(url: str) -> str:
            url = url.strip()
            return self.base + url if url.startswith("/") and not url.startswith("//") else url

        def attribute(match: re.Match) -> str:
            name, quote, value = match.group(1), match.group(2), match.group(3)
            if name.lower() == "srcset":
                value = ", ".join(
                    " ".join([one(entry.split()[0]), *entry.split()[1:]])
                    for entry in value.split(",")
                    if entry.strip()
                )
            else:
                value = one(value)
            return f"{name}={quote}{value}{quote}"

        return _LINK_ATTRIBUTE.sub(attribute, html)


_LINK_ATTRIBUTE = re.compile(r"""\b(src|href|poster|srcset)=(["'])(.*?)\2""", re.IGNORECASE)


def _threads(threads=None) -> Iterator[dict]:
    queryset = threads if threads is not None else Thread.objects.all()
    return queryset.order_by("id").values(*_THREAD_FIELDS).iterator(chunk_size=CHUNK)


def _comments(comments=None, *, by: str = "thread_id") -> Iterator[dict]:
    """Every comment, in its thread's order (`by`), then parents before their replies: a
    reply is one level deeper than the comment it is stored under."""
    queryset = comments if comments is not None else Comment.objects.all()
    return (
        queryset.order_by(by, "depth", "created", "id")
        .values(*_COMMENT_FIELDS, _username_key())
        .iterator(chunk_size=CHUNK)
    )


class _Grouped:
    """Rows sorted by a key, handed out key by key to a caller asking in the same order: the
    merge of two sorted streams, so a thread's comments need no query of their own."""

    def __init__(self, rows: Iterator[dict], key: Callable[[dict], int]):
        self._rows = rows
        self._key = key
        self._head = next(rows, None)

    def of(self, value: int) -> Iterator[dict]:
        while self._head is not None and self._key(self._head) < value:
            self._head = next(self._rows, None)
        while self._head is not None and self._key(self._head) == value:
            row, self._head = self._head, next(self._rows, None)
            yield row


def _username(row: dict) -> str | None:
    return row.get(_username_key())


@functools.cache
def _username_key() -> str:
    return f"user__{get_user_model().USERNAME_FIELD}"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _page_kind(row: dict) -> str:
    if row["page__articlepage__page_ptr_id"]:
        return "article"
    if row["page__standardpage__page_ptr_id"]:
        return "page"
    return "other"


def _body_html(page, addresses: _Addresses, counts: ExportCounts) -> str:
    """Render a page's body as its template shows it (feedback passages keep their marker,
    so inline comments still find their block), with absolute links."""
    parts = []
    for block in page.body:
        try:
            html = str(block.render())
        except Exception:  # noqa: BLE001 - an embed or image that fails must not stop an export
            logger.warning("Block %s of page %s could not be rendered", block.id, page.pk)
            counts.add("blocks_not_rendered")
            continue
        if block.block_type == "feedback":
            html = (
                f'<div class="feedback-passage" id="feedback-{block.id}" '
                f'data-feedback-block="{block.id}">{html}</div>'
            )
        parts.append(html)
    return addresses.absolute("\n".join(parts))


def _as_edited(page):
    """A draft's latest saved version (a live page's row holds what readers see)."""
    if not page.live and page.has_unpublished_changes:
        latest = page.get_latest_revision_as_object()
        if latest is not None:
            return latest
    return page


def _articles():
    return (
        ArticlePage.objects.order_by("id")
        .select_related("lead_image")
        .prefetch_related("article_authors__author", "tags")
        .iterator(chunk_size=PAGE_CHUNK)
    )


def _standard_pages():
    return StandardPage.objects.order_by("id").iterator(chunk_size=PAGE_CHUNK)


def _section_of(page, sections: dict[str, int]) -> int | None:
    return sections.get(page.path[: -Page.steplen])


# --- Masthead JSON lines ---------------------------------------------------------------------


def _json_write(*, output: BinaryIO, scope: Scope, now: datetime, counts: ExportCounts) -> None:
    addresses = _Addresses()
    contains = ["threads", "comments"]
    if scope == "site":
        contains = ["authors", "sections", "images", "articles", "pages", *contains]

    def emit(record: dict) -> None:
        output.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode())
        output.write(b"\n")

    emit(
        {
            "format": "masthead",
            "version": FORMAT_VERSION,
            "site": addresses.base,
            "exported": now.isoformat(),
            "contains": contains,
        }
    )
    if scope == "site":
        _json_site(emit, addresses, counts)
    for row in _threads():
        emit(_thread_record(row, addresses))
        counts.add("threads")
    for row in _comments():
        emit(_comment_record(row))
        counts.add("comments")


def _thread_record(row: dict, addresses: _Addresses) -> dict:
    page = None
    if row["page_id"]:
        page = {
            "id": row["page_id"],
            "kind": _page_kind(row),
            "url_path": row["page__url_path"],
            "url": addresses.of(row["page__url_path"]),
            "title": row["page__title"],
        }
    return {
        "type": "thread",
        "key": row["key"],
        "url": row["url"],
        "page": page,
        "title": row["title"],
        "closed": row["closed"],
        "created": _iso(row["created"]),
        "comment_count": row["comment_count"],
    }


def _comment_record(row: dict) -> dict:
    deleted = row["status"] == Comment.Status.DELETED
    anchor = None
    if row["inline_feedback"]:
        anchor = {
            "block": row["anchor_block"],
            "exact": row["anchor_exact"],
            "prefix": row["anchor_prefix"],
            "suffix": row["anchor_suffix"],
        }
    return {
        "type": "comment",
        "id": row["id"],
        "thread": row["thread__key"],
        "parent": row["parent_id"],
        "replied_to": row["replied_to_id"],
        "author_name": row["author_name"],
        "author_email": row["author_email"],
        "author_url": row["author_url"],
        "user": _username(row),
        # What its author deleted does not leave with the export: the placeholder does.
        "text": "" if deleted else row["text"],
        "html": "" if deleted else row["html"],
        "status": row["status"],
        "listed": row["listed"],
        "created": _iso(row["created"]),
        "edited": _iso(row["edited"]),
        "upvotes": row["upvotes"],
        "downvotes": row["downvotes"],
        "score": row["score"],
        "pinned": row["pinned"],
        "replies_closed": row["replies_closed"],
        "anchor": anchor,
        "moderation_reasons": list(row["moderation_reasons"] or []),
        "source_meta": row["source_meta__meta"] or {},
    }


def _json_site(emit, addresses: _Addresses, counts: ExportCounts) -> None:
    for author in Author.objects.order_by("id").iterator(chunk_size=CHUNK):
        emit(
            {
                "type": "author",
                "id": author.pk,
                "name": author.name,
                "slug": author.slug,
                "role": author.role,
                "bio": author.bio,
            }
        )
        counts.add("authors")
    sections: dict[str, int] = {}
    for section in SectionPage.objects.order_by("path").iterator(chunk_size=CHUNK):
        sections[section.path] = section.pk
        emit(
            {
                "type": "section",
                "id": section.pk,
                "title": section.title,
                "slug": section.slug,
                "url_path": section.url_path,
                "url": addresses.of(section.url_path),
                "intro": section.intro,
                "live": section.live,
            }
        )
        counts.add("sections")
    for image in get_image_model().objects.order_by("id").iterator(chunk_size=CHUNK):
        emit(
            {
                "type": "image",
                "id": image.pk,
                "title": image.title,
                "file": image.file.name,
                "url": _file_url(image, addresses),
                "width": image.width,
                "height": image.height,
                "created": _iso(image.created_at),
            }
        )
        counts.add("images")
    for article in _articles():
        emit(_article_record(article, sections, addresses, counts))
        counts.add("articles")
    standard_paths = dict(StandardPage.objects.values_list("path", "id"))
    for page in StandardPage.objects.order_by("path").iterator(chunk_size=PAGE_CHUNK):
        shown = _as_edited(page)
        emit(
            {
                "type": "page",
                "id": page.pk,
                "title": shown.title,
                "slug": shown.slug,
                "url_path": page.url_path,
                "url": addresses.of(page.url_path),
                "parent": standard_paths.get(page.path[: -Page.steplen]),
                "intro": shown.intro,
                "show_discussion": shown.show_discussion,
                "body": shown.body.get_prep_value(),
                "html": _body_html(shown, addresses, counts),
                "live": page.live,
                "has_unpublished_changes": page.has_unpublished_changes,
                "go_live_at": _iso(page.go_live_at),
                "first_published_at": _iso(page.first_published_at),
                "last_published_at": _iso(page.last_published_at),
            }
        )
        counts.add("pages")


def _file_url(image, addresses: _Addresses) -> str:
    url = image.file.url
    return url if "://" in url else addresses.base + "/" + url.lstrip("/")


def _article_record(
    article: ArticlePage, sections: dict[str, int], addresses: _Addresses, counts: ExportCounts
) -> dict:
    shown = _as_edited(article)
    lead = None
    if shown.lead_image_id:
        image = shown.lead_image
        lead = {
            "image": shown.lead_image_id,
            "file": image.file.name if image else "",
            "url": _file_url(image, addresses) if image else "",
            "caption": shown.lead_image_caption,
            "credit": shown.lead_image_credit,
        }
    return {
        "type": "article",
        "id": article.pk,
        "title": shown.title,
        "slug": shown.slug,
        "url_path": article.url_path,
        "url": addresses.of(article.url_path),
        "section": _section_of(article, sections),
        "date": _iso(shown.date),
        "standfirst": shown.standfirst,
        "authors": [credit.author_id for credit in shown.article_authors.all()],
        "tags": sorted(tag.name for tag in shown.tags.all()),
        "lead_image": lead,
        "body": shown.body.get_prep_value(),
        "html": _body_html(shown, addresses, counts),
        "seo_title": shown.seo_title,
        "search_description": shown.search_description,
        "live": article.live,
        "has_unpublished_changes": article.has_unpublished_changes,
        "go_live_at": _iso(article.go_live_at),
        "first_published_at": _iso(article.first_published_at),
        "last_published_at": _iso(article.last_published_at),
    }


# --- WXR 1.2 ---------------------------------------------------------------------------------

WXR_VERSION = "1.2"
WP = f"http://wordpress.org/export/{WXR_VERSION}/"
NAMESPACES = {
    "excerpt": f"http://wordpress.org/export/{WXR_VERSION}/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": WP,
}
_WP = "{" + WP + "}"
_CONTENT = "{" + NAMESPACES["content"] + "}"
_EXCERPT = "{" + NAMESPACES["excerpt"] + "}"
_DC = "{" + NAMESPACES["dc"] + "}"

# WordPress's comment_approved: "1" shown, "0" held, "spam", "trash". A rejected comment is
# what a WordPress moderator would have trashed; a deleted one is trashed by its author.
WP_APPROVED = {
    Comment.Status.PUBLISHED: "1",
    Comment.Status.PENDING: "0",
    Comment.Status.SPAM: "spam",
    Comment.Status.REJECTED: "trash",
    Comment.Status.DELETED: "trash",
}
_NO_DATE = "0000-00-00 00:00:00"
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass
class _Post:
    """One WXR item: a post, a page, an attachment, or a discussion carried as a draft page."""

    post_id: int
    title: str
    link: str
    post_type: str
    status: str
    date: datetime | None
    slug: str = ""
    creator: str = ""
    guid: str = ""
    content: str = ""
    excerpt: str = ""
    parent: int = 0
    comments_open: bool = True
    categories: list[tuple[str, str, str]] = field(default_factory=list)  # domain, slug, name
    postmeta: list[tuple[str, str]] = field(default_factory=list)
    modified: datetime | None = None
    attachment_url: str = ""


def _xml(text) -> str:
    return _NOT_XML.sub("", "" if text is None else str(text))


def _cdata(text, *, html: bool = True):
    """Text in a CDATA section, as WordPress writes its exports (its fallback line parser
    reads nothing else). "]]>" would end the section: in HTML "]]&gt;" shows the same."""
    text = _xml(text)
    if "]]>" in text:
        if not html:
            return text  # escaped instead: the rare plain text that holds "]]>"
        text = text.replace("]]>", "]]&gt;")
    if text.endswith("]"):
        # lxml 6.1's xmlfile crashes the process on a CDATA section whose text ends with "]"
        # (a title "[updated]", a post ending in a shortcode): plain text goes escaped, and
        # HTML, where a line break at the end shows nothing, takes one.
        if not html:
            return text
        text += "\n"
    return etree.CDATA(text) if text else ""


def _field(xf, tag: str, value="", attributes: dict | None = None) -> None:
    with xf.element(tag, attributes or {}):
        if value != "":
            xf.write(value if isinstance(value, etree.CDATA) else _xml(value))


def _wp_local(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else _NO_DATE


def _wp_gmt(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if value else _NO_DATE


def php_votes(likes: int, dislikes: int) -> str:
    """wpDiscuz's `wpdiscuz_votes_seperate`: PHP's serialize() of ["like" => n, "dislike" => m]."""
    return f'a:2:{{s:4:"like";i:{int(likes)};s:7:"dislike";i:{int(dislikes)};}}'


def _wxr_write(*, output: BinaryIO, scope: Scope, now: datetime, counts: ExportCounts) -> None:
    addresses = _Addresses()
    with etree.xmlfile(output, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("rss", {"version": "2.0"}, nsmap=NAMESPACES):
            xf.write("\n")
            with xf.element("channel"):
                xf.write("\n")
                _wxr_channel(xf, addresses, now)
                if scope == "site":
                    _wxr_site(xf, addresses, counts)
                else:
                    _wxr_threads(xf, addresses, counts, Thread.objects.all())
            xf.write("\n")


def _line(xf, indent: int = 1) -> None:
    xf.write("\n" + "\t" * indent)


def _wxr_channel(xf, addresses: _Addresses, now: datetime) -> None:
    from masthead.publishing.models import OutletSettings

    # Read, never created: an export writes nothing (for_site would make the row).
    outlet = OutletSettings.objects.filter(site__is_default_site=True).first()
    xf.write("\t")
    _field(xf, "title", outlet.name if outlet else "")
    _line(xf)
    _field(xf, "link", addresses.base)
    _line(xf)
    _field(xf, "description", outlet.tagline if outlet else "")
    _line(xf)
    _field(xf, "pubDate", format_datetime(now.astimezone(UTC)))
    _line(xf)
    _field(xf, "language", settings.LANGUAGE_CODE)
    _line(xf)
    _field(xf, _WP + "wxr_version", WXR_VERSION)
    _line(xf)
    _field(xf, _WP + "base_site_url", addresses.base)
    _line(xf)
    _field(xf, _WP + "base_blog_url", addresses.base)
    xf.write("\n")


def _ids_above() -> tuple[int, int]:
    """Ids for items that are not pages, clear of every page id: attachments after the
    highest page id, URL discussions after those (WordPress's importer needs unique ids)."""
    pages = Page.objects.aggregate(top=Max("id"))["top"] or 0
    images = get_image_model().objects.aggregate(top=Max("id"))["top"] or 0
    return pages, pages + images


def _wxr_threads(xf, addresses: _Addresses, counts: ExportCounts, threads) -> None:
    """An item per discussion: the page it belongs to (a post for an article, else a page),
    or, for a discussion of an address outside Masthead, a draft page titled by it."""
    _pages_top, url_base = _ids_above()
    comments = _Grouped(
        _comments(Comment.objects.filter(thread__in=threads)), key=lambda row: row["thread_id"]
    )
    for row in _threads(threads):
        kind = _page_kind(row) if row["page_id"] else None
        if kind is None:
            post = _Post(
                post_id=url_base + row["id"],
                title=row["title"] or row["url"],
                link=row["url"],
                guid=row["url"],
                post_type="page",
                status="draft",
                date=row["created"],
                comments_open=not row["closed"],
                postmeta=[("masthead_thread_url", row["url"])],
            )
            counts.add("url_threads_as_draft_pages")
        else:
            article = kind == "article"
            link = addresses.of(row["page__url_path"])
            post = _Post(
                post_id=row["page_id"],
                title=row["page__title"],
                link=link,
                guid=link,
                slug=row["page__slug"],
                post_type="post" if article else "page",
                status="publish" if row["page__live"] else "draft",
                date=(row["page__articlepage__date"] if article else None)
                or row["page__first_published_at"],
                modified=row["page__last_published_at"],
                excerpt=(row["page__articlepage__standfirst"] or "") if article else "",
                comments_open=not row["closed"],
            )
        _wxr_item(xf, post, comments.of(row["id"]), counts)
        counts.add("threads")


def _wxr_site(xf, addresses: _Addresses, counts: ExportCounts) -> None:
    for author in Author.objects.order_by("id").iterator(chunk_size=CHUNK):
        xf.write("\t")
        with xf.element(_WP + "author"):
            _field(xf, _WP + "author_id", author.pk)
            _field(xf, _WP + "author_login", _cdata(author.slug, html=False))
            _field(xf, _WP + "author_email", "")
            _field(xf, _WP + "author_display_name", _cdata(author.name, html=False))
            _field(xf, _WP + "author_first_name", "")
            _field(xf, _WP + "author_last_name", "")
        xf.write("\n")
        counts.add("authors")
    sections: dict[str, tuple[int, str, str]] = {}
    for section in SectionPage.objects.order_by("path").iterator(chunk_size=CHUNK):
        sections[section.path] = (section.pk, section.slug, section.title)
        xf.write("\t")
        with xf.element(_WP + "category"):
            _field(xf, _WP + "term_id", section.pk)
            _field(xf, _WP + "category_nicename", section.slug)
            _field(xf, _WP + "category_parent", "")
            _field(xf, _WP + "cat_name", _cdata(section.title, html=False))
        xf.write("\n")
        counts.add("sections")
    from taggit.models import Tag

    used = Tag.objects.filter(publishing_articletag_items__isnull=False).distinct()
    for tag in used.order_by("id").iterator(chunk_size=CHUNK):
        xf.write("\t")
        with xf.element(_WP + "tag"):
            _field(xf, _WP + "term_id", tag.pk)
            _field(xf, _WP + "tag_slug", tag.slug)
            _field(xf, _WP + "tag_name", _cdata(tag.name, html=False))
        xf.write("\n")
        counts.add("tags")

    images_base, _url_base = _ids_above()
    for image in get_image_model().objects.order_by("id").iterator(chunk_size=CHUNK):
        url = _file_url(image, addresses)
        post = _Post(
            post_id=images_base + image.pk,
            title=image.title,
            link=url,
            guid=url,
            post_type="attachment",
            status="inherit",
            date=image.created_at,
            attachment_url=url,
        )
        _wxr_item(xf, post, iter(()), counts)
        counts.add("images")

    page_comments = Comment.objects.filter(thread__page__isnull=False)
    by_page = _Grouped(
        _comments(
            page_comments.filter(thread__page__articlepage__isnull=False), by="thread__page_id"
        ),
        key=lambda row: row["thread__page_id"],
    )
    closed = dict(
        Thread.objects.filter(page__isnull=False).values_list("page_id", "closed").iterator()
    )
    for article in _articles():
        shown = _as_edited(article)
        authors = [credit.author for credit in shown.article_authors.all()]
        section = sections.get(article.path[: -Page.steplen])
        categories = [("category", section[1], section[2])] if section else []
        categories += [("post_tag", tag.slug, tag.name) for tag in shown.tags.all()]
        postmeta = []
        if shown.lead_image_id:
            postmeta.append(("_thumbnail_id", str(images_base + shown.lead_image_id)))
            for key, value in (
                ("masthead_lead_image_caption", shown.lead_image_caption),
                ("masthead_lead_image_credit", shown.lead_image_credit),
            ):
                if value:
                    postmeta.append((key, value))
        if len(authors) > 1:
            postmeta.append(("masthead_authors", ", ".join(a.slug for a in authors)))
        link = addresses.of(article.url_path)
        post = _Post(
            post_id=article.pk,
            title=shown.title,
            link=link,
            guid=link,
            slug=shown.slug,
            creator=authors[0].slug if authors else "",
            post_type="post",
            status=_wp_status(article),
            date=shown.date,
            modified=article.last_published_at,
            content=_body_html(shown, addresses, counts),
            excerpt=shown.standfirst,
            comments_open=not closed.get(article.pk, False),
            categories=categories,
            postmeta=postmeta,
        )
        _wxr_item(xf, post, by_page.of(article.pk), counts)
        counts.add("articles")
        if article.pk in closed:
            counts.add("threads")

    standard_paths = dict(StandardPage.objects.values_list("path", "id"))
    by_page = _Grouped(
        _comments(
            page_comments.filter(thread__page__standardpage__isnull=False), by="thread__page_id"
        ),
        key=lambda row: row["thread__page_id"],
    )
    for page in _standard_pages():
        shown = _as_edited(page)
        link = addresses.of(page.url_path)
        body = _body_html(shown, addresses, counts)
        intro = f"<p>{_escape(shown.intro)}</p>\n" if shown.intro else ""
        post = _Post(
            post_id=page.pk,
            title=shown.title,
            link=link,
            guid=link,
            slug=shown.slug,
            post_type="page",
            status=_wp_status(page),
            date=page.first_published_at or page.latest_revision_created_at,
            modified=page.last_published_at,
            content=intro + body,
            parent=standard_paths.get(page.path[: -Page.steplen], 0),
            # A page without a discussion is one whose comments are closed, to WordPress.
            comments_open=shown.show_discussion and not closed.get(page.pk, False),
        )
        _wxr_item(xf, post, by_page.of(page.pk), counts)
        counts.add("pages")
        if page.pk in closed:
            counts.add("threads")

    # Discussions of other pages (the front page, a support page) and of outside addresses.
    others = Thread.objects.exclude(page__articlepage__isnull=False).exclude(
        page__standardpage__isnull=False
    )
    _wxr_threads(xf, addresses, counts, others)


def _escape(text: str) -> str:
    from django.utils.html import escape

    return escape(text)


def _wp_status(page) -> str:
    if page.live:
        return "publish"
    if page.go_live_at and page.go_live_at > timezone.now():
        return "future"
    return "draft"


def _wxr_item(xf, post: _Post, comments: Iterator[dict], counts: ExportCounts) -> None:
    xf.write("\t")
    with xf.element("item"):
        _line(xf, 2)
        _field(xf, "title", _cdata(post.title, html=False))
        _line(xf, 2)
        _field(xf, "link", post.link)
        _line(xf, 2)
        _field(xf, "pubDate", format_datetime(post.date.astimezone(UTC)) if post.date else "")
        _line(xf, 2)
        _field(xf, _DC + "creator", _cdata(post.creator, html=False))
        _line(xf, 2)
        _field(xf, "guid", post.guid, {"isPermaLink": "false"})
        _line(xf, 2)
        _field(xf, "description", "")
        _line(xf, 2)
        _field(xf, _CONTENT + "encoded", _cdata(post.content))
        _line(xf, 2)
        _field(xf, _EXCERPT + "encoded", _cdata(post.excerpt))
        for tag, value in (
            ("post_id", post.post_id),
            ("post_date", _cdata(_wp_local(post.date), html=False)),
            ("post_date_gmt", _cdata(_wp_gmt(post.date), html=False)),
            ("post_modified", _cdata(_wp_local(post.modified or post.date), html=False)),
            ("post_modified_gmt", _cdata(_wp_gmt(post.modified or post.date), html=False)),
            ("comment_status", _cdata("open" if post.comments_open else "closed", html=False)),
            ("ping_status", _cdata("closed", html=False)),
            ("post_name", _cdata(post.slug, html=False)),
            ("status", _cdata(post.status, html=False)),
            ("post_parent", post.parent),
            ("menu_order", 0),
            ("post_type", _cdata(post.post_type, html=False)),
            ("post_password", ""),
            ("is_sticky", 0),
        ):
            _line(xf, 2)
            _field(xf, _WP + tag, value)
        if post.attachment_url:
            _line(xf, 2)
            _field(xf, _WP + "attachment_url", post.attachment_url)
        for domain, slug, name in post.categories:
            _line(xf, 2)
            _field(xf, "category", _cdata(name, html=False), {"domain": domain, "nicename": slug})
        for key, value in post.postmeta:
            _line(xf, 2)
            _meta(xf, "postmeta", key, value)
        for row in comments:
            _line(xf, 2)
            _wxr_comment(xf, row)
            counts.add("comments")
        xf.write("\n\t")
    xf.write("\n")


def _meta(xf, kind: str, key: str, value: str) -> None:
    with xf.element(_WP + kind):
        _field(xf, _WP + "meta_key", _cdata(key, html=False))
        _field(xf, _WP + "meta_value", _cdata(value, html=False))


# SourceMeta keys the WordPress parser makes of a comment's own fields, not of its meta.
_WXR_FIELDS_KEPT = {"comment_type", "wp_user_id"}


def _wxr_comment(xf, row: dict) -> None:
    deleted = row["status"] == Comment.Status.DELETED
    # WordPress threads by the comment answered: a reply Masthead stored beside it (at its
    # deepest level) keeps its conversation there.
    answered = row["replied_to_id"] or row["parent_id"] or 0
    with xf.element(_WP + "comment"):
        for tag, value in (
            ("comment_id", row["id"]),
            ("comment_author", _cdata(row["author_name"], html=False)),
            ("comment_author_email", _cdata(row["author_email"], html=False)),
            ("comment_author_url", _cdata(row["author_url"], html=False)),
            ("comment_date", _cdata(_wp_local(row["created"]), html=False)),
            ("comment_date_gmt", _cdata(_wp_gmt(row["created"]), html=False)),
            ("comment_content", _cdata("" if deleted else row["html"])),
            ("comment_approved", _cdata(WP_APPROVED.get(row["status"], "0"), html=False)),
            ("comment_type", _cdata("wpdiscuz_sticky" if row["pinned"] else "comment", html=False)),
            ("comment_parent", answered),
            ("comment_user_id", 0),
        ):
            xf.write("\n\t\t\t")
            _field(xf, _WP + tag, value)
        meta = []
        if row["upvotes"] or row["downvotes"]:
            meta.append(("wpdiscuz_votes", str(row["upvotes"] - row["downvotes"])))
            meta.append(("wpdiscuz_votes_seperate", php_votes(row["upvotes"], row["downvotes"])))
        if row["replies_closed"]:
            meta.append(("wpdiscuz_closed", "1"))
        if row["edited"]:
            meta.append(("wpdiscuz_last_edited_at", _wp_gmt(row["edited"])))
        if row["inline_feedback"]:
            anchor = {
                "block": row["anchor_block"],
                "exact": row["anchor_exact"],
                "prefix": row["anchor_prefix"],
                "suffix": row["anchor_suffix"],
            }
            meta.append(("masthead_anchor", json.dumps(anchor, ensure_ascii=False)))
        for key, value in (row["source_meta__meta"] or {}).items():
            # What WordPress itself kept goes back as it was; the comment's type and account
            # have fields of their own.
            if key not in _WXR_FIELDS_KEPT:
                meta.append((key, value if isinstance(value, str) else json.dumps(value)))
        for key, value in meta:
            xf.write("\n\t\t\t")
            _meta(xf, "commentmeta", key, value)
        xf.write("\n\t\t")

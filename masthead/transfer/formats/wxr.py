"""WordPress's export, WXR ("WordPress eXtended RSS"): Tools → Export in wp-admin.

An RSS 2.0 document whose `<channel>` holds the site (`title`, `link`, `wp:base_site_url`,
`wp:base_blog_url`), the authors (`wp:author`, from WXR 1.1), the terms, then one `<item>` per
post, page, attachment, menu item, revision... Each item carries its comments (`wp:comment`,
with their `wp:commentmeta`) and its `wp:postmeta`. The `wp:` and `excerpt:` namespaces carry
the version: http://wordpress.org/export/1.0/ (WordPress 2.x), /1.1/ (3.1–3.3), /1.2/ (3.4 on).

wpDiscuz keeps its state in comment meta and the comment type (read from its source,
gVectors/wpdiscuz, `WpdiscuzConstants`): `wpdiscuz_votes` is the net score,
`wpdiscuz_votes_seperate` (their spelling) a PHP-serialized `["like" => n, "dislike" => m]`
of counts (dislikes counted up, shown negated), `wpdiscuz_closed` "1" closes a comment to
replies, and a comment whose type is `wpdiscuz_sticky` is pinned at the top of its thread.
docs/import-formats.md has the whole mapping.
"""

import html
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from lxml import etree

from masthead.core.hashing import address_hash
from masthead.transfer.formats.disqus import seems_to_be
from masthead.transfer.formats.opening import source_head, xml_elements
from masthead.transfer.records import (
    AttachmentRecord,
    AuthorRecord,
    CommentRecord,
    FileRefused,
    PageRecord,
    Record,
    Skip,
    SourceRecord,
)

WP_EXPORT = "http://wordpress.org/export/"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
VERSIONS = ("1.0", "1.1", "1.2")

# WordPress writes http://; the Theme Unit Test data (and files edited to match it) https://.
_NAMESPACE = re.compile(rb'xmlns:wp\s*=\s*["\'](https?://wordpress\.org/export/)(\d+\.\d+)/["\']')
_ROOT = re.compile(rb"<rss[\s>]")

PAGE_STATUS = {
    "publish": "published",
    "draft": "draft",
    "auto-draft": "draft",
    "pending": "pending",
    "private": "private",
    "future": "scheduled",
    "trash": "trash",
}
COMMENT_STATUS = {
    "1": "published",
    "approve": "published",
    "0": "pending",
    "hold": "pending",
    "spam": "spam",
    "trash": "deleted",
    "post-trashed": "deleted",
}
# Comment types that are comments (WordPress 5.5 on writes "comment", older ones nothing), and
# wpDiscuz's two types of its own.
COMMENT_TYPES = {"", "comment", "wpdiscuz_sticky", "private"}
PING_TYPES = {"pingback", "trackback"}

# Post meta kept with a page (small, and worth something to an editor); everything else
# (edit locks, caches, page-builder state) is WordPress's own bookkeeping.
KEPT_POST_META = {
    "_yoast_wpseo_title": "seo_title",
    "_yoast_wpseo_metadesc": "seo_description",
    "_aioseo_description": "seo_description",
    "_wp_page_template": "page_template",
}
MAX_META_VALUE = 500
# Comment meta read into fields of their own (votes, closed, edit time, a Masthead export's
# inline-feedback passage); the rest is kept with the comment.
CONSUMED_COMMENT_META = {
    "wpdiscuz_votes",
    "wpdiscuz_votes_seperate",
    "wpdiscuz_closed",
    "wpdiscuz_last_edited_at",
    "masthead_anchor",
}
# Comment meta not kept: Akismet's copy of the request it checked (the author's address,
# browser and referrer), personal data that no moderator here needs.
DROPPED_COMMENT_META = {"akismet_as_submitted"}
MAX_META_ENTRIES = 20
_NO_DATE = {"", "0000-00-00 00:00:00"}


def looks_like(head: bytes) -> bool:
    return bool(_ROOT.search(head)) and b"://wordpress.org/export/" in head


def parse(path: Path | str) -> Iterator[Record]:
    """Yield the site, its authors, then each item's page or attachment and its comments."""
    head = source_head(path)
    if not looks_like(head):
        raise FileRefused(
            _("This file is not a WordPress export (WXR); it looks like %(seems)s.")
            % {"seems": seems_to_be(head, besides="wordpress")}
        )
    base, version = _namespace(head)
    wp = "{" + base + version + "/}"
    reader = _Reader()
    channel: dict[str, str] = {}
    tags = (
        "title",
        "link",
        wp + "base_site_url",
        wp + "base_blog_url",
        wp + "author",
        "item",
    )
    for element in xml_elements(path, tags):
        if element.tag in ("title", "link", wp + "base_site_url", wp + "base_blog_url"):
            if _is_channel_field(element):
                channel.setdefault(etree.QName(element).localname, _text(element).strip())
            continue
        if reader.source is None:
            yield reader.start(channel)
        if element.tag == wp + "author":
            yield from reader.author(element)
        else:
            yield from reader.item(element)
    if reader.source is None:
        yield reader.start(channel)


def _namespace(head: bytes) -> tuple[str, str]:
    """The `wp:` namespace's base and version, as the file declares them."""
    found = _NAMESPACE.search(head)
    if found is None or found.group(2).decode() not in VERSIONS:
        # No exporter WordPress ever shipped writes another; WordPress's importer reads such
        # a file as 1.1, and so does this one.
        return WP_EXPORT, "1.1"
    return found.group(1).decode(), found.group(2).decode()


def _is_channel_field(element: etree._Element) -> bool:
    # The site icon WordPress adds to every feed (`<image><title>…`) is not the site's title.
    parent = element.getparent()
    return parent is not None and parent.tag == "channel"


class _Malformed(ValueError):
    pass


class _Reader:
    """Reads items one at a time, remembering only ids (to catch duplicates) and the site's
    offset from UTC (for dates written only in local time)."""

    def __init__(self):
        self.source: SourceRecord | None = None
        self.home = ""
        self.items_seen: set[str] = set()
        self.comments_seen: set[str] = set()
        self.authors_seen: set[str] = set()
        # Local minus GMT, learned from the last item that gave both: drafts have no GMT date.
        self.offset = timedelta(0)

    def start(self, channel: dict[str, str]) -> SourceRecord:
        site = (channel.get("base_site_url") or channel.get("link") or "").rstrip("/")
        # Permalinks and `?p=` addresses hang off the blog's address (home), which differs
        # from the site's when WordPress lives in a folder of its own.
        self.home = (channel.get("base_blog_url") or channel.get("link") or site).rstrip("/")
        self.source = SourceRecord(system="wordpress", site=site, title=channel.get("title", ""))
        return self.source

    # --- authors -----------------------------------------------------------------------------

    def author(self, element: etree._Element) -> Iterator[Record]:
        fields = _fields(element)
        login = fields.get("author_login", "").strip()
        line = element.sourceline
        if not login:
            yield Skip("no_id", detail=fields.get("author_display_name", ""), line=line)
            return
        if login in self.authors_seen:
            yield Skip("duplicate_id", source_id=login, line=line)
            return
        self.authors_seen.add(login)
        full_name = " ".join(
            part
            for part in (fields.get("author_first_name"), fields.get("author_last_name"))
            if part
        )
        yield AuthorRecord(
            source_id=login,
            name=_unescaped(fields.get("author_display_name") or full_name or login),
            email=fields.get("author_email", "").strip(),
            line=line,
        )

    # --- items -------------------------------------------------------------------------------

    def item(self, element: etree._Element) -> Iterator[Record]:
        line = element.sourceline
        fields = _fields(element)
        post_id = fields.get("post_id", "").strip()
        title = fields.get("title", "").strip()
        comments = [child for child in element if _local(child) == "comment"]
        if not post_id:
            yield Skip("no_id", detail=title, line=line)
            yield from _left_with_their_item(comments, title)
            return
        if not post_id.isdigit():
            yield Skip(
                "malformed", source_id=post_id, detail=_("post id is not a number"), line=line
            )
            yield from _left_with_their_item(comments, post_id)
            return
        if post_id in self.items_seen:
            yield Skip("duplicate_id", source_id=post_id, detail=title, line=line)
            yield from _left_with_their_item(comments, post_id)
            return
        self.items_seen.add(post_id)
        post_type = fields.get("post_type", "").strip()
        try:
            if post_type in ("post", "page"):
                record = self._page(element, fields, post_id, post_type, line, comments)
            elif post_type == "attachment":
                record = self._attachment(element, fields, post_id, line)
            elif not post_type:
                raise _Malformed(_("no post type"))
            else:
                detail = post_type
                if comments:
                    detail = ngettext(
                        "%(type)s, with %(count)d comment",
                        "%(type)s, with %(count)d comments",
                        len(comments),
                    ) % {"type": post_type, "count": len(comments)}
                yield Skip("unsupported", source_id=post_id, detail=detail, line=line)
                return
        except _Malformed as error:
            yield Skip("malformed", source_id=post_id, detail=str(error), line=line)
            yield from _left_with_their_item(comments, post_id)
            return
        yield record
        for comment in comments:
            if isinstance(record, AttachmentRecord):
                comment_id = _fields(comment).get("comment_id", "").strip()
                yield Skip(
                    "unsupported",
                    source_id=comment_id,
                    detail=_("a comment on a media file"),
                    line=comment.sourceline,
                )
                continue
            try:
                yield self._comment(comment, post_id)
            except _Malformed as error:
                comment_id = _fields(comment).get("comment_id", "").strip()
                yield Skip(
                    "malformed", source_id=comment_id, detail=str(error), line=comment.sourceline
                )

    def _page(
        self, element: etree._Element, fields: dict, post_id: str, post_type: str, line, comments
    ) -> PageRecord:
        meta: dict = {}
        post_meta = _meta(element, "postmeta")
        raw_status = fields.get("status", "").strip()
        status = PAGE_STATUS.get(raw_status)
        if status is None:
            # A status some plugin made up ("archived", "flagged"): kept, but not published.
            status = "draft"
            meta["wp_status"] = raw_status
        if fields.get("post_password", "").strip() and status == "published":
            # Published behind a password: what readers could not see must not go public.
            status = "private"
            meta["password_protected"] = True
        date, raw_date = self._date(fields.get("post_date_gmt", ""), fields.get("post_date", ""))
        if raw_date:
            meta["unreadable_date"] = raw_date
        if fields.get("is_sticky", "").strip() == "1":
            meta["sticky"] = True
        if footnotes := _json_list(_first(post_meta, "footnotes")):
            meta["wp_footnotes"] = footnotes
        for key, value in post_meta:
            name = KEPT_POST_META.get(key)
            if name is None and not key.startswith("_") and key != "footnotes":
                name = key
            if (
                name
                and value
                and len(value) <= MAX_META_VALUE
                and not _is_serialized(value)
                and len(meta) < MAX_META_ENTRIES
            ):
                meta.setdefault(name, value)
        parent = fields.get("post_parent", "").strip()
        comment_status = fields.get("comment_status", "").strip()
        link = fields.get("link", "").strip()
        slug = unquote(fields.get("post_name", "").strip())
        old_slugs = [unquote(value) for key, value in post_meta if key == "_wp_old_slug"]
        return PageRecord(
            source_id=post_id,
            kind="article" if post_type == "post" else "page",
            title=_unescaped(fields.get("title", "")),
            slug=slug,
            link=link,
            old_urls=self._old_urls(fields, post_id, post_type, link, slug, old_slugs),
            date=date,
            status=status,
            author_ids=tuple(a for a in fields.get("@creators", ()) if a),
            categories=tuple(fields.get("@categories", ())),
            tags=tuple(fields.get("@tags", ())),
            excerpt=fields.get("encoded@excerpt", ""),
            content=fields.get("encoded@content", ""),
            thumbnail_id=_first(post_meta, "_thumbnail_id"),
            parent_id=parent if parent not in ("", "0") else "",
            comments_closed=comment_status == "closed",
            # WordPress closes comments on new pages by default: one that had them open, or
            # has some, showed a discussion.
            discussion=post_type == "page"
            and (comment_status == "open" or any(_is_comment(c) for c in comments)),
            meta=meta,
            line=line,
        )

    def _old_urls(self, fields, post_id, post_type, link, slug, old_slugs) -> tuple[str, ...]:
        """Every other address the item answered at: its guid (when an address), `?p=` (and
        `?page_id=` for pages), and its permalink with each slug it had before."""
        urls: list[str] = []
        guid = fields.get("guid", "").strip()
        if urlsplit(guid).scheme in ("http", "https"):
            urls.append(html.unescape(guid))
        home = self.home or _origin(link)
        if home:
            urls.append(f"{home}/?p={post_id}")
            if post_type == "page":
                urls.append(f"{home}/?page_id={post_id}")
        if link and slug:
            for old in old_slugs:
                moved = _with_slug(link, slug, old)
                if moved:
                    urls.append(moved)
        unique = []
        for url in urls:
            if url and url != link and url not in unique:
                unique.append(url)
        return tuple(unique)

    def _attachment(self, element: etree._Element, fields: dict, post_id: str, line):
        post_meta = _meta(element, "postmeta")
        url = fields.get("attachment_url", "").strip() or fields.get("guid", "").strip()
        if not url:
            raise _Malformed(_("an attachment without an address"))
        return AttachmentRecord(
            source_id=post_id,
            url=url,
            file=_first(post_meta, "_wp_attached_file"),
            title=_unescaped(fields.get("title", "")),
            caption=_plain(fields.get("encoded@excerpt", "")),
            alt=_first(post_meta, "_wp_attachment_image_alt"),
            line=line,
        )

    # --- comments ----------------------------------------------------------------------------

    def _comment(self, element: etree._Element, post_id: str) -> Record:
        line = element.sourceline
        fields = _fields(element)
        comment_id = fields.get("comment_id", "").strip()
        if not comment_id:
            return Skip("no_id", detail=fields.get("comment_author", ""), line=line)
        if comment_id in self.comments_seen:
            return Skip("duplicate_id", source_id=comment_id, line=line)
        self.comments_seen.add(comment_id)
        comment_type = fields.get("comment_type", "").strip()
        if comment_type in PING_TYPES:
            return Skip(
                "pingback",
                source_id=comment_id,
                detail=fields.get("comment_author_url", "").strip(),
                line=line,
            )
        if comment_type not in COMMENT_TYPES:
            # WooCommerce order notes, reviews and the like: not a reader's comment.
            return Skip("unsupported", source_id=comment_id, detail=comment_type, line=line)
        comment_meta = dict(_meta(element, "commentmeta"))
        meta: dict = {}
        kept = {
            key: value
            for key, value in comment_meta.items()
            if key not in CONSUMED_COMMENT_META and key not in DROPPED_COMMENT_META
        }
        if comment_type not in ("", "comment"):
            kept["comment_type"] = comment_type
        if (user_id := fields.get("comment_user_id", "").strip()) not in ("", "0"):
            kept["wp_user_id"] = user_id
        approved = fields.get("comment_approved", "").strip()
        status = COMMENT_STATUS.get(approved)
        if status is None:
            raise _Malformed(_("comment_approved is %(value)r") % {"value": approved[:40]})
        if comment_type == "private" and status == "published":
            # A wpDiscuz private comment was shown to the post's author alone: not published.
            status = "pending"
        created, raw_date = self._date(
            fields.get("comment_date_gmt", ""), fields.get("comment_date", "")
        )
        if raw_date:
            meta["unreadable_date"] = raw_date
        parent = fields.get("comment_parent", "").strip()
        if parent == comment_id:
            raise _Malformed(_("the comment answers itself"))
        edited = _wp_datetime(comment_meta.get("wpdiscuz_last_edited_at", "").strip())
        if edited is not None:
            meta["edited"] = edited.replace(tzinfo=UTC).isoformat()
        if anchor := _json_object(comment_meta.get("masthead_anchor", "")):
            meta["anchor"] = anchor
        upvotes, downvotes = _votes(comment_meta)
        return CommentRecord(
            source_id=comment_id,
            thread_id=post_id,
            parent_id=parent if parent not in ("", "0") else "",
            author_name=fields.get("comment_author", "").strip(),
            author_email=fields.get("comment_author_email", "").strip(),
            author_url=fields.get("comment_author_url", "").strip(),
            created=created,
            body=fields.get("comment_content", ""),
            body_format="html",
            status=status,
            upvotes=upvotes,
            downvotes=downvotes,
            sticky=comment_type == "wpdiscuz_sticky",
            replies_closed=_int(comment_meta.get("wpdiscuz_closed")) != 0,
            meta=meta,
            kept=kept,
            ip_hash=address_hash(fields.get("comment_author_IP", "")),
            line=line,
        )

    # --- dates -------------------------------------------------------------------------------

    def _date(self, gmt_raw: str, local_raw: str) -> tuple[datetime | None, str]:
        """Return (aware UTC datetime, "") or (None, what was written)."""
        gmt_raw, local_raw = gmt_raw.strip(), local_raw.strip()
        gmt = _wp_datetime(gmt_raw)
        local = _wp_datetime(local_raw)
        if gmt is not None:
            if local is not None:
                self.offset = local - gmt
            return gmt.replace(tzinfo=UTC), ""
        if local is not None:
            # Drafts have no GMT date: the local one, less the site's offset seen elsewhere.
            return (local - self.offset).replace(tzinfo=UTC), ""
        if gmt_raw in _NO_DATE and local_raw in _NO_DATE:
            return None, ""
        return None, gmt_raw if gmt_raw not in _NO_DATE else local_raw


# --- reading elements ------------------------------------------------------------------------


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _fields(element: etree._Element) -> dict:
    """An item's (or author's, or comment's) children as {local name: text}, the first of
    each; `encoded` is keyed by namespace (`encoded@content`, `encoded@excerpt`), and an
    item's creators and terms are gathered into lists."""
    fields: dict = {}
    creators: list[str] = []
    categories: list[tuple[str, str]] = []
    tags: list[str] = []
    for child in element:
        if not isinstance(child.tag, str):
            continue
        qname = etree.QName(child)
        name, namespace = qname.localname, qname.namespace or ""
        if name in ("comment", "postmeta", "commentmeta"):
            continue
        if name == "encoded":
            key = "encoded@excerpt" if namespace.endswith("/excerpt/") else "encoded@content"
            fields.setdefault(key, _text(child))
        elif name == "creator":
            creators.append(_text(child).strip())
        elif name == "category" and not namespace:
            _term(child, categories, tags)
        else:
            fields.setdefault(name, _text(child))
    fields["@creators"] = creators
    fields["@categories"] = categories
    fields["@tags"] = tags
    return fields


def _term(element: etree._Element, categories: list, tags: list) -> None:
    """`<category domain="category" nicename="slug">Name</category>`; WXR 1.0 also writes
    each term a second time without attributes, and calls tags "tag" (later "post_tag")."""
    domain = element.get("domain")
    name = _unescaped(_text(element))
    if not name or domain is None:
        return
    slug = unquote(element.get("nicename") or "")
    if domain == "category":
        entry = (slug, name)
        if entry not in categories:
            categories.append(entry)
    elif domain in ("post_tag", "tag") and name not in tags:
        tags.append(name)


def _meta(element: etree._Element, kind: str) -> list[tuple[str, str]]:
    """(key, value) pairs of an item's `wp:postmeta` or a comment's `wp:commentmeta`."""
    pairs = []
    for child in element:
        if _local(child) != kind:
            continue
        key = value = ""
        for part in child:
            if _local(part) == "meta_key":
                key = _text(part).strip()
            elif _local(part) == "meta_value":
                value = _text(part)
        if key:
            pairs.append((key, value))
    return pairs


def _first(pairs: list[tuple[str, str]], key: str) -> str:
    return next((value.strip() for k, value in pairs if k == key), "")


def _text(element: etree._Element) -> str:
    """An element's text as written: CDATA and text, an entity the parser could not resolve
    (`&nbsp;` in a title, which XML does not define) as its character, and markup written
    raw instead of escaped (hand-edited files) as markup."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child, etree._Entity):
            parts.append(html.unescape(child.text or ""))
        elif isinstance(child.tag, str):
            markup = etree.tostring(child, encoding="unicode", with_tail=False)
            parts.append(re.sub(r'\s+xmlns(?::\w+)?="[^"]*"', "", markup))
        parts.append(child.tail or "")
    return "".join(parts)


def _unescaped(text: str) -> str:
    """A title or a term's name as plain text: WordPress stores "&" in them as "&amp;"."""
    return html.unescape(text).strip()


def _plain(markup: str) -> str:
    """Text of a short HTML fragment (an attachment's caption)."""
    return html.unescape(re.sub(r"<[^>]*>", "", markup)).strip()


def _left_with_their_item(comments: list, item: str) -> Iterator[Skip]:
    """Each comment of an item that is not imported, counted in the report."""
    for comment in comments:
        fields = _fields(comment)
        yield Skip(
            "item_skipped",
            source_id=fields.get("comment_id", "").strip(),
            detail=item,
            line=comment.sourceline,
        )


def _is_comment(element: etree._Element) -> bool:
    return _fields(element).get("comment_type", "").strip() not in PING_TYPES


def _json_list(raw: str) -> list | None:
    try:
        value = json.loads(raw) if raw else None
    except ValueError:
        return None
    return value if isinstance(value, list) else None


def _json_object(raw: str) -> dict | None:
    try:
        value = json.loads(raw) if raw else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _wp_datetime(raw: str) -> datetime | None:
    if raw in _NO_DATE:
        return None
    try:
        value = datetime.strptime(raw, "%Y-%m-%d %H:%M:%S")  # noqa: DTZ007 - zone given apart
    except ValueError:
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def _origin(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def _with_slug(link: str, slug: str, old: str) -> str:
    """The permalink as it was under an earlier slug (WordPress redirects those too)."""
    parts = urlsplit(link)
    segments = parts.path.split("/")
    for index in range(len(segments) - 1, -1, -1):
        if unquote(segments[index]) == slug:
            segments[index] = old
            return urljoin(link, "/".join(segments))
    return ""


def _int(value) -> int:
    try:
        return int(str(value).strip() or 0)
    except (TypeError, ValueError):
        return 0


def _votes(meta: dict) -> tuple[int, int]:
    """wpDiscuz's likes and dislikes: the separate counts when kept (wpDiscuz 7 on), else
    the net score split by its sign."""
    separate = php_unserialize(meta.get("wpdiscuz_votes_seperate", ""))
    if isinstance(separate, dict) and ("like" in separate or "dislike" in separate):
        # Dislikes are counted up and shown negated; a few versions stored them negative.
        return abs(_int(separate.get("like"))), abs(_int(separate.get("dislike")))
    net = _int(meta.get("wpdiscuz_votes"))
    return max(net, 0), max(-net, 0)


# --- PHP's serialize() -----------------------------------------------------------------------


def _is_serialized(value: str) -> bool:
    return bool(re.match(r"^(a|O|s|i|d|b):\d*[:;]", value.strip()))


class _PhpValueError(ValueError):
    pass


def php_unserialize(raw: str, *, max_depth: int = 8):
    """Read a value written by PHP's `serialize()`: null, booleans, integers, floats, strings
    and arrays (as dicts, or lists when keyed 0..n-1). Objects and anything unreadable give
    None: the meta value stays in `meta` as written, and nothing is ever evaluated.

    String lengths count UTF-8 bytes, as PHP writes them.
    """
    if not raw or not isinstance(raw, str):
        return None
    data = raw.strip().encode("utf-8")
    try:
        value, end = _php_value(data, 0, max_depth)
    except (_PhpValueError, ValueError, IndexError):
        return None
    return value if end == len(data) else None


def _php_value(data: bytes, pos: int, depth: int):
    kind = data[pos : pos + 1]
    if kind == b"N":
        _expect(data, pos + 1, b";")
        return None, pos + 2
    if kind in (b"b", b"i", b"d"):
        _expect(data, pos + 1, b":")
        end = data.index(b";", pos + 2)
        text = data[pos + 2 : end].decode("ascii")
        if kind == b"b":
            return text == "1", end + 1
        if kind == b"i":
            return int(text), end + 1
        return float(text), end + 1
    if kind == b"s":
        _expect(data, pos + 1, b":")
        colon = data.index(b":", pos + 2)
        length = int(data[pos + 2 : colon])
        _expect(data, colon + 1, b'"')
        start = colon + 2
        end = start + length
        _expect(data, end, b'";')
        return data[start:end].decode("utf-8", "replace"), end + 2
    if kind == b"a":
        if depth <= 0:
            raise _PhpValueError("nested too deep")
        _expect(data, pos + 1, b":")
        colon = data.index(b":", pos + 2)
        count = int(data[pos + 2 : colon])
        _expect(data, colon + 1, b"{")
        pos = colon + 2
        result: dict = {}
        for _i in range(count):
            key, pos = _php_value(data, pos, 0)
            if not isinstance(key, int | str) or isinstance(key, bool):
                raise _PhpValueError("array key")
            result[key], pos = _php_value(data, pos, depth - 1)
        _expect(data, pos, b"}")
        if list(result) == list(range(len(result))):
            return list(result.values()), pos + 1
        return result, pos + 1
    raise _PhpValueError(f"unsupported type {kind!r}")


def _expect(data: bytes, pos: int, token: bytes) -> None:
    if data[pos : pos + len(token)] != token:
        raise _PhpValueError(f"expected {token!r} at {pos}")

"""Disqus's XML export (Admin → Moderation → Export, mailed as a .xml.gz).

The root is `<disqus xmlns="http://disqus.com">`; ids Disqus assigns sit in `dsq:id` attributes
(namespace http://disqus.com/disqus-internals). Categories come first, then every `<thread>`
(a page: `<id>` is the embed's `disqus_identifier`, `<link>` its address), then every `<post>`
(a comment, naming its thread and parent by `dsq:id`). docs/import-formats.md has the mapping.
"""

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from django.utils.translation import gettext as _
from lxml import etree

from masthead.core.hashing import address_hash
from masthead.transfer.formats.opening import source_head, source_open, xml_elements
from masthead.transfer.records import (
    CommentRecord,
    FileRefused,
    Record,
    Skip,
    SourceRecord,
    ThreadRecord,
    iso_date,
)

NS = "{http://disqus.com}"
DSQ_ID = "{http://disqus.com/disqus-internals}id"
THREAD = NS + "thread"
POST = NS + "post"

_ROOT = re.compile(rb"<disqus[\s>]")
_END = re.compile(rb"</disqus\s*>")
_NS_DECLARATION = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no", ""}


def looks_like(head: bytes) -> bool:
    return bool(_ROOT.search(head)) and b"http://disqus.com" in head


def parse(path: Path | str) -> Iterator[Record]:
    """Yield the export's source, threads and comments, in file order."""
    head = source_head(path)
    if not looks_like(head):
        raise FileRefused(
            _("This file is not a Disqus export; it looks like %(seems)s.")
            % {"seems": seems_to_be(head, besides="disqus")}
        )
    _require_whole(path)

    source_sent = False
    threads_seen: set[str] = set()
    threads_deleted: set[str] = set()
    posts_seen: set[str] = set()
    for tag, fields, line in _entries(path):
        if not source_sent:
            forum = _text(fields.get("forum")) if tag == THREAD else ""
            yield SourceRecord(system="disqus", site=forum)
            source_sent = True
        try:
            if tag == THREAD:
                yield _thread(fields, line, threads_seen, threads_deleted)
            else:
                yield _post(fields, line, posts_seen, threads_deleted)
        except _Malformed as error:
            yield Skip("malformed", source_id=fields.get("@id", ""), detail=str(error), line=line)
    if not source_sent:
        yield SourceRecord(system="disqus")


class _Malformed(ValueError):
    pass


def _thread(fields: dict, line: int | None, seen: set[str], deleted: set[str]) -> Record:
    source_id = fields.get("@id", "")
    link = _text(fields.get("link"))
    if not source_id:
        return Skip("empty_thread_id", detail=link or _text(fields.get("title")), line=line)
    if source_id in seen:
        return Skip("duplicate_id", source_id=source_id, detail=link, line=line)
    seen.add(source_id)
    closed = _flag(fields, "isClosed")
    if _flag(fields, "isDeleted"):
        # Disqus no longer shows a removed discussion; importing it would publish its comments
        # again. Its posts are skipped with the same reason (below).
        deleted.add(source_id)
        return Skip(
            "deleted", source_id=source_id, detail=_("discussion deleted in Disqus"), line=line
        )
    created, _raw = _date(_text(fields.get("createdAt")))
    return ThreadRecord(
        source_id=source_id,
        url=link,
        identifier=_text(fields.get("id")),
        title=_text(fields.get("title")),
        closed=closed,
        created=created,
        line=line,
    )


def _post(fields: dict, line: int | None, seen: set[str], threads_deleted: set[str]) -> Record:
    source_id = fields.get("@id", "")
    created_raw = _text(fields.get("createdAt"))
    if not source_id:
        return Skip("no_id", detail=created_raw, line=line)
    if source_id in seen:
        return Skip("duplicate_id", source_id=source_id, line=line)
    seen.add(source_id)
    thread_id = _ref(fields.get("thread"))
    if not thread_id:
        return Skip("orphan_thread", source_id=source_id, line=line)
    if thread_id in threads_deleted:
        return Skip(
            "deleted", source_id=source_id, detail=_("its discussion was deleted"), line=line
        )
    author = fields.get("author")
    if not isinstance(author, dict):
        author = {}
    status = "published"
    if _flag(fields, "isSpam"):
        status = "spam"
    elif _flag(fields, "isDeleted"):
        status = "deleted"
    meta: dict = {}
    kept = {
        "username": _text(author.get("username")),
        "anonymous": _flag(author, "isAnonymous"),
    }
    if identifier := _text(fields.get("id")):
        # Set on posts that came into Disqus from elsewhere (WordPress: "wp_id=123").
        kept["identifier"] = identifier
    created, raw = _date(created_raw)
    if raw:
        meta["unreadable_date"] = raw
    return CommentRecord(
        source_id=source_id,
        thread_id=thread_id,
        parent_id=_ref(fields.get("parent")),
        author_name=_text(author.get("name")),
        author_email=_text(author.get("email")),
        created=created,
        body=_text(fields.get("message")),
        body_format="html",
        status=status,
        meta=meta,
        kept=kept,
        ip_hash=address_hash(_text(fields.get("ipAddress"))),
        line=line,
    )


def _entries(path: Path | str) -> Iterator[tuple[str, dict, int | None]]:
    """Yield (tag, fields, line) for every top-level `<thread>` and `<post>`.

    `xml_elements` matches tags at any depth, so it also hands over the `<thread dsq:id>` inside
    each post, and clears it and the post's children before it once this loop moves on. The
    post's fields up to that point are therefore read when the inner element arrives, and the
    rest when the post itself ends.
    """
    partial: dict = {}
    for element in xml_elements(path, (THREAD, POST)):
        parent = element.getparent()
        if parent is not None and parent.getparent() is not None:
            partial.update(_fields(parent, upto=element))
            continue
        fields = {**_fields(element), **partial}
        partial = {}
        fields["@id"] = (element.get(DSQ_ID) or "").strip()
        yield element.tag, fields, element.sourceline


def _fields(element: etree._Element, upto: etree._Element | None = None) -> dict:
    """Read an element's children into {local name: value}: a dict for `<author>` and for
    elements that carry a `dsq:id`, the text (or markup) otherwise."""
    fields: dict = {}
    for child in element:
        if isinstance(child.tag, str):
            name = etree.QName(child).localname
            if child.get(DSQ_ID) is not None:
                fields[name] = {"@id": child.get(DSQ_ID).strip()}
            elif name == "author":
                fields[name] = {
                    etree.QName(item).localname: item.text or ""
                    for item in child
                    if isinstance(item.tag, str)
                }
            elif len(child):
                fields[name] = _inner_markup(child)
            else:
                fields[name] = child.text or ""
        if child is upto:
            break
    return fields


def _inner_markup(element: etree._Element) -> str:
    """A message written as raw markup instead of CDATA (hand-edited files): keep it as HTML,
    without the namespace declarations serializing adds."""
    markup = (element.text or "") + "".join(
        etree.tostring(child, encoding="unicode", with_tail=True) for child in element
    )
    return _NS_DECLARATION.sub("", markup)


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _ref(value) -> str:
    """The `dsq:id` an element such as `<thread dsq:id="..."/>` points to ("" if none)."""
    return value.get("@id", "") if isinstance(value, dict) else ""


def _flag(fields: dict, name: str) -> bool:
    value = _text(fields.get(name)).lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    # Importing a comment whose spam or deleted flag cannot be read might publish it.
    raise _Malformed(f"<{name}>{value[:40]}</{name}>")


def _date(raw: str) -> tuple[datetime | None, str]:
    """Disqus writes UTC ("2011-03-07T20:46:25Z")."""
    return iso_date(raw)


def _require_whole(path: Path | str) -> None:
    """Refuse an export cut short before anything is yielded: the XML parser's recovery would
    otherwise close the last, half-written post and hand it over as if complete."""
    tail = b""
    with source_open(path) as stream:
        while chunk := stream.read(1024 * 1024):
            tail = (tail + chunk)[-4096:]
    if not _END.search(tail):
        raise FileRefused(
            _(
                "The Disqus export is cut short: it does not end with </disqus>. Download it "
                "again (and unpack it completely if you unpacked it)."
            )
        )


def seems_to_be(head: bytes, *, besides: str) -> str:
    """Name what a file's first bytes look like, for the message refusing it: another import
    format (asked of each registered format but `besides`), or a kind of file.

    Shared by the Disqus, Commento, Isso and Remark42 parsers; it belongs in
    `formats/__init__.py`, next to the registry it reads.
    """
    from masthead.transfer.formats import FORMATS, format_module

    for name, (_module, label) in FORMATS.items():
        if name == besides:
            continue
        try:
            if format_module(name).looks_like(head):
                return _("a %(format)s export") % {"format": label}
        except ImportError:
            continue
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"SQLite format 3\x00"):
        return _("an SQLite database")
    if text[:1] in (b"{", b"["):
        return _("a JSON document")
    root = re.search(rb"<(?![?!])([A-Za-z_][\w.:-]*)", text)
    if root:
        name = root.group(1).decode("ascii", "replace")
        return _("an XML document whose root element is <%(name)s>") % {"name": name}
    if b"\x00" in head:
        return _("a binary file")
    return _("a text file")

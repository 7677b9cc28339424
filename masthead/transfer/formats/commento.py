"""Commento's (and Commento++'s) JSON export (Dashboard → Export, mailed as a .json.gz).

One JSON object: `{"version": 1, "comments": [...], "commenters": [...]}`. A comment names its
page by `domain` and `url` (the path), its author by `commenterHex` and its parent by
`parentHex` ("root" at the top level); authors' names are in `commenters`, after every comment.
docs/import-formats.md has the mapping.
"""

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import ijson
from django.utils.translation import gettext as _

from masthead.transfer.formats.disqus import seems_to_be
from masthead.transfer.formats.opening import source_head, source_open
from masthead.transfer.records import (
    CommentRecord,
    FileRefused,
    Record,
    Skip,
    SourceRecord,
    ThreadRecord,
    iso_date,
)

SUPPORTED_VERSION = 1
ANONYMOUS = "anonymous"
# Commento++ fills a guest's missing fields with this word.
_UNSET = {"", "undefined"}
_STATES = {"approved": "published", "unapproved": "pending", "flagged": "pending"}


def looks_like(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(b"{") and (b'"commentHex"' in head or b'"commenters"' in head)


def parse(path: Path | str) -> Iterator[Record]:
    """Yield the source, then each page's thread before its first comment, then the comments.

    The file is read twice, both times as a stream: first for the commenters, which come last
    (a map of id → name and address, far smaller than the comments: one entry per person), then
    for the comments. The first pass also proves the file whole, so a file cut short is refused
    before anything is yielded.
    """
    head = source_head(path)
    if not looks_like(head):
        raise FileRefused(
            _("This file is not a Commento export; it looks like %(seems)s.")
            % {"seems": seems_to_be(head, besides="commento")}
        )
    commenters, site = _commenters(path)
    yield SourceRecord(system="commento", site=site)

    threads_seen: set[str] = set()
    comments_seen: set[str] = set()
    with source_open(path) as stream:
        try:
            for comment in ijson.items(stream, "comments.item", use_float=True):
                if not isinstance(comment, dict):
                    yield Skip("malformed", detail=str(comment)[:100])
                    continue
                yield from _comment(comment, commenters, threads_seen, comments_seen)
        except ijson.JSONError as error:  # the first pass read it whole: this is a changed file
            raise FileRefused(json_problem(error)) from error


def _commenters(path: Path | str) -> tuple[dict[str, dict], str]:
    """Read the export whole once: check its version, collect the commenters, and return them
    with the first comment's domain (the site)."""
    commenters: dict[str, dict] = {}
    site = ""
    version = None
    current: dict | None = None
    with source_open(path) as stream:
        try:
            for prefix, event, value in ijson.parse(stream, use_float=True):
                if prefix == "version" and event == "number":
                    version = value
                elif prefix == "comments.item.domain" and not site and event == "string":
                    site = value
                elif prefix == "commenters.item":
                    if event == "start_map":
                        current = {}
                    elif event == "end_map" and current is not None:
                        if key := _string(current.get("commenterHex")):
                            commenters[key] = current
                        current = None
                elif current is not None and prefix.startswith("commenters.item."):
                    current[prefix.removeprefix("commenters.item.")] = value
        except ijson.JSONError as error:
            raise FileRefused(json_problem(error)) from error
    if version is not None and version != SUPPORTED_VERSION:
        raise FileRefused(
            _("This Commento export is version %(version)s; Masthead reads version 1.")
            % {"version": version}
        )
    return commenters, site


def _comment(
    comment: dict, commenters: dict, threads_seen: set[str], comments_seen: set[str]
) -> Iterator[Record]:
    source_id = _string(comment.get("commentHex"))
    if not source_id:
        yield Skip("no_id", detail=_string(comment.get("creationDate")))
        return
    if source_id in comments_seen:
        yield Skip("duplicate_id", source_id=source_id)
        return
    comments_seen.add(source_id)
    domain = _string(comment.get("domain"))
    # The export names the path "url"; Commento's database column is "path".
    page = _string(comment.get("url")) or _string(comment.get("path"))
    if not page:
        yield Skip("no_target", source_id=source_id, detail=domain)
        return
    thread_id = domain + page
    if thread_id not in threads_seen:
        threads_seen.add(thread_id)
        path = page if page.startswith("/") else "/" + page
        yield ThreadRecord(
            source_id=thread_id,
            url=f"https://{domain}{path}" if domain else "",
            identifier=page,
        )

    commenter_id = _string(comment.get("commenterHex"))
    body = comment.get("markdown")
    body = body if isinstance(body, str) else ""
    state = _string(comment.get("state")) or "approved"
    meta: dict = {}
    kept: dict = {"commenter": commenter_id, "state": state}
    if commenter_id == ANONYMOUS:
        name, email, link = _("Anonymous"), "", ""
        kept["anonymous"] = True
    else:
        person = commenters.get(commenter_id, {})
        name = _given(person.get("name"))
        email = _given(person.get("email"))
        link = _given(person.get("link"))
        for key in ("provider", "photo"):
            if value := _given(person.get(key)):
                kept[key] = value
    # Deleting keeps the row with its markdown replaced and its author made anonymous; only
    # Commento++ also says so in "deleted".
    deleted = comment.get("deleted") is True or (body == "[deleted]" and commenter_id == ANONYMOUS)
    status = "deleted" if deleted else _STATES.get(state, "pending")
    created, raw = _date(comment.get("creationDate"))
    if raw:
        meta["unreadable_date"] = raw
    score = comment.get("score")
    score = int(score) if isinstance(score, int | float | Decimal) else 0
    parent = _string(comment.get("parentHex"))
    yield CommentRecord(
        source_id=source_id,
        thread_id=thread_id,
        parent_id="" if parent == "root" else parent,
        author_name=name,
        author_email=email,
        author_url=link,
        created=created,
        body=body,
        body_format="markdown",
        status=status,
        upvotes=max(score, 0),
        downvotes=max(-score, 0),
        meta=meta,
        kept=kept,
    )


def _string(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _given(value) -> str:
    value = _string(value)
    return "" if value in _UNSET else value


def _date(value) -> tuple[datetime | None, str]:
    """(aware UTC datetime, "") from Go's RFC 3339 ("2021-03-17T12:09:47.722181Z"), or
    (None, raw) when it cannot be read."""
    return iso_date(_string(value))


def json_problem(error: Exception) -> str:
    """A sentence for why a JSON file cannot be read, without the parser's excerpt of it."""
    text = str(error)
    if "premature EOF" in text:
        return _("The file is cut short: its JSON ends before it is complete.")
    if "UTF8" in text or "UTF-8" in text:
        return _("The file is not UTF-8 text; save it as UTF-8 and import it again.")
    # The parser's message goes on to quote the file; its first clause is enough.
    first = text.removeprefix("b'").replace("\\n", "\n").split("\n")[0]
    return _("The file is not valid JSON: %(error)s") % {"error": first[:200]}

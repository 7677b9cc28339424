"""Applying discussions: threads matched to pages here, comments stored through discussion's
`comments_import`, level by level so a reply always finds its parent."""

import json
import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.utils import timezone
from wagtail.models import Page, Site

from masthead.core.hashing import address_hash
from masthead.discussion import services as discussion
from masthead.discussion.screening import Submission, screen_submission
from masthead.publishing.models import ArticlePage
from masthead.publishing.selectors import page_for_url
from masthead.transfer.context import ImportContext
from masthead.transfer.models import ImportItem, ImportRun, SourceLink
from masthead.transfer.records import CommentRecord, ThreadRecord

# What the sanitizer will take out of a comment's HTML (tags, script URLs, event handlers).
_UNSAFE_MARKUP = re.compile(
    r"<\s*(script|style|iframe|object|embed)\b|<[a-z][^>]*(?:java|vb)script\s*:"
    r"|<[a-z][^>]*\son[a-z]+\s*=",
    re.IGNORECASE,
)

# An IPv4 address, or something IPv6-shaped (address_hash decides whether it is one).
_ADDRESS = re.compile(
    r"(?<![\w.:])(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})(?![\w.:])"
)
# What one comment keeps of its source's extra fields, as JSON (Akismet's history of a much
# discussed comment can run long; a moderator needs its gist, not every byte).
MAX_KEPT_BYTES = 8192


# --- threads ---------------------------------------------------------------------------------


def threads_apply(
    context: ImportContext, run: ImportRun, batch: list[tuple[int, ThreadRecord]]
) -> list[int]:
    """Threads wait in the staging table: each is made when its first comment is stored, so
    the pages a Disqus export lists without a single comment make no empty discussions."""
    return [pk for pk, _record in batch]


def threads_unused_report(context: ImportContext, run: ImportRun) -> None:
    """Report the discussions of the file that brought no comment."""
    items = ImportItem.objects.filter(run=run, kind="thread").values_list("source_id", "payload")
    batch: list[tuple[str, dict]] = []

    def flush():
        known = context.links.get_many("thread", [source_id for source_id, _p in batch])
        for source_id, payload in batch:
            if source_id not in known:
                context.report.skip(
                    "no_comments", source_id=source_id, detail=payload.get("url", "")
                )
        batch.clear()

    for row in items.iterator(chunk_size=1000):
        batch.append(row)
        if len(batch) >= 1000:
            flush()
    flush()


def _thread_from_record(context: ImportContext, record: ThreadRecord) -> int | None:
    target = _thread_target(context, record)
    if target is None:
        return None
    page, url = target
    thread = discussion.thread_import(
        page=page, url=url, title=record.title, closed=record.closed, created=record.created
    )
    context.links.add("thread", record.source_id, thread.pk)
    context.report.count("threads_on_pages" if page is not None else "threads_by_address")
    return thread.pk


def _thread_for(context: ImportContext, source_id: str) -> int | None:
    """The thread here of a source thread id: linked before, or made now from its staged
    ThreadRecord, or (WordPress) from the imported post it belongs to."""
    thread_id = context.links.get("thread", source_id)
    if thread_id is not None or source_id in context.dead_threads:
        return thread_id
    payload = (
        ImportItem.objects.filter(run_id=context.run_id, kind="thread", source_id=source_id)
        .values_list("payload", flat=True)
        .first()
    )
    if payload is not None:
        from masthead.transfer.importing import record_load

        thread_id = _thread_from_record(context, record_load("thread", payload))
        if thread_id is None:
            context.dead_threads[source_id] = "no_target"
        return thread_id
    thread_id = _thread_for_page_record(context, source_id)
    if thread_id is None:
        context.dead_threads[source_id] = "orphan_thread"
    return thread_id


def _thread_target(context: ImportContext, record: ThreadRecord):
    """(page, "") for a discussion of a page here, (None, url) for one elsewhere, or None."""
    page = _page_from_wordpress_id(record.identifier)
    site = _site(context)
    for address in (record.url, record.identifier):
        if page is None and address and ("/" in address):
            found = page_for_url(address.split(" ")[-1], site=site)
            # Only articles carry a discussion here: the front page or a section matched by
            # a bare "/" or "/?p=42" must not collect comments nobody would see.
            page = found if isinstance(found, ArticlePage) else None
    if page is not None:
        return page, ""
    url = record.url or (record.identifier if "://" in record.identifier else "")
    if not url and record.identifier.startswith("/") and site is not None:
        # Isso and Remark42 keep the page's path; it was on this outlet's own site.
        url = site.root_url.rstrip("/") + record.identifier
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return None, url


def _page_from_wordpress_id(identifier: str) -> Page | None:
    """Disqus's WordPress plugin names a thread "<post id> <permalink>": the post may have
    been imported from the site's WordPress export already."""
    post_id, _sep, address = (identifier or "").partition(" ")
    if not post_id.isdigit() or "://" not in address:
        return None
    link = (
        SourceLink.objects.filter(
            source__startswith="wordpress:", kind__in=("article", "page"), source_id=post_id
        )
        .values_list("object_id", flat=True)
        .first()
    )
    if link is None:
        return None
    page = Page.objects.filter(pk=link).first()
    return page.specific if page is not None else None


def _site(context: ImportContext) -> Site | None:
    if context.options.site_id:
        return Site.objects.filter(pk=context.options.site_id).first()
    return Site.objects.filter(is_default_site=True).first()


def _thread_for_page_record(context: ImportContext, source_id: str) -> int | None:
    """WordPress comments name their post: its page's thread, made on first use."""
    page_id = context.links.get("article", source_id) or context.links.get("page", source_id)
    if page_id is None:
        return None
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return None
    closed = (
        ImportItem.objects.filter(run_id=context.run_id, kind="page", source_id=source_id)
        .values_list("payload__comments_closed", flat=True)
        .first()
    )
    thread = discussion.thread_import(page=page.specific, closed=bool(closed))
    context.links.add("thread", source_id, thread.pk)
    return thread.pk


# --- comments --------------------------------------------------------------------------------


def comments_apply(
    context: ImportContext, run: ImportRun, batch: list[tuple[int, CommentRecord]]
) -> list[int]:
    """Store a batch's comments whose parent is stored (or in this batch); return the items
    that are finished. Replies whose parent is staged later in the file wait for a later
    pass; the importer reports the ones whose parent never comes."""
    links = context.links
    already = links.get_many("comment", [record.source_id for _pk, record in batch])
    finished: list[int] = []
    waiting: list[tuple[int, CommentRecord]] = []
    for pk, record in batch:
        if record.source_id in already:
            context.report.skip("already_imported", source_id=record.source_id)
            finished.append(pk)
        else:
            waiting.append((pk, record))
    batch_ids = {record.source_id for _pk, record in waiting}
    while waiting:
        parents = links.get_many(
            "comment", [rec.parent_id for _pk, rec in waiting if rec.parent_id]
        )
        wave, later = [], []
        for pk, record in waiting:
            if not record.parent_id or record.parent_id in parents:
                wave.append((pk, record))
            elif record.parent_id in batch_ids:
                later.append((pk, record))
            elif _parent_is_staged(context, record.parent_id):
                pass  # its parent comes later in the file: a later pass
            else:
                context.report.skip(
                    "orphan_parent",
                    source_id=record.source_id,
                    detail=record.parent_id,
                    line=record.line,
                )
                finished.append(pk)
        if not wave:
            break
        finished += _store_wave(context, wave, parents)
        batch_ids -= {record.source_id for _pk, record in wave}
        waiting = later
    return finished


def _parent_is_staged(context: ImportContext, parent_id: str) -> bool:
    return ImportItem.objects.filter(
        run_id=context.run_id, kind="comment", source_id=parent_id, done=False
    ).exists()


def _store_wave(context: ImportContext, wave, parents: dict[str, int]) -> list[int]:
    links, report = context.links, context.report
    finished, rows, sources = [], [], []
    now = timezone.now()
    future = now + timedelta(days=1)
    for pk, record in wave:
        finished.append(pk)
        thread_id = _thread_for(context, record.thread_id)
        if thread_id is None:
            report.skip(
                context.dead_threads.get(record.thread_id, "orphan_thread"),
                source_id=record.source_id,
                detail=record.thread_id,
                line=record.line,
            )
            continue
        created = record.created
        if created is None:
            report.correct(
                "date_unreadable",
                source_id=record.source_id,
                line=record.line,
                detail=str(record.meta.get("unreadable_date", "")),
            )
            created = now
        elif created > future:
            report.correct(
                "date_in_future",
                source_id=record.source_id,
                line=record.line,
                detail=created.isoformat(),
            )
            created = now
        status = record.status
        text, html = _text_and_html(record)
        if status == "deleted":
            # What a reader deleted is not brought back: the placeholder keeps the shape.
            text, html = "", ""
        elif not text.strip():
            report.correct("empty", source_id=record.source_id, line=record.line)
            status, text, html = "deleted", "", ""
        elif record.body_format == "html" and _UNSAFE_MARKUP.search(record.body):
            report.correct("html_cleaned", source_id=record.source_id, line=record.line)
        reasons = tuple(record.meta.get("moderation_reasons") or ())
        if context.options.screen and status == "published":
            status, reasons = _screen(record, text)
        rows.append(
            discussion.ImportedComment(
                thread_id=thread_id,
                parent_id=parents.get(record.parent_id) if record.parent_id else None,
                author_name=record.author_name,
                author_email=record.author_email,
                text=text,
                html=html,
                status=status,
                created=created,
                upvotes=record.upvotes,
                downvotes=record.downvotes,
                edited=_edited(record),
                pinned=record.sticky,
                replies_closed=record.replies_closed,
                moderation_reasons=reasons,
                anchor=_anchor(record),
                author_url=record.author_url,
                ip_hash=record.ip_hash,
                source_meta=_kept(record, report),
            )
        )
        sources.append(record)
    stored = discussion.comments_import(comments=rows)
    pairs = list(zip(sources, stored, strict=True))
    links.add_many("comment", [(record.source_id, comment.pk) for record, comment in pairs])
    for record, comment in pairs:
        report.count("comments")
        if comment.replied_to_id:
            report.correct("depth_flattened", source_id=record.source_id, line=record.line)
        if comment.status == "pending" and context.options.screen:
            report.count("comments_held_by_screening")
    return finished


def _kept(record: CommentRecord, report) -> dict:
    """What the source kept beside the comment, fit to store: network addresses written in
    it replaced by their keyed hash (as the comment's own), and at most MAX_KEPT_BYTES of
    JSON, the largest values left out first."""
    kept = {str(key)[:200]: _addresses_hashed(value) for key, value in record.kept.items()}
    sizes = {
        key: len(json.dumps(value, ensure_ascii=False)) + len(key) for key, value in kept.items()
    }
    total = sum(sizes.values())
    if total > MAX_KEPT_BYTES:
        for key in sorted(sizes, key=sizes.get, reverse=True):
            del kept[key]
            total -= sizes[key]
            if total <= MAX_KEPT_BYTES:
                break
        report.correct("meta_trimmed", source_id=record.source_id, line=record.line)
    return kept


def _addresses_hashed(value):
    if isinstance(value, str):
        return _ADDRESS.sub(_address_replaced, value)
    if isinstance(value, dict):
        return {key: _addresses_hashed(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_addresses_hashed(item) for item in value]
    return value


def _address_replaced(match: re.Match) -> str:
    hashed = address_hash(match.group(0))
    return f"[address {hashed[:16]}]" if hashed else match.group(0)


def _text_and_html(record: CommentRecord) -> tuple[str, str | None]:
    if "masthead_html" in record.meta:
        return record.body, record.meta["masthead_html"]
    if record.body_format == "html":
        return record.body, record.body
    return record.body, None  # Markdown (or plain text) renders as a new comment would


def _edited(record: CommentRecord):
    value = record.meta.get("edited")
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _anchor(record: CommentRecord):
    anchor = record.meta.get("anchor")
    if not isinstance(anchor, dict) or not (anchor.get("exact") or anchor.get("block")):
        return None
    return discussion.Anchor(
        block=str(anchor.get("block", "")),
        exact=str(anchor.get("exact", "")),
        prefix=str(anchor.get("prefix", "")),
        suffix=str(anchor.get("suffix", "")),
    )


def _screen(record: CommentRecord, text: str) -> tuple[str, tuple]:
    """The moderation pipeline's verdict, as on a new comment (only with --screen): what it
    would hold or reject goes to the moderation queue, never away."""
    verdict = screen_submission(
        Submission(
            text=text,
            author_name=record.author_name,
            author_email=record.author_email,
            user_id=None,
            ip_hash="",
            thread_key="",
            context={"imported": True},
        )
    )
    if verdict.action == "publish":
        return "published", tuple(verdict.reasons)
    return "pending", tuple(verdict.reasons)

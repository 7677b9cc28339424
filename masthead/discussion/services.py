"""Every write of the discussion: posting, editing, deleting, voting, closing.

HTML views, the JSON API, the demo loader and tests all call these functions. Each runs in one
transaction, locks the rows whose counters it changes, and announces what readers will see only
after the commit.
"""

import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import connections, router, transaction
from django.db.models import Count, Model, Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from masthead.core import idempotency
from masthead.core.pagecache import tagged_value
from masthead.core.text import EMAIL_MAX_LENGTH, has_unstorable, storable_line, storable_text
from masthead.discussion import selectors, signals
from masthead.discussion.models import Comment, DiscussionSettings, SourceMeta, Thread, Vote
from masthead.discussion.rendering import (
    bidi_controls_strip,
    comment_render,
    comment_render_html,
)
from masthead.discussion.screening import Submission, Verdict, screen_submission

MAX_NAME_LENGTH = 80


class DiscussionError(Exception):
    """A request the discussion refuses, with a message for the reader and an HTTP status."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFoundError(DiscussionError):
    status = 404


class ThreadClosedError(DiscussionError):
    status = 409


class NotAllowedError(DiscussionError):
    status = 403


class ConflictError(DiscussionError):
    status = 409


class RejectedError(DiscussionError):
    """The screen refused the text; `code` "nudge" means the reader may confirm and post anyway."""

    status = 422

    def __init__(self, message: str, *, field: str | None = "text", code: str = "rejected"):
        super().__init__(message, field=field)
        self.code = code


class RateLimitedError(DiscussionError):
    status = 429

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = max(1, int(retry_after))


def _raise_for_rejection(verdict: Verdict) -> None:
    """Turn a "reject" verdict into the error the reader sees, with the right HTTP status."""
    message = verdict.message or _("This comment cannot be published.")
    if verdict.code == "rate_limited":
        raise RateLimitedError(message, retry_after=verdict.retry_after or 60)
    if verdict.code == "banned":
        raise NotAllowedError(message)
    if verdict.code == "closed":
        raise ThreadClosedError(message)
    raise RejectedError(message, code=verdict.code or "rejected")


@dataclass(frozen=True)
class Author:
    """Who writes or acts: a signed-in user, or a guest known by a name, email and reader id."""

    name: str = ""
    email: str = ""
    user: object | None = None
    reader: str = ""  # keyed hash of the guest's reader cookie
    ip_hash: str = ""

    @property
    def voter_key(self) -> str:
        if self.user is not None and getattr(self.user, "is_authenticated", False):
            return f"user:{self.user.pk}"
        return f"guest:{self.reader}"


@dataclass(frozen=True)
class Anchor:
    """Where an inline-feedback comment points: a marked passage or a quoted sentence."""

    block: str = ""
    exact: str = ""
    prefix: str = ""
    suffix: str = ""


CLOSE_AFTER_DAYS_CACHE_KEY = "discussion:close-after-days"


def close_after_days() -> int:
    """Return after how many days threads close (the admin's site setting, else the server's).

    Every article asks: kept in each process while the "discussion-settings" tag stands, which
    saving the setting changes (receivers.py).
    """

    def configured_days() -> int:
        row = DiscussionSettings.objects.filter(site__is_default_site=True).first()
        configured = row.close_after_days if row is not None else None
        return settings.DISCUSSION_CLOSE_AFTER_DAYS if configured is None else configured

    return tagged_value(
        CLOSE_AFTER_DAYS_CACHE_KEY, tags=["discussion-settings"], compute=configured_days
    )


def thread_is_closed(thread: Thread, *, now=None) -> bool:
    """Return whether `thread` takes no new comments (closed by hand, or by age)."""
    if thread.closed:
        return True
    days = close_after_days()
    if not days or thread.page_id is None:
        return False
    published = thread.page.specific_deferred
    date = getattr(published, "date", None) or published.first_published_at
    if date is not None:
        return (now or timezone.now()) >= date + timedelta(days=days)
    return False


def thread_for_page(page) -> Thread:
    """Return the thread of a Wagtail page, creating it on first use. Its key is the page id."""
    thread, _created = Thread.objects.get_or_create(
        key=str(page.pk), defaults={"page": page, "title": page.title[:300]}
    )
    return thread


def thread_for_url(url: str, *, title: str = "") -> Thread:
    """Return the thread of a page outside Masthead, keyed by a hash of its normalised URL."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise DiscussionError(
            _("Give the full address of the page, starting with https://."), field="url"
        )
    # Fragments and a trailing slash do not make another page.
    normalised = urlunsplit(
        (parts.scheme, parts.netloc.lower(), parts.path.rstrip("/") or "/", parts.query, "")
    )
    key = "url-" + hashlib.sha256(normalised.encode()).hexdigest()[:32]
    thread, _created = Thread.objects.get_or_create(
        key=key, defaults={"url": normalised, "title": title[:300]}
    )
    return thread


# What a thread key is: a page id (thread_for_page), or "url-" and a hash (thread_for_url).
# Checked before any query, so a key with NUL or of 10,000 characters is a 404, never a
# database error.
THREAD_KEY_PATTERN = re.compile(r"[0-9]{1,18}|url-[0-9a-f]{32}")


def thread_key_is_valid(key: str) -> bool:
    """Return whether `key` has the shape of a thread key (it may still name no thread)."""
    return THREAD_KEY_PATTERN.fullmatch(key or "") is not None


def thread_get(key: str, *, with_page: bool = True) -> Thread:
    """Return the thread with `key`, or raise NotFoundError.

    `with_page` loads its article's page in the same query (title, address, age); a caller
    that needs none of them, like posting when threads never close by age, saves the time
    Django takes to build a Wagtail page row.
    """
    if not thread_key_is_valid(key):
        raise NotFoundError(
            _(
                "There is no discussion with this key: a key is a page number, or “url-” and 32 "
                "hexadecimal digits."
            )
        )
    if with_page:
        thread = Thread.objects.select_related("page").filter(key=key).first()
    else:
        thread = selectors.thread_by_key(key)
    if thread is None:
        # An article's thread exists from its first visit; create it on demand for API callers.
        from wagtail.models import Page

        # Keys longer than a page id could be are no page (and would overflow the database).
        is_page_id = key.isdigit() and len(key) <= 18 and key.isascii()
        page = Page.objects.live().filter(pk=int(key)).first() if is_page_id else None
        if page is None:
            raise NotFoundError(_("There is no discussion with this key."))
        thread = thread_for_page(page)
    return thread


def thread_close(*, thread: Thread, closed: bool = True) -> Thread:
    """Close (or reopen) `thread` for new comments."""
    Thread.objects.filter(pk=thread.pk).update(closed=closed)
    thread.closed = closed
    transaction.on_commit(
        lambda: signals.thread_changed.send(sender=Thread, thread=thread), robust=True
    )
    return thread


def _clean_text(text: str) -> str:
    text = bidi_controls_strip(storable_text(text)).strip()
    if not text:
        raise DiscussionError(_("Write something before posting."), field="text")
    limit = settings.DISCUSSION_MAX_LENGTH
    if len(text) > limit:
        raise DiscussionError(
            ngettext(
                "Comments can be at most %(limit)s character long; this one has %(length)s.",
                "Comments can be at most %(limit)s characters long; this one has %(length)s.",
                limit,
            )
            % {
                "limit": number_format(limit, force_grouping=True),
                "length": number_format(len(text), force_grouping=True),
            },
            field="text",
        )
    return text


def _clean_author(author: Author) -> Author:
    if author.user is not None and getattr(author.user, "is_authenticated", False):
        name = bidi_controls_strip(author.user.get_full_name() or author.user.get_username())
        return Author(name[:MAX_NAME_LENGTH], author.user.email, author.user, "", author.ip_hash)
    name = " ".join(bidi_controls_strip(storable_line(author.name)).split())
    if not name:
        raise DiscussionError(_("Tell us your name."), field="author_name")
    if len(name) > MAX_NAME_LENGTH:
        raise DiscussionError(
            ngettext(
                "Names can be at most %(limit)s character long.",
                "Names can be at most %(limit)s characters long.",
                MAX_NAME_LENGTH,
            )
            % {"limit": MAX_NAME_LENGTH},
            field="author_name",
        )
    email = storable_line(author.email)
    if len(email) > EMAIL_MAX_LENGTH:
        raise DiscussionError(
            ngettext(
                "Email addresses can be at most %(limit)s character long.",
                "Email addresses can be at most %(limit)s characters long.",
                EMAIL_MAX_LENGTH,
            )
            % {"limit": EMAIL_MAX_LENGTH},
            field="author_email",
        )
    if email or settings.DISCUSSION_GUEST_EMAIL_REQUIRED:
        try:
            validate_email(email)
        except ValidationError:
            raise DiscussionError(
                _("Give an email address like name@example.org (it is never shown)."),
                field="author_email",
            ) from None
    return Author(name, email, None, author.reader, author.ip_hash)


def _clean_anchor(anchor: Anchor | None) -> Anchor | None:
    if anchor is None:
        return None
    # The passage marker is an id editors give a body block: refused, not changed, when odd.
    if has_unstorable(anchor.block):
        raise DiscussionError(_("This passage is not one of the article's."), field="anchor")
    block, exact = anchor.block.strip(), storable_line(anchor.exact)
    if not (block or exact):
        return None
    if len(exact) > 1000 or len(block) > 64:
        raise DiscussionError(_("The quoted passage is too long."), field="anchor")
    # The context around a quote is matched character for character: its spaces stay.
    prefix, suffix = storable_text(anchor.prefix), storable_text(anchor.suffix)
    return Anchor(block, exact, prefix[-64:], suffix[:64])


def _apply_verdict(comment: Comment, verdict: Verdict) -> None:
    comment.status = {
        "publish": Comment.Status.PUBLISHED,
        "hold": Comment.Status.PENDING,
        "reject": Comment.Status.REJECTED,
    }[verdict.action]
    comment.listed = comment.status == Comment.Status.PUBLISHED
    comment.moderation_reasons = list(verdict.reasons)
    comment.moderation_scores = dict(verdict.scores)


def _counters_shift(
    *,
    thread_id: int | None = None,
    comments: int = 0,
    parent_id: int | None = None,
    replies: int = 0,
    comment_id: int | None = None,
    upvotes: int = 0,
    downvotes: int = 0,
) -> None:
    """The one place that changes the stored counters readers see: a thread's comment count,
    a parent's reply count, a comment's votes (its score is always upvotes − downvotes).

    Relative UPDATEs, so callers holding the row locks their service takes never lose a step.
    """
    if thread_id is not None and comments:
        _counts_add(Thread, thread_id, comment_count=comments)
    if parent_id is not None and replies:
        _counts_add(Comment, parent_id, reply_count=replies)
        if replies < 0:
            # A parent that is no longer published stays listed only as a stand-in for its
            # replies: when its last listed reply goes, it goes too.
            Comment.objects.filter(pk=parent_id, reply_count=0).exclude(
                status=Comment.Status.PUBLISHED
            ).update(listed=False)
    if comment_id is not None and (upvotes or downvotes):
        _counts_add(
            Comment,
            comment_id,
            upvotes=upvotes,
            downvotes=downvotes,
            score=upvotes - downvotes,
        )


def _counts_add(model: type[Model], pk: int, **amounts: int) -> None:
    """Add `amounts` to the named counters of one row, as one plain relative UPDATE.

    Every posted comment and vote moves a counter under the write lock; Django takes ~200 µs
    to build such an UPDATE, several times what the database takes to run it, while every
    other writer waits (bench/peers.py's posting profile).
    """
    using = router.db_for_write(model)
    with connections[using].cursor() as cursor:
        cursor.execute(_counts_add_sql(model, using, tuple(amounts)), [*amounts.values(), pk])


@functools.cache
def _counts_add_sql(model: type[Model], using: str, names: tuple[str, ...]) -> str:
    """`UPDATE table SET a = a + %s, ... WHERE pk = %s`, built once per model, database and
    counters."""
    quote = connections[using].ops.quote_name
    columns = [quote(model._meta.get_field(name).column) for name in names]
    assignments = ", ".join(f"{column} = {column} + %s" for column in columns)
    table, key = quote(model._meta.db_table), quote(model._meta.pk.column)
    # Names from the model's own metadata, quoted; the amounts and the key go as parameters.
    return f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608


def _counters_follow(comment: Comment, *, was_published: bool, was_listed: bool) -> None:
    """Move the counters after `comment` changed status: the thread counts published comments,
    the parent counts the replies listed under it (published ones and placeholders)."""
    is_published = comment.status == Comment.Status.PUBLISHED
    _counters_shift(
        thread_id=comment.thread_id,
        comments=is_published - was_published,
        parent_id=comment.parent_id,
        replies=comment.listed - was_listed,
    )


def _announce(comment: Comment, verdict: Verdict | None = None) -> None:
    thread = comment.thread
    signals.comment_stored.send(sender=Comment, comment=comment, verdict=verdict)

    def send():
        published = None
        if comment.status == Comment.Status.PUBLISHED:
            signals.comment_published.send(sender=Comment, comment=comment)
            published = comment
        elif comment.status == Comment.Status.PENDING:
            signals.comment_held.send(sender=Comment, comment=comment, verdict=verdict)
        signals.thread_changed.send(sender=Thread, thread=thread, published=published)

    # What others do once the comment is stored (live events, cached pages) is logged when
    # it fails: the comment is committed, and its answer must say so.
    transaction.on_commit(send, robust=True)


def reply_parent(parent: Comment) -> Comment:
    """Return the comment a reply to `parent` is stored under, so no reply is deeper than
    DISCUSSION_NESTING_DEPTH: `parent`, or else its ancestor one level above that depth.

    As in WordPress and wpDiscuz, answering a comment at the deepest level adds a reply beside
    it (under the same ancestor), where readers see it in the same flat "@name" list; the
    reply keeps the comment it answers as `replied_to`.
    """
    deepest = settings.DISCUSSION_NESTING_DEPTH
    if parent.depth < deepest:
        return parent
    # Conversations stored before the limit may be far deeper: walk up in memory from one
    # query, not one query per level.
    parents = dict(
        Comment.objects.filter(root_id=parent.root_id or parent.pk).values_list("pk", "parent_id")
    )
    ancestor_id = parent.pk
    for _level in range(parent.depth - deepest + 1):
        ancestor_id = parents.get(ancestor_id) or parent.root_id or ancestor_id
    return Comment.objects.get(pk=ancestor_id)


def comment_post(
    *,
    thread: Thread,
    text: str,
    author: Author,
    parent_id: int | None = None,
    anchor: Anchor | None = None,
    context: dict | None = None,
    created=None,
    idempotency_key: str | None = None,
) -> Comment:
    """Validate, screen and store a comment; announce it once the transaction commits.

    With an `idempotency_key` used before by the same author on this thread, nothing is
    posted: the comment of the first attempt is returned, marked `replayed`.
    """
    text = _clean_text(text)
    author = _clean_author(author)
    anchor = _clean_anchor(anchor)
    replay = None
    if idempotency_key is not None:
        scope = idempotency.idempotency_hash("comment_post", thread.pk, _identity(author))
        fingerprint = idempotency.idempotency_hash(text, parent_id, anchor)
        replay = (scope, idempotency_key, fingerprint)
        # The screen counts every attempt of one key as one post (rate limits, floods).
        context = {
            **(context or {}),
            "attempt": idempotency.idempotency_hash(scope, idempotency_key),
        }
    verdict = None
    if replay is None or not _idempotency_known(scope, idempotency_key):
        if thread_is_closed(thread):
            raise ThreadClosedError(_("This discussion is closed; it takes no new comments."))
        # Screened before the transaction: the model and the rules read, never write, this
        # thread's rows, and on SQLite every writer waits while a transaction holds the lock.
        verdict = _screen(thread=thread, text=text, author=author, context=context)
        if verdict.action == "reject" and replay is None:
            _raise_for_rejection(verdict)
    return _comment_store(
        thread=thread,
        text=text,
        # Rendered before the transaction, like the screening: on SQLite every other writer
        # waits while it runs.
        html=comment_render(text),
        author=author,
        parent_id=parent_id,
        anchor=anchor,
        context=context,
        created=created,
        replay=replay,
        verdict=verdict,
    )


def _screen(*, thread: Thread, text: str, author: Author, context: dict | None) -> Verdict:
    return screen_submission(
        Submission(
            text=text,
            author_name=author.name,
            author_email=author.email,
            user_id=author.user.pk if author.user is not None else None,
            ip_hash=author.ip_hash,
            thread_key=thread.key,
            context=context or {},
        )
    )


@transaction.atomic
def _comment_store(
    *,
    thread: Thread,
    text: str,
    html: str,
    author: Author,
    parent_id: int | None,
    anchor: Anchor | None,
    context: dict | None,
    created,
    replay: tuple[str, str, str] | None,
    verdict: Verdict | None,
) -> Comment:
    # The thread's lock orders the writers of one thread: a post either sees the thread (or
    # the branch it answers) closed or deleted, or is stored before the change. On SQLite the
    # transaction took the database's write lock as it began, so the row is read now. Where
    # the database locks rows (PostgreSQL), the row is locked last, just before the counters
    # move: every post to a thread queues on that lock, and what runs before it (the
    # comment's row, its outbox entry) then runs for all of them at once. What the lock
    # protects is checked again once it is held.
    lock_late = _row_locks()
    if not lock_late:
        thread = _thread_lock(thread)
    if replay is not None:
        earlier = _idempotency_claim(*replay)
        if earlier is not None:
            return earlier
    if thread_is_closed(thread):
        raise ThreadClosedError(_("This discussion is closed; it takes no new comments."))
    parent = None
    if parent_id is not None:
        parent = Comment.objects.filter(pk=parent_id, thread=thread).first()
        if parent is None or parent.status != Comment.Status.PUBLISHED:
            raise DiscussionError(
                _("The comment you are replying to is not in this discussion (any more)."),
                field="parent",
            )
        if parent.replies_closed:
            raise ThreadClosedError(_("This conversation is closed; it takes no new replies."))
        anchor = None  # replies belong to their conversation, not to a passage
        parent = reply_parent(parent)
    if verdict is None:
        # The key was known before screening but is gone now (pruned): a new post after all.
        verdict = _screen(thread=thread, text=text, author=author, context=context)
    if verdict.action == "reject":
        # Raised only now for a post with a key: a retry racing its first attempt was screened
        # as a repeat (flood, rate limits) but answers with the first attempt's comment above.
        _raise_for_rejection(verdict)
    comment = Comment(
        thread=thread,
        parent=parent,
        root_id=(parent.root_id or parent.pk) if parent else None,
        depth=parent.depth + 1 if parent else 0,
        replied_to_id=parent_id if parent and parent.pk != parent_id else None,
        user=author.user,
        author_name=author.name,
        author_email=author.email,
        author_reader=author.reader,
        ip_hash=author.ip_hash,
        text=text,
        html=html,
        created=created or timezone.now(),
        anchor_block=anchor.block if anchor else "",
        anchor_exact=anchor.exact if anchor else "",
        anchor_prefix=anchor.prefix if anchor else "",
        anchor_suffix=anchor.suffix if anchor else "",
        inline_feedback=anchor is not None,
    )
    _apply_verdict(comment, verdict)
    comment.save()
    comment.verdict = verdict
    if replay is not None:
        scope, key, _fingerprint = replay
        idempotency.idempotency_key_record(scope=scope, key=key, result={"comment_id": comment.pk})
    _announce(comment, verdict)
    if lock_late:
        comment.thread = _thread_lock(thread)
        if thread_is_closed(comment.thread):
            raise ThreadClosedError(_("This discussion is closed; it takes no new comments."))
        if parent_id is not None:
            answered = (
                Comment.objects.filter(pk=parent_id).values("status", "replies_closed").first()
            )
            if answered is None or answered["status"] != Comment.Status.PUBLISHED:
                raise DiscussionError(
                    _("The comment you are replying to is not in this discussion (any more)."),
                    field="parent",
                )
            if answered["replies_closed"]:
                raise ThreadClosedError(_("This conversation is closed; it takes no new replies."))
    _counters_follow(comment, was_published=False, was_listed=False)
    return comment


def _row_locks() -> bool:
    """Whether the database the thread is written to locks single rows (PostgreSQL does;
    SQLite locks the whole database for a write transaction)."""
    return connections[router.db_for_write(Thread)].features.has_select_for_update


def _thread_lock(thread: Thread) -> Thread:
    """The thread read again with its row locked until the transaction ends; NotFoundError if
    it was deleted since `thread` was read."""
    # The page is not read again: it only says when the thread closes by age, and building a
    # Wagtail page row is a good share of a post's time.
    page = thread.page if Thread.page.is_cached(thread) else None
    try:
        locked = selectors.thread_locked(thread.pk)
    except Thread.DoesNotExist:
        # Deleted (with its article) since the post read it: nothing will be stored.
        raise NotFoundError(_("There is no discussion with this key.")) from None
    if page is not None and page.pk == locked.page_id:
        locked.page = page
    return locked


def _identity(author: Author) -> str:
    # A guest's reader cookie may be new on each attempt of a cookieless client: the network
    # is what stays the same between retries.
    return f"user:{author.user.pk}" if author.user is not None else f"network:{author.ip_hash}"


def _idempotency_refusal(error: idempotency.IdempotencyError) -> DiscussionError:
    refusal = DiscussionError(error.message, field="idempotency_key")
    refusal.status = error.status
    return refusal


def _idempotency_known(scope: str, key: str) -> bool:
    try:
        return idempotency.idempotency_key_known(scope=scope, key=key)
    except idempotency.IdempotencyError as error:
        raise _idempotency_refusal(error) from None


def _idempotency_claim(scope: str, key: str, fingerprint: str) -> Comment | None:
    """Claim `key` for this post, or return the comment its first attempt stored."""
    try:
        earlier = idempotency.idempotency_key_claim(scope=scope, key=key, fingerprint=fingerprint)
    except idempotency.IdempotencyError as error:
        raise _idempotency_refusal(error) from None
    if earlier is None:
        return None
    comment = Comment.objects.select_related("thread").filter(pk=earlier["comment_id"]).first()
    if comment is None:
        raise ConflictError(
            _("The comment first posted with this Idempotency-Key is gone; post with a new key."),
            field="idempotency_key",
        )
    comment.replayed = True
    return comment


def comment_is_authored_by(comment: Comment, author: Author) -> bool:
    """Return whether `author` wrote `comment` (same account, or same guest reader cookie)."""
    if comment.user_id is not None:
        return author.user is not None and author.user.pk == comment.user_id
    return bool(author.reader) and author.reader == comment.author_reader


def comment_edit_deadline(comment: Comment):
    """Return until when the author may edit `comment`."""
    return comment.created + timedelta(seconds=settings.DISCUSSION_EDIT_WINDOW)


@transaction.atomic
def comment_edit(*, comment_id: int, text: str, author: Author, context=None) -> Comment:
    """Replace the text of the author's own comment, screening it again."""
    text = _clean_text(text)
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("thread")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None or comment.status in (Comment.Status.DELETED, Comment.Status.REJECTED):
        raise NotFoundError(_("There is no such comment."))
    if not comment_is_authored_by(comment, author):
        raise NotAllowedError(_("Only the author can edit this comment."))
    if comment.children.exists() or comment.answers.exists():
        raise ConflictError(_("This comment has replies now, so it can no longer be edited."))
    if timezone.now() >= comment_edit_deadline(comment):
        raise ConflictError(_("The time for editing this comment has passed."))
    verdict = screen_submission(
        Submission(
            text=text,
            author_name=comment.author_name,
            author_email=comment.author_email,
            user_id=comment.user_id,
            ip_hash=author.ip_hash,
            thread_key=comment.thread.key,
            is_edit=True,
            thread_closed=thread_is_closed(comment.thread),
            context={**(context or {}), "comment_id": comment.pk},
        )
    )
    if verdict.action == "reject":
        _raise_for_rejection(verdict)
    was_visible = comment.status == Comment.Status.PUBLISHED
    was_listed = comment.listed
    comment.text = text
    comment.html = comment_render(text)
    comment.edited = timezone.now()
    _apply_verdict(comment, verdict)
    comment.save()
    _counters_follow(comment, was_published=was_visible, was_listed=was_listed)
    _announce(comment, verdict)
    return comment


@transaction.atomic
def comment_delete(*, comment_id: int, author: Author) -> Comment:
    """Delete the author's own comment; with replies it stays as "This comment was deleted."."""
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("thread")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None or comment.status == Comment.Status.DELETED:
        raise NotFoundError(_("There is no such comment."))
    if not comment_is_authored_by(comment, author):
        raise NotAllowedError(_("Only the author can delete this comment."))
    was_visible = comment.status == Comment.Status.PUBLISHED
    was_listed = comment.listed
    comment.status = Comment.Status.DELETED
    # With replies it stays as a placeholder, so the conversation keeps its shape.
    comment.listed = comment.reply_count > 0
    comment.save(update_fields=["status", "listed"])
    _counters_follow(comment, was_published=was_visible, was_listed=was_listed)
    _announce(comment)
    return comment


MODERATOR_STATUSES = {
    Comment.Status.PUBLISHED,
    Comment.Status.PENDING,
    Comment.Status.REJECTED,
    Comment.Status.SPAM,
    Comment.Status.DELETED,
}


@transaction.atomic
def comment_moderate(
    *,
    comment_id: int,
    status: str,
    reasons: list[str] | None = None,
    expect: set[str] | None = None,
) -> Comment:
    """Move a comment to `status` for a moderator (or a rule such as reader reports).

    Counters follow what readers see: the thread counts published comments, a parent counts
    the replies listed under it. A comment that leaves "published" while it has listed
    replies stays in the thread as a placeholder, so the conversation keeps its shape.
    Subscribers hear of a comment when it first becomes published (they are told once).
    With `expect`, the change happens only from one of those statuses (checked under the lock,
    so two moderators acting at once cannot both act).
    """
    if status not in MODERATOR_STATUSES:
        raise DiscussionError(
            _("Unknown comment status “%(status)s”.") % {"status": status}, field="status"
        )
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("thread")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None or (expect is not None and comment.status not in expect):
        raise NotFoundError(_("There is no such comment in the state this action expects."))
    comment.previous_status = comment.status
    if comment.status == status and reasons is None:
        return comment
    was_published = comment.status == Comment.Status.PUBLISHED
    was_listed = comment.listed
    comment.status = status
    comment.listed = status == Comment.Status.PUBLISHED or comment.reply_count > 0
    fields = ["status", "listed"]
    if reasons is not None:
        comment.moderation_reasons = list(reasons)
        fields.append("moderation_reasons")
    comment.save(update_fields=fields)
    _counters_follow(comment, was_published=was_published, was_listed=was_listed)
    _announce(comment)
    return comment


def comment_lock(*, comment_id: int) -> Comment | None:
    """Return the comment (None when gone) locked until the caller's transaction ends.

    For another app that decides from the comment's status (moderation's queue): nobody can
    change it meanwhile. The change itself still goes through `comment_moderate`.
    """
    return (
        Comment.objects.select_for_update(of=("self",))
        .select_related("thread")
        .filter(pk=comment_id)
        .first()
    )


def comment_approve(*, comment_id: int) -> Comment:
    """Publish a comment that was held for review; subscribers hear of it only now."""
    try:
        return comment_moderate(
            comment_id=comment_id, status=Comment.Status.PUBLISHED, expect={Comment.Status.PENDING}
        )
    except NotFoundError:
        raise NotFoundError(_("There is no comment awaiting review with this id.")) from None


@transaction.atomic
def vote_cast(*, comment_id: int, voter: str, value: int, ip_hash: str = "") -> Comment:
    """Record `voter`'s vote (1 up, -1 down, 0 withdraw) and return the comment's new counts."""
    if value not in (-1, 0, 1):
        raise DiscussionError(_("A vote is 1 (up), -1 (down) or 0 (withdraw)."), field="value")
    # Locking the comment serialises its voters: concurrent votes cannot lose an update.
    comment = Comment.objects.select_for_update().filter(pk=comment_id).first()
    if comment is None or comment.status != Comment.Status.PUBLISHED:
        raise NotFoundError(_("There is no such comment to vote on."))
    previous = Vote.objects.filter(comment=comment, voter=voter).first()
    old = previous.value if previous else 0
    if old == value:
        return comment
    if value == 0:
        previous.delete()
    elif previous:
        previous.value = value
        previous.save(update_fields=["value", "created"])
    else:
        # Clearing cookies must not buy extra votes: guests sharing an address share a quota.
        if voter.startswith("guest:") and ip_hash:
            same_address = Vote.objects.filter(
                comment=comment, ip_hash=ip_hash, voter__startswith="guest:"
            )
            if same_address.count() >= settings.DISCUSSION_GUEST_VOTES_PER_ADDRESS:
                raise ConflictError(
                    _("Too many votes on this comment came from your network already.")
                )
        Vote.objects.create(comment=comment, voter=voter, value=value, ip_hash=ip_hash)
    up = (value == 1) - (old == 1)
    down = (value == -1) - (old == -1)
    _counters_shift(comment_id=comment.pk, upvotes=up, downvotes=down)
    comment.refresh_from_db(fields=["upvotes", "downvotes", "score"])
    transaction.on_commit(
        lambda: signals.thread_changed.send(sender=Thread, thread=Thread(pk=comment.thread_id)),
        robust=True,
    )
    return comment


# --- erasing a reader's traces (moderation's privacy tools ask; only discussion writes) --------


def _threads_changed(thread_ids) -> None:
    """Tell cached pages and live streams, after commit, that these threads look different."""
    threads = [Thread(pk=pk) for pk in sorted(set(thread_ids))]

    def send():
        for thread in threads:
            signals.thread_changed.send(sender=Thread, thread=thread)

    if threads:
        transaction.on_commit(send, robust=True)


@transaction.atomic
def votes_withdraw(*, voter_keys: Iterable[str]) -> int:
    """Delete every vote cast under `voter_keys` and take it out of its comment's counts.

    Returns how many votes went. The comments are locked (in id order, like vote_cast locks
    them one at a time) before the votes are counted, so a vote cast meanwhile is never lost.
    """
    keys = list(voter_keys)
    comment_ids = sorted(
        set(Vote.objects.filter(voter__in=keys).values_list("comment_id", flat=True))
    )
    locked = list(
        Comment.objects.select_for_update()
        .filter(pk__in=comment_ids)
        .order_by("pk")
        .values_list("pk", "thread_id")
    )
    votes = Vote.objects.filter(voter__in=keys, comment_id__in=comment_ids)
    per_comment = votes.values("comment_id").annotate(
        up=Count("pk", filter=Q(value=1)), down=Count("pk", filter=Q(value=-1))
    )
    for row in per_comment:
        _counters_shift(comment_id=row["comment_id"], upvotes=-row["up"], downvotes=-row["down"])
    deleted, _per_model = votes.delete()
    _threads_changed(thread_id for _pk, thread_id in locked)
    return deleted


@dataclass(frozen=True)
class Anonymized:
    """What `comments_anonymize` did: comments anonymized, and in "remove" mode how many
    left their threads and how many stay as placeholders for others' replies."""

    comments: int
    removed: int = 0
    placeholders: int = 0


@transaction.atomic
def comments_anonymize(
    *, comment_ids: Iterable[int], name: str, remove_text: bool = False, reason: str = ""
) -> Anonymized:
    """Cut every link between these comments and their author: the name becomes `name`, and
    the address, account, reader cookie hash and network hash go.

    With `remove_text` the comments also leave their threads ("deleted", deepest first, so a
    reply of theirs to their own comment goes before its parent, which then stays a
    placeholder only when someone else's reply still hangs under it) and lose their text.
    """
    ids = sorted(set(comment_ids))
    if remove_text:
        deepest_first = (
            Comment.objects.filter(pk__in=ids).order_by("-depth", "pk").values_list("pk", flat=True)
        )
        for pk in deepest_first:
            comment_moderate(
                comment_id=pk, status=Comment.Status.DELETED, reasons=[reason] if reason else None
            )
    cleared = {
        "author_name": name,
        "author_email": "",
        "author_reader": "",
        "ip_hash": "",
        "author_url": "",
        "user": None,
    }
    if remove_text:
        cleared |= {"text": "", "html": "", "moderation_scores": {}}
    rows = Comment.objects.filter(pk__in=ids)
    thread_ids = set(rows.values_list("thread_id", flat=True))
    count = rows.update(**cleared)
    # What an old system kept beside these comments may name their author too.
    SourceMeta.objects.filter(comment_id__in=ids).delete()
    placeholders = rows.filter(listed=True).count() if remove_text else 0
    _threads_changed(thread_ids)
    return Anonymized(
        comments=count,
        removed=count - placeholders if remove_text else 0,
        placeholders=placeholders,
    )


@dataclass(frozen=True)
class ImportedComment:
    """A comment brought from another system (transfer's importer), already mapped to this
    install: its thread and parent are ids here; `html` is what the old system showed."""

    thread_id: int
    parent_id: int | None
    author_name: str
    author_email: str
    text: str
    html: str | None  # None: render `text` as a new comment would be
    status: str
    created: object  # an aware datetime
    upvotes: int = 0
    downvotes: int = 0
    edited: object = None
    pinned: bool = False
    replies_closed: bool = False
    moderation_reasons: tuple = ()
    anchor: Anchor | None = None
    author_url: str = ""
    ip_hash: str = ""  # core.hashing's keyed hash of the author's network, never the address
    # What the old system kept that has no field here (SourceMeta): JSON-ready values.
    source_meta: dict | None = None


@transaction.atomic
def comments_import(*, comments: list[ImportedComment]) -> list[Comment]:
    """Store comments from another system as they were: author, dates, status and vote
    totals kept, counters moved exactly, nothing announced (no mail, no live event).

    Parents must be stored already (the importer sends a conversation level by level). A
    parent that is not shown (deleted, held, spam) becomes a placeholder once a listed reply
    lands under it, as with `comment_delete`. Replies deeper than DISCUSSION_NESTING_DEPTH
    are stored beside the deepest allowed ancestor, keeping what they answered.
    """
    if not comments:
        return []
    parents = Comment.objects.in_bulk({c.parent_id for c in comments if c.parent_id})
    rows = []
    for item in comments:
        parent = parents.get(item.parent_id) if item.parent_id else None
        if parent is not None and parent.depth >= settings.DISCUSSION_NESTING_DEPTH:
            parent = reply_parent(parent)
            parents[parent.pk] = parent
        anchor = _clean_anchor(item.anchor) if parent is None else None
        status = item.status if item.status in Comment.Status.values else Comment.Status.PENDING
        upvotes, downvotes = max(item.upvotes, 0), max(item.downvotes, 0)
        text = storable_text(item.text)
        rows.append(
            Comment(
                thread_id=item.thread_id,
                parent=parent,
                root_id=(parent.root_id or parent.pk) if parent else None,
                depth=parent.depth + 1 if parent else 0,
                replied_to_id=item.parent_id if parent and parent.pk != item.parent_id else None,
                author_name=(
                    " ".join(bidi_controls_strip(storable_line(item.author_name)).split())[
                        :MAX_NAME_LENGTH
                    ]
                    or "Anonymous"
                ),
                author_email=_importable_email(item.author_email),
                author_url=_importable_url(item.author_url),
                ip_hash=item.ip_hash[:64],
                text=text,
                html=comment_render(text) if item.html is None else comment_render_html(item.html),
                status=status,
                listed=status == Comment.Status.PUBLISHED,
                moderation_reasons=list(item.moderation_reasons),
                created=item.created,
                edited=item.edited,
                upvotes=upvotes,
                downvotes=downvotes,
                score=upvotes - downvotes,
                pinned=item.pinned,
                # Closing a conversation closes its whole branch (as wpDiscuz stores it).
                replies_closed=item.replies_closed or bool(parent and parent.replies_closed),
                anchor_block=anchor.block if anchor else "",
                anchor_exact=anchor.exact if anchor else "",
                anchor_prefix=anchor.prefix if anchor else "",
                anchor_suffix=anchor.suffix if anchor else "",
                inline_feedback=anchor is not None,
            )
        )
    created = Comment.objects.bulk_create(rows)
    SourceMeta.objects.bulk_create(
        SourceMeta(comment=comment, meta=item.source_meta)
        for item, comment in zip(comments, created, strict=True)
        if item.source_meta
    )
    published = {}
    replies = {}
    for comment in created:
        if comment.status == Comment.Status.PUBLISHED:
            published[comment.thread_id] = published.get(comment.thread_id, 0) + 1
        if comment.listed and comment.parent_id:
            replies[comment.parent_id] = replies.get(comment.parent_id, 0) + 1
    for thread_id, count in published.items():
        _counters_shift(thread_id=thread_id, comments=count)
    _replies_count(replies)
    thread_ids = set(published) | {c.thread_id for c in created}
    transaction.on_commit(lambda: _threads_imported(thread_ids), robust=True)
    return created


def _replies_count(replies: dict[int, int]) -> None:
    """Add listed replies to their parents; a parent not listed becomes a placeholder, which
    in turn is a listed reply of its own parent, up to the top of the conversation."""
    while replies:
        for parent_id, count in replies.items():
            _counters_shift(parent_id=parent_id, replies=count)
        hidden = Comment.objects.filter(pk__in=replies, listed=False)
        flipped = list(hidden.values_list("pk", "parent_id"))
        hidden.update(listed=True)
        replies = {}
        for _pk, parent_id in flipped:
            if parent_id:
                replies[parent_id] = replies.get(parent_id, 0) + 1


def _importable_email(email: str) -> str:
    email = storable_line(email)
    if not email or len(email) > EMAIL_MAX_LENGTH:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        return ""
    return email


def _importable_url(url: str) -> str:
    """An author's website as a link readers may follow: http(s) only, at most 500 long."""
    url = storable_line(url)
    if len(url) > 500 or urlsplit(url).scheme.lower() not in ("http", "https"):
        return ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return ""
    return url


def _threads_imported(thread_ids) -> None:
    for thread_id in thread_ids:
        signals.thread_changed.send(sender=Thread, thread=Thread(pk=thread_id), imported=True)


@transaction.atomic
def thread_import(
    *, page=None, url: str = "", title: str = "", closed: bool = False, created=None
) -> Thread:
    """Return the thread of an imported discussion (a page here, or an address outside),
    created when missing, closed when the old system had closed it, dated as it was there."""
    thread = thread_for_page(page) if page is not None else thread_for_url(url, title=title)
    changes = {}
    if closed and not thread.closed:
        changes["closed"] = True
    if created is not None and created < thread.created:
        changes["created"] = created
    if changes:
        Thread.objects.filter(pk=thread.pk).update(**changes)
        for field, value in changes.items():
            setattr(thread, field, value)
    return thread


# --- a moderator's marks on a conversation: wpDiscuz's "Stick" and "Close" ------------------


@transaction.atomic
def comment_pin(*, comment_id: int, pinned: bool) -> Comment:
    """Pin a published top-level comment at the top of its thread, or unpin a comment.

    Pinned comments lead the first page in every sort order (selectors.thread_page). Only
    top-level comments can be pinned, as in wpDiscuz; unpinning takes any comment, so a pin
    imported onto a reply can be cleared. The comment returned carries `previous_pinned`.
    """
    comment = comment_lock(comment_id=comment_id)
    if comment is None:
        raise NotFoundError(_("There is no such comment."))
    if pinned and comment.parent_id is not None:
        raise DiscussionError(_("Only top-level comments can be pinned; this one is a reply."))
    if pinned and comment.status != Comment.Status.PUBLISHED:
        raise ConflictError(_("Only published comments can be pinned."))
    comment.previous_pinned = comment.pinned
    if comment.pinned != pinned:
        Comment.objects.filter(pk=comment.pk).update(pinned=pinned)
        comment.pinned = pinned
        _threads_changed([comment.thread_id])
    return comment


@transaction.atomic
def comment_replies_close(*, comment_id: int, closed: bool) -> Comment:
    """Close the conversation under a comment to new replies, or reopen it.

    As wpDiscuz stores "Close", every comment of the branch is marked, so `comment_post`
    refuses a reply by looking at the comment answered alone; replies stored beside a comment
    at the deepest level belong to the branch of the comment they answer. The comment
    returned carries `previous_replies_closed` and `marks_changed`, how many comments of the
    branch changed.
    """
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None:
        raise NotFoundError(_("There is no such comment."))
    # The thread's row lock, taken first as comment_post takes it: a reply posted meanwhile is
    # either refused or already stored, and then marked with its branch.
    Thread.objects.select_for_update(of=("self",)).filter(pk=comment.thread_id).first()
    comment.refresh_from_db(fields=["replies_closed"])
    comment.previous_replies_closed = comment.replies_closed
    branch = Comment.objects.filter(_branch(comment)).exclude(replies_closed=closed)
    comment.marks_changed = branch.update(replies_closed=closed)
    if comment.marks_changed:
        _threads_changed([comment.thread_id])
    comment.replies_closed = closed
    return comment


def _branch(comment: Comment) -> Q:
    """Return the filter for `comment` and every reply below it (a reply stored beside the
    comment it answers counts under that comment): a whole conversation by its root, a part
    of one from a single read of the conversation."""
    if comment.root_id is None:
        return Q(pk=comment.pk) | Q(root_id=comment.pk)
    below: dict[int, list[int]] = {}
    rows = Comment.objects.filter(root_id=comment.root_id).values_list(
        "pk", "parent_id", "replied_to_id"
    )
    for pk, parent_id, replied_to_id in rows:
        below.setdefault(replied_to_id or parent_id, []).append(pk)
    branch, pending = {comment.pk}, [comment.pk]
    while pending:
        for pk in below.get(pending.pop(), ()):
            if pk not in branch:
                branch.add(pk)
                pending.append(pk)
    return Q(pk__in=branch)

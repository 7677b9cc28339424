"""Reads of a discussion: pages of threads, counts, inline feedback.

Pages are keyset-paginated: a cursor holds the sort key of the last top-level comment shown,
and the next page starts after it through an index, so page 1 and page 10,000 of a thread cost
the same two queries (top-level comments, then their replies).

Pinned top-level comments (a moderator's "Stick") lead every sort order: the list a reader
pages through is the pinned comments in the chosen order, then the others in that order. A
cursor says which of the two parts it stands in, and a page that starts among the pinned ones
walks both parts in its one query (`_pinned_first`).
"""

import base64
import binascii
import functools
import json
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connections, router
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from masthead.discussion.models import Comment, Thread, Vote

SORTS = ("newest", "oldest", "most_voted")
VISIBLE = Q(listed=True)
# Last item of a cursor that stands among the pinned comments. Cursors without it (all of them
# before comments could be pinned) stand among the others.
PINNED = "pinned"


class CursorError(ValueError):
    """A cursor that this server did not make (or made for another sort)."""


@dataclass
class ThreadPage:
    """One page of a thread: top-level comments with `.replies` trees, and the next cursor."""

    thread: Thread
    sort: str
    comments: list[Comment]
    next_cursor: str | None


def _sort_key(comment: Comment, sort: str) -> list:
    if sort == "most_voted":
        return [comment.score, comment.created.isoformat(), comment.pk]
    return [comment.created.isoformat(), comment.pk]


def leads(comment: Comment) -> bool:
    """Return whether `comment` is shown before the others: a pinned top-level comment."""
    return comment.pinned and comment.parent_id is None


def cursor_encode(comment: Comment, sort: str, *, inclusive: bool = False) -> str:
    """Return the opaque cursor that continues `sort` after (or, inclusive, at) top-level
    `comment`."""
    values = [sort, int(inclusive), *_sort_key(comment, sort)]
    if leads(comment):
        values.append(PINNED)
    payload = json.dumps(values, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def cursor_decode(cursor: str, sort: str) -> tuple[bool, bool, list]:
    """Return (inclusive, among the pinned, key) from a cursor, or raise CursorError."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        cursor_sort, inclusive, *key = values
        pinned = bool(key) and key[-1] == PINNED
        if pinned:
            key = key[:-1]
        if cursor_sort != sort or inclusive not in (0, 1):
            raise CursorError(_("This cursor belongs to another sort order."))
        if sort == "most_voted":
            score, created, pk = key
            if not isinstance(score, int):
                raise CursorError(_("Malformed cursor."))
        else:
            created, pk = key
        moment = parse_datetime(created)
        if moment is None or not isinstance(pk, int):
            raise CursorError(_("Malformed cursor."))
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as error:
        raise CursorError(_("Malformed cursor.")) from error
    key = [score, moment, pk] if sort == "most_voted" else [moment, pk]
    return bool(inclusive), pinned, key


def _after(sort: str, key: list, inclusive: bool) -> Q:
    """Return the filter for top-level comments that come after `key` in `sort` order.

    The leading single-column bound is implied by the OR that follows; it is there so the
    database turns it into an index range and starts the walk at the cursor, instead of
    testing the OR against every row before it.
    """
    pk_lookup = {
        ("oldest", False): "pk__gt",
        ("oldest", True): "pk__gte",
        ("newest", False): "pk__lt",
        ("newest", True): "pk__lte",
        ("most_voted", False): "pk__lt",
        ("most_voted", True): "pk__lte",
    }[(sort, inclusive)]
    if sort == "oldest":
        created, pk = key
        return Q(created__gte=created) & (
            Q(created__gt=created) | Q(created=created, **{pk_lookup: pk})
        )
    if sort == "newest":
        created, pk = key
        return Q(created__lte=created) & (
            Q(created__lt=created) | Q(created=created, **{pk_lookup: pk})
        )
    score, created, pk = key
    return Q(score__lte=score) & (
        Q(score__lt=score)
        | Q(score=score, created__lt=created)
        | Q(score=score, created=created, **{pk_lookup: pk})
    )


ORDERING = {
    "newest": ("-created", "-id"),
    "oldest": ("created", "id"),
    "most_voted": ("-score", "-created", "-id"),
}


def thread_page(
    *, thread: Thread, sort: str = "newest", cursor: str | None = None, limit: int = 10
) -> ThreadPage:
    """Return a page of `thread`'s top-level comments in `sort` order, with their replies."""
    if sort not in SORTS:
        raise CursorError(
            _("Unknown sort “%(sort)s”; use one of %(sorts)s.")
            % {"sort": sort, "sorts": ", ".join(SORTS)}
        )
    roots = Comment.objects.filter(VISIBLE, thread=thread, parent__isnull=True)
    pinned, others = roots.filter(pinned=True), roots.filter(pinned=False)
    among_pinned = True
    if cursor:
        inclusive, among_pinned, key = cursor_decode(cursor, sort)
        after = _after(sort, key, inclusive)
        if among_pinned:
            pinned = pinned.filter(after)
        else:
            others = others.filter(after)
    if among_pinned:
        roots = _pinned_first(pinned, others, sort, limit + 1)
    else:
        roots = list(others.order_by(*ORDERING[sort])[: limit + 1])
    next_cursor = cursor_encode(roots[limit - 1], sort) if len(roots) > limit else None
    roots = roots[:limit]
    _attach_replies(roots)
    return ThreadPage(thread=thread, sort=sort, comments=roots, next_cursor=next_cursor)


def _pinned_first(pinned, others, sort: str, count: int) -> list[Comment]:
    """Return the first `count` of `pinned` then `others`, each in `sort` order, in one query.

    Each part is its own walk of at most `count` rows along an index (the pinned rows through
    the small partial indexes comment_pinned and comment_pinned_voted, the others through the
    sort's own index), joined by UNION ALL: ordering the thread's top-level comments by
    "pinned" first would read and sort all of them. The parts are wrapped in `pk IN (…)`
    because SQLite refuses LIMIT in the parts of a compound query.
    """
    ordering = ORDERING[sort]

    def walk(rows):
        return Comment.objects.filter(pk__in=rows.order_by(*ordering).values("pk")[:count])

    both = walk(pinned).values("pk").union(walk(others).values("pk"), all=True)
    return list(Comment.objects.filter(pk__in=both).order_by("-pinned", *ordering)[:count])


def _attach_replies(roots: list[Comment]) -> None:
    """Give each root a `.replies` tree, in one query, never deeper than the nesting depth.

    Replies nest up to DISCUSSION_NESTING_DEPTH levels; replies below that (`.flat`) are
    listed chronologically under their ancestor at the last nested level, each with the
    name it answers (`.parent_name`). Conversations stored before depth was bounded can be
    hundreds of levels deep: the tree is built by a loop, and what renders it has a fixed
    number of levels to walk.
    """
    nested_levels = settings.DISCUSSION_NESTING_DEPTH
    by_id = {root.pk: root for root in roots}
    holders = set()
    for root in roots:
        root.replies = []
        root.flat = False
        root.replies_closed_above = False
    if not roots:
        return
    replies = Comment.objects.filter(VISIBLE, root_id__in=list(by_id)).order_by(
        "depth", "created", "id"
    )
    # By depth first, a parent is placed before its replies (siblings stay chronological).
    for reply in replies:
        parent = by_id.get(reply.parent_id)
        if parent is None:  # a hidden parent hides its branch
            continue
        reply.replies = []
        answered = by_id.get(reply.replied_to_id, parent)
        reply.parent_name = answered.author_name
        # Closing a conversation closes each comment of it: only its head says so.
        reply.replies_closed_above = answered.replies_closed
        reply.flat = parent.flat or parent.depth + 1 >= nested_levels
        reply.holder = parent.holder if parent.flat else parent
        by_id[reply.pk] = reply
        (reply.holder if reply.flat else parent).replies.append(reply)
        if reply.flat:
            holders.add(reply.holder)
    for holder in holders:
        holder.replies.sort(key=lambda reply: (reply.created, reply.pk))


def comment_locate(*, thread: Thread, comment_id: int, sort: str = "oldest") -> str | None:
    """Return the cursor of a page that starts with the conversation holding `comment_id`."""
    comment = Comment.objects.filter(VISIBLE, thread=thread, pk=comment_id).first()
    if comment is None:
        return None
    root = comment if comment.root_id is None else Comment.objects.get(pk=comment.root_id)
    return cursor_encode(root, sort, inclusive=True)


def inline_feedback(*, thread: Thread, limit: int = 100) -> list[Comment]:
    """Return the visible comments attached to passages of the article, newest first."""
    comments = list(
        Comment.objects.filter(VISIBLE, thread=thread, inline_feedback=True).order_by(
            "-created", "-id"
        )[:limit]
    )
    _attach_replies(comments)
    return comments


def inline_feedback_counts(*, thread: Thread) -> dict[str, int]:
    """Return how many visible feedback comments each editor-marked passage has."""
    from django.db.models import Count

    rows = (
        Comment.objects.filter(VISIBLE, thread=thread, inline_feedback=True)
        .exclude(anchor_block="")
        .values("anchor_block")
        .annotate(count=Count("id"))
    )
    return {row["anchor_block"]: row["count"] for row in rows}


def reader_votes(*, thread: Thread, voter: str) -> dict[int, int]:
    """Return this reader's votes on the thread's comments, by comment id."""
    return dict(
        Vote.objects.filter(voter=voter, comment__thread=thread).values_list("comment_id", "value")
    )


def reader_editable(*, thread: Thread, author) -> list[int]:
    """Return the ids of this reader's comments on the thread that they may still edit."""
    if author.user is not None:
        own = Q(user=author.user)
    elif author.reader:
        own = Q(user__isnull=True, author_reader=author.reader)
    else:
        return []
    since = timezone.now() - timedelta(seconds=settings.DISCUSSION_EDIT_WINDOW)
    return list(
        Comment.objects.filter(own, thread=thread, created__gt=since)
        .filter(status__in=[Comment.Status.PUBLISHED, Comment.Status.PENDING])
        .filter(children__isnull=True, answers__isnull=True)
        .values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class OtherLanguageThread:
    language: str
    url: str
    comment_count: int


def translations_with_comments(*, page) -> list[OtherLanguageThread]:
    """The discussions of `page`'s translations that have comments, in one query.

    Each translation of an article has a discussion of its own; readers of one language are
    told where the others are talking.
    """
    threads = (
        Thread.objects.filter(
            page__translation_key=page.translation_key,
            page__live=True,
            comment_count__gt=0,
        )
        .exclude(page_id=page.pk)
        .select_related("page", "page__locale")
        .order_by("page__locale__language_code")
    )
    found = []
    for thread in threads:
        url = thread.page.get_url()
        if url:
            found.append(
                OtherLanguageThread(
                    language=thread.page.locale.language_code,
                    url=f"{url}#comments",
                    comment_count=thread.comment_count,
                )
            )
    return found


# The three reads of its thread that every posted comment makes, as plain statements: Django
# takes ~200 µs to build each of these one-row queries and its row, several times what the
# database takes to answer (bench/peers.py's posting profile); the one under the write lock
# holds up every other writer while it runs.


def thread_by_key(key: str) -> Thread | None:
    """The thread with `key`, without its page (the same row Django's ORM would build)."""
    return _thread_row("key", key)


def thread_locked(thread_id: int) -> Thread:
    """The thread, its row locked until the transaction ends (SQLite's write lock, taken
    when the transaction began, already keeps every other writer out)."""
    thread = _thread_row("id", thread_id, for_update=True)
    if thread is None:
        raise Thread.DoesNotExist(f"No thread {thread_id}.")
    return thread


def _thread_row(name: str, value, *, for_update: bool = False) -> Thread | None:
    # A locked read goes where writes go, as the ORM's select_for_update does.
    using = router.db_for_write(Thread) if for_update else router.db_for_read(Thread)
    columns = tuple(field.name for field in Thread._meta.concrete_fields)
    sql = _thread_select(using, columns, name, for_update=for_update)
    return next(iter(Thread.objects.raw(sql, [value], using=using)), None)


def thread_key_and_count(thread_id: int) -> tuple[str, int] | None:
    """The key and published-comment count of a thread, as the database has them now."""
    using = router.db_for_read(Thread)
    with connections[using].cursor() as cursor:
        cursor.execute(_thread_select(using, ("key", "comment_count"), "id"), [thread_id])
        row = cursor.fetchone()
    return (row[0], row[1]) if row is not None else None


@functools.cache
def _thread_select(using: str, columns: tuple[str, ...], where: str, *, for_update=False) -> str:
    """`SELECT columns FROM thread WHERE where = %s`, built once per database and shape."""
    connection = connections[using]
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        return quote(Thread._meta.get_field(name).column)

    lock = " FOR UPDATE" if for_update and connection.features.has_select_for_update else ""
    names, table = ", ".join(column(name) for name in columns), quote(Thread._meta.db_table)
    # Names from the model's own metadata, quoted; the value goes as a parameter.
    return f"SELECT {names} FROM {table} WHERE {column(where)} = %s{lock}"  # noqa: S608

"""What moderators read: the queue's tabs, an author's history, whether an author is banned.

The queue page costs the same few queries whatever the queue's length: one for the page of
comments (with their threads), one for their open reports, one grouped count for all of the
page's authors' histories, one for their bans, and two for the tab counts.
"""

import hmac
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils.translation import gettext, pgettext_lazy

from masthead.core.pagecache import tagged_value
from masthead.discussion.models import Comment
from masthead.moderation.models import ApiKey, Ban, Flag, LearningAttempt, ModeratorDecision
from masthead.moderation.stored_text import score_label

Status = Comment.Status

TABS = {
    "pending": pgettext_lazy("queue tab", "Pending"),
    "flagged": pgettext_lazy("queue tab: comments readers reported", "Flagged"),
    "spam": pgettext_lazy("queue tab", "Spam"),
    "rejected": pgettext_lazy("queue tab", "Rejected"),
    "all": pgettext_lazy("queue tab: every comment", "All"),
}
TAB_STATUS = {"pending": Status.PENDING, "spam": Status.SPAM, "rejected": Status.REJECTED}


@dataclass
class QueuePage:
    tab: str
    comments: list
    next_cursor: str | None


@dataclass
class AuthorHistory:
    """An author's record: comments counted by status, the latest ones, and their bans."""

    description: str  # how the author is recognised: "account #3" or "ada@example.org"
    counts: dict = field(default_factory=dict)
    recent: list = field(default_factory=list)
    bans: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


# --- authors ----------------------------------------------------------------------------------


BANS_TAG = "moderation-bans"


def bans_in_force_index() -> dict[tuple[str, str], datetime | None]:
    """Every ban in force, as (kind, value) → when its last one ends (None: never).

    Every comment is checked against the bans, and almost never matches one: this index,
    kept in each process while the "moderation-bans" tag stands (receivers.py bumps it on
    every change to a ban), answers that without a query. Expiry is compared by the caller,
    since bans end with the clock and not with a write.
    """

    def compute() -> dict[tuple[str, str], datetime | None]:
        index: dict[tuple[str, str], datetime | None] = {}
        # Bans already over are left out: they never apply again, and timed bans pile up.
        rows = Ban.objects.filter(Ban.active_q()).values_list("kind", "value", "expires")
        for kind, value, expires in rows:
            known = index.get((kind, value), expires)
            # A ban without an end outlasts any other on the same identity.
            index[(kind, value)] = None if known is None or expires is None else max(known, expires)
        return index

    return tagged_value("moderation:bans-in-force", tags=[BANS_TAG], compute=compute)


def author_key(comment: Comment) -> tuple[str, str] | None:
    """Return how an author is recognised: their account, else a guest's email address.

    A guest who gave no address has no history: names are not identities.
    """
    if comment.user_id is not None:
        return ("user", str(comment.user_id))
    if comment.author_email:
        return ("email", comment.author_email.lower())
    return None


def _author_q(comment: Comment) -> Q | None:
    key = author_key(comment)
    if key is None:
        return None
    if key[0] == "user":
        return Q(user_id=comment.user_id)
    return Q(user__isnull=True, author_email=comment.author_email)


def _ban_q(comment: Comment) -> Q | None:
    """Return the bans that would stop this comment's author (account, address or network)."""
    conditions = Q()
    if comment.user_id is not None:
        conditions |= Q(kind=Ban.Kind.USER, value=str(comment.user_id))
    if comment.author_email:
        conditions |= Q(kind=Ban.Kind.EMAIL, value=comment.author_email.lower())
    if comment.ip_hash:
        conditions |= Q(kind=Ban.Kind.IP, value=comment.ip_hash)
    return conditions or None


def comment_ban_state(comment: Comment) -> list[Ban]:
    """Return the active bans on the comment's author, empty when they may comment."""
    conditions = _ban_q(comment)
    if conditions is None:
        return []
    return list(Ban.objects.filter(Ban.active_q(), conditions).order_by("-created"))


def author_history(comment: Comment, *, limit: int = 10) -> AuthorHistory:
    """Return the record of the comment's author: counts by status and the latest comments."""
    key = author_key(comment)
    if key is None:
        return AuthorHistory(
            description=gettext("guest without an email address"), counts={}, recent=[]
        )
    comments = Comment.objects.filter(_author_q(comment))
    counts = {row["status"]: row["n"] for row in comments.values("status").annotate(n=Count("id"))}
    recent = list(comments.select_related("thread").order_by("-created", "-id")[:limit])
    bans_q = _ban_q(comment)
    bans = list(Ban.objects.filter(bans_q).order_by("-created")) if bans_q is not None else []
    description = gettext("account #%(id)s") % {"id": key[1]} if key[0] == "user" else key[1]
    return AuthorHistory(description=description, counts=counts, recent=recent, bans=bans)


def _histories_attach(comments: list[Comment]) -> None:
    """Give each comment `history` (status → count for its author), in one grouped query."""
    user_ids = {c.user_id for c in comments if c.user_id is not None}
    emails = {c.author_email for c in comments if c.user_id is None and c.author_email}
    if not user_ids and not emails:
        for comment in comments:
            comment.history = {}
        return
    # Exact addresses use the author_email index; the page's own spellings are what it shows.
    rows = (
        Comment.objects.filter(
            Q(user_id__in=user_ids) | Q(user__isnull=True, author_email__in=emails)
        )
        .values("user_id", "author_email", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_author: dict[tuple, Counter] = defaultdict(Counter)
    for row in rows:
        if row["user_id"] is not None:
            key = ("user", str(row["user_id"]))
        else:
            key = ("email", row["author_email"].lower())
        by_author[key][row["status"]] += row["n"]
    for comment in comments:
        key = author_key(comment)
        comment.history = dict(by_author.get(key, {})) if key else {}


def _bans_attach(comments: list[Comment]) -> None:
    """Give each comment `active_bans` (the bans stopping its author), in one query."""
    wanted = Q()
    for comment in comments:
        conditions = _ban_q(comment)
        if conditions is not None:
            wanted |= conditions
    bans = list(Ban.objects.filter(Ban.active_q(), wanted)) if wanted else []
    index = {(ban.kind, ban.value): ban for ban in bans}
    for comment in comments:
        keys = [
            (Ban.Kind.USER, str(comment.user_id)) if comment.user_id is not None else None,
            (Ban.Kind.EMAIL, comment.author_email.lower()) if comment.author_email else None,
            (Ban.Kind.IP, comment.ip_hash) if comment.ip_hash else None,
        ]
        comment.active_bans = [index[key] for key in keys if key in index]


# --- the queue --------------------------------------------------------------------------------


def _cursor_encode(moment: datetime, pk: int) -> str:
    return f"{moment.isoformat()}~{pk}"


def _cursor_decode(cursor: str | None) -> tuple[datetime, int] | None:
    if not cursor:
        return None
    try:
        moment, pk = cursor.rsplit("~", 1)
        return datetime.fromisoformat(moment), int(pk)
    except ValueError:
        # A mangled address starts the queue from the top rather than failing.
        return None


def _open_flags() -> Prefetch:
    return Prefetch(
        "moderation_flags",
        queryset=Flag.objects.filter(resolved__isnull=True).order_by("-created"),
        to_attr="open_flags",
    )


def _tab_queryset(tab: str) -> tuple[QuerySet, str]:
    """Return the tab's comments and the field its keyset runs over (newest first)."""
    comments = Comment.objects.select_related("thread", "thread__page")
    if tab == "flagged":
        # isnull=False makes the join an inner one: a comment without flags is no open flag.
        open_flag = Q(moderation_flags__isnull=False, moderation_flags__resolved__isnull=True)
        return (
            comments.filter(open_flag).annotate(
                sort_time=Max("moderation_flags__created", filter=open_flag)
            ),
            "sort_time",
        )
    if tab in TAB_STATUS:
        comments = comments.filter(status=TAB_STATUS[tab])
    return comments, "created"


def queue(
    tab: str,
    *,
    cursor: str | None = None,
    limit: int = 50,
    thread=None,
    search: str = "",
) -> QueuePage:
    """Return one page of a queue tab, newest first (Flagged: newest report first).

    Each comment carries `open_flags` (list), `flag_counts` (reason label → count), `history`
    (its author's comments by status), `active_bans` and `score_items` (label → score).
    """
    if tab not in TABS:
        tab = "pending"
    comments, sort_field = _tab_queryset(tab)
    if thread is not None:
        comments = comments.filter(thread=thread)
    search = search.strip()
    if search:
        comments = comments.filter(
            Q(text__icontains=search)
            | Q(author_name__icontains=search)
            | Q(author_email__icontains=search)
        )
    position = _cursor_decode(cursor)
    if position is not None:
        moment, pk = position
        comments = comments.filter(
            Q(**{f"{sort_field}__lt": moment}) | Q(**{sort_field: moment, "pk__lt": pk})
        )
    rows = list(
        comments.prefetch_related(_open_flags()).order_by(f"-{sort_field}", "-pk")[: limit + 1]
    )
    page, more = rows[:limit], len(rows) > limit
    reason_labels = dict(Flag.Reason.choices)
    for comment in page:
        comment.flag_counts = dict(
            Counter(reason_labels.get(flag.reason, flag.reason) for flag in comment.open_flags)
        )
        comment.score_items = scores_in_order(comment.moderation_scores)
    _histories_attach(page)
    _bans_attach(page)
    next_cursor = None
    if more and page:
        last = page[-1]
        next_cursor = _cursor_encode(getattr(last, sort_field), last.pk)
    return QueuePage(tab=tab, comments=page, next_cursor=next_cursor)


def tab_counts() -> dict[str, int]:
    """Return how many comments each tab holds (two queries)."""
    by_status = dict(Comment.objects.values_list("status").annotate(n=Count("id")).order_by())
    flagged = Flag.objects.filter(resolved__isnull=True).values("comment_id").distinct().count()
    return {
        "pending": by_status.get(Status.PENDING, 0),
        "flagged": flagged,
        "spam": by_status.get(Status.SPAM, 0),
        "rejected": by_status.get(Status.REJECTED, 0),
        "all": sum(by_status.values()),
    }


def pending_count() -> int:
    """Return how many comments wait for a moderator (the menu's badge)."""
    return Comment.objects.filter(status=Status.PENDING).count()


# --- learning from decisions ------------------------------------------------------------------


@dataclass
class LearningOverview:
    """What the Model page shows about the outlet's own adaptation of the shipped model."""

    installed: LearningAttempt | None  # the adaptation in force, if any
    attempts: list  # the newest first, installed or not
    running: LearningAttempt | None  # a run queued or under way
    decisions: int  # collected in all
    decisions_since: int  # taken since the installed adaptation learned (all when none)


def learning_overview(
    *, shipped_version: str | None, limit: int = 50, running_since: datetime
) -> LearningOverview:
    """Return the installed adaptation for `shipped_version` (None: any), attempts, decisions.

    Five queries; the attempts' stored parameters are not read.
    """
    attempts = LearningAttempt.objects.defer("parameters").select_related("created_by")
    installed = attempts.filter(outcome=LearningAttempt.Outcome.INSTALLED)
    if shipped_version is not None:
        installed = installed.filter(shipped_version=shipped_version)
    installed = installed.order_by("-created", "-id").first()
    collected = ModeratorDecision.objects.count()
    return LearningOverview(
        installed=installed,
        attempts=list(attempts.order_by("-created", "-id")[:limit]),
        running=attempts.filter(
            outcome=LearningAttempt.Outcome.LEARNING, created__gte=running_since
        ).first(),
        decisions=collected,
        decisions_since=(
            ModeratorDecision.objects.filter(created__gt=installed.created).count()
            if installed
            else collected
        ),
    )


def scores_in_order(scores: dict) -> list[tuple[str, float]]:
    """Return a comment's scores toxicity first, then spam, then any others by name.

    PostgreSQL's jsonb keeps keys in its own order, so the order is set here, not stored.
    """
    # Numbers only: the detected language is stored beside them and shown on its own.
    scores = {
        name: value for name, value in (scores or {}).items() if isinstance(value, int | float)
    }
    first = [name for name in ("toxicity", "spam") if name in scores]
    rest = sorted(name for name in scores if name not in first)
    return [(score_label(name), scores[name]) for name in first + rest]


def api_keys_list() -> QuerySet[ApiKey]:
    """Return every API key, newest first, with who created it (the admin's list)."""
    return ApiKey.objects.select_related("created_by").order_by("-created", "-id")


def api_key_find(*, key: str) -> ApiKey | None:
    """Return the active key that `key` is, or None (unknown, mistyped or revoked)."""
    if not key.startswith(ApiKey.KEY_START) or len(key) <= ApiKey.PREFIX_LENGTH:
        return None
    prefix = key[: ApiKey.PREFIX_LENGTH]
    api_key = ApiKey.objects.filter(prefix=prefix, revoked__isnull=True).first()
    # compare_digest: the time taken must not tell how much of a guessed key was right.
    if api_key is None or not hmac.compare_digest(api_key.secret_hash, ApiKey.digest(key)):
        return None
    return api_key

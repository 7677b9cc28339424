"""Every moderator's write: deciding about comments, banning authors, editing the word lists.

The admin views, the CLI and tests all call these functions. Each one checks the moderator's
permission itself (the views check too: a second door is cheap), runs in one transaction,
resolves the reader reports it answers, and appends an AuditEntry saying who did what, with
the state before and after. Changes to bans and lists tell the screening pipeline after commit.
"""

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from masthead.discussion import services as discussion
from masthead.discussion.models import Comment
from masthead.moderation import config
from masthead.moderation import stored_text as stored
from masthead.moderation.models import (
    ApiKey,
    AuditEntry,
    Ban,
    Flag,
    LearningAttempt,
    ListEntry,
    ModeratorDecision,
)

logger = logging.getLogger(__name__)

MODERATE_PERMISSION = "moderation.moderate"
# Who the audit log says acted when the `masthead` command did (audit.py translates it).
COMMAND_ACTOR = gettext_noop("masthead command")

Status = Comment.Status


class ModerationError(Exception):
    """A moderator's request that cannot be carried out, with a message to show them."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class CommentAction:
    """What a queue button does to a comment: its target status and the words for the log."""

    status: str
    verb: str  # past tense, for the log's stored English summary: "approved"
    # Statuses the action may start from. Nothing revives a deleted comment: an author's own
    # deletion must stand, and the queue offers no "undelete".
    allowed_from: frozenset = frozenset(Status.values) - {Status.DELETED}


COMMENT_ACTIONS = {
    "approve": CommentAction(Status.PUBLISHED, "approved"),
    "reject": CommentAction(Status.REJECTED, "rejected"),
    "spam": CommentAction(Status.SPAM, "marked as spam"),
    "delete": CommentAction(Status.DELETED, "deleted", frozenset(Status.values)),
}


@dataclass
class ActionResult:
    """What a bulk action did: how many comments changed and how many it left alone."""

    done: int = 0
    skipped: int = 0
    comments: list = field(default_factory=list)


# --- shared steps -----------------------------------------------------------------------------


def moderator_check(moderator) -> None:
    """Raise PermissionDenied unless `moderator` may moderate."""
    if moderator is None or not moderator.has_perm(MODERATE_PERMISSION):
        raise PermissionDenied(gettext("Moderating needs the “Can moderate comments” permission."))


def _actor_name(moderator) -> str:
    if moderator is None:  # the `masthead` command, run by whoever operates the server
        return COMMAND_ACTOR
    return (moderator.get_full_name() or moderator.get_username())[:150]


def _audit(
    moderator,
    *,
    action: str,
    target_type: str,
    target_id,
    summary: str,
    subjects: dict | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Append an entry. `summary` names comments, authors and bans only as "{comment}",
    "{author}" and "{ban}", with their ids in `subjects`: the log shows their names as they
    are when it is read (audit.py), so an erased commenter's name is in no entry.

    The summary is English, for the record; the log shows each action in the reader's language
    from the entry's data (audit.py), which `subjects` completes where `before` and `after`
    do not say enough (a ban's duration, say)."""
    return AuditEntry.objects.create(
        actor=moderator,
        actor_name=_actor_name(moderator),
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        summary=summary[:500],
        subjects=subjects or {},
        before=before or {},
        after=after or {},
    )


def _config_changed() -> None:
    # The pipeline caches the lists and bans it screens with; it must reload them, but only
    # once the change is committed, or another process could cache the old state again.
    notify = getattr(config, "config_changed", None)
    if notify is not None:
        transaction.on_commit(notify)


def _flags_resolve(comment_id: int) -> int:
    return Flag.objects.filter(comment_id=comment_id, resolved__isnull=True).update(
        resolved=timezone.now()
    )


def _duration_words(duration: timedelta | None) -> str:
    """The English of the stored summary (audit.py shows it in the reader's language)."""
    if duration is None:
        return "permanently"
    days = duration.total_seconds() / 86400
    if days >= 1 and days == int(days):
        return f"for {int(days)} day{'s' if days != 1 else ''}"
    hours = max(1, round(duration.total_seconds() / 3600))
    return f"for {hours} hour{'s' if hours != 1 else ''}"


# --- comments ---------------------------------------------------------------------------------


def _decision_record(moderator, action: str, comment: Comment) -> None:
    """Keep a queue decision as a labelled example (learning.py); it replaces an earlier one."""
    if action not in ModeratorDecision.Decision.values:
        return  # a deletion says nothing about the text
    ModeratorDecision.objects.update_or_create(
        comment_id=comment.pk,
        defaults={
            "text": comment.text,
            "decision": action,
            "scores": comment.moderation_scores or {},
            "moderator": moderator,
            "created": timezone.now(),
        },
    )


def _comment_act(moderator, action: str, comment_id: int) -> Comment | None:
    """Apply `action` to one comment inside the caller's transaction; None when skipped.

    A comment already in the target state is skipped, unless readers reported it: then the
    moderator's decision answers the reports ("keep it"), which is worth logging.
    """
    spec = COMMENT_ACTIONS[action]
    # Lock first, so the status read here is the one the change starts from.
    comment = discussion.comment_lock(comment_id=comment_id)
    if comment is None or comment.status not in spec.allowed_from:
        return None
    before = {"status": comment.status}
    if comment.status == spec.status:
        answered = _flags_resolve(comment.pk)
        if not answered:
            return None
        status_words = stored.in_english(comment.get_status_display()).lower()
        _audit(
            moderator,
            action=f"comment_{action}",
            target_type="comment",
            target_id=comment.pk,
            summary=f"Kept {{comment}} as {status_words} "
            f"and dismissed {answered} report{'s' if answered != 1 else ''}",
            subjects={"comment": comment.pk},
            before=before,
            after={"status": comment.status, "reports_resolved": answered},
        )
        _decision_record(moderator, action, comment)
        return comment
    comment = discussion.comment_moderate(comment_id=comment.pk, status=spec.status)
    answered = _flags_resolve(comment.pk)
    after = {"status": comment.status}
    if answered:
        after["reports_resolved"] = answered
    _audit(
        moderator,
        action=f"comment_{action}",
        target_type="comment",
        target_id=comment.pk,
        summary=f"{spec.verb.capitalize()} {{comment}}",
        subjects={"comment": comment.pk},
        before=before,
        after=after,
    )
    _decision_record(moderator, action, comment)
    return comment


@transaction.atomic
def comments_act(moderator, action: str, ids: Iterable[int]) -> ActionResult:
    """Apply a queue action ("approve", "reject", "spam", "delete") to several comments.

    Comments already in the target state, or gone, are counted as skipped: two moderators
    working the same queue must not see errors for each other's decisions.
    """
    moderator_check(moderator)
    if action not in COMMENT_ACTIONS:
        raise ModerationError(
            gettext("Unknown action %(action)s.") % {"action": repr(action)}, field="action"
        )
    result = ActionResult()
    # Sorted ids: two bulk actions over overlapping selections lock rows in the same order.
    for comment_id in sorted({int(pk) for pk in ids}):
        comment = _comment_act(moderator, action, comment_id)
        if comment is None:
            result.skipped += 1
        else:
            result.done += 1
            result.comments.append(comment)
    return result


def _comment_act_one(moderator, action: str, comment_id: int) -> Comment | None:
    result = comments_act(moderator, action, [comment_id])
    return result.comments[0] if result.comments else None


def comment_approve_by(moderator, comment_id: int) -> Comment | None:
    """Publish a held (or wrongly refused) comment; its subscribers hear of it now."""
    return _comment_act_one(moderator, "approve", comment_id)


def comment_reject_by(moderator, comment_id: int) -> Comment | None:
    """Refuse a comment: readers no longer see it (its replies keep a placeholder)."""
    return _comment_act_one(moderator, "reject", comment_id)


def comment_mark_spam_by(moderator, comment_id: int) -> Comment | None:
    """Refuse a comment as spam, so the author's history counts it as such."""
    return _comment_act_one(moderator, "spam", comment_id)


def comment_delete_by(moderator, comment_id: int) -> Comment | None:
    """Delete a comment for good (status "deleted"); approving cannot bring it back."""
    return _comment_act_one(moderator, "delete", comment_id)


# --- pinning comments and closing conversations (wpDiscuz's "Stick" and "Close") ---------------


@transaction.atomic
def comment_pin_by(moderator, comment_id: int, *, pinned: bool) -> Comment | None:
    """Pin a published top-level comment at the top of its thread, or unpin it.

    Returns None when the comment already was so (nothing logged); raises ModerationError
    when it cannot be pinned (a reply, not published, gone).
    """
    moderator_check(moderator)
    try:
        comment = discussion.comment_pin(comment_id=comment_id, pinned=pinned)
    except discussion.DiscussionError as problem:
        raise ModerationError(problem.message) from None
    if comment.previous_pinned == pinned:
        return None
    _audit(
        moderator,
        action="comment_pin" if pinned else "comment_unpin",
        target_type="comment",
        target_id=comment.pk,
        summary="Pinned {comment} at the top of its thread" if pinned else "Unpinned {comment}",
        subjects={"comment": comment.pk},
        before={"pinned": not pinned},
        after={"pinned": pinned},
    )
    return comment


@transaction.atomic
def comment_replies_close_by(moderator, comment_id: int, *, closed: bool) -> Comment | None:
    """Close the conversation under a comment to new replies, or reopen it.

    Returns None when it already was so (nothing logged); raises ModerationError when the
    comment is gone.
    """
    moderator_check(moderator)
    try:
        comment = discussion.comment_replies_close(comment_id=comment_id, closed=closed)
    except discussion.DiscussionError as problem:
        raise ModerationError(problem.message) from None
    if not comment.marks_changed:
        return None
    _audit(
        moderator,
        action="comment_replies_close" if closed else "comment_replies_reopen",
        target_type="comment",
        target_id=comment.pk,
        summary="Closed the replies to {comment}"
        if closed
        else "Reopened the replies to {comment}",
        subjects={"comment": comment.pk},
        before={"replies_closed": comment.previous_replies_closed},
        # The comment and the replies below it whose mark changed.
        after={"replies_closed": closed, "comments": comment.marks_changed},
    )
    return comment


# --- learning from the moderators' decisions ---------------------------------------------------

# A queued run not finished after this long is taken for lost (its worker stopped).
LEARNING_TIMEOUT = timedelta(minutes=30)


def _learning():
    # Imported when used: the fitting code brings numpy and scipy, which a server process that
    # never learns (the task worker, the scheduler) should not carry.
    from masthead.moderation import learning

    return learning


def _decisions_for_learning() -> list[tuple[int, str, str]]:
    learning = _learning()
    rows = ModeratorDecision.objects.order_by("-created", "-pk")
    return list(rows.values_list("comment_id", "text", "decision")[: learning.MAX_DECISIONS])


def _figures_summary(figures: dict, side: str) -> dict:
    """Return one side ("current" or "candidate") of a run's figures, per evaluation set."""
    learning = _learning()
    return {name: figures[name][side] for name in learning.EVALUATION_SETS if name in figures}


def adaptation_learn(
    *,
    moderator: AbstractUser | None = None,
    dry_run: bool = False,
    min_decisions: int | None = None,
    attempt: LearningAttempt | None = None,
) -> LearningAttempt:
    """Learn a local adaptation from the moderators' decisions; install it unless it is worse.

    Returns the attempt: installed, or refused with the reason (learning.py says what "worse"
    means). `dry_run` measures, installs and records nothing. `moderator` None is the
    `masthead` command, run by whoever operates the server; `attempt` is a queued one
    (`adaptation_learn_queue`) to complete. Raises ModerationError when there is not enough to
    learn from. Runs for seconds: the model in force keeps scoring meanwhile, and only the
    final write is a transaction.
    """
    learning = _learning()
    if moderator is not None:
        moderator_check(moderator)
    minimum = settings.MODERATION_LEARN_MIN_DECISIONS if min_decisions is None else min_decisions
    try:
        result = learning.adaptation_train(
            _decisions_for_learning(),
            current=learning.adaptation_installed(),
            min_decisions=minimum,
            hold_threshold=config.current_config().hold_threshold,
        )
    except learning.LearningError as problem:
        raise ModerationError(str(problem)) from None
    attempt = attempt or LearningAttempt(created_by=moderator)
    Outcome = LearningAttempt.Outcome
    attempt.outcome = Outcome.INSTALLED if result.acceptable else Outcome.REFUSED
    attempt.reason = result.reason
    attempt.decisions = result.decisions
    attempt.held_out = result.held_out
    attempt.shipped_version = result.shipped_version
    attempt.figures = result.figures
    attempt.parameters = result.candidate.to_bytes() if result.acceptable else None
    if dry_run:
        return attempt
    with transaction.atomic():
        attempt.save()
        _audit(
            moderator,
            action="adaptation_learn",
            target_type="model",
            target_id=attempt.pk,
            summary=(
                f"{'Installed' if result.acceptable else 'Refused'} a local adaptation learned "
                f"from {result.decisions} decisions: {result.reason}"
            ),
            subjects={
                "installed": result.acceptable,
                "decisions": result.decisions,
                "why": result.reason,
            },
            before=_figures_summary(result.figures, "current"),
            after=_figures_summary(result.figures, "candidate"),
        )
        if result.acceptable:
            transaction.on_commit(learning.adaptation_changed)
    return attempt


@transaction.atomic
def adaptation_learn_queue(*, moderator: AbstractUser) -> LearningAttempt:
    """Record a learning run and hand it to the task queue; the Model page shows how it ends.

    Refuses at once when there are too few decisions or a run is already under way.
    """
    learning = _learning()
    moderator_check(moderator)
    minimum = max(2, settings.MODERATION_LEARN_MIN_DECISIONS)
    collected = ModeratorDecision.objects.count()
    if collected < minimum:
        raise ModerationError(learning.too_few_message(collected, minimum))
    running = LearningAttempt.objects.filter(
        outcome=LearningAttempt.Outcome.LEARNING, created__gte=timezone.now() - LEARNING_TIMEOUT
    )
    if running.exists():
        raise ModerationError(gettext("A learning run is already under way."))
    attempt = LearningAttempt.objects.create(
        created_by=moderator, outcome=LearningAttempt.Outcome.LEARNING
    )
    transaction.on_commit(lambda: _learning_enqueue(attempt.pk))
    return attempt


def _learning_enqueue(attempt_id: int) -> None:
    from masthead.moderation.tasks import learn_adaptation

    try:
        learn_adaptation.enqueue(attempt_id)
    except Exception:  # a queue that is down must not fail the request; the page says so
        logger.exception("Could not enqueue learning attempt %s", attempt_id)
        LearningAttempt.objects.filter(pk=attempt_id).update(
            outcome=LearningAttempt.Outcome.FAILED,
            reason=gettext("The task queue could not take the run; try again later."),
        )


def adaptation_learn_queued(*, attempt_id: int) -> LearningAttempt | None:
    """Complete a queued learning run (the task); a run already ended is left alone."""
    attempt = LearningAttempt.objects.filter(
        pk=attempt_id, outcome=LearningAttempt.Outcome.LEARNING
    ).first()
    if attempt is None:
        return None
    try:
        return adaptation_learn(moderator=attempt.created_by, attempt=attempt)
    except (ModerationError, PermissionDenied) as problem:
        attempt.outcome = LearningAttempt.Outcome.FAILED
        attempt.reason = getattr(problem, "message", None) or str(problem)
        attempt.save(update_fields=["outcome", "reason"])
        return attempt
    except Exception:
        # Recorded for the page, then raised again for the worker's log.
        LearningAttempt.objects.filter(pk=attempt.pk).update(
            outcome=LearningAttempt.Outcome.FAILED,
            reason=gettext("Learning stopped on an error; the server's log has the details."),
        )
        raise


# --- bans -------------------------------------------------------------------------------------


def _ban_targets(comment: Comment) -> dict[str, tuple[str, str]]:
    """Return what can be banned about a comment's author: kind → (value, label)."""
    targets = {}
    if comment.user_id is not None:
        targets[Ban.Kind.USER] = (
            str(comment.user_id),
            stored.ACCOUNT_LABEL(name=comment.author_name, id=comment.user_id),
        )
    if comment.author_email:
        email = comment.author_email.strip().lower()
        targets[Ban.Kind.EMAIL] = (email, f"{comment.author_name} <{email}>")
    if comment.ip_hash:
        targets[Ban.Kind.IP] = (
            comment.ip_hash,
            stored.NETWORK_LABEL(name=comment.author_name, id=comment.pk),
        )
    return targets


def _ban_needed(kind: str, value: str, expires) -> bool:
    """Return whether a new ban would last longer than the active ones on this kind and value."""
    lasting = Q(expires__isnull=True)
    if expires is not None:
        lasting |= Q(expires__gte=expires)
    return not Ban.objects.filter(Ban.active_q(), lasting, kind=kind, value=value).exists()


@transaction.atomic
def author_ban(
    moderator,
    comment_id: int,
    *,
    duration: timedelta | None,
    reason: str = "",
    kinds: Iterable[str] | None = None,
    reject_comment: bool = False,
) -> list[Ban]:
    """Ban the author of a comment by account, email address and network (those it has).

    `duration` None bans for good. Leaves the comment as it is unless `reject_comment`: the
    queue's "Ban author" button asks for both at once, as moderators expect; a ban from the
    author's history page leaves their past comments alone. An active ban that already lasts
    as long is not duplicated. Returns the bans created.
    """
    moderator_check(moderator)
    comment = Comment.objects.select_related("thread").filter(pk=comment_id).first()
    if comment is None:
        raise ModerationError(gettext("That comment no longer exists."))
    targets = _ban_targets(comment)
    if kinds is not None:
        targets = {kind: target for kind, target in targets.items() if kind in set(kinds)}
    if not targets:
        raise ModerationError(
            gettext("This comment carries no account, email address or network to ban.")
        )
    now = timezone.now()
    expires = now + duration if duration is not None else None
    reason = reason.strip()[:500]
    created = [
        Ban.objects.create(
            kind=kind,
            value=value,
            label=label[:300],
            reason=reason,
            created=now,
            created_by=moderator,
            expires=expires,
        )
        for kind, (value, label) in targets.items()
        if _ban_needed(kind, value, expires)
    ]
    kinds_words = ", ".join(stored.in_english(Ban.KIND_WORDS[kind]) for kind in targets)
    _audit(
        moderator,
        action="author_ban",
        target_type="author",
        target_id=comment.pk,
        summary=f"Banned {{author}} ({kinds_words}) {_duration_words(duration)}"
        + (f": {reason}" if reason else ""),
        # The kinds and duration let the log say this in the reader's language (audit.py).
        subjects={
            "author": comment.pk,
            "kinds": list(targets),
            "duration": duration.total_seconds() if duration is not None else None,
        },
        before={},
        after={
            "bans": [{"id": ban.pk, "kind": ban.kind} for ban in created],
            "expires": expires.isoformat() if expires else None,
            "reason": reason,
        },
    )
    if reject_comment:
        # Within the same transaction: a moderator never sees a ban without its rejection.
        _comment_act(moderator, "reject", comment.pk)
    else:
        # The ban answers reports about this comment even when the comment itself stays.
        _flags_resolve(comment.pk)
    _config_changed()
    return created


BANNABLE_BY_HAND = (Ban.Kind.USER, Ban.Kind.EMAIL)


def _ban_state(ban: Ban) -> dict:
    # No label: it names the person (the entry's "{ban}" shows it while the ban has one).
    return {
        "kind": ban.kind,
        "expires": ban.expires.isoformat() if ban.expires else None,
        "lifted": ban.lifted.isoformat() if ban.lifted else None,
        "reason": ban.reason,
    }


@transaction.atomic
def ban_create_by(
    moderator,
    *,
    kind: str,
    value: str,
    duration: timedelta | None,
    reason: str = "",
) -> Ban:
    """Ban an account (by user id) or an email address typed in the ban list.

    Networks are banned only from a comment (the queue's "Ban author"): the stored value is a
    keyed hash nobody can type.
    """
    moderator_check(moderator)
    value = (value or "").strip()
    if kind not in BANNABLE_BY_HAND:
        raise ModerationError(
            gettext("Ban a network from one of its comments in the queue."), field="kind"
        )
    label = value
    if kind == Ban.Kind.EMAIL:
        value = value.lower()
        if "@" not in value or len(value) > 254:
            raise ModerationError(
                gettext("Give an email address like name@example.org."), field="value"
            )
    else:
        from django.contrib.auth import get_user_model

        account = get_user_model().objects.filter(pk=value).first() if value.isdigit() else None
        if account is None:
            raise ModerationError(gettext("There is no account with this id."), field="value")
        label = stored.ACCOUNT_LABEL(
            name=account.get_full_name() or account.get_username(), id=account.pk
        )
    now = timezone.now()
    ban = Ban.objects.create(
        kind=kind,
        value=value,
        label=label[:300],
        reason=reason.strip()[:500],
        created=now,
        created_by=moderator,
        expires=now + duration if duration is not None else None,
    )
    _audit(
        moderator,
        action="ban_create",
        target_type="ban",
        target_id=ban.pk,
        summary=f"Banned {{ban}} {_duration_words(duration)}"
        + (f": {ban.reason}" if ban.reason else ""),
        subjects={
            "ban": ban.pk,
            "duration": duration.total_seconds() if duration is not None else None,
        },
        after=_ban_state(ban),
    )
    _config_changed()
    return ban


@transaction.atomic
def ban_lift_by(moderator, ban_id: int) -> Ban | None:
    """End a ban now. A ban already lifted or expired is left alone (returns None)."""
    moderator_check(moderator)
    ban = Ban.objects.select_for_update().filter(pk=ban_id).first()
    if ban is None or not ban.is_active:
        return None
    before = _ban_state(ban)
    ban.lifted = timezone.now()
    ban.save(update_fields=["lifted"])
    _audit(
        moderator,
        action="ban_lift",
        target_type="ban",
        target_id=ban.pk,
        summary="Lifted the ban on {ban}",
        subjects={"ban": ban.pk},
        before=before,
        after=_ban_state(ban),
    )
    _config_changed()
    return ban


# --- word and domain lists --------------------------------------------------------------------


def list_value_normalize(kind: str, value: str) -> str:
    """Return the form a list entry is stored in: lower case; a bare host for domains."""
    value = " ".join((value or "").split()).lower()
    if kind == ListEntry.Kind.BLOCKED_DOMAIN:
        for prefix in ("https://", "http://", "www."):
            value = value.removeprefix(prefix)
        value = value.split("/", 1)[0]
    return value


def _list_entry_clean(kind: str, value: str, *, exclude_id: int | None = None) -> str:
    if kind not in ListEntry.Kind.values:
        raise ModerationError(gettext("Choose a list."), field="kind")
    value = list_value_normalize(kind, value)
    if not value:
        raise ModerationError(gettext("Give a word, phrase or domain."), field="value")
    if kind == ListEntry.Kind.BLOCKED_DOMAIN and ("." not in value or " " in value):
        raise ModerationError(gettext("Give a domain like example.com."), field="value")
    duplicates = ListEntry.objects.filter(kind=kind, value=value).exclude(pk=exclude_id)
    if duplicates.exists():
        raise ModerationError(
            gettext("“%(value)s” is on this list already.") % {"value": value}, field="value"
        )
    return value


def _list_entry_state(entry: ListEntry) -> dict:
    return {"kind": entry.kind, "value": entry.value, "note": entry.note}


@transaction.atomic
def list_entry_add(moderator, *, kind: str, value: str, note: str = "") -> ListEntry:
    """Add a blocked word, an allowed word or a blocked domain."""
    moderator_check(moderator)
    entry = ListEntry.objects.create(
        kind=kind,
        value=_list_entry_clean(kind, value),
        note=note.strip()[:300],
        created_by=moderator,
    )
    _audit(
        moderator,
        action="list_entry_add",
        target_type="list_entry",
        target_id=entry.pk,
        summary=f"Added “{entry.value}” to {stored.in_english(ListEntry.LIST_WORDS[entry.kind])}",
        after=_list_entry_state(entry),
    )
    _config_changed()
    return entry


@transaction.atomic
def list_entry_edit(
    moderator, entry_id: int, *, kind: str, value: str, note: str = ""
) -> ListEntry:
    """Change a list entry's list, text or note."""
    moderator_check(moderator)
    entry = ListEntry.objects.select_for_update().filter(pk=entry_id).first()
    if entry is None:
        raise ModerationError(gettext("That list entry no longer exists."))
    before = _list_entry_state(entry)
    entry.kind = kind
    entry.value = _list_entry_clean(kind, value, exclude_id=entry.pk)
    entry.note = note.strip()[:300]
    entry.save(update_fields=["kind", "value", "note"])
    _audit(
        moderator,
        action="list_entry_edit",
        target_type="list_entry",
        target_id=entry.pk,
        summary=f"Changed {before['kind'].replace('_', ' ')} “{before['value']}” "
        f"to {stored.in_english(ListEntry.KIND_WORDS[entry.kind])} “{entry.value}”",
        before=before,
        after=_list_entry_state(entry),
    )
    _config_changed()
    return entry


@transaction.atomic
def list_entry_remove(moderator, entry_id: int) -> ListEntry | None:
    """Remove a list entry; one already gone is no error (returns None)."""
    moderator_check(moderator)
    entry = ListEntry.objects.select_for_update().filter(pk=entry_id).first()
    if entry is None:
        return None
    before = _list_entry_state(entry)
    entry.delete()
    _audit(
        moderator,
        action="list_entry_remove",
        target_type="list_entry",
        target_id=entry_id,
        summary=f"Removed “{before['value']}” from "
        f"{stored.in_english(ListEntry.LIST_WORDS[entry.kind])}",
        before=before,
    )
    _config_changed()
    return entry


# --- API keys ---------------------------------------------------------------------------------

# How often a key's "last used" is written: at most once a minute, not on every request.
API_KEY_USE_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class NewApiKey:
    """A key just created: its row, and the key itself, which is stored nowhere."""

    api_key: ApiKey
    key: str


def _api_key_state(api_key: ApiKey) -> dict:
    return {
        "name": api_key.name,
        "prefix": api_key.prefix,
        "revoked": api_key.revoked.isoformat() if api_key.revoked else None,
    }


@transaction.atomic
def api_key_create(*, moderator: AbstractUser, name: str) -> NewApiKey:
    """Create a key for the analyze API; the returned `key` is the only copy there will be."""
    moderator_check(moderator)
    name = " ".join((name or "").split())
    if not name:
        raise ModerationError(gettext("Give the key a name, to tell it apart later."), field="name")
    if len(name) > 100:
        raise ModerationError(gettext("Keep the name under 100 characters."), field="name")
    prefix = ApiKey.KEY_START + secrets.token_hex(6)
    while ApiKey.objects.filter(prefix=prefix).exists():  # 48 random bits: hardly ever taken
        prefix = ApiKey.KEY_START + secrets.token_hex(6)
    key = f"{prefix}_{secrets.token_urlsafe(32)}"
    api_key = ApiKey.objects.create(
        name=name, prefix=prefix, secret_hash=ApiKey.digest(key), created_by=moderator
    )
    _audit(
        moderator,
        action="api_key_create",
        target_type="api_key",
        target_id=api_key.pk,
        summary=f"Created the API key “{name}” ({prefix}…)",
        after=_api_key_state(api_key),
    )
    return NewApiKey(api_key=api_key, key=key)


@transaction.atomic
def api_key_revoke(*, moderator: AbstractUser, api_key_id: int) -> ApiKey | None:
    """Revoke a key for good; one already revoked or gone is left alone (returns None)."""
    moderator_check(moderator)
    api_key = ApiKey.objects.select_for_update().filter(pk=api_key_id).first()
    if api_key is None or not api_key.is_active:
        return None
    before = _api_key_state(api_key)
    api_key.revoked = timezone.now()
    api_key.save(update_fields=["revoked"])
    _audit(
        moderator,
        action="api_key_revoke",
        target_type="api_key",
        target_id=api_key.pk,
        summary=f"Revoked the API key “{api_key.name}” ({api_key.prefix}…)",
        before=before,
        after=_api_key_state(api_key),
    )
    return api_key


def api_key_use(*, api_key: ApiKey) -> None:
    """Record that `api_key` was just used (to the minute), without an audit entry."""
    now = timezone.now()
    # One conditional UPDATE: a busy key writes once a minute, and concurrent requests never
    # move the time backwards.
    ApiKey.objects.filter(
        Q(last_used__isnull=True) | Q(last_used__lt=now - API_KEY_USE_RESOLUTION),
        pk=api_key.pk,
    ).update(last_used=now)

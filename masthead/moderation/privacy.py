"""A commenter's personal data: export everything stored about an address, or erase it.

A commenter is found by their email address (any capitals): the comments written with it, the
accounts registered with it, and what those link to — votes and reports cast under the same
account or guest reader cookie, subscriptions, suppressions, mails sent to the address, bans.

Network addresses and reader cookies are stored only as keyed hashes (`core.hashing`), so an
export can say that they exist but never show them.

Notifications sit above moderation in the import layers (docs/architecture.md), so its tables
are reached through `apps.get_model` rather than an import: erasure has to touch them, and an
import would point the dependency the wrong way.
"""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from masthead.core.hashing import keyed_hash
from masthead.core.urls import public_url
from masthead.discussion import services as discussion
from masthead.discussion import signals as discussion_signals
from masthead.discussion.models import Comment, Thread, Vote
from masthead.moderation.models import AuditEntry, Ban, Flag, ModeratorDecision

ERASE_MODES = ("anonymize", "delete")
ANONYMOUS_NAME = "Anonymous"
# What moderators read on a comment erased in "delete" mode.
ERASED_REASON = "erased at the author's request"
# Replaces the subject of a mail about an erased comment, which named its author.
REDACTED_SUBJECT = "(redacted: the comment's author asked for erasure)"

HASHED_ONLY = {
    "ip_address": "Stored only as a keyed hash (HMAC with the site's secret key), to enforce "
    "limits and bans. The address itself is not kept, so it cannot be shown.",
    "reader_cookie": "A guest's browser id is stored only as a keyed hash; it links your "
    "comments and votes made without an account, and cannot be shown.",
}


class PrivacyError(Exception):
    """A request the privacy tools refuse, with a message for the operator."""


def _notifications_model(name: str):
    return apps.get_model("notifications", name)


def _iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


def _normalized_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise PrivacyError(f"{email or 'An empty value'} is not an email address.") from None
    return email


@dataclass(frozen=True)
class Commenter:
    """What links stored rows to one person: their address, accounts, comments and voter keys."""

    email: str
    account_ids: tuple[int, ...]
    comment_ids: tuple[int, ...]
    # "user:<id>" and "guest:<reader hash>": how votes and reports name who cast them.
    voter_keys: tuple[str, ...]
    ip_hashes: tuple[str, ...]

    @property
    def email_hash(self) -> str:
        return keyed_hash(self.email, purpose="email")


def commenter_find(*, email: str) -> Commenter:
    """Return everything that identifies the commenter who uses `email` (any capitals)."""
    email = _normalized_email(email)
    account_ids = tuple(
        get_user_model().objects.filter(email__iexact=email).values_list("pk", flat=True)
    )
    rows = list(
        Comment.objects.filter(Q(author_email__iexact=email) | Q(user_id__in=account_ids))
        .order_by("pk")
        .values_list("pk", "author_reader", "ip_hash")
    )
    readers = sorted({reader for _pk, reader, _ip in rows if reader})
    return Commenter(
        email=email,
        account_ids=account_ids,
        comment_ids=tuple(pk for pk, _reader, _ip in rows),
        voter_keys=tuple([f"user:{pk}" for pk in account_ids] + [f"guest:{r}" for r in readers]),
        ip_hashes=tuple(sorted({ip for _pk, _reader, ip in rows if ip})),
    )


def _subscriptions(commenter: Commenter):
    Subscription = _notifications_model("Subscription")
    return Subscription.objects.filter(
        Q(email__iexact=commenter.email) | Q(user_id__in=commenter.account_ids)
    )


def _bans(commenter: Commenter):
    return Ban.objects.filter(
        Q(kind=Ban.Kind.EMAIL, value=commenter.email)
        | Q(kind=Ban.Kind.USER, value__in=[str(pk) for pk in commenter.account_ids])
        | Q(kind=Ban.Kind.IP, value__in=commenter.ip_hashes)
    )


def _thread_address(thread: Thread) -> str:
    if thread.url:
        return thread.url
    if thread.page_id is not None:
        path = thread.page.get_url()
        return public_url(path) if path else ""
    return ""


def _comment_export(comment: Comment) -> dict:
    return {
        "id": comment.pk,
        "thread": {
            "key": comment.thread.key,
            "title": comment.thread.title,
            "url": _thread_address(comment.thread),
        },
        "in_reply_to": comment.parent_id,
        "author_name": comment.author_name,
        "author_email": comment.author_email,
        "account_id": comment.user_id,
        "text": comment.text,
        "status": comment.status,
        "shown_in_thread": comment.listed,
        "created": _iso(comment.created),
        "edited": _iso(comment.edited),
        "quoted_passage": comment.anchor_exact,
        "score": comment.score,
        "upvotes": comment.upvotes,
        "downvotes": comment.downvotes,
        "moderation_reasons": comment.moderation_reasons,
        "moderation_scores": comment.moderation_scores,
        # Reports by other readers: only what was reported and when, never who reported it.
        "reports": [
            {"reason": flag.reason, "created": _iso(flag.created), "resolved": _iso(flag.resolved)}
            for flag in comment.moderation_flags.all()
        ],
        "ip_address_stored_as_hash": bool(comment.ip_hash),
    }


def personal_data_export(*, email: str) -> dict:
    """Return everything stored about the commenter who uses `email`, ready for JSON."""
    commenter = commenter_find(email=email)
    OutboundMail = _notifications_model("OutboundMail")
    SuppressedAddress = _notifications_model("SuppressedAddress")
    comments = (
        Comment.objects.filter(pk__in=commenter.comment_ids)
        .select_related("thread", "thread__page")
        .prefetch_related("moderation_flags")
        .order_by("created", "pk")
    )
    votes = (
        Vote.objects.filter(voter__in=commenter.voter_keys)
        .select_related("comment__thread")
        .order_by("created", "pk")
    )
    flags = (
        Flag.objects.filter(reporter__in=commenter.voter_keys)
        .select_related("comment__thread")
        .order_by("created", "pk")
    )
    accounts = get_user_model().objects.filter(pk__in=commenter.account_ids).order_by("pk")
    return {
        "email": commenter.email,
        "exported": _iso(timezone.now()),
        "accounts": [
            {
                "id": account.pk,
                "username": account.get_username(),
                "first_name": getattr(account, "first_name", ""),
                "last_name": getattr(account, "last_name", ""),
                "email": account.email,
                "date_joined": _iso(getattr(account, "date_joined", None)),
                "last_login": _iso(account.last_login),
                "is_active": account.is_active,
            }
            for account in accounts
        ],
        "comments": [_comment_export(comment) for comment in comments],
        # Only the reader's own side of a vote or report: not the other comment's author.
        "votes": [
            {
                "comment_id": vote.comment_id,
                "thread_key": vote.comment.thread.key,
                "value": vote.value,
                "created": _iso(vote.created),
            }
            for vote in votes
        ],
        "reports_filed": [
            {
                "comment_id": flag.comment_id,
                "thread_key": flag.comment.thread.key,
                "reason": flag.reason,
                "note": flag.note,
                "created": _iso(flag.created),
                "resolved": _iso(flag.resolved),
            }
            for flag in flags
        ],
        "subscriptions": [
            {
                "kind": subscription.kind,
                "email": subscription.email,
                "thread_key": subscription.thread.key if subscription.thread_id else None,
                "comment_id": subscription.comment_id,
                "digest": subscription.digest,
                "confirmed": _iso(subscription.confirmed),
                "created": _iso(subscription.created),
            }
            for subscription in _subscriptions(commenter).select_related("thread").order_by("pk")
        ],
        "suppressed": [
            {"email": row.email, "created": _iso(row.created)}
            for row in SuppressedAddress.objects.filter(email__iexact=commenter.email)
        ],
        "mails": [
            {
                "kind": mail.kind,
                "subject": mail.subject,
                "state": mail.state,
                "created": _iso(mail.created),
                "sent": _iso(mail.sent),
                "attempts": mail.attempts,
            }
            for mail in OutboundMail.objects.filter(to__iexact=commenter.email).order_by("pk")
        ],
        "bans": [
            {
                "kind": ban.kind,
                # An IP ban's value is a keyed hash, and its label may name whoever else
                # shares the network: neither is this person's to read.
                "label": ban.label if ban.kind != Ban.Kind.IP else "",
                "reason": ban.reason,
                "created": _iso(ban.created),
                "expires": _iso(ban.expires),
                "lifted": _iso(ban.lifted),
            }
            for ban in _bans(commenter).order_by("pk")
        ],
        "stored_only_as_keyed_hashes": HASHED_ONLY,
    }


def personal_data_counts(commenter: Commenter) -> dict:
    """Return how many rows of each kind are stored about `commenter` (for confirmations)."""
    OutboundMail = _notifications_model("OutboundMail")
    SuppressedAddress = _notifications_model("SuppressedAddress")
    return {
        "comments": len(commenter.comment_ids),
        "votes": Vote.objects.filter(voter__in=commenter.voter_keys).count(),
        "reports_filed": Flag.objects.filter(reporter__in=commenter.voter_keys).count(),
        "subscriptions": _subscriptions(commenter).count(),
        "suppressed": SuppressedAddress.objects.filter(email__iexact=commenter.email).count(),
        "mails": OutboundMail.objects.filter(to__iexact=commenter.email).count(),
        "bans": _bans(commenter).count(),
        "accounts": len(commenter.account_ids),
    }


def _votes_withdraw(commenter: Commenter) -> int:
    """Delete the commenter's votes and take them out of the comments' stored counts."""
    votes = Vote.objects.filter(voter__in=commenter.voter_keys)
    per_comment = votes.values("comment_id").annotate(
        up=Count("pk", filter=Q(value=1)),
        down=Count("pk", filter=Q(value=-1)),
        total=Coalesce(Sum("value"), 0),
    )
    for row in per_comment:
        comment = Comment.objects.select_for_update().get(pk=row["comment_id"])
        comment.upvotes -= row["up"]
        comment.downvotes -= row["down"]
        comment.score -= row["total"]
        comment.save(update_fields=["upvotes", "downvotes", "score"])
    deleted, _ = votes.delete()
    return deleted


def _comments_remove(commenter: Commenter) -> tuple[int, int]:
    """Take the commenter's comments out of their threads; return (removed, placeholders).

    Deepest first: a reply of theirs to their own comment goes before its parent, so the
    parent is left a placeholder only when someone else's reply still hangs under it.
    Status changes go through discussion's `comment_moderate`, which keeps the thread's and
    the parents' counters exact.
    """
    ordered = (
        Comment.objects.filter(pk__in=commenter.comment_ids)
        .order_by("-depth", "pk")
        .values_list("pk", flat=True)
    )
    for comment_id in ordered:
        discussion.comment_moderate(
            comment_id=comment_id, status=Comment.Status.DELETED, reasons=[ERASED_REASON]
        )
    placeholders = Comment.objects.filter(pk__in=commenter.comment_ids, listed=True).count()
    return len(commenter.comment_ids) - placeholders, placeholders


def _mails_redact(commenter: Commenter) -> tuple[int, int]:
    """Forget mails to the address; strip the author's words from mails about their comments.

    Mails to other readers about the commenter's comments stay in the log (they are those
    readers' history) but lose what named or quoted the commenter, and any not yet sent are
    cancelled so the erased words never go out. Digests carry several comments and are not
    rewritten. Returns (mails deleted, mails redacted).
    """
    OutboundMail = _notifications_model("OutboundMail")
    unsent = [
        OutboundMail.State.QUEUED,
        OutboundMail.State.RETRYING,
        OutboundMail.State.WAITING,
    ]
    about_their_comments = OutboundMail.objects.filter(
        comment_id__in=commenter.comment_ids
    ).exclude(to__iexact=commenter.email)
    about_their_comments.filter(state__in=unsent).update(state=OutboundMail.State.CANCELLED)
    redacted = about_their_comments.update(subject=REDACTED_SUBJECT, text_body="", html_body="")
    deleted, _ = OutboundMail.objects.filter(to__iexact=commenter.email).delete()
    return deleted, redacted


@transaction.atomic
def personal_data_erase(
    *, email: str, mode: str | None = None, actor=None, actor_name: str = ""
) -> dict:
    """Erase the commenter who uses `email` and return counts of what was done.

    "anonymize" keeps each comment's text under the name "Anonymous"; "delete" removes the
    text too, leaving a "deleted" placeholder where others replied. Either way the comments
    lose every link to the person (address, account, reader cookie, network hash), and their
    votes, subscriptions and mails go. Bans stay as they are: erasure must never lift one.
    """
    mode = mode or settings.MODERATION_ERASE_MODE
    if mode not in ERASE_MODES:
        raise PrivacyError(f"Unknown erase mode {mode!r}: use anonymize or delete.")
    commenter = commenter_find(email=email)
    before = personal_data_counts(commenter)
    thread_ids = set(
        Comment.objects.filter(
            Q(pk__in=commenter.comment_ids) | Q(votes__voter__in=commenter.voter_keys)
        ).values_list("thread_id", flat=True)
    )

    votes_deleted = _votes_withdraw(commenter)
    removed = placeholders = 0
    if mode == "delete":
        removed, placeholders = _comments_remove(commenter)
    identity_cleared = {
        "author_name": ANONYMOUS_NAME,
        "author_email": "",
        "author_reader": "",
        "ip_hash": "",
        "user": None,
    }
    if mode == "delete":
        identity_cleared |= {"text": "", "html": "", "moderation_scores": {}}
    Comment.objects.filter(pk__in=commenter.comment_ids).update(**identity_cleared)

    # Reports stay (moderators decided on them) but no longer point to who filed them.
    reports = list(Flag.objects.filter(reporter__in=commenter.voter_keys))
    for flag in reports:
        flag.reporter = f"erased:{flag.pk}"
        flag.note = ""
        flag.ip_hash = ""
        flag.save(update_fields=["reporter", "note", "ip_hash"])

    mails_deleted, mails_redacted = _mails_redact(commenter)
    # Moderators' decisions keep a copy of the text for learning (learning.py): it goes too,
    # whatever the mode, and the next learning run no longer sees it.
    decisions_deleted, _ = ModeratorDecision.objects.filter(
        comment_id__in=commenter.comment_ids
    ).delete()
    subscriptions_deleted, _ = _subscriptions(commenter).delete()
    suppressed_deleted, _ = (
        _notifications_model("SuppressedAddress")
        .objects.filter(email__iexact=commenter.email)
        .delete()
    )

    summary = {
        "mode": mode,
        "comments": len(commenter.comment_ids),
        "comments_anonymized": len(commenter.comment_ids) if mode == "anonymize" else 0,
        "comments_removed": removed,
        "comments_left_as_placeholders": placeholders,
        "votes_deleted": votes_deleted,
        "reports_anonymized": len(reports),
        "subscriptions_deleted": subscriptions_deleted,
        "suppressions_deleted": suppressed_deleted,
        "mails_deleted": mails_deleted,
        "mails_about_their_comments_redacted": mails_redacted,
        "moderator_decisions_deleted": decisions_deleted,
        "bans_kept": before["bans"],
        # Accounts are people's logins (possibly staff): Settings → Users manages them.
        "accounts_kept": before["accounts"],
    }
    AuditEntry.objects.create(
        actor=actor,
        actor_name=actor_name or (actor.get_username() if actor is not None else "unknown"),
        action="privacy_erase",
        target_type="author",
        # The audit log outlives the erasure, so it names the address only by keyed hash.
        target_id=commenter.email_hash,
        summary=(
            f"Erased a commenter's personal data ({mode}): {summary['comments']} comment(s), "
            f"{votes_deleted} vote(s), {subscriptions_deleted} subscription(s), "
            f"{mails_deleted} mail(s); {summary['bans_kept']} ban(s) kept."
        ),
        before=before,
        after=summary,
    )

    threads = list(Thread.objects.filter(pk__in=thread_ids))

    def announce():
        # Cached pages and open live streams still show the old name or text.
        for thread in threads:
            discussion_signals.thread_changed.send(sender=Thread, thread=thread)

    transaction.on_commit(announce)
    return summary

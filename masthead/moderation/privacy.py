"""A commenter's personal data: export everything stored about an address, or erase it.

A commenter is found by their email address (any capitals): the comments written with it, the
accounts registered with it, and what those link to — votes and reports cast under the same
account or guest reader cookie, subscriptions, suppressions, mails sent to the address, bans.

Network addresses and reader cookies are stored only as keyed hashes (`core.hashing`), so an
export can say that they exist but never show them.

Erasing writes only moderation's own rows (reports, decisions, ban labels, the audit entry);
discussion's and notifications' rows change through their services (`votes_withdraw`,
`comments_anonymize`, `mails_redact`, `address_forget`), so each table keeps one writer.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from masthead.core.hashing import keyed_hash
from masthead.core.urls import public_url
from masthead.discussion import services as discussion
from masthead.discussion.models import Comment, SourceMeta, Thread, Vote
from masthead.moderation import stored_text as stored
from masthead.moderation.models import AuditEntry, Ban, Flag, ModeratorDecision
from masthead.notifications import services as notifications
from masthead.notifications.models import OutboundMail, Subscription, SuppressedAddress

ERASE_MODES = ("anonymize", "delete")
# Stored as the comments' author name, like any name a commenter typed: not translated.
ANONYMOUS_NAME = "Anonymous"
# What moderators read on a comment erased in "delete" mode (stored English, stored_text.py).
ERASED_REASON = stored.ERASED()
# What an erased commenter's bans say instead of their name and address (they stay in force).
ERASED_BAN_LABELS = {
    Ban.Kind.USER: stored.ERASED_ACCOUNT(),
    Ban.Kind.EMAIL: stored.ERASED_EMAIL(),
    Ban.Kind.IP: stored.ERASED_NETWORK(),
}

# The export explains to the commenter what it cannot show; in the moderator's language.
HASHED_ONLY = {
    "ip_address": gettext_lazy(
        "Stored only as a keyed hash (HMAC with the site's secret key), to enforce "
        "limits and bans. The address itself is not kept, so it cannot be shown."
    ),
    "reader_cookie": gettext_lazy(
        "A guest's browser id is stored only as a keyed hash; it links your "
        "comments and votes made without an account, and cannot be shown."
    ),
}


class PrivacyError(Exception):
    """A request the privacy tools refuse, with a message for the operator."""


def _iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


def _normalized_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        if not email:
            raise PrivacyError(_("An empty value is not an email address.")) from None
        raise PrivacyError(_("%(value)s is not an email address.") % {"value": email}) from None
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
        "author_website": comment.author_url,
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
        # What the system the comment was imported from kept beside it.
        "kept_from_import": _source_meta(comment),
    }


def _source_meta(comment: Comment) -> dict:
    try:
        return comment.source_meta.meta
    except SourceMeta.DoesNotExist:
        return {}


def personal_data_export(*, email: str) -> dict:
    """Return everything stored about the commenter who uses `email`, ready for JSON."""
    commenter = commenter_find(email=email)
    comments = (
        Comment.objects.filter(pk__in=commenter.comment_ids)
        .select_related("thread", "thread__page", "source_meta")
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
        "stored_only_as_keyed_hashes": {key: str(text) for key, text in HASHED_ONLY.items()},
    }


def personal_data_counts(commenter: Commenter) -> dict:
    """Return how many rows of each kind are stored about `commenter` (for confirmations)."""
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


def _bans_relabel(commenter: Commenter) -> int:
    """Take the commenter's name and address out of their bans' labels; the bans stay.

    A ban's label is what moderators (and the audit log, which names bans by id) read; its
    value — account id, address, network hash — is what enforces it, and is kept.
    """
    relabelled = 0
    for ban in _bans(commenter).order_by("pk"):
        ban.label = ERASED_BAN_LABELS[ban.kind]
        ban.save(update_fields=["label"])
        relabelled += 1
    return relabelled


@transaction.atomic
def personal_data_erase(
    *, email: str, mode: str | None = None, actor=None, actor_name: str = ""
) -> dict:
    """Erase the commenter who uses `email` and return counts of what was done.

    "anonymize" keeps each comment's text under the name "Anonymous"; "delete" removes the
    text too, leaving a "deleted" placeholder where others replied. Either way the comments
    lose every link to the person (address, account, reader cookie, network hash), and their
    votes, subscriptions and mails go. Bans stay in force (erasure must never lift one); only
    their labels lose the name and address.
    """
    mode = mode or settings.MODERATION_ERASE_MODE
    if mode not in ERASE_MODES:
        raise PrivacyError(
            _("Unknown erase mode %(mode)s: use anonymize or delete.") % {"mode": repr(mode)}
        )
    commenter = commenter_find(email=email)
    before = personal_data_counts(commenter)
    votes_deleted = discussion.votes_withdraw(voter_keys=commenter.voter_keys)
    anonymized = discussion.comments_anonymize(
        comment_ids=commenter.comment_ids,
        name=ANONYMOUS_NAME,
        remove_text=mode == "delete",
        reason=ERASED_REASON,
    )

    # Reports stay (moderators decided on them) but no longer point to who filed them.
    reports = list(Flag.objects.filter(reporter__in=commenter.voter_keys))
    for flag in reports:
        flag.reporter = f"erased:{flag.pk}"
        flag.note = ""
        flag.ip_hash = ""
        flag.save(update_fields=["reporter", "note", "ip_hash"])

    mails = notifications.mails_redact(email=commenter.email, comment_ids=commenter.comment_ids)
    # Moderators' decisions keep a copy of the text for learning (learning.py): it goes too,
    # whatever the mode, and the next learning run no longer sees it.
    decisions_deleted, _by_model = ModeratorDecision.objects.filter(
        comment_id__in=commenter.comment_ids
    ).delete()
    forgotten = notifications.address_forget(
        email=commenter.email, account_ids=commenter.account_ids
    )
    # The audit log names comments and bans by id and reads names from them when shown, so
    # with the comments anonymized and the bans relabelled it names the commenter nowhere.
    bans_relabelled = _bans_relabel(commenter)

    summary = {
        "mode": mode,
        "comments": len(commenter.comment_ids),
        "comments_anonymized": anonymized.comments if mode == "anonymize" else 0,
        "comments_removed": anonymized.removed,
        "comments_left_as_placeholders": anonymized.placeholders,
        "votes_deleted": votes_deleted,
        "reports_anonymized": len(reports),
        "subscriptions_deleted": forgotten.subscriptions,
        "suppressions_deleted": forgotten.suppressions,
        "mails_deleted": mails.deleted,
        "mails_about_their_comments_redacted": mails.redacted,
        "moderator_decisions_deleted": decisions_deleted,
        "bans_kept": before["bans"],
        "bans_relabelled": bans_relabelled,
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
            f"{votes_deleted} vote(s), {forgotten.subscriptions} subscription(s), "
            f"{mails.deleted} mail(s); {summary['bans_kept']} ban(s) kept."
        ),
        before=before,
        after=summary,
    )

    return summary

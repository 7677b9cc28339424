"""Subscribing, confirming, unsubscribing, and turning new comments into mails.

Guests confirm by double opt-in: a subscription stays unconfirmed, and its address receives
nothing but the one confirmation mail, until its link is followed. A signed-in reader's
account address is trusted as it is.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from masthead.core.ratelimit import rate_limit_exceeded
from masthead.core.text import EMAIL_MAX_LENGTH, storable_line
from masthead.discussion.models import Comment, Thread
from masthead.discussion.services import DiscussionError
from masthead.notifications import composing, tokens
from masthead.notifications.delivery import log_text, mail_queue
from masthead.notifications.models import OutboundMail, Subscription, SuppressedAddress

Kind = Subscription.Kind
READER_KINDS = (Kind.THREAD, Kind.REPLIES, Kind.COMMENT)
# When one address is subscribed several ways, the most specific one explains the mail.
SPECIFICITY = {Kind.COMMENT: 3, Kind.REPLIES: 2, Kind.THREAD: 1}


class SubscriptionError(DiscussionError):
    """A subscription request refused, with a message for the reader (HTTP 400)."""


class TooManyRequestsError(SubscriptionError):
    status = 429


@dataclass(frozen=True)
class SubscribeResult:
    subscription: Subscription
    # "subscribed" (nothing to confirm) or "confirmation_sent" (check your inbox).
    status: str

    @property
    def message(self) -> str:
        if self.status == "subscribed":
            # Translators: "what" is what the reader subscribed to, e.g. "new follow-up comments".
            return _("Subscribed: we will email you about %(what)s.") % {
                "what": self.subscription.get_kind_display()
            }
        return _(
            "Check your inbox: a confirmation mail is on its way to %(email)s (unless that "
            "address is already subscribed). Nothing else is sent until you confirm."
        ) % {"email": self.subscription.email}


def page_language(language: str = "") -> str:
    """Return `language` if the site speaks it, else the language of this request.

    `language` is what the page a form or script was on says it speaks: the addresses they
    post to are not pages, so their own language follows the browser, while the reader reads
    (and subscribes, gives, wants mails) in the page's. Subscriptions and funding use it.
    """
    if language:
        try:
            return translation.get_supported_language_variant(language)
        except LookupError:
            pass
    return translation.get_language() or settings.LANGUAGE_CODE


def email_normalize(value: str) -> str:
    email = storable_line(value).lower()
    if not email:
        raise SubscriptionError(_("Enter your email address to subscribe."), field="email")
    if len(email) > EMAIL_MAX_LENGTH:
        raise SubscriptionError(
            _("Email addresses can be at most %(limit)s characters long.")
            % {"limit": EMAIL_MAX_LENGTH},
            field="email",
        )
    try:
        validate_email(email)
    except ValidationError as error:
        raise SubscriptionError(
            _("Enter a valid email address, like name@example.org."), field="email"
        ) from error
    return email


def subscription_request(
    *,
    thread: Thread,
    kind: str,
    email: str = "",
    user=None,
    comment: Comment | None = None,
    ip_hash: str = "",
    language: str = "",
) -> SubscribeResult:
    """Subscribe an address to a thread, to replies to its comments, or to one comment's replies.

    A signed-in reader is subscribed at once with the account's address; a guest's address gets
    one confirmation mail, rate-limited per address and per network address. Mails are written
    in the page's `language` (see page_language).
    """
    if kind not in READER_KINDS:
        raise SubscriptionError(
            _("Choose what to be notified of: thread, replies or comment."), field="kind"
        )
    if kind == Kind.COMMENT and (comment is None or comment.thread_id != thread.pk):
        raise SubscriptionError(_("Choose a comment of this discussion."), field="comment")
    signed_in = user is not None and user.is_authenticated
    if signed_in:
        if not user.email:
            raise SubscriptionError(
                _("Your account has no email address to send notifications to."), field="email"
            )
        address = email_normalize(user.email)
    else:
        address = email_normalize(email)

    scope = f"comment:{comment.pk}" if kind == Kind.COMMENT else f"thread:{thread.pk}"
    language = page_language(language)
    subscription = _subscription_get_or_create(
        email=address,
        kind=kind,
        scope=scope,
        thread=thread,
        comment=comment if kind == Kind.COMMENT else None,
        user=user if signed_in else None,
        language=language,
    )
    if signed_in:
        changed = []
        if subscription.confirmed is None:
            subscription.confirmed = timezone.now()
            subscription.user = user
            changed += ["confirmed", "user"]
        if subscription.language != language:
            # The account holder asked again from a page in another language: they read it.
            subscription.language = language
            changed.append("language")
        if changed:
            subscription.save(update_fields=changed)
        return SubscribeResult(subscription, "subscribed")
    if subscription.confirmed is None:
        # Asked again before confirming: the new confirmation mail is in the page's language.
        # A confirmed subscription keeps its language: anyone can type someone's address.
        if subscription.language != language:
            subscription.language = language
            subscription.save(update_fields=["language"])
        confirmation_send(subscription, ip_hash=ip_hash)
    return SubscribeResult(subscription, "confirmation_sent")


def _subscription_get_or_create(**fields) -> Subscription:
    lookup = {name: fields.pop(name) for name in ("email", "kind", "scope")}
    try:
        with transaction.atomic():
            subscription, _ = Subscription.objects.get_or_create(**lookup, defaults=fields)
    except IntegrityError:  # created by a concurrent request a moment ago
        subscription = Subscription.objects.get(**lookup)
    return subscription


def confirmation_send(subscription: Subscription, *, ip_hash: str = "") -> OutboundMail:
    """Queue the confirmation mail, unless this address or network asked too often."""
    since = timezone.now() - timedelta(hours=1)
    recent = OutboundMail.objects.filter(
        to=subscription.email, kind=OutboundMail.Kind.CONFIRMATION, created__gte=since
    ).count()
    if recent >= settings.NOTIFICATIONS_CONFIRMATIONS_PER_ADDRESS:
        raise TooManyRequestsError(
            _(
                "Several confirmation mails went to this address in the last hour. Check your "
                "inbox and spam folder, or try again in an hour."
            ),
            field="email",
        )
    if ip_hash and rate_limit_exceeded(
        f"confirm-ip:{ip_hash}",
        limit=settings.NOTIFICATIONS_CONFIRMATIONS_PER_IP,
        window_seconds=3600,
    ):
        raise TooManyRequestsError(
            _(
                "Too many subscription requests came from your network in the last hour. "
                "Please try again later."
            )
        )
    return mail_queue(
        kind=OutboundMail.Kind.CONFIRMATION,
        to=subscription.email,
        composed=composing.confirmation_compose(subscription),
        subscription=subscription,
    )


@dataclass(frozen=True)
class ConfirmResult:
    subscription: Subscription
    already: bool


@transaction.atomic
def subscription_confirm(token: str) -> ConfirmResult:
    """Confirm the subscription a mailed link names; confirming twice changes nothing."""
    claim = tokens.confirm_token_read(token)
    subscription = (
        Subscription.objects.select_for_update()
        .filter(pk=claim.subscription_id, email=claim.email)
        .first()
    )
    if subscription is None:
        raise tokens.TokenError(tokens.subscription_gone_message())
    if subscription.confirmed is not None:
        return ConfirmResult(subscription, already=True)
    subscription.confirmed = timezone.now()
    subscription.save(update_fields=["confirmed"])
    # Confirming a new subscription is a fresh yes: it lifts an earlier "nothing at all".
    SuppressedAddress.objects.filter(email=subscription.email).delete()
    return ConfirmResult(subscription, already=False)


@dataclass(frozen=True)
class UnsubscribeTarget:
    email: str
    subscription: Subscription | None
    # The subscription the link was made for no longer exists (already unsubscribed).
    gone: bool


def unsubscribe_target(token: str) -> UnsubscribeTarget:
    """Read an unsubscribe link: whose address, and which subscription it was mailed for."""
    claim = tokens.unsubscribe_token_read(token)
    subscription = None
    if claim.subscription_id is not None:
        subscription = (
            Subscription.objects.select_related("thread__page", "comment")
            .filter(pk=claim.subscription_id, email=claim.email)
            .first()
        )
    return UnsubscribeTarget(
        email=claim.email,
        subscription=subscription,
        gone=claim.subscription_id is not None and subscription is None,
    )


@transaction.atomic
def unsubscribe(token: str, *, everything: bool) -> int:
    """Cancel what a mailed link names: its thread, or everything for its address.

    Returns how many subscriptions were cancelled (0 when they already were: a replayed link
    changes nothing).
    """
    target = unsubscribe_target(token)
    if everything or (target.subscription is None and not target.gone):
        return address_unsubscribe_all(target.email)
    if target.subscription is None:
        return 0
    subscription = target.subscription
    mine = Subscription.objects.filter(email=target.email)
    if subscription.thread_id:
        cancelled, _ = mine.filter(thread_id=subscription.thread_id).delete()
    else:
        cancelled, _ = mine.filter(pk=subscription.pk).delete()
    return cancelled


def address_unsubscribe_all(email: str) -> int:
    """Cancel every subscription of `email` and never mail it again unless it subscribes."""
    cancelled, _ = Subscription.objects.filter(email=email).delete()
    SuppressedAddress.objects.get_or_create(email=email)
    OutboundMail.objects.filter(
        to=email,
        state__in=[
            OutboundMail.State.QUEUED,
            OutboundMail.State.RETRYING,
            OutboundMail.State.WAITING,
        ],
    ).exclude(kind=OutboundMail.Kind.TEST).update(
        state=OutboundMail.State.CANCELLED,
        error=log_text(gettext_lazy("The address unsubscribed from everything.")),
    )
    return cancelled


def subscriptions_of_user(user):
    """Return the signed-in reader's subscriptions, by account or by the account's address."""
    match = Q(user=user)
    if user.email:
        match |= Q(email=user.email.strip().lower())
    return (
        Subscription.objects.filter(match)
        .exclude(kind=Kind.MODERATION)
        .select_related("thread__page", "comment")
        .order_by("-created")
    )


def subscription_cancel(*, user, subscription_id: int) -> bool:
    """Cancel one of the signed-in reader's own subscriptions; False if it was not theirs."""
    cancelled, _ = subscriptions_of_user(user).filter(pk=subscription_id).delete()
    return bool(cancelled)


def moderation_subscription_set(*, user, mode: str) -> Subscription | None:
    """Set a moderator's mails about held comments: "off", "each" or "digest" (hourly).

    The mails are written in the language the moderator's admin speaks as they choose.
    """
    if mode not in ("off", "each", "digest"):
        raise SubscriptionError(_("Choose off, each or digest."), field="mode")
    existing = Subscription.objects.filter(kind=Kind.MODERATION, user=user)
    if mode == "off":
        existing.delete()
        return None
    if not user.email:
        raise SubscriptionError(_("Add an email address to your account first."), field="mode")
    address = email_normalize(user.email)
    existing.exclude(email=address).delete()
    subscription, _created = Subscription.objects.update_or_create(
        email=address,
        kind=Kind.MODERATION,
        scope="site",
        defaults={
            "user": user,
            "digest": mode == "digest",
            "confirmed": timezone.now(),
            "language": page_language(),
        },
    )
    SuppressedAddress.objects.filter(email=address).delete()
    return subscription


def comment_subscribers(comment: Comment) -> list[Subscription]:
    """Return the confirmed subscriptions `comment` concerns, one per address.

    The comment's own author is left out; an address subscribed several ways appears once,
    with its most specific subscription (a reply to your comment beats "every comment").
    """
    wanted = Q(thread_id=comment.thread_id, kind=Kind.THREAD)
    # The comment answered: stored beside a reply at the deepest level, not as its parent.
    parent = comment.replied_to or comment.parent
    if parent is not None:
        wanted |= Q(comment_id=parent.pk, kind=Kind.COMMENT)
        parent_author = Q(email=parent.author_email.lower()) if parent.author_email else Q()
        if parent.user_id:
            parent_author |= Q(user_id=parent.user_id)
        if parent_author:
            wanted |= Q(thread_id=comment.thread_id, kind=Kind.REPLIES) & parent_author
    candidates = (
        Subscription.objects.filter(wanted, confirmed__isnull=False)
        .exclude(email__in=SuppressedAddress.objects.values("email"))
        .select_related("user")
    )
    own_addresses = {comment.author_email.lower()} - {""}
    if comment.user_id and comment.user.email:
        own_addresses.add(comment.user.email.lower())
    chosen: dict[str, Subscription] = {}
    for subscription in candidates:
        if subscription.email in own_addresses or (
            comment.user_id and subscription.user_id == comment.user_id
        ):
            continue
        best = chosen.get(subscription.email)
        if best is None or SPECIFICITY[subscription.kind] > SPECIFICITY[best.kind]:
            chosen[subscription.email] = subscription
    return list(chosen.values())


def comment_notifications_queue(comment_id: int) -> int:
    """Queue one mail per subscriber about a newly published comment; return how many.

    Safe to run twice for the same comment (a retried task): each mail is created once.
    """
    comment = (
        Comment.objects.select_related("thread__page", "parent", "user")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None or comment.status != Comment.Status.PUBLISHED:
        return 0
    queued = 0
    subscribers = comment_subscribers(comment)
    shared = composing.comment_mail_context(comment) if subscribers else None
    for subscription in subscribers:
        mail = mail_queue(
            kind=OutboundMail.Kind.NOTIFICATION,
            to=subscription.email,
            composed=composing.notification_compose(comment, subscription, shared),
            comment=comment,
            subscription=subscription,
            dedupe_key=f"comment:{comment.pk}:{subscription.email}",
        )
        queued += mail is not None
    return queued


def next_full_hour():
    now = timezone.now()
    return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


def moderators_notify(comment_id: int, reasons: list[str]) -> int:
    """Tell moderators who asked about a held comment: a mail now, or in the hourly digest."""
    comment = Comment.objects.select_related("thread__page").filter(pk=comment_id).first()
    if comment is None or comment.status != Comment.Status.PENDING:
        return 0
    subscriptions = list(
        Subscription.objects.filter(
            Q(user__is_staff=True) | Q(user__is_superuser=True),
            kind=Kind.MODERATION,
            confirmed__isnull=False,
            user__is_active=True,
        )
    )
    queued = 0
    shared = composing.comment_mail_context(comment) if subscriptions else None
    for subscription in subscriptions:
        mail = mail_queue(
            kind=OutboundMail.Kind.MODERATION,
            to=subscription.email,
            composed=composing.moderation_compose(comment, reasons, subscription, shared),
            comment=comment,
            subscription=subscription,
            dedupe_key=f"held:{comment.pk}:{subscription.email}",
            wait_for_digest_until=next_full_hour() if subscription.digest else None,
        )
        queued += mail is not None
    return queued


# --- erasing a reader's traces (moderation's privacy tools ask; only notifications writes) ----

# Replaces the subject of a mail about an erased comment, which named its author.
REDACTED_SUBJECT = gettext_lazy("(redacted: the comment's author asked for erasure)")


@dataclass(frozen=True)
class Redacted:
    """What `mails_redact` did to the mail log."""

    deleted: int  # mails to the address itself, forgotten
    redacted: int  # mails to others about the address's comments, emptied
    cancelled: int  # of those, not yet sent: they never go out now


@transaction.atomic
def mails_redact(*, email: str, comment_ids: Iterable[int]) -> Redacted:
    """Forget mails to `email`; strip the author's words from mails about `comment_ids`.

    Mails to other readers about those comments stay in the log (they are those readers'
    history) but lose what named or quoted the author, and any not yet sent are cancelled so
    the erased words never go out. Digests carry several comments and are not rewritten.
    """
    about_their_comments = OutboundMail.objects.filter(comment_id__in=list(comment_ids)).exclude(
        to__iexact=email
    )
    cancelled = about_their_comments.filter(
        state__in=[
            OutboundMail.State.QUEUED,
            OutboundMail.State.RETRYING,
            OutboundMail.State.WAITING,
        ]
    ).update(state=OutboundMail.State.CANCELLED)
    redacted = about_their_comments.update(
        subject=log_text(REDACTED_SUBJECT), text_body="", html_body=""
    )
    deleted, _ = OutboundMail.objects.filter(to__iexact=email).delete()
    return Redacted(deleted=deleted, redacted=redacted, cancelled=cancelled)


@dataclass(frozen=True)
class AddressForgotten:
    subscriptions: int
    suppressions: int


@transaction.atomic
def address_forget(*, email: str, account_ids: Iterable[int] = ()) -> AddressForgotten:
    """Delete every subscription of `email` or of these accounts, and its suppression."""
    subscriptions, _ = Subscription.objects.filter(
        Q(email__iexact=email) | Q(user_id__in=list(account_ids))
    ).delete()
    suppressions, _ = SuppressedAddress.objects.filter(email__iexact=email).delete()
    return AddressForgotten(subscriptions=subscriptions, suppressions=suppressions)

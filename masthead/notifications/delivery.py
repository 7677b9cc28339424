"""Queue, send, retry and bundle mails; every step is recorded on the OutboundMail row.

A mail's life: queued → sending → sent, or → retrying (with backoff) → … → failed. A mail to an
address that reached NOTIFICATIONS_MAX_PER_HOUR waits, and goes out later inside a digest.
Sending claims the row with a conditional UPDATE first, so two workers (or a task and the
sweep) can never send the same mail twice.
"""

import logging
import smtplib
import socket
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from masthead.discussion.models import Comment
from masthead.notifications import composing
from masthead.notifications.models import OutboundMail, SuppressedAddress

logger = logging.getLogger(__name__)

State = OutboundMail.State
Kind = OutboundMail.Kind

# How long a claimed mail may stay "sending" before the sweep assumes its worker died.
SENDING_LEASE = timedelta(minutes=10)
# A queued mail that no worker picked up in this time is handed to a new task by the sweep.
QUEUED_GRACE = timedelta(minutes=2)
MAX_BACKOFF = timedelta(hours=6)
# Kinds that count against, and are held back by, the hourly per-address limit.
LIMITED_KINDS = (Kind.NOTIFICATION, Kind.MODERATION, Kind.DIGEST)
# Kinds that only go to an address with a confirmed subscription.
SUBSCRIBED_KINDS = (Kind.NOTIFICATION, Kind.MODERATION)


def log_text(message) -> str:
    """Return `message` as the outbound log keeps it: in the site's default language.

    The log is read by editors, whoever's request (a reader's, in their language) or task
    wrote the line, so what it records does not follow the language active at the time.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return str(message)


def mail_queue(
    *,
    kind: str,
    to: str,
    composed: composing.Composed,
    comment: Comment | None = None,
    subscription=None,
    dedupe_key: str | None = None,
    wait_for_digest_until=None,
) -> OutboundMail | None:
    """Store a mail in the outbound log and hand it to a task once the transaction commits.

    With a `dedupe_key` that was used before, nothing is created (a retried task must not mail
    twice) and None is returned. With `wait_for_digest_until`, the mail waits for a digest.
    """
    with transaction.atomic():
        if dedupe_key and OutboundMail.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        mail = OutboundMail.objects.create(
            kind=kind,
            to=to,
            subject=composed.subject,
            text_body=composed.text,
            html_body=composed.html,
            headers=composed.headers,
            comment=comment,
            subscription=subscription,
            dedupe_key=dedupe_key,
            state=State.WAITING if wait_for_digest_until else State.QUEUED,
            digest_after=wait_for_digest_until,
        )
        if mail.state == State.QUEUED:
            transaction.on_commit(lambda: _enqueue(mail.pk))
    return mail


def _enqueue(mail_id: int, *, run_after=None) -> None:
    from masthead.notifications.tasks import deliver_mail

    try:
        if run_after is not None and deliver_mail.get_backend().supports_defer:
            deliver_mail.using(run_after=run_after).enqueue(mail_id)
        else:
            deliver_mail.enqueue(mail_id)
    except Exception:  # a queue that is down must not fail the request; the sweep resends
        logger.exception("Could not enqueue mail %s; the scheduler's sweep will send it", mail_id)


def backoff(attempts: int) -> timedelta:
    """Wait before attempt `attempts` + 1: 1, 2, 4, 8 … minutes, at most six hours."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def mails_sent_last_hour(address: str) -> int:
    since = timezone.now() - timedelta(hours=1)
    return OutboundMail.objects.filter(
        to=address, state=State.SENT, sent__gte=since, kind__in=LIMITED_KINDS
    ).count()


def _skip_reason(mail: OutboundMail) -> str | None:
    """Return why `mail` must not go out any more, or None."""
    if mail.kind in SUBSCRIBED_KINDS:
        subscription = mail.subscription
        if subscription is None:
            return log_text(_("The subscription was cancelled before delivery."))
        if subscription.confirmed is None:
            return log_text(_("The address never confirmed its subscription."))
    if mail.kind in LIMITED_KINDS and SuppressedAddress.objects.filter(email=mail.to).exists():
        return log_text(_("The address unsubscribed from everything."))
    if mail.kind == Kind.NOTIFICATION and (
        mail.comment is None or mail.comment.status != Comment.Status.PUBLISHED
    ):
        return log_text(_("The comment was deleted or is no longer published."))
    if mail.kind == Kind.MODERATION and (
        mail.comment is None or mail.comment.status != Comment.Status.PENDING
    ):
        return log_text(_("The comment was already moderated."))
    return None


def mail_deliver(mail_id: int) -> OutboundMail | None:
    """Send one mail now if it is due; record the server's answer or schedule a retry."""
    now = timezone.now()
    claimed = (
        OutboundMail.objects.filter(pk=mail_id, state__in=[State.QUEUED, State.RETRYING])
        .filter(Q(next_attempt__isnull=True) | Q(next_attempt__lte=now))
        .update(state=State.SENDING, next_attempt=now + SENDING_LEASE)
    )
    if not claimed:
        return None  # sent, cancelled, not due yet, or another worker has it
    mail = OutboundMail.objects.select_related("comment", "subscription").get(pk=mail_id)

    reason = _skip_reason(mail)
    if reason:
        return _finish(mail, state=State.CANCELLED, error=reason)
    if mail.kind in (Kind.NOTIFICATION, Kind.MODERATION) and _over_hourly_limit(mail.to):
        return _finish(mail, state=State.WAITING, digest_after=now)

    mail.attempts = F("attempts") + 1
    mail.save(update_fields=["attempts"])
    mail.refresh_from_db(fields=["attempts"])
    try:
        reply = _send(mail)
    except Exception as error:  # noqa: BLE001 - every failure is recorded, none loses the mail
        return _failed(mail, error)
    return _finish(mail, state=State.SENT, sent=timezone.now(), server_reply=reply, error="")


def _over_hourly_limit(address: str) -> bool:
    waiting = OutboundMail.objects.filter(to=address, state=State.WAITING).exists()
    # Once some mails wait for a digest, later ones join them, so the news stays in order.
    return waiting or mails_sent_last_hour(address) >= settings.NOTIFICATIONS_MAX_PER_HOUR


def _send(mail: OutboundMail) -> str:
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.text_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
        headers=mail.headers or {},
    )
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    connection = get_connection(fail_silently=False)
    sent = connection.send_messages([message])
    if not sent:
        raise smtplib.SMTPException(log_text(_("The mail backend accepted nothing.")))
    backend = f"{type(connection).__module__}.{type(connection).__name__}"
    return getattr(message, "server_reply", "") or log_text(
        _("Accepted by %(backend)s") % {"backend": backend}
    )


def error_is_permanent(error: Exception) -> bool:
    """Return whether retrying `error` cannot help (the server refused this mail for good).

    Refused recipients and refused content (5xx) are permanent; a server that is down, slow,
    busy (4xx) or misconfigured credentials are not: the mail waits until they are fixed.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(error, smtplib.SMTPDataError):
        return 500 <= error.smtp_code < 600
    return False


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = "; ".join(
            f"{address}: {code} {_text(text)}" for address, (code, text) in error.recipients.items()
        )
        # Translators: what the mail server answered follows, untranslated.
        return log_text(_("Recipient refused: %(answers)s") % {"answers": answers})
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__}: {error.smtp_code} {_text(error.smtp_error)}"
    if isinstance(error, (ConnectionError, socket.timeout, OSError)):
        server = f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
        return log_text(
            _("Could not reach the mail server (%(server)s): %(error)s")
            % {"server": server, "error": error}
        )
    return f"{type(error).__name__}: {error}"


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _failed(mail: OutboundMail, error: Exception) -> OutboundMail:
    description = _describe(error)
    if error_is_permanent(error) or mail.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        logger.warning("Mail %s to %s failed for good: %s", mail.pk, mail.to, description)
        return _finish(mail, state=State.FAILED, error=description)
    retry_at = timezone.now() + backoff(mail.attempts)
    logger.info("Mail %s to %s will be retried at %s: %s", mail.pk, mail.to, retry_at, description)
    mail = _finish(mail, state=State.RETRYING, next_attempt=retry_at, error=description)
    transaction.on_commit(lambda: _enqueue(mail.pk, run_after=retry_at))
    return mail


def _finish(mail: OutboundMail, *, state: str, next_attempt=None, **fields) -> OutboundMail:
    fields.update(state=state, next_attempt=next_attempt)
    OutboundMail.objects.filter(pk=mail.pk).update(**fields)
    for name, value in fields.items():
        setattr(mail, name, value)
    return mail


def mail_retry(mail: OutboundMail) -> None:
    """Send a failed (or cancelled) mail again, from the admin's outbound log."""
    OutboundMail.objects.filter(pk=mail.pk).update(
        state=State.QUEUED, next_attempt=None, attempts=0, error=""
    )
    transaction.on_commit(lambda: _enqueue(mail.pk))


def mails_sweep() -> int:
    """Hand every due mail that no task carries to a new task; return how many.

    Covers a queue that lost its tasks (a Redis restart, a database queue pruned by hand), a
    worker that died while sending, and retries on a queue that cannot defer tasks.
    """
    now = timezone.now()
    OutboundMail.objects.filter(state=State.SENDING, next_attempt__lt=now).update(
        state=State.RETRYING,
        next_attempt=now,
        error=log_text(_("The worker stopped while sending.")),
    )
    due = list(
        OutboundMail.objects.filter(
            Q(state=State.QUEUED, created__lt=now - QUEUED_GRACE)
            | Q(state=State.RETRYING, next_attempt__lte=now - QUEUED_GRACE)
        ).values_list("pk", flat=True)[:1000]
    )
    for mail_id in due:
        _enqueue(mail_id)
    return len(due)


def digests_send() -> int:
    """Bundle every address's waiting mails into one digest, when its hourly limit allows."""
    now = timezone.now()
    addresses = (
        OutboundMail.objects.filter(state=State.WAITING, digest_after__lte=now)
        .values_list("to", flat=True)
        .distinct()
    )
    queued = 0
    for address in list(addresses):
        if mails_sent_last_hour(address) >= settings.NOTIFICATIONS_MAX_PER_HOUR:
            continue
        if digest_queue(address):
            queued += 1
    return queued


@transaction.atomic
def digest_queue(address: str) -> OutboundMail | None:
    """Queue one digest of `address`'s waiting mails (those still worth sending)."""
    waiting = list(
        OutboundMail.objects.select_for_update(of=("self",))
        .filter(to=address, state=State.WAITING)
        .select_related("comment__thread__page", "subscription")
        .order_by("created", "pk")
    )
    entries, included = [], []
    language = ""
    for mail in waiting:
        reason = _skip_reason(mail)
        if reason:
            _finish(mail, state=State.CANCELLED, error=reason)
            continue
        entries.append((mail.comment, mail.kind == Kind.MODERATION))
        included.append(mail.pk)
        # One address, one reader: the language they last subscribed in writes the digest.
        if mail.subscription is not None and mail.subscription.language:
            language = mail.subscription.language
    if not entries:
        return None
    digest = mail_queue(
        kind=Kind.DIGEST,
        to=address,
        composed=composing.digest_compose(address, entries, language=language),
    )
    OutboundMail.objects.filter(pk__in=included).update(state=State.DIGESTED, digest=digest)
    return digest


def check_mail_send(*, to: str, sent_by: str) -> OutboundMail:
    """Send a test mail right now (not through the queue) and record the outcome.

    The admin's "send a test mail" button: its point is to show at once whether the settings
    work, with the server's own words when they do not. It is written in the language the
    admin speaks to the editor who pressed it.
    """
    composed = composing.check_mail_compose(sent_by=sent_by, language=translation.get_language())
    mail = OutboundMail.objects.create(
        kind=Kind.TEST,
        to=to,
        subject=composed.subject,
        text_body=composed.text,
        html_body=composed.html,
        headers=composed.headers,
        state=State.SENDING,
        attempts=1,
    )
    try:
        reply = _send(mail)
    except Exception as error:  # noqa: BLE001 - shown to the editor who pressed the button
        return _finish(mail, state=State.FAILED, error=_describe(error))
    return _finish(mail, state=State.SENT, sent=timezone.now(), server_reply=reply)


def outbound_log_prune() -> int:
    """Forget finished mails older than NOTIFICATIONS_LOG_DAYS; return how many.

    The log holds addresses and comment text: kept long enough to answer "did my mail go
    out?", not forever. Queued, retrying and waiting mails are never pruned.
    """
    cutoff = timezone.now() - timedelta(days=settings.NOTIFICATIONS_LOG_DAYS)
    finished = [State.SENT, State.FAILED, State.CANCELLED, State.DIGESTED]
    # Digested items point at their digest: delete them before it, or in the same sweep.
    deleted, _ = OutboundMail.objects.filter(state__in=finished, created__lt=cutoff).delete()
    return deleted

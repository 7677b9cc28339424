"""Reader reports ("Report" under a comment): enough of them hide the comment until reviewed."""

from collections import Counter

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from masthead.core.ratelimit import rate_limit_retry_after
from masthead.core.text import storable_line
from masthead.discussion import services as discussion_services
from masthead.discussion.models import Comment
from masthead.moderation import stored_text as stored
from masthead.moderation.config import current_config
from masthead.moderation.models import Flag

REPORTS_PER_HOUR = 30


@transaction.atomic
def comment_report(
    *, comment_id: int, reporter: str, reason: str, note: str = "", ip_hash: str = ""
) -> dict:
    """Record one reader's report; hide the comment when enough distinct readers reported it.

    Returns {"status": "received"|"already_reported", "hidden": bool, "message": str}.
    """
    if reason not in Flag.Reason.values:
        raise discussion_services.DiscussionError(
            _("Choose why you report this comment: abusive, spam, off_topic or other."),
            field="reason",
        )
    wait = rate_limit_retry_after(
        f"report:{ip_hash or reporter}", limit=REPORTS_PER_HOUR, window_seconds=3600
    )
    if wait:
        raise discussion_services.RateLimitedError(
            _("You have sent many reports in a short time. Please try again later."),
            retry_after=wait,
        )
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None or comment.status != Comment.Status.PUBLISHED:
        raise discussion_services.NotFoundError(_("There is no such comment to report."))
    if reporter.startswith("user:") and comment.user_id and reporter == f"user:{comment.user_id}":
        raise discussion_services.DiscussionError(_("You cannot report your own comment."))
    try:
        with transaction.atomic():
            Flag.objects.create(
                comment=comment,
                reporter=reporter,
                reason=reason,
                note=storable_line(note)[:500],
                ip_hash=ip_hash,
            )
    except IntegrityError:
        return {
            "status": "already_reported",
            "hidden": False,
            "message": _("You reported this comment already. Thank you."),
        }
    config = current_config()
    open_flags = list(
        Flag.objects.filter(comment=comment, resolved__isnull=True).values_list("reason", "ip_hash")
    )
    # Distinct readers, and also distinct networks: one person with cleared cookies counts once.
    networks = {ip for _reason, ip in open_flags if ip}
    readers = min(len(open_flags), len(networks)) if networks else len(open_flags)
    hidden = False
    if config.flags_to_hide > 0 and readers >= config.flags_to_hide:
        reasons = Counter(reason for reason, _ip in open_flags)
        # Stored in English, whatever the reporter's language: moderators read it in theirs.
        summary = ", ".join(
            f"{stored.in_english(Flag.REASON_WORDS[reason])} ×{count}"
            for reason, count in reasons.items()
        )
        discussion_services.comment_moderate(
            comment_id=comment.pk,
            status=Comment.Status.PENDING,
            reasons=[
                *comment.moderation_reasons,
                stored.HIDDEN_AFTER_REPORTS(count=readers, summary=summary),
            ],
            expect={Comment.Status.PUBLISHED},
        )
        hidden = True
    return {
        "status": "received",
        "hidden": hidden,
        "message": _("Thank you. A moderator will look at this comment."),
    }

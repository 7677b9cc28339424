"""Reader reports through the JSON API (mounted on the discussion API under /api/v1)."""

from typing import Literal

from ninja import Router, Schema, Status
from pydantic import Field

from masthead.discussion.api import request_author
from masthead.moderation.flags import comment_report

router = Router(tags=["moderation"])


class ReportIn(Schema):
    reason: Literal["abusive", "spam", "off_topic", "other"]
    note: str = Field("", max_length=500)


class ReportOut(Schema):
    status: Literal["received", "already_reported"]
    hidden: bool
    message: str


@router.post("/comments/{comment_id}/flags", response={201: ReportOut, 200: ReportOut})
def comment_flag(request, comment_id: int, payload: ReportIn):
    """Report a comment to the moderators (abusive, spam, off-topic, other)."""
    author = request_author(request)
    # Reports count per reader; a reader with no account and no reader cookie counts per network.
    reporter = author.voter_key if (author.user or author.reader) else f"network:{author.ip_hash}"
    result = comment_report(
        comment_id=comment_id,
        reporter=reporter,
        reason=payload.reason,
        note=payload.note,
        ip_hash=author.ip_hash,
    )
    return Status(201 if result["status"] == "received" else 200, result)

"""Reader reports and the analyze API, in the JSON API (mounted on discussion's, under /api/v1)."""

from typing import Literal

from django.http import JsonResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from masthead.discussion.api import request_author
from masthead.moderation import analyze
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


class AnalyzeIn(Schema):
    text: str
    # The languages the caller knows the text is in; the scorer detects the language itself.
    languages: list[str] = []


class SpanOut(Schema):
    start: int
    end: int
    category: str
    score: float
    quote: str


class AnalysisOut(Schema):
    scores: dict[str, float]
    toxicity: float
    language: str
    languages: list[str]
    spans: list[SpanOut]
    reasons: list[str]
    truncated: bool


def _analyze_caller(request):
    # Ninja runs this before it reads the body, so a caller without a key learns nothing else.
    try:
        return analyze.caller_authenticate(request)
    except analyze.AnalyzeError as refusal:
        raise HttpError(refusal.status, refusal.message) from None


@router.post("/moderation/analyze", auth=_analyze_caller, response=AnalysisOut)
def text_analyze(request, payload: AnalyzeIn):
    """Score a text per category (insult, identity hate, threat, sexual, profanity, spam)."""
    try:
        analyze.caller_rate_limit(request.auth)
        text = analyze.text_check(payload.text)
        analyze.languages_check(payload.languages)
    except analyze.AnalyzeError as refusal:
        response = JsonResponse({"error": refusal.message, "fields": {}}, status=refusal.status)
        if refusal.retry_after:
            response["Retry-After"] = str(refusal.retry_after)
        return response
    return analyze.analysis_json(analyze.text_score(text))

"""A drop-in for Google's Perspective API: `POST /v1alpha1/comments:analyze`, scored locally.

A Perspective client keeps working when its base URL points at the outlet's site and its key is
a Masthead API key (Moderation → API keys), sent as `?key=`, `Authorization: Bearer` or
`X-Api-Key`. Requests and answers follow Perspective's documented AnalyzeComment format, errors
Google's `{"error": {"code", "message", "status"}}`; scores come from `scoring.text_analyze`,
mapped to Perspective's attributes by ATTRIBUTES. Where it differs from Google's service:
`context`, `sessionId` and `communityId` are accepted and ignored; nothing is ever stored, so
`doNotStore` changes nothing; span scores are one span for the whole text followed by the
phrases that carried the score, rather than one span per sentence.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from masthead.moderation import analyze
from masthead.moderation.scoring import ABUSE_CATEGORIES, Analysis

# Google's names for the HTTP statuses this route answers with.
STATUS_NAMES = {400: "INVALID_ARGUMENT", 403: "PERMISSION_DENIED", 429: "RESOURCE_EXHAUSTED"}
REQUEST_FIELDS = {
    "comment",
    "context",
    "requestedAttributes",
    "languages",
    "doNotStore",
    "clientToken",
    "sessionId",
    "communityId",
    "spanAnnotations",
}


@dataclass(frozen=True)
class Attribute:
    """How one Perspective attribute is scored, and whose phrases annotate it."""

    score: Callable[[Analysis], float]
    categories: tuple[str, ...]


def _category(name: str) -> Attribute:
    return Attribute(score=lambda analysis: analysis.scores.get(name, 0.0), categories=(name,))


def _severe_toxicity(analysis: Analysis) -> float:
    # Perspective's SEVERE_TOXICITY passes over mild rudeness. Threats and attacks on a group
    # count in full; other abuse only when near certain, as the square of toxicity (0.9 → 0.81,
    # 0.6 → 0.36).
    scores = analysis.scores
    return max(scores.get("threat", 0.0), scores.get("identity_hate", 0.0), analysis.toxicity**2)


ATTRIBUTES = {
    "TOXICITY": Attribute(score=lambda analysis: analysis.toxicity, categories=ABUSE_CATEGORIES),
    "SEVERE_TOXICITY": Attribute(score=_severe_toxicity, categories=("threat", "identity_hate")),
    "IDENTITY_ATTACK": _category("identity_hate"),
    "INSULT": _category("insult"),
    "PROFANITY": _category("profanity"),
    "THREAT": _category("threat"),
    "SEXUALLY_EXPLICIT": _category("sexual"),
    # The scorer marks links to blocked domains apart from other spam signals.
    "SPAM": Attribute(
        score=lambda analysis: analysis.scores.get("spam", 0.0),
        categories=("spam", "blocked_domain"),
    ),
}
# Perspective's experimental names ("TOXICITY_EXPERIMENTAL") are scored as the plain ones.
EXPERIMENTAL = "_EXPERIMENTAL"


class PerspectiveError(Exception):
    """A refused request, answered in Google's error shape."""

    def __init__(self, message: str, *, code: int = 400, retry_after: int = 0):
        super().__init__(message)
        self.message = message
        self.code = code
        self.retry_after = retry_after


@dataclass(frozen=True)
class RequestedAttribute:
    name: str  # as the client spelled it: the answer uses the same key
    attribute: Attribute
    threshold: float | None


@dataclass(frozen=True)
class AnalyzeRequest:
    text: str
    attributes: list[RequestedAttribute]
    languages: list[str]
    span_annotations: bool
    client_token: str | None


# Google's parser takes keys without quotes, as in its own curl example
# ('{comment: {text: "…"}, requestedAttributes: {TOXICITY: {}}}'): a string is kept as it is,
# a bare name before a colon gets its quotes.
_STRING_OR_BARE_KEY = re.compile(r'"(?:[^"\\]|\\.)*"|([A-Za-z_][A-Za-z0-9_]*)(?=\s*:)')


def _json_load(body: bytes):
    try:
        source = body.decode("utf-8")
    except UnicodeDecodeError:
        raise PerspectiveError(_("Invalid JSON payload received: the body is not UTF-8.")) from None
    try:
        return json.loads(source)
    except ValueError:
        pass
    quoted = _STRING_OR_BARE_KEY.sub(
        lambda match: f'"{match.group(1)}"' if match.group(1) else match.group(0), source
    )
    try:
        return json.loads(quoted)
    except ValueError as error:
        raise PerspectiveError(
            _("Invalid JSON payload received: %(error)s.") % {"error": error}
        ) from None


def _camel_case(name: str) -> str:
    # Protocol buffers' JSON takes a field's own name too: "requested_attributes".
    first, *rest = name.split("_")
    return first + "".join(part.title() for part in rest)


def _object(value, what: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise PerspectiveError(_("%(what)s must be an object.") % {"what": what})
    return {_camel_case(key): item for key, item in value.items()}


def _attributes_parse(requested) -> list[RequestedAttribute]:
    if not isinstance(requested, dict) or not requested:
        raise PerspectiveError(
            _('Request at least one attribute, e.g. "requestedAttributes": {"TOXICITY": {}}.')
        )
    attributes = []
    for name, given in requested.items():
        attribute = ATTRIBUTES.get(name.upper().removesuffix(EXPERIMENTAL))
        if attribute is None:
            raise PerspectiveError(
                _("Unknown requested attribute: %(name)s. Known attributes: %(known)s.")
                % {"name": name, "known": ", ".join(ATTRIBUTES)}
            )
        options = _object(given, name)
        score_type = options.get("scoreType") or "PROBABILITY"
        if score_type != "PROBABILITY":
            raise PerspectiveError(
                _("Score type %(type)s is not supported: use PROBABILITY.") % {"type": score_type}
            )
        threshold = options.get("scoreThreshold")
        if threshold is not None and (
            isinstance(threshold, bool)
            or not isinstance(threshold, int | float)
            or not 0 <= threshold <= 1
        ):
            raise PerspectiveError(
                _("The scoreThreshold of %(name)s must be a number from 0 to 1.") % {"name": name}
            )
        attributes.append(RequestedAttribute(name=name, attribute=attribute, threshold=threshold))
    return attributes


def request_parse(body: bytes) -> AnalyzeRequest:
    """Read an AnalyzeComment request; raise PerspectiveError (400) saying what is wrong."""
    data = _json_load(body)
    if not isinstance(data, dict):
        raise PerspectiveError(_("Invalid JSON payload received: expected an object."))
    data = {_camel_case(name): value for name, value in data.items()}
    unknown = sorted(set(data) - REQUEST_FIELDS)
    if unknown:
        raise PerspectiveError(
            _('Invalid JSON payload received. Unknown name "%(name)s": Cannot find field.')
            % {"name": unknown[0]}
        )
    comment = _object(data.get("comment"), "comment")
    text = comment.get("text")
    if not isinstance(text, str) or not text.strip():
        raise PerspectiveError(_('Comment text is required: "comment": {"text": "…"}.'))
    if comment.get("type") not in (None, "", "PLAIN_TEXT"):
        raise PerspectiveError(_("Only PLAIN_TEXT comments are supported."))
    languages = data.get("languages") or []
    if not isinstance(languages, list):
        raise PerspectiveError(_('"languages" must be a list of language codes.'))
    client_token = data.get("clientToken")
    if client_token is not None and not isinstance(client_token, str):
        raise PerspectiveError(_('"clientToken" must be a string.'))
    try:
        analyze.text_check(text)
        languages = analyze.languages_check(languages)
    except analyze.AnalyzeError as refusal:
        raise PerspectiveError(refusal.message) from None
    return AnalyzeRequest(
        text=text,
        attributes=_attributes_parse(data.get("requestedAttributes")),
        languages=languages,
        span_annotations=data.get("spanAnnotations") is True,
        client_token=client_token,
    )


def _score(value: float) -> dict:
    return {"value": round(value, 4), "type": "PROBABILITY"}


def response_build(request: AnalyzeRequest, analysis: Analysis) -> dict:
    """Return the AnalyzeComment response for `request`, from the text's analysis."""
    attribute_scores = {}
    for wanted in request.attributes:
        summary = wanted.attribute.score(analysis)
        threshold = wanted.threshold if wanted.threshold is not None else 0.0
        if summary < threshold:
            continue  # Perspective leaves out an attribute scored below its threshold
        scored = {"summaryScore": _score(summary)}
        if request.span_annotations:
            phrases = sorted(
                (span.start, span.end, span.score)
                for span in analysis.spans
                if span.category in wanted.attribute.categories
            )
            scored["spanScores"] = [
                {"begin": begin, "end": end, "score": _score(value)}
                for begin, end, value in [(0, len(request.text), summary), *phrases]
                if value >= threshold
            ]
        attribute_scores[wanted.name] = scored
    detected = list(analysis.languages) or (
        [analysis.language] if analysis.language != "und" else []
    )
    response = {
        "attributeScores": attribute_scores,
        # As Perspective: the languages the request named, else the ones detected.
        "languages": request.languages or detected,
        "detectedLanguages": detected,
    }
    if request.client_token is not None:
        response["clientToken"] = request.client_token
    return response


def _error_response(error: PerspectiveError) -> JsonResponse:
    body = {"code": error.code, "message": error.message, "status": STATUS_NAMES[error.code]}
    response = JsonResponse({"error": body}, status=error.code)
    if error.retry_after:
        response["Retry-After"] = str(error.retry_after)
    return response


@csrf_exempt  # a key in every request, never a cookie: there is no session to forge
@require_POST
def comments_analyze(request: HttpRequest) -> JsonResponse:
    """Score a comment as Perspective's AnalyzeComment does."""
    key = request.GET.get("key", "").strip() or analyze.request_key(request)
    if not key:
        return _error_response(
            PerspectiveError(_("The request is missing a valid API key."), code=403)
        )
    try:
        caller = analyze.caller_for_key(key)
    except analyze.AnalyzeError:
        # Google's answer to a key it does not know (400, not 401), which clients expect.
        return _error_response(
            PerspectiveError(_("API key not valid. Please pass a valid API key."))
        )
    try:
        analyze.caller_rate_limit(caller)
    except analyze.AnalyzeError as refusal:
        return _error_response(
            PerspectiveError(refusal.message, code=429, retry_after=refusal.retry_after)
        )
    try:
        wanted = request_parse(request.body)
    except PerspectiveError as error:
        return _error_response(error)
    return JsonResponse(response_build(wanted, analyze.text_score(wanted.text)))

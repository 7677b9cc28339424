"""The analyze API's rules, shared by `/api/v1/moderation/analyze` and the Perspective route.

Who may call: a program with an API key (`Authorization: Bearer <key>` or `X-Api-Key`; the
Perspective route also reads `?key=`), or a signed-in moderator whose request carries the CSRF
token. How much: MODERATION_ANALYZE_MAX_CHARS per text and MODERATION_ANALYZE_PER_MINUTE
requests per key or moderator. What: `scoring.text_analyze`, the function that screens
comments, so a text scores here as it would in a thread. Texts are scored and forgotten:
nothing of them is stored or logged.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _

from masthead.core.ratelimit import rate_limit_retry_after
from masthead.moderation import config, scoring, selectors, services
from masthead.moderation.models import ApiKey

# "en", "pt-BR", "zh-Hant": ISO 639 codes, optionally with BCP 47 subtags.
LANGUAGE_CODE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
MAX_LANGUAGES = 10


class AnalyzeError(Exception):
    """A refused analyze request: the HTTP status and a message that says what to do."""

    def __init__(self, message: str, *, status: int, retry_after: int = 0):
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class Caller:
    """Who is asking: a program with a key, or a moderator signed in to the admin."""

    api_key: ApiKey | None = None
    user: AbstractUser | None = None

    @property
    def bucket(self) -> str:
        """Return the rate limit's bucket: one per key, one per moderator."""
        if self.api_key is not None:
            return f"analyze:key:{self.api_key.pk}"
        return f"analyze:user:{self.user.pk if self.user else 0}"


def request_key(request: HttpRequest) -> str:
    """Return the API key a request sends in its headers, or ""."""
    scheme, _space, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return request.headers.get("X-Api-Key", "").strip()


def caller_for_key(key: str) -> Caller:
    """Return the caller an API key stands for; raise AnalyzeError (401) for a bad key."""
    api_key = selectors.api_key_find(key=key)
    if api_key is None:
        # The same words for a mistyped, unknown or revoked key: nothing tells them apart.
        raise AnalyzeError(_("This API key is not valid (mistyped, or revoked)."), status=401)
    services.api_key_use(api_key=api_key)
    return Caller(api_key=api_key)


def _csrf_refused(request: HttpRequest) -> bool:
    # The API's views are exempt from the CSRF middleware (programs send keys, not cookies),
    # so a request that rides on a session cookie runs Django's check here instead.
    request.csrf_processing_done = False
    middleware = CsrfViewMiddleware(lambda request: None)
    middleware.process_request(request)
    return middleware.process_view(request, None, (), {}) is not None


def caller_authenticate(request: HttpRequest) -> Caller:
    """Return who sends `request` (a key first, else the session); raise AnalyzeError if nobody.

    401 without credentials or with a bad key, 403 for a signed-in user who may not moderate
    or a session request without its CSRF token.
    """
    key = request_key(request)
    if key:
        return caller_for_key(key)
    user = request.user
    if not user.is_authenticated:
        raise AnalyzeError(
            _(
                "Send an API key (Authorization: Bearer <key>, or X-Api-Key), "
                "or sign in to the admin as a moderator."
            ),
            status=401,
        )
    if not user.has_perm(services.MODERATE_PERMISSION):
        raise AnalyzeError(
            _("Analyzing text needs the “Can moderate comments” permission, or an API key."),
            status=403,
        )
    if _csrf_refused(request):
        raise AnalyzeError(
            _("Send the CSRF token (X-CSRFToken header) with requests made from the admin."),
            status=403,
        )
    return Caller(user=user)


def caller_rate_limit(caller: Caller) -> None:
    """Count one request for `caller`; raise AnalyzeError (429) beyond the limit per minute."""
    retry_after = rate_limit_retry_after(
        caller.bucket, limit=settings.MODERATION_ANALYZE_PER_MINUTE, window_seconds=60
    )
    if retry_after:
        raise AnalyzeError(
            _("Too many requests for this key. Try again in %(seconds)d seconds.")
            % {"seconds": retry_after},
            status=429,
            retry_after=retry_after,
        )


def text_check(text: str) -> str:
    """Return `text` if it may be analyzed; raise AnalyzeError (400 empty, 413 too long)."""
    if not text.strip():
        raise AnalyzeError(_("Send some text to analyze."), status=400)
    limit = settings.MODERATION_ANALYZE_MAX_CHARS
    if len(text) > limit:
        raise AnalyzeError(
            _("The text is %(length)d characters long; the limit is %(limit)d.")
            % {"length": len(text), "limit": limit},
            status=413,
        )
    return text


def languages_check(languages: list) -> list[str]:
    """Return the language codes a caller gave, lower-cased; raise AnalyzeError (400) if bad."""
    if len(languages) > MAX_LANGUAGES:
        raise AnalyzeError(
            _("Give at most %(count)d languages.") % {"count": MAX_LANGUAGES}, status=400
        )
    for code in languages:
        if not isinstance(code, str) or not LANGUAGE_CODE.fullmatch(code):
            raise AnalyzeError(
                _("“%(code)s” is not a language code like “en” or “pt-BR”.") % {"code": code},
                status=400,
            )
    return [code.lower() for code in languages]


def text_score(text: str) -> scoring.Analysis:
    """Score `text` with the rules in force, editors' word lists included, as comments are."""
    return scoring.text_analyze(text, config=config.current_config())


def analysis_json(analysis: scoring.Analysis) -> dict:
    """Return the analyze API's answer for an analysis."""
    return {
        "scores": {name: round(analysis.scores.get(name, 0.0), 4) for name in scoring.CATEGORIES},
        "toxicity": round(analysis.toxicity, 4),
        "language": analysis.language,
        "languages": list(analysis.languages),
        "spans": [
            {
                "start": span.start,
                "end": span.end,
                "category": span.category,
                "score": round(span.score, 4),
                "quote": span.quote,
            }
            for span in analysis.spans
        ],
        "reasons": list(analysis.reasons),
        "truncated": analysis.truncated,
    }

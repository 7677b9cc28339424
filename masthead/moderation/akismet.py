"""Akismet: ask the hosted spam service about a guest's comment (optional, off by default).

`akismet_check` answers (True, reason) for spam, (False, "") for a clean comment and
(None, reason) whenever it could not find out — not configured, unreachable, too slow, an
error or an answer it cannot read. It never raises: the pipeline holds a comment it could not
check, and a spam service being down must never break commenting.
"""

import logging

import akismet
import httpx
from django.conf import settings

from masthead.moderation import stored_text as stored

logger = logging.getLogger(__name__)

# Reasons are stored English (stored_text.py translates them for moderators). Spam reasons are
# short: the pipeline shows them after "Akismet: ".
REASON_SPAM = stored.AKISMET_SPAM
# Akismet's "X-akismet-pro-tip: discard": spam so blatant it need not be reviewed.
REASON_BLATANT_SPAM = stored.AKISMET_BLATANT_SPAM
UNREACHABLE = stored.AKISMET_UNREACHABLE
# The longest wait for Akismet: within the pipeline's per-stage budget, so this check ends
# with its own reason instead of being cut off by the stage timeout.
MAX_TIMEOUT_SECONDS = 1.5


def _timeout_seconds() -> float:
    return min(MAX_TIMEOUT_SECONDS, 0.75 * settings.MODERATION_STAGE_TIMEOUT_SECONDS)


def akismet_http_client(*, timeout: float | None = None) -> httpx.Client:
    """Return the HTTP client Akismet is called with: its user agent and a short timeout."""
    timeout = _timeout_seconds() if timeout is None else timeout
    # httpx times each phase separately; half for connecting keeps the sum near `timeout`.
    return httpx.Client(
        headers={"User-Agent": akismet.USER_AGENT},
        timeout=httpx.Timeout(timeout, connect=timeout / 2),
    )


def _failure_reason(error: akismet.RequestError) -> str:
    cause = error.__cause__
    if isinstance(cause, httpx.TimeoutException):
        return stored.AKISMET_TIMEOUT
    if isinstance(cause, httpx.HTTPStatusError):
        return stored.AKISMET_HTTP_ERROR(status=cause.response.status_code)
    return UNREACHABLE


def akismet_check(
    *,
    text: str,
    author_name: str,
    author_email: str,
    user_ip: str,
    user_agent: str,
    referrer: str,
    permalink: str,
    http_client: httpx.Client | None = None,
) -> tuple[bool | None, str]:
    """Return (is_spam, reason) from Akismet's comment-check; is_spam is None when unknown.

    `user_ip` is the commenter's real address (Akismet needs it; Masthead itself keeps only a
    keyed hash). `http_client` lets tests, or a caller with a proxy, choose how to connect;
    by default a fresh client with a short timeout is used and closed.
    """
    if not (settings.AKISMET_API_KEY and settings.AKISMET_BLOG_URL):
        return None, stored.AKISMET_NOT_CONFIGURED
    owns_client = http_client is None
    client = http_client or akismet_http_client()
    try:
        answer = akismet.SyncClient(
            config=akismet.Config(key=settings.AKISMET_API_KEY, url=settings.AKISMET_BLOG_URL),
            http_client=client,
        ).comment_check(
            user_ip=user_ip,
            comment_type="comment",
            comment_content=text,
            comment_author=author_name,
            comment_author_email=author_email,
            user_agent=user_agent,
            referrer=referrer,
            permalink=permalink,
        )
    except akismet.APIKeyError:
        logger.warning("Akismet refused the API key or blog URL")
        return None, stored.AKISMET_KEY_REFUSED
    except akismet.RequestError as error:
        reason = _failure_reason(error)
        logger.warning("%s: %s", reason, error)
        return None, reason
    except akismet.ProtocolError:
        return None, stored.AKISMET_UNCLEAR
    except Exception:
        # Anything else (a bug here or in the library) must still never break posting.
        logger.exception("Akismet check failed")
        return None, stored.AKISMET_FAILED
    finally:
        if owns_client:
            client.close()
    if answer == akismet.CheckResponse.DISCARD:
        return True, REASON_BLATANT_SPAM
    if answer == akismet.CheckResponse.SPAM:
        return True, REASON_SPAM
    return False, ""

"""The guest reader cookie: a guest votes once and edits their own comments, with no account."""

import secrets
import time

from django.conf import settings
from django.core import signing

from masthead.core.hashing import keyed_hash

COOKIE_NAME = "masthead_reader"
COOKIE_SALT = "masthead.discussion.reader"
COOKIE_AGE = 365 * 24 * 3600
# Signs the moment a reader was handed the comment form; the moderation screen reads the age.
FORM_TOKEN_SALT = "masthead.discussion.form"  # noqa: S105 (a salt, not a secret)


def _reader_id(request) -> str:
    if not hasattr(request, "_masthead_reader"):
        request._masthead_reader = request.get_signed_cookie(
            COOKIE_NAME, default="", salt=COOKIE_SALT, max_age=COOKIE_AGE
        )
    return request._masthead_reader


def reader_hash(request) -> str:
    """Return the keyed hash that stands for this guest in the database ("" if none yet)."""
    reader = _reader_id(request)
    return keyed_hash(reader, purpose="reader") if reader else ""


def reader_ensure(request, response) -> None:
    """Give a reader without the cookie a new one, effective for this request already."""
    if _reader_id(request):
        return
    request._masthead_reader = secrets.token_urlsafe(18)
    response.set_signed_cookie(
        COOKIE_NAME,
        request._masthead_reader,
        salt=COOKIE_SALT,
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def form_token() -> str:
    """Return a signed timestamp of now: how long a comment took to write, checked on post."""
    return signing.dumps(time.time(), salt=FORM_TOKEN_SALT)

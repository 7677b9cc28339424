"""ALTCHA: a small proof of work asked of guests' browsers before they may comment (optional).

Self-hosted, no third party: `altcha_challenge_view` hands out a challenge made with the altcha
library's v1 API (the SHA-256 of a random salt and a secret number up to MAX_NUMBER, signed
with a key derived from SECRET_KEY); `static/moderation/altcha.js` finds the number; the
pipeline calls `altcha_verify` on the payload the browser sends with the comment.

A solution is good once: it is remembered in the cache until its challenge expires, so a
spammer cannot solve one challenge and post it with a thousand comments.
"""

import base64
import binascii
import json
import time
import urllib.parse
from datetime import timedelta

from altcha import v1 as altcha_v1
from django.core.cache import cache
from django.http import JsonResponse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.views.decorators.http import require_GET

from masthead.moderation import stored_text as stored

ALGORITHM = "SHA-256"
# Numbers a browser may have to try. The answer is uniform below it, so a browser tries half on
# average: headless Chromium on a development machine manages about 75,000 hashes a second,
# so 0.7 s on average and 1.4 s at worst (the browser test prints it); an old phone takes
# longer. Raising it slows guests and spammers alike.
MAX_NUMBER = 100_000
# Long enough to write a comment after the page loaded and the work was done.
CHALLENGE_SECONDS = 20 * 60
# A real payload is about 350 characters; anything far longer is refused before decoding.
MAX_PAYLOAD_LENGTH = 1024
USED_KEY_PREFIX = "moderation:altcha:used:"


def _hmac_key() -> str:
    # Derived from SECRET_KEY (never a constant in the code), and for this purpose only, so a
    # signature made here proves nothing anywhere else.
    return salted_hmac("masthead.moderation.altcha", "challenge", algorithm="sha256").hexdigest()


def altcha_challenge_create() -> dict:
    """Return a fresh signed challenge, as the browser's solver reads it."""
    challenge = altcha_v1.create_challenge(
        algorithm=ALGORITHM,
        max_number=MAX_NUMBER,
        hmac_key=_hmac_key(),
        expires=timezone.now() + timedelta(seconds=CHALLENGE_SECONDS),
    )
    return challenge.to_dict()


@require_GET
def altcha_challenge_view(request):
    """GET /moderation/altcha/challenge: a new challenge, never cached by anyone."""
    response = JsonResponse(altcha_challenge_create())
    response["Cache-Control"] = "no-store"
    return response


def _payload_fields(payload: str) -> dict | None:
    """Decode the browser's base64 JSON, or return None when it is not a well-formed payload."""
    if not isinstance(payload, str) or not payload or len(payload) > MAX_PAYLOAD_LENGTH:
        return None
    try:
        fields = json.loads(base64.b64decode(payload, validate=True).decode())
    except (binascii.Error, ValueError, RecursionError):
        return None
    if not isinstance(fields, dict):
        return None
    texts = ("algorithm", "challenge", "salt", "signature")
    if not all(isinstance(fields.get(name), str) for name in texts):
        return None
    number = fields.get("number")
    # bool is an int in Python; true is no answer.
    if not isinstance(number, int) or isinstance(number, bool) or number < 0:
        return None
    return fields


def _expiry(salt: str) -> int | None:
    """Return the expiry (Unix time) that the challenge carries in its salt."""
    _nonce, _, query = salt.partition("?")
    values = urllib.parse.parse_qs(query).get("expires", [])
    try:
        return int(values[0]) if len(values) == 1 else None
    except ValueError:
        return None


def altcha_verify(payload: str) -> tuple[bool, str]:
    """Check a solved challenge; return (ok, reason). Never raises.

    The reason is stored English (stored_text.py), for the comment's moderation reasons.

    Refuses what cannot be read, what this server did not sign, what has expired, and a
    solution seen before.
    """
    fields = _payload_fields(payload)
    if fields is None:
        return False, stored.ALTCHA_MISSING
    if fields["algorithm"] != ALGORITHM:
        return False, stored.ALTCHA_ALGORITHM
    expires = _expiry(fields["salt"])
    # Every challenge made here expires; one without a (single) expiry was not made here.
    if expires is None:
        return False, stored.ALTCHA_NO_EXPIRY
    if expires < time.time():
        return False, stored.ALTCHA_EXPIRED
    verified, _error = altcha_v1.verify_solution(fields, _hmac_key(), check_expires=True)
    if not verified:
        return False, stored.ALTCHA_INVALID
    # Remembered until the challenge itself expires; after that, the expiry refuses it anyway.
    remember_seconds = max(1, int(expires - time.time()) + 1)
    if not cache.add(USED_KEY_PREFIX + fields["challenge"], True, remember_seconds):
        return False, stored.ALTCHA_USED
    return True, ""

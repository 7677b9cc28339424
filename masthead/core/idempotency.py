"""Idempotency keys: a retried write answers what its first attempt did instead of repeating it.

A client sends a fresh key with each new write and the same key when it retries that write
(its first answer was lost, or was an error although the write committed). The writing
service claims the key inside its own transaction with `idempotency_key_claim` and stores its
answer with `idempotency_key_record` before it commits: the key and the write commit together
or not at all. The unique constraint on (scope, key) makes two concurrent attempts of one
write end as one: the second waits for the first's transaction and then replays its answer.
"""

import hashlib
import re
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from masthead.core.models import IdempotencyKey

# How long a key is remembered: far longer than any client retries.
LIFETIME = timedelta(hours=24)
# UUIDs and other random tokens; nothing that needs escaping anywhere.
KEY_FORMAT = re.compile(r"[A-Za-z0-9_.:-]{8,128}\Z")


class IdempotencyError(Exception):
    """A key the write cannot use, with a message for the client and an HTTP status."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class IdempotencyKeyReusedError(IdempotencyError):
    status = 422


class IdempotencyKeyBusyError(IdempotencyError):
    status = 409


def idempotency_key_check(key: str) -> str:
    """Return `key` if it is a well-formed idempotency key, else raise IdempotencyError."""
    if not isinstance(key, str) or not KEY_FORMAT.match(key):
        raise IdempotencyError(
            _(
                "The Idempotency-Key must be 8 to 128 characters among letters, digits and "
                "_ . : - (a random UUID is a good one)."
            )
        )
    return key


def idempotency_hash(*parts: object) -> str:
    """Return a digest of `parts`, for a key's scope or a request's fingerprint."""
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()


def idempotency_key_known(*, scope: str, key: str) -> bool:
    """Return whether `key` was claimed in `scope` (a retry): lets a write skip work that the
    first attempt did, before it takes its locks. Raises IdempotencyError for a malformed key."""
    idempotency_key_check(key)
    return IdempotencyKey.objects.filter(scope=scope, key=key).exists()


def idempotency_key_claim(*, scope: str, key: str, fingerprint: str) -> dict | None:
    """Claim `key` for a write in the current transaction; return its earlier answer if used.

    None means the write goes ahead and must call `idempotency_key_record` before it commits.
    The same key with another fingerprint raises IdempotencyKeyReusedError.
    """
    idempotency_key_check(key)
    earlier = IdempotencyKey.objects.filter(scope=scope, key=key).first()
    if earlier is None:
        try:
            # On PostgreSQL this waits while a concurrent attempt holds the key uncommitted.
            with transaction.atomic():
                IdempotencyKey.objects.create(scope=scope, key=key, fingerprint=fingerprint)
            return None
        except IntegrityError:
            earlier = IdempotencyKey.objects.get(scope=scope, key=key)
    if earlier.fingerprint != fingerprint:
        raise IdempotencyKeyReusedError(
            _(
                "This Idempotency-Key was already used for a different request; "
                "send a new key with each new request."
            )
        )
    if not earlier.result:
        raise IdempotencyKeyBusyError(
            _("A request with this Idempotency-Key is still being processed; try again shortly.")
        )
    return earlier.result


def idempotency_key_record(*, scope: str, key: str, result: dict) -> None:
    """Store the answer of the write that claimed `key`, to replay on a retry."""
    IdempotencyKey.objects.filter(scope=scope, key=key).update(result=result)


def idempotency_keys_prune() -> int:
    """Forget keys older than LIFETIME; return how many."""
    deleted, _count = IdempotencyKey.objects.filter(created__lt=timezone.now() - LIFETIME).delete()
    return deleted

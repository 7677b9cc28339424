"""Keyed hashes: identify a reader or an address without storing it."""

from django.utils.crypto import salted_hmac


def keyed_hash(value: str, *, purpose: str) -> str:
    """Return a hex HMAC of `value`, keyed by SECRET_KEY and `purpose`.

    Equal inputs give equal hashes (so bans, limits and votes can match them), but without the
    key nobody can tell which address or reader a hash stands for.
    """
    return salted_hmac(f"masthead.{purpose}", value, algorithm="sha256").hexdigest()


def client_ip(request) -> str:
    """Return the address the request came from (the socket peer)."""
    return request.META.get("REMOTE_ADDR", "") or ""


def ip_hash(request) -> str:
    """Return the keyed hash of the request's client address ("" when unknown)."""
    address = client_ip(request)
    return keyed_hash(address, purpose="ip") if address else ""

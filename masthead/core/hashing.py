"""Keyed hashes: identify a reader or an address without storing it."""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.utils.crypto import salted_hmac


def keyed_hash(value: str, *, purpose: str) -> str:
    """Return a hex HMAC of `value`, keyed by SECRET_KEY and `purpose`.

    Equal inputs give equal hashes (so bans, limits and votes can match them), but without the
    key nobody can tell which address or reader a hash stands for.
    """
    return salted_hmac(f"masthead.{purpose}", value, algorithm="sha256").hexdigest()


@lru_cache(maxsize=8)
def _trusted_networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies)


def _parse_ip(value: str):
    value = value.strip().strip('"')
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.9:51234"
        value = value.split(":")[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def client_ip(request) -> str:
    """Return the address the request came from.

    That is the socket peer, unless the peer is one of MASTHEAD_TRUSTED_PROXIES: then the
    X-Forwarded-For chain is read from the right, skipping trusted proxies, and the first
    address no trusted proxy vouches for is the client. Anyone else's X-Forwarded-For is
    ignored, so a client cannot pick the address its bans and rate limits are keyed on.
    """
    peer = request.META.get("REMOTE_ADDR", "") or ""
    proxies = tuple(getattr(settings, "MASTHEAD_TRUSTED_PROXIES", ()) or ())
    if not proxies:
        return peer
    networks = _trusted_networks(proxies)
    peer_ip = _parse_ip(peer)

    def trusted(address) -> bool:
        return any(address.version == net.version and address in net for net in networks)

    if peer_ip is None or not trusted(peer_ip):
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _parse_ip(hop)
        if address is None:
            # A garbled entry: everything left of it could be made up by the client.
            break
        if not trusted(address):
            return str(address)
    return peer


def network_key(address: str) -> str:
    """Return the unit bans and limits apply to: the IPv4 address, or the IPv6 /64.

    One IPv6 subscriber usually holds a whole /64 and can change addresses inside it at will.
    """
    parsed = _parse_ip(address)
    if parsed is None:
        return address
    if parsed.version == 6:
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def address_hash(address: str) -> str:
    """Return the keyed hash of a network address written down elsewhere (an imported
    comment's), "" when it is not an address."""
    parsed = _parse_ip((address or "").strip())
    return keyed_hash(network_key(str(parsed)), purpose="ip") if parsed is not None else ""


def ip_hash(request) -> str:
    """Return the keyed hash of the request's client network ("" when unknown)."""
    address = client_ip(request)
    return keyed_hash(network_key(address), purpose="ip") if address else ""

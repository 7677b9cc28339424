"""Absolute addresses for the outside world (feeds, sitemaps, canonical links, mail)."""

from django.conf import settings


def public_url(path: str) -> str:
    """Return `path` on the site's public address (SITE_URL), leaving absolute URLs alone.

    Built from configuration rather than the request's Host header, so a forged Host can never
    leak into a canonical link, a feed or a mail.
    """
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}/{path.lstrip('/')}"

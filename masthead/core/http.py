"""Request checks shared by the apps' views."""

from urllib.parse import urlsplit


def request_is_same_origin(request) -> bool:
    """Return whether a form post came from one of this site's own pages.

    Forms on cached anonymous pages carry no CSRF token (the page is the same for everyone);
    the browser's Origin header (or, failing that, Referer) proves where the post came from.
    """
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    host = urlsplit(source).netloc
    return bool(host) and host == request.get_host()

"""Request checks shared by the apps' views."""

from urllib.parse import urlsplit

from django.middleware.csrf import CsrfViewMiddleware


def request_is_same_origin(request) -> bool:
    """Return whether a form post came from one of this site's own pages.

    Forms on cached anonymous pages carry no CSRF token (the page is the same for everyone);
    the browser's Origin header (or, failing that, Referer) proves where the post came from.
    """
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    host = urlsplit(source).netloc
    return bool(host) and host == request.get_host()


def csrf_refused(request) -> bool:
    """Return whether Django's CSRF check refuses `request` (token, Origin and Referer).

    For views exempt from the middleware because most callers carry no cookie (JSON APIs):
    they run the same check themselves when a request rides on a session.
    """
    request.csrf_processing_done = False
    middleware = CsrfViewMiddleware(lambda request: None)
    middleware.process_request(request)
    return middleware.process_view(request, None, (), {}) is not None

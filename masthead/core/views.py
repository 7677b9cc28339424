"""Error pages in the site's own look."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseNotFound, HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait when the database cannot be reached: long enough for a
# restart or a failover, short enough that a reader's retry finds the site back.
DATABASE_RETRY_SECONDS = 30


def page_not_found(request, exception=None):
    """Render the styled 404 page, with the site's navigation."""
    body = loader.render_to_string("404.html", {"request_path": request.path}, request=request)
    return HttpResponseNotFound(body)


def server_error(request):
    """Render the 500 page without touching the database, which may be what failed.

    When it is the database that cannot be reached (stopped, restarting, refusing connections,
    SQLite's file gone or locked past its timeout), nothing was written and nothing can be:
    the answer is a 503 that says so and when to try again, not a 500 that looks like a bug.
    Django calls this handler inside its `except` block, so the exception is at hand.
    """
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        return database_unavailable(request)
    body = loader.render_to_string("500.html")
    return HttpResponseServerError(body)


def database_unavailable(request) -> HttpResponse:
    message = _("The site cannot reach its database at the moment. Please try again in a minute.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message, "code": "unavailable"}, status=503)
    else:
        body = loader.render_to_string("503.html", {"message": message})
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(DATABASE_RETRY_SECONDS)
    response["Cache-Control"] = "no-store"
    return response

"""Error pages in the site's own look."""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import (
    HttpResponse,
    HttpResponseNotFound,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.template import loader
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.i18n import JavaScriptCatalog

from masthead.core.locale import follow_reader

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait when the database cannot be reached: long enough for a
# restart or a failover, short enough that a reader's retry finds the site back.
DATABASE_RETRY_SECONDS = 30


def page_not_found(request, exception=None):
    """Render the styled 404 page, with the site's navigation, in the reader's language."""
    follow_reader(request)
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


def javascript_catalog(request, language: str):
    """The reader JavaScript's messages in `language` (the site's default for an unknown one).

    The language is in the address, so the answer is the same for every reader and browsers
    keep it a day (the catalog changes only with a release). Only Masthead's own catalog
    (LOCALE_PATHS): naming an app without one keeps the installed apps' catalogs out.
    """
    code = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    request.language_follows_reader = False
    with translation.override(code):
        response = JavaScriptCatalog.as_view(domain="djangojs", packages=["masthead.core"])(request)
    patch_cache_control(response, public=True, max_age=24 * 60 * 60)
    return response


def language_choose(request):
    """Remember the reader's language (the switcher on pages that have no language of their own).

    Django's `set_language` with one difference: it accepts GET links as well as the form's
    POST, so the switcher works without JavaScript and without a CSRF token for a choice that
    changes nothing but the reader's own cookie. Only local `next` addresses are followed.
    """
    code = request.POST.get("language") or request.GET.get("language") or ""
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
        )
    return response

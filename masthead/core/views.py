"""Error pages in the site's own look."""

import logging

from django.http import HttpResponseNotFound, HttpResponseServerError
from django.template import loader

logger = logging.getLogger(__name__)


def page_not_found(request, exception=None):
    """Render the styled 404 page, with the site's navigation."""
    body = loader.render_to_string("404.html", {"request_path": request.path}, request=request)
    return HttpResponseNotFound(body)


def server_error(request):
    """Render the 500 page without touching the database, which may be what failed."""
    body = loader.render_to_string("500.html")
    return HttpResponseServerError(body)

"""Publishing's hooks into Wagtail's page serving."""

from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from wagtail import hooks
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

# Query strings by which WordPress addresses a post, a page or an attachment ("/?p=123").
_WORDPRESS_QUERIES = {"p", "page_id", "attachment_id"}


@hooks.register("before_serve_page")
def wordpress_short_links(page, request, serve_args, serve_kwargs):
    """Send an old WordPress short link to the page an import made of it.

    "/?p=123" names the front page, which exists, so Wagtail's redirect middleware (which looks
    only when a page is not found) never sees it; the import stored the redirect all the same.
    """
    if not _WORDPRESS_QUERIES.intersection(request.GET):
        return None
    site = Site.find_for_request(request)
    redirect = (
        Redirect.get_for_site(site)
        .filter(old_path=Redirect.normalise_path(request.get_full_path()))
        .first()
    )
    if redirect is None or not redirect.link:
        return None
    response = HttpResponsePermanentRedirect if redirect.is_permanent else HttpResponseRedirect
    return response(redirect.link)

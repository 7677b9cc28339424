"""Publishing's hooks into Wagtail's page serving."""

from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.utils import translation
from wagtail import hooks
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from masthead.core.locale import locale_codes

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


@hooks.register("before_serve_page")
def page_in_its_own_language(page, request, serve_args, serve_kwargs):
    """Answer 404 for a page asked for under another language's prefix.

    Wagtail routes "/de/..." through the German tree, or through the default tree when the
    outlet publishes no German at all; that fallback would serve the English article at a
    German address, a duplicate no search engine should see.
    """
    if locale_codes().get(page.locale_id) != translation.get_language():
        raise Http404
    return None

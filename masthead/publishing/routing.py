"""Wagtail's page serving, with the walk from an address to its page remembered.

Wagtail finds a page by loading the site, the root page in the reader's language and then one
page per level of the address: five to eight queries before an article's view starts. Which
page an address leads to changes only when something is published, unpublished, moved or
deleted, and each of those invalidates the "site" tag (publishing/receivers.py); so the site
and the route are kept under that tag, and so is the page's row (`_live_page`): serving an
article costs no query of its own. Wagtail then serves it as always (`wagtail.views.serve`,
its hooks included): this module only answers, ahead of time, the two questions Wagtail
caches on the request.
"""

import pickle

from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult

from masthead.core.pagecache import tagged_value


def serve(request, path):
    """Serve the page at `path`, as Wagtail's own view does."""
    site = tagged_value(
        f"site-for:{request._get_raw_host()}:{request.get_port()}",
        tags=["site"],
        compute=lambda: Site.find_for_request(request),
    )
    request._wagtail_site = site
    if site is not None:
        found = tagged_value(
            f"route:{site.pk}:{translation.get_language()}:{path}",
            tags=["site"],
            compute=lambda: _route(request, path),
            keep=lambda found: found is not None,  # made-up addresses are not remembered
        )
        if found is not None:
            content_type_id, page_id = found
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            page = _live_page(model, page_id) if model else None
            if page is not None:
                request._wagtail_route_for_request = RouteResult(page)
    return wagtail_views.serve(request, path)


def _live_page(model, page_id: int):
    """The live page `page_id`, a copy of its own for this request.

    What a reader sees of a page changes only when it is published, unpublished, moved or
    deleted, which invalidate "site" (saving a draft changes the row's draft fields, which
    serving does not read). The row is kept pickled, and each request unpickles its own
    instance: the query's compilation alone was a fifth of an article's render, unpickling
    is a few dozen microseconds, and no request can change another's instance.
    """
    pickled = tagged_value(
        f"live-page:{page_id}",
        tags=["site"],
        compute=lambda: pickle.dumps(model.objects.filter(pk=page_id, live=True).first()),
    )
    return pickle.loads(pickled)  # noqa: S301 - our own bytes, from our own cache


def _route(request, path) -> tuple[int, int] | None:
    """Return the content type and id of the plain page at `path`, or None.

    Only a route to a page itself is remembered; a route into a page's own sub-addresses
    (a section's archive, a tag's list) carries a view and arguments, and is walked anew.
    """
    found = Page.route_for_request(request, path)
    if found is None:
        return None
    page, args, kwargs = found
    if args or kwargs:
        return None
    return page.content_type_id, page.pk


def view_restrictions_exist() -> bool:
    """Whether any page of any site is private: most outlets have none, and then no page
    needs its ancestors' restrictions looked up before it is served."""
    return tagged_value(
        "view-restrictions-exist",
        tags=["site"],
        compute=lambda: PageViewRestriction.objects.exists(),
    )

"""Pages that are not Wagtail pages: search and robots.txt."""

from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from wagtail.models import Site

from masthead.core.pagination import paginate
from masthead.core.text import storable_line
from masthead.core.urls import public_url
from masthead.publishing import selectors

# Long enough for any honest query; longer input is cut rather than refused.
MAX_QUERY_LENGTH = 200


@require_GET
def search(request):
    """Search the published articles: ?q=words&page=N."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("No site is configured for this address.")
    query = storable_line(request.GET.get("q", ""))[:MAX_QUERY_LENGTH]
    page_obj = None
    articles = []
    if query:
        page_obj = paginate(request, selectors.articles_search(root=site.root_page, query=query))
        articles = selectors.articles_by_ids([result.pk for result in page_obj.object_list])
    return TemplateResponse(
        request,
        "publishing/search.html",
        {"search_query": query, "page_obj": page_obj, "articles": articles},
    )


@require_GET
def robots_txt(request):
    """Tell crawlers what to skip and where the sitemap is."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "",
        f"Sitemap: {public_url('/sitemap.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")

"""Pages that are not Wagtail pages: search, robots.txt and the news sitemap."""

from datetime import UTC, timedelta

from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from wagtail.models import Site

from masthead.core.locale import localized
from masthead.core.pagination import paginate
from masthead.core.text import storable_line
from masthead.core.urls import public_url
from masthead.publishing import selectors
from masthead.publishing.models import OutletSettings

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
        # The reader's language's tree (the search page follows the reader), else the default.
        root = localized(site.root_page)
        page_obj = paginate(request, selectors.articles_search(root=root, query=query))
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
        f"Sitemap: {public_url('/news-sitemap.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


# Google News takes the articles of the last two days from a news sitemap.
NEWS_SITEMAP_HOURS = 48


@require_GET
def news_sitemap(request):
    """The articles of the last 48 hours in Google's news sitemap format."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("No site is configured for this address.")
    since = timezone.now() - timedelta(hours=NEWS_SITEMAP_HOURS)
    articles = selectors.articles_for_news_sitemap(root=site.root_page, since=since)
    response = TemplateResponse(
        request,
        "publishing/news_sitemap.xml",
        {
            "outlet": OutletSettings.for_site(site),
            "entries": [
                {
                    "url": article.get_canonical_url(request),
                    "title": article.title,
                    "language": article.locale.language_code,
                    "date": article.date.astimezone(UTC).replace(microsecond=0).isoformat(),
                }
                for article in articles
            ],
        },
        content_type="application/xml; charset=utf-8",
    )
    response.cache_tags = ["site"]
    return response

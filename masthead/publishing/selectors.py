"""Reads that pages share.

Each selector owns its query count: lists come with their lead-image renditions, bylines and
sections prefetched, so a page of 12 articles costs the same handful of queries as a page of 2
(the tests assert it).
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber, Substr
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page

from masthead.publishing.models import (
    ArticleAuthor,
    ArticlePage,
    Author,
    HomeFeaturedArticle,
    HomePage,
    SectionPage,
)


def _published_articles(root: Page) -> QuerySet[ArticlePage]:
    return (
        ArticlePage.objects.live()
        .public()
        .descendant_of(root)
        .order_by("-date", "-pk")
        .select_related("locale")
    )


def with_listing_data(articles: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """Return `articles` with what a list shows (lead image renditions, byline) prefetched."""
    return articles.prefetch_related(
        Prefetch("lead_image", queryset=get_image_model().objects.prefetch_renditions()),
        Prefetch(
            "article_authors",
            queryset=ArticleAuthor.objects.select_related("author").order_by("sort_order"),
        ),
    )


def articles_with_listing_data(articles: Iterable[ArticlePage]) -> list[ArticlePage]:
    """Evaluate `articles` and attach each one's section as `.section`, in one extra query."""
    articles = list(articles)
    parent_paths = {article.path[: -ArticlePage.steplen] for article in articles}
    sections = {
        section.path: section
        for section in SectionPage.objects.filter(path__in=parent_paths).select_related("locale")
    }
    for article in articles:
        article.section = sections.get(article.path[: -ArticlePage.steplen])
    return articles


def articles_by_ids(ids: Sequence[int]) -> list[ArticlePage]:
    """Return the live articles with these ids, in the order given, ready for a list."""
    found = {
        article.pk: article
        for article in with_listing_data(ArticlePage.objects.live().public().filter(pk__in=ids))
    }
    return articles_with_listing_data(found[pk] for pk in ids if pk in found)


@dataclass
class FrontPage:
    """What the front page shows: pinned stories, the newest others, and section teasers."""

    featured: list[ArticlePage]
    latest: list[ArticlePage]
    section_teasers: list[tuple[SectionPage, list[ArticlePage]]]


def front_page_content(*, home: HomePage, latest_count: int, per_section: int) -> FrontPage:
    """Return the front page's articles, fetched together in one list query.

    Ids are gathered first (the pinned ones, the newest, and the newest of each section, the
    last ranked by a window function), then every article is loaded once with its listing
    data: the cost is the same for two sections or twenty, ten articles or ten thousand.
    """
    featured_ids = list(
        HomeFeaturedArticle.objects.filter(home=home)
        .order_by("sort_order")
        .values_list("article_id", flat=True)
    )
    published = _published_articles(home)
    latest_ids = list(
        published.exclude(pk__in=featured_ids).values_list("pk", flat=True)[:latest_count]
    )
    section_path_length = ArticlePage.steplen * (home.depth + 1)
    ranked = (
        published.annotate(
            section_path=Substr("path", 1, section_path_length),
            rank=Window(
                RowNumber(),
                partition_by=[F("section_path")],
                order_by=[F("date").desc(), F("pk").desc()],
            ),
        )
        .filter(rank__lte=per_section)
        .values_list("section_path", "pk")
    )
    ids_by_section_path: dict[str, list[int]] = {}
    for section_path, pk in ranked:
        ids_by_section_path.setdefault(section_path, []).append(pk)

    all_ids = {*featured_ids, *latest_ids}
    for ids in ids_by_section_path.values():
        all_ids.update(ids)
    articles = {article.pk: article for article in articles_by_ids(sorted(all_ids))}

    def pick(ids):
        return [articles[pk] for pk in ids if pk in articles]

    sections = {
        article.section.pk: article.section for article in articles.values() if article.section
    }
    teasers = []
    for section in SectionPage.objects.live().public().child_of(home).select_related("locale"):
        teaser = pick(ids_by_section_path.get(section.path, []))
        teaser.sort(key=lambda article: (article.date, article.pk), reverse=True)
        teasers.append((sections.get(section.pk, section), teaser))
    return FrontPage(featured=pick(featured_ids), latest=pick(latest_ids), section_teasers=teasers)


def articles_in_section(*, section: SectionPage) -> QuerySet[ArticlePage]:
    """Return the section's published articles, newest first, ready for a list."""
    return with_listing_data(_published_articles(section))


def articles_tagged(*, root: Page, tag: Tag) -> QuerySet[ArticlePage]:
    """Return the published articles carrying `tag`, newest first, ready for a list."""
    return with_listing_data(_published_articles(root).filter(tagged_items__tag=tag))


def articles_by_author(*, root: Page, author: Author) -> QuerySet[ArticlePage]:
    """Return the published articles `author` is credited on, newest first, ready for a list."""
    return with_listing_data(_published_articles(root).filter(article_authors__author=author))


def articles_related(*, article: ArticlePage, limit: int) -> list[ArticlePage]:
    """Return the newest other articles of the same section."""
    parent = Page(path=article.path[: -ArticlePage.steplen], depth=article.depth - 1)
    articles = with_listing_data(_published_articles(parent).exclude(pk=article.pk))
    return list(articles[:limit])


def articles_for_feed(*, root: Page, limit: int) -> list[ArticlePage]:
    """Return the newest articles for a feed, with bylines, tags and lead images prefetched."""
    articles = with_listing_data(_published_articles(root)).prefetch_related("tags")
    return list(articles[:limit])


def site_roots(root: Page) -> list[Page]:
    """The front page of every language the site publishes in (`root` and its translations)."""
    return list(Page.objects.filter(translation_key=root.translation_key).live().order_by("path"))


def _under_any(roots: Sequence[Page]) -> Q:
    found = Q(pk__in=[])
    for root in roots:
        found |= Q(path__startswith=root.path, depth__gte=root.depth)
    return found


def articles_for_news_sitemap(*, root: Page, since, limit: int = 1000) -> list[ArticlePage]:
    """Return the articles of every language published since `since`, newest first (Google
    News reads 48 hours and at most 1,000 of them)."""
    articles = (
        ArticlePage.objects.live()
        .public()
        .filter(_under_any(site_roots(root)))
        .order_by("-date", "-pk")
        .select_related("locale")
    )
    return list(articles.filter(date__gte=since)[:limit])


def pages_for_sitemap(*, root: Page) -> QuerySet[Page]:
    """Every published page of every language's tree, for the XML sitemap."""
    return (
        Page.objects.live()
        .public()
        .filter(_under_any(site_roots(root)))
        .order_by("path")
        .defer_streamfields()
        .specific()
    )


def search_terms(query: str) -> list[str]:
    """Return the words of a reader's query, without characters search engines parse as syntax.

    SQLite FTS5 and PostgreSQL tsquery each give meaning to quotes, colons, stars and the like;
    a reader typing them means nothing special, and must never see an error for it.
    """
    return re.findall(r"\w+", query)


def articles_search(*, root: Page, query: str):
    """Return Wagtail search results for `query` among the published articles under `root`."""
    articles = ArticlePage.objects.live().public().descendant_of(root)
    terms = search_terms(query)
    if not terms:
        return articles.none()
    return articles.search(" ".join(terms), operator="and", order_by_relevance=True)


def page_for_url(url: str, *, site=None):
    """Return the page an address names on this site, whatever its scheme, host, trailing
    slash or query string: the page at that path, or where an old address redirects to
    (imports add a redirect for every old permalink). None when nothing matches."""
    from urllib.parse import urlsplit

    from wagtail.contrib.redirects.models import Redirect
    from wagtail.models import Site

    parts = urlsplit(url.strip())
    path = "/" + parts.path.strip("/")
    site = site or Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return None
    candidates = [f"{path}?{parts.query}" if parts.query else None, path]
    for candidate in filter(None, candidates):
        redirect = (
            Redirect.get_for_site(site)
            .filter(old_path=Redirect.normalise_path(candidate), redirect_page__isnull=False)
            .select_related("redirect_page")
            .first()
        )
        if redirect is not None:
            return redirect.redirect_page.specific
    url_path = site.root_page.url_path + (path.strip("/") + "/" if path != "/" else "")
    page = Page.objects.filter(url_path=url_path).first()
    return page.specific if page is not None else None

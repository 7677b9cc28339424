"""Page types: the front page, sections, articles and plain pages."""

from django.db import models
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageViewRestriction
from wagtail.search import index

from masthead.core.pagination import paginate
from masthead.core.urls import public_url
from masthead.publishing.blocks import ArticleBodyBlock, PlainBodyBlock


class PublicUrlMixin:
    """Canonical and sitemap addresses built from SITE_URL, never from the request's Host."""

    def get_canonical_url(self, request=None) -> str:
        """Return the absolute public address of this page."""
        return public_url(self.get_url(request=request) or "/")

    def get_sitemap_urls(self, request=None):
        return [{"location": self.get_canonical_url(request), "lastmod": self.last_published_at}]


class CachedPageMixin:
    """Let anonymous readers' copies of this page be cached until it or the site changes."""

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        response.cache_tags = ["site", f"page:{self.pk}"]
        return response

    def get_view_restrictions(self):
        # Asked before every page is served (Wagtail's check_view_restrictions hook); an outlet
        # with no private page at all answers from the cache instead of two queries.
        from masthead.publishing.routing import view_restrictions_exist

        if not view_restrictions_exist():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class HomePage(PublicUrlMixin, CachedPageMixin, RoutablePageMixin, Page):
    """The front page: featured stories, the latest ones, and each section's newest."""

    intro = models.CharField(
        _("intro"), max_length=250, blank=True, help_text=_("Shown under the masthead.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel("featured_articles", label=_("Featured article"), max_num=4),
    ]
    parent_page_types = ["wagtailcore.Page"]
    # "funding.SupportPage" by name only: publishing never imports the apps above it.
    subpage_types = ["publishing.SectionPage", "publishing.StandardPage", "funding.SupportPage"]

    class Meta:
        verbose_name = _("front page")
        verbose_name_plural = _("front pages")

    @path("")
    def front_page(self, request):
        from masthead.publishing import selectors

        content = selectors.front_page_content(home=self, latest_count=9, per_section=4)
        return self.render(
            request,
            context_overrides={
                "featured": content.featured,
                "latest": content.latest,
                "section_teasers": content.section_teasers,
            },
        )

    @path("tags/<str:tag_slug>/", name="tag")
    def tag_listing(self, request, tag_slug):
        from masthead.publishing import selectors

        tag = get_object_or_404(Tag, slug=tag_slug)
        articles = selectors.articles_tagged(root=self, tag=tag)
        # Translators: the heading of the list of articles carrying a tag.
        title = gettext("Tagged “%(tag)s”") % {"tag": tag.name}
        return self._listing(request, title=title, articles=articles)

    @path("authors/<slug:author_slug>/", name="author")
    def author_listing(self, request, author_slug):
        from masthead.publishing import selectors
        from masthead.publishing.models.snippets import Author

        author = get_object_or_404(Author, slug=author_slug)
        articles = selectors.articles_by_author(root=self, author=author)
        return self._listing(
            request, title=author.name, articles=articles, intro=author.bio, author=author
        )

    def _listing(self, request, *, title, articles, intro="", **extra):
        from masthead.publishing import selectors

        page_obj = paginate(request, articles)
        return TemplateResponse(
            request,
            "publishing/listing_page.html",
            {
                "page": self,
                "self": self,
                "listing_title": title,
                "listing_intro": intro,
                "page_obj": page_obj,
                "articles": selectors.articles_with_listing_data(page_obj.object_list),
                **extra,
            },
        )


class SectionPage(PublicUrlMixin, CachedPageMixin, RoutablePageMixin, Page):
    """A section of the outlet ("City", "Culture"): a paginated list of its articles."""

    intro = models.CharField(_("intro"), max_length=250, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["publishing.HomePage"]
    subpage_types = ["publishing.ArticlePage"]

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    @path("")
    def article_list(self, request):
        from masthead.publishing import selectors

        page_obj = paginate(request, selectors.articles_in_section(section=self))
        return self.render(
            request,
            context_overrides={
                "page_obj": page_obj,
                "articles": selectors.articles_with_listing_data(page_obj.object_list),
            },
        )

    @path("feed/", name="rss")
    def rss_feed(self, request):
        from masthead.publishing.feeds import ArticleRssFeed

        return ArticleRssFeed()(request, section=self)

    @path("feed/atom/", name="atom")
    def atom_feed(self, request):
        from masthead.publishing.feeds import ArticleAtomFeed

        return ArticleAtomFeed()(request, section=self)


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "publishing.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePage(PublicUrlMixin, CachedPageMixin, Page):
    """A news article with its lead image, byline and a body of blocks."""

    standfirst = models.TextField(
        _("standfirst"),
        max_length=400,
        help_text=_("One or two sentences under the headline: the story in brief."),
    )
    date = models.DateTimeField(
        _("publication date"),
        default=timezone.now,
        help_text=_("Shown on the article and used to order lists and feeds."),
    )
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lead image"),
    )
    lead_image_caption = models.CharField(_("caption"), max_length=300, blank=True)
    lead_image_credit = models.CharField(
        _("credit"), max_length=120, blank=True, help_text=_("e.g. 'Photo: Jane Doe'")
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"))
    tags = ClusterTaggableManager(through=ArticleTag, blank=True)

    content_panels = [
        # Translators: the label of an article's title in the editor.
        FieldPanel("title", classname="title", heading=_("Headline")),
        FieldPanel("standfirst"),
        MultiFieldPanel(
            [
                FieldPanel("date"),
                InlinePanel("article_authors", label=_("Author"), min_num=1),
            ],
            _("Byline"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("lead_image"),
                FieldPanel("lead_image_caption"),
                FieldPanel("lead_image_credit"),
            ],
            _("Lead image"),
        ),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("date"),
    ]
    parent_page_types = ["publishing.SectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def get_context(self, request, *args, **kwargs):
        from masthead.publishing import selectors

        context = super().get_context(request, *args, **kwargs)
        # Looked up when the template first reads them: the parts that show them are shared
        # by every reader (`{% fragment %}`), so most renders read none of them.
        context["tag_list"] = SimpleLazyObject(lambda: list(self.tags.all()))
        context["section"] = context["current_section"] = SimpleLazyObject(
            lambda: self.get_parent().specific_deferred
        )
        context["more_articles"] = SimpleLazyObject(
            lambda: selectors.articles_related(article=self, limit=3)
        )
        # The tags that make the shared parts stale: any publication changes the navigation
        # and related articles; the article's own tag changes with its comments.
        context["fragment_tags"] = "site"
        context["fragment_page_tags"] = f"site page:{self.pk}"
        return context

    @cached_property
    def lead_image_with_renditions(self):
        """The lead picture with its renditions: the picture, its share card and its
        structured-data crops come from one query."""
        if self.lead_image is not None:
            prefetch_related_objects([self.lead_image], "renditions")
        return self.lead_image

    @cached_property
    def byline_authors(self) -> list:
        """Return the credited authors in their byline order."""
        credits = self.article_authors.all()
        if "article_authors" not in getattr(self, "_prefetched_objects_cache", {}):
            # Not prefetched by a list: fetch credits and authors together, in one query.
            credits = credits.select_related("author")
        return [credit.author for credit in credits]


class ArticleAuthor(Orderable):
    """One credit in an article's byline (ordered, so the lead writer comes first)."""

    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="article_authors")
    author = models.ForeignKey(
        "publishing.Author",
        on_delete=models.PROTECT,
        related_name="article_credits",
        verbose_name=_("author"),
    )

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="unique_article_author")
        ]


class HomeFeaturedArticle(Orderable):
    """An article the editors pin to the top of the front page."""

    home = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_articles")
    article = models.ForeignKey(
        ArticlePage, on_delete=models.CASCADE, related_name="+", verbose_name=_("article")
    )

    panels = [FieldPanel("article")]


class StandardPage(PublicUrlMixin, CachedPageMixin, Page):
    """A plain page: about the outlet, contact, how to support it."""

    intro = models.CharField(_("intro"), max_length=250, blank=True)
    body = StreamField(PlainBodyBlock(), blank=True, verbose_name=_("body"))
    # WordPress pages can carry comments: an imported page that had them keeps its discussion.
    show_discussion = models.BooleanField(
        _("show a discussion under this page"),
        default=False,
        help_text=_("Readers can read and post comments below this page, as under an article."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("show_discussion"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["publishing.HomePage", "publishing.StandardPage"]
    subpage_types = ["publishing.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")

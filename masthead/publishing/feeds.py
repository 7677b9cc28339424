"""RSS 2.0 and Atom feeds of the newest articles, site-wide and per section."""

import mimetypes

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.translation import gettext as _
from wagtail.models import Site

from masthead.core.locale import localized
from masthead.core.urls import public_url
from masthead.publishing import selectors
from masthead.publishing.models import OutletSettings, SectionPage


class ArticleRssFeed(Feed):
    """The newest articles of the whole site, or of one section, as RSS 2.0."""

    def get_object(self, request, section: SectionPage | None = None):
        site = Site.find_for_request(request)
        if site is None:
            raise Http404("No site is configured for this address.")
        self.outlet = OutletSettings.for_site(site)
        self.request = request
        # /ru/feed/ is the Russian tree's feed; /feed/ the default language's.
        return section or localized(site.root_page)

    def title(self, root) -> str:
        if isinstance(root, SectionPage):
            # Translators: the title of a section's feed, e.g. "The Harbour Ledger: City".
            return _("%(outlet)s: %(section)s") % {
                "outlet": self.outlet.name,
                "section": root.title,
            }
        return self.outlet.name

    def link(self, root) -> str:
        return public_url(root.get_url(request=self.request) or "/")

    def description(self, root) -> str:
        return getattr(root, "intro", "") or self.outlet.tagline or self.outlet.name

    def feed_url(self, root) -> str:
        return public_url(self.request.path)

    def items(self, root):
        return selectors.articles_for_feed(root=root, limit=settings.PUBLISHING_FEED_LENGTH)

    def item_title(self, article) -> str:
        return article.title

    def item_description(self, article) -> str:
        return article.standfirst

    def item_link(self, article) -> str:
        return article.get_canonical_url(self.request)

    def item_guid(self, article) -> str:
        return article.get_canonical_url(self.request)

    def item_pubdate(self, article):
        return article.date

    def item_updateddate(self, article):
        return article.last_published_at or article.date

    def item_author_name(self, article) -> str:
        return ", ".join(author.name for author in article.byline_authors)

    def item_categories(self, article) -> list[str]:
        return [tag.name for tag in article.tags.all()]

    def item_enclosures(self, article) -> list[Enclosure]:
        image = article.lead_image
        if image is None:
            return []
        try:
            size = image.get_file_size()  # measured once, then stored on the image
        except OSError:
            return []  # a missing file must not break the feed
        if not size:
            return []
        mime_type = mimetypes.guess_type(image.file.name)[0] or "image/jpeg"
        return [Enclosure(public_url(image.file.url), str(size), mime_type)]


class ArticleAtomFeed(ArticleRssFeed):
    """The same articles as an Atom 1.0 feed."""

    feed_type = Atom1Feed

    def subtitle(self, root) -> str:
        return self.description(root)

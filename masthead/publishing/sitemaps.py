"""The XML sitemap: Wagtail's, over every language's page tree instead of the default one only."""

from wagtail.contrib.sitemaps import Sitemap

from masthead.publishing import selectors


class SiteSitemap(Sitemap):
    def items(self):
        return selectors.pages_for_sitemap(root=self.get_wagtail_site().root_page)

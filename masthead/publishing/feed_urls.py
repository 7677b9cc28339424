"""The site's feeds, one per language: /feed/ for the default language, /ru/feed/ for Russian.

Included inside the root URLconf's `i18n_patterns`, next to Wagtail's page tree.
"""

from django.urls import path

from masthead.publishing.feeds import ArticleAtomFeed, ArticleRssFeed

app_name = "feeds"

urlpatterns = [
    path("feed/", ArticleRssFeed(), name="rss"),
    path("feed/atom/", ArticleAtomFeed(), name="atom"),
]

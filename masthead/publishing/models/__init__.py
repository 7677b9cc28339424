"""Publishing models, split by kind as Wagtail's own apps do."""

from masthead.publishing.models.pages import (
    ArticleAuthor,
    ArticlePage,
    ArticleTag,
    HomeFeaturedArticle,
    HomePage,
    SectionPage,
    StandardPage,
)
from masthead.publishing.models.settings import OutletSettings
from masthead.publishing.models.snippets import Author

__all__ = [
    "ArticleAuthor",
    "ArticlePage",
    "ArticleTag",
    "Author",
    "HomeFeaturedArticle",
    "HomePage",
    "OutletSettings",
    "SectionPage",
    "StandardPage",
]

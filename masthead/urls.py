"""Top-level routes: admin, publishing's own views, media, then Wagtail's page tree."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth.views import LogoutView
from django.urls import include, path, re_path
from django.views.static import serve as serve_file
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from masthead.accounts.views import AdminLoginView, ReaderLoginView
from masthead.core.views import javascript_catalog, language_choose
from masthead.discussion.api import api as discussion_api
from masthead.funding.api import router as funding_router
from masthead.moderation.api import router as moderation_router
from masthead.moderation.perspective import comments_analyze as perspective_analyze
from masthead.notifications.api import router as notifications_router
from masthead.publishing import routing as publishing_routing
from masthead.publishing.sitemaps import SiteSitemap

# One API under /api/v1: discussion's endpoints, and the apps built on it.
discussion_api.add_router("/", notifications_router)
discussion_api.add_router("/", moderation_router)
discussion_api.add_router("/", funding_router)

urlpatterns = [
    # Wagtail's login, throttled (before the admin's own route to the same address).
    path("admin/login/", AdminLoginView.as_view()),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": SiteSitemap}}, name="sitemap"),
    path("api/v1/", discussion_api.urls),
    # Google Perspective's own path, outside /api/v1, so its clients need only a new base URL.
    path("v1alpha1/comments:analyze", perspective_analyze, name="perspective_analyze"),
    path("discussion/", include("masthead.discussion.urls")),
    path("notifications/", include("masthead.notifications.urls")),
    path("moderation/", include("masthead.moderation.urls")),
    # The reader JavaScript's messages, one file per language, cached like a static file.
    path("jsi18n/<str:language>.js", javascript_catalog, name="jsi18n"),
    path("language/", language_choose, name="language_choose"),
    path("accounts/login/", ReaderLoginView.as_view(), name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("", include("masthead.funding.urls")),
    path("", include("masthead.publishing.urls")),
]

if settings.MASTHEAD_SERVE_MEDIA:
    # Images only: documents go through Wagtail's view, which enforces collection privacy.
    urlpatterns.append(
        re_path(
            r"^media/(?P<path>(?:original_images|images)/[^/]+)$",
            serve_file,
            {"document_root": settings.MEDIA_ROOT},
        )
    )

# The page tree last: the default language's pages at their own addresses, every other
# language's under its prefix ("/ru/..."), as Wagtail's locales expect.
urlpatterns += i18n_patterns(
    path("", include("masthead.publishing.feed_urls")),
    # Wagtail's own view, its routes remembered (publishing/routing.py); same name, same pattern.
    re_path(wagtail_urls.serve_pattern, publishing_routing.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler404 = "masthead.core.views.page_not_found"
handler500 = "masthead.core.views.server_error"

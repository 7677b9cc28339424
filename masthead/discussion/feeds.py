"""RSS 2.0 feeds of the newest published comments, site-wide and per thread.

Only published comments on live, publicly viewable articles appear (a thread addressed by URL
appears in its own feed, linked to its stored address). Each feed costs a fixed handful of
queries however many comments it lists. Responses are not page-cached, so a new comment shows
at once.
"""

from copy import copy
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from wagtail.models import Site

from masthead.core.urls import public_url
from masthead.discussion import services
from masthead.discussion.models import Comment, Thread
from masthead.discussion.rendering import bidi_controls_strip
from masthead.publishing.models import ArticlePage, OutletSettings

DEFAULT_FEED_LENGTH = 50
MAX_PAGE_ID = 2**31 - 1  # Wagtail pages have 32-bit ids; larger numbers would overflow the query


def _public_articles() -> QuerySet[ArticlePage]:
    # Wagtail's privacy check: one query for the view restrictions, then a path filter.
    return ArticlePage.objects.live().public()


def _thread_for_feed(key: str) -> Thread:
    """Return the thread with `key` if readers may see it, or raise Http404 without saying why."""
    if not services.thread_key_is_valid(key):
        raise Http404("There is no discussion with this key.")
    public = _public_articles()
    thread = (
        Thread.objects.select_related("page")
        .filter(Q(page__isnull=True) | Q(page__in=public.values("pk")), key=key)
        .first()
    )
    if thread is None:
        # An article's thread exists from its first visit; a feed reader may come first.
        is_page_id = key.isdigit() and int(key) <= MAX_PAGE_ID
        page = public.filter(pk=int(key)).first() if is_page_id else None
        if page is None:
            raise Http404("There is no discussion with this key.")
        return services.thread_for_page(page)
    if thread.page_id is None and urlsplit(thread.url).scheme not in ("http", "https"):
        raise Http404("There is no discussion with this key.")
    return thread


def _headline(thread: Thread) -> str:
    if thread.page_id is not None:
        return thread.page.title
    return thread.title or thread.url


def _permalink(address: str, comment_id: int) -> str:
    """Return the address that opens the thread at comment `comment_id` (as views.py does)."""
    separator = "&" if urlsplit(address).query else "?"
    return f"{address}{separator}comment={comment_id}#comment-{comment_id}"


class CommentRssFeed(Feed):
    """The newest published comments of the whole site, or of one thread, as RSS 2.0."""

    def __call__(self, request, *args, **kwargs):
        # The URLconf's one instance serves every request thread: keep this request's outlet
        # and request on a copy, never on the shared instance.
        return super(CommentRssFeed, copy(self)).__call__(request, *args, **kwargs)

    def get_object(self, request, key: str | None = None):
        site = Site.find_for_request(request)
        if site is None:
            raise Http404("No site is configured for this address.")
        self.outlet = OutletSettings.for_site(site)
        self.request = request
        return _thread_for_feed(key) if key is not None else None

    def _target_url(self, thread: Thread) -> str:
        if thread.page_id is not None:
            return public_url(thread.page.get_url(request=self.request) or "/")
        return thread.url

    def title(self, thread: Thread | None) -> str:
        if thread is None:
            # Translators: the title of the feed of the whole site's comments; %(outlet)s is
            # the outlet's name.
            return _("Latest comments · %(outlet)s") % {"outlet": self.outlet.name}
        # Translators: %(title)s is the article's headline, %(outlet)s the outlet's name.
        return _("Comments on ‘%(title)s’ · %(outlet)s") % {
            "title": _headline(thread),
            "outlet": self.outlet.name,
        }

    def link(self, thread: Thread | None) -> str:
        return public_url("/") if thread is None else self._target_url(thread)

    def description(self, thread: Thread | None) -> str:
        if thread is None:
            return _("The newest comments from readers of %(outlet)s.") % {
                "outlet": self.outlet.name
            }
        return _("The newest comments on ‘%(title)s’.") % {"title": _headline(thread)}

    def feed_url(self, thread: Thread | None) -> str:
        return public_url(self.request.path)

    def items(self, thread: Thread | None) -> list[Comment]:
        comments = Comment.objects.filter(status=Comment.Status.PUBLISHED)
        if thread is None:
            # A subquery, not a list of ids: the cost stays the same however many articles.
            comments = comments.filter(thread__page__in=_public_articles().values("pk"))
        else:
            comments = comments.filter(thread=thread)
        limit = getattr(settings, "DISCUSSION_FEED_LENGTH", DEFAULT_FEED_LENGTH)
        return list(comments.select_related("thread__page").order_by("-created", "-id")[:limit])

    def item_title(self, comment: Comment) -> str:
        # Translators: the title of one comment in a feed: who wrote it, on which article.
        return _("%(name)s on ‘%(title)s’") % {
            "name": bidi_controls_strip(comment.author_name),
            "title": _headline(comment.thread),
        }

    def item_description(self, comment: Comment) -> str:
        return comment.html  # sanitized by nh3 when written (rendering.py)

    def item_link(self, comment: Comment) -> str:
        return _permalink(self._target_url(comment.thread), comment.pk)

    def item_guid(self, comment: Comment) -> str:
        return self.item_link(comment)

    item_guid_is_permalink = True

    def item_pubdate(self, comment: Comment):
        return comment.created

    def item_updateddate(self, comment: Comment):
        return comment.edited or comment.created

    def item_author_name(self, comment: Comment) -> str:
        # Never the email: RSS would publish it.
        return bidi_controls_strip(comment.author_name)

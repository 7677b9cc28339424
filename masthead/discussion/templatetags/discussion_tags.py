"""{% discussion page %}: the comment section of an article; {% discussion_feed_url page %}."""

import secrets

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from masthead.core.locale import locale_codes
from masthead.core.pagecache import tagged_value
from masthead.discussion import selectors, services
from masthead.discussion.presentation import avatar, thread_context
from masthead.discussion.rendering import bidi_controls_strip

register = template.Library()


@register.inclusion_tag("discussion/section.html", takes_context=True)
def discussion(context, page):
    """Render the discussion of `page`: count, form, tabs and the first page of comments.

    The first page of comments in each order is the same for every reader (what is theirs,
    votes and edit buttons, comes from the /me request), so it is rendered once and reused
    until the thread changes; its cost no longer grows with the comments on it.
    """
    request = context["request"]
    thread = _thread_of(request, page)
    sort = request.GET.get("sort", settings.DISCUSSION_DEFAULT_SORT)
    comment_id = request.GET.get("comment")
    if sort in selectors.SORTS and not comment_id:
        closed = services.thread_is_closed(thread)
        language = translation.get_language()

        def first_page() -> dict:
            shared = thread_context(request, thread, sort=sort)
            return {
                "comments_html": render_to_string("discussion/_page.html", shared),
                "feedback_counts": selectors.inline_feedback_counts(thread=thread),
            }

        result = tagged_value(
            f"discussion:{thread.pk}:{sort}:{int(closed)}:{language}",
            tags=[f"page:{page.pk}", "site"],
            compute=first_page,
        ).copy()
        result.update(
            thread=thread,
            sort=sort,
            closed=closed,
            max_depth=settings.DISCUSSION_NESTING_DEPTH,
            max_length=settings.DISCUSSION_MAX_LENGTH,
        )
    else:
        result = thread_context(request, thread, sort=sort, comment_id=comment_id)
        if sort == "inline":  # the "Inline Feedbacks" tab, for readers without JavaScript
            result.update(sort="inline", inline_comments=selectors.inline_feedback(thread=thread))
        result["feedback_counts"] = selectors.inline_feedback_counts(thread=thread)
    result.update(
        request=request,
        article=page,
        other_languages=_other_languages(page),
        posted=request.GET.get("posted", ""),
        notify=request.GET.get("notify", ""),
        user=request.user,
    )
    return result


def _other_languages(page) -> list:
    # Only a site with translations can have them: one language, no query.
    if len(locale_codes()) < 2:
        return []
    return tagged_value(
        f"discussion-languages:{page.pk}",
        tags=[f"translations:{page.translation_key}", "site"],
        compute=lambda: selectors.translations_with_comments(page=page),
    )


@register.simple_tag(takes_context=True)
def comment_count(context, page) -> int:
    """Return how many published comments `page` has (its structured data says so)."""
    return _thread_of(context.get("request"), page).comment_count


def _thread_of(request, page):
    # The page's head (structured data) and its comment section ask for the same thread:
    # one query for both.
    threads = getattr(request, "_masthead_threads", None) if request is not None else None
    if threads is None:
        threads = {}
        if request is not None:
            request._masthead_threads = threads
    if page.pk not in threads:
        # From the cache until the thread changes: its comment count is on every article.
        threads[page.pk] = tagged_value(
            f"thread-of-page:{page.pk}",
            tags=[f"page:{page.pk}", "site"],
            compute=lambda: services.thread_for_page(page),
        )
    return threads[page.pk]


@register.simple_tag
def submission_key() -> str:
    """Return a new random key for one rendering of the comment form (see views)."""
    return secrets.token_urlsafe(18)


@register.simple_tag
def discussion_feed_url(page) -> str:
    """Return the address of the RSS feed of comments on `page` (its thread key is its id)."""
    return reverse("discussion:thread_feed", args=[str(page.pk)])


@register.filter
def avatar_of(comment) -> dict:
    """Return the initials avatar for a comment's author."""
    return avatar(comment.author_name)


@register.filter
def bidi_clean(text: str) -> str:
    """Return a reader's `text` (a name) without bidi embedding, override or isolate controls.

    Names are stored without them now; one stored before may still carry an RLO (U+202E),
    which would otherwise reverse what follows it in the comment's header.
    """
    return bidi_controls_strip(text)

"""{% discussion page %}: the comment section of an article; {% discussion_feed_url page %}."""

import secrets

from django import template
from django.conf import settings
from django.urls import reverse

from masthead.core.locale import locale_codes
from masthead.discussion import selectors, services
from masthead.discussion.presentation import avatar, thread_context
from masthead.discussion.rendering import bidi_controls_strip

register = template.Library()


@register.inclusion_tag("discussion/section.html", takes_context=True)
def discussion(context, page):
    """Render the discussion of `page`: count, form, tabs and the first page of comments."""
    request = context["request"]
    thread = _thread_of(request, page)
    sort = request.GET.get("sort", settings.DISCUSSION_DEFAULT_SORT)
    result = thread_context(request, thread, sort=sort, comment_id=request.GET.get("comment"))
    if sort == "inline":  # the "Inline Feedbacks" tab, for readers without JavaScript
        result.update(sort="inline", inline_comments=selectors.inline_feedback(thread=thread))
    result.update(
        request=request,
        article=page,
        feedback_counts=selectors.inline_feedback_counts(thread=thread),
        # Only a site with translations can have them: one language, no query.
        other_languages=selectors.translations_with_comments(page=page)
        if len(locale_codes()) > 1
        else [],
        posted=request.GET.get("posted", ""),
        notify=request.GET.get("notify", ""),
        user=request.user,
    )
    return result


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
        threads[page.pk] = services.thread_for_page(page)
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

"""Shape selector results for templates: a page's context, avatars."""

import hashlib

from django.conf import settings

from masthead.discussion import selectors, services

AVATAR_COLOURS = [
    "#8c1d17",
    "#0b6e4f",
    "#1f4e79",
    "#6b3fa0",
    "#a05a00",
    "#2f6f6f",
    "#5c5c5c",
    "#9b2c5a",
]


def avatar(name: str) -> dict:
    """Return initials and a colour derived from `name`: an avatar with no third-party service."""
    words = [word for word in name.split() if word[:1].isalnum()]
    initials = "".join(word[0] for word in words[:2]).upper() or "?"
    digest = hashlib.sha256(name.encode()).digest()
    return {"initials": initials, "colour": AVATAR_COLOURS[digest[0] % len(AVATAR_COLOURS)]}


def thread_context(request, thread, *, sort="newest", cursor=None, comment_id=None) -> dict:
    """Return the template context for a page of `thread`."""
    if sort not in selectors.SORTS:
        sort = "newest"
    limit = settings.DISCUSSION_PAGE_SIZE
    located = None
    if comment_id and str(comment_id).isdigit() and not cursor:
        cursor = selectors.comment_locate(thread=thread, comment_id=int(comment_id), sort=sort)
        located = int(comment_id) if cursor else None
    page = selectors.thread_page(thread=thread, sort=sort, cursor=cursor, limit=limit)
    return {
        "thread": thread,
        "page": page,
        "sort": sort,
        "located": located,
        "is_first_page": cursor is None,
        "closed": services.thread_is_closed(thread),
        "max_depth": settings.DISCUSSION_NESTING_DEPTH,
        "max_length": settings.DISCUSSION_MAX_LENGTH,
    }

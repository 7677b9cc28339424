"""Shape selector results for templates: nesting depth, flat deep replies, avatars."""

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


def flatten_deep_replies(comments, max_depth: int) -> None:
    """Show replies below `max_depth` flat under their ancestor at that depth, "@name" style."""
    for comment in comments:
        if comment.depth + 1 >= max_depth:
            flat = []
            stack = list(reversed(comment.replies))
            while stack:
                reply = stack.pop()
                reply.flat = True
                flat.append(reply)
                stack.extend(reversed(reply.replies))
                reply.replies = []
            flat.sort(key=lambda reply: (reply.created, reply.pk))
            comment.replies = flat
        else:
            flatten_deep_replies(comment.replies, max_depth)


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
    flatten_deep_replies(page.comments, settings.DISCUSSION_NESTING_DEPTH)
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

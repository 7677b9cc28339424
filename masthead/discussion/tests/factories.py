"""Builders for discussion test data."""

from datetime import timedelta

from django.utils import timezone

from masthead.discussion import services
from masthead.publishing.tests import factories as publishing


def article_thread(title: str = "A story worth discussing", **article_options):
    """Create a published article and return (article, its thread)."""
    section = publishing.section_create("City")
    article = publishing.article_create(section, title, **article_options)
    return article, services.thread_for_page(article)


def guest(name: str = "Ada Guest", *, reader: str | None = None) -> services.Author:
    """Return a guest author with a reader id of their own."""
    return services.Author(
        name=name, email=f"{name.split()[0].lower()}@example.org", reader=reader or f"r-{name}"
    )


def comments_seed(thread, count: int, *, start=None, replies_each: int = 0) -> list:
    """Post `count` top-level comments a minute apart (oldest first), each with some replies."""
    start = start or timezone.now() - timedelta(days=2)
    made = []
    for number in range(count):
        comment = services.comment_post(
            thread=thread,
            text=f"Comment number {number}",
            author=guest(f"Reader {number}"),
            created=start + timedelta(minutes=number),
        )
        made.append(comment)
        for reply in range(replies_each):
            services.comment_post(
                thread=thread,
                text=f"Reply {reply} to {number}",
                author=guest(f"Replier {reply}"),
                parent_id=comment.pk,
                created=start + timedelta(minutes=number, seconds=reply + 1),
            )
    return made


def comments_bulk(thread, count: int, *, replies_each: int = 0, start=None) -> None:
    """Insert `count` published top-level comments (and replies) fast, with exact counters."""
    from masthead.discussion.models import Comment, Thread

    start = start or timezone.now() - timedelta(days=30)
    roots = Comment.objects.bulk_create(
        Comment(
            thread=thread,
            author_name=f"Reader {number}",
            text=f"Bulk comment {number}",
            html=f"<p>Bulk comment {number}</p>",
            created=start + timedelta(seconds=number * 10),
            score=(number * 7) % 23 - 11,
            upvotes=(number * 7) % 23,
            downvotes=11,
            reply_count=replies_each,
            listed=True,
        )
        for number in range(count)
    )
    replies = [
        Comment(
            thread=thread,
            parent=root,
            root=root,
            depth=1,
            author_name=f"Replier {reply}",
            text=f"Bulk reply {reply}",
            html=f"<p>Bulk reply {reply}</p>",
            created=root.created + timedelta(seconds=reply + 1),
            listed=True,
        )
        for root in roots
        for reply in range(replies_each)
    ]
    Comment.objects.bulk_create(replies, batch_size=500)
    Thread.objects.filter(pk=thread.pk).update(comment_count=count * (1 + replies_each))

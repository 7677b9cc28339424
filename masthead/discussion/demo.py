"""Load the demo discussions under the demo articles (after publishing's part of the demo)."""

import html
import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from masthead.discussion import services
from masthead.discussion.demo_content import DISCUSSIONS, READERS
from masthead.discussion.models import Comment, Vote
from masthead.publishing.models import ArticlePage

CONTEXT_LENGTH = 32


@dataclass
class DemoReport:
    created: list[str] = field(default_factory=list)


def _plain(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _anchor_for(article: ArticlePage, quote: str) -> services.Anchor:
    """Anchor `quote` like a reader's selection: exact text, context, and its marked block."""
    body_text = " ".join(
        _plain(str(block.value if block.block_type != "feedback" else block.value["text"]))
        for block in article.body
        if block.block_type in ("paragraph", "feedback")
    )
    start = body_text.find(quote)
    prefix = body_text[max(0, start - CONTEXT_LENGTH) : start] if start >= 0 else ""
    suffix = (
        body_text[start + len(quote) : start + len(quote) + CONTEXT_LENGTH] if start >= 0 else ""
    )
    block_id = ""
    for block in article.body:
        if block.block_type == "feedback" and quote in _plain(str(block.value["text"])):
            block_id = block.id
    return services.Anchor(block=block_id, exact=quote, prefix=prefix, suffix=suffix)


@transaction.atomic
def demo_load() -> DemoReport:
    """Post the demo readers' comments, replies, votes and inline feedback, once."""
    report = DemoReport()
    readers = {reader["key"]: reader for reader in READERS}
    now = timezone.now()
    for slug, comments in DISCUSSIONS.items():
        article = ArticlePage.objects.filter(slug=slug).first()
        if article is None:
            continue
        thread = services.thread_for_page(article)
        if Comment.objects.filter(thread=thread).exists():
            continue  # already loaded, or real readers have started: leave it alone
        posted = {}
        for data in sorted(comments, key=lambda item: item["minutes_after"]):
            reader = readers[data["reader"]]
            created = min(
                article.date + timedelta(minutes=data["minutes_after"]), now - timedelta(minutes=1)
            )
            feedback = data.get("feedback")
            comment = services.comment_post(
                thread=thread,
                text=data["text"],
                author=services.Author(
                    name=reader["name"], email=reader["email"], reader=f"demo-{reader['key']}"
                ),
                parent_id=posted[data["parent"]].pk if data["parent"] else None,
                anchor=_anchor_for(article, feedback["quote"]) if feedback else None,
                created=created,
                # Scored like any comment, but not rate-limited: it is an import.
                context={"source": "import"},
            )
            posted[data["ref"]] = comment
            _votes_add(comment, *data["votes"])
        report.created.append(f"discussion under {article.title} ({len(posted)} comments)")
    return report


def _votes_add(comment: Comment, up: int, down: int) -> None:
    votes = [Vote(comment=comment, voter=f"guest:demo-voter-{n}", value=1) for n in range(up)]
    votes += [
        Vote(comment=comment, voter=f"guest:demo-voter-{up + n}", value=-1) for n in range(down)
    ]
    Vote.objects.bulk_create(votes)
    Comment.objects.filter(pk=comment.pk).update(
        upvotes=F("upvotes") + up, downvotes=F("downvotes") + down, score=F("score") + up - down
    )

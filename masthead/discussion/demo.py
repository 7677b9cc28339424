"""Load the demo discussions under the demo articles (after publishing's part of the demo).

Besides the short discussions of ``demo_content.DISCUSSIONS``, this posts the long generated
debate (``demo_content.debate_comments``), partly by signed-in demo reader accounts, and the
comments under the Russian and Arabic translations, each translation in its own thread.
Everything goes through ``services.comment_post``, as a reader's comment would.
"""

import html
import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Locale, Site

from masthead.discussion import services
from masthead.discussion.demo_content import DISCUSSIONS, READERS, debate_comments, demo_data
from masthead.discussion.models import Comment, Vote
from masthead.publishing.models import ArticlePage

CONTEXT_LENGTH = 32


@dataclass
class DemoReport:
    created: list[str] = field(default_factory=list)
    reader_accounts: list[str] = field(default_factory=list)  # usernames created by this run


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


def _guest(reader: dict) -> services.Author:
    return services.Author(
        name=reader["name"], email=reader["email"], reader=f"demo-{reader['key']}"
    )


@transaction.atomic
def demo_load() -> DemoReport:
    """Post the demo readers' comments, replies, votes and inline feedback, once."""
    report = DemoReport()
    authors = {reader["key"]: _guest(reader) for reader in READERS}
    authors.update(_accounts_ensure(report))
    # The demo's own articles are those in the site's language; translations share their slug.
    source = Site.objects.get(is_default_site=True).root_page.locale
    for slug, comments in DISCUSSIONS.items():
        _discussion_load(_article(slug, source), comments, authors, report)

    debate = demo_data("debate.json")
    debaters = authors | {
        guest["key"]: _guest(guest) for guest in debate["guests"] if "name" in guest
    }
    _discussion_load(_article(debate["article"], source), debate_comments(debate), debaters, report)

    for code, language in demo_data("translated_discussions.json")["languages"].items():
        locale = Locale.objects.filter(language_code=code).first()
        readers = authors | {reader["key"]: _guest(reader) for reader in language["readers"]}
        for slug, comments in language["discussions"].items():
            original = _article(slug, source)
            translation = original.get_translation_or_none(locale) if original and locale else None
            if translation is not None and translation.live:
                _discussion_load(translation, comments, readers, report)
    return report


def _article(slug: str, locale: Locale) -> ArticlePage | None:
    return ArticlePage.objects.filter(slug=slug, locale=locale).first()


def _accounts_ensure(report: DemoReport) -> dict[str, services.Author]:
    """The demo's signed-in readers (demo_data/accounts.json): created once, never staff, and
    without a usable password, so nobody can sign in as one until an operator gives it one."""
    user_model = get_user_model()
    authors = {}
    for account in demo_data("accounts.json")["accounts"]:
        user = user_model.objects.filter(username=account["username"]).first()
        if user is None:
            user = user_model.objects.create_user(
                username=account["username"],
                email=account["email"],
                password=None,  # an unusable password
                first_name=account["first_name"],
                last_name=account["last_name"],
            )
            report.created.append(f"reader account '{user.username}'")
            report.reader_accounts.append(user.username)
        authors[account["username"]] = services.Author(user=user)
    return authors


def _discussion_load(article, comments: list[dict], authors: dict, report: DemoReport) -> None:
    if article is None:
        return
    thread = services.thread_for_page(article)
    if Comment.objects.filter(thread=thread).exists():
        return  # already loaded, or real readers have started: leave it alone
    now = timezone.now()
    # The discussion happened between publication and now: when the article is younger than
    # the conversation, its times are compressed to fit rather than piling up at the end.
    available = (now - timedelta(minutes=1) - article.date).total_seconds() / 60
    latest = max(data["minutes_after"] for data in comments)
    scale = min(1.0, max(available, 0) / latest) if latest > 0 else 1.0
    posted, left_out = {}, 0
    for data in sorted(comments, key=lambda item: item["minutes_after"]):
        if data["parent"] and data["parent"] not in posted:
            left_out += 1  # its parent was held or refused: readers cannot answer it either
            continue
        created = min(
            article.date + timedelta(minutes=data["minutes_after"] * scale),
            now - timedelta(minutes=1),
        )
        feedback = data.get("feedback")
        try:
            comment = services.comment_post(
                thread=thread,
                text=data["text"],
                author=authors[data["reader"]],
                parent_id=posted[data["parent"]].pk if data["parent"] else None,
                anchor=_anchor_for(article, feedback["quote"]) if feedback else None,
                created=created,
                # Scored like any comment, but not rate-limited: it is an import.
                context={"source": "import"},
            )
        except services.RejectedError:
            # The site's moderation settings refuse it (a stricter threshold, a block list):
            # the demo keeps to the site's rules rather than failing.
            left_out += 1
            continue
        if comment.status == Comment.Status.PUBLISHED:
            posted[data["ref"]] = comment
            _votes_add(comment, *data["votes"])
        else:
            left_out += 1  # held for review: in the moderation queue, not in the thread
    note = f", {left_out} held or refused by moderation" if left_out else ""
    report.created.append(f"discussion under {article.title} ({len(posted)} comments{note})")


def _votes_add(comment: Comment, up: int, down: int) -> None:
    votes = [Vote(comment=comment, voter=f"guest:demo-voter-{n}", value=1) for n in range(up)]
    votes += [
        Vote(comment=comment, voter=f"guest:demo-voter-{up + n}", value=-1) for n in range(down)
    ]
    Vote.objects.bulk_create(votes)
    Comment.objects.filter(pk=comment.pk).update(
        upvotes=F("upvotes") + up, downvotes=F("downvotes") + down, score=F("score") + up - down
    )

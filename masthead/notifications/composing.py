"""What each mail says: subject, plain text and HTML, rendered from the templates once.

Mails are rendered when they are queued and stored in the outbound log, so a retry sends the
very mail that was logged, and a moderator can read exactly what went out.
"""

import html
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.models import Site

from masthead.core.urls import public_url
from masthead.discussion.models import Comment, Thread
from masthead.notifications import tokens
from masthead.notifications.models import Subscription
from masthead.publishing.models import OutletSettings


@dataclass
class Composed:
    subject: str
    text: str
    html: str
    headers: dict = field(default_factory=dict)


def outlet_name() -> str:
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        name = OutletSettings.for_site(site).name
        if name:
            return name
    return settings.WAGTAIL_SITE_NAME


def thread_title(thread: Thread) -> str:
    if thread.title:
        return thread.title
    if thread.page_id:
        return thread.page.title
    return thread.url


def thread_url(thread: Thread) -> str:
    if thread.page_id:
        return public_url(thread.page.get_url() or "/")
    return thread.url


def comment_permalink(comment: Comment) -> str:
    """Return the public address that opens the article at `comment`."""
    base = thread_url(comment.thread).split("#")[0].split("?")[0]
    return f"{base}?comment={comment.pk}#comment-{comment.pk}"


@dataclass(frozen=True)
class Excerpt:
    text: str
    html: str
    shortened: bool


def comment_excerpt(comment: Comment) -> Excerpt:
    """Return the comment's words, shortened to NOTIFICATIONS_EXCERPT_LENGTH characters.

    The HTML comes from the comment's stored HTML, which was sanitized when it was written;
    shortening it keeps its tags balanced.
    """
    limit = settings.NOTIFICATIONS_EXCERPT_LENGTH
    plain = html.unescape(strip_tags(comment.html)).strip() or comment.text
    shortened = len(plain) > limit
    return Excerpt(
        text=Truncator(plain).chars(limit),
        html=Truncator(comment.html).chars(limit, html=True),
        shortened=shortened,
    )


def unsubscribe_headers(*, email: str, subscription: Subscription | None) -> tuple[str, dict]:
    """Return the unsubscribe page's address and the RFC 2369 / RFC 8058 headers."""
    token = tokens.unsubscribe_token_make(email=email, subscription=subscription)
    link = public_url(reverse("notifications:unsubscribe", args=[token]))
    mailto = (
        f"mailto:{settings.NOTIFICATIONS_UNSUBSCRIBE_MAILTO}"
        f"?subject={quote('unsubscribe ' + token)}"
    )
    return link, {
        "List-Unsubscribe": f"<{link}>, <{mailto}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _render(name: str, context: dict) -> Composed:
    base = f"notifications/mail/{name}"
    subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
    return Composed(
        subject=subject[:300],
        text=render_to_string(f"{base}.txt", context),
        html=render_to_string(f"{base}.html", context),
    )


def confirmation_compose(subscription: Subscription) -> Composed:
    link = public_url(
        reverse("notifications:confirm", args=[tokens.confirm_token_make(subscription)])
    )
    context = {
        "outlet": outlet_name(),
        "subscription": subscription,
        "what": subscription.get_kind_display(),
        "title": thread_title(subscription.thread) if subscription.thread_id else "",
        "article_url": thread_url(subscription.thread) if subscription.thread_id else "",
        "confirm_url": link,
        "hours": settings.NOTIFICATIONS_CONFIRM_HOURS,
    }
    return _render("confirmation", context)


REASONS = {
    Subscription.Kind.THREAD: "you subscribed to new follow-up comments on this article",
    Subscription.Kind.REPLIES: "you asked to hear about replies to your comments on this article",
    Subscription.Kind.COMMENT: "you asked to hear about replies to this comment",
}


def comment_mail_context(comment: Comment) -> dict:
    """Return what every mail about `comment` says, whoever receives it.

    Built once per comment and shared across its recipients: a thread with a thousand
    subscribers must not look up the outlet and render the excerpt a thousand times.
    """
    return {
        "outlet": outlet_name(),
        "comment": comment,
        "author": comment.author_name,
        "title": thread_title(comment.thread),
        "excerpt": comment_excerpt(comment),
        "permalink": comment_permalink(comment),
        "article_url": thread_url(comment.thread),
    }


def notification_compose(
    comment: Comment, subscription: Subscription, shared: dict | None = None
) -> Composed:
    unsubscribe_url, headers = unsubscribe_headers(
        email=subscription.email, subscription=subscription
    )
    context = {
        **(shared or comment_mail_context(comment)),
        "is_reply": subscription.kind in (Subscription.Kind.REPLIES, Subscription.Kind.COMMENT),
        "reason": REASONS[subscription.kind],
        "unsubscribe_url": unsubscribe_url,
    }
    composed = _render("comment", context)
    composed.headers = headers
    return composed


def moderation_compose(
    comment: Comment, reasons: list[str], subscription, shared: dict | None = None
) -> Composed:
    unsubscribe_url, headers = unsubscribe_headers(
        email=subscription.email, subscription=subscription
    )
    context = {
        **(shared or comment_mail_context(comment)),
        "reasons": reasons,
        "review_url": review_url(),
        "unsubscribe_url": unsubscribe_url,
    }
    composed = _render("moderation", context)
    composed.headers = headers
    return composed


@dataclass(frozen=True)
class DigestEntry:
    comment: Comment
    excerpt: Excerpt
    permalink: str
    title: str
    awaiting_moderation: bool


def digest_compose(email: str, comments: list[tuple[Comment, bool]]) -> Composed:
    """Compose one mail carrying several comments ((comment, held for moderation) pairs)."""
    unsubscribe_url, headers = unsubscribe_headers(email=email, subscription=None)
    entries = [
        DigestEntry(
            comment=comment,
            excerpt=comment_excerpt(comment),
            permalink=comment_permalink(comment),
            title=thread_title(comment.thread),
            awaiting_moderation=held,
        )
        for comment, held in comments
    ]
    context = {
        "outlet": outlet_name(),
        "entries": entries,
        "count": len(entries),
        "unsubscribe_url": unsubscribe_url,
        "review_url": review_url(),
    }
    composed = _render("digest", context)
    composed.headers = headers
    return composed


def check_mail_compose(*, sent_by: str) -> Composed:
    context = {"outlet": outlet_name(), "sent_by": sent_by, "site_url": settings.SITE_URL}
    return _render("check", context)


def review_url() -> str:
    """Return where moderators review held comments: the moderation queue when installed."""
    try:
        return public_url(reverse("moderation_admin:queue"))
    except NoReverseMatch:
        return public_url(reverse("wagtailadmin_home"))

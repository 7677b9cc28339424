"""What each mail says: subject, plain text and HTML, rendered from the templates once.

Mails are rendered when they are queued and stored in the outbound log, so a retry sends the
very mail that was logged, and a moderator can read exactly what went out. Each is written in
its recipient's language (the one they subscribed in), whatever language the request or task
that queues it speaks, and says so in a Content-Language header.
"""

import html
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from masthead.core.urls import public_url
from masthead.discussion.models import Comment, Thread
from masthead.notifications import tokens
from masthead.notifications.models import Subscription
from masthead.publishing.models import OutletSettings

ASCII_SPACE = re.compile(r"[ \t\r\n\f\v]+")


@dataclass
class Composed:
    subject: str
    text: str
    html: str
    headers: dict = field(default_factory=dict)


def mail_language(language: str | None) -> str:
    """Return the language to write a mail in: `language` if the site speaks it, else the default.

    A stored code the site no longer offers (a language removed from LANGUAGES) falls back to
    the default rather than to a half-translated mail with a wrong Content-Language.
    """
    if language:
        try:
            return translation.get_supported_language_variant(language)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


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


def templates_render(templates: str, context: dict, *, language: str | None) -> Composed:
    """Render `<templates>_subject.txt`, `.txt` and `.html` in `language` (see mail_language).

    Everything the templates translate, and every lazy string in `context` (a subscription's
    kind, a reason), is written in that language; the other apps' mails (funding's receipts)
    are rendered here too.
    """
    language = mail_language(language)
    with translation.override(language):
        subject = _one_line(render_to_string(f"{templates}_subject.txt", context))
        return Composed(
            subject=subject[:300],
            text=render_to_string(f"{templates}.txt", context),
            html=render_to_string(f"{templates}.html", context),
            headers={"Content-Language": language},
        )


def _one_line(text: str) -> str:
    # Only ASCII white space is folded: the no-break spaces some languages write inside
    # amounts ("1 660 $" in French) and before punctuation must stay.
    return ASCII_SPACE.sub(" ", text).strip()


def _render(name: str, context: dict, *, language: str | None) -> Composed:
    return templates_render(f"notifications/mail/{name}", context, language=language)


def confirmation_compose(subscription: Subscription) -> Composed:
    link = public_url(
        reverse("notifications:confirm", args=[tokens.confirm_token_make(subscription)])
    )
    context = {
        "outlet": outlet_name(),
        "subscription": subscription,
        # Lazy: written in the mail's language when the template shows it.
        "what": Subscription.Kind(subscription.kind).label,
        "title": thread_title(subscription.thread) if subscription.thread_id else "",
        "article_url": thread_url(subscription.thread) if subscription.thread_id else "",
        "confirm_url": link,
        "hours": settings.NOTIFICATIONS_CONFIRM_HOURS,
    }
    return _render("confirmation", context, language=subscription.language)


# The first line of a notification's footer: why this address receives it.
REASONS = {
    Subscription.Kind.THREAD: _(
        "You receive this because you subscribed to new follow-up comments on this article."
    ),
    Subscription.Kind.REPLIES: _(
        "You receive this because you asked to hear about replies to your comments on this article."
    ),
    Subscription.Kind.COMMENT: _(
        "You receive this because you asked to hear about replies to this comment."
    ),
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
    composed = _render("comment", context, language=subscription.language)
    composed.headers.update(headers)
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
    composed = _render("moderation", context, language=subscription.language)
    composed.headers.update(headers)
    return composed


@dataclass(frozen=True)
class DigestEntry:
    comment: Comment
    excerpt: Excerpt
    permalink: str
    title: str
    awaiting_moderation: bool


def digest_compose(
    email: str, comments: list[tuple[Comment, bool]], *, language: str | None = None
) -> Composed:
    """Compose one mail carrying several comments ((comment, held for moderation) pairs),
    in `language` (the recipient's)."""
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
    composed = _render("digest", context, language=language)
    composed.headers.update(headers)
    return composed


def check_mail_compose(*, sent_by: str, language: str | None = None) -> Composed:
    context = {"outlet": outlet_name(), "sent_by": sent_by, "site_url": settings.SITE_URL}
    return _render("check", context, language=language)


def review_url() -> str:
    """Return where moderators review held comments: the moderation queue when installed."""
    try:
        return public_url(reverse("moderation_admin:queue"))
    except NoReverseMatch:
        return public_url(reverse("wagtailadmin_home"))

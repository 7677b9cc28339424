"""Subscriptions through the JSON API (mounted on the discussion API under /api/v1)."""

from typing import Literal

from django.utils import translation
from ninja import Router, Schema, Status
from pydantic import Field

from masthead.core.hashing import ip_hash
from masthead.core.text import EMAIL_MAX_LENGTH
from masthead.discussion import services as discussion_services
from masthead.discussion.models import Comment
from masthead.notifications import services

router = Router(tags=["notifications"])


class SubscriptionIn(Schema):
    email: str = Field("", max_length=EMAIL_MAX_LENGTH)
    kind: Literal["thread", "replies", "comment"] = "thread"
    # With kind "comment": the comment whose replies to hear about.
    comment: int | None = None
    # The language of the page subscribed from (its <html lang>): the mails are written in it.
    # Empty or one the site does not speak: the language this request is answered in.
    language: str = Field("", max_length=16)


class SubscriptionOut(Schema):
    status: Literal["subscribed", "confirmation_sent"]
    kind: str
    message: str


@router.post("/threads/{key}/subscriptions", response={202: SubscriptionOut})
def thread_subscribe(request, key: str, payload: SubscriptionIn):
    """Subscribe to a thread's new comments, or to replies to your comments, by email.

    Guests receive a confirmation mail first (double opt-in); signed-in readers are subscribed
    with their account's address at once.
    """
    thread = discussion_services.thread_get(key)
    comment = None
    if payload.kind == "comment":
        comment = Comment.objects.filter(pk=payload.comment or 0, thread=thread).first()
    language = services.page_language(payload.language)
    # The answer shows on that page: its messages (and refusals) are in the page's language.
    with translation.override(language):
        result = services.subscription_request(
            thread=thread,
            kind=payload.kind,
            email=payload.email,
            user=request.user,
            comment=comment,
            ip_hash=ip_hash(request),
            language=language,
        )
        message = result.message
    return Status(202, {"status": result.status, "kind": payload.kind, "message": message})

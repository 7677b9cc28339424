"""The public JSON API under /api/v1 (a contract: keep these paths and fields).

JSON bodies only: a form-encoded POST is refused, so no cross-site HTML form can post here.
Guests need no token (their writes carry no session); a write that rides on a signed-in
session must send the CSRF token that GET /threads/{key}/me returns, as X-CSRFToken.
Errors are {"error": "...", "fields": {...}}.
"""

import json
import logging
from datetime import datetime
from typing import Literal

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from pydantic import Field

from masthead.core.hashing import client_ip, ip_hash
from masthead.core.http import csrf_refused
from masthead.core.pagecache import tagged_value
from masthead.core.text import EMAIL_MAX_LENGTH
from masthead.discussion import readers, selectors, services, signals
from masthead.discussion.models import Comment


class JsonOnlyParser(Parser):
    """Accept request bodies only as application/json."""

    def parse_body(self, request: HttpRequest):
        if request.content_type != "application/json":
            raise services.DiscussionError(_("Send the request body as JSON (application/json)."))
        return super().parse_body(request)


logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def session_csrf_check(request: HttpRequest) -> bool:
    """Let every request in, except a write on a signed-in session without its CSRF token.

    Ninja's views are exempt from the CSRF middleware, and its own check comes only with
    session-only authentication; this API serves guests too, so it runs as the API's `auth`
    (routes with their own, like the analyze API's keys, check for themselves).
    """
    if request.method in SAFE_METHODS or not request.user.is_authenticated:
        return True
    if csrf_refused(request):
        raise services.NotAllowedError(
            _(
                "You are signed in, so this request must carry your CSRF token (the "
                "X-CSRFToken header, from GET /api/v1/threads/{key}/me). Reload the page "
                "and try again."
            )
        )
    return True


api = NinjaAPI(
    title="Masthead API",
    version="1",
    urls_namespace="api-v1",
    parser=JsonOnlyParser(),
    auth=session_csrf_check,
    docs_url=None,  # the interactive docs page loads third-party scripts; the schema is enough
)


@api.exception_handler(services.DiscussionError)
def discussion_error(request, error: services.DiscussionError):
    fields = {error.field: error.message} if error.field else {}
    body = {"error": error.message, "fields": fields}
    if getattr(error, "code", ""):
        body["code"] = error.code  # e.g. "nudge": the reader may confirm and post anyway
    response = api.create_response(request, body, status=error.status)
    if isinstance(error, services.RateLimitedError):
        response["Retry-After"] = str(error.retry_after)
    return response


@api.exception_handler(HttpError)
def http_error(request, error: HttpError):
    cause = error.__cause__
    if isinstance(cause, services.DiscussionError):
        message = cause.message
    elif cause is not None:
        message = _("The request body is not valid JSON.")
    else:
        message = str(error)
    return api.create_response(request, {"error": message, "fields": {}}, status=error.status_code)


@api.exception_handler(NinjaValidationError)
def validation_error(request, error: NinjaValidationError):
    fields = {}
    for problem in error.errors:
        location = [
            str(part)
            for part in problem.get("loc", ())
            if part not in ("body", "query", "path", "payload")
        ]
        # Pydantic's own wording (English): it says which rule failed, for developers.
        fields[".".join(location) or "body"] = problem.get("msg", _("is not valid"))
    # Translators: %(fields)s lists the names of the JSON fields, as sent ("text, parent").
    message = _("Some fields are missing or not valid: %(fields)s.") % {
        "fields": ", ".join(sorted(fields))
    }
    if "body" in fields and len(fields) == 1:
        message = _("The request body is not valid JSON for this call.")
    return api.create_response(request, {"error": message, "fields": fields}, status=400)


class AuthorOut(Schema):
    name: str
    # Their website (kept by imports from WordPress, Isso, Commento), "" when none.
    url: str = ""


class CommentOut(Schema):
    id: int
    parent: int | None
    # The comment answered, when the reply is stored beside it at the deepest level.
    replied_to: int | None = None
    depth: int
    author: AuthorOut
    html: str
    created: datetime
    edited: datetime | None
    score: int
    upvotes: int
    downvotes: int
    reply_count: int
    status: str
    deleted: bool
    # A moderator pinned this top-level comment: pinned comments lead the first page of
    # every sort order (wpDiscuz's "Stick"; Remark42's "pin").
    pinned: bool = False
    # A moderator closed the conversation under this comment (wpDiscuz's "Close"): a reply
    # to it is refused with 409.
    replies_closed: bool = False
    replies: list["CommentOut"] = []


class ErrorOut(Schema):
    error: str
    fields: dict[str, str] = {}
    code: str | None = None


class SubscriptionStatusOut(Schema):
    status: Literal["subscribed", "confirmation_sent", "error"]
    message: str


class PostedCommentOut(CommentOut):
    # Present when the post asked to "subscribe": what came of it.
    subscription: SubscriptionStatusOut | None = None


class ThreadOut(Schema):
    key: str
    count: int
    closed: bool


class ThreadPageOut(Schema):
    thread: ThreadOut
    comments: list[CommentOut]
    next: str | None


class CommentIn(Schema):
    author_name: str = Field("", max_length=200)
    author_email: str = Field("", max_length=EMAIL_MAX_LENGTH)
    text: str = Field(..., max_length=100_000)
    parent: int | None = None
    anchor_block: str = Field("", max_length=64)
    anchor_exact: str = Field("", max_length=2000)
    anchor_prefix: str = Field("", max_length=200)
    anchor_suffix: str = Field("", max_length=200)
    # Email me about new comments on the thread, replies to my comments, or to this comment.
    subscribe: Literal["thread", "replies", "comment"] | None = None
    # For the moderation screen: the form's signed start time, the honeypot field (people
    # leave it empty), a proof-of-work solution, and "post anyway" after a warning.
    form_token: str | None = Field(None, max_length=500)
    website: str = Field("", max_length=500)
    altcha: str = Field("", max_length=4000)
    confirm: bool = False


class CommentEditIn(Schema):
    text: str = Field(..., max_length=100_000)
    confirm: bool = False


class VoteIn(Schema):
    value: Literal[-1, 0, 1]


class VoteOut(Schema):
    score: int
    upvotes: int
    downvotes: int


class CountOut(Schema):
    count: int


class ReaderOut(Schema):
    csrf_token: str
    form_token: str  # signed start time of the comment form, sent back with the comment
    authenticated: bool
    name: str
    votes: dict[str, int]
    editable: list[int]
    extras: dict = {}


class ListQuery(Schema):
    sort: Literal["newest", "oldest", "most_voted"] = "newest"
    limit: int = Field(10, ge=1, le=200)
    cursor: str | None = Field(None, max_length=200)


def comment_out(comment: Comment) -> dict:
    """Serialize `comment` and its `.replies` tree, without authors' emails or IP hashes."""
    # A loop, not recursion: a conversation is as deep as it was stored.
    result = _comment_fields(comment)
    pending = [(comment, result)]
    while pending:
        node, serialized = pending.pop()
        for reply in getattr(node, "replies", []):
            child = _comment_fields(reply)
            serialized["replies"].append(child)
            pending.append((reply, child))
    return result


def _comment_fields(comment: Comment) -> dict:
    # Deleted, or removed by a moderator but kept as the stand-in for its replies.
    deleted = comment.status == Comment.Status.DELETED or comment.is_placeholder
    return {
        "id": comment.pk,
        "parent": comment.parent_id,
        "replied_to": comment.replied_to_id,
        "depth": comment.depth,
        "author": {
            "name": "" if deleted else comment.author_name,
            "url": "" if deleted else comment.author_url,
        },
        "html": "" if deleted else comment.html,
        "created": comment.created,
        "edited": comment.edited,
        "score": comment.score,
        "upvotes": comment.upvotes,
        "downvotes": comment.downvotes,
        "reply_count": comment.reply_count,
        "status": comment.status,
        "deleted": deleted,
        "pinned": selectors.leads(comment),
        "replies_closed": comment.replies_closed,
        "replies": [],
    }


def thread_out(thread) -> dict:
    return {
        "key": thread.key,
        "count": thread.comment_count,
        "closed": services.thread_is_closed(thread),
    }


def request_author(request, *, name="", email="") -> services.Author:
    """Return the acting reader: the signed-in user, or a guest known by the reader cookie."""
    user = request.user if request.user.is_authenticated else None
    return services.Author(
        name=name,
        email=email,
        user=user,
        reader=readers.reader_hash(request),
        ip_hash=ip_hash(request),
    )


def screening_context(request, **extra) -> dict:
    """Return what the moderation screen may use about the request posting a comment.

    The raw address and browser go no further than the screen (an optional spam service may
    need them); only keyed hashes are ever stored.
    """
    return {
        "reader": readers.reader_hash(request),
        "is_staff": bool(request.user.is_authenticated and request.user.is_staff),
        "ip": client_ip(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:500],
        "referrer": request.META.get("HTTP_REFERER", "")[:500],
        **extra,
    }


@api.get("/threads/{key}/comments", response=ThreadPageOut, tags=["discussion"])
def thread_comments(request, key: str, query: Query[ListQuery]):
    """List a page of top-level comments with their replies."""

    def listing() -> tuple:
        thread = services.thread_get(key)
        try:
            page = selectors.thread_page(
                thread=thread, sort=query.sort, cursor=query.cursor, limit=query.limit
            )
        except selectors.CursorError as error:
            raise services.DiscussionError(str(error), field="cursor") from error
        # Serialized here, not through the schema above (which documents it): validating
        # hundreds of comments on every read would cost more than the query.
        comments = json.dumps([comment_out(c) for c in page.comments], cls=DjangoJSONEncoder)
        return thread, comments, page.next_cursor

    if query.cursor:
        # Later pages are read far less, and anyone can invent cursors: not kept.
        thread, comments, next_cursor = listing()
    else:
        # The first page in each order and size is the same for every reader (their votes
        # come from /me): serialized once, kept until the thread changes.
        thread, comments, next_cursor = tagged_value(
            f"api-thread:{key}:{query.sort}:{query.limit}",
            # An article's thread is keyed by its page's id: the page's tag, which a comment
            # changes anyway (discussion.receivers), covers it.
            tags=[f"thread:{key}", *([f"page:{key}"] if key.isdigit() else [])],
            compute=listing,
        )
    # Whether the thread is closed follows the clock (threads close after some days): asked
    # on every read.
    head = json.dumps({"thread": thread_out(thread), "next": next_cursor}, cls=DjangoJSONEncoder)
    return HttpResponse(f'{head[:-1]}, "comments": {comments}}}', content_type="application/json")


@api.post(
    "/threads/{key}/comments",
    response={201: PostedCommentOut, 409: ErrorOut},
    tags=["discussion"],
)
def thread_comment_post(request, key: str, payload: CommentIn, response: HttpResponse):
    """Post a comment (or, with "parent", a reply); its status says if it awaits review.

    409 when the discussion is closed, or when "parent" is a comment whose replies a moderator
    closed (its `replies_closed`); "error" says which.

    A retry carrying the first attempt's `Idempotency-Key` header answers that attempt's
    comment (with `Idempotent-Replayed: true`) instead of posting it again.
    """
    readers.reader_ensure(request, response)
    comment = services.comment_post(
        # The page only says when the thread closes by age; read by comment_post if it does.
        thread=services.thread_get(key, with_page=False),
        text=payload.text,
        author=request_author(request, name=payload.author_name, email=payload.author_email),
        parent_id=payload.parent,
        anchor=services.Anchor(
            payload.anchor_block, payload.anchor_exact, payload.anchor_prefix, payload.anchor_suffix
        ),
        context=screening_context(
            request,
            form_token=payload.form_token,
            honeypot=payload.website,
            altcha=payload.altcha,
            confirmed=payload.confirm,
        ),
        idempotency_key=request.headers.get("Idempotency-Key"),
    )
    result = comment_out(comment)
    if getattr(comment, "replayed", False):
        response["Idempotent-Replayed"] = "true"
        result["subscription"] = None  # the first attempt already asked
    else:
        result["subscription"] = comment_extras_request(
            request, comment, subscribe=payload.subscribe
        )
    return Status(201, result)


def reader_extras(request, thread) -> dict:
    """Collect what other apps add to a reader's state (see signals.reader_state)."""
    extras = {}
    for _receiver, answer in signals.reader_state.send(
        sender=Comment, request=request, thread=thread
    ):
        if answer:
            extras.update(answer)
    return extras


def comment_extras_request(request, comment: Comment, *, subscribe: str | None) -> dict | None:
    """Pass what the reader asked for with their comment to the apps that provide it."""
    answers = signals.comment_submitted.send_robust(
        sender=Comment, comment=comment, request=request, subscribe=subscribe or ""
    )
    for receiver, answer in answers:
        if isinstance(answer, Exception):
            # The comment is committed: its answer says so; the failure goes to the log.
            logger.error(
                "After comment %s was stored, %s failed",
                comment.pk,
                getattr(receiver, "__qualname__", receiver),
                exc_info=(type(answer), answer, answer.__traceback__),
            )
    return next((a for _, a in answers if a and not isinstance(a, Exception)), None)


@api.get("/threads/{key}/count", response=CountOut, tags=["discussion"])
def thread_count(request, key: str):
    """Count the published comments of a thread."""
    return {"count": services.thread_get(key).comment_count}


@api.get("/threads/{key}/me", response=ReaderOut, tags=["discussion"])
def thread_reader_state(request, key: str, response: HttpResponse):
    """Return what is personal to this reader on a thread: a form token, votes, own comments.

    Kept out of the article HTML, so that HTML is identical for every anonymous reader and can
    be cached.
    """
    thread = services.thread_get(key)
    readers.reader_ensure(request, response)
    author = request_author(request)
    response["Cache-Control"] = "private, no-store"
    return {
        "csrf_token": get_token(request),
        "form_token": readers.form_token(),
        "extras": reader_extras(request, thread),
        "authenticated": author.user is not None,
        "name": author.user.get_full_name() or author.user.get_username() if author.user else "",
        "votes": {
            str(pk): value
            for pk, value in selectors.reader_votes(thread=thread, voter=author.voter_key).items()
        },
        "editable": selectors.reader_editable(thread=thread, author=author),
    }


@api.post("/comments/{comment_id}/votes", response=VoteOut, tags=["discussion"])
def comment_vote(request, comment_id: int, payload: VoteIn, response: HttpResponse):
    """Vote a comment up (1) or down (-1), or withdraw the vote (0)."""
    readers.reader_ensure(request, response)
    author = request_author(request)
    comment = services.vote_cast(
        comment_id=comment_id, voter=author.voter_key, value=payload.value, ip_hash=author.ip_hash
    )
    return {"score": comment.score, "upvotes": comment.upvotes, "downvotes": comment.downvotes}


@api.patch("/comments/{comment_id}", response=CommentOut, tags=["discussion"])
def comment_edit(request, comment_id: int, payload: CommentEditIn):
    """Edit your own comment, within the edit window and while it has no replies."""
    comment = services.comment_edit(
        comment_id=comment_id,
        text=payload.text,
        author=request_author(request),
        context=screening_context(request, confirmed=payload.confirm),
    )
    return comment_out(comment)


@api.delete("/comments/{comment_id}", response={204: None}, tags=["discussion"])
def comment_delete(request, comment_id: int):
    """Delete your own comment."""
    services.comment_delete(comment_id=comment_id, author=request_author(request))
    return Status(204, None)

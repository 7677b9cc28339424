"""HTML fragments for the comment section, and the form post that works without JavaScript."""

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from masthead.core import idempotency
from masthead.core.http import request_is_same_origin
from masthead.discussion import readers, selectors, services
from masthead.discussion.api import comment_extras_request, request_author, screening_context
from masthead.discussion.models import Comment
from masthead.discussion.presentation import thread_context


@require_GET
def thread_fragment(request, key):
    """Render a page of conversations: a sort tab, "Load more", or a permalink's page."""
    thread = _thread_or_404(key)
    try:
        context = thread_context(
            request,
            thread,
            sort=request.GET.get("sort", "newest"),
            cursor=request.GET.get("cursor") or None,
            comment_id=request.GET.get("comment"),
        )
    except selectors.CursorError as error:
        return HttpResponseBadRequest(str(error))
    return TemplateResponse(request, "discussion/_page.html", context)


@require_GET
def inline_fragment(request, key):
    """Render the "Inline Feedbacks" tab: comments on passages, each with its quote."""
    thread = _thread_or_404(key)
    comments = selectors.inline_feedback(thread=thread)
    return TemplateResponse(
        request,
        "discussion/_inline_list.html",
        {"thread": thread, "comments": comments, "closed": services.thread_is_closed(thread)},
    )


@require_GET
def comment_fragment(request, comment_id):
    """Render one comment as it appears in the thread (used after posting with JavaScript)."""
    comment = get_object_or_404(
        Comment.objects.select_related("thread", "parent", "replied_to"), pk=comment_id
    )
    if not comment.is_visible and comment.status != Comment.Status.PENDING:
        raise Http404("No such comment.")
    comment.replies = []
    answered = comment.replied_to or comment.parent
    comment.replies_closed_above = answered is not None and answered.replies_closed
    return TemplateResponse(
        request,
        "discussion/_comment.html",
        {
            "comment": comment,
            "thread": comment.thread,
            "max_depth": settings.DISCUSSION_NESTING_DEPTH,
        },
    )


@csrf_exempt
@require_POST
def comment_form_post(request, key):
    """Post a top-level comment from the plain HTML form, then return to the article."""
    if request.user.is_authenticated:
        return csrf_protect(_comment_form_post)(request, key)
    if not request_is_same_origin(request):
        return TemplateResponse(
            request,
            "discussion/form_error.html",
            {
                "message": _("Please post your comment from the article page."),
                "form": request.POST,
            },
            status=403,
        )
    return _comment_form_post(request, key)


def _comment_form_post(request, key):
    thread = _thread_or_404(key)
    back = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    response = HttpResponseRedirect(back)
    readers.reader_ensure(request, response)
    parent = request.POST.get("parent") or None
    try:
        comment = services.comment_post(
            idempotency_key=_form_idempotency_key(request),
            thread=thread,
            text=request.POST.get("text", ""),
            author=request_author(
                request,
                name=request.POST.get("author_name", ""),
                email=request.POST.get("author_email", ""),
            ),
            parent_id=int(parent) if parent and parent.isdigit() else None,
            context=screening_context(
                request,
                honeypot=request.POST.get("website", ""),
                form_token=request.POST.get("form_token") or None,
                confirmed=request.POST.get("confirm") == "1",
            ),
        )
    except services.DiscussionError as error:
        # Nothing the reader typed is lost: the page shows the message and their text, and
        # after a warning ("nudge") a button that posts it anyway.
        response = TemplateResponse(
            request,
            "discussion/form_error.html",
            {
                "message": error.message,
                "form": request.POST,
                "back": back,
                "nudge": getattr(error, "code", "") == "nudge",
                "action": request.path,
            },
            status=error.status,
        )
        if isinstance(error, services.RateLimitedError):
            response["Retry-After"] = str(error.retry_after)
        return response
    state = "published" if comment.status == Comment.Status.PUBLISHED else "pending"
    location = f"{back.split('#')[0].split('?')[0]}?comment={comment.pk}&posted={state}"
    subscribe = request.POST.get("subscribe", "")
    if subscribe in {"thread", "replies", "comment"} and not getattr(comment, "replayed", False):
        extras = comment_extras_request(request, comment, subscribe=subscribe)
        if extras:
            location += f"&notify={extras['status']}"
    response["Location"] = f"{location}#comment-{comment.pk}"
    return response


def _form_idempotency_key(request) -> str | None:
    """Return the key that makes a resubmitted form post once, from its per-render field."""
    submitted = request.POST.get("idempotency_key", "")
    if not submitted or not idempotency.KEY_FORMAT.match(submitted):
        return submitted or None  # a malformed one is refused by the service, with its reason
    # A cached article page hands one key to every guest reading it for a while: bound to the
    # text as well, two readers' different comments never share a key.
    fields = (submitted, request.POST.get("text", ""), request.POST.get("parent", ""))
    return "form-" + idempotency.idempotency_hash(*fields)[:48]


def _thread_or_404(key):
    try:
        return services.thread_get(key)
    except services.NotFoundError as error:
        raise Http404(error.message) from error

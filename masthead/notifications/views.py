"""Pages behind the links in mails, the "Notify of" form without JavaScript, and a reader's
own subscriptions.

Confirm and unsubscribe links carry a signed token, so they work without logging in. Opening
a link never changes anything (mail scanners open links too); a button press (POST) does.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from masthead.core.hashing import ip_hash
from masthead.core.http import request_is_same_origin
from masthead.discussion import services as discussion_services
from masthead.notifications import composing, services, tokens
from masthead.notifications.models import Subscription


def _no_store(response):
    # Token pages are personal: no cache (ours or a proxy's) may keep them.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"  # the token must not leak to other sites
    return response


def _token_problem(request, error: tokens.TokenError):
    return _no_store(
        TemplateResponse(
            request,
            "notifications/token_problem.html",
            {"message": error.message, "expired": error.expired},
            status=410 if error.expired else 400,
        )
    )


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """Show the confirmation button for a mailed link; pressing it confirms."""
    try:
        claim = tokens.confirm_token_read(token)
    except tokens.TokenError as error:
        return _token_problem(request, error)
    if request.method == "GET":
        subscription = Subscription.objects.filter(
            pk=claim.subscription_id, email=claim.email
        ).first()
        if subscription is None:
            return _token_problem(request, tokens.TokenError(tokens.subscription_gone_message()))
        return _no_store(
            TemplateResponse(
                request,
                "notifications/confirm.html",
                {"subscription": subscription, **_target(subscription)},
            )
        )
    try:
        result = services.subscription_confirm(token)
    except tokens.TokenError as error:
        return _token_problem(request, error)
    return _no_store(
        TemplateResponse(
            request,
            "notifications/confirmed.html",
            {
                "subscription": result.subscription,
                "already": result.already,
                **_target(result.subscription),
            },
        )
    )


def _target(subscription) -> dict:
    if subscription is None or subscription.thread_id is None:
        return {"title": "", "article_url": ""}
    return {
        "title": composing.thread_title(subscription.thread),
        "article_url": composing.thread_url(subscription.thread),
    }


@csrf_exempt  # RFC 8058: mail clients POST here with nothing but the signed token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """Offer "this thread" or "everything from this site"; RFC 8058 one-click POSTs here too."""
    try:
        target = services.unsubscribe_target(token)
    except tokens.TokenError as error:
        return _token_problem(request, error)
    context = {"target": target, "email": target.email, **_target(target.subscription)}
    if request.method == "GET":
        return _no_store(TemplateResponse(request, "notifications/unsubscribe.html", context))

    one_click = request.POST.get("List-Unsubscribe") == "One-Click"
    everything = request.POST.get("scope") == "everything"
    cancelled = services.unsubscribe(token, everything=everything)
    context.update(cancelled=cancelled, everything=everything or target.subscription is None)
    if one_click:
        return _no_store(HttpResponse(_("Unsubscribed.") + "\n", content_type="text/plain"))
    return _no_store(TemplateResponse(request, "notifications/unsubscribed.html", context))


@csrf_exempt
@require_POST
def thread_subscribe(request, key: str):
    """The "Notify of" form on the article, for readers without JavaScript."""
    if request.user.is_authenticated:
        return csrf_protect(_thread_subscribe)(request, key)
    if not request_is_same_origin(request):
        return _form_problem(request, _("Please subscribe from the article page."), status=403)
    return _thread_subscribe(request, key)


def _thread_subscribe(request, key: str):
    back = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    try:
        thread = discussion_services.thread_get(key)
        result = services.subscription_request(
            thread=thread,
            kind=request.POST.get("kind", ""),
            email=request.POST.get("email", ""),
            user=request.user,
            ip_hash=ip_hash(request),
            # The page's language, which the form carries (this address has none of its own).
            language=request.POST.get("language", ""),
        )
    except discussion_services.DiscussionError as error:
        return _form_problem(request, error.message, status=error.status, back=back)
    return HttpResponseRedirect(
        f"{back.split('#')[0].split('?')[0]}?notify={result.status}#comments"
    )


def _form_problem(request, message: str, *, status: int, back: str = ""):
    return TemplateResponse(
        request,
        "notifications/form_problem.html",
        {"message": message, "back": back, "email": request.POST.get("email", "")},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_subscriptions(request):
    """A signed-in reader's subscriptions, each with a button to cancel it."""
    notice = ""
    if request.method == "POST":
        raw = request.POST.get("cancel", "")
        if raw.isdigit() and services.subscription_cancel(
            user=request.user, subscription_id=int(raw)
        ):
            notice = _("Subscription cancelled.")
        else:
            notice = _("That subscription was already cancelled.")
    rows = [
        {"subscription": subscription, **_target(subscription)}
        for subscription in services.subscriptions_of_user(request.user)
    ]
    response = TemplateResponse(
        request, "notifications/my_subscriptions.html", {"rows": rows, "notice": notice}
    )
    response["Cache-Control"] = "private, no-store"
    return response

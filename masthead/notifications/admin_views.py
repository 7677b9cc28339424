"""Admin pages: the outbound mail log, the "send a test mail" button, moderators' mail choice."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from masthead.notifications import delivery, services
from masthead.notifications.models import OutboundMail, Subscription

LOG_PAGE_SIZE = 50


def _require_log_access(request) -> None:
    if not request.user.has_perm("notifications.view_outboundmail"):
        raise PermissionDenied


def outbound_log(request):
    """Every mail, newest first, filterable by state and kind, searchable by address."""
    _require_log_access(request)
    mails = OutboundMail.objects.order_by("-created", "-pk")
    state = request.GET.get("state", "")
    kind = request.GET.get("kind", "")
    address = request.GET.get("q", "").strip().lower()
    if state in OutboundMail.State.values:
        mails = mails.filter(state=state)
    if kind in OutboundMail.Kind.values:
        mails = mails.filter(kind=kind)
    if address:
        mails = mails.filter(to__icontains=address)
    page = Paginator(mails.defer("text_body", "html_body"), LOG_PAGE_SIZE).get_page(
        request.GET.get("p")
    )
    return TemplateResponse(
        request,
        "notifications/admin/outbound_log.html",
        {
            "page": page,
            "states": OutboundMail.State.choices,
            "kinds": OutboundMail.Kind.choices,
            "state": state,
            "kind": kind,
            "q": address,
            "backend": settings.EMAIL_BACKEND,
            "email_host": settings.EMAIL_HOST,
            "email_port": settings.EMAIL_PORT,
            "task_queue": settings.MASTHEAD_TASK_QUEUE,
        },
    )


def outbound_detail(request, mail_id: int):
    _require_log_access(request)
    mail = get_object_or_404(OutboundMail, pk=mail_id)
    return TemplateResponse(
        request,
        "notifications/admin/outbound_detail.html",
        {"mail": mail, "items": mail.items.select_related("comment").order_by("created")},
    )


@require_POST
def outbound_retry(request, mail_id: int):
    _require_log_access(request)
    mail = get_object_or_404(OutboundMail, pk=mail_id)
    if mail.state not in (OutboundMail.State.FAILED, OutboundMail.State.CANCELLED):
        messages.warning(request, _("Only failed or cancelled mails can be sent again."))
    else:
        with transaction.atomic():
            delivery.mail_retry(mail)
        messages.success(
            request, _("The mail to %(address)s is queued again.") % {"address": mail.to}
        )
    return redirect("notifications_admin:outbound_detail", mail_id=mail.pk)


@require_http_methods(["GET", "POST"])
def test_mail(request):
    """Send a test mail at once with the current settings, and show what the server said."""
    _require_log_access(request)
    to = request.POST.get("to", request.user.email or "").strip()
    result = None
    error = ""
    if request.method == "POST":
        try:
            to = services.email_normalize(to)
        except services.SubscriptionError as problem:
            error = problem.message
        else:
            result = delivery.check_mail_send(
                to=to, sent_by=request.user.get_full_name() or request.user.get_username()
            )
    return TemplateResponse(
        request,
        "notifications/admin/test_mail.html",
        {
            "to": to,
            "result": result,
            "error": error,
            "backend": settings.EMAIL_BACKEND,
            "email_host": settings.EMAIL_HOST,
            "email_port": settings.EMAIL_PORT,
            "from_email": settings.DEFAULT_FROM_EMAIL,
        },
    )


@require_http_methods(["GET", "POST"])
def moderation_mails(request):
    """A moderator's choice: mails about comments awaiting moderation, each or hourly."""
    if not (request.user.is_staff or request.user.is_superuser):
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        try:
            services.moderation_subscription_set(
                user=request.user, mode=request.POST.get("mode", "")
            )
        except services.SubscriptionError as problem:
            error = problem.message
        else:
            messages.success(request, _("Your moderation mails are updated."))
            return redirect("notifications_admin:moderation_mails")
    current = Subscription.objects.filter(
        kind=Subscription.Kind.MODERATION, user=request.user
    ).first()
    mode = "off" if current is None else ("digest" if current.digest else "each")
    return TemplateResponse(
        request,
        "notifications/admin/moderation_mails.html",
        {"mode": mode, "error": error, "email": request.user.email},
    )

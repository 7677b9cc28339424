"""Sign-in views: the reader and admin logins with the throttle, and the second factor."""

import base64
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp import devices_for_user
from django_otp import login as otp_login
from wagtail.admin.views.account import LoginView as WagtailLoginView

from masthead.accounts import selectors, services, two_factor
from masthead.accounts.models import LoginFailure
from masthead.core.hashing import ip_hash


def locked_response(request, seconds: int, *, template: str):
    """Answer 429 saying when to try again, with Retry-After."""
    minutes = max(1, -(-seconds // 60))
    message = ngettext(
        "Too many failed sign-in attempts for this account or from this network. "
        "Try again in %(minutes)d minute.",
        "Too many failed sign-in attempts for this account or from this network. "
        "Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    response = render(request, template, {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response


class ThrottledLoginMixin:
    """Refuse sign-in attempts, even right ones, while the account or network is locked.

    Failures are counted by `receivers.on_login_failed` (Django's user_login_failed signal).
    """

    locked_template = "accounts/locked.html"

    def post(self, request, *args, **kwargs):
        username = request.POST.get(get_user_model().USERNAME_FIELD, "")
        wait = selectors.login_retry_after(username=username, network_hash=ip_hash(request))
        if wait:
            return locked_response(request, wait, template=self.locked_template)
        return super().post(request, *args, **kwargs)

    def get_success_url(self):
        # A staff member with a second factor continues at the code page, not where they asked.
        if self.request.session.get(two_factor.SESSION_KEY):
            target = (
                "accounts_2fa_verify"
                if self.request.session[two_factor.SESSION_KEY] == two_factor.VERIFY
                else "accounts_2fa_enrol"
            )
            return reverse(target)
        return super().get_success_url()


class ReaderLoginView(ThrottledLoginMixin, LoginView):
    """/accounts/login/: readers (and editors) sign in."""

    redirect_authenticated_user = True


class AdminLoginView(ThrottledLoginMixin, WagtailLoginView):
    """/admin/login/: Wagtail's login, throttled."""

    locked_template = "accounts/admin_locked.html"

    def get_success_url(self):
        url = super().get_success_url()
        if self.request.session.get(two_factor.SESSION_KEY):
            next_url = self.get_redirect_url()
            if next_url:
                url = f"{url}?{urlencode({'next': next_url})}"
        return url


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("wagtailadmin_home")


def two_factor_verify(request):
    """Ask for the code after the password; wrong codes count towards the sign-in throttle."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    devices = list(devices_for_user(user, confirmed=True))
    if not devices:
        return redirect(reverse("accounts_2fa_enrol"))
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        network = ip_hash(request)
        wait = selectors.login_retry_after(username=user.get_username(), network_hash=network)
        if wait:
            return locked_response(request, wait, template="accounts/admin_locked.html")
        if form.is_valid():
            token = form.cleaned_data["code"].strip().replace(" ", "")
            device = next((device for device in devices if device.verify_token(token)), None)
            if device is not None:
                otp_login(request, device)
                return redirect(_next_url(request))
            services.login_failure_record(
                username=user.get_username(), network_hash=network, stage=LoginFailure.Stage.CODE
            )
            form.add_error(
                "code", _("That code is not right (or was already used). Try the next one.")
            )
    context = {"form": form, "next": _next_url(request)}
    return render(request, "accounts/two_factor_verify.html", context)


def two_factor_enrol(request):
    """Add an authenticator app: show its key as a QR code, confirm it with a first code."""
    user = request.user
    has_device = bool(list(devices_for_user(user, confirmed=True)))
    if has_device and not user.is_verified():
        return redirect(reverse("accounts_2fa_verify"))
    if request.method == "POST" and request.POST.get("action") == "remove" and has_device:
        two_factor.devices_remove(user)
        two_factor.session_state_store(request, user)
        messages.success(request, _("Two-factor authentication is off for your account."))
        return redirect(reverse("accounts_2fa_enrol"))
    device = None if has_device else two_factor.device_pending(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        token = form.cleaned_data["code"].strip().replace(" ", "")
        if two_factor.device_confirm(device=device, token=token):
            otp_login(request, device)
            two_factor.session_state_store(request, user)
            messages.success(request, _("Two-factor authentication is on for your account."))
            return redirect(_next_url(request))
        form.add_error(
            "code", _("That code is not right. Check the clock of your phone and try again.")
        )
    context = {
        "form": form,
        "has_device": has_device,
        "required": settings.MASTHEAD_STAFF_2FA == "required" and two_factor.is_staff(user),
        "next": _next_url(request),
    }
    if device is not None:
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=5)
        context["secret"] = _base32(device.bin_key)
    return render(request, "accounts/two_factor_enrol.html", context)


def _base32(key: bytes) -> str:
    text = base64.b32encode(key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))

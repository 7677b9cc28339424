"""Settings → Personal data: export or erase what is stored about a commenter, by address.

Only moderators (permission `moderation.moderate`) may use it; anyone else signed in to the
admin gets a 403, and Wagtail sends anonymous visitors to the admin login. The address travels
only in POST bodies, never in a URL, so it stays out of server logs and browser history.
"""

import json
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, pgettext
from django.views.decorators.http import require_GET, require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from masthead.moderation import privacy

PERMISSION = "moderation.moderate"


class AddressForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email address"), max_length=254)


class EraseForm(AddressForm):
    # Empty (the first step, from the address form): the server's MODERATION_ERASE_MODE.
    mode = forms.ChoiceField(
        choices=[
            ("anonymize", gettext_lazy("Anonymize: keep the texts, signed “Anonymous”")),
            ("delete", gettext_lazy("Delete: remove the texts too (replies keep a placeholder)")),
        ],
        required=False,
    )
    # Set by the confirmation page's button: the first POST only shows what would go.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


def moderators_only(view):
    """Answer 403 to admin users without the moderation permission.

    Wagtail turns a raised PermissionDenied into a redirect to the dashboard; a plain 403
    tells scripts and people alike that this page exists but is not theirs.
    """

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            return TemplateResponse(request, "moderation/privacy/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return checked


@require_GET
@moderators_only
def privacy_index(request):
    return TemplateResponse(request, "moderation/privacy/index.html", {"form": AddressForm()})


@require_POST
@moderators_only
def privacy_export(request):
    form = AddressForm(request.POST)
    if not form.is_valid():
        return TemplateResponse(
            request, "moderation/privacy/index.html", {"form": form}, status=400
        )
    data = privacy.personal_data_export(email=form.cleaned_data["email"])
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"personal-data-{timezone.now():%Y%m%d-%H%M%S}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@moderators_only
def privacy_erase(request):
    form = EraseForm(request.POST)
    if not form.is_valid():
        return TemplateResponse(
            request, "moderation/privacy/index.html", {"form": form}, status=400
        )
    email = form.cleaned_data["email"]
    mode = form.cleaned_data["mode"] or settings.MODERATION_ERASE_MODE
    if not form.cleaned_data["confirmed"]:
        commenter = privacy.commenter_find(email=email)
        return TemplateResponse(
            request,
            "moderation/privacy/confirm_erase.html",
            {
                "email": commenter.email,
                "mode": mode,
                "modes": form.fields["mode"].choices,
                "counts": privacy.personal_data_counts(commenter),
            },
        )
    summary = privacy.personal_data_erase(email=email, mode=mode, actor=request.user)
    modes = {
        "anonymize": pgettext("erase mode", "anonymize"),
        "delete": pgettext("erase mode", "delete"),
    }
    messages.success(
        request,
        # Counts as "3 comment(s)": a form every language can write for any number.
        gettext(
            "Erased (%(mode)s): %(comments)s comment(s), %(votes)s vote(s), "
            "%(subscriptions)s subscription(s), %(mails)s mail(s). %(bans)s ban(s) kept; "
            "erasure never lifts a ban."
        )
        % {
            "mode": modes.get(summary["mode"], summary["mode"]),
            "comments": summary["comments"],
            "votes": summary["votes_deleted"],
            "subscriptions": summary["subscriptions_deleted"],
            "mails": summary["mails_deleted"],
            "bans": summary["bans_kept"],
        },
    )
    return redirect("moderation_privacy:index")


admin_urls = (
    [
        path("", privacy_index, name="index"),
        path("export/", privacy_export, name="export"),
        path("erase/", privacy_erase, name="erase"),
    ],
    "moderation_privacy",
)


@hooks.register("register_admin_urls")
def register_privacy_urls():
    return [path("privacy/", include(admin_urls))]


class PersonalDataMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_settings_menu_item")
def register_personal_data_menu_item():
    return PersonalDataMenuItem(
        gettext_lazy("Personal data"),
        reverse("moderation_privacy:index"),
        icon_name="user",
        order=950,
    )

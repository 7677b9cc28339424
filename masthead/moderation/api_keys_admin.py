"""Moderation → API keys: the keys other programs use for the analyze API and the Perspective route.

A key is shown once, in the answer to the form that created it: never in a URL, a flash
message or the session, and that answer is marked not to be cached. Only its prefix is shown
after that. Every page needs the `moderation.moderate` permission.
"""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.admin.auth import permission_required

from masthead.core.urls import public_url
from masthead.moderation import selectors, services

moderator_required = permission_required(services.MODERATE_PERMISSION)

LIST_PAGE_SIZE = 50


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("Who or what will use the key, e.g. “Newsletter tool”."),
    )


@moderator_required
@require_GET
def api_key_list(request):
    """Every key, newest first: its name, prefix, creator, last use, and whether it works."""
    page = Paginator(selectors.api_keys_list(), LIST_PAGE_SIZE).get_page(request.GET.get("p"))
    return TemplateResponse(request, "moderation/admin/api_keys.html", {"page": page})


@moderator_required
@require_http_methods(["GET", "POST"])
def api_key_add(request):
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.api_key_create(
                moderator=request.user, name=form.cleaned_data["name"]
            )
        except services.ModerationError as problem:
            form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        else:
            response = TemplateResponse(
                request,
                "moderation/admin/api_key_created.html",
                {
                    "api_key": created.api_key,
                    "key": created.key,
                    "analyze_url": public_url(reverse("api-v1:text_analyze")),
                    "perspective_url": public_url(reverse("perspective_analyze")),
                },
            )
            add_never_cache_headers(response)
            return response
    return TemplateResponse(request, "moderation/admin/api_key_add.html", {"form": form})


@moderator_required
@require_http_methods(["GET", "POST"])
def api_key_revoke(request, api_key_id: int):
    """Ask first (GET), then revoke (POST): programs that use the key stop working at once."""
    if request.method == "GET":
        api_key = get_object_or_404(selectors.api_keys_list(), pk=api_key_id)
        return TemplateResponse(
            request, "moderation/admin/api_key_revoke.html", {"api_key": api_key}
        )
    api_key = services.api_key_revoke(moderator=request.user, api_key_id=api_key_id)
    if api_key is None:
        messages.warning(request, _("That key had already been revoked."))
    else:
        messages.success(
            request,
            _("Revoked the key “%(name)s”: programs sending it are refused from now on.")
            % {"name": api_key.name},
        )
    return redirect("moderation_admin:api_keys")

"""The second factor's pages in Wagtail's admin, linked from Account → More actions."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from masthead.accounts import views


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("2fa/", views.two_factor_enrol, name="accounts_2fa_enrol"),
        path("2fa/verify/", views.two_factor_verify, name="accounts_2fa_verify"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_menu_item(request):
    return {
        "url": reverse("accounts_2fa_enrol"),
        "label": _("Two-factor authentication"),
        "help_text": _("Ask for a code from an authenticator app after your password."),
    }

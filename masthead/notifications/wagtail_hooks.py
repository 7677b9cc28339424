"""Admin menu entries: the outbound mail log and the moderators' mail choice."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from masthead.notifications import admin_views

admin_urls = (
    [
        path("", admin_views.outbound_log, name="outbound_log"),
        path("<int:mail_id>/", admin_views.outbound_detail, name="outbound_detail"),
        path("<int:mail_id>/retry/", admin_views.outbound_retry, name="outbound_retry"),
        path("test/", admin_views.test_mail, name="test_mail"),
        path("moderation/", admin_views.moderation_mails, name="moderation_mails"),
    ],
    "notifications_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("mail/", include(admin_urls))]


class OutboundLogMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("notifications.view_outboundmail")


@hooks.register("register_admin_menu_item")
def register_outbound_log_menu_item():
    return OutboundLogMenuItem(
        _("Outbound mail"), reverse("notifications_admin:outbound_log"), icon_name="mail", order=900
    )


class ModerationMailsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_staff or request.user.is_superuser


@hooks.register("register_admin_menu_item")
def register_moderation_mails_menu_item():
    return ModerationMailsMenuItem(
        _("Moderation mails"),
        reverse("notifications_admin:moderation_mails"),
        icon_name="comment",
        order=901,
    )

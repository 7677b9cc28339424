"""Settings → Import in Wagtail's admin (the pages are in admin_views.py).

Who may import: users with "Can add import run" (`transfer.add_importrun`), listed under
"Import and export" in Settings → Groups; superusers always. An import writes articles,
pages, images and comments, so it is a permission of its own, not part of editing.
"""

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from masthead.transfer import admin_views

admin_urls = (
    [
        path("", admin_views.import_index, name="index"),
        path("<int:run_id>/", admin_views.import_run, name="run"),
        path("<int:run_id>/status/", admin_views.import_run_status, name="status"),
        path("<int:run_id>/run/", admin_views.import_run_start, name="start"),
        path("<int:run_id>/check/", admin_views.import_run_check, name="check"),
    ],
    "transfer_admin",
)


@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("import/", include(admin_urls))]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.PERMISSION)


@hooks.register("register_settings_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("Import"), reverse("transfer_admin:index"), icon_name="download", order=960
    )


@hooks.register("register_permissions")
def register_import_permission():
    return Permission.objects.filter(content_type__app_label="transfer", codename="add_importrun")

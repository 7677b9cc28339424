"""Moderation in Wagtail's admin: the menu, the queue's URLs, and the word and domain lists.

Only users with the `moderation.moderate` permission see the menu or reach any of its pages;
give it to a "Moderators" group in Settings → Groups.
"""

import django_filters
from django.urls import include, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

# Wagtail loads only each app's wagtail_hooks module: importing privacy_admin here registers
# the personal-data pages' hooks (Settings → Personal data) in the running admin too.
from masthead.moderation import admin_views, api_keys_admin, privacy_admin, selectors, services  # noqa: F401
from masthead.moderation.models import AuditEntry, ListEntry

admin_urls = (
    [
        path("", admin_views.queue, name="queue"),
        path("act/", admin_views.queue_act, name="queue_act"),
        path("authors/<int:comment_id>/", admin_views.author, name="author"),
        path("authors/<int:comment_id>/ban/", admin_views.author_ban, name="author_ban"),
        path("bans/", admin_views.ban_list, name="bans"),
        path("bans/add/", admin_views.ban_add, name="ban_add"),
        path("bans/<int:ban_id>/lift/", admin_views.ban_lift, name="ban_lift"),
        path("audit/", admin_views.audit_log, name="audit"),
        path("model/", admin_views.model, name="model"),
        path("model/learn/", admin_views.model_learn, name="model_learn"),
        path("api-keys/", api_keys_admin.api_key_list, name="api_keys"),
        path("api-keys/add/", api_keys_admin.api_key_add, name="api_key_add"),
        path(
            "api-keys/<int:api_key_id>/revoke/",
            api_keys_admin.api_key_revoke,
            name="api_key_revoke",
        ),
    ],
    "moderation_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("moderation/", include(admin_urls))]


class ModeratorPermissionPolicy(ModelPermissionPolicy):
    """Every action on a moderation model (add, change, delete) asks for `moderation.moderate`.

    One permission keeps the Groups screen simple: a moderator may do all of moderation.
    """

    def __init__(self, model):
        super().__init__(model, auth_model=AuditEntry)

    def _get_permission_codename(self, action):
        return "moderate"


register_permission_policy(ListEntry, ModeratorPermissionPolicy(ListEntry))


def _problem_to_form(view, form, problem: services.ModerationError):
    """Show a service's refusal on the form, as Wagtail shows its own validation errors."""
    form.add_error(problem.field if problem.field in form.fields else None, problem.message)
    view.produced_error_message = problem.message
    return view.form_invalid(form)


class ListEntryCreateView(generic.CreateView):
    # The service writes the row and its audit entry; Wagtail's own create action would not.
    def save_instance(self):
        data = self.form.cleaned_data
        return services.list_entry_add(
            self.request.user, kind=data["kind"], value=data["value"], note=data["note"]
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except services.ModerationError as problem:
            return _problem_to_form(self, form, problem)


class ListEntryEditView(generic.EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.list_entry_edit(
            self.request.user,
            self.object.pk,
            kind=data["kind"],
            value=data["value"],
            note=data["note"],
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except services.ModerationError as problem:
            return _problem_to_form(self, form, problem)


class ListEntryDeleteView(generic.DeleteView):
    def delete_action(self):
        services.list_entry_remove(self.request.user, self.object.pk)


# The list's columns and fields as moderators read them. Labels here, not verbose names on
# the model's fields: they translate without a migration.
LIST_ENTRY_LABELS = {
    "kind": pgettext_lazy("which word list", "List"),
    "value": _("Word, phrase or domain"),
    "note": _("Note"),
    "created": _("Added"),
}


class ListEntryIndexView(generic.IndexView):
    @cached_property
    def columns(self):
        columns = super().columns
        for column in columns:
            name = column.name.removeprefix("get_").removesuffix("_display")
            if name in LIST_ENTRY_LABELS:
                column.label = LIST_ENTRY_LABELS[name]
        return columns


class ListEntryFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(
        label=LIST_ENTRY_LABELS["kind"], choices=ListEntry.Kind.choices
    )

    class Meta:
        model = ListEntry
        fields = ["kind"]


class ListEntryViewSet(ModelViewSet):
    """Blocked words, allowed words and blocked domains, one table filtered by list."""

    model = ListEntry
    name = "moderation_lists"
    url_prefix = "moderation/lists"
    icon = "list-ul"
    menu_label = _("Word lists")
    add_to_admin_menu = False  # reached through the Moderation menu
    panels = [
        FieldPanel(field, heading=LIST_ENTRY_LABELS[field]) for field in ("kind", "value", "note")
    ]
    list_display = ["value", "kind", "note", "created"]
    filterset_class = ListEntryFilterSet
    index_view_class = ListEntryIndexView
    copy_view_enabled = False  # a copy would be a duplicate, which the list refuses
    add_view_class = ListEntryCreateView
    edit_view_class = ListEntryEditView
    delete_view_class = ListEntryDeleteView


list_entry_viewset = ListEntryViewSet()


@hooks.register("register_admin_viewset")
def register_list_entry_viewset():
    return list_entry_viewset


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(services.MODERATE_PERMISSION)


def _pending_count(request) -> int:
    # Both the menu and its Queue entry show the count: one query per request serves both.
    if not hasattr(request, "_moderation_pending"):
        request._moderation_pending = selectors.pending_count()
    return request._moderation_pending


class QueueMenuItem(ModeratorMenuItem):
    """The queue's entry, labelled with how many comments wait ("Queue (3)")."""

    def render_component(self, request):
        component = super().render_component(request)
        if waiting := _pending_count(request):
            component.label = f"{self.label} ({waiting})"
        return component


class ModerationMenuItem(SubmenuMenuItem):
    def render_component(self, request):
        # The count on the closed menu tells a moderator there is work without opening it.
        component = super().render_component(request)
        if waiting := _pending_count(request):
            component.label = f"{self.label} ({waiting})"
        return component


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item():
    menu = Menu(
        items=[
            QueueMenuItem(
                _("Queue"), reverse("moderation_admin:queue"), icon_name="tasks", order=1
            ),
            ModeratorMenuItem(
                _("Bans"), reverse("moderation_admin:bans"), icon_name="lock", order=2
            ),
            ModeratorMenuItem(
                _("Word lists"),
                reverse(list_entry_viewset.get_url_name("index")),
                icon_name="list-ul",
                order=3,
            ),
            ModeratorMenuItem(
                _("Audit log"), reverse("moderation_admin:audit"), icon_name="history", order=4
            ),
            ModeratorMenuItem(
                _("API keys"), reverse("moderation_admin:api_keys"), icon_name="key", order=5
            ),
            ModeratorMenuItem(
                _("Model"), reverse("moderation_admin:model"), icon_name="cogs", order=6
            ),
        ]
    )
    return ModerationMenuItem(_("Moderation"), menu, icon_name="warning", order=240)

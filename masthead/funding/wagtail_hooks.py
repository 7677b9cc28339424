"""Funding in Wagtail's admin: campaigns, the ledger (offline gifts entered by staff), CSV.

The ledger is append-only: staff add lines through `donation_record` (the one writer, which
normalizes and queues the receipt) and cancel one with its Reverse action; no view edits or
deletes a line, for anybody. Every addition and reversal is written to Wagtail's history
(who, when, what) — the audit trail accountants ask for.
"""

from django.contrib.auth import get_user_model
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from masthead.funding import admin_views
from masthead.funding.admin_views import donation_reversible
from masthead.funding.forms import CampaignForm, DonationForm
from masthead.funding.models import Campaign, Donation
from masthead.funding.money import money_format
from masthead.funding.selectors import campaign_totals, funding_look
from masthead.funding.services import FundingError


class RaisedColumn(Column):
    """What a campaign has raised, summed from its ledger (one query per listed campaign)."""

    def get_value(self, instance):
        look = funding_look()
        raised, count = campaign_totals(instance)

        def written(minor):
            return money_format(minor, instance.currency, pattern=look.pattern, locale=look.locale)

        return ngettext(
            "%(raised)s of %(goal)s (%(count)s gift)",
            "%(raised)s of %(goal)s (%(count)s gifts)",
            count,
        ) % {"raised": written(raised), "goal": written(instance.goal_minor), "count": count}


class CampaignViewSet(SnippetViewSet):
    model = Campaign
    icon = "pick"
    menu_label = _("Campaigns")
    list_display = [
        "__str__",
        "starts",
        "ends",
        "currency",
        RaisedColumn("raised", label=_("Raised")),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            MultiFieldPanel([FieldPanel("starts"), FieldPanel("ends")], heading=_("Period")),
            FieldPanel("currency"),
            FieldPanel("goal_minor"),
            FieldPanel("ticks_minor"),
        ],
        base_form_class=CampaignForm,
    )


class LedgerPermissionPolicy(ModelPermissionPolicy):
    """Nobody — not even a superuser — changes or deletes a ledger line: no Edit, Delete or
    bulk-delete is offered, and the views that would do it are not mounted."""

    FORBIDDEN = frozenset({"change", "delete"})

    def user_has_permission(self, user, action):
        return action not in self.FORBIDDEN and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        allowed = set(actions) - self.FORBIDDEN
        if not allowed:
            return get_user_model().objects.none()
        return super().users_with_any_permission(allowed)


register_permission_policy(Donation, LedgerPermissionPolicy(Donation), exact_class=True)


class DonationCreateView(CreateView):
    def save_instance(self):
        # The one writer: normalized fields, currency and amount checks, the receipt queued.
        # Who entered the line is recorded on it, besides Wagtail's history.
        donation = self.form.record(entered_by=self.request.user)
        log(instance=donation, action="wagtail.create", user=self.request.user)
        return donation

    def get_edit_url(self):
        return reverse(self.inspect_url_name, args=[self.object.pk])

    def get_success_buttons(self):
        return []  # Wagtail offers "Edit" here; a ledger line is not edited

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except FundingError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.form_invalid(form)


class DonationIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if donation_reversible(instance) and self.user_has_permission("add"):
            buttons.append(
                MenuItem(
                    _("Reverse"),
                    url=reverse("funding_donation_reverse", args=[instance.pk]),
                    icon_name="undo",
                    priority=40,
                )
            )
        return buttons


class DonationViewSet(SnippetViewSet):
    model = Donation
    icon = "list-ul"
    menu_label = _("Ledger")
    add_view_class = DonationCreateView
    index_view_class = DonationIndexView
    copy_view_enabled = False
    inspect_view_enabled = True  # how a line is read, now that none is edited
    list_display = [
        "received",
        "campaign",
        "kind",
        "amount_minor",
        "currency",
        "source",
        "donor_name",
        "entered_by",
        "reverses",
    ]
    list_filter = ["campaign", "kind", "source"]
    search_fields = ["donor_name", "donor_email", "external_id", "note"]
    edit_handler = ObjectList(
        [
            FieldPanel("campaign"),
            FieldPanel("kind"),
            FieldPanel("amount"),
            FieldPanel("source"),
            FieldPanel("received"),
            MultiFieldPanel(
                [FieldPanel("donor_name"), FieldPanel("donor_email"), FieldPanel("thank_publicly")],
                heading=_("Donor"),
            ),
            FieldPanel("recurring"),
            FieldPanel("note"),
        ],
        base_form_class=DonationForm,
    )

    def get_urlpatterns(self):
        # Append-only: the edit and delete addresses answer 404 whatever the rights. They keep
        # their names because Wagtail's generic views reverse them before asking permission.
        return [
            path(str(pattern.pattern), admin_views.donation_not_editable, name=pattern.name)
            if getattr(pattern, "name", None) in ("edit", "delete")
            else pattern
            for pattern in super().get_urlpatterns()
        ]


class FundingGroup(SnippetViewSetGroup):
    items = (CampaignViewSet, DonationViewSet)
    menu_icon = "pick"
    menu_label = _("Funding")
    menu_order = 260


register_snippet(FundingGroup)


@hooks.register("register_admin_urls")
def register_funding_admin_urls():
    return [
        path(
            "funding/campaigns/<int:campaign_id>/donations.csv",
            admin_views.campaign_csv,
            name="funding_campaign_csv",
        ),
        path(
            "funding/ledger/<int:donation_id>/reverse/",
            admin_views.donation_reverse_view,
            name="funding_donation_reverse",
        ),
    ]


@hooks.register("register_log_actions")
def register_funding_log_actions(actions):
    actions.register_action("funding.reverse", _("Reverse"), _("Reversed"))


def campaign_csv_url(campaign: Campaign) -> str:
    return reverse("funding_campaign_csv", args=[campaign.pk])

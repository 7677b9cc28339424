"""Funding in Wagtail's admin: campaigns, the ledger (offline gifts entered by staff), CSV.

Creating, editing and deleting go through Wagtail's snippet views, which write every change
to Wagtail's history (who, when, what) — the audit trail accountants ask for.
"""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from masthead.funding import admin_views
from masthead.funding.forms import DonationForm
from masthead.funding.models import Campaign, Donation
from masthead.funding.money import money_format
from masthead.funding.selectors import campaign_totals, funding_look


class RaisedColumn(Column):
    """What a campaign has raised, summed from its ledger (one query per listed campaign)."""

    def get_value(self, instance):
        look = funding_look()
        raised, count = campaign_totals(instance)

        def written(minor):
            return money_format(minor, instance.currency, pattern=look.pattern, locale=look.locale)

        return f"{written(raised)} of {written(instance.goal_minor)} ({count} gifts)"


class CampaignViewSet(SnippetViewSet):
    model = Campaign
    icon = "pick"
    menu_label = "Campaigns"
    list_display = ["__str__", "starts", "ends", "currency", RaisedColumn("raised", label="Raised")]
    panels = [
        FieldPanel("title"),
        MultiFieldPanel([FieldPanel("starts"), FieldPanel("ends")], heading="Period"),
        FieldPanel("currency"),
        FieldPanel("goal_minor"),
        FieldPanel("ticks_minor"),
    ]


class DonationCreateView(CreateView):
    def save_instance(self):
        # Who entered a gift is recorded on the line itself, besides Wagtail's history.
        self.form.instance.entered_by = self.request.user
        return super().save_instance()


class DonationEditView(EditView):
    pass


class DonationViewSet(SnippetViewSet):
    model = Donation
    icon = "list-ul"
    menu_label = "Ledger"
    add_view_class = DonationCreateView
    edit_view_class = DonationEditView
    list_display = [
        "received",
        "campaign",
        "kind",
        "amount_minor",
        "currency",
        "source",
        "donor_name",
        "entered_by",
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
                heading="Donor",
            ),
            FieldPanel("recurring"),
            FieldPanel("note"),
        ],
        base_form_class=DonationForm,
    )


class FundingGroup(SnippetViewSetGroup):
    items = (CampaignViewSet, DonationViewSet)
    menu_icon = "pick"
    menu_label = "Funding"
    menu_order = 260


register_snippet(FundingGroup)


@hooks.register("register_admin_urls")
def register_funding_admin_urls():
    return [
        path(
            "funding/campaigns/<int:campaign_id>/donations.csv",
            admin_views.campaign_csv,
            name="funding_campaign_csv",
        )
    ]


def campaign_csv_url(campaign: Campaign) -> str:
    return reverse("funding_campaign_csv", args=[campaign.pk])

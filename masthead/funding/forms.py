"""The admin's forms: gifts staff enter by hand (bank, crypto, cash), amounts in major units;
the reason for reversing a line."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from masthead.funding.models import Campaign, Donation
from masthead.funding.money import MoneyError, to_major, to_minor
from masthead.funding.services import FundingError, amount_check, donation_record


class DonationForm(WagtailAdminModelForm):
    amount = forms.DecimalField(
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=3,
        label=_("Amount"),
        help_text=_("In the campaign's currency, e.g. 25 or 25.50."),
    )

    class Meta:
        model = Donation
        fields = [
            "campaign",
            "kind",
            "amount",
            "source",
            "received",
            "donor_name",
            "donor_email",
            "thank_publicly",
            "recurring",
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["amount"] = to_major(self.instance.amount_minor, self.instance.currency)
        if "kind" in self.fields:
            # Reversals come from a line's Reverse action, which names the line they cancel.
            self.fields["kind"].choices = [
                (Donation.Kind.GIFT, Donation.Kind.GIFT.label),
                (Donation.Kind.REFUND, Donation.Kind.REFUND.label),
            ]

    def clean(self):
        cleaned = super().clean()
        campaign, amount = cleaned.get("campaign"), cleaned.get("amount")
        if campaign is None or amount is None:
            return cleaned
        try:
            minor = to_minor(amount, campaign.currency)
            amount_check(minor, campaign.currency)
        except (MoneyError, FundingError) as error:
            self.add_error("amount", getattr(error, "message", str(error)))
            return cleaned
        # Gifts count in their campaign's currency; staff convert before entering them.
        cleaned["amount_minor"] = minor
        return cleaned

    def record(self, *, entered_by) -> Donation:
        """Write the line through the ledger's one writer (normalized, receipt queued)."""
        data = self.cleaned_data
        return donation_record(
            campaign=data["campaign"],
            kind=data["kind"],
            amount_minor=data["amount_minor"],
            currency=data["campaign"].currency,
            source=data["source"],
            received=data.get("received"),
            donor_name=data.get("donor_name") or "",
            donor_email=data.get("donor_email") or "",
            thank_publicly=bool(data.get("thank_publicly")),
            recurring=bool(data.get("recurring")),
            note=data.get("note") or "",
            entered_by=entered_by,
        )


class DonationReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this line reversed?"),
        max_length=500,
        help_text=_("Kept on the reversal line, e.g. 'entered twice' or 'wrong amount'."),
    )


class CampaignForm(WagtailAdminModelForm):
    class Meta:
        model = Campaign
        fields = ["title", "starts", "ends", "currency", "goal_minor", "ticks_minor"]

    def clean_currency(self):
        currency = (self.cleaned_data.get("currency") or "").strip().upper()
        if (
            self.instance.pk
            and currency != self.instance.currency
            and self.instance.donations.exists()
        ):
            # Its lines stay in the old currency and would silently stop counting.
            raise forms.ValidationError(
                _("This campaign has ledger lines in %(currency)s; its currency stays.")
                % {"currency": self.instance.currency}
            )
        return currency

"""The admin's form for gifts staff enter by hand (bank, crypto, cash): amounts in major units."""

from decimal import Decimal

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from masthead.funding.models import Donation
from masthead.funding.money import MoneyError, to_major, to_minor
from masthead.funding.services import FundingError, amount_check


class DonationForm(WagtailAdminModelForm):
    amount = forms.DecimalField(
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=3,
        help_text="In the campaign's currency, e.g. 25 or 25.50.",
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
        self.instance.currency = campaign.currency
        self.instance.amount_minor = minor
        return cleaned

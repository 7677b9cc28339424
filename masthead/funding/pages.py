"""The Support page: the goal bar, the card form, other ways to give, and public thanks."""

from decimal import Decimal

from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from masthead.funding.models import Donation, FundingSettings
from masthead.funding.money import MoneyError, money_format, to_minor
from masthead.funding.selectors import campaign_at, funding_look
from masthead.publishing.models.pages import CachedPageMixin, PublicUrlMixin

PUBLIC_THANKS_LIMIT = 20


class BankTransferBlock(blocks.StructBlock):
    account_holder = blocks.CharBlock(label=gettext_lazy("Account holder"))
    account = blocks.CharBlock(
        label=gettext_lazy("Account"),
        help_text=gettext_lazy("IBAN, or account and sort code / routing number."),
    )
    bic = blocks.CharBlock(required=False, label=gettext_lazy("BIC / SWIFT"))
    bank = blocks.CharBlock(
        required=False,
        label=gettext_lazy("Bank"),
        help_text=gettext_lazy("The bank's name and town."),
    )
    reference = blocks.CharBlock(
        required=False,
        label=gettext_lazy("Reference"),
        help_text=gettext_lazy("What donors should write as the reference, e.g. 'Gift'."),
    )

    class Meta:
        icon = "doc-full"
        label = gettext_lazy("Bank transfer")


class CryptoAddressBlock(blocks.StructBlock):
    network = blocks.CharBlock(
        label=gettext_lazy("Network"),
        help_text=gettext_lazy("e.g. Bitcoin, Ethereum (ERC-20), Monero."),
    )
    address = blocks.CharBlock(label=gettext_lazy("Address"))
    note = blocks.CharBlock(required=False, label=gettext_lazy("Note"))

    class Meta:
        icon = "code"
        label = gettext_lazy("Crypto address")


class PayPalBlock(blocks.StructBlock):
    url = blocks.URLBlock(
        label=gettext_lazy("Link"),
        help_text=gettext_lazy("Your PayPal.me or donate-button link."),
    )
    # The button's words, which readers see: written in the editor's language.
    label = blocks.CharBlock(
        label=gettext_lazy("Button text"), default=gettext_lazy("Give with PayPal")
    )

    class Meta:
        icon = "link"
        label = gettext_lazy("PayPal link")


class OtherWaysBlock(blocks.StreamBlock):
    bank_transfer = BankTransferBlock()
    crypto = CryptoAddressBlock()
    paypal = PayPalBlock()
    text = blocks.RichTextBlock(
        features=["bold", "italic", "link"], label=gettext_lazy("Free text")
    )


def preset_amounts() -> list[Decimal]:
    """Return the amounts offered: Settings → Funding, else FUNDING_PRESET_AMOUNTS."""
    row = FundingSettings.objects.filter(site__is_default_site=True).first()
    listed = (row.preset_amounts if row else "") or settings.FUNDING_PRESET_AMOUNTS
    amounts = []
    for part in listed.split(","):
        try:
            amount = Decimal(part.strip())
        except ArithmeticError:
            continue  # an editor's typo must not take the page down
        if amount.is_finite() and amount > 0 and amount not in amounts:
            amounts.append(amount)
    return amounts


def thanks_public(limit: int = PUBLIC_THANKS_LIMIT) -> list[str]:
    """Return the names of donors who asked to be thanked publicly, newest gift first."""
    return list(
        Donation.objects.filter(kind=Donation.Kind.GIFT, thank_publicly=True)
        .exclude(donor_name="")
        .exclude(reversals__kind=Donation.Kind.REVERSAL)  # a cancelled gift thanks nobody
        .order_by("-received", "-id")
        .values_list("donor_name", flat=True)[:limit]
    )


class CardPaymentsHint(HelpPanel):
    """Tells editors, in the Support page's editor, that readers see no card form until the
    server has Stripe keys (readers are not told: they see only the ways that exist)."""

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.content = format_html(
                "<p>{}</p>",
                _(
                    "Card gifts are off: readers see only the other ways to give below. "
                    "Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET on the server to offer "
                    "them (README, “Reader funding”)."
                ),
            )

        def is_shown(self):
            return not settings.STRIPE_SECRET_KEY


class SupportPage(PublicUrlMixin, CachedPageMixin, Page):
    """How readers pay for the journalism: card gifts once or monthly, and other ways."""

    intro = RichTextField(gettext_lazy("intro"), blank=True, features=["bold", "italic", "link"])
    other_ways = StreamField(
        OtherWaysBlock(), blank=True, verbose_name=gettext_lazy("Other ways to give")
    )

    content_panels = [
        *Page.content_panels,
        CardPaymentsHint(),
        FieldPanel("intro"),
        FieldPanel("other_ways"),
    ]
    parent_page_types = ["publishing.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = gettext_lazy("support page")

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if self.card_payments:
            # The card form carries a CSRF token: one reader's copy must never serve another.
            response.cache_tags = None
        return response

    @property
    def card_payments(self) -> bool:
        return bool(settings.STRIPE_SECRET_KEY)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        campaign = campaign_at()
        currency = campaign.currency if campaign else settings.FUNDING_CURRENCY
        look = funding_look()
        presets = []
        for amount in preset_amounts():
            try:
                label = money_format(
                    to_minor(amount, currency), currency, pattern=look.pattern, locale=look.locale
                )
            except MoneyError:
                continue  # more decimals than the currency has
            presets.append({"value": str(amount), "label": label})
        context.update(
            card_payments=self.card_payments,
            # funding/urls.py's checkout view: amount, frequency, donor_name, thank_publicly.
            checkout_url="/support/checkout",
            currency=currency,
            presets=presets,
            thanks=thanks_public(),
        )
        return context

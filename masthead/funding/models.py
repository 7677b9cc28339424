"""Reader funding: campaigns (a goal over a period), the ledger of gifts and refunds, and the
Stripe events already applied.

Money is stored as integers in the currency's minor unit (cents; yen have none), never as
floats; a campaign has one currency and only its own currency's entries count towards it.
What a campaign has raised is always summed from the ledger (`selectors.campaign_raised`),
never kept in a counter.
"""

from babel.dates import format_date
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from masthead.funding.money import reader_locale


def month_title(day, locale: str = "") -> str:
    """Return the month of `day` in `locale`'s words (default: the reader's), e.g. "June 2021",
    "Juin 2021": what a campaign without a title of its own is called."""
    return format_date(day, "LLLL y", locale=locale or reader_locale()).capitalize()


@register_setting(icon="pick")
class FundingSettings(BaseSiteSetting):
    """How the goal bar looks and how campaigns start (Settings → Funding)."""

    amount_pattern = models.CharField(
        _("amount pattern"),
        max_length=40,
        blank=True,
        help_text=_(
            "How amounts are written, as a Unicode/CLDR pattern: '#,##0 ¤' gives '1,660 $', "
            "'¤#,##0' gives '$1,660'. Empty: FUNDING_AMOUNT_PATTERN."
        ),
    )
    locale = models.CharField(
        _("locale"),
        max_length=20,
        blank=True,
        help_text=_(
            "Locale for numbers and month names for every reader, e.g. en_US, fr_FR, hy_AM. "
            "Empty: each reader's language."
        ),
    )
    monthly_campaigns = models.BooleanField(
        _("monthly campaigns"),
        default=False,
        help_text=_("Start a new campaign at the start of each month, with last month's goal."),
    )
    preset_amounts = models.CharField(
        _("preset amounts"),
        max_length=100,
        blank=True,
        help_text=_(
            "Amounts offered on the Support page, comma-separated (e.g. 5, 10, 25, 50). "
            "Empty: FUNDING_PRESET_AMOUNTS."
        ),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("amount_pattern"), FieldPanel("locale")], heading=_("Amounts and dates")
        ),
        FieldPanel("monthly_campaigns"),
        FieldPanel("preset_amounts"),
    ]

    class Meta:
        verbose_name = _("Funding")

    def __str__(self) -> str:
        return str(_("Funding settings"))


class Campaign(models.Model):
    """A fundraising goal over a period: by default a calendar month."""

    title = models.CharField(
        _("title"),
        max_length=120,
        blank=True,
        help_text=_("Empty: the month and year in each reader's language, e.g. 'June 2021'."),
    )
    starts = models.DateField(_("starts"))
    ends = models.DateField(_("ends"), help_text=_("The last day of the campaign (included)."))
    currency = models.CharField(
        _("currency"), max_length=3, help_text=_("ISO 4217 code, e.g. USD, EUR, AMD.")
    )
    goal_minor = models.BigIntegerField(
        _("goal minor"), help_text=_("The goal in minor units (cents).")
    )
    # Tick marks in minor units; empty means 0, half the goal and the goal.
    ticks_minor = models.JSONField(
        _("ticks minor"),
        default=list,
        blank=True,
        help_text=_(
            "Amounts in minor units, e.g. [0, 250000, 500000]. Empty: 0, half the goal "
            "and the goal."
        ),
    )
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gte=models.F("starts")), name="campaign_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(goal_minor__gt=0), name="campaign_goal_positive"),
        ]
        indexes = [models.Index(fields=["starts", "ends"], name="campaign_period")]

    def __str__(self) -> str:
        return self.title or month_title(self.starts)


class Donation(models.Model):
    """One line of the ledger: a gift, a refund of (part of) one, or the reversal of a line.

    The ledger is append-only: a line is never changed or deleted once written (the admin has
    no edit or delete view for it). A refund adds a refund line; a line entered by mistake is
    cancelled by a reversal line naming it (`reverses`) and, if need be, entered again.
    Amounts are positive; the kind says which way they count (selectors.campaign_totals).
    """

    class Kind(models.TextChoices):
        GIFT = "gift", pgettext_lazy("ledger line", "Gift")
        REFUND = "refund", pgettext_lazy("ledger line", "Refund")
        # Cancels the line it `reverses` in full: a gift no longer counts, a refund is undone.
        REVERSAL = "reversal", pgettext_lazy("ledger line", "Reversal")

    class Source(models.TextChoices):
        CARD = "card", _("Card (Stripe)")
        BANK = "bank", _("Bank transfer")
        CRYPTO = "crypto", _("Crypto")
        CASH = "cash", _("Cash")
        PAYPAL = "paypal", "PayPal"  # a name, the same in every language
        OTHER = "other", pgettext_lazy("way of giving", "Other")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="donations", verbose_name=_("campaign")
    )
    kind = models.CharField(
        pgettext_lazy("ledger line", "kind"), max_length=8, choices=Kind.choices, default=Kind.GIFT
    )
    amount_minor = models.BigIntegerField(_("amount minor"))
    currency = models.CharField(_("currency"), max_length=3)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    recurring = models.BooleanField(_("recurring"), default=False)
    received = models.DateTimeField(_("received"), default=timezone.now)
    donor_name = models.CharField(_("donor name"), max_length=120, blank=True)
    # Never shown to the public or returned by the API.
    donor_email = models.EmailField(_("donor email"), blank=True)
    thank_publicly = models.BooleanField(
        _("thank publicly"), default=False, help_text=_("The donor agreed to be thanked by name.")
    )
    # The language the donor gave in (the Support page's, carried through Stripe's metadata):
    # their receipt is written in it. Empty (lines staff enter): the site's default language.
    language = models.CharField(_("language"), max_length=16, blank=True, default="")
    # Stripe's id of what this line stands for (payment intent, invoice, charge): one line
    # per payment, however often its events arrive.
    external_id = models.CharField(_("external id"), max_length=120, blank=True)
    # Refunds of one charge are appended as Stripe reports its cumulative total: line 1, 2, …
    # of that charge. Two deliveries racing to append the same line collide on the unique
    # constraint instead of both counting (services.donation_refund_record).
    sequence = models.PositiveIntegerField(_("sequence"), default=1)
    # A reversal names the line it cancels; a card refund names its gift when that is known.
    reverses = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversals",
        verbose_name=_("reverses"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-received", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_minor__gt=0), name="donation_amount_positive"
            ),
            models.UniqueConstraint(
                fields=["kind", "external_id", "sequence"],
                condition=~Q(external_id=""),
                name="donation_once_per_payment_line",
            ),
            models.UniqueConstraint(
                fields=["reverses"], condition=Q(kind="reversal"), name="donation_reversed_once"
            ),
            models.CheckConstraint(
                condition=~Q(kind="reversal") | Q(reverses__isnull=False),
                name="donation_reversal_names_its_line",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "kind"], name="donation_campaign")]

    def __str__(self) -> str:
        kind, source = self.get_kind_display(), self.get_source_display()
        return f"{kind} {self.amount_minor} {self.currency} ({source})"


class StripeEvent(models.Model):
    """A Stripe event applied to the ledger; its id makes every delivery after the first a no-op."""

    id = models.CharField(primary_key=True, max_length=255)
    type = models.CharField(max_length=80)
    created = models.DateTimeField(help_text=_("When Stripe created the event."))
    received = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.type} {self.id}"


# The Support page model lives in pages.py; imported here so Django finds it.
from masthead.funding.pages import SupportPage  # noqa: E402, F401

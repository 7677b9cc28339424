"""Reader funding: campaigns (a goal over a period), the ledger of gifts and refunds, and the
Stripe events already applied.

Money is stored as integers in the currency's minor unit (cents; yen have none), never as
floats; a campaign has one currency and only its own currency's entries count towards it.
What a campaign has raised is always summed from the ledger (`selectors.campaign_raised`),
never kept in a counter.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="pick")
class FundingSettings(BaseSiteSetting):
    """How the goal bar looks and how campaigns start (Settings → Funding)."""

    amount_pattern = models.CharField(
        max_length=40,
        blank=True,
        help_text="How amounts are written, as a Unicode/CLDR pattern: '#,##0 ¤' gives "
        "'1,660 $', '¤#,##0' gives '$1,660'. Empty: FUNDING_AMOUNT_PATTERN.",
    )
    locale = models.CharField(
        max_length=20,
        blank=True,
        help_text="Locale for numbers and month names, e.g. en_US, fr_FR, hy_AM. Empty: the "
        "site's language.",
    )
    monthly_campaigns = models.BooleanField(
        default=False,
        help_text="Start a new campaign at the start of each month, with last month's goal.",
    )
    preset_amounts = models.CharField(
        max_length=100,
        blank=True,
        help_text="Amounts offered on the Support page, comma-separated (e.g. 5, 10, 25, 50). "
        "Empty: FUNDING_PRESET_AMOUNTS.",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("amount_pattern"), FieldPanel("locale")], heading="Amounts and dates"
        ),
        FieldPanel("monthly_campaigns"),
        FieldPanel("preset_amounts"),
    ]

    class Meta:
        verbose_name = "Funding"

    def __str__(self) -> str:
        return "Funding settings"


class Campaign(models.Model):
    """A fundraising goal over a period: by default a calendar month."""

    title = models.CharField(
        max_length=120, blank=True, help_text="Empty: the month and year, e.g. 'June 2021'."
    )
    starts = models.DateField()
    ends = models.DateField(help_text="The last day of the campaign (included).")
    currency = models.CharField(max_length=3, help_text="ISO 4217 code, e.g. USD, EUR, AMD.")
    goal_minor = models.BigIntegerField(help_text="The goal in minor units (cents).")
    # Tick marks in minor units; empty means 0, half the goal and the goal.
    ticks_minor = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gte=models.F("starts")), name="campaign_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(goal_minor__gt=0), name="campaign_goal_positive"),
        ]
        indexes = [models.Index(fields=["starts", "ends"], name="campaign_period")]

    def __str__(self) -> str:
        return self.title or f"{self.starts:%B %Y}"


class Donation(models.Model):
    """One line of the ledger: a gift, a refund of (part of) one, or the reversal of a line.

    The ledger is append-only: a line is never changed or deleted once written (the admin has
    no edit or delete view for it). A refund adds a refund line; a line entered by mistake is
    cancelled by a reversal line naming it (`reverses`) and, if need be, entered again.
    Amounts are positive; the kind says which way they count (selectors.campaign_totals).
    """

    class Kind(models.TextChoices):
        GIFT = "gift", "Gift"
        REFUND = "refund", "Refund"
        # Cancels the line it `reverses` in full: a gift no longer counts, a refund is undone.
        REVERSAL = "reversal", "Reversal"

    class Source(models.TextChoices):
        CARD = "card", "Card (Stripe)"
        BANK = "bank", "Bank transfer"
        CRYPTO = "crypto", "Crypto"
        CASH = "cash", "Cash"
        PAYPAL = "paypal", "PayPal"
        OTHER = "other", "Other"

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="donations")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.GIFT)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    source = models.CharField(max_length=8, choices=Source.choices)
    recurring = models.BooleanField(default=False)
    received = models.DateTimeField(default=timezone.now)
    donor_name = models.CharField(max_length=120, blank=True)
    # Never shown to the public or returned by the API.
    donor_email = models.EmailField(blank=True)
    thank_publicly = models.BooleanField(
        default=False, help_text="The donor agreed to be thanked by name."
    )
    # Stripe's id of what this line stands for (payment intent, invoice, charge): one line
    # per payment, however often its events arrive.
    external_id = models.CharField(max_length=120, blank=True)
    # Refunds of one charge are appended as Stripe reports its cumulative total: line 1, 2, …
    # of that charge. Two deliveries racing to append the same line collide on the unique
    # constraint instead of both counting (services.donation_refund_record).
    sequence = models.PositiveIntegerField(default=1)
    # A reversal names the line it cancels; a card refund names its gift when that is known.
    reverses = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversals"
    )
    note = models.CharField(max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
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
    created = models.DateTimeField(help_text="When Stripe created the event.")
    received = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.type} {self.id}"


# The Support page model lives in pages.py; imported here so Django finds it.
from masthead.funding.pages import SupportPage  # noqa: E402, F401

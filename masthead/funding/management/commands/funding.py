"""`masthead funding reconcile`: recompute every campaign's total from its ledger lines and
report anything that does not add up. Exits with status 1 when it finds a difference."""

from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError

from masthead.funding.models import Campaign, Donation, StripeEvent
from masthead.funding.money import money_format
from masthead.funding.selectors import campaign_totals, funding_look


class Command(BaseCommand):
    help = "Funding tools. `reconcile`: recompute campaign totals from the ledger and compare."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        reconcile = sub.add_parser("reconcile", help="Recompute totals; report differences.")
        reconcile.add_argument("--campaign", type=int, help="Only this campaign (its id).")

    def handle(self, *args, action, campaign=None, **options):
        if action != "reconcile":
            raise CommandError(f"Unknown action {action!r}.")
        campaigns = Campaign.objects.order_by("starts", "id")
        if campaign is not None:
            campaigns = campaigns.filter(pk=campaign)
            if not campaigns.exists():
                raise CommandError(f"There is no campaign with id {campaign}.")
        problems = []
        for item in campaigns:
            problems += self.reconcile(item)
        problems += self.events_without_lines()
        if problems:
            for problem in problems:
                self.stderr.write(f"DIFFERENCE {problem}")
            raise SystemExit(1)
        self.stdout.write("Every total matches its ledger.")

    def reconcile(self, campaign: Campaign) -> list[str]:
        """Sum the lines one by one (not with the query the pages use) and compare."""
        gifts, refunds, count = 0, 0, 0
        refunded_per_payment: dict[str, int] = defaultdict(int)
        problems = []
        lines = Donation.objects.filter(campaign=campaign).select_related("reverses")
        for line in lines.iterator():
            if line.currency != campaign.currency:
                problems.append(
                    f"{campaign}: line {line.pk} is in {line.currency}, the campaign in "
                    f"{campaign.currency}; it is left out of the total."
                )
                continue
            if line.kind == Donation.Kind.GIFT:
                gifts += line.amount_minor
                count += 1
            elif line.kind == Donation.Kind.REFUND:
                refunds += line.amount_minor
                refunded_per_payment[line.external_id] += line.amount_minor
            elif line.reverses.kind == Donation.Kind.GIFT:  # a reversal cancels its line
                gifts -= line.amount_minor
                count -= 1
            elif line.reverses.kind == Donation.Kind.REFUND:
                refunds -= line.amount_minor
        recomputed = gifts - refunds
        shown, shown_count = campaign_totals(campaign)
        written = funding_look()

        def look(minor: int) -> str:
            return money_format(
                minor, campaign.currency, pattern=written.pattern, locale=written.locale
            )

        if (recomputed, count) != (shown, shown_count):
            problems.append(
                f"{campaign}: pages show {look(shown)} from {shown_count} gifts, the ledger "
                f"adds up to {look(recomputed)} from {count}."
            )
        if recomputed < 0:
            problems.append(f"{campaign}: refunds ({look(refunds)}) exceed gifts ({look(gifts)}).")
        self.stdout.write(
            f"{campaign} ({campaign.starts} – {campaign.ends}): gifts {look(gifts)} ({count}), "
            f"refunds {look(refunds)}, raised {look(recomputed)} of {look(campaign.goal_minor)}"
        )
        return problems

    def events_without_lines(self) -> list[str]:
        """Stripe events whose outcome says a ledger line was recorded, but the line is gone."""
        problems = []
        recorded = StripeEvent.objects.filter(
            outcome__regex=r"^(gift|refund) \S+ (recorded|raised)"
        )
        for event in recorded.iterator():
            kind, external_id = event.outcome.split(" ")[:2]
            if not Donation.objects.filter(kind=kind, external_id=external_id).exists():
                problems.append(f"Stripe event {event.id} ({event.type}) has no ledger line.")
        return problems

"""The ledger as CSV for accounting."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404

from masthead.funding.models import Campaign, Donation
from masthead.funding.money import to_major


class _Echo:
    def write(self, value):
        return value


def campaign_csv(request, campaign_id: int):
    """Every ledger line of a campaign, amounts in major units, for the accountant."""
    if not request.user.has_perm("funding.view_donation"):
        raise PermissionDenied
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    writer = csv.writer(_Echo())
    header = [
        "id", "received", "kind", "amount", "currency", "source", "recurring",
        "donor_name", "donor_email", "thank_publicly", "external_id", "note", "entered_by",
    ]  # fmt: skip

    def rows():
        yield writer.writerow(header)
        lines = Donation.objects.filter(campaign=campaign).select_related("entered_by")
        for line in lines.order_by("received", "id").iterator():
            # Spreadsheet formulas in donor-typed fields must not run when the file is opened.
            yield writer.writerow(
                [
                    line.pk,
                    line.received.isoformat(),
                    line.kind,
                    str(to_major(line.amount_minor, line.currency)),
                    line.currency,
                    line.source,
                    int(line.recurring),
                    _safe(line.donor_name),
                    _safe(line.donor_email),
                    int(line.thank_publicly),
                    line.external_id,
                    _safe(line.note),
                    line.entered_by.get_username() if line.entered_by else "",
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.pk}-donations.csv"'
    return response


def _safe(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value

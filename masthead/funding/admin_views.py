"""The ledger in the admin beyond Wagtail's snippet views: CSV for accounting, and the Reverse
action that cancels a line without changing it."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from masthead.funding.forms import DonationReverseForm
from masthead.funding.models import Campaign, Donation
from masthead.funding.money import to_major
from masthead.funding.services import FundingError, donation_reverse


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
        "reverses",
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
                    line.reverses_id or "",
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.pk}-donations.csv"'
    return response


def _safe(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def donation_not_editable(request, pk):
    """Where Wagtail's edit and delete views of a ledger line would be."""
    raise Http404(_("Ledger lines are never changed or deleted; reverse the line instead."))


def donation_reversible(line: Donation) -> bool:
    """Whether the Reverse action is offered (the service has the final word)."""
    return line.kind != Donation.Kind.REVERSAL and line.source != Donation.Source.CARD


def donation_reverse_view(request, donation_id: int):
    """Ask why, then append a reversal line cancelling the line; logged in Wagtail's history."""
    if not request.user.has_perm("funding.add_donation"):
        raise PermissionDenied
    line = get_object_or_404(Donation.objects.select_related("campaign"), pk=donation_id)
    form = DonationReverseForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            reversal = donation_reverse(
                line=line, entered_by=request.user, reason=form.cleaned_data["reason"]
            )
        except FundingError as error:
            form.add_error("reason" if error.field == "reason" else None, error.message)
            status = 400
        else:
            log(
                instance=line,
                action="funding.reverse",
                user=request.user,
                data={"reversal": reversal.pk, "reason": reversal.note},
            )
            messages.success(request, _("Line %(line)s is reversed.") % {"line": line})
            return redirect("wagtailsnippets_funding_donation:list")
    elif request.method == "POST":
        status = 400
    return TemplateResponse(
        request,
        "funding/admin/donation_reverse.html",
        {"line": line, "form": form},
        status=status,
    )

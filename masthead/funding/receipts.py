"""Receipt mails for donors, through the notifications app's outbound log and worker."""

from django.template.loader import render_to_string

from masthead.core.urls import public_url
from masthead.funding.models import Donation
from masthead.funding.money import money_format
from masthead.funding.selectors import funding_look
from masthead.notifications import composing, delivery


def receipt_queue(donation: Donation) -> None:
    """Queue the thank-you receipt for a gift (once per ledger line, whatever retries happen).

    Called inside the transaction that records the gift, so the gift and its mail are stored
    together or not at all; the worker sends it after the commit.
    """
    if donation.kind != Donation.Kind.GIFT or not donation.donor_email:
        return
    look = funding_look()
    context = {
        "donation": donation,
        "amount": money_format(
            donation.amount_minor, donation.currency, pattern=look.pattern, locale=look.locale
        ),
        "outlet": composing.outlet_name(),
        "site_url": public_url("/"),
    }
    subject = " ".join(render_to_string("funding/mail/receipt_subject.txt", context).split())
    delivery.mail_queue(
        kind="receipt",
        to=donation.donor_email,
        composed=composing.Composed(
            subject=subject[:300],
            text=render_to_string("funding/mail/receipt.txt", context),
            html=render_to_string("funding/mail/receipt.html", context),
        ),
        dedupe_key=f"receipt:{donation.pk}",
    )

"""Receipt mails for donors, through the notifications app's outbound log and worker."""

from babel.dates import format_date
from django.utils import timezone

from masthead.core.outbox import outbox_add
from masthead.core.urls import public_url
from masthead.funding.models import Donation
from masthead.funding.money import money_format
from masthead.funding.selectors import funding_look
from masthead.notifications import composing, delivery


def receipt_queue(donation: Donation) -> None:
    """Promise the thank-you receipt for a gift, in the transaction that records the gift.

    Only an outbox row is written here: the gift and the promise of its receipt commit
    together, and composing the mail (templates, settings) happens in a task afterwards, where
    a failure is retried instead of refusing the payment.
    """
    from masthead.funding import tasks  # which imports this module

    if donation.kind != Donation.Kind.GIFT or not donation.donor_email:
        return
    outbox_add(task=tasks.receipt_send, args=[donation.pk])


def receipt_compose(donation_id: int) -> bool:
    """Put the receipt of gift `donation_id` in the outbound log; return whether it is new.

    Safe to run again (the outbox may run it twice): one receipt per ledger line.
    """
    donation = Donation.objects.filter(pk=donation_id, kind=Donation.Kind.GIFT).first()
    if donation is None or not donation.donor_email:
        return False  # erased on the donor's request meanwhile
    # Written in the language the donor gave in, whichever worker composes it.
    language = composing.mail_language(donation.language)
    look = funding_look(language)
    context = {
        "donation": donation,
        "amount": money_format(
            donation.amount_minor, donation.currency, pattern=look.pattern, locale=look.locale
        ),
        # The day in the site's time zone, as the donor's language writes it.
        "day": format_date(timezone.localtime(donation.received), "long", locale=look.locale),
        "outlet": composing.outlet_name(),
        "site_url": public_url("/"),
    }
    mail = delivery.mail_queue(
        kind="receipt",
        to=donation.donor_email,
        composed=composing.templates_render("funding/mail/receipt", context, language=language),
        dedupe_key=f"receipt:{donation.pk}",
    )
    return mail is not None

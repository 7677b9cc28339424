"""The ledger has one writer and is append-only: the admin adds lines through
`donation_record` and cancels one by reversing it; nobody edits or deletes a line."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from wagtail.models import ModelLogEntry

from masthead.funding import services
from masthead.funding.models import Donation
from masthead.funding.selectors import campaign_totals
from masthead.funding.tests.factories import month_campaign

pytestmark = pytest.mark.django_db

LEDGER = "/admin/snippets/funding/donation/"


def staff(*codenames, username="sam"):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw-123-x")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", *codenames]))
    return user


def superuser():
    return get_user_model().objects.create_superuser("root", "root@example.org", "pw-root-1")


def offline_gift(campaign, minor=5_000, **options):
    options.setdefault("source", "bank")
    return services.donation_record(
        campaign=campaign, amount_minor=minor, currency=campaign.currency, **options
    )


def test_an_offline_gift_entered_in_the_admin_is_normalized_and_receipted(
    client, smtp_server, django_capture_on_commit_callbacks
):
    campaign = month_campaign()
    user = staff("add_donation", "view_donation")
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            LEDGER + "add/",
            {
                "campaign": campaign.pk,
                "kind": "gift",
                "amount": "120.50",
                "source": "bank",
                "received": "2030-01-10 10:00",
                "donor_name": "   Bank Reader  ",
                "donor_email": "bank.reader@example.org",
                "thank_publicly": "on",
                "note": "  transfer ref 889 ",
            },
        )

    assert response.status_code == 302, response.content[-2000:]
    line = Donation.objects.get()
    assert (line.amount_minor, line.currency, line.entered_by) == (12_050, "USD", user)
    assert (line.donor_name, line.note, line.thank_publicly) == (
        "Bank Reader",
        "transfer ref 889",
        True,
    )
    mails = smtp_server.to("bank.reader@example.org")
    assert len(mails) == 1  # the receipt, as for a card gift
    assert "120.50 $" in mails[0]["Subject"]
    assert ModelLogEntry.objects.filter(object_id=str(line.pk), action="wagtail.create").exists()


def test_the_admin_form_offers_no_reversal_kind(client):
    campaign = month_campaign()
    client.force_login(staff("add_donation", "view_donation"))

    response = client.post(
        LEDGER + "add/",
        {"campaign": campaign.pk, "kind": "reversal", "amount": "10", "source": "cash",
         "received": "2030-01-10 10:00"},
    )  # fmt: skip

    assert response.status_code == 200
    assert not Donation.objects.exists()


@pytest.mark.parametrize("action", ["edit", "delete"])
def test_nobody_can_edit_or_delete_a_ledger_line_in_the_admin(client, action):
    line = offline_gift(month_campaign())
    client.force_login(superuser())

    shown = client.get(f"{LEDGER}{action}/{line.pk}/")
    posted = client.post(f"{LEDGER}{action}/{line.pk}/", {"amount": "1", "note": "changed"})

    assert (shown.status_code, posted.status_code) == (404, 404)
    line.refresh_from_db()
    assert (line.amount_minor, line.note) == (5_000, "")


def test_the_ledger_listing_offers_reverse_but_neither_edit_nor_delete(client):
    line = offline_gift(month_campaign())
    client.force_login(superuser())

    page = client.get(LEDGER).content.decode()

    assert f"/admin/funding/ledger/{line.pk}/reverse/" in page
    assert f"{LEDGER}edit/{line.pk}/" not in page
    assert f"{LEDGER}delete/{line.pk}/" not in page
    assert client.get(f"{LEDGER}inspect/{line.pk}/").status_code == 200


def test_bulk_delete_is_refused_too(client):
    line = offline_gift(month_campaign())
    client.force_login(superuser())

    client.post(f"/admin/bulk/funding/donation/delete/?id={line.pk}")

    assert Donation.objects.filter(pk=line.pk).exists()


def test_reversing_a_gift_in_the_admin_takes_it_out_of_the_totals_and_is_audited(client):
    campaign = month_campaign()
    keep = offline_gift(campaign, 3_000)
    mistake = offline_gift(campaign, 5_000, donor_name="Twice", thank_publicly=True)
    user = staff("add_donation", "view_donation")
    client.force_login(user)
    assert campaign_totals(campaign) == (8_000, 2)

    response = client.post(
        f"/admin/funding/ledger/{mistake.pk}/reverse/", {"reason": "entered twice"}
    )

    assert response.status_code == 302
    assert campaign_totals(campaign) == (3_000, 1)
    reversal = Donation.objects.get(kind="reversal")
    assert (reversal.reverses, reversal.amount_minor, reversal.note, reversal.entered_by) == (
        mistake,
        5_000,
        "entered twice",
        user,
    )
    mistake.refresh_from_db()
    assert mistake.amount_minor == 5_000  # the line itself is untouched
    assert Donation.objects.filter(pk=keep.pk).exists()
    entry = ModelLogEntry.objects.get(action="funding.reverse")
    assert (entry.object_id, entry.user, entry.data["reversal"]) == (
        str(mistake.pk),
        user,
        reversal.pk,
    )


def test_a_line_is_reversed_once_and_a_reversal_is_not_reversed(client):
    campaign = month_campaign()
    line = offline_gift(campaign, 2_000)
    client.force_login(staff("add_donation", "view_donation"))
    client.post(f"/admin/funding/ledger/{line.pk}/reverse/", {"reason": "wrong campaign"})
    reversal = Donation.objects.get(kind="reversal")

    again = client.post(f"/admin/funding/ledger/{line.pk}/reverse/", {"reason": "again"})
    undo = client.post(f"/admin/funding/ledger/{reversal.pk}/reverse/", {"reason": "undo"})

    assert (again.status_code, undo.status_code) == (400, 400)
    assert b"reversed already" in again.content
    assert b"cannot be reversed" in undo.content
    assert Donation.objects.filter(kind="reversal").count() == 1
    assert campaign_totals(campaign) == (0, 0)


def test_reversing_needs_a_reason_and_the_right_to_add_lines(client):
    line = offline_gift(month_campaign())
    client.force_login(staff("view_donation"))
    refused = client.post(f"/admin/funding/ledger/{line.pk}/reverse/", {"reason": "x"})
    assert refused.status_code in (302, 403)  # Wagtail sends the refused to the dashboard
    assert not Donation.objects.filter(kind="reversal").exists()
    client.force_login(staff("add_donation", "view_donation", username="kim"))

    response = client.post(f"/admin/funding/ledger/{line.pk}/reverse/", {"reason": "  "})

    assert response.status_code == 400
    assert not Donation.objects.filter(kind="reversal").exists()


def test_reversing_an_offline_refund_gives_the_money_back_to_the_total():
    campaign = month_campaign()
    offline_gift(campaign, 5_000)
    refund = offline_gift(campaign, 2_000, kind=Donation.Kind.REFUND)
    assert campaign_totals(campaign) == (3_000, 1)

    services.donation_reverse(line=refund, entered_by=None, reason="refund never sent")

    assert campaign_totals(campaign) == (5_000, 1)


def test_card_lines_follow_stripe_and_are_not_reversed_in_the_admin():
    campaign = month_campaign()
    card = offline_gift(campaign, 2_500, source="card", external_id="pi_card")

    with pytest.raises(services.FundingError) as refused:
        services.donation_reverse(line=card, entered_by=None, reason="chargeback")

    assert "refund the payment in Stripe" in refused.value.message
    assert campaign_totals(campaign) == (2_500, 1)


def test_a_reversed_gift_is_no_longer_thanked_publicly():
    from masthead.funding.pages import thanks_public

    campaign = month_campaign()
    line = offline_gift(campaign, 1_000, donor_name="Ada", thank_publicly=True)
    assert thanks_public() == ["Ada"]

    services.donation_reverse(line=line, entered_by=None, reason="not Ada's gift")

    assert thanks_public() == []


def test_reconcile_agrees_with_the_pages_after_reversals():
    import io

    from django.core.management import call_command

    campaign = month_campaign()
    gift = offline_gift(campaign, 5_000)
    refund = offline_gift(campaign, 1_000, kind=Donation.Kind.REFUND)
    offline_gift(campaign, 700)
    services.donation_reverse(line=gift, entered_by=None, reason="twice")
    services.donation_reverse(line=refund, entered_by=None, reason="not sent")
    out = io.StringIO()

    call_command("funding", "reconcile", stdout=out)

    assert campaign_totals(campaign) == (700, 1)
    assert "Every total matches" in out.getvalue()


def test_a_campaign_with_ledger_lines_keeps_its_currency_and_cannot_be_deleted(client):
    campaign = month_campaign()
    offline_gift(campaign, 1_000)
    client.force_login(superuser())

    edited = client.post(
        f"/admin/snippets/funding/campaign/edit/{campaign.pk}/",
        {"title": "", "starts": campaign.starts.isoformat(), "ends": campaign.ends.isoformat(),
         "currency": "EUR", "goal_minor": "500000", "ticks_minor": "[]"},
    )  # fmt: skip
    client.post(f"/admin/snippets/funding/campaign/delete/{campaign.pk}/")

    assert b"its currency stays" in edited.content
    campaign.refresh_from_db()
    assert campaign.currency == "USD"
    assert campaign_totals(campaign) == (1_000, 1)

"""The ledger: amounts, currencies, totals, monthly campaigns, receipts, admin, CSV, reconcile."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command

from masthead.funding import services
from masthead.funding.models import Campaign, Donation, FundingSettings
from masthead.funding.money import MoneyError, money_format, to_major, to_minor
from masthead.funding.selectors import campaign_summary
from masthead.funding.tests.factories import month_campaign

pytestmark = pytest.mark.django_db


def gift(campaign, minor, **options):
    options.setdefault("source", "bank")
    options.setdefault("currency", campaign.currency)
    return services.donation_record(campaign=campaign, amount_minor=minor, **options)


@pytest.mark.parametrize(
    ("minor", "currency", "pattern", "locale", "written"),
    [
        (166_000, "USD", "#,##0 ¤", "en_US", "1,660 $"),
        (166_000, "USD", "¤#,##0", "en_US", "$1,660"),
        (166_050, "USD", "#,##0.00 ¤", "en_US", "1,660.50 $"),
        (166_000, "EUR", "#,##0 ¤", "fr_FR", "1\u202f660 €"),
        (5_000, "JPY", "¤#,##0", "ja_JP", "￥5,000"),
    ],
)
def test_amounts_are_written_by_the_pattern_and_locale(minor, currency, pattern, locale, written):
    assert money_format(minor, currency, pattern=pattern, locale=locale) == written


def test_minor_units_follow_the_currency_and_floats_are_refused():
    assert to_minor("12.50", "USD") == 1250
    assert to_minor("500", "JPY") == 500
    assert to_major(1250, "USD") == Decimal("12.50")
    with pytest.raises(MoneyError):
        to_minor("12.345", "USD")
    with pytest.raises(MoneyError):
        to_minor(12.5, "USD")
    with pytest.raises(MoneyError):
        to_minor("NaN", "USD")
    with pytest.raises(MoneyError):
        to_minor("1", "XXY")


def test_raised_is_gifts_minus_refunds_of_the_campaign_currency():
    campaign = month_campaign()
    gift(campaign, 100_000)
    gift(campaign, 66_000, donor_name="Ada", thank_publicly=True)
    gift(campaign, 10_000, kind=Donation.Kind.REFUND)
    summary = campaign_summary(campaign)
    assert (summary.raised_minor, summary.donations, summary.percent) == (156_000, 2, 31)
    assert summary.as_api()["raised"] == "1560.00"


@pytest.mark.parametrize(
    ("minor", "currency", "field"),
    [(0, "USD", "amount"), (-5, "USD", "amount"), (1_000_001, "USD", "amount"),
     (100, "EUR", "currency"), (100, "ZZZ", "currency")],
)  # fmt: skip
def test_bad_amounts_and_currencies_are_refused_and_nothing_is_recorded(minor, currency, field):
    campaign = month_campaign()
    with pytest.raises(services.FundingError) as refused:
        gift(campaign, minor, currency=currency)
    assert refused.value.field == field
    assert refused.value.message
    assert not Donation.objects.exists()


def test_a_new_month_starts_its_campaign_with_last_months_goal_when_switched_on():
    from wagtail.models import Site

    month_campaign(goal_minor=300_000, day=date(2030, 1, 15))
    assert services.campaign_monthly_ensure_if_switched_on() is None  # off by default
    FundingSettings.objects.create(
        site=Site.objects.get(is_default_site=True), monthly_campaigns=True
    )
    made = services.campaign_monthly_ensure(date(2030, 2, 1))
    assert (made.starts, made.ends, made.goal_minor) == (
        date(2030, 2, 1),
        date(2030, 2, 28),
        300_000,
    )
    assert services.campaign_monthly_ensure(date(2030, 2, 2)) is None  # once a month
    assert Campaign.objects.count() == 2


def test_the_default_title_is_the_month_in_the_sites_language():
    campaign = month_campaign(day=date(2021, 6, 10))
    assert campaign_summary(campaign).title == "June 2021"


def test_a_card_gift_queues_a_receipt_once(smtp_server, django_capture_on_commit_callbacks):
    campaign = month_campaign()
    with django_capture_on_commit_callbacks(execute=True):
        gift(campaign, 2_500, source="card", donor_email="ada@example.org", donor_name="Ada",
             external_id="pi_123")  # fmt: skip
    mails = smtp_server.to("ada@example.org")
    assert len(mails) == 1
    assert "25 $" in mails[0]["Subject"]
    with pytest.raises(services.FundingError):
        gift(campaign, 2_500, source="card", donor_email="ada@example.org", external_id="pi_123")
    assert len(smtp_server.to("ada@example.org")) == 1


def staff(*codenames):
    user = get_user_model().objects.create_user("sam", "sam@example.org", "pw-sam-123")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", *codenames]))
    return user


def test_staff_enter_an_offline_gift_in_the_admin_and_it_is_attributed(client):
    campaign = month_campaign()
    user = staff("add_donation", "change_donation", "view_donation")
    client.force_login(user)
    response = client.post(
        "/admin/snippets/funding/donation/add/",
        {
            "campaign": campaign.pk,
            "kind": "gift",
            "amount": "120.50",
            "source": "bank",
            "received": "2030-01-10 10:00",
            "donor_name": "Bank reader",
            "donor_email": "",
            "note": "transfer ref 889",
        },
    )
    assert response.status_code == 302, response.content[-2000:]
    line = Donation.objects.get()
    assert (line.amount_minor, line.currency, line.entered_by) == (12_050, "USD", user)
    from wagtail.models import ModelLogEntry

    assert ModelLogEntry.objects.filter(object_id=str(line.pk), action="wagtail.create").exists()


def test_the_admin_refuses_a_bad_offline_amount(client):
    campaign = month_campaign()
    client.force_login(staff("add_donation", "view_donation"))
    response = client.post(
        "/admin/snippets/funding/donation/add/",
        {"campaign": campaign.pk, "kind": "gift", "amount": "99999999", "source": "cash",
         "received": "2030-01-10 10:00"},
    )  # fmt: skip
    assert response.status_code == 200
    assert b"are not taken here" in response.content
    assert not Donation.objects.exists()


def test_csv_export_needs_permission_and_defuses_formulas(client):
    campaign = month_campaign()
    gift(campaign, 1_000, donor_name='=HYPERLINK("http://x")', donor_email="a@example.org")
    url = f"/admin/funding/campaigns/{campaign.pk}/donations.csv"
    assert client.get(url).status_code == 302  # to the login
    client.force_login(staff())
    assert client.get(url).status_code in (302, 403)
    client.logout()
    get_user_model().objects.all().delete()
    client.force_login(staff("view_donation"))
    response = client.get(url)
    body = b"".join(response.streaming_content).decode()
    assert response.status_code == 200
    assert "10.00,USD,bank" in body
    assert "'=HYPERLINK" in body


def test_reconcile_reports_totals_and_differences():
    campaign = month_campaign()
    gift(campaign, 5_000)
    out = io.StringIO()
    call_command("funding", "reconcile", stdout=out)
    assert "raised 50 $ of 5,000 $" in out.getvalue()
    assert "Every total matches" in out.getvalue()
    # A line in another currency (written around the services) is a difference.
    Donation.objects.create(campaign=campaign, amount_minor=100, currency="EUR", source="cash")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("funding", "reconcile", stdout=io.StringIO(), stderr=err)
    assert exited.value.code == 1
    assert "is in EUR" in err.getvalue()


def test_control_characters_from_a_provider_are_dropped_not_a_failed_gift():
    # PostgreSQL cannot store NUL: a donor name carrying one must still record the gift.
    campaign = month_campaign()
    donation = gift(
        campaign,
        5_000,
        donor_name="Ada\x00 Lovelace",
        donor_email="ada@example.org\x00",
        note="Thanks\x07 for the work",
    )
    donation.refresh_from_db()
    assert (donation.donor_name, donation.donor_email) == ("Ada Lovelace", "ada@example.org")
    assert donation.note == "Thanks for the work"

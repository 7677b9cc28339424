"""The Support page: the large bar, the card form (only with Stripe), other ways, thanks."""

import pytest
from wagtail.models import Site

from masthead.funding import services
from masthead.funding.models import FundingSettings
from masthead.funding.pages import SupportPage
from masthead.funding.selectors import local_date
from masthead.publishing.tests import factories

pytestmark = pytest.mark.django_db

OTHER_WAYS = [
    {
        "type": "bank_transfer",
        "value": {
            "account_holder": "Harbour Ledger Trust",
            "account": "GB33 BUKB 2020 1555 5555 55",
            "bic": "BUKBGB22",
            "bank": "",
            "reference": "Gift",
        },
    },
    {
        "type": "crypto",
        "value": {"network": "Bitcoin", "address": "bc1qexampleaddress", "note": ""},
    },
    {"type": "paypal", "value": {"url": "https://paypal.me/example", "label": "Give with PayPal"}},
    {"type": "text", "value": "<p>Cash is welcome at the newsroom.</p>"},
]


@pytest.fixture
def support_page():
    factories.outlet_configure()
    page = SupportPage(
        title="Support The Test Gazette",
        slug="give",
        intro="<p>Readers pay for this.</p>",
        other_ways=OTHER_WAYS,
    )
    factories.front_page().add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def campaign():
    starts, ends = services.month_bounds(local_date())
    return services.campaign_create(starts=starts, ends=ends, goal_minor=500_000, currency="USD")


def gift(campaign, amount_minor=10_000, **extra):
    return services.donation_record(
        campaign=campaign, amount_minor=amount_minor, currency="USD", source="card", **extra
    )


def test_without_stripe_readers_see_only_the_ways_that_exist(client, settings, support_page):
    settings.STRIPE_SECRET_KEY = ""

    html = client.get(support_page.url).content.decode()

    assert "Give by card" not in html
    assert "not configured" not in html
    assert 'action="/support/checkout"' not in html
    assert "Other ways to give" in html
    assert "Gifts cannot be made on this site yet." not in html


def test_without_stripe_or_other_ways_readers_are_told_plainly(client, settings, support_page):
    settings.STRIPE_SECRET_KEY = ""
    support_page.other_ways = []
    support_page.save_revision().publish()

    html = client.get(support_page.url).content.decode()

    assert "Gifts cannot be made on this site yet." in html
    assert "Give by card" not in html


def test_editors_are_told_in_the_editor_why_there_is_no_card_form(client, settings, support_page):
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw-for-tests")
    client.force_login(editor)
    settings.STRIPE_SECRET_KEY = ""
    hint = "Card gifts are off: readers see only the other ways to give below."
    assert hint in client.get(f"/admin/pages/{support_page.pk}/edit/").content.decode()

    settings.STRIPE_SECRET_KEY = "sk_test_x"
    assert hint not in client.get(f"/admin/pages/{support_page.pk}/edit/").content.decode()


def test_card_form_offers_presets_a_custom_amount_and_thanks(client, settings, support_page):
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    settings.FUNDING_PRESET_AMOUNTS = "5,10,25"

    html = client.get(support_page.url).content.decode()

    assert '<form class="support-form" method="post" action="/support/checkout">' in html
    assert 'name="csrfmiddlewaretoken"' in html
    for value, label in (("5", "5 $"), ("10", "10 $"), ("25", "25 $")):
        assert f'name="amount" value="{value}"' in html
        assert label in html
    assert 'name="amount" value="other"' in html
    assert 'name="amount_other"' in html
    assert 'name="frequency" value="once" checked' in html
    assert 'name="frequency" value="monthly"' in html
    assert 'name="donor_name"' in html
    assert 'name="thank_publicly" value="1"' in html
    # The page's language, for the checkout and the receipt (the checkout address has none).
    assert '<input type="hidden" name="language" value="en">' in html
    assert "Gifts cannot be made on this site yet." not in html


def test_presets_come_from_settings_first(client, settings, support_page):
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    row = FundingSettings.for_site(Site.objects.get(is_default_site=True))
    row.preset_amounts = "7, 12.50, nonsense"
    row.save()

    html = client.get(support_page.url).content.decode()

    assert 'name="amount" value="7"' in html
    assert 'name="amount" value="12.50"' in html
    assert "12.50 $" in html
    assert 'value="25"' not in html


def test_page_with_the_card_form_is_never_cached(client, settings, support_page):
    # Its CSRF token belongs to one reader.
    settings.STRIPE_SECRET_KEY = "sk_test_x"

    client.get(support_page.url)
    response = client.get(support_page.url)

    assert "X-Page-Cache" not in response


def test_other_ways_to_give_are_listed(client, support_page):
    html = client.get(support_page.url).content.decode()

    assert "GB33 BUKB 2020 1555 5555 55" in html
    assert "BUKBGB22" in html
    assert '<code class="crypto-address">bc1qexampleaddress</code>' in html
    assert 'data-copy="bc1qexampleaddress"' in html
    assert 'href="https://paypal.me/example"' in html
    assert "Cash is welcome at the newsroom." in html


def test_large_bar_replaces_the_header_bar(client, support_page, campaign):
    gift(campaign, 166_000)

    html = client.get(support_page.url).content.decode()

    assert "funding-bar-large" in html
    assert "funding-bar-compact" not in html
    assert "raised <strong data-funding-raised>1,660 $</strong>" in html


def test_public_thanks_name_only_donors_who_asked_newest_first(client, support_page, campaign):
    gift(campaign, donor_name="Quiet Giver", donor_email="quiet@example.org")
    gift(campaign, donor_name="First Thanked", thank_publicly=True)
    gift(campaign, donor_name="Second Thanked", thank_publicly=True, donor_email="s@example.org")

    html = client.get(support_page.url).content.decode()

    assert html.index("Second Thanked") < html.index("First Thanked")
    assert "Quiet Giver" not in html
    assert "@example.org" not in html


def test_public_thanks_stop_at_twenty(client, support_page, campaign):
    for number in range(22):
        gift(campaign, donor_name=f"Giver number {number:02d}", thank_publicly=True)

    html = client.get(support_page.url).content.decode()

    assert "Giver number 21" in html
    assert "Giver number 02" in html
    assert "Giver number 01" not in html
    assert "Giver number 00" not in html

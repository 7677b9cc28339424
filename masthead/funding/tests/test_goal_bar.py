"""The goal bar: what it says, how it is read aloud, and that cached pages show fresh amounts."""

from datetime import date

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time
from wagtail.models import Site

from masthead.funding import services
from masthead.funding.models import FundingSettings
from masthead.funding.selectors import local_date
from masthead.publishing.tests import factories

pytestmark = pytest.mark.django_db


def bar(size: str = "compact") -> str:
    template = Template("{% load funding_tags %}{% funding_goal_bar size=size %}")
    return template.render(Context({"size": size}))


def gift(campaign, amount_minor: int, **extra):
    return services.donation_record(
        campaign=campaign,
        amount_minor=amount_minor,
        currency=campaign.currency,
        source="bank",
        **extra,
    )


@pytest.fixture
def june():
    """June 2021, with a 5,000 USD goal and ticks at 0, 2,500 and 5,000."""
    with freeze_time("2021-06-15 12:00"):
        yield services.campaign_create(
            starts=date(2021, 6, 1),
            ends=date(2021, 6, 30),
            goal_minor=500_000,
            currency="USD",
            ticks=[0, 250_000, 500_000],
        )


def this_month(goal_minor: int = 500_000):
    starts, ends = services.month_bounds(local_date())
    return services.campaign_create(starts=starts, ends=ends, goal_minor=goal_minor, currency="USD")


def test_bar_shows_period_ticks_raised_and_percent(june):
    gift(june, 166_000)

    html = bar()

    assert "JUNE 2021" in html
    for position, label in (("0.00", "0 $"), ("50.00", "2,500 $"), ("100.00", "5,000 $")):
        assert f'style="left: {position}%">{label}</li>' in html
    assert "raised <strong data-funding-raised>1,660 $</strong>" in html
    assert "<strong data-funding-percent>33%</strong>" in html
    assert 'style="width: 33%"' in html
    assert "data-funding-bar" in html


def test_bar_is_a_progressbar_with_major_units_and_a_text_equivalent(june):
    gift(june, 166_000)

    html = bar("large")

    assert 'role="progressbar"' in html
    assert 'aria-valuemin="0"' in html
    assert 'aria-valuemax="5000.00"' in html
    assert 'aria-valuenow="1660.00"' in html
    assert 'aria-valuetext="raised 1,660 $ of 5,000 $, 33%"' in html
    assert "funding-bar-large" in html


def test_bar_past_the_goal_says_so_and_stays_full(june):
    gift(june, 560_000)

    html = bar()

    assert "<strong data-funding-percent>112%</strong>" in html
    assert "<span data-funding-passed> — goal passed</span>" in html
    assert 'style="width: 100%"' in html
    assert 'aria-valuetext="raised 5,600 $ of 5,000 $, 112%, goal passed"' in html


def test_bar_before_the_goal_hides_goal_passed(june):
    gift(june, 166_000)

    assert "<span data-funding-passed hidden>" in bar()


def test_amount_pattern_setting_changes_how_amounts_read(june):
    gift(june, 166_000)
    assert "1,660 $" in bar()

    row = FundingSettings.for_site(Site.objects.get(is_default_site=True))
    row.amount_pattern = "¤#,##0"
    row.save()

    html = bar()
    assert "raised <strong data-funding-raised>$1,660</strong>" in html
    assert ">$2,500</li>" in html


def test_locale_setting_writes_french_amounts_and_month():
    row = FundingSettings.for_site(Site.objects.get(is_default_site=True))
    row.locale = "fr_FR"
    row.save()
    with freeze_time("2021-06-15 12:00"):
        campaign = services.campaign_create(
            starts=date(2021, 6, 1), ends=date(2021, 6, 30), goal_minor=500_000, currency="EUR"
        )
        gift(campaign, 166_000)

        html = bar()

    assert "JUIN 2021" in html
    # French groups thousands with a narrow no-break space.
    assert "1\u202f660 €" in html


def test_nothing_is_rendered_without_a_campaign():
    assert bar().strip() == ""


def test_site_header_carries_the_compact_bar_linking_to_support(client):
    factories.outlet_configure(support_url="https://give.example/")
    gift(this_month(), 166_000)

    html = client.get("/").content.decode()

    assert "funding-bar-compact" in html
    assert '<a href="https://give.example/" data-funding-title>' in html


def test_site_renders_without_a_campaign(client):
    response = client.get("/")

    assert response.status_code == 200
    assert "data-funding-bar" not in response.content.decode()


def test_article_page_query_count_does_not_grow_with_gifts(client, settings):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 0  # measure rendering, not the page cache
    factories.outlet_configure()
    article = factories.article_create(factories.section_create("City"), "Fares rise")
    campaign = this_month()

    def queries() -> int:
        client.get(article.url)  # warm-up
        with CaptureQueriesContext(connection) as captured:
            response = client.get(article.url)
        assert b"data-funding-bar" in response.content
        return len(captured.captured_queries)

    gift(campaign, 1_000)
    few = queries()
    for _ in range(30):
        gift(campaign, 1_000)
    many = queries()

    assert few == many


def test_cached_page_shows_a_new_gift_on_the_next_load(client, django_capture_on_commit_callbacks):
    factories.outlet_configure()
    article = factories.article_create(factories.section_create("City"), "Fares rise")
    campaign = this_month()
    with django_capture_on_commit_callbacks(execute=True):
        gift(campaign, 166_000)
    client.get(article.url)
    cached = client.get(article.url)
    assert cached["X-Page-Cache"] == "hit"
    assert "1,660 $" in cached.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        gift(campaign, 50_000)
    fresh = client.get(article.url)

    assert fresh["X-Page-Cache"] == "miss"
    html = fresh.content.decode()
    assert "raised <strong data-funding-raised>2,160 $</strong>" in html
    assert "<strong data-funding-percent>43%</strong>" in html


def test_changing_the_goal_refreshes_cached_pages(client):
    factories.outlet_configure()
    campaign = this_month()
    gift(campaign, 166_000)
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"

    campaign.goal_minor = 200_000
    campaign.save()
    fresh = client.get("/")

    assert fresh["X-Page-Cache"] == "miss"
    assert "<strong data-funding-percent>83%</strong>" in fresh.content.decode()

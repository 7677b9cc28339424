"""GET /api/v1/funding/current: the goal bar's numbers as JSON, and nothing about donors."""

import pytest

from masthead.funding import services
from masthead.funding.selectors import local_date

pytestmark = pytest.mark.django_db

URL = "/api/v1/funding/current"


@pytest.fixture
def campaign():
    starts, ends = services.month_bounds(local_date())
    campaign = services.campaign_create(
        starts=starts, ends=ends, goal_minor=500_000, currency="USD", ticks=[0, 250_000, 500_000]
    )
    services.donation_record(
        campaign=campaign,
        amount_minor=166_000,
        currency="USD",
        source="card",
        donor_name="Ada Reader",
        donor_email="ada@example.org",
        thank_publicly=False,
    )
    return campaign


def test_current_campaign_in_major_units(client, campaign):
    response = client.get(URL)

    assert response.status_code == 200
    assert response.json() == {
        "title": campaign.starts.strftime("%B %Y"),
        "period_start": campaign.starts.isoformat(),
        "period_end": campaign.ends.isoformat(),
        "currency": "USD",
        "goal": "5000.00",
        "raised": "1660.00",
        "percent": 33,
        "ticks": ["0.00", "2500.00", "5000.00"],
        "donations": 1,
        "formatted": {
            "goal": "5,000 $",
            "raised": "1,660 $",
            "ticks": ["0 $", "2,500 $", "5,000 $"],
            "percent": "33%",
        },
    }


def test_donors_never_leave_through_the_api(client, campaign):
    body = client.get(URL).content.decode()

    assert "ada@example.org" not in body
    assert "Ada Reader" not in body


def test_no_campaign_is_a_json_404(client):
    response = client.get(URL)

    assert response.status_code == 404
    assert response.json() == {"error": "No campaign is running."}

"""Staff's TOTP second factor in the Wagtail admin."""

import base64
import re

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from masthead.accounts.models import LoginFailure

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
VERIFY = "/admin/2fa/verify/"
ENROL = "/admin/2fa/"


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)


@pytest.fixture
def device(editor):
    return TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)


def _code(device, steps_ahead=0) -> str:
    # The app's code; a later step's for a second sign-in (a code is accepted only once).
    return f"{totp(device.bin_key, drift=steps_ahead):06d}"


def _password(client, password=PASSWORD):
    return client.post("/admin/login/", {"username": "editor", "password": password})


def test_staff_enrols_an_app_and_then_needs_its_code_after_the_password(client, editor):
    assert _password(client)["Location"] == "/admin/"
    page = client.get(ENROL)
    assert page.status_code == 200
    assert b"<svg" in page.content  # the QR code
    secret = re.search(r"data-totp-secret>([A-Z2-7 ]+)<", page.content.decode()).group(1)
    pending = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert secret.replace(" ", "") in base64.b32encode(pending.bin_key).decode()

    confirmed = client.post(ENROL, {"code": _code(pending)})
    assert confirmed.status_code == 302
    assert TOTPDevice.objects.get(user=editor).confirmed

    client.logout()
    after_password = _password(client)
    assert after_password["Location"].startswith(VERIFY)
    # The password alone opens neither the admin nor the reader's pages.
    assert client.get("/admin/pages/")["Location"].startswith(VERIFY)
    assert client.get("/notifications/subscriptions/")["Location"].startswith("/accounts/login/")

    verified = client.post(VERIFY, {"code": _code(pending, steps_ahead=1), "next": "/admin/pages/"})
    assert verified["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused_and_audited(client, device):
    _password(client)
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"

    response = client.post(VERIFY, {"code": wrong})

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get("/admin/")["Location"].startswith(VERIFY)
    failure = LoginFailure.objects.get()
    assert (failure.username, failure.stage) == ("editor", LoginFailure.Stage.CODE)


def test_wrong_codes_count_towards_the_sign_in_lock(client, device):
    _password(client)
    for _ in range(10):
        client.post(VERIFY, {"code": "000000" if _code(device) != "000000" else "111111"})

    response = client.post(VERIFY, {"code": _code(device)})

    assert response.status_code == 429
    assert "Retry-After" in response
    assert client.get("/admin/")["Location"].startswith(VERIFY)


def test_required_mode_sends_staff_without_an_app_to_enrol_first(client, editor, settings):
    settings.MASTHEAD_STAFF_2FA = "required"
    _password(client)

    response = client.get("/admin/pages/")

    assert response["Location"].startswith(ENROL)
    assert client.get(ENROL).status_code == 200


def test_optional_mode_leaves_staff_without_an_app_alone(client, editor):
    _password(client)

    assert client.get("/admin/").status_code == 200
    assert b"Two-factor authentication" in client.get("/admin/account/").content

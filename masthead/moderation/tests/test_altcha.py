"""ALTCHA on the server: challenges are signed with a derived key, and a solution counts once."""

import base64
import json
from datetime import timedelta

import pytest
from altcha import v1 as altcha_v1
from django.utils import timezone

from masthead.moderation import altcha


def solved(issued: dict, **changes) -> str:
    """Solve the `issued` challenge as a browser would; return its payload, with `changes`."""
    solution = altcha_v1.solve_challenge(
        issued["challenge"], issued["salt"], issued["algorithm"], issued["maxNumber"]
    )
    fields = {
        "algorithm": issued["algorithm"],
        "challenge": issued["challenge"],
        "number": solution.number,
        "salt": issued["salt"],
        "signature": issued["signature"],
        **changes,
    }
    return encoded(fields)


def encoded(value) -> str:
    return base64.b64encode(json.dumps(value).encode()).decode()


def test_a_valid_solution_verifies_once_and_its_replay_fails():
    payload = solved(altcha.altcha_challenge_create())

    assert altcha.altcha_verify(payload) == (True, "")
    assert altcha.altcha_verify(payload) == (False, "proof of work used already")


def test_challenges_differ_and_expire_within_minutes():
    first, second = altcha.altcha_challenge_create(), altcha.altcha_challenge_create()

    assert first["salt"] != second["salt"]
    assert first["maxNumber"] == altcha.MAX_NUMBER
    expires = altcha._expiry(first["salt"])
    seconds_left = expires - timezone.now().timestamp()
    assert 0 < seconds_left <= altcha.CHALLENGE_SECONDS


def test_the_signing_key_comes_from_the_secret_key(settings):
    payload = solved(altcha.altcha_challenge_create())
    settings.SECRET_KEY = "another-secret-key-that-is-long-enough-for-django-0123456789"
    assert altcha.altcha_verify(payload) == (False, "proof of work is not valid")


def test_a_challenge_signed_with_another_key_is_refused():
    forged = altcha_v1.create_challenge(
        algorithm="SHA-256",
        max_number=1000,
        hmac_key="guessed-key",
        expires=timezone.now() + timedelta(minutes=5),
    ).to_dict()
    assert altcha.altcha_verify(solved(forged)) == (False, "proof of work is not valid")


@pytest.mark.parametrize(
    "changes",
    [
        {"signature": "0" * 64},
        {"number": 10**9},
        {"challenge": "f" * 64},
    ],
)
def test_a_tampered_solution_is_refused(changes):
    payload = solved(altcha.altcha_challenge_create(), **changes)
    assert altcha.altcha_verify(payload) == (False, "proof of work is not valid")


def test_an_expired_challenge_is_refused_even_when_correctly_signed():
    stale = altcha_v1.create_challenge(
        algorithm="SHA-256",
        max_number=1000,
        hmac_key=altcha._hmac_key(),
        expires=timezone.now() - timedelta(seconds=1),
    ).to_dict()
    assert altcha.altcha_verify(solved(stale)) == (False, "proof of work expired")


def test_a_challenge_without_expiry_is_refused():
    endless = altcha_v1.create_challenge(
        algorithm="SHA-256", max_number=1000, hmac_key=altcha._hmac_key()
    ).to_dict()
    assert altcha.altcha_verify(solved(endless)) == (False, "proof of work without an expiry")


def test_a_salt_with_two_expiries_is_refused():
    challenge = altcha.altcha_challenge_create()
    payload = solved(challenge, salt=challenge["salt"] + "expires=9999999999&")
    assert altcha.altcha_verify(payload)[0] is False


def test_another_algorithm_is_refused():
    payload = solved(altcha.altcha_challenge_create(), algorithm="SHA-1")
    assert altcha.altcha_verify(payload) == (False, "proof of work uses another algorithm")


@pytest.mark.parametrize(
    "payload",
    [
        "",
        None,
        "not base64 at all!",
        base64.b64encode(b"\xff\xfe not utf-8").decode(),
        base64.b64encode(b"not json").decode(),
        encoded(["a", "list"]),
        encoded({"algorithm": "SHA-256"}),
        encoded(
            {"algorithm": "SHA-256", "challenge": 1, "salt": "s", "signature": "x", "number": 1}
        ),
        encoded(
            {"algorithm": "SHA-256", "challenge": "c", "salt": "s", "signature": "x", "number": "1"}
        ),
        encoded(
            {
                "algorithm": "SHA-256",
                "challenge": "c",
                "salt": "s",
                "signature": "x",
                "number": True,
            }
        ),
        encoded(
            {"algorithm": "SHA-256", "challenge": "c", "salt": "s", "signature": "x", "number": -1}
        ),
        base64.b64encode(b"[" * 5000).decode(),
        "A" * 5000,
    ],
)
def test_a_garbled_payload_is_refused_with_a_reason_and_no_exception(payload):
    ok, reason = altcha.altcha_verify(payload)
    assert ok is False and reason == "proof of work missing or unreadable"


@pytest.mark.urls("masthead.moderation.tests.altcha_urls")
def test_the_challenge_view_answers_fresh_json_that_nobody_caches(client):
    response = client.get("/moderation/altcha/challenge")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    challenge = response.json()
    assert set(challenge) == {"algorithm", "challenge", "maxNumber", "salt", "signature"}
    assert altcha.altcha_verify(solved(challenge)) == (True, "")
    assert client.post("/moderation/altcha/challenge").status_code == 405

"""Password guessing on the admin and reader logins: locked after 10 failures, audited."""

import socket
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model

from masthead.accounts.models import LoginFailure
from masthead.core.hashing import keyed_hash

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/admin/login/"
READER_LOGIN = "/accounts/login/"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)


def _login(client, path, username, password, address="203.0.113.7"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def _let_the_window_pass(seconds=901):
    for failure in LoginFailure.objects.all():
        failure.created_at -= timedelta(seconds=seconds)
        failure.save(update_fields=["created_at"])


def test_eleventh_attempt_is_refused_even_with_the_right_password_until_the_window_passes(
    client, editor
):
    for _ in range(10):
        response = _login(client, ADMIN_LOGIN, "editor", "wrong")
        assert response.status_code == 200  # the form again, with its error

    refused = _login(client, ADMIN_LOGIN, "editor", "still wrong")
    assert refused.status_code == 429
    assert 840 <= int(refused["Retry-After"]) <= 900
    assert "Try again in 15 minutes" in refused.content.decode()

    right = _login(client, ADMIN_LOGIN, "editor", PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session

    _let_the_window_pass()
    opened = _login(client, ADMIN_LOGIN, "editor", PASSWORD)
    assert opened.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_the_account_is_locked_from_every_network_and_whatever_its_case(client, editor):
    for number in range(10):
        _login(
            client, ADMIN_LOGIN, "Editor" if number % 2 else "editor", "x", f"198.51.100.{number}"
        )

    response = _login(client, ADMIN_LOGIN, "editor", PASSWORD, "192.0.2.200")

    assert response.status_code == 429


def test_one_network_guessing_many_accounts_is_locked_for_all_of_them(client, editor):
    for number in range(10):
        _login(client, READER_LOGIN, f"reader{number}", "guess", "203.0.113.9")

    same_network = _login(client, READER_LOGIN, "editor", PASSWORD, "203.0.113.9")
    other_network = _login(client, READER_LOGIN, "editor", PASSWORD, "198.51.100.1")

    assert same_network.status_code == 429
    assert "Retry-After" in same_network
    assert "Too many failed sign-in attempts" in same_network.content.decode()
    assert other_network.status_code == 302


def test_an_ipv6_attacker_cannot_dodge_the_lock_inside_its_64(client, editor):
    for number in range(10):
        _login(client, ADMIN_LOGIN, f"user{number}", "guess", f"2001:db8:1:2::{number + 1:x}")

    response = _login(client, ADMIN_LOGIN, "editor", PASSWORD, "2001:db8:1:2::ffff")

    assert response.status_code == 429


def test_failures_are_audited_with_a_keyed_network_hash_never_the_address(client, editor):
    _login(client, ADMIN_LOGIN, "Editor", "wrong", "203.0.113.7")

    failure = LoginFailure.objects.get()
    assert failure.username == "editor"
    assert failure.stage == LoginFailure.Stage.PASSWORD
    assert failure.network_hash == keyed_hash("203.0.113.7", purpose="ip")
    stored = " ".join(str(getattr(failure, field.attname)) for field in LoginFailure._meta.fields)
    assert "203.0.113.7" not in stored
    assert "wrong" not in stored  # the password never reaches the audit


def test_successful_logins_are_not_audited_as_failures(client, editor):
    assert _login(client, READER_LOGIN, "editor", PASSWORD).status_code == 302
    assert not LoginFailure.objects.exists()


def test_old_failures_are_pruned(settings, editor, client):
    from masthead.accounts.services import login_failures_prune

    settings.ACCOUNTS_LOGIN_AUDIT_DAYS = 30
    _login(client, ADMIN_LOGIN, "editor", "wrong")
    _login(client, ADMIN_LOGIN, "editor", "wrong again")
    old = LoginFailure.objects.first()
    old.created_at -= timedelta(days=31)
    old.save(update_fields=["created_at"])

    assert login_failures_prune() == 1
    assert LoginFailure.objects.count() == 1


def test_the_lock_holds_while_the_shared_cache_is_down(client, editor, settings):
    with socket.socket() as probe:  # a port nothing listens on: Redis is "down"
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "masthead.core.sharedcache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    for _ in range(10):
        assert _login(client, ADMIN_LOGIN, "editor", "wrong").status_code == 200

    # Counted in the database, so every process sees the same count without the cache.
    assert _login(client, ADMIN_LOGIN, "editor", PASSWORD).status_code == 429

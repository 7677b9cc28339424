"""Configuration from the environment, checked in fresh interpreters as operators start them."""

import os
import subprocess
import sys

import pytest

PRINT_SETTINGS = (
    "import django, json; django.setup(); "
    "from django.conf import settings; from django.db import connection; "
    "cursor = connection.cursor(); "
    "mode = cursor.execute('PRAGMA journal_mode').fetchone()[0] "
    "if connection.vendor == 'sqlite' else None; "
    "print(json.dumps({'key': settings.SECRET_KEY, "
    "'engine': settings.DATABASES['default']['ENGINE'], "
    "'name': str(settings.DATABASES['default']['NAME']), 'journal': mode, "
    "'hosts': settings.ALLOWED_HOSTS, 'cache': settings.CACHES['default']['BACKEND'], "
    "'log': settings.LOGGING['root']['level'], "
    "'requests': settings.LOGGING['loggers']['django.request']['level']}))"
)


def run_settings(tmp_path, code=PRINT_SETTINGS, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "SECRET_KEY",
            "MASTHEAD_ENV",
            "REDIS_URL",
            "ALLOWED_HOSTS",
            "LOG_LEVEL",
            "MASTHEAD_LOG_LEVEL",
        }
    }
    environment.update(DJANGO_SETTINGS_MODULE="masthead.settings", MASTHEAD_VAR_DIR=str(tmp_path))
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_default_database_is_a_sqlite_file_in_var_with_wal(tmp_path):
    import json

    result = run_settings(tmp_path)

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "masthead.core.sqlite"  # Django's, with checked kept connections
    assert values["name"] == str(tmp_path / "masthead.sqlite3")
    assert values["journal"] == "wal"
    assert values["cache"].endswith("FileBasedCache")  # shared by all processes of the machine


# Every URL resolved (the admin's and the API's modules imported, as in a server or a worker
# rendering a mail), then the client libraries a process has loaded.
LOADED_CLIENTS = (
    "import django, json, sys; django.setup(); "
    "from django.urls import get_resolver; get_resolver().url_patterns; "
    "from django.core.cache import cache; cache.get('anything'); "
    "print(json.dumps([name for name in ('redis', 'stripe') if name in sys.modules]))"
)


def test_a_site_without_redis_or_card_payments_loads_neither_client(tmp_path):
    """Memory: redis-py is ~7 MB and stripe with its HTTP clients ~17 MB in each process (the
    server and the worker); a site on SQLite that takes no card payment needs neither."""
    import json

    alone = run_settings(tmp_path, LOADED_CLIENTS)
    with_redis = run_settings(tmp_path, LOADED_CLIENTS, REDIS_URL="redis://127.0.0.1:1/0")

    assert alone.returncode == 0, alone.stderr
    assert json.loads(alone.stdout) == []
    # Configured, the shared cache loads its client (and answers as empty while unreachable).
    assert with_redis.returncode == 0, with_redis.stderr
    assert json.loads(with_redis.stdout) == ["redis"]


def test_development_key_is_generated_once_and_kept(tmp_path):
    import json

    first = json.loads(run_settings(tmp_path).stdout)["key"]
    second = json.loads(run_settings(tmp_path).stdout)["key"]

    assert len(first) >= 50
    assert first == second
    assert (tmp_path / "secret_key").read_text().strip() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("key", [None, "change-me", "django-insecure-" + "x" * 50, "short"])
def test_production_refuses_to_start_without_a_real_key(tmp_path, key):
    env = {"MASTHEAD_ENV": "production"}
    if key is not None:
        env["SECRET_KEY"] = key

    result = run_settings(tmp_path, **env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    "key",
    ["a" * 50, "ab" * 30, "k" * 20 + "Q" * 30, "a" * 60 + "bcdefghijk"],
)
def test_production_refuses_a_key_with_little_entropy(tmp_path, key):
    result = run_settings(tmp_path, MASTHEAD_ENV="production", SECRET_KEY=key)

    assert result.returncode != 0
    assert "SECRET_KEY is too predictable" in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr  # says how to make a good one


def test_production_starts_with_a_random_hex_key(tmp_path):
    import secrets

    result = run_settings(
        tmp_path,
        MASTHEAD_ENV="production",
        SECRET_KEY=secrets.token_hex(20),
        SITE_URL="https://news.example",
    )

    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_its_public_address(tmp_path):
    import secrets

    result = run_settings(tmp_path, MASTHEAD_ENV="production", SECRET_KEY=secrets.token_hex(20))

    assert result.returncode != 0
    assert "MASTHEAD_ENV=production needs SITE_URL" in result.stderr


@pytest.mark.parametrize(
    ("arguments", "address"),
    [
        ([], "http://127.0.0.1:8000"),
        (["--port", "8101"], "http://127.0.0.1:8101"),
        (["--host", "0.0.0.0", "--port=9000", "--workers", "2"], "http://127.0.0.1:9000"),  # noqa: S104
        (["--host", "::1"], "http://[::1]:8000"),
        (["--host", "news.local", "--skip-migrate"], "http://news.local:8000"),
    ],
)
def test_serve_links_to_the_address_it_serves_in_development(arguments, address, monkeypatch):
    from masthead.cli import served_address

    monkeypatch.delenv("PORT", raising=False)
    monkeypatch.delenv("MASTHEAD_HOST", raising=False)
    assert served_address(arguments) == address


def test_production_starts_with_a_real_key_and_the_site_host_only(tmp_path):
    import json

    result = run_settings(
        tmp_path,
        MASTHEAD_ENV="production",
        SECRET_KEY="Kp3v_9xQeZr7-LwT2mYc8HbN5sJfA1gUdV6oRi4EqXtWnB0yMz",
        SITE_URL="https://news.example",
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["hosts"] == ["news.example"]


def test_redis_url_switches_the_cache_to_redis(tmp_path):
    import json

    result = run_settings(tmp_path, REDIS_URL="redis://127.0.0.1:6379/3")

    assert json.loads(result.stdout)["cache"] == "masthead.core.sharedcache.ResilientRedisCache"


def test_malformed_boolean_is_a_clear_error(tmp_path):
    result = run_settings(tmp_path, DEBUG="maybe")

    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


@pytest.mark.django_db
def test_models_and_migrations_agree():
    from django.core.management import call_command

    # Raises SystemExit(1) if a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_console_log_is_quiet_unless_asked(tmp_path):
    import json

    quiet = json.loads(run_settings(tmp_path).stdout)
    told = json.loads(run_settings(tmp_path, MASTHEAD_LOG_LEVEL="info").stdout)
    wrong = run_settings(tmp_path, MASTHEAD_LOG_LEVEL="loud")

    # Problems only by default: a reader's refused comment (a 4xx) is not one.
    assert (quiet["log"], quiet["requests"]) == ("WARNING", "ERROR")
    assert (told["log"], told["requests"]) == ("INFO", "INFO")
    assert wrong.returncode != 0
    assert "MASTHEAD_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR" in wrong.stderr

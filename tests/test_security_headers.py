"""Content-Security-Policy and Permissions-Policy, as a browser receives them (site-wide, so
it lives outside core, whose tests may not import the apps whose pages it checks)."""

import json
import os
import re
import secrets
import subprocess
import sys

import pytest
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory

from masthead.core.security import SecurityHeadersMiddleware
from masthead.core.tests.test_settings import run_settings
from masthead.discussion import services as discussion_services
from masthead.publishing.tests import factories

SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
DATA_BLOCK = re.compile(r'type="application/(?:ld\+)?json"')


def _directives(header: str) -> dict[str, list[str]]:
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.fixture
def enforced(settings):
    """The policy as production (MASTHEAD_CSP=enforce, the default there) sends it."""
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": settings.MASTHEAD_CSP_DIRECTIVES}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = None
    return settings


@pytest.fixture
def article(db):
    section = factories.section_create("City")
    page = factories.article_create(section, "Council backs ferry fare rise")
    discussion_services.thread_for_page(page)
    return page


@pytest.mark.django_db
def test_article_page_gets_a_strict_policy_its_inline_scripts_satisfy(client, enforced, article):
    response = client.get(article.url)

    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]
    nonces = [value for value in policy["script-src"] if value.startswith("'nonce-")]
    html = response.content.decode()
    scripts = SCRIPT.findall(html)
    assert any("discussion.js" in attributes for attributes in scripts)  # the page has its JS
    for attributes in scripts:
        if "src=" in attributes or DATA_BLOCK.search(attributes):
            continue  # same-origin files, and JSON data browsers never run
        # An inline script runs only with this response's nonce.
        assert nonces, attributes
        assert f'nonce="{nonces[0][7:-1]}"' in attributes
    assert response["Permissions-Policy"].startswith("camera=(), microphone=(), geolocation=()")


def test_a_template_nonce_is_the_one_in_the_header(enforced):
    template = engines["django"].from_string(
        '<script nonce="{{ request.csp_nonce }}">document.title = "x";</script>'
    )
    request = RequestFactory().get("/some-article/")
    middleware = SecurityHeadersMiddleware(
        lambda request: HttpResponse(template.render({}, request))
    )

    first = middleware(request)
    second = middleware(RequestFactory().get("/some-article/"))

    nonce = re.search(r'nonce="([^"]+)"', first.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in first["Content-Security-Policy"]
    assert nonce not in second["Content-Security-Policy"]  # one per response


@pytest.mark.django_db
def test_a_cached_page_keeps_the_policy_it_was_rendered_with(client, enforced, article):
    enforced.MASTHEAD_PAGE_CACHE_SECONDS = 60
    first = client.get(article.url)
    second = client.get(article.url)

    assert second["X-Page-Cache"] == "hit"
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["Permissions-Policy"] == first["Permissions-Policy"]


@pytest.mark.django_db
def test_the_admin_gets_its_own_policy_and_still_loads(client, enforced):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" in policy["script-src"]  # Wagtail's own inline scripts
    assert not any(value.startswith("'nonce-") for value in policy["script-src"])
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]


@pytest.mark.django_db
def test_report_only_mode_reports_without_blocking(client, settings, article):
    settings.CONTENT_SECURITY_POLICY = None
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": settings.MASTHEAD_CSP_DIRECTIVES}

    response = client.get(article.url)

    assert "Content-Security-Policy" not in response
    assert "script-src 'self'" in response["Content-Security-Policy-Report-Only"]


PRINT_CSP = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps({'enforce': bool(settings.CONTENT_SECURITY_POLICY), "
    "'report': bool(settings.CONTENT_SECURITY_POLICY_REPORT_ONLY)}))"
)


def _csp_modes(tmp_path, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SECRET_KEY", "MASTHEAD_ENV", "REDIS_URL", "ALLOWED_HOSTS"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="masthead.settings",
        MASTHEAD_VAR_DIR=str(tmp_path),
        MASTHEAD_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        SITE_URL="https://news.example",
        **env,
    )
    result = subprocess.run(
        [sys.executable, "-c", PRINT_CSP],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_enforces_the_policy_by_default(tmp_path):
    assert _csp_modes(tmp_path) == {"enforce": True, "report": False}


def test_production_can_switch_to_report_only_or_off(tmp_path):
    assert _csp_modes(tmp_path, MASTHEAD_CSP="report-only") == {"enforce": False, "report": True}
    assert _csp_modes(tmp_path, MASTHEAD_CSP="off") == {"enforce": False, "report": False}


def test_an_unknown_csp_mode_is_a_clear_error(tmp_path):
    result = run_settings(tmp_path, MASTHEAD_CSP="strict")

    assert result.returncode != 0
    assert "MASTHEAD_CSP must be enforce, report-only or off" in result.stderr

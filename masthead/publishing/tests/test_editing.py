"""What editors rely on: the admin, drafts beside the live version, and scheduled publishing."""

import re
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from masthead.publishing.models import ArticlePage
from masthead.publishing.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    editor = get_user_model().objects.create_superuser("moe", "moe@example.org", "pw-for-tests")
    client.force_login(editor)
    return client


def test_editor_opens_the_article_editor_and_its_revisions(editor_client):
    section = factories.section_create("City")
    article = factories.article_create(section, "Edited story")

    assert editor_client.get("/admin/").status_code == 200
    edit = editor_client.get(f"/admin/pages/{article.pk}/edit/")
    assert edit.status_code == 200
    assert b"Lead image" in edit.content and b"Standfirst" in edit.content
    assert editor_client.get(f"/admin/pages/{article.pk}/history/").status_code == 200


def test_a_draft_change_stays_invisible_until_published(client):
    section = factories.section_create("City")
    article = factories.article_create(section, "Original headline")
    article.title = "Draft headline"
    revision = article.save_revision()

    assert b"Original headline" in client.get(article.url).content
    revision.publish()
    assert b"Draft headline" in client.get(article.url).content


def test_scheduled_article_goes_live_when_the_scheduler_runs(client):
    section = factories.section_create("City")
    article = factories.article_create(section, "Embargoed report", live=False)
    article.go_live_at = timezone.now() + timedelta(seconds=2)
    article.save_revision().publish()  # with a future go-live time this only schedules it

    call_command("scheduler", "--once")
    assert not ArticlePage.objects.get(pk=article.pk).live
    assert client.get(article.url).status_code == 404

    time.sleep(2.5)
    call_command("scheduler", "--once")

    assert ArticlePage.objects.get(pk=article.pk).live
    assert client.get(article.url).status_code == 200


def test_the_admin_is_branded_with_the_outlets_name(client):
    factories.outlet_configure(name="The Harbour Ledger")

    login = client.get("/admin/login/").content.decode()

    assert "Sign in to The Harbour Ledger" in login
    assert "Sign in to Wagtail" not in login
    assert re.search(r"<title>[^<]*- The Harbour Ledger</title>", login)
    assert "masthead/favicon" in login
    editor = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw-for-tests")
    client.force_login(editor)
    dashboard = client.get("/admin/").content.decode()
    assert re.search(r"<title>[^<]*- The Harbour Ledger</title>", dashboard)

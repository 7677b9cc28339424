"""The editor bar on public pages: only for those who may use the admin, at once after their
rights change, and without reading a reader's permissions from the database on every page."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.publishing.tests import factories

pytestmark = pytest.mark.django_db

BAR = b"wagtail-userbar"


@pytest.fixture
def article(settings):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 0
    factories.outlet_configure()
    city = factories.section_create("City")
    return factories.article_create(city, "Ferry fares")


def editors() -> Group:
    group = Group.objects.create(name="Desk")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    return group


def test_a_reader_sees_no_bar_and_costs_no_permission_query(client, article):
    client.force_login(get_user_model().objects.create_user("ada", password="pw"))
    client.get(article.url)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(article.url)

    assert BAR not in response.content
    assert not [q for q in captured.captured_queries if "permission" in q["sql"]]


def test_an_editor_sees_the_bar_from_the_moment_they_join_until_they_leave(client, article):
    bo = get_user_model().objects.create_user("bo", password="pw")
    client.force_login(bo)
    assert BAR not in client.get(article.url).content

    desk = editors()
    bo.groups.add(desk)
    assert BAR in client.get(article.url).content

    bo.groups.remove(desk)
    assert BAR not in client.get(article.url).content


def test_a_group_given_or_denied_the_admin_changes_its_members_bar_at_once(client, article):
    desk = Group.objects.create(name="Desk")
    cy = get_user_model().objects.create_user("cy", password="pw")
    cy.groups.add(desk)
    client.force_login(cy)
    assert BAR not in client.get(article.url).content

    access = Permission.objects.get(codename="access_admin")
    desk.permissions.add(access)
    assert BAR in client.get(article.url).content

    desk.permissions.remove(access)
    assert BAR not in client.get(article.url).content

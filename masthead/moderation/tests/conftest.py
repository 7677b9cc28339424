"""Fixtures shared by the moderators' tests."""

import pytest

from masthead.moderation.tests.queue_helpers import admin_user


@pytest.fixture
def moderator():
    """An admin user with the moderation permission."""
    return admin_user("mona", moderator=True)


@pytest.fixture
def bystander():
    """An admin user without it."""
    return admin_user("bert", moderator=False)

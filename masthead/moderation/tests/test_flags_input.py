"""Report notes keep what a reader wrote, without what the database cannot store."""

import json

import pytest

from masthead.discussion import services
from masthead.discussion.tests.factories import article_thread, guest
from masthead.moderation.models import Flag

pytestmark = pytest.mark.django_db


def test_nul_in_a_report_note_is_stored_without_it(client):
    _, thread = article_thread()
    comment = services.comment_post(thread=thread, text="A fair point.", author=guest())

    response = client.post(
        f"/api/v1/comments/{comment.pk}/flags",
        json.dumps({"reason": "other", "note": "odd\x00 one"}),
        content_type="application/json",
    )

    assert response.status_code == 201
    assert Flag.objects.get().note == "odd one"

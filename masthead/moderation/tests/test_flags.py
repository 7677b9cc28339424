"""Reader reports: "Report" under a comment, and hiding after enough distinct readers."""

import json

import pytest

from masthead.discussion import services
from masthead.discussion.models import Comment
from masthead.discussion.tests.factories import article_thread, guest
from masthead.moderation.models import Flag

pytestmark = pytest.mark.django_db

TEXT = "The minister's plan for the rail line is late and over budget again."


@pytest.fixture
def comment():
    thread = article_thread()[1]
    return services.comment_post(thread=thread, text=TEXT, author=guest("Ada Writer"))


def report(client, comment, reason="abusive", *, address="192.0.2.1", note=""):
    return client.post(
        f"/api/v1/comments/{comment.pk}/flags",
        data=json.dumps({"reason": reason, "note": note}),
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def test_a_report_is_received_and_thanked(client, comment):
    response = report(client, comment, "spam", note="  selling   pills ")
    assert response.status_code == 201
    assert "moderator will look" in response.json()["message"]
    flag = Flag.objects.get()
    assert (flag.reason, flag.note, flag.resolved) == ("spam", "selling pills", None)


def test_the_same_reader_reporting_twice_counts_once(client, comment):
    report(client, comment)
    again = report(client, comment)
    assert again.status_code == 200
    assert again.json()["status"] == "already_reported"
    assert Flag.objects.count() == 1


def test_reports_from_three_readers_hide_the_comment_until_reviewed(
    comment, django_capture_on_commit_callbacks
):
    from django.test import Client

    for number in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            answer = report(Client(), comment, address=f"192.0.2.{number + 10}").json()
    assert answer["hidden"] is True
    comment.refresh_from_db()
    assert comment.status == "pending" and not comment.listed
    assert any("hidden after 3 reader reports" in reason for reason in comment.moderation_reasons)
    comment.thread.refresh_from_db()
    assert comment.thread.comment_count == 0


def test_one_network_clearing_its_cookies_counts_as_one_reader(comment):
    from django.test import Client

    for _ in range(3):
        report(Client(), comment, address="192.0.2.50")
    comment.refresh_from_db()
    assert comment.status == "published"


def test_a_hidden_comment_with_replies_stays_as_a_placeholder(comment):
    from django.test import Client

    reply = services.comment_post(
        thread=comment.thread,
        text="I agree with this.",
        author=guest("Bo Replier"),
        parent_id=comment.pk,
    )
    for number in range(3):
        report(Client(), comment, address=f"192.0.2.{number + 20}")
    page = Client().get(comment.thread.page.url)
    assert b"hidden while a moderator reviews it" in page.content
    assert TEXT.encode() not in page.content
    assert b"I agree with this." in page.content
    assert Comment.objects.get(pk=reply.pk).listed


def test_unknown_reasons_and_missing_comments_are_clear_errors(client, comment):
    bad = report(client, comment, "boring")
    assert bad.status_code == 400
    assert "reason" in bad.json()["fields"]
    missing = client.post(
        "/api/v1/comments/999999/flags",
        data=json.dumps({"reason": "spam"}),
        content_type="application/json",
    )
    assert missing.status_code == 404

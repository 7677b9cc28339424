"""The audit log forgets an erased commenter: it stores ids and reads names when shown.

Before an erasure the log still reads "Rejected comment #1 by Ada Lovelace", because it reads
the comment's author when the page is drawn; after it, neither the entries nor the page hold
Ada's name or address, and her bans still hold.
"""

import importlib
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from masthead.discussion import services as discussion
from masthead.discussion.models import Comment
from masthead.discussion.tests.factories import article_thread
from masthead.moderation import audit, privacy, services
from masthead.moderation.models import AuditEntry, Ban
from masthead.moderation.tests.queue_helpers import PUBLISH_EVERYTHING

pytestmark = pytest.mark.django_db

AUDIT_PAGE = "/admin/moderation/audit/"
ADA = discussion.Author(
    name="Ada Lovelace", email="Ada@Example.org", reader="reader-ada", ip_hash="ip-ada"
)
TRACES = ("Ada Lovelace", "Lovelace", "ada@example.org")


@pytest.fixture
def thread(settings):
    settings.DISCUSSION_SCREEN = PUBLISH_EVERYTHING
    return article_thread("Harbour bridge closes for repairs")[1]


@pytest.fixture
def as_moderator(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def ada_moderated(thread, moderator):
    """Ada's comments rejected, kept, banned by author and by address, one ban lifted."""
    first = discussion.comment_post(thread=thread, text="First words", author=ADA)
    second = discussion.comment_post(thread=thread, text="Second words", author=ADA)
    services.comment_reject_by(moderator, first.pk)
    services.author_ban(moderator, second.pk, duration=timedelta(days=7), reason="abuse")
    by_hand = services.ban_create_by(
        moderator, kind=Ban.Kind.EMAIL, value="ada@example.org", duration=None
    )
    services.ban_lift_by(moderator, by_hand.pk)
    return first, second


def stored(entries) -> str:
    return json.dumps(
        [[e.actor_name, e.summary, e.target_id, e.subjects, e.before, e.after] for e in entries],
        ensure_ascii=False,
    ).lower()


def test_the_log_stores_ids_and_shows_the_names_read_from_the_comments_and_bans(
    ada_moderated, as_moderator
):
    first, second = ada_moderated
    assert AuditEntry.objects.count() == 4
    assert not any(trace.lower() in stored(AuditEntry.objects.all()) for trace in TRACES)

    page = as_moderator.get(AUDIT_PAGE).content.decode()

    assert f"Rejected comment #{first.pk} by Ada Lovelace on “Harbour bridge" in page
    assert f"Banned Ada Lovelace (author of comment #{second.pk})" in page
    assert "Banned email address ada@example.org permanently" in page
    assert "Lifted the ban on email address ada@example.org" in page
    # Before → after stays readable: the new bans by kind, the lifted state.
    assert "bans: email address, network (ip address hash)" in page
    assert "status: published → status: rejected" in page


@pytest.mark.parametrize("mode", ["anonymize", "delete"])
def test_erasing_the_commenter_leaves_no_name_or_address_in_the_log(
    ada_moderated, as_moderator, moderator, mode
):
    first, _second = ada_moderated
    privacy.personal_data_erase(email="ada@example.org", mode=mode, actor=moderator)

    entries = AuditEntry.objects.all()
    assert entries.count() == 5  # nothing removed: the erasure is logged too
    page = as_moderator.get(AUDIT_PAGE).content.decode()
    for trace in TRACES:
        assert trace.lower() not in stored(entries)
        assert trace.lower() not in page.lower()
    assert f"Rejected comment #{first.pk} by Anonymous on “Harbour bridge" in page
    assert "erased commenter (email address)" in page
    # Erasure never lifts a ban: the address and network stay banned.
    active = Ban.objects.filter(Ban.active_q())
    assert {(ban.kind, ban.value) for ban in active} == {
        ("email", "ada@example.org"),
        ("ip", "ip-ada"),
    }


def test_the_audit_page_reads_a_page_of_entries_in_a_fixed_number_of_queries(
    thread, moderator, as_moderator, django_assert_max_num_queries
):
    for number in range(12):
        comment = discussion.comment_post(thread=thread, text=f"Text {number}", author=ADA)
        services.comment_reject_by(moderator, comment.pk)
    entries = list(AuditEntry.objects.all())
    # One query for the comments (with their threads), one for bans: never one per entry.
    with django_assert_max_num_queries(2):
        rows = audit.audit_rows(entries)
    assert len(rows) == 12 and all("by Ada Lovelace" in row.text for row in rows)


# --- entries written before the log forgot names --------------------------------------------

MIGRATION = "0005_audit_entries_without_names"


def test_the_migration_rewrites_entries_that_named_people(thread, moderator, as_moderator):
    comment = discussion.comment_post(thread=thread, text="Old words", author=ADA)
    ban = Ban.objects.create(kind="email", value="ada@example.org", label="ada@example.org")
    title = "“Harbour bridge closes for repairs”"
    # As moderation.services wrote them before (AuditEntry.objects.create is still allowed).
    old = [
        (
            "comment_reject",
            "comment",
            comment.pk,
            f"Rejected comment #{comment.pk} by Ada Lovelace on {title}",
            {"status": "published"},
            {"status": "rejected"},
        ),
        (
            "comment_approve",
            "comment",
            comment.pk,
            f"Kept comment #{comment.pk} by Ada Lovelace "
            f"on {title} as pending review and dismissed 2 reports",
            {"status": "pending"},
            {"status": "pending", "reports_resolved": 2},
        ),
        (
            "author_ban",
            "author",
            comment.pk,
            "Banned Ada Lovelace (email address, network (ip address hash)) for 7 days: rude",
            {},
            {
                "bans": [
                    {"id": ban.pk, "kind": "email", "label": "Ada Lovelace <ada@example.org>"}
                ],
                "expires": None,
                "reason": "rude",
            },
        ),
        (
            "ban_create",
            "ban",
            ban.pk,
            "Banned email address ada@example.org permanently",
            {},
            {"kind": "email", "label": "ada@example.org", "reason": "", "expires": None},
        ),
        (
            "ban_lift",
            "ban",
            ban.pk,
            "Lifted the ban on email address ada@example.org",
            {"kind": "email", "label": "ada@example.org"},
            {"kind": "email", "label": "ada@example.org", "lifted": "2026-12-01T10:00:00"},
        ),
    ]
    for action, target_type, target_id, summary, before, after in old:
        AuditEntry.objects.create(
            actor=moderator,
            actor_name="Mona",
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            summary=summary,
            before=before,
            after=after,
        )
    listed = AuditEntry.objects.create(
        actor_name="Mona",
        action="list_entry_add",
        target_type="list_entry",
        target_id="1",
        summary="Added “scum” to blocked words",
        after={"value": "scum"},
    )

    executor = MigrationExecutor(connection)
    state = executor.loader.project_state(("moderation", MIGRATION))
    migration = importlib.import_module(f"masthead.moderation.migrations.{MIGRATION}")
    migration.forget_names(state.apps, None)

    assert not any(trace.lower() in stored(AuditEntry.objects.all()) for trace in TRACES)
    texts = [row.text for row in audit.audit_rows(AuditEntry.objects.order_by("pk"))]
    assert texts == [
        f"Rejected comment #{comment.pk} by Ada Lovelace on {title}",
        f"Kept comment #{comment.pk} by Ada Lovelace on {title} as pending review and "
        "dismissed 2 reports",
        f"Banned Ada Lovelace (author of comment #{comment.pk}) (email address, network (ip "
        "address hash)) for 7 days: rude",
        "Banned email address ada@example.org permanently",
        "Lifted the ban on email address ada@example.org",
        "Added “scum” to blocked words",  # named nobody: left as it was
    ]
    assert AuditEntry.objects.get(pk=listed.pk).subjects == {}

    # And the rewritten entries forget Ada like new ones do.
    privacy.personal_data_erase(email="ada@example.org", mode="anonymize", actor=moderator)
    page = as_moderator.get(AUDIT_PAGE).content.decode().lower()
    assert not any(trace.lower() in page for trace in TRACES)
    assert Comment.objects.get(pk=comment.pk).author_name == "Anonymous"

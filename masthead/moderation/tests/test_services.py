"""Moderators' actions: comment decisions, bans, lists, and the audit log they leave."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from masthead.discussion import signals
from masthead.discussion.models import Comment, Thread
from masthead.discussion.tests.factories import article_thread
from masthead.moderation import audit, selectors, services
from masthead.moderation.models import AuditEntry, Ban, Flag, ListEntry
from masthead.moderation.tests.queue_helpers import PUBLISH_EVERYTHING, held

pytestmark = pytest.mark.django_db

Status = Comment.Status


@pytest.fixture
def thread(settings):
    settings.DISCUSSION_SCREEN = PUBLISH_EVERYTHING
    return article_thread("Harbour bridge closes for repairs")[1]


def comment_count(thread) -> int:
    return Thread.objects.get(pk=thread.pk).comment_count


def test_approving_a_held_comment_publishes_it_counts_it_and_announces_it_once(
    thread, moderator, settings, django_capture_on_commit_callbacks
):
    comment = held(thread, "A fair point about the detour.", settings=settings)
    published = []

    def receiver(sender, comment, **kwargs):
        published.append(comment.pk)

    signals.comment_published.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.comment_approve_by(moderator, comment.pk)
        with django_capture_on_commit_callbacks(execute=True):
            # A second click (or a second moderator) changes nothing and announces nothing.
            assert services.comment_approve_by(moderator, comment.pk) is None
    finally:
        signals.comment_published.disconnect(receiver)
    comment.refresh_from_db()
    assert (comment.status, comment.listed) == (Status.PUBLISHED, True)
    assert comment_count(thread) == 1
    assert published == [comment.pk]


def test_rejecting_spam_and_deleting_published_comments_take_them_off_the_count(thread, moderator):
    first, second, third = (services_post(thread, text) for text in ("One", "Two", "Three"))
    assert comment_count(thread) == 3
    services.comment_reject_by(moderator, first.pk)
    services.comment_mark_spam_by(moderator, second.pk)
    services.comment_delete_by(moderator, third.pk)
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses == {first.pk: Status.REJECTED, second.pk: Status.SPAM, third.pk: Status.DELETED}
    assert comment_count(thread) == 0


def services_post(thread, text):
    from masthead.discussion import services as discussion
    from masthead.discussion.tests.factories import guest

    return discussion.comment_post(thread=thread, text=text, author=guest("Pat Poster"))


def test_every_action_writes_an_audit_entry_with_the_state_before_and_after(thread, moderator):
    comment = services_post(thread, "Published at first")
    services.comment_reject_by(moderator, comment.pk)
    entry = AuditEntry.objects.get()
    assert entry.actor == moderator
    assert entry.actor_name == "Mona"
    assert (entry.action, entry.target_type, entry.target_id) == (
        "comment_reject",
        "comment",
        str(comment.pk),
    )
    assert entry.before == {"status": "published"}
    assert entry.after == {"status": "rejected"}
    # The entry keeps the comment's id; the log reads its author and thread when shown.
    assert entry.subjects == {"comment": comment.pk} and "Pat Poster" not in entry.summary
    [row] = audit.audit_rows([entry])
    assert row.text == f"Rejected comment #{comment.pk} by Pat Poster on “{thread.title}”"
    assert row.changes == "status: published → status: rejected"


def test_the_audit_log_cannot_be_edited_or_deleted(thread, moderator):
    services.comment_reject_by(moderator, services_post(thread, "Text").pk)
    entry = AuditEntry.objects.get()
    entry.summary = "Nothing happened"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(summary="Nothing happened")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().summary.startswith("Rejected")


def test_actions_refuse_people_without_the_moderation_permission(thread, bystander):
    comment = services_post(thread, "Leave me be")
    calls = [
        lambda: services.comment_approve_by(bystander, comment.pk),
        lambda: services.comment_reject_by(bystander, comment.pk),
        lambda: services.comment_mark_spam_by(bystander, comment.pk),
        lambda: services.comment_delete_by(bystander, comment.pk),
        lambda: services.comments_act(bystander, "reject", [comment.pk]),
        lambda: services.author_ban(bystander, comment.pk, duration=None),
        lambda: services.ban_create_by(
            bystander, kind="email", value="x@example.org", duration=None
        ),
        lambda: services.ban_lift_by(bystander, 1),
        lambda: services.list_entry_add(bystander, kind="block_word", value="darn"),
        lambda: services.list_entry_remove(bystander, 1),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED
    assert not AuditEntry.objects.exists() and not Ban.objects.exists()


def test_bulk_actions_count_what_they_did_and_skip_what_was_done_or_gone(thread, moderator):
    comments = [services_post(thread, f"Comment {n}") for n in range(4)]
    services.comment_reject_by(moderator, comments[0].pk)
    result = services.comments_act(moderator, "reject", [c.pk for c in comments] + [999_999])
    assert (result.done, result.skipped) == (3, 2)
    assert comment_count(thread) == 0
    assert AuditEntry.objects.filter(action="comment_reject").count() == 4


def test_a_deleted_comment_is_not_revived_by_approving_it(thread, moderator):
    comment = services_post(thread, "Gone soon")
    services.comment_delete_by(moderator, comment.pk)
    assert services.comments_act(moderator, "approve", [comment.pk]).skipped == 1
    comment.refresh_from_db()
    assert comment.status == Status.DELETED


def test_a_decision_resolves_the_reader_reports_even_when_the_comment_stays(thread, moderator):
    comment = services_post(thread, "Controversial but fine")
    Flag.objects.create(comment=comment, reason="abusive", reporter="guest:a")
    Flag.objects.create(comment=comment, reason="spam", reporter="guest:b")
    assert selectors.tab_counts()["flagged"] == 1
    result = services.comments_act(moderator, "approve", [comment.pk])
    assert result.done == 1
    assert not Flag.objects.filter(resolved__isnull=True).exists()
    entry = AuditEntry.objects.get()
    assert entry.after == {"status": "published", "reports_resolved": 2}
    assert "dismissed 2 reports" in entry.summary


def test_banning_an_author_bans_their_address_and_network_with_an_expiry(
    thread, moderator, settings
):
    comment = held(thread, "Insults", "Troll Tom", ip_hash="ip-tom", settings=settings)
    before = timezone.now()
    bans = services.author_ban(moderator, comment.pk, duration=timedelta(days=7), reason="abuse")
    assert {(ban.kind, ban.value) for ban in bans} == {
        ("email", "troll@example.org"),
        ("ip", "ip-tom"),
    }
    for ban in bans:
        assert ban.is_active and ban.reason == "abuse" and ban.created_by == moderator
        assert before + timedelta(days=7) <= ban.expires <= timezone.now() + timedelta(days=7)
    comment.refresh_from_db()
    assert comment.status == Status.PENDING  # the ban alone leaves the comment as it is
    assert selectors.comment_ban_state(comment)
    entry = AuditEntry.objects.get(action="author_ban")
    [row] = audit.audit_rows([entry])
    assert row.text == (
        f"Banned Troll Tom (author of comment #{comment.pk}) (email address, network (ip "
        "address hash)) for 7 days: abuse"
    )
    assert "Troll" not in str([entry.summary, entry.before, entry.after])
    # The same ban again adds nothing; a permanent one does.
    assert services.author_ban(moderator, comment.pk, duration=timedelta(days=1)) == []
    assert len(services.author_ban(moderator, comment.pk, duration=None)) == 2


def test_ban_author_from_the_queue_bans_and_rejects_in_one_step(thread, moderator, settings):
    comment = held(thread, "Insults", "Troll Tom", settings=settings)
    services.author_ban(moderator, comment.pk, duration=None, reason="", reject_comment=True)
    comment.refresh_from_db()
    assert comment.status == Status.REJECTED
    assert all(ban.expires is None for ban in Ban.objects.all())
    assert [entry.action for entry in AuditEntry.objects.order_by("id")] == [
        "author_ban",
        "comment_reject",
    ]


def test_banning_a_signed_in_author_bans_the_account(thread, moderator, django_user_model):
    from masthead.discussion import services as discussion

    user = django_user_model.objects.create_user("sam", "sam@example.org", "pw", first_name="Sam")
    comment = discussion.comment_post(
        thread=thread, text="Hello", author=discussion.Author(user=user)
    )
    bans = services.author_ban(moderator, comment.pk, duration=None, kinds=["user"])
    assert [(ban.kind, ban.value) for ban in bans] == [("user", str(user.pk))]


def test_lifting_a_ban_ends_it_and_is_logged(thread, moderator):
    ban = services.ban_create_by(
        moderator, kind="email", value="Spammer@Example.org", duration=None, reason="spam"
    )
    assert ban.value == "spammer@example.org"
    assert services.ban_lift_by(moderator, ban.pk).lifted is not None
    assert services.ban_lift_by(moderator, ban.pk) is None  # already lifted
    entry = AuditEntry.objects.get(action="ban_lift")
    assert entry.before["lifted"] is None and entry.after["lifted"] is not None


def test_networks_cannot_be_banned_by_hand(moderator):
    with pytest.raises(services.ModerationError):
        services.ban_create_by(moderator, kind="ip", value="1.2.3.4", duration=None)


def test_list_entries_are_normalised_unique_and_logged(moderator, monkeypatch):
    reloaded = []
    monkeypatch.setattr(
        "masthead.moderation.config.config_changed", lambda: reloaded.append(True), raising=False
    )
    entry = services.list_entry_add(
        moderator, kind="blocked_domain", value="https://WWW.Spam.example/x"
    )
    assert entry.value == "spam.example"
    with pytest.raises(services.ModerationError):
        services.list_entry_add(moderator, kind="blocked_domain", value="spam.example")
    services.list_entry_edit(
        moderator, entry.pk, kind="blocked_domain", value="spam.example", note="casino links"
    )
    services.list_entry_remove(moderator, entry.pk)
    assert not ListEntry.objects.exists()
    assert [e.action for e in AuditEntry.objects.order_by("id")] == [
        "list_entry_add",
        "list_entry_edit",
        "list_entry_remove",
    ]


def test_list_and_ban_changes_tell_the_pipeline_after_commit(
    moderator, monkeypatch, django_capture_on_commit_callbacks
):
    reloaded = []
    monkeypatch.setattr(
        "masthead.moderation.config.config_changed", lambda: reloaded.append(True), raising=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.list_entry_add(moderator, kind="block_word", value="darn")
        services.ban_create_by(moderator, kind="email", value="a@example.org", duration=None)
    assert len(reloaded) == 2


def test_author_history_counts_fates_of_the_same_address(thread, moderator, settings):
    first = held(thread, "One", "Ada Guest", settings=settings)
    second = held(thread, "Two", "Ada Guest", settings=settings)
    held(thread, "Someone else", "Bob Guest", settings=settings)
    services.comment_approve_by(moderator, first.pk)
    services.comment_mark_spam_by(moderator, second.pk)
    history = selectors.author_history(second)
    assert history.counts == {"published": 1, "spam": 1}
    assert [c.pk for c in history.recent] == [second.pk, first.pk]

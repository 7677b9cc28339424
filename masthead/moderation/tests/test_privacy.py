"""Exporting and erasing a commenter's personal data: the service, the command, the admin page."""

import io
import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command

import masthead.moderation.privacy_admin  # noqa: F401  (registers the admin URLs and menu item)
from masthead.core.hashing import keyed_hash
from masthead.discussion import services
from masthead.discussion.models import Comment, Thread, Vote
from masthead.discussion.tests.factories import article_thread
from masthead.moderation import privacy
from masthead.moderation.models import AuditEntry, Ban, Flag

pytestmark = pytest.mark.django_db

# Notifications sits above moderation in the import layers; its models are looked up by name.
Subscription = apps.get_model("notifications", "Subscription")
SuppressedAddress = apps.get_model("notifications", "SuppressedAddress")
OutboundMail = apps.get_model("notifications", "OutboundMail")


@pytest.fixture(autouse=True)
def publish_everything(settings):
    # The moderation pipeline is not what these tests are about: every comment is published.
    settings.DISCUSSION_SCREEN = "masthead.discussion.screening.PublishEverything"


def ada(email: str = "ada@example.org") -> services.Author:
    return services.Author(name="Ada Lovelace", email=email, reader="reader-hash-ada")


def bob() -> services.Author:
    return services.Author(name="Bob Other", email="bob@example.org", reader="reader-hash-bob")


def carol() -> services.Author:
    return services.Author(name="Carol Third", email="carol@example.org", reader="reader-hash-c")


@pytest.fixture
def story():
    """Ada comments (with two spellings of her address), Bob replies, Carol comments.

    Ada voted on and reported Carol's comment, subscribed to the thread and was mailed; Bob
    voted on Ada's first comment and was mailed about it; Ada's address is banned.
    """
    article, thread = article_thread("Town hall budget")
    first = services.comment_post(
        thread=thread, text="Ada's first words", author=ada("Ada@Example.ORG")
    )
    reply = services.comment_post(
        thread=thread, text="Bob answers Ada", author=bob(), parent_id=first.pk
    )
    second = services.comment_post(thread=thread, text="Ada's lonely remark", author=ada())
    nested = services.comment_post(
        thread=thread, text="Ada answers Bob", author=ada(), parent_id=reply.pk
    )
    other = services.comment_post(thread=thread, text="Carol's own view", author=carol())
    services.vote_cast(comment_id=other.pk, voter="guest:reader-hash-ada", value=1)
    services.vote_cast(comment_id=first.pk, voter="guest:reader-hash-bob", value=-1)
    Flag.objects.create(
        comment=other,
        reason=Flag.Reason.OFF_TOPIC,
        note="Ada's note",
        reporter="guest:reader-hash-ada",
    )
    Subscription.objects.create(
        kind="thread", email="ada@example.org", thread=thread, scope=f"thread:{thread.pk}"
    )
    Subscription.objects.create(
        kind="thread", email="bob@example.org", thread=thread, scope=f"thread:{thread.pk}"
    )
    SuppressedAddress.objects.create(email="ada@example.org")
    OutboundMail.objects.create(
        kind="confirmation",
        to="ada@example.org",
        subject="Confirm your subscription",
        text_body="x",
    )
    OutboundMail.objects.create(
        kind="notification",
        to="bob@example.org",
        subject="New comment by Ada Lovelace",
        text_body="Ada's first words",
        comment=first,
    )
    Ban.objects.create(kind=Ban.Kind.EMAIL, value="ada@example.org", label="Ada", reason="rude")
    return {
        "article": article,
        "thread": thread,
        "first": first,
        "reply": reply,
        "second": second,
        "nested": nested,
        "other": other,
    }


def fresh(comment) -> Comment:
    return Comment.objects.get(pk=comment.pk)


def assert_counters_exact(thread) -> None:
    """The stored counters equal what a recount finds: the thread keeps its shape."""
    thread = Thread.objects.get(pk=thread.pk)
    published = Comment.objects.filter(thread=thread, status=Comment.Status.PUBLISHED).count()
    assert thread.comment_count == published
    for comment in Comment.objects.filter(thread=thread):
        assert comment.reply_count == comment.children.filter(listed=True).count(), comment.pk
        votes = Vote.objects.filter(comment=comment)
        assert comment.score == sum(vote.value for vote in votes)
        assert comment.upvotes == votes.filter(value=1).count()
        assert comment.downvotes == votes.filter(value=-1).count()


# --- Export -----------------------------------------------------------------------------------


def test_export_finds_comments_whatever_the_capitals_and_includes_subscriptions(story):
    data = privacy.personal_data_export(email="  ADA@example.org ")

    assert data["email"] == "ada@example.org"
    texts = {comment["text"] for comment in data["comments"]}
    assert texts == {"Ada's first words", "Ada's lonely remark", "Ada answers Bob"}
    first = next(c for c in data["comments"] if c["id"] == story["first"].pk)
    assert first["thread"]["key"] == story["thread"].key
    assert first["thread"]["title"] == "Town hall budget"
    assert first["thread"]["url"].startswith("http")
    assert first["status"] == "published"
    assert [s["kind"] for s in data["subscriptions"]] == ["thread"]
    assert data["suppressed"][0]["email"] == "ada@example.org"
    assert [m["subject"] for m in data["mails"]] == ["Confirm your subscription"]
    assert [v["comment_id"] for v in data["votes"]] == [story["other"].pk]
    assert data["reports_filed"][0]["note"] == "Ada's note"
    assert data["bans"][0]["kind"] == "email"
    assert "ip_address" in data["stored_only_as_keyed_hashes"]
    json.dumps(data)  # everything in it is plain JSON


def test_export_contains_no_other_readers_data(story):
    dumped = json.dumps(privacy.personal_data_export(email="ada@example.org"))

    for foreign in ("bob@example.org", "Bob Other", "Bob answers Ada", "Carol", "reader-hash"):
        assert foreign not in dumped


def test_export_includes_an_account_registered_with_the_address(story):
    user = get_user_model().objects.create_user("ada", email="Ada@example.org", password="x")
    services.comment_post(
        thread=story["thread"], text="Signed in now", author=services.Author(user=user)
    )

    data = privacy.personal_data_export(email="ada@example.org")

    assert [account["username"] for account in data["accounts"]] == ["ada"]
    assert "Signed in now" in {comment["text"] for comment in data["comments"]}
    assert "password" not in json.dumps(data["accounts"])


def test_export_of_an_unknown_address_is_empty_and_a_non_address_is_refused(story):
    data = privacy.personal_data_export(email="nobody@example.org")
    assert data["comments"] == [] and data["votes"] == [] and data["mails"] == []
    with pytest.raises(privacy.PrivacyError):
        privacy.personal_data_export(email="not an address")


# --- Erase ------------------------------------------------------------------------------------


def test_erase_anonymize_keeps_texts_and_unlinks_the_person(
    story, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        summary = privacy.personal_data_erase(
            email="ADA@example.org", mode="anonymize", actor_name="test"
        )

    for key in ("first", "second", "nested"):
        comment = fresh(story[key])
        assert comment.author_name == "Anonymous"
        assert (comment.author_email, comment.author_reader, comment.ip_hash) == ("", "", "")
        assert comment.user_id is None
        assert comment.status == Comment.Status.PUBLISHED and comment.text
    assert fresh(story["reply"]).author_name == "Bob Other"
    assert not Vote.objects.filter(voter="guest:reader-hash-ada").exists()
    assert fresh(story["other"]).score == 0
    assert Vote.objects.filter(voter="guest:reader-hash-bob").exists()
    assert list(Subscription.objects.values_list("email", flat=True)) == ["bob@example.org"]
    assert not SuppressedAddress.objects.exists()
    mail_to_bob = OutboundMail.objects.get()
    assert mail_to_bob.to == "bob@example.org"
    assert "Ada" not in mail_to_bob.subject + mail_to_bob.text_body
    assert mail_to_bob.state == OutboundMail.State.CANCELLED
    flag = Flag.objects.get()
    assert flag.reporter.startswith("erased:") and flag.note == ""
    assert Ban.objects.filter(kind="email", value="ada@example.org").exists()
    assert summary["comments_anonymized"] == 3 and summary["bans_kept"] == 1
    assert_counters_exact(story["thread"])
    assert Thread.objects.get(pk=story["thread"].pk).comment_count == 5


def test_erase_delete_keeps_the_threads_shape_with_a_placeholder(story, client):
    summary = privacy.personal_data_erase(email="ada@example.org", mode="delete", actor_name="t")

    first, second, nested = fresh(story["first"]), fresh(story["second"]), fresh(story["nested"])
    # Bob's reply still hangs under Ada's first comment, now a placeholder without text.
    assert (first.status, first.listed, first.text, first.html) == ("deleted", True, "", "")
    assert (second.status, second.listed, second.text) == ("deleted", False, "")
    assert (nested.status, nested.listed, nested.text) == ("deleted", False, "")
    reply = fresh(story["reply"])
    assert reply.status == Comment.Status.PUBLISHED and reply.parent_id == first.pk
    assert reply.reply_count == 0 and first.reply_count == 1
    assert Thread.objects.get(pk=story["thread"].pk).comment_count == 2
    assert summary["comments_removed"] == 2 and summary["comments_left_as_placeholders"] == 1
    assert_counters_exact(story["thread"])

    page = client.get(story["article"].url).content.decode()
    assert "This comment was deleted." in page
    assert "Bob answers Ada" in page
    assert "Ada&#x27;s" not in page and "Ada's" not in page


def test_erase_delete_of_a_reply_whose_placeholder_parent_loses_its_last_reply(story):
    # Bob deletes his reply himself; Ada's first comment is gone too once she is erased.
    services.comment_delete(comment_id=story["nested"].pk, author=ada())
    privacy.personal_data_erase(email="ada@example.org", mode="delete", actor_name="t")

    assert fresh(story["first"]).listed is True  # Bob's reply is still there
    services.comment_delete(comment_id=story["reply"].pk, author=bob())
    assert fresh(story["first"]).listed is False
    assert_counters_exact(story["thread"])


def test_erase_mode_defaults_to_the_setting(story, settings):
    settings.MODERATION_ERASE_MODE = "delete"
    summary = privacy.personal_data_erase(email="ada@example.org", actor_name="t")
    assert summary["mode"] == "delete" and fresh(story["second"]).text == ""


def test_erase_is_audited_without_the_address_in_clear(story):
    privacy.personal_data_erase(email="ada@example.org", mode="anonymize", actor_name="test")

    entry = AuditEntry.objects.get(action="privacy_erase")
    assert entry.target_id == keyed_hash("ada@example.org", purpose="email")
    recorded = json.dumps([entry.summary, entry.before, entry.after, entry.target_id])
    assert "ada@example.org" not in recorded.lower()
    assert entry.before["comments"] == 3 and entry.after["votes_deleted"] == 1


def test_erase_of_an_unknown_mode_changes_nothing(story):
    with pytest.raises(privacy.PrivacyError):
        privacy.personal_data_erase(email="ada@example.org", mode="shred", actor_name="t")
    assert fresh(story["first"]).author_name == "Ada Lovelace"


# --- Command ----------------------------------------------------------------------------------


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command("privacy", *args, stdout=out, **options)
    return out.getvalue()


def test_command_exports_json_to_stdout(story):
    data = json.loads(run("export", "Ada@Example.org"))
    assert len(data["comments"]) == 3 and data["exported"]


def test_command_erases_with_yes_and_says_what_it_did(story):
    output = run("erase", "ada@example.org", "--mode", "delete", "--yes")

    assert "comments removed: 2" in output and "Bans are kept" in output
    assert fresh(story["second"]).status == Comment.Status.DELETED
    assert AuditEntry.objects.get(action="privacy_erase").actor_name == "command line"


def test_command_asks_before_erasing_and_stops_without_a_yes(story, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Nothing was erased"):
        run("erase", "ada@example.org")
    assert fresh(story["first"]).author_name == "Ada Lovelace"

    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    assert "comments anonymized: 3" in run("erase", "ada@example.org")


def test_command_refuses_a_non_address():
    with pytest.raises(CommandError, match="not an email address"):
        run("export", "nobody")


# --- Admin ------------------------------------------------------------------------------------


def admin_user(username: str, *codenames: str):
    user = get_user_model().objects.create_user(username, password="pw")
    group = Group.objects.create(name=f"{username}-group")
    permissions = {
        "access_admin": Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        ),
        "moderate": Permission.objects.get(
            content_type__app_label="moderation", codename="moderate"
        ),
    }
    group.permissions.set([permissions[codename] for codename in codenames])
    user.groups.add(group)
    return user


ENDPOINTS = [
    ("get", "/admin/privacy/", {}),
    ("post", "/admin/privacy/export/", {"email": "ada@example.org"}),
    ("post", "/admin/privacy/erase/", {"email": "ada@example.org"}),
    ("post", "/admin/privacy/erase/", {"email": "ada@example.org", "confirmed": "True"}),
]


@pytest.mark.parametrize(("method", "url", "data"), ENDPOINTS)
def test_admin_sends_anonymous_visitors_to_the_login(client, story, method, url, data):
    response = getattr(client, method)(url, data)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert fresh(story["first"]).author_name == "Ada Lovelace"


@pytest.mark.parametrize(("method", "url", "data"), ENDPOINTS)
def test_admin_refuses_editors_without_the_moderation_permission(client, story, method, url, data):
    client.force_login(admin_user("editor", "access_admin"))
    response = getattr(client, method)(url, data)
    assert response.status_code == 403
    assert fresh(story["first"]).author_name == "Ada Lovelace"


@pytest.mark.parametrize(("method", "url", "data"), ENDPOINTS)
def test_admin_turns_away_users_without_admin_access(client, story, method, url, data):
    # Wagtail itself answers for every admin URL: back to the login, with a message.
    client.force_login(admin_user("reader"))
    response = getattr(client, method)(url, data)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert fresh(story["first"]).author_name == "Ada Lovelace"


def test_admin_refuses_the_wrong_method(client):
    client.force_login(admin_user("moderator", "access_admin", "moderate"))
    assert client.post("/admin/privacy/").status_code == 405
    assert client.get("/admin/privacy/export/").status_code == 405
    assert client.get("/admin/privacy/erase/").status_code == 405


def test_moderator_sees_the_form_and_the_menu_item(client):
    client.force_login(admin_user("moderator", "access_admin", "moderate"))
    page = client.get("/admin/privacy/").content.decode()
    assert "Export (download JSON)" in page and "Erase" in page
    assert "Personal data" in client.get("/admin/").content.decode()


def test_editor_does_not_see_the_menu_item(client):
    client.force_login(admin_user("editor", "access_admin"))
    assert "Personal data" not in client.get("/admin/").content.decode()


def test_moderator_downloads_the_export(client, story):
    client.force_login(admin_user("moderator", "access_admin", "moderate"))
    response = client.post("/admin/privacy/export/", {"email": "ADA@example.org"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert len(json.loads(response.content)["comments"]) == 3


def test_moderator_erases_after_confirming(client, story):
    moderator = admin_user("moderator", "access_admin", "moderate")
    client.force_login(moderator)

    confirm = client.post("/admin/privacy/erase/", {"email": "Ada@example.org"})
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "3 comment(s)" in page and "Erase now" in page
    assert fresh(story["first"]).author_name == "Ada Lovelace"  # nothing happened yet

    done = client.post(
        "/admin/privacy/erase/",
        {"email": "ada@example.org", "mode": "delete", "confirmed": "True"},
        follow=True,
    )
    assert done.status_code == 200 and "Erased (delete)" in done.content.decode()
    assert fresh(story["second"]).status == Comment.Status.DELETED
    assert AuditEntry.objects.get(action="privacy_erase").actor == moderator


def test_admin_form_with_a_bad_address_says_so(client):
    client.force_login(admin_user("moderator", "access_admin", "moderate"))
    response = client.post("/admin/privacy/export/", {"email": "nope"})
    assert response.status_code == 400 and "valid email" in response.content.decode()

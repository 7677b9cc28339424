"""Moderation from both sides, in real browsers, with the real pipeline.

A guest writes an insult: the form warns them, they post it anyway, and it waits for review.
Another guest's first comment waits too (the site pre-moderates first comments). A moderator
approves the second from the queue, bans the insulting guest, and finds both in the audit log.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from playwright.sync_api import expect
from wagtail.models import Site

from masthead.discussion.models import Comment
from masthead.discussion.tests.factories import article_thread
from masthead.moderation.models import AuditEntry, Ban, ModerationSettings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "pw-for-the-moderator"
INSULT = "You are a pathetic idiot and everyone here is sick of your stupid lies."
FAIR = "The detour via Elm Street adds ten minutes, but the signage is clear."


def write_as_guest(tab, url, text, name, email):
    tab.goto(url)
    form = tab.locator("[data-comment-form]").first
    expect(tab.locator(".discussion.is-enhanced")).to_be_attached()
    form.locator("textarea").fill(text)
    form.locator("input[name=author_name]").fill(name)
    form.locator("input[name=author_email]").fill(email)
    form.get_by_role("button", name="Post comment").click()
    return form


def test_a_nudged_insult_is_held_and_a_moderator_approves_and_bans(live_server, page, settings):
    article, _thread = article_thread("Harbour bridge closes for repairs")
    ModerationSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True),
        defaults={"premoderate_first_guest_comment": True},
    )
    url = live_server.url + article.url

    # The insult: a warning first, nothing stored, then "Post anyway" holds it.
    form = write_as_guest(page, url, INSULT, "Troll Tom", "tom@example.org")
    nudge = form.locator("[data-form-nudge]")
    expect(nudge).to_be_visible()
    expect(nudge).to_contain_text("abusive or hurtful")
    assert not Comment.objects.exists()
    nudge.get_by_role("button", name="Post anyway").click()
    expect(page.get_by_text("awaiting moderation").first).to_be_visible()
    insult = Comment.objects.get(author_name="Troll Tom")
    assert insult.status == Comment.Status.PENDING
    assert "posted anyway after a warning" in insult.moderation_reasons

    # Another guest's first comment waits for review too.
    other = page.context.browser.new_context().new_page()
    write_as_guest(other, url, FAIR, "Ada Guest", "ada@example.org")
    expect(other.get_by_text("awaiting moderation").first).to_be_visible()
    fair = Comment.objects.get(author_name="Ada Guest")
    assert fair.status == Comment.Status.PENDING
    other.close()

    # The moderator signs in and opens the queue.
    moderator = get_user_model().objects.create_user(
        "mona", "mona@example.org", PASSWORD, first_name="Mona", last_name="Moderator"
    )
    moderator.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "moderate"])
    )
    page.goto(live_server.url + "/admin/login/")
    page.locator("input[name=username]").fill("mona")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.goto(live_server.url + "/admin/moderation/")
    insult_row = page.locator(f"[data-comment='{insult.pk}']")
    fair_row = page.locator(f"[data-comment='{fair.pk}']")
    expect(insult_row.locator("[data-reasons]")).to_contain_text("posted anyway after a warning")
    expect(fair_row.locator("[data-reasons]")).to_contain_text("first comment of a new guest")

    # Approve the fair comment: it appears on the article.
    fair_row.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Approved 1 comment.")).to_be_visible()
    reader = page.context.browser.new_context().new_page()
    reader.goto(url)
    expect(reader.locator(f"#comment-{fair.pk}")).to_contain_text("adds ten minutes")
    expect(reader.locator(f"#comment-{insult.pk}")).to_have_count(0)
    reader.close()

    # Ban the insulting guest from their row.
    insult_row.get_by_text("Ban author").click()
    insult_row.locator("[data-ban-duration]").select_option("7d")
    insult_row.locator("[data-ban-reason]").fill("insults other readers")
    insult_row.get_by_role("button", name="Ban and reject").click()
    expect(page.get_by_text("Banned the author (7 days) and rejected the comment.")).to_be_visible()

    # The audit log shows both decisions.
    page.goto(live_server.url + "/admin/moderation/audit/")
    log = page.locator("[data-audit-log]")
    expect(log).to_contain_text(f"Approved comment #{fair.pk}")
    expect(log).to_contain_text("Banned Troll Tom")
    assert AuditEntry.objects.filter(actor=moderator).count() >= 2

    # And the banned guest cannot comment any more.
    assert Ban.objects.filter(kind="email", value="tom@example.org").exists()
    again = page.context.browser.new_context().new_page()
    form = write_as_guest(
        again, url, "Just a calm question about the detour.", "Tom", "tom@example.org"
    )
    expect(form.locator("[data-form-error]")).to_contain_text("can no longer comment")
    again.close()


def test_with_altcha_on_a_guest_comment_carries_a_proof_of_work(live_server, page, settings):
    settings.MODERATION_ALTCHA_ENABLED = True
    article, _thread = article_thread("Ferry timetable changes in spring")
    url = live_server.url + article.url
    challenges = []
    page.on(
        "request",
        lambda request: (
            challenges.append(request.url) if "altcha/challenge" in request.url else None
        ),
    )
    write_as_guest(page, url, FAIR, "Ada Guest", "ada@example.org")
    expect(page.get_by_text("Your comment was posted.").first).to_be_visible(timeout=30_000)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PUBLISHED
    assert challenges, "the page fetched a challenge from Masthead itself"

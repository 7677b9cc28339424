"""Forgetting a reader's mail and subscriptions through notifications' own services (moderation's
privacy tools call them when a commenter asks for erasure)."""

import pytest

from masthead.discussion import services as discussion
from masthead.discussion.tests.factories import article_thread, guest
from masthead.notifications import services
from masthead.notifications.models import OutboundMail, Subscription, SuppressedAddress

pytestmark = pytest.mark.django_db

State = OutboundMail.State


@pytest.fixture
def comments(settings):
    settings.DISCUSSION_SCREEN = "masthead.discussion.screening.PublishEverything"
    thread = article_thread()[1]
    ada = discussion.Author(name="Ada Lovelace", email="ada@example.org", reader="r-ada")
    mine = discussion.comment_post(thread=thread, text="Ada's words", author=ada)
    other = discussion.comment_post(thread=thread, text="Bo's words", author=guest("Bo"))
    return thread, mine, other


def mail(to, *, comment=None, state=State.SENT, subject="New comment by Ada Lovelace"):
    return OutboundMail.objects.create(
        kind=OutboundMail.Kind.NOTIFICATION,
        state=state,
        to=to,
        subject=subject,
        text_body="Ada Lovelace wrote: Ada's words",
        html_body="<p>Ada Lovelace wrote: Ada's words</p>",
        comment=comment,
    )


def test_mails_to_the_address_go_and_mails_about_their_comments_lose_their_words(comments):
    _thread, mine, other = comments
    to_her = mail("Ada@Example.org", comment=other)
    sent_to_bo = mail("bo@example.org", comment=mine)
    queued_to_cy = mail("cy@example.org", comment=mine, state=State.QUEUED)
    about_bo = mail("cy@example.org", comment=other, subject="New comment by Bo")

    result = services.mails_redact(email="ada@example.org", comment_ids=[mine.pk])

    assert result == services.Redacted(deleted=1, redacted=2, cancelled=1)
    assert not OutboundMail.objects.filter(pk=to_her.pk).exists()
    for kept in (sent_to_bo, queued_to_cy):
        kept.refresh_from_db()
        assert kept.subject == services.REDACTED_SUBJECT
        assert kept.text_body == kept.html_body == ""
    # Bo's mail was sent (its history stays sent); Cy's never goes out now.
    assert (sent_to_bo.state, queued_to_cy.state) == (State.SENT, State.CANCELLED)
    about_bo.refresh_from_db()
    assert about_bo.subject == "New comment by Bo" and about_bo.state == State.SENT


def test_forgetting_an_address_deletes_its_subscriptions_and_suppression_only(
    comments, django_user_model
):
    thread, _mine, _other = comments
    account = django_user_model.objects.create_user("ada", "ada@example.org", "pw")
    Subscription.objects.create(email="ada@example.org", kind="thread", thread=thread)
    Subscription.objects.create(email="old@example.org", kind="thread", thread=thread, user=account)
    kept = Subscription.objects.create(email="bo@example.org", kind="thread", thread=thread)
    SuppressedAddress.objects.create(email="ADA@example.org")
    SuppressedAddress.objects.create(email="bo@example.org")

    result = services.address_forget(email="ada@example.org", account_ids=[account.pk])

    assert result == services.AddressForgotten(subscriptions=2, suppressions=1)
    assert list(Subscription.objects.values_list("pk", flat=True)) == [kept.pk]
    assert list(SuppressedAddress.objects.values_list("email", flat=True)) == ["bo@example.org"]

"""Subscriptions, and the outbound log of every mail Masthead sends.

Every mail is a row of OutboundMail before it is handed to a task: the row is the queue's
source of truth, so a lost task, a crashed worker or an SMTP server that is down never loses a
mail; the scheduler's sweep sends anything due that no task is carrying.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from masthead.discussion.models import Comment, Thread


class Subscription(models.Model):
    """One address's wish to hear about a thread, a comment's replies, or held comments."""

    class Kind(models.TextChoices):
        # Translators: completes "We will email you about …" and "Notify of …".
        THREAD = "thread", _("new follow-up comments")
        REPLIES = "replies", _("new replies to my comments")
        COMMENT = "comment", _("new replies to this comment")
        MODERATION = "moderation", _("comments awaiting moderation")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    # Lower-cased: one person, one address, whatever capitals they typed.
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    # "thread:<id>", "comment:<id>" or "site": makes (email, kind, scope) unique on every
    # database without relying on how each one treats NULLs in unique constraints.
    scope = models.CharField(max_length=40)
    # Moderation mails only: one digest an hour instead of a mail per held comment.
    digest = models.BooleanField(default=False)
    confirmed = models.DateTimeField(null=True, blank=True)
    # The interface language the reader subscribed in: their mails are written in it. Empty
    # (subscriptions older than this field): the site's default language.
    language = models.CharField(max_length=16, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["email", "kind", "scope"], name="one_subscription_per_address"
            ),
            models.CheckConstraint(
                condition=Q(kind="moderation", thread__isnull=True)
                | Q(kind__in=["thread", "replies", "comment"], thread__isnull=False),
                name="subscription_has_a_target",
            ),
        ]
        indexes = [
            models.Index(fields=["thread", "kind"], name="subscription_thread"),
            models.Index(fields=["comment"], name="subscription_comment"),
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.get_kind_display()} ({self.scope})"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed is not None


class SuppressedAddress(models.Model):
    """An address that asked for nothing more from this site ("everything from this site").

    Nothing is mailed to it until it confirms a new subscription itself.
    """

    email = models.EmailField(unique=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = _("suppressed addresses")

    def __str__(self) -> str:
        return self.email


class OutboundMail(models.Model):
    """A mail Masthead sends, with everything needed to send it again and what happened."""

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", pgettext_lazy("kind of mail", "Subscription confirmation")
        NOTIFICATION = "notification", pgettext_lazy("kind of mail", "New comment")
        MODERATION = "moderation", pgettext_lazy("kind of mail", "Comment awaiting moderation")
        DIGEST = "digest", pgettext_lazy("kind of mail", "Digest")
        TEST = "test", pgettext_lazy("kind of mail", "Test mail")
        RECEIPT = "receipt", pgettext_lazy("kind of mail", "Donation receipt")

    class State(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("state of a mail", "Queued")
        SENDING = "sending", pgettext_lazy("state of a mail", "Sending")
        SENT = "sent", pgettext_lazy("state of a mail", "Sent")
        RETRYING = "retrying", pgettext_lazy("state of a mail", "Retrying")
        FAILED = "failed", pgettext_lazy("state of a mail", "Failed")
        WAITING = "waiting", pgettext_lazy("state of a mail", "Waiting for a digest")
        DIGESTED = "digested", pgettext_lazy("state of a mail", "Sent in a digest")
        CANCELLED = "cancelled", pgettext_lazy("state of a mail", "Cancelled")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    text_body = models.TextField()
    html_body = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="mails"
    )
    # The digest that carried this mail's news, once it did.
    digest = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    # Makes creating the same mail twice (a retried task) a no-op: "comment:<id>:<address>".
    dedupe_key = models.CharField(max_length=400, null=True, blank=True, unique=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt = models.DateTimeField(null=True, blank=True)
    # When a waiting mail may go out in a digest (an hour for moderators' digests).
    digest_after = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    sent = models.DateTimeField(null=True, blank=True)
    server_reply = models.TextField(blank=True, help_text=_("What the mail server answered."))
    error = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["to", "sent"], name="outbound_recipient_hour"),
            models.Index(fields=["state", "next_attempt"], name="outbound_due"),
            models.Index(fields=["-created"], name="outbound_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.to}: {self.get_state_display()}"

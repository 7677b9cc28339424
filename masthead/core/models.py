"""Domain-free tables: the outbox of work promised by a commit, and idempotency keys.

Both exist so that what a reader or a donor was told happened, happens exactly once: an
outbox row commits with the change that promised its side effect (a lost queue message cannot
lose it), an idempotency key commits with the write it names (a retried request cannot repeat it).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutboxEntry(models.Model):
    """A task to run after the commit that wrote this row, until it reports done."""

    # Dotted path of a django_tasks task, e.g. "masthead.notifications.tasks.notify_…".
    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created = models.DateTimeField(auto_now_add=True)
    # Runs started (a run claims the row); at OUTBOX_MAX_ATTEMPTS without success it gives up.
    attempts = models.PositiveIntegerField(default=0)
    # When the scheduler's tick hands the row to a new task if it is still not done.
    next_attempt = models.DateTimeField()
    # Set while a run holds the row; a run older than the lease is taken for a dead worker.
    started = models.DateTimeField(null=True, blank=True)
    done = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = _("outbox entries")
        indexes = [
            models.Index(
                fields=["next_attempt"], condition=Q(done__isnull=True), name="outbox_due"
            ),
        ]

    def __str__(self):
        return f"{self.task}{tuple(self.args)!r}"


class IdempotencyKey(models.Model):
    """A client's key for one write, with what that write answered, to replay on a retry."""

    # A hash of what the key is valid for (e.g. posting to one thread as one reader): the same
    # key from someone else, or for another thread, is another key and reveals nothing.
    scope = models.CharField(max_length=64)
    key = models.CharField(max_length=128)
    # A hash of the request's content: the same key with another content is refused.
    fingerprint = models.CharField(max_length=64)
    result = models.JSONField(default=dict)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="one_write_per_idempotency_key")
        ]

    def __str__(self):
        return self.key

"""Imports: each run, the records it staged from its file, and what earlier runs created."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """One import of one file, from the command line or the admin."""

    class Status(models.TextChoices):
        STAGING = "staging", _("Reading the file")
        STAGED = "staged", _("Read, ready to import")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Stopped by an error (can be resumed)")
        REFUSED = "refused", _("File refused")

    format = models.CharField(max_length=20)
    file_name = models.CharField(max_length=255)
    # An uploaded file kept until its import ends (the admin's background runs).
    file_path = models.CharField(max_length=500, blank=True)
    # "system:site" of the file (SourceRecord): the namespace of its ids in SourceLink.
    source = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.STAGING)
    options = models.JSONField(default=dict, blank=True)
    # The dry run's report while staged; the import's own once it ran (context.Report).
    report = models.JSONField(default=dict, blank=True)
    message = models.TextField(
        blank=True, help_text=_("Why the file was refused or the run failed.")
    )
    items_total = models.PositiveIntegerField(default=0)
    items_done = models.PositiveIntegerField(default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.get_format_display()} {self.file_name} ({self.get_status_display()})"

    def get_format_display(self) -> str:
        from masthead.transfer.formats import FORMATS

        return FORMATS.get(self.format, (None, self.format))[1]

    @property
    def progress_percent(self) -> int:
        if not self.items_total:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, round(100 * self.items_done / self.items_total))


class ImportItem(models.Model):
    """A record read from the file, waiting to be applied: the file is read once, and records
    whose parent comes later in it wait here (in the database, not in memory)."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=12)  # author, attachment, page, thread, comment
    source_id = models.CharField(max_length=200)
    # A comment's parent comment or a page's parent page, by source id.
    parent_id = models.CharField(max_length=200, blank=True)
    payload = models.JSONField()
    done = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "kind", "source_id"], name="one_item_per_source_id"
            )
        ]
        indexes = [models.Index(fields=["run", "kind", "done", "position"], name="item_todo")]

    def __str__(self) -> str:
        return f"{self.kind} {self.source_id} of run {self.run_id}"


class SourceLink(models.Model):
    """What an import created for a source id: running the same file again, or a newer
    export of the same site, finds it here and adds nothing twice."""

    source = models.CharField(max_length=300)
    kind = models.CharField(max_length=20)
    source_id = models.CharField(max_length=200)
    object_id = models.BigIntegerField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "source_id"], name="one_link_per_source_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.source_id} → {self.object_id}"

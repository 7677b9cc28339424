"""Importing a file: read it once into staged items, then apply them in batches.

    import_stage   parse the file (formats/<name>.py) into ImportItem rows, or refuse it whole
    import_apply   authors → attachments → pages → threads → comments, a batch per
                   transaction, each item marked done with what it created; a dry run does
                   the same inside a transaction it rolls back, so its report is the real one

Staging keeps memory flat in the file's size and lets a reply come before its parent in the
file. Batches commit as they go, so a run stopped by an error (or a killed process) is resumed
by applying the same run again; SourceLink rows make every item idempotent, so the same file
imported twice, or a newer export of the same site, adds only what is new.
"""

import dataclasses
import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from masthead.transfer import records as r
from masthead.transfer.context import ImportContext, ImportOptions, Links, Report
from masthead.transfer.formats import FORMATS, format_label, format_module
from masthead.transfer.formats.opening import source_head
from masthead.transfer.models import ImportItem, ImportRun

logger = logging.getLogger(__name__)

STAGE_BATCH = 2000
APPLY_BATCH = 500

Progress = Callable[[int, int], None]

_KINDS = {
    r.AuthorRecord: "author",
    r.AttachmentRecord: "attachment",
    r.PageRecord: "page",
    r.ThreadRecord: "thread",
    r.CommentRecord: "comment",
}
_RECORD_OF = {kind: cls for cls, kind in _KINDS.items()}
APPLY_ORDER = ("author", "attachment", "page", "thread", "comment")


class _DryRun(Exception):
    """Raised to roll a dry run back once its report is written."""


# --- staging ---------------------------------------------------------------------------------


def import_stage(
    *,
    format: str,
    path: Path | str,
    options: ImportOptions | None = None,
    file_name: str = "",
    user=None,
    progress: Progress | None = None,
    run: ImportRun | None = None,
) -> ImportRun:
    """Read `path` as `format` into the staged items of `run` (a new run when not given: the
    admin makes its run at upload, to show its page while the file is read). A file that
    cannot be used at all leaves the run REFUSED with its message, and no items."""
    options = options or ImportOptions()
    if run is None:
        run = ImportRun.objects.create(
            format=format,
            file_name=file_name or Path(path).name,
            options=_options_dump(options),
            user=user,
        )
    report = Report()
    try:
        try:
            _check_format(format, path)
            count = _stage_records(run, format_module(format).parse(Path(path)), report, progress)
        except r.FileRefused:
            raise
        except Exception as error:
            # A parser's own failure on a file it accepted: the file is refused all the same,
            # with what went wrong, and the log keeps the traceback for a bug report.
            logger.exception("Reading %s as %s failed", path, format)
            raise r.FileRefused(
                _("The file could not be read: %(error)s") % {"error": error}
            ) from error
    except r.FileRefused as refusal:
        ImportItem.objects.filter(run=run).delete()
        run.status = ImportRun.Status.REFUSED
        run.message = str(refusal)
        run.report = report.as_dict()
        run.finished = timezone.now()
        run.save()
        return run
    run.status = ImportRun.Status.STAGED
    run.items_total = count
    run.report = report.as_dict()
    run.save()
    return run


def _check_format(format: str, path) -> None:
    if format not in FORMATS:
        raise r.FileRefused(_("Masthead does not import %(format)s files.") % {"format": format})
    head = source_head(path)
    if format_module(format).looks_like(head):
        return
    for other in FORMATS:
        if other != format and format_module(other).looks_like(head):
            raise r.FileRefused(
                _(
                    "This looks like a %(found)s export, not a %(expected)s one: "
                    "import it as %(command)s."
                )
                % {
                    "found": format_label(other),
                    "expected": format_label(format),
                    "command": other,
                }
            )
    raise r.FileRefused(
        _("This is not a %(expected)s export.") % {"expected": format_label(format)}
    )


def _stage_records(run: ImportRun, stream: Iterable, report: Report, progress) -> int:
    pending: list[ImportItem] = []
    position = 0
    staged = 0

    def flush():
        nonlocal staged
        with transaction.atomic():
            ImportItem.objects.bulk_create(pending, ignore_conflicts=True)
        staged += len(pending)
        pending.clear()
        if progress:
            progress(position, 0)

    for record in stream:
        if isinstance(record, r.SourceRecord):
            run.source = f"{record.system}:{record.site}"[:300]
            continue
        if isinstance(record, r.Skip):
            report.skip(
                record.reason, source_id=record.source_id, detail=record.detail, line=record.line
            )
            continue
        kind = _KINDS.get(type(record))
        if kind is None:
            continue
        position += 1
        pending.append(
            ImportItem(
                run=run,
                position=position,
                kind=kind,
                source_id=record.source_id[:200],
                parent_id=getattr(record, "parent_id", "")[:200],
                payload=_record_dump(record),
            )
        )
        if len(pending) >= STAGE_BATCH:
            flush()
    if pending:
        flush()
    if not run.source:
        run.source = f"{run.format}:"
    if position == 0 and not report.skipped:
        raise r.FileRefused(_("The file holds nothing Masthead can import."))
    # Ids the parser did not catch twice: the unique constraint kept the first.
    duplicates = position - ImportItem.objects.filter(run=run).count()
    for _i in range(max(duplicates, 0)):
        report.skip("duplicate_id")
    return position - max(duplicates, 0)


def _record_dump(record) -> dict:
    data = dataclasses.asdict(record)
    for key, value in data.items():
        if isinstance(value, datetime):
            data[key] = value.isoformat()
    return data


def record_load(kind: str, payload: dict):
    cls = _RECORD_OF[kind]
    data = dict(payload)
    for item in dataclasses.fields(cls):
        value = data.get(item.name)
        if value is None:
            continue
        if item.name in ("created", "date") and isinstance(value, str):
            data[item.name] = datetime.fromisoformat(value)
        elif isinstance(value, list):
            data[item.name] = tuple(tuple(v) if isinstance(v, list) else v for v in value)
    return cls(**{k: v for k, v in data.items() if k in {f.name for f in dataclasses.fields(cls)}})


def _options_dump(options: ImportOptions) -> dict:
    data = dataclasses.asdict(options)
    data["media_dir"] = str(options.media_dir) if options.media_dir else ""
    return data


def options_load(data: dict) -> ImportOptions:
    data = dict(data)
    data["media_dir"] = Path(data["media_dir"]) if data.get("media_dir") else None
    names = {f.name for f in dataclasses.fields(ImportOptions)}
    return ImportOptions(**{k: v for k, v in data.items() if k in names})


# --- applying --------------------------------------------------------------------------------


def import_apply(
    *, run: ImportRun, dry_run: bool = False, progress: Progress | None = None
) -> ImportRun:
    """Apply a staged run's items (the ones not done yet: a failed run resumes)."""
    if run.status not in (
        ImportRun.Status.STAGED,
        ImportRun.Status.FAILED,
        ImportRun.Status.RUNNING,
    ):
        raise ValueError(f"run {run.pk} is {run.status}, not staged")
    options = options_load(run.options)
    options.dry_run = dry_run
    # A dry run's report wraps the staging's; the real run starts again from the latter.
    staged = run.report.get("staged", run.report)
    staged_report = Report.from_dict(staged)
    context = ImportContext(
        source=_source_of(run),
        options=options,
        report=staged_report,
        links=Links(run.source),
        run_id=run.pk,
    )
    if dry_run:
        try:
            with transaction.atomic():
                _apply_all(run, context, progress, commit_progress=False)
                raise _DryRun
        except _DryRun:
            pass
        run.refresh_from_db()
        run.report = {**context.report.as_dict(), "dry_run": True, "staged": staged}
        run.save(update_fields=["report"])
        return run
    run.status = ImportRun.Status.RUNNING
    run.started = run.started or timezone.now()
    run.save(update_fields=["status", "started"])
    try:
        _apply_all(run, context, progress, commit_progress=True)
    except Exception as error:
        logger.exception("Import run %s stopped", run.pk)
        run.status = ImportRun.Status.FAILED
        run.message = _("The import stopped: %(error)s. Run it again to resume.") % {"error": error}
        run.report = context.report.as_dict()
        run.save(update_fields=["status", "message", "report"])
        return run
    run.status = ImportRun.Status.DONE
    run.finished = timezone.now()
    run.report = context.report.as_dict()
    run.save(update_fields=["status", "finished", "report", "items_done"])
    _file_forget(run)
    return run


def _source_of(run: ImportRun) -> r.SourceRecord:
    system, _sep, site = run.source.partition(":")
    return r.SourceRecord(system=system or run.format, site=site)


def _file_forget(run: ImportRun) -> None:
    """Once a run is done, its uploaded copy and staged records go: they hold commenters'
    names and addresses, which must live only where an erasure reaches them (the comments
    themselves). The run and its report stay."""
    if run.file_path:
        Path(run.file_path).unlink(missing_ok=True)
        ImportRun.objects.filter(pk=run.pk).update(file_path="")
    ImportItem.objects.filter(run=run).delete()


STAGED_RUNS_KEPT = timedelta(days=7)


def import_runs_prune() -> int:
    """Forget the staged records of runs left unfinished for a week (a dry run nobody ran,
    an import nobody resumed). Runs on the scheduler's tick."""
    stale = ImportRun.objects.filter(
        created__lt=timezone.now() - STAGED_RUNS_KEPT,
        status__in=(ImportRun.Status.STAGED, ImportRun.Status.FAILED, ImportRun.Status.STAGING),
    ).exclude(items=None)
    count = 0
    for run in stale:
        _file_forget(run)
        count += 1
    return count


def _apply_all(run: ImportRun, context: ImportContext, progress, *, commit_progress: bool):
    done = ImportItem.objects.filter(run=run, done=True).count()
    appliers = _appliers()
    for kind in APPLY_ORDER:
        while True:
            applied_in_pass = 0
            last = 0
            while True:
                batch = list(
                    ImportItem.objects.filter(
                        run=run, kind=kind, done=False, position__gt=last
                    ).order_by("position")[:APPLY_BATCH]
                )
                if not batch:
                    break
                last = batch[-1].position
                with transaction.atomic():
                    finished = appliers[kind](context, run, batch)
                    ImportItem.objects.filter(pk__in=finished).update(done=True)
                    done += len(finished)
                    applied_in_pass += len(finished)
                    if commit_progress:
                        ImportRun.objects.filter(pk=run.pk).update(items_done=done)
                        run.items_done = done
                if progress:
                    progress(done, run.items_total)
            left = ImportItem.objects.filter(run=run, kind=kind, done=False)
            if not left.exists():
                break
            if applied_in_pass == 0:
                # What is left waits for a parent that never came: report, mark done.
                for item in left.iterator():
                    context.report.skip(
                        "orphan_parent",
                        source_id=item.source_id,
                        detail=item.parent_id,
                        line=item.payload.get("line"),
                    )
                with transaction.atomic():
                    done += left.update(done=True)
                    if commit_progress:
                        ImportRun.objects.filter(pk=run.pk).update(items_done=done)
                break
    from masthead.transfer.appliers.comments import threads_unused_report

    threads_unused_report(context, run)


def _appliers() -> dict:
    from masthead.transfer.appliers import comments as comment_appliers

    try:
        from masthead.transfer.appliers import pages as page_appliers
    except ImportError:  # pragma: no cover - while the WordPress part is being written
        page_appliers = None

    def one_by_one(apply_one, kind):
        def apply(context, run, batch):
            finished = []
            for item in batch:
                record = record_load(kind, item.payload)
                if kind == "page" and record.parent_id and not _parent_ready(context, record):
                    continue
                apply_one(context, record)
                finished.append(item.pk)
            return finished

        return apply

    appliers = {
        "thread": lambda context, run, batch: comment_appliers.threads_apply(
            context, run, [(item.pk, record_load("thread", item.payload)) for item in batch]
        ),
        "comment": lambda context, run, batch: comment_appliers.comments_apply(
            context, run, [(item.pk, record_load("comment", item.payload)) for item in batch]
        ),
    }
    if page_appliers is not None:
        appliers["author"] = one_by_one(page_appliers.author_apply, "author")
        appliers["attachment"] = one_by_one(page_appliers.attachment_apply, "attachment")
        appliers["page"] = one_by_one(page_appliers.page_apply, "page")
    else:
        for kind in ("author", "attachment", "page"):
            appliers[kind] = _unsupported
    return appliers


def _unsupported(context, run, batch):
    for item in batch:
        context.report.skip("unsupported", source_id=item.source_id)
    return [item.pk for item in batch]


def _parent_ready(context: ImportContext, record: r.PageRecord) -> bool:
    """A page waits for its parent page when that one is staged and not applied yet."""
    if context.links.get("page", record.parent_id) or context.links.get(
        "article", record.parent_id
    ):
        return True
    return not ImportItem.objects.filter(
        run_id=context.run_id, kind="page", source_id=record.parent_id, done=False
    ).exists()


def import_now(
    *,
    format: str,
    path: Path | str,
    options: ImportOptions | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportRun:
    """Stage and apply in one go (the command line, tests, the benchmark)."""
    run = import_stage(format=format, path=path, options=options, progress=progress)
    if run.status == ImportRun.Status.REFUSED:
        return run
    return import_apply(run=run, dry_run=dry_run, progress=progress)


def future_limit() -> datetime:
    """Dates later than this are an export's mistake (a wrong clock or time zone)."""
    return timezone.now() + timedelta(days=1)

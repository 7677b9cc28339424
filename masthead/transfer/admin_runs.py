"""The admin's imports: an uploaded file kept privately, read and dry-run in a background task,
then imported in another one, with their progress for the run page.

    run_upload_queue   keep the upload, make its run, queue `tasks.import_preview`
    run_preview        (the task) stage the file into the run, then dry-run it
    run_import_queue   queue `tasks.import_run` for a checked run, or a stopped one (resume)
    run_progress       what the run page's progress bar shows

Uploads live in VAR_DIR/imports/, a private folder no URL serves (they hold commenters' names
and addresses); `importing._file_forget` deletes one when its import is done, a refused one
goes at once, and `import_runs_prune` forgets those left unfinished.

Progress is noted in the shared cache, not in the run's row: a dry run works inside one
transaction it rolls back, so what it writes to the row is invisible until it ends and then
undone. The cache is shared by the server's and the worker's processes (on disk, or Redis).
"""

import dataclasses
import logging
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from masthead.transfer.context import ImportOptions
from masthead.transfer.importing import import_apply, import_stage, options_load
from masthead.transfer.models import ImportRun

logger = logging.getLogger(__name__)

UPLOAD_FOLDER = "imports"
# A progress note outlives any pause between two batches; an abandoned one expires.
PROGRESS_SECONDS = 6 * 3600
# Notes are written at most this often (a batch can take milliseconds).
NOTE_EVERY_SECONDS = 0.5


class Stage:
    """Where a run stands, as the run page shows it (finer than ImportRun.Status)."""

    READING = "reading"  # the file is being read into staged items
    CHECKING = "checking"  # the dry run is working
    CHECKED = "checked"  # the dry run's report is ready: the editor may run the import
    CHECK_FAILED = "check_failed"  # the dry run stopped on an error
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    REFUSED = "refused"

    ACTIVE = frozenset({READING, CHECKING, RUNNING})
    do_not_call_in_templates = True  # the run page compares against Stage.CHECKED etc.


def run_stage(run: ImportRun) -> str:
    """Return the run's stage (Stage.*)."""
    status = run.status
    if status == ImportRun.Status.STAGING:
        return Stage.READING
    if status == ImportRun.Status.STAGED:
        if run.report.get("check_error"):
            return Stage.CHECK_FAILED
        return Stage.CHECKED if run.report.get("dry_run") else Stage.CHECKING
    return {
        ImportRun.Status.RUNNING: Stage.RUNNING,
        ImportRun.Status.DONE: Stage.DONE,
        ImportRun.Status.FAILED: Stage.FAILED,
        ImportRun.Status.REFUSED: Stage.REFUSED,
    }[status]


# --- queueing -----------------------------------------------------------------------------


def upload_folder() -> Path:
    folder = Path(settings.VAR_DIR) / UPLOAD_FOLDER
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def upload_keep(upload: UploadedFile) -> Path:
    """Copy an uploaded export into the private upload folder, readable by this user only.

    The name is random: the uploader's file name is kept on the run for people, never used
    as a path. Parsers tell gzip and zip by their first bytes, so no suffix is needed.
    """
    path = upload_folder() / f"{uuid.uuid4().hex}.upload"
    with path.open("xb") as kept:
        path.chmod(0o600)
        for chunk in upload.chunks():
            kept.write(chunk)
    return path


def run_upload_queue(
    *, format: str, upload: UploadedFile, options: ImportOptions, user
) -> ImportRun:
    """Keep an uploaded export and queue its reading and dry run; return its run (STAGING)."""
    path = upload_keep(upload)
    run = ImportRun.objects.create(
        format=format,
        file_name=Path(upload.name or "").name[:255] or path.name,
        file_path=str(path),
        # As importing stores them; a server folder (media_dir) is the console's option only.
        options={**dataclasses.asdict(options), "media_dir": ""},
        user=user,
    )
    transaction.on_commit(lambda: _enqueue_preview(run.pk))
    return run


def run_check_queue(*, run: ImportRun) -> bool:
    """Queue the dry run again for a run whose dry run stopped; False for any other run."""
    if run.status != ImportRun.Status.STAGED or not run.report.get("check_error"):
        return False
    run.report = {k: v for k, v in run.report.items() if k != "check_error"}
    run.message = ""
    run.save(update_fields=["report", "message"])
    transaction.on_commit(lambda: _enqueue_preview(run.pk))
    return True


def run_import_queue(*, run: ImportRun) -> bool:
    """Queue the import of a checked run, or the resumption of a stopped one.

    The run is marked RUNNING here, by a conditional update, so a second click (or a second
    editor) queues nothing, and the page shows the progress bar at once. Returns whether
    this call queued it.
    """
    claimed = ImportRun.objects.filter(
        pk=run.pk, status__in=(ImportRun.Status.STAGED, ImportRun.Status.FAILED)
    ).update(status=ImportRun.Status.RUNNING)
    if not claimed:
        return False
    cache.delete(_progress_key(run.pk))
    run.status = ImportRun.Status.RUNNING
    transaction.on_commit(lambda: _enqueue_import(run.pk))
    return True


def _enqueue_preview(run_id: int) -> None:
    from masthead.transfer.tasks import import_preview

    import_preview.enqueue(run_id)


def _enqueue_import(run_id: int) -> None:
    from masthead.transfer.tasks import import_run

    import_run.enqueue(run_id)


# --- the tasks' work ----------------------------------------------------------------------


def run_preview(run_id: int) -> None:
    """Read a queued upload into its run (unless read already), then dry-run it."""
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None:
        return
    if run.status == ImportRun.Status.STAGING:
        run = _stage_into(run)
        if run.status != ImportRun.Status.STAGED:
            return
    if run.status != ImportRun.Status.STAGED:
        return  # already running or over: a duplicate message
    try:
        import_apply(
            run=run, dry_run=True, progress=_noter(run.pk, Stage.CHECKING, run.items_total)
        )
    except Exception as error:
        # The dry run changed nothing; the editor sees why and may check again or import.
        logger.exception("The dry run of import run %s stopped", run_id)
        run.refresh_from_db()
        report = {key: value for key, value in run.report.items() if key != "dry_run"}
        run.report = {**report, "check_error": True}
        run.message = _("The dry run stopped: %(error)s") % {"error": error}
        run.save(update_fields=["report", "message"])
    finally:
        cache.delete(_progress_key(run_id))


def _stage_into(run: ImportRun) -> ImportRun:
    """Stage the run's file into the run the admin made at upload (the one the page shows)."""
    try:
        run = import_stage(
            format=run.format,
            path=run.file_path,
            options=options_load(run.options),
            progress=_noter(run.pk, Stage.READING),
            run=run,
        )
    finally:
        cache.delete(_progress_key(run.pk))
    if run.status == ImportRun.Status.REFUSED:
        _upload_forget(run)
    return run


def run_import(run_id: int) -> None:
    """Import a run the admin queued (or resume one that stopped)."""
    run = ImportRun.objects.filter(pk=run_id).first()
    # run_import_queue marked it RUNNING; anything else is a stale or duplicate message.
    if run is None or run.status != ImportRun.Status.RUNNING:
        return
    try:
        import_apply(run=run, progress=_noter(run_id, Stage.RUNNING, run.items_total))
    finally:
        cache.delete(_progress_key(run_id))


def _upload_forget(run: ImportRun) -> None:
    if run.file_path:
        Path(run.file_path).unlink(missing_ok=True)
        ImportRun.objects.filter(pk=run.pk).update(file_path="")
        run.file_path = ""


# --- progress -----------------------------------------------------------------------------


def _progress_key(run_id: int) -> str:
    return f"transfer:import-progress:{run_id}"


def _noter(run_id: int, stage: str, total: int = 0):
    """Return a progress callback for `stage`, having noted that the stage started."""
    last = {"at": 0.0}

    def note(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last["at"] < NOTE_EVERY_SECONDS and (not total or done < total):
            return
        last["at"] = now
        cache.set(
            _progress_key(run_id),
            {"stage": stage, "done": done, "total": total},
            PROGRESS_SECONDS,
        )

    note(0, total)
    return note


def run_progress(run: ImportRun) -> dict:
    """Return what the progress bar shows: stage, items done and total, percent (None when
    the total is not known yet), and a sentence for the editor."""
    stage = run_stage(run)
    note = cache.get(_progress_key(run.pk)) or {}
    if note.get("stage") != stage:
        note = {}
    done, total = note.get("done", 0), note.get("total", 0)
    if stage == Stage.RUNNING:
        # The real import commits its count with every batch.
        done, total = run.items_done, run.items_total
    percent = None
    if stage in (Stage.DONE, Stage.CHECKED):
        # Over: every staged item was applied (or tried, by the dry run).
        done, total, percent = run.items_total, run.items_total, 100
    elif total:
        percent = min(100, 100 * done // total)
    elif stage in (Stage.CHECKING, Stage.RUNNING) and note:
        percent = 0
    return {
        "run": run.pk,
        "status": run.status,
        "status_label": run.get_status_display(),
        "stage": stage,
        "active": stage in Stage.ACTIVE,
        "items_done": done,
        "items_total": total,
        "percent": percent,
        "message": _progress_message(stage, done, total, bool(note) or bool(run.items_done)),
    }


def _progress_message(stage: str, done: int, total: int, started: bool) -> str:
    numbers = {"done": f"{done:,}", "total": f"{total:,}"}
    # The dry run follows the reading in the same task: the worker is there already.
    if stage in Stage.ACTIVE and not started and stage != Stage.CHECKING:
        return _(
            "Waiting for the background worker to start. If this lasts, check that the "
            "worker runs (masthead worker)."
        )
    if stage == Stage.READING:
        return _("Reading the file: %(done)s entries so far.") % numbers
    if stage == Stage.CHECKING:
        if not total:
            return _("Checking what the import would bring in.")
        return _("Checking what the import would bring in: %(done)s of %(total)s.") % numbers
    if stage == Stage.RUNNING:
        return _("Importing: %(done)s of %(total)s entries.") % numbers
    if stage == Stage.DONE:
        return _("Imported: %(total)s entries.") % numbers
    if stage == Stage.CHECKED:
        return _("The dry run is done: nothing was changed yet.")
    if stage == Stage.CHECK_FAILED:
        return _("The dry run stopped on an error.")
    if stage == Stage.FAILED:
        return _("The import stopped on an error; it can be resumed.")
    return _("The file was refused.")

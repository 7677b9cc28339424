"""Settings → Import: upload an export, read its dry-run report, run it, follow its progress.

Only users with the permission "Can add import run" (`transfer.add_importrun`; superusers
have it) reach these pages; give it to a group in Settings → Groups. Anyone else signed in
to the admin gets a 403. Each view is one call into `admin_runs`, which queues the work.
"""

from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from masthead.transfer import admin_runs
from masthead.transfer.admin_runs import Stage
from masthead.transfer.forms import ImportForm
from masthead.transfer.models import ImportRun
from masthead.transfer.reasons import reason_text

PERMISSION = "transfer.add_importrun"
RUNS_PER_PAGE = 20
EXAMPLES_SHOWN = 3

# What the report counts, as the editor reads it; a key missing here shows as it is written.
CREATED_LABELS = {
    "articles": gettext_lazy("Articles"),
    "pages": gettext_lazy("Pages"),
    "authors": gettext_lazy("Authors"),
    "sections": gettext_lazy("Sections"),
    "images": gettext_lazy("Images"),
    "attachments": gettext_lazy("Images"),
    "redirects": gettext_lazy("Redirects from old addresses"),
    "threads_on_pages": gettext_lazy("Discussions on articles"),
    "threads_by_address": gettext_lazy("Discussions kept by their old address"),
    "comments": gettext_lazy("Comments"),
    "comments_held_by_screening": gettext_lazy("Comments held for moderation by screening"),
}


def importers_only(view):
    """Answer 403 to admin users without the import permission (Wagtail has already sent
    visitors without admin access to its login page)."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            return TemplateResponse(request, "transfer/admin/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return checked


@require_http_methods(["GET", "POST"])
@importers_only
def import_index(request):
    """The upload form and the earlier runs."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = admin_runs.run_upload_queue(
            format=form.cleaned_data["format"],
            upload=form.cleaned_data["file"],
            options=form.options(),
            user=request.user,
        )
        return redirect("transfer_admin:run", run_id=run.pk)
    runs = Paginator(ImportRun.objects.select_related("user"), RUNS_PER_PAGE).get_page(
        request.GET.get("p")
    )
    return TemplateResponse(
        request,
        "transfer/admin/index.html",
        {"form": form, "runs": runs},
        status=400 if form.errors else 200,
    )


@require_GET
@importers_only
def import_run(request, run_id: int):
    """A run: its progress while it works, then its report and what can be done next."""
    run = get_object_or_404(ImportRun.objects.select_related("user"), pk=run_id)
    progress = admin_runs.run_progress(run)
    return TemplateResponse(
        request,
        "transfer/admin/run.html",
        {
            "run": run,
            "stage": progress["stage"],
            "progress": progress,
            "report": report_view(run.report),
            "dry_run": bool(run.report.get("dry_run")),
            "Stage": Stage,
        },
    )


@require_GET
def import_run_status(request, run_id: int):
    """The progress bar's poll: stage, items done and total, percent, a sentence."""
    if not request.user.has_perm(PERMISSION):
        return JsonResponse({"error": _("Not allowed.")}, status=403)
    run = get_object_or_404(ImportRun, pk=run_id)
    # Wagtail marks every admin response never-cache: each poll reaches the server.
    return JsonResponse(admin_runs.run_progress(run))


@require_POST
@importers_only
def import_run_start(request, run_id: int):
    """Run the import of a checked run, or resume a stopped one, in the background."""
    run = get_object_or_404(ImportRun, pk=run_id)
    if not admin_runs.run_import_queue(run=run):
        messages.warning(request, _("This import is not waiting to be run; nothing was queued."))
    return redirect("transfer_admin:run", run_id=run.pk)


@require_POST
@importers_only
def import_run_check(request, run_id: int):
    """Dry-run again a run whose dry run stopped."""
    run = get_object_or_404(ImportRun, pk=run_id)
    if not admin_runs.run_check_queue(run=run):
        messages.warning(
            request, _("This import is not waiting for a dry run; nothing was queued.")
        )
    return redirect("transfer_admin:run", run_id=run.pk)


def report_view(report: dict) -> dict:
    """A run's report as the template shows it: labelled counts, reasons in words, the first
    examples of each."""

    def reasons(bucket: str) -> list[dict]:
        entries = report.get(bucket) or {}
        return [
            {
                "code": code,
                "text": reason_text(code),
                "count": entry["count"],
                "examples": entry.get("examples", [])[:EXAMPLES_SHOWN],
            }
            for code, entry in sorted(entries.items(), key=lambda item: -item[1]["count"])
        ]

    created = [
        {"key": key, "label": CREATED_LABELS.get(key, key.replace("_", " ")), "count": count}
        for key, count in (report.get("created") or {}).items()
    ]
    return {"created": created, "skipped": reasons("skipped"), "corrected": reasons("corrected")}

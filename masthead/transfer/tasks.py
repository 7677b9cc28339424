"""Background tasks of the admin's imports: thin wrappers that load the run by id and call
the work in `admin_runs` (the worker started by `masthead serve`, or `masthead worker`)."""

from django_tasks import task

from masthead.transfer import admin_runs


@task()
def import_preview(run_id: int) -> None:
    """Read an uploaded export into its run, then dry-run it for the report."""
    admin_runs.run_preview(run_id)


@task()
def import_run(run_id: int) -> None:
    """Import a checked run, or resume one that stopped."""
    admin_runs.run_import(run_id)

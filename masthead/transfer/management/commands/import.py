"""`masthead import FORMAT FILE`: bring an outlet's articles and discussions from another
system (exit status 0 when the import ran, 1 when the file was refused)."""

import logging
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from wagtail.models import Site

from masthead.transfer.context import ImportOptions
from masthead.transfer.formats import FORMATS
from masthead.transfer.importing import import_apply, import_stage
from masthead.transfer.models import ImportRun
from masthead.transfer.reasons import reason_text


class Command(BaseCommand):
    help = "Import a WordPress, Disqus, Commento, Isso, Remark42 or Masthead export."

    def add_arguments(self, parser):
        parser.add_argument("format", choices=sorted(FORMATS))
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be imported; change nothing."
        )
        parser.add_argument(
            "--site", help="Hostname (or id) of the Wagtail site to import into (default site)."
        )
        parser.add_argument(
            "--media-dir", type=Path, help="A local copy of the old site's uploads folder."
        )
        parser.add_argument(
            "--media-base-url",
            default="",
            help="The address the export's media URLs start with (…/wp-content/uploads/).",
        )
        parser.add_argument(
            "--map-author",
            action="append",
            default=[],
            metavar="LOGIN=SLUG",
            help="Credit a WordPress login's posts to an existing author (repeatable).",
        )
        parser.add_argument(
            "--screen",
            action="store_true",
            help="Screen imported comments with moderation; held ones go to the queue.",
        )
        parser.add_argument(
            "--resume", type=int, metavar="RUN", help="Resume a run that stopped (its number)."
        )

    def handle(self, *args, **options):
        # Wagtail logs every page it creates and publishes: thousands of lines that would bury
        # the progress line and the report.
        logging.getLogger("wagtail").setLevel(logging.WARNING)
        if options["resume"]:
            run = ImportRun.objects.filter(pk=options["resume"]).first()
            if run is None or run.status not in (ImportRun.Status.FAILED, ImportRun.Status.RUNNING):
                raise CommandError(
                    _("There is no stopped import run %(run)s.") % {"run": options["resume"]}
                )
        else:
            run = import_stage(
                format=options["format"],
                path=options["file"],
                options=self._options(options),
                progress=self._progress("Reading"),
            )
            self._progress_end()
            if run.status == ImportRun.Status.REFUSED:
                self.stderr.write(_("The file was refused: %(why)s") % {"why": run.message})
                sys.exit(1)
        run = import_apply(
            run=run, dry_run=options["dry_run"], progress=self._progress("Importing")
        )
        self._progress_end()
        self._print_report(run)
        if run.status == ImportRun.Status.FAILED:
            self.stderr.write(run.message)
            self.stderr.write(
                _("Resume with: masthead import %(format)s %(file)s --resume %(run)s")
                % {"format": run.format, "file": options["file"], "run": run.pk}
            )
            sys.exit(2)

    def _options(self, options) -> ImportOptions:
        site_id = None
        if options["site"]:
            value = options["site"]
            site = (
                Site.objects.filter(pk=int(value)).first()
                if value.isdigit()
                else Site.objects.filter(hostname=value).first()
            )
            if site is None:
                raise CommandError(_("There is no site %(site)s.") % {"site": value})
            site_id = site.pk
        author_map = {}
        for pair in options["map_author"]:
            login, sep, slug = pair.partition("=")
            if not sep or not login or not slug:
                raise CommandError(
                    _("--map-author takes LOGIN=SLUG, not %(pair)s.") % {"pair": pair}
                )
            author_map[login] = slug
        media_dir = options["media_dir"]
        if media_dir is not None and not media_dir.is_dir():
            raise CommandError(_("The media folder %(dir)s does not exist.") % {"dir": media_dir})
        return ImportOptions(
            site_id=site_id,
            media_dir=media_dir,
            media_base_url=options["media_base_url"],
            author_map=author_map,
            screen=options["screen"],
        )

    def _progress(self, label: str):
        interactive = self.stderr.isatty()
        shown = {"at": -1}

        def show(done: int, total: int) -> None:
            if total:
                percent = 100 * done // total
                if percent == shown["at"]:
                    return
                shown["at"] = percent
                line = f"{label}: {done:,} of {total:,} ({percent}%)"
            else:
                if done // 10_000 == shown["at"]:
                    return
                shown["at"] = done // 10_000
                line = f"{label}: {done:,} entries"
            if interactive:
                self.stderr.write("\r" + line, ending="")
                self.stderr.flush()
            elif total and percent % 10 == 0:
                self.stderr.write(line)

        return show

    def _progress_end(self) -> None:
        if self.stderr.isatty():
            self.stderr.write("")

    def _print_report(self, run: ImportRun) -> None:
        report = run.report
        heading = (
            _("Dry run: nothing was changed. The import would bring in:")
            if report.get("dry_run")
            else _("Import %(run)s: %(status)s.")
            % {"run": run.pk, "status": run.get_status_display()}
        )
        self.stdout.write(heading)
        for what, count in sorted(report.get("created", {}).items()):
            self.stdout.write(f"  {what.replace('_', ' ')}: {count:,}")
        for title, bucket in ((_("Skipped"), "skipped"), (_("Corrected"), "corrected")):
            entries = report.get(bucket) or {}
            if not entries:
                continue
            self.stdout.write(f"{title}:")
            for code, entry in sorted(entries.items(), key=lambda kv: -kv[1]["count"]):
                self.stdout.write(f"  {entry['count']:,} × {reason_text(code)} [{code}]")
                for example in entry["examples"][:3]:
                    where = f" (line {example['line']})" if example.get("line") else ""
                    what = example.get("source_id") or ""
                    detail = f": {example['detail']}" if example.get("detail") else ""
                    self.stdout.write(f"      {what}{where}{detail}")

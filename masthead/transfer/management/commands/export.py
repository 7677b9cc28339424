"""`masthead export comments|site --format json|wxr FILE`: everything an outlet needs to
leave, in Masthead's documented JSON lines or in WXR for WordPress ("-" writes to stdout; a
FILE ending in .gz is compressed)."""

import gzip
import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from masthead.transfer.exporting import export_write


class Command(BaseCommand):
    help = "Export every discussion (or the whole site) as Masthead JSON or WordPress WXR."

    def add_arguments(self, parser):
        parser.add_argument(
            "scope",
            choices=["comments", "site"],
            help="comments: threads and comments; site: articles, pages, authors, sections, "
            "images, threads and comments.",
        )
        parser.add_argument("file", help='Where to write ("-" for standard output).')
        parser.add_argument(
            "--format",
            choices=["json", "wxr"],
            default="json",
            help="json: Masthead's JSON lines (docs/export-format.md); wxr: WordPress's WXR 1.2.",
        )

    def handle(self, *args, **options):
        scope, target, format = options["scope"], options["file"], options["format"]
        if target == "-":
            output = getattr(self.stdout._out, "buffer", None) or sys.stdout.buffer
            counts = export_write(output=output, format=format, scope=scope)
            output.flush()
            report = self.stderr  # standard output carries the export itself
        else:
            counts = self._to_file(Path(target), format, scope)
            report = self.stdout
        labels = {
            "threads": _("threads"),
            "comments": _("comments"),
            "authors": _("authors"),
            "sections": _("sections"),
            "tags": _("tags"),
            "images": _("images"),
            "articles": _("articles"),
            "pages": _("pages"),
            "url_threads_as_draft_pages": _(
                "discussions of pages outside Masthead (written as draft pages)"
            ),
            "blocks_not_rendered": _("body blocks that could not be rendered (see the log)"),
        }
        report.write(_("Exported to %(file)s:") % {"file": target})
        for kind, count in counts.written.items():
            report.write(f"  {labels.get(kind, kind)}: {count:,}")

    def _to_file(self, path: Path, format: str, scope: str):
        # Written beside the target and renamed at the end: a failed export never leaves a
        # file that looks complete.
        partial = path.with_name(path.name + ".part")
        try:
            raw = partial.open("wb")
        except OSError as error:
            raise CommandError(
                _("Cannot write to %(file)s: %(error)s") % {"file": path, "error": error.strerror}
            ) from error
        try:
            with raw:
                if path.suffix == ".gz":
                    with gzip.GzipFile(filename=path.stem, mode="wb", fileobj=raw) as packed:
                        counts = export_write(output=packed, format=format, scope=scope)
                else:
                    counts = export_write(output=raw, format=format, scope=scope)
            os.replace(partial, path)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(
                _("Cannot write to %(file)s: %(error)s") % {"file": path, "error": error.strerror}
            ) from error
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return counts

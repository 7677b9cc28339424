"""`masthead moderation check`: score comments from standard input with the site's settings.

Outlets use it to tune thresholds on their own data:

    masthead moderation check < comments.txt          # one comment per line
    masthead moderation check < comments.jsonl        # JSON Lines with a "text" field

One JSON line per comment: {"verdict", "toxicity", "spam", "reasons"} (plus "id" when the
input line had one). Author history, bans and rate limits play no part here.

`masthead moderation learn [--dry-run] [--min-decisions N]` adapts the shipped model to the
moderators' queue decisions and installs the adaptation unless it would do worse (learning.py).
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _

from masthead.moderation.classifier import ModelError
from masthead.moderation.config import current_config, default_config
from masthead.moderation.pipeline import text_verdict, warm_up
from masthead.moderation.scoring import CATEGORIES


class Command(BaseCommand):
    help = (
        "Moderation tools. `check`: score comments read from standard input; `learn`: adapt "
        "the model to the moderators' decisions."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="Score comments from stdin; print JSON Lines.")
        check.add_argument(
            "--defaults",
            action="store_true",
            help="Use the server's default settings, not the admin's current ones.",
        )
        learn = sub.add_parser(
            "learn",
            help="Adapt the shipped model to the moderators' decisions; install it if not worse.",
        )
        learn.add_argument(
            "--dry-run", action="store_true", help="Measure the candidate; install nothing."
        )
        learn.add_argument(
            "--min-decisions",
            type=int,
            help="Decisions needed to learn (default: MODERATION_LEARN_MIN_DECISIONS).",
        )
        train = sub.add_parser(
            "train",
            help="Train the shipped classifier from public corpora (docs/moderation-model.md).",
        )
        train.add_argument(
            "--corpora", required=True, help="Folder of corpus JSON Lines files (one per source)."
        )
        train.add_argument(
            "--output", help="Where to write the model files (default: the package's own)."
        )
        train.add_argument("--sources", help="A sources.json naming each corpus's role.")
        train.add_argument(
            "--evaluate-only",
            action="store_true",
            help="Do not train: measure the model in --output (or the shipped one) again.",
        )

    def handle(self, *args, action, defaults=False, **options):
        if action == "learn":
            return self._learn(options)
        if action == "train":
            return self._train(options)
        if action != "check":
            raise CommandError(f"Unknown action {action!r}.")
        try:
            warm_up()
        except ModelError as problem:
            raise CommandError(str(problem)) from problem
        config = default_config() if defaults else _site_config(self.stderr)
        stream = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else sys.stdin
        for raw in stream:
            line = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            text, item_id = _text_of(line)
            verdict = text_verdict(text, config)
            result = {
                "verdict": verdict.action,
                "toxicity": round(float(verdict.scores.get("toxicity", 0.0)), 3),
                "spam": round(float(verdict.scores.get("spam", 0.0)), 3),
                "categories": {
                    name: round(float(verdict.scores.get(name, 0.0)), 3) for name in CATEGORIES
                },
                "language": verdict.scores.get("language", "und"),
                "reasons": [str(reason) for reason in verdict.reasons],
            }
            if item_id is not None:
                result["id"] = item_id
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            self.stdout.flush()

    def _learn(self, options) -> None:
        from masthead.moderation import learning, services

        try:
            attempt = services.adaptation_learn(
                dry_run=options["dry_run"], min_decisions=options["min_decisions"]
            )
        except services.ModerationError as problem:
            raise CommandError(problem.message) from None
        installed = attempt.outcome == attempt.Outcome.INSTALLED
        if options["dry_run"]:
            outcome = _("Dry run: would install") if installed else _("Dry run: would refuse")
        else:
            outcome = _("Installed") if installed else _("Refused")
        self.stdout.write(
            _("%(outcome)s (%(decisions)d decisions, %(held_out)d held out): %(reason)s")
            % {
                "outcome": outcome,
                "decisions": attempt.decisions,
                "held_out": attempt.held_out,
                "reason": attempt.reason,
            }
        )
        for where, figure, before, after in learning.figures_rows(attempt.figures):
            self.stdout.write(f"  {where} · {figure}: {before} → {after}")

    def _train(self, options) -> None:
        from masthead.moderation.training import evaluate, train

        corpora = Path(options["corpora"])
        if not corpora.is_dir():
            raise CommandError(f"{corpora} is not a folder of corpora.")
        roles = (
            json.loads(Path(options["sources"]).read_text("utf-8")) if options["sources"] else None
        )
        output = Path(options["output"]) if options["output"] else None
        if options["evaluate_only"]:
            manifest = evaluate(corpora=corpora, directory=output, roles=roles)
        else:
            manifest = train(corpora=corpora, output=output, roles=roles, report=self.stdout.write)
        for group, figures in manifest["metrics"].items():
            self.stdout.write(f"{group}: {json.dumps(figures)}")


def _text_of(line: str) -> tuple[str, object]:
    """Return the comment's text and id: a JSON object's "text", else the line as it is."""
    stripped = line.lstrip()
    if stripped.startswith("{"):
        try:
            item = json.loads(stripped)
        except ValueError:
            return line, None
        if isinstance(item, dict) and "text" in item:
            text = item["text"]
            return (text if isinstance(text, str) else json.dumps(text)), item.get("id")
    return line, None


def _site_config(stderr):
    try:
        return current_config()
    except DatabaseError:
        stderr.write("The database is not set up; scoring with the server's default settings.")
        return default_config()

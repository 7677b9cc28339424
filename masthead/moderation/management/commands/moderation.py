"""`masthead moderation check`: score comments from standard input with the site's settings.

Outlets use it to tune thresholds on their own data:

    masthead moderation check < comments.txt          # one comment per line
    masthead moderation check < comments.jsonl        # JSON Lines with a "text" field

One JSON line per comment: {"verdict", "toxicity", "spam", "reasons"} (plus "id" when the
input line had one). Author history, bans and rate limits play no part here.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from masthead.moderation.config import current_config, default_config
from masthead.moderation.pipeline import text_verdict


class Command(BaseCommand):
    help = "Moderation tools. `check`: score comments read from standard input."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="Score comments from stdin; print JSON Lines.")
        check.add_argument(
            "--defaults",
            action="store_true",
            help="Use the server's default settings, not the admin's current ones.",
        )

    def handle(self, *args, action, defaults=False, **options):
        if action != "check":
            raise CommandError(f"Unknown action {action!r}.")
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
                "reasons": [str(reason) for reason in verdict.reasons],
            }
            if item_id is not None:
                result["id"] = item_id
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            self.stdout.flush()


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

"""Reading the audit log: entries with the names of what they acted on, as those rows are now.

An entry stores ids, never a commenter's name or address (models.AuditEntry): its summary says
"Rejected {comment}" and its `subjects` say which comment. Here the placeholders become
"comment #12 by Ada Lovelace on “Harbour bridge”" from the live rows, in two queries for a
whole page of entries. Once a commenter is erased their comments read "by Anonymous" and their
bans "erased commenter", so the log forgets them without any entry changing.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext

from masthead.discussion.models import Comment
from masthead.moderation.models import AuditEntry, Ban

PLACEHOLDER = re.compile(r"\{(comment|author|ban)\}")


@dataclass(frozen=True)
class AuditRow:
    """One entry as the log shows it."""

    entry: AuditEntry
    text: str  # the summary with names filled in
    changes: str  # "before → after", readable

    @property
    def pk(self) -> int:
        return self.entry.pk


def _ids(entries: list[AuditEntry], *kinds: str) -> set[int]:
    found = set()
    for entry in entries:
        for kind in kinds:
            value = (entry.subjects or {}).get(kind)
            if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
                found.add(int(value))
    return found


def _comment_words(comment: Comment | None, pk: int) -> str:
    if comment is None:
        return gettext("comment #%(id)s (no longer stored)") % {"id": pk}
    return gettext("comment #%(id)s by %(name)s on “%(title)s”") % {
        "id": pk,
        "name": comment.author_name,
        "title": comment.thread.title or comment.thread.key,
    }


def _author_words(comment: Comment | None, pk: int) -> str:
    if comment is None:
        return gettext("the author of comment #%(id)s (no longer stored)") % {"id": pk}
    return gettext("%(name)s (author of comment #%(id)s)") % {"name": comment.author_name, "id": pk}


def _ban_words(ban: Ban | None, pk: int) -> str:
    if ban is None:
        return gettext("ban #%(id)s (no longer stored)") % {"id": pk}
    # A network ban's value is a keyed hash nobody can read: only its label says whose it is.
    shown = ban.label or (ban.value if ban.kind != Ban.Kind.IP else f"#{ban.pk}")
    return f"{ban.get_kind_display().lower()} {shown}"


def _value_words(key: str, value) -> str:
    if key == "bans" and isinstance(value, list):
        kinds = [Ban.Kind(item["kind"]).label.lower() for item in value if "kind" in item]
        return ", ".join(kinds) or gettext("none new")
    if value is None:
        return "—"
    return str(value)


def _changes(entry: AuditEntry) -> str:
    def side(state: dict) -> str:
        return ", ".join(f"{key}: {_value_words(key, value)}" for key, value in state.items())

    before, after = side(entry.before or {}), side(entry.after or {})
    return " → ".join(part for part in (before, after) if part)


def audit_rows(entries: Iterable[AuditEntry]) -> list[AuditRow]:
    """Return `entries` ready to show, reading every comment and ban they name at once."""
    entries = list(entries)
    comments = (
        Comment.objects.select_related("thread")
        .only("author_name", "thread__title", "thread__key")
        .in_bulk(_ids(entries, "comment", "author"))
    )
    bans = Ban.objects.in_bulk(_ids(entries, "ban"))

    def fill(entry: AuditEntry):
        subjects = entry.subjects or {}

        def word(match: re.Match) -> str:
            kind = match.group(1)
            raw = subjects.get(kind)
            if raw is None or not str(raw).isdigit():
                return match.group(0)
            pk = int(raw)
            if kind == "comment":
                return _comment_words(comments.get(pk), pk)
            if kind == "author":
                return _author_words(comments.get(pk), pk)
            return _ban_words(bans.get(pk), pk)

        return PLACEHOLDER.sub(word, entry.summary)

    return [AuditRow(entry=entry, text=fill(entry), changes=_changes(entry)) for entry in entries]

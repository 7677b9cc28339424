"""Reading the audit log: entries with the names of what they acted on, as those rows are now.

An entry stores ids, never a commenter's name or address (models.AuditEntry): its summary says
"Rejected {comment}" and its `subjects` say which comment. Here the placeholders become
"comment #12 by Ada Lovelace on “Harbour bridge”" from the live rows, in two queries for a
whole page of entries. Once a commenter is erased their comments read "by Anonymous" and their
bans "erased commenter", so the log forgets them without any entry changing.

The stored summary is English. The log shows each action in the reader's language, built here
from the entry's action and data (`SENTENCES`); an entry that lacks what its sentence needs
(written by an older version) shows its stored summary instead.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from masthead.discussion.models import Comment
from masthead.moderation.models import AuditEntry, Ban, ListEntry
from masthead.moderation.services import COMMAND_ACTOR

PLACEHOLDER = re.compile(r"\{(comment|author|ban)\}")

# The filter's choices: each action the log records, as moderators call it.
ACTION_LABELS = {
    "comment_approve": _("Comment approved"),
    "comment_reject": _("Comment rejected"),
    "comment_spam": _("Comment marked as spam"),
    "comment_delete": _("Comment deleted"),
    "comment_pin": _("Comment pinned"),
    "comment_unpin": _("Comment unpinned"),
    "comment_replies_close": _("Replies closed"),
    "comment_replies_reopen": _("Replies reopened"),
    "author_ban": _("Author banned"),
    "ban_create": _("Ban added"),
    "ban_lift": _("Ban lifted"),
    "list_entry_add": _("Word list entry added"),
    "list_entry_edit": _("Word list entry changed"),
    "list_entry_remove": _("Word list entry removed"),
    "api_key_create": _("API key created"),
    "api_key_revoke": _("API key revoked"),
    "adaptation_learn": _("Model adaptation learned"),
    "privacy_erase": _("Personal data erased"),
}


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


@dataclass(frozen=True)
class AuditRow:
    """One entry as the log shows it."""

    entry: AuditEntry
    text: str  # the action in words, with names filled in
    changes: str  # "before → after", readable

    @property
    def pk(self) -> int:
        return self.entry.pk

    @property
    def who(self) -> str:
        if self.entry.actor_id is None and self.entry.actor_name == COMMAND_ACTOR:
            return gettext(COMMAND_ACTOR)
        return self.entry.actor_name


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
    shown = ban.label_shown or (ban.value if ban.kind != Ban.Kind.IP else f"#{ban.pk}")
    # Translators: a ban in a sentence of the audit log, e.g. "email address ada@example.org".
    return gettext("%(kind)s %(who)s") % {"kind": ban.kind_words, "who": shown}


def _value_words(key: str, value) -> str:
    if key == "bans" and isinstance(value, list):
        kinds = [str(Ban.KIND_WORDS[item["kind"]]) for item in value if "kind" in item]
        return ", ".join(kinds) or gettext("none new")
    if value is None:
        return "—"
    return str(value)


def _changes(entry: AuditEntry) -> str:
    def side(state: dict) -> str:
        return ", ".join(f"{key}: {_value_words(key, value)}" for key, value in state.items())

    before, after = side(entry.before or {}), side(entry.after or {})
    return " → ".join(part for part in (before, after) if part)


# --- each action in words --------------------------------------------------------------------


def _duration_words(seconds) -> str:
    """How long a ban lasts, as the sentences of the log say it ("for 7 days", "permanently")."""
    if seconds is None:
        return pgettext("how long a ban lasts", "permanently")
    hours = max(1, round(float(seconds) / 3600))
    if hours % 24 == 0:
        days = hours // 24
        return ngettext("for %(count)s day", "for %(count)s days", days) % {"count": days}
    return ngettext("for %(count)s hour", "for %(count)s hours", hours) % {"count": hours}


def _status_words(status: str) -> str:
    return str(Comment.Status(status).label).lower()


COMMENT_DECISIONS = {
    "comment_approve": _("Approved %(comment)s"),
    "comment_reject": _("Rejected %(comment)s"),
    "comment_spam": _("Marked %(comment)s as spam"),
    "comment_delete": _("Deleted %(comment)s"),
}


def _comment_decision(entry: AuditEntry, words: dict) -> str:
    before, after = entry.before or {}, entry.after or {}
    if before["status"] == after["status"]:
        # The comment stayed as it was: the decision answered readers' reports about it.
        count = int(after["reports_resolved"])
        return ngettext(
            "Kept %(comment)s as %(status)s and dismissed %(count)s report",
            "Kept %(comment)s as %(status)s and dismissed %(count)s reports",
            count,
        ) % {"comment": words["comment"], "status": _status_words(after["status"]), "count": count}
    return COMMENT_DECISIONS[entry.action] % {"comment": words["comment"]}


def _fixed(message) -> Callable[[AuditEntry, dict], str]:
    return lambda entry, words: message % words


def _author_ban(entry: AuditEntry, words: dict) -> str:
    subjects, after = entry.subjects or {}, entry.after or {}
    values = {
        "author": words["author"],
        "kinds": ", ".join(str(Ban.KIND_WORDS[kind]) for kind in subjects["kinds"]),
        "duration": _duration_words(subjects["duration"]),
        "reason": after.get("reason") or "",
    }
    if values["reason"]:
        # Translators: "duration" is "for 7 days" or "permanently"; the reason is the moderator's.
        return gettext("Banned %(author)s (%(kinds)s) %(duration)s: %(reason)s") % values
    # Translators: "duration" is "for 7 days" or "permanently".
    return gettext("Banned %(author)s (%(kinds)s) %(duration)s") % values


def _ban_create(entry: AuditEntry, words: dict) -> str:
    values = {
        "ban": words["ban"],
        "duration": _duration_words((entry.subjects or {})["duration"]),
        "reason": (entry.after or {}).get("reason") or "",
    }
    if values["reason"]:
        # Translators: "duration" is "for 7 days" or "permanently"; the reason is the moderator's.
        return gettext("Banned %(ban)s %(duration)s: %(reason)s") % values
    # Translators: "duration" is "for 7 days" or "permanently".
    return gettext("Banned %(ban)s %(duration)s") % values


def _list_entry(entry: AuditEntry, words: dict) -> str:
    if entry.action == "list_entry_add":
        state = entry.after or {}
        message = _("Added “%(value)s” to %(list)s")
    else:
        state = entry.before or {}
        message = _("Removed “%(value)s” from %(list)s")
    return message % {"value": state["value"], "list": ListEntry.LIST_WORDS[state["kind"]]}


def _list_entry_edit(entry: AuditEntry, words: dict) -> str:
    before, after = entry.before or {}, entry.after or {}
    return gettext("Changed %(old_kind)s “%(old)s” to %(new_kind)s “%(new)s”") % {
        "old_kind": ListEntry.KIND_WORDS[before["kind"]],
        "old": before["value"],
        "new_kind": ListEntry.KIND_WORDS[after["kind"]],
        "new": after["value"],
    }


def _api_key(entry: AuditEntry, words: dict) -> str:
    if entry.action == "api_key_create":
        state, message = entry.after or {}, _("Created the API key “%(name)s” (%(prefix)s…)")
    else:
        state, message = entry.before or {}, _("Revoked the API key “%(name)s” (%(prefix)s…)")
    return message % {"name": state["name"], "prefix": state["prefix"]}


def _adaptation(entry: AuditEntry, words: dict) -> str:
    subjects = entry.subjects or {}
    count = int(subjects["decisions"])
    values = {"count": count, "why": subjects["why"]}
    if subjects["installed"]:
        return (
            ngettext(
                "Installed a local adaptation learned from %(count)s decision: %(why)s",
                "Installed a local adaptation learned from %(count)s decisions: %(why)s",
                count,
            )
            % values
        )
    return (
        ngettext(
            "Refused a local adaptation learned from %(count)s decision: %(why)s",
            "Refused a local adaptation learned from %(count)s decisions: %(why)s",
            count,
        )
        % values
    )


def _privacy_erase(entry: AuditEntry, words: dict) -> str:
    after = entry.after or {}
    modes = {
        "anonymize": pgettext("personal data erased", "texts kept as “Anonymous”"),
        "delete": pgettext("personal data erased", "texts removed"),
    }
    return gettext(
        "Erased a commenter's personal data (%(mode)s): comments %(comments)s, votes "
        "%(votes)s, subscriptions %(subscriptions)s, mails %(mails)s; bans kept: %(bans)s."
    ) % {
        "mode": modes[after["mode"]],
        "comments": after["comments"],
        "votes": after["votes_deleted"],
        "subscriptions": after["subscriptions_deleted"],
        "mails": after["mails_deleted"],
        "bans": after["bans_kept"],
    }


SENTENCES: dict[str, Callable[[AuditEntry, dict], str]] = {
    **dict.fromkeys(COMMENT_DECISIONS, _comment_decision),
    "comment_pin": _fixed(_("Pinned %(comment)s at the top of its thread")),
    "comment_unpin": _fixed(_("Unpinned %(comment)s")),
    "comment_replies_close": _fixed(_("Closed the replies to %(comment)s")),
    "comment_replies_reopen": _fixed(_("Reopened the replies to %(comment)s")),
    "author_ban": _author_ban,
    "ban_create": _ban_create,
    "ban_lift": _fixed(_("Lifted the ban on %(ban)s")),
    "list_entry_add": _list_entry,
    "list_entry_edit": _list_entry_edit,
    "list_entry_remove": _list_entry,
    "api_key_create": _api_key,
    "api_key_revoke": _api_key,
    "adaptation_learn": _adaptation,
    "privacy_erase": _privacy_erase,
}


def audit_rows(entries: Iterable[AuditEntry]) -> list[AuditRow]:
    """Return `entries` ready to show, reading every comment and ban they name at once."""
    entries = list(entries)
    comments = (
        Comment.objects.select_related("thread")
        .only("author_name", "thread__title", "thread__key")
        .in_bulk(_ids(entries, "comment", "author"))
    )
    bans = Ban.objects.in_bulk(_ids(entries, "ban"))

    def names(entry: AuditEntry) -> dict[str, str]:
        """What the entry's placeholders stand for, by kind, named as the rows are now."""
        found = {}
        for kind, raw in (entry.subjects or {}).items():
            if kind not in ("comment", "author", "ban") or not str(raw).isdigit():
                continue
            pk = int(raw)
            if kind == "comment":
                found[kind] = _comment_words(comments.get(pk), pk)
            elif kind == "author":
                found[kind] = _author_words(comments.get(pk), pk)
            else:
                found[kind] = _ban_words(bans.get(pk), pk)
        return found

    def text(entry: AuditEntry) -> str:
        words = names(entry)
        sentence = SENTENCES.get(entry.action)
        if sentence is not None:
            try:
                return sentence(entry, words)
            except (KeyError, TypeError, ValueError):
                pass  # written before the entry kept what its sentence needs
        return PLACEHOLDER.sub(
            lambda match: words.get(match.group(1), match.group(0)), entry.summary
        )

    return [AuditRow(entry=entry, text=text(entry), changes=_changes(entry)) for entry in entries]

"""The audit log stops keeping commenters' names and addresses.

New entries name what they acted on by placeholder ("Rejected {comment}") with the ids in
`subjects`, and the log reads the names from the live rows when shown (moderation/audit.py).
This migration rewrites the entries written before in the same form: their summaries said
"Rejected comment #1 by Ada Lovelace on “…”" and their ban states carried labels such as
"Ada Lovelace <ada@example.org>", which survived erasing Ada. It is the one change ever made
to existing entries, and it only removes personal data; the application still cannot change
or delete an entry. Going back keeps the new form: the names are not kept anywhere to restore.
"""

import re

from django.db import migrations, models

from masthead.core.hashing import keyed_hash

COMMENT_VERBS = {
    "comment_approve": "Approved",
    "comment_reject": "Rejected",
    "comment_spam": "Marked as spam",
    "comment_delete": "Deleted",
}
# Comment statuses as the summaries spelled them (their labels, lower case).
STATUS_WORDS = {"pending": "pending review"}
DURATION = r"(permanently|for \d+ (?:day|hour)s?)"
BAN_KINDS = r"(?:account|email address|network \(ip address hash\))"
AUTHOR_BAN = re.compile(rf" \(({BAN_KINDS}(?:, {BAN_KINDS})*)\) {DURATION}(?:: |$)")
ENDS_WITH_DURATION = re.compile(rf" {DURATION}$")


def _plural(count, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _without_label(state):
    if not isinstance(state, dict):
        return state
    state = {key: value for key, value in state.items() if key != "label"}
    if isinstance(state.get("bans"), list):
        state["bans"] = [
            {key: value for key, value in ban.items() if key != "label"}
            for ban in state["bans"]
            if isinstance(ban, dict)
        ]
    return state


def _reason_suffix(after: dict) -> str:
    reason = (after or {}).get("reason") or ""
    return f": {reason}" if reason else ""


def _rewritten(entry) -> dict | None:
    """Return the fields to store for an entry that named someone, or None to leave it."""
    action, summary, after = entry.action, entry.summary, entry.after or {}
    target = entry.target_id if (entry.target_id or "").isdigit() else None
    if action in COMMENT_VERBS and target:
        if summary.startswith("Kept "):
            answered = after.get("reports_resolved", 0)
            status = after.get("status", "unchanged")
            text = (
                f"Kept {{comment}} as {STATUS_WORDS.get(status, status)} "
                f"and dismissed {_plural(answered, 'report')}"
            )
        else:
            text = f"{COMMENT_VERBS[action]} {{comment}}"
        return {"summary": text, "subjects": {"comment": int(target)}}
    if action == "author_ban" and target:
        found = AUTHOR_BAN.search(summary)
        details = f" ({found.group(1)}) {found.group(2)}" if found else ""
        return {
            "summary": (f"Banned {{author}}{details}{_reason_suffix(after)}")[:500],
            "subjects": {"author": int(target)},
            "after": _without_label(after),
        }
    if action == "ban_create" and target:
        suffix = _reason_suffix(after)
        head = summary[: -len(suffix)] if suffix and summary.endswith(suffix) else summary
        found = ENDS_WITH_DURATION.search(head)
        duration = f" {found.group(1)}" if found else ""
        return {
            "summary": (f"Banned {{ban}}{duration}{suffix}")[:500],
            "subjects": {"ban": int(target)},
            "after": _without_label(after),
        }
    if action == "ban_lift" and target:
        return {
            "summary": "Lifted the ban on {ban}",
            "subjects": {"ban": int(target)},
            "before": _without_label(entry.before),
            "after": _without_label(after),
        }
    return None


def forget_names(apps, schema_editor):
    AuditEntry = apps.get_model("moderation", "AuditEntry")
    Ban = apps.get_model("moderation", "Ban")
    # Historical models have Django's plain manager, not the append-only one.
    for entry in AuditEntry.objects.filter(subjects={}).iterator():
        fields = _rewritten(entry)
        if fields:
            AuditEntry.objects.filter(pk=entry.pk).update(**fields)
    # Commenters erased before this change: their email bans still carried their name.
    erased = set(
        AuditEntry.objects.filter(action="privacy_erase").values_list("target_id", flat=True)
    )
    if erased:
        for ban in Ban.objects.filter(kind="email"):
            if keyed_hash(ban.value, purpose="email") in erased:
                Ban.objects.filter(pk=ban.pk).update(label="erased commenter (email address)")


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0004_category_thresholds"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="subjects",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(forget_names, migrations.RunPython.noop),
    ]

"""The moderators' pages in Wagtail's admin: the queue, an author's history, bans, the audit log.

Each view parses the request, calls one service or selector and renders; every one requires the
`moderation.moderate` permission (anonymous visitors never get here: Wagtail sends them to
its login first). Forms are plain POSTs with CSRF, so the queue works without JavaScript.
"""

from datetime import timedelta
from functools import partial
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.admin.auth import permission_required

from masthead.discussion.models import Comment, Thread
from masthead.moderation import audit, selectors, services
from masthead.moderation.models import AuditEntry, Ban, LearningAttempt
from masthead.moderation.stored_text import reasons_display

moderator_required = permission_required(services.MODERATE_PERMISSION)

QUEUE_PAGE_SIZE = 50
LIST_PAGE_SIZE = 50
HISTORY_LIMIT = 200

# The choices a moderator has when banning: the label of the choice, the words the
# confirmation puts in parentheses ("Banned the author (7 days)"), and how long; None means
# the ban never ends.
BAN_DURATIONS = {
    "1d": (
        gettext_lazy("1 day"),
        pgettext_lazy("ban duration, in parentheses", "1 day"),
        timedelta(days=1),
    ),
    "7d": (
        gettext_lazy("7 days"),
        pgettext_lazy("ban duration, in parentheses", "7 days"),
        timedelta(days=7),
    ),
    "30d": (
        gettext_lazy("30 days"),
        pgettext_lazy("ban duration, in parentheses", "30 days"),
        timedelta(days=30),
    ),
    "permanent": (
        gettext_lazy("Permanent"),
        pgettext_lazy("ban duration, in parentheses", "permanent"),
        None,
    ),
}
DEFAULT_BAN_DURATION = "7d"

# The queue's buttons: the action, its label, and its keyboard shortcut (queue.js).
ACTION_BUTTONS = [
    ("approve", pgettext_lazy("verb: a comment, in the queue", "Approve"), "a"),
    ("reject", pgettext_lazy("verb: a comment, in the queue", "Reject"), "r"),
    ("spam", pgettext_lazy("verb: mark a comment as spam, in the queue", "Spam"), "s"),
    ("delete", pgettext_lazy("verb: a comment, in the queue", "Delete"), "d"),
]


def _done_message(action: str, count: int) -> str:
    """What the moderator reads after a queue action changed `count` comments."""
    values = {"count": count}
    if action == "approve":
        return (
            ngettext("Approved %(count)s comment.", "Approved %(count)s comments.", count) % values
        )
    if action == "reject":
        return (
            ngettext("Rejected %(count)s comment.", "Rejected %(count)s comments.", count) % values
        )
    if action == "spam":
        return (
            ngettext(
                "Marked %(count)s comment as spam.", "Marked %(count)s comments as spam.", count
            )
            % values
        )
    return ngettext("Deleted %(count)s comment.", "Deleted %(count)s comments.", count) % values


def _skipped_message(action: str, count: int) -> str:
    """What the moderator reads about the comments a queue action left alone."""
    values = {"count": count}
    if action == "approve":
        return (
            ngettext(
                "Skipped %(count)s comment: already approved, deleted or gone.",
                "Skipped %(count)s comments: already approved, deleted or gone.",
                count,
            )
            % values
        )
    if action == "reject":
        return (
            ngettext(
                "Skipped %(count)s comment: already rejected, deleted or gone.",
                "Skipped %(count)s comments: already rejected, deleted or gone.",
                count,
            )
            % values
        )
    if action == "spam":
        return (
            ngettext(
                "Skipped %(count)s comment: already marked as spam, deleted or gone.",
                "Skipped %(count)s comments: already marked as spam, deleted or gone.",
                count,
            )
            % values
        )
    return (
        ngettext(
            "Skipped %(count)s comment: already deleted or gone.",
            "Skipped %(count)s comments: already deleted or gone.",
            count,
        )
        % values
    )


# Row buttons that mark a comment's place in its thread, not its status: what each calls,
# and what the moderator reads when it is done and when there was nothing to do.
CONVERSATION_ACTIONS = {
    "pin": (
        partial(services.comment_pin_by, pinned=True),
        gettext_lazy("Pinned the comment at the top of its thread."),
        gettext_lazy("The comment was pinned already."),
    ),
    "unpin": (
        partial(services.comment_pin_by, pinned=False),
        gettext_lazy("Unpinned the comment."),
        gettext_lazy("The comment was not pinned."),
    ),
    "close": (
        partial(services.comment_replies_close_by, closed=True),
        gettext_lazy("Closed the replies to the comment: readers can no longer answer it."),
        gettext_lazy("The replies to the comment were closed already."),
    ),
    "reopen": (
        partial(services.comment_replies_close_by, closed=False),
        gettext_lazy("Reopened the replies to the comment."),
        gettext_lazy("The replies to the comment were open already."),
    ),
}


def _queue_url(tab: str, search: str = "", thread: str = "", cursor: str = "") -> str:
    query = {"tab": tab if tab in selectors.TABS else "pending"}
    if search:
        query["q"] = search
    if thread:
        query["thread"] = thread
    if cursor:
        query["cursor"] = cursor
    return reverse("moderation_admin:queue") + "?" + urlencode(query)


def _history_words(history: dict) -> str:
    """Say what became of an author's comments: "4 published, 1 rejected/spam, 2 pending"."""
    if not history:
        return gettext("no history")
    Status = Comment.Status
    refused = history.get(Status.REJECTED, 0) + history.get(Status.SPAM, 0)
    # Translators: an author's record in the queue: how many of their comments are in each state.
    return gettext("%(published)s published, %(refused)s rejected/spam, %(pending)s pending") % {
        "published": history.get(Status.PUBLISHED, 0),
        "refused": refused,
        "pending": history.get(Status.PENDING, 0),
    }


def _next_or(request, fallback: str) -> str:
    """Return the page a form asked to return to, if it is one of ours, else `fallback`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# --- the queue --------------------------------------------------------------------------------


@moderator_required
@require_GET
def queue(request):
    """One tab of the queue: comments to decide about, with what the screen and readers said."""
    tab = request.GET.get("tab", "pending")
    if tab not in selectors.TABS:
        tab = "pending"
    search = request.GET.get("q", "").strip()[:200]
    thread_id = request.GET.get("thread", "")
    thread = Thread.objects.filter(pk=thread_id).first() if thread_id.isdigit() else None
    page = selectors.queue(
        tab,
        cursor=request.GET.get("cursor") or None,
        limit=QUEUE_PAGE_SIZE,
        thread=thread,
        search=search,
    )
    counts = selectors.tab_counts()
    for comment in page.comments:
        comment.history_words = _history_words(comment.history)
        comment.reasons_shown = reasons_display(comment.moderation_reasons)
    thread_key = str(thread.pk) if thread else ""
    return TemplateResponse(
        request,
        "moderation/admin/queue.html",
        {
            "page": page,
            "tab": tab,
            "tabs": [(key, label, counts[key]) for key, label in selectors.TABS.items()],
            "search": search,
            "thread": thread,
            "durations": _duration_choices(),
            "default_duration": DEFAULT_BAN_DURATION,
            "actions": ACTION_BUTTONS,
            "next_url": _queue_url(tab, search, thread_key, page.next_cursor or ""),
            "first_url": _queue_url(tab, search, thread_key),
            "is_first_page": not request.GET.get("cursor"),
        },
    )


def _duration_choices() -> list[tuple[str, str]]:
    return [(key, label) for key, (label, _words, _duration) in BAN_DURATIONS.items()]


def _ban_choice(request, key: str) -> tuple[str, timedelta | None]:
    """The duration a form chose: the words for the confirmation, and how long."""
    choice = request.POST.get(key, DEFAULT_BAN_DURATION)
    _label, words, duration = BAN_DURATIONS.get(choice, BAN_DURATIONS[DEFAULT_BAN_DURATION])
    return str(words), duration


@moderator_required
@require_POST
def queue_act(request):
    """Apply a row's button ("approve:12") or a bulk action to the ticked comments."""
    back = _queue_url(
        request.POST.get("tab", "pending"),
        request.POST.get("q", ""),
        request.POST.get("thread", ""),
    )
    row_action = request.POST.get("row_action", "")
    if row_action:
        action, _, comment_id = row_action.partition(":")
        ids = [comment_id] if comment_id.isdigit() else []
        suffix = f"_{comment_id}"
    else:
        action = request.POST.get("action", "")
        ids = [pk for pk in request.POST.getlist("ids") if pk.isdigit()]
        suffix = ""
    if not ids:
        messages.warning(request, gettext("Tick at least one comment first."))
        return redirect(back)
    if action == "ban":
        _ban_from_queue(request, ids, suffix)
        return redirect(back)
    if action in CONVERSATION_ACTIONS:
        _conversation_act(request, action, ids)
        return redirect(back)
    if action not in services.COMMENT_ACTIONS:
        messages.error(request, gettext("Unknown action."))
        return redirect(back)
    result = services.comments_act(request.user, action, ids)
    if result.done:
        messages.success(request, _done_message(action, result.done))
    if result.skipped:
        messages.warning(request, _skipped_message(action, result.skipped))
    return redirect(back)


def _conversation_act(request, action: str, ids: list[str]) -> None:
    """Pin or unpin the comments, or close or reopen the replies to them, one by one."""
    act, done_message, unchanged_message = CONVERSATION_ACTIONS[action]
    for comment_id in ids:
        try:
            comment = act(request.user, int(comment_id))
        except services.ModerationError as problem:
            messages.error(request, problem.message)
        else:
            if comment is None:
                messages.warning(request, unchanged_message)
            else:
                messages.success(request, done_message)


def _ban_from_queue(request, ids: list[str], suffix: str) -> None:
    """Ban each ticked comment's author and reject the comment, as one step per comment."""
    words, duration = _ban_choice(request, f"ban_duration{suffix}")
    reason = request.POST.get(f"ban_reason{suffix}", "").strip()
    banned, problems = 0, []
    for comment_id in ids:
        try:
            services.author_ban(
                request.user,
                int(comment_id),
                duration=duration,
                reason=reason,
                reject_comment=True,
            )
        except services.ModerationError as problem:
            problems.append((comment_id, problem.message))
        else:
            banned += 1
    if banned == 1:
        messages.success(
            request,
            gettext("Banned the author (%(duration)s) and rejected the comment.")
            % {"duration": words},
        )
    elif banned:
        messages.success(
            request,
            ngettext(
                "Banned the authors of %(count)s comment (%(duration)s) and rejected them.",
                "Banned the authors of %(count)s comments (%(duration)s) and rejected them.",
                banned,
            )
            % {"count": banned, "duration": words},
        )
    for comment_id, problem in problems:
        messages.error(
            request,
            gettext("Could not ban the author of comment #%(id)s: %(problem)s")
            % {"id": comment_id, "problem": problem},
        )


# --- an author's history ----------------------------------------------------------------------


@moderator_required
@require_GET
def author(request, comment_id: int):
    """Everything the author of a comment wrote, what became of it, and their bans."""
    comment = get_object_or_404(Comment.objects.select_related("thread"), pk=comment_id)
    history = selectors.author_history(comment, limit=HISTORY_LIMIT)
    for item in history.recent:
        item.reasons_shown = reasons_display(item.moderation_reasons)
    return TemplateResponse(
        request,
        "moderation/admin/author.html",
        {
            "comment": comment,
            "history": history,
            "statuses": [
                (label, history.counts.get(value, 0)) for value, label in Comment.Status.choices
            ],
            "active_bans": [ban for ban in history.bans if ban.is_active],
            "durations": _duration_choices(),
            "default_duration": DEFAULT_BAN_DURATION,
        },
    )


@moderator_required
@require_POST
def author_ban(request, comment_id: int):
    """Ban a comment's author from their history page; their comments stay as they are."""
    words, duration = _ban_choice(request, "ban_duration")
    try:
        services.author_ban(
            request.user,
            comment_id,
            duration=duration,
            reason=request.POST.get("ban_reason", ""),
        )
    except services.ModerationError as problem:
        messages.error(request, problem.message)
    else:
        messages.success(
            request, gettext("Banned the author (%(duration)s).") % {"duration": words}
        )
    return redirect("moderation_admin:author", comment_id=comment_id)


# --- bans -------------------------------------------------------------------------------------


class BanForm(forms.Form):
    """A ban typed by hand: an account or an address (networks are banned from the queue)."""

    kind = forms.ChoiceField(
        label=gettext_lazy("What to ban"),
        choices=[(kind.value, kind.label) for kind in services.BANNABLE_BY_HAND],
    )
    value = forms.CharField(
        label=gettext_lazy("Account or address"),
        max_length=254,
        help_text=gettext_lazy("The account's id (a number) or the email address."),
    )
    duration = forms.ChoiceField(
        label=gettext_lazy("For how long"),
        choices=_duration_choices,
        initial=DEFAULT_BAN_DURATION,
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500, required=False)


@moderator_required
@require_GET
def ban_list(request):
    """Bans in force, or those that ended (expired or lifted), newest first."""
    state = "ended" if request.GET.get("state") == "ended" else "active"
    bans = Ban.objects.select_related("created_by").order_by("-created", "-pk")
    bans = bans.filter(Ban.active_q()) if state == "active" else bans.exclude(Ban.active_q())
    page = Paginator(bans, LIST_PAGE_SIZE).get_page(request.GET.get("p"))
    return TemplateResponse(request, "moderation/admin/bans.html", {"page": page, "state": state})


@moderator_required
@require_http_methods(["GET", "POST"])
def ban_add(request):
    form = BanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _label, words, duration = BAN_DURATIONS[form.cleaned_data["duration"]]
        try:
            ban = services.ban_create_by(
                request.user,
                kind=form.cleaned_data["kind"],
                value=form.cleaned_data["value"],
                duration=duration,
                reason=form.cleaned_data["reason"],
            )
        except services.ModerationError as problem:
            form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        else:
            messages.success(
                request,
                gettext("Banned %(who)s (%(duration)s).")
                % {"who": ban.label_shown, "duration": words},
            )
            return redirect("moderation_admin:bans")
    return TemplateResponse(request, "moderation/admin/ban_add.html", {"form": form})


@moderator_required
@require_POST
def ban_lift(request, ban_id: int):
    ban = services.ban_lift_by(request.user, ban_id)
    if ban is None:
        messages.warning(request, gettext("That ban had already ended."))
    else:
        messages.success(
            request,
            gettext("Lifted the ban on %(who)s.")
            % {"who": ban.label_shown or ban.get_kind_display()},
        )
    return redirect(_next_or(request, reverse("moderation_admin:bans")))


# --- the audit log ----------------------------------------------------------------------------


@moderator_required
@require_GET
def audit_log(request):
    """Every moderation action, newest first; read-only (the log cannot be changed).

    Entries store ids; the names of the comments, authors and bans they acted on are read from
    those rows now (audit.audit_rows), so an erased commenter appears nowhere.
    """
    entries = AuditEntry.objects.order_by("-created", "-id")
    action = request.GET.get("action", "")
    actor = request.GET.get("actor", "")
    if action:
        entries = entries.filter(action=action)
    if actor.isdigit():
        entries = entries.filter(actor_id=int(actor))
    page = Paginator(entries, LIST_PAGE_SIZE).get_page(request.GET.get("p"))
    # Filters offer what the log holds, so a moderator never picks an empty choice.
    actions = AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()
    actors = (
        AuditEntry.objects.filter(actor__isnull=False)
        .order_by("actor_name")
        .values_list("actor_id", "actor_name")
        .distinct()
    )
    return TemplateResponse(
        request,
        "moderation/admin/audit.html",
        {
            "page": page,
            "rows": audit.audit_rows(page.object_list),
            "action": action,
            "actor": actor,
            "actions": [(value, audit.action_label(value)) for value in actions],
            "actors": list(actors),
            "filter_query": urlencode({"action": action, "actor": actor}),
        },
    )


# --- the model --------------------------------------------------------------------------------


def _metric_value(value) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def _metric_table(metrics) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Lay the shipped model's figures out as a table: a row per group, a column per figure.

    The manifest groups them ({"lang:de": {"abuse_held": 0.15, ...}, ...}); a figure outside
    any group gets a row of its own.
    """
    columns: list[str] = []
    for figures in (metrics or {}).values():
        if isinstance(figures, dict):
            columns += [name for name in figures if name not in columns]
    rows = []
    for group, figures in (metrics or {}).items():
        if isinstance(figures, dict):
            cells = [_metric_value(figures[name]) if name in figures else "" for name in columns]
        else:
            cells = [_metric_value(figures)] + [""] * (len(columns) - 1 if columns else 0)
        rows.append((str(group), cells))
    return columns or [""], rows


@moderator_required
@require_GET
def model(request):
    """The shipped model, the local adaptation in force, and learning from the decisions."""
    from masthead.moderation import learning  # numpy and scipy: only for this page

    manifest, problem = learning.shipped_manifest()
    overview = selectors.learning_overview(
        shipped_version=str(manifest.get("version", "")) if manifest else None,
        running_since=timezone.now() - services.LEARNING_TIMEOUT,
    )
    for attempt in overview.attempts:
        attempt.figure_rows = learning.figures_rows(attempt.figures)
    return TemplateResponse(
        request,
        "moderation/admin/model.html",
        {
            "manifest": manifest,
            "manifest_problem": problem,
            "metrics": _metric_table(manifest.get("metrics")),
            "overview": overview,
            "installed": overview.installed,
            "installed_figures": (
                learning.figures_rows(overview.installed.figures) if overview.installed else []
            ),
        },
    )


@moderator_required
@require_POST
def model_learn(request):
    """Learn from the moderators' decisions (on the task queue); say how it went, if it has."""
    try:
        attempt = services.adaptation_learn_queue(moderator=request.user)
    except services.ModerationError as problem:
        messages.warning(request, problem.message)
        return redirect("moderation_admin:model")
    # With the immediate queue (tests, a single small server) the run has already ended.
    attempt.refresh_from_db()
    Outcome = LearningAttempt.Outcome
    if attempt.outcome == Outcome.INSTALLED:
        messages.success(
            request, gettext("Installed a new local adaptation. %(why)s") % {"why": attempt.reason}
        )
    elif attempt.outcome == Outcome.REFUSED:
        messages.warning(request, attempt.reason)
    elif attempt.outcome == Outcome.FAILED:
        messages.error(request, attempt.reason)
    else:
        messages.info(
            request,
            gettext("Learning in the background; reload the page in a minute for the outcome."),
        )
    return redirect("moderation_admin:model")

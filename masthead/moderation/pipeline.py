"""The moderation pipeline: every new or edited comment passes these stages, in this order.

1. Hard rules: bans, closed threads, rate limits, floods of the same text.
2. Spam signals: honeypot, fill time, ALTCHA, Akismet.
3. Content: the learned classifier's score per category (insult, identity hate, threat, sexual
   harassment, profanity, spam), links and domains, listed words and the editors' lists
   (scoring.py).
4. Trust: pre-moderation, and authors with a record of published comments skip soft holds.

Each stage adds scores and reasons a moderator can read; the outcome is discussion's Verdict
(publish, hold or reject). A stage that fails or runs out of time holds the comment with the
reason "could not be checked": nothing is ever published unchecked. Reasons are stored in
English and translated when moderators read them (stored_text.py).
"""

import hashlib
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.db.models import Q
from django.utils import dateformat, timezone
from django.utils.translation import gettext, gettext_lazy

from masthead.core.ratelimit import rate_limit_retry_after
from masthead.discussion.models import Comment
from masthead.discussion.readers import FORM_TOKEN_SALT
from masthead.discussion.screening import Submission, Verdict
from masthead.moderation import stored_text as stored
from masthead.moderation.config import ModerationConfig, current_config
from masthead.moderation.models import Ban

logger = logging.getLogger(__name__)

# What the commenter reads; the reasons beside it are for moderators and stored in English
# (stored_text.py), whatever language the commenter's request runs in.
HELD_MESSAGE = gettext_lazy(
    "Thanks! Your comment is awaiting moderation and will appear once a moderator has seen it."
)
# Categories that a good record never waives: trust skips borderline holds, not these.
HARD_CATEGORIES = {"threat", "identity_hate", "blocked_word", "blocked_domain"}

# Scoring runs on a worker thread so that a stage running over its time budget can be left
# behind (the comment is held) instead of making the reader wait.
_executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="moderation")
# Loading the models takes a fraction of a second, once per process: the first comment may
# wait for it beyond the stage's time budget (servers load them at boot).
_warmed = threading.Event()


def _warm_up() -> None:
    from masthead.moderation.classifier import classifier_shipped
    from masthead.moderation.scoring import text_analyze

    text_analyze("warm up")  # loads the classifier, the language model and the word lists
    if classifier_shipped().encoder_head is not None:
        from masthead.moderation.encoder import encoder_get

        encoder_get().embed(["warm up"])  # about a second, at start rather than in a request
    _warmed.set()


def warm_up() -> None:
    """Load and check the models (called when a server starts; raises ModelError if broken)."""
    if not _warmed.is_set():
        _warm_up()


@dataclass
class Screening:
    """What the stages found so far."""

    submission: Submission
    config: ModerationConfig
    scores: dict = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    hard_holds: list[str] = field(default_factory=list)
    soft_holds: list[str] = field(default_factory=list)
    rejection: Verdict | None = None

    def reject(self, message: str, reason: str, *, code: str = "", retry_after: int = 0):
        self.reasons.append(reason)
        self.rejection = Verdict(
            "reject",
            list(self.reasons),
            message,
            code=code,
            retry_after=retry_after,
            scores=dict(self.scores),
        )

    def hold(self, reason: str, *, soft: bool) -> None:
        (self.soft_holds if soft else self.hard_holds).append(reason)
        # The scorer's own reason ("insult 0.93: 'you idiot'") already says it better.
        label = reason.rsplit(" ", 1)[0]
        stated = any(r.startswith(label + " ") for r in self.reasons)
        if reason not in self.reasons and not stated:
            self.reasons.append(reason)


class Pipeline:
    """discussion's CommentScreen, configured by the site's current moderation settings."""

    def __init__(self, config: ModerationConfig | None = None):
        self.config = config

    def screen(self, submission: Submission) -> Verdict:
        config = self.config or current_config()
        state = Screening(submission, config)
        for stage in (hard_rules, spam_signals, content_scores, external_checks):
            try:
                stage(state)
            except Exception:
                logger.exception("Moderation stage %s failed", stage.__name__)
                # The stage's name, "hard rules", is one of stored_text's STAGE_ words.
                why = stage.__name__.replace("_", " ")
                state.hold(stored.NOT_CHECKED(why=why), soft=False)
            if state.rejection is not None:
                return state.rejection
        return decide(state)


# --- 1. Hard rules --------------------------------------------------------------------------


def hard_rules(state: Screening) -> None:
    submission, config = state.submission, state.config
    ban = active_ban(submission)
    if ban is not None:
        if ban.expires:
            # "j E Y": the month's name in the reader's language, in the form a date takes.
            message = gettext("You can no longer comment here until %(date)s.") % {
                "date": dateformat.format(ban.expires, "j E Y")
            }
        else:
            message = gettext("You can no longer comment here.")
        state.reject(
            message,
            stored.BANNED_AUTHOR(kind=stored.in_english(Ban.KIND_WORDS[ban.kind])),
            code="banned",
        )
        return
    if submission.thread_closed:
        state.reject(
            gettext("This discussion is closed; it takes no new comments."),
            stored.THREAD_CLOSED(),
            code="closed",
        )
        return
    if submission.is_edit or is_import(submission) or not config.rate_limits_enabled:
        return
    if is_staff(submission):
        return
    count_it = _counted_first(submission, config)
    for who in identities(submission):
        for limit, seconds, label in (
            (config.burst_limit, config.burst_seconds, "burst"),
            (config.sustained_limit, config.sustained_seconds, "sustained"),
        ):
            wait = rate_limit_retry_after(
                f"comment:{label}:{who}", limit=limit, window_seconds=seconds, count_it=count_it
            )
            if wait:
                state.reject(
                    gettext(
                        "You are commenting faster than we can keep up with. "
                        "Please wait %(wait)s and try again."
                    )
                    % {"wait": stored.duration_display(_duration(wait))},
                    stored.RATE_LIMIT(kind=label, limit=limit, window=_duration(seconds)),
                    code="rate_limited",
                    retry_after=wait,
                )
                return
    fingerprint = text_fingerprint(submission.text)
    if fingerprint and config.flood_repeats > 0:
        wait = rate_limit_retry_after(
            f"comment:flood:{fingerprint}",
            limit=config.flood_repeats,
            window_seconds=config.flood_seconds,
            count_it=count_it,
        )
        if wait:
            state.scores["spam"] = 1.0
            state.reject(
                gettext(
                    "This exact text was posted several times already, so it was not published "
                    "again."
                ),
                stored.FLOOD(count=config.flood_repeats),
                code="flood",
            )


def _counted_first(submission: Submission, config: ModerationConfig) -> bool:
    """Whether this attempt is the first of its post to be counted against the limits.

    Attempts sharing an Idempotency-Key (a reader's browser retrying, `attempt` in the context)
    are one post: only the first counts, later ones are checked against the counts (and can only
    ever answer with the first one's comment).
    """
    attempt = submission.context.get("attempt")
    if not attempt:
        return True
    longest = max(config.burst_seconds, config.sustained_seconds, config.flood_seconds)
    return cache.add(f"moderation:counted:{attempt}", 1, timeout=longest + 5)


def active_ban(submission: Submission) -> Ban | None:
    """Return a ban in force on the author's account, address or network, if any."""
    from masthead.moderation.selectors import bans_in_force_index

    wanted = []
    if submission.user_id:
        wanted.append((Ban.Kind.USER, str(submission.user_id)))
    if submission.author_email:
        wanted.append((Ban.Kind.EMAIL, submission.author_email.strip().lower()))
    if submission.ip_hash:
        wanted.append((Ban.Kind.IP, submission.ip_hash))
    # The index rules out the common case, nobody banned, without a query.
    index, now = bans_in_force_index(), timezone.now()
    if not any(
        identity in index and (index[identity] is None or index[identity] > now)
        for identity in wanted
    ):
        return None
    match = Q()
    for kind, value in wanted:
        match |= Q(kind=kind, value=value)
    return Ban.objects.filter(match & Ban.active_q(now)).order_by("expires").first()


def identities(submission: Submission) -> list[str]:
    """Return the keys rate limits count under: the network and the author's identity."""
    keys = []
    if submission.ip_hash:
        keys.append(f"ip:{submission.ip_hash}")
    if submission.user_id:
        keys.append(f"user:{submission.user_id}")
    elif submission.author_email:
        digest = hashlib.sha256(submission.author_email.strip().lower().encode()).hexdigest()
        keys.append(f"email:{digest[:32]}")
    reader = submission.context.get("reader")
    if reader and not submission.user_id:
        keys.append(f"reader:{reader}")
    return keys


def text_fingerprint(text: str) -> str:
    """Return a hash of the text with case, spacing and punctuation folded ("" if too short).

    Short texts ("Thanks!", "+1") are repeated by honest readers all the time.
    """
    folded = "".join(ch for ch in text.casefold() if ch.isalnum())
    if len(folded) < 20:
        return ""
    return hashlib.sha256(folded.encode("utf-8", "replace")).hexdigest()[:32]


def is_import(submission: Submission) -> bool:
    return submission.context.get("source") == "import"


def is_staff(submission: Submission) -> bool:
    """Return whether a staff member writes; asked by several stages, looked up at most once."""
    if not submission.user_id:
        return False
    if "is_staff" not in submission.context:
        # Callers without a request (imports, the shell) leave it out; remembered for the
        # other stages of this screening.
        submission.context["is_staff"] = (
            get_user_model().objects.filter(pk=submission.user_id, is_staff=True).exists()
        )
    return bool(submission.context["is_staff"])


# --- 2. Spam signals ------------------------------------------------------------------------


def spam_signals(state: Screening) -> None:
    submission, config, context = state.submission, state.config, state.submission.context
    if not config.spam_enabled or submission.is_edit or is_import(submission):
        return
    if str(context.get("honeypot") or "").strip():
        state.scores["spam"] = 1.0
        state.reject(
            gettext("Your comment looks like it was sent by a robot, so it was not published."),
            stored.HONEYPOT(),
            code="spam",
        )
        return
    if is_staff(submission):
        return
    token = context.get("form_token")
    if token is None:
        return  # not from the comment form (API client, no-JS form): nothing to time
    try:
        started = signing.loads(str(token), salt=FORM_TOKEN_SALT, max_age=7 * 24 * 3600)
        seconds = timezone.now().timestamp() - float(started)
    except (signing.BadSignature, TypeError, ValueError):
        _add_spam(state, 0.5, stored.FORM_TOKEN_FORGED(), "form_token")
        return
    if seconds < config.min_fill_seconds:
        _add_spam(
            state,
            0.6,
            stored.TOO_FAST(seconds=f"{max(seconds, 0):.1f}", minimum=config.min_fill_seconds),
            "too_fast",
        )


def _add_spam(state: Screening, amount: float, reason: str, category: str) -> None:
    state.scores["spam_signals"] = min(1.0, state.scores.get("spam_signals", 0.0) + amount)
    state.reasons.append(reason)
    state.categories.append(category)


# --- 3. Content: spam phrasing and toxicity ---------------------------------------------------


def content_scores(state: Screening) -> None:
    from masthead.moderation.learning import adaptation_current
    from masthead.moderation.scoring import ABUSE_CATEGORIES, text_analyze

    config = state.config
    if not (config.toxicity_enabled or config.spam_enabled):
        return
    if not _warmed.is_set():
        _warm_up()  # outside the time budget: loading once is not the comment's fault
    # Looked up here, on the request's thread: the scoring thread must not use the database
    # (SQLite would find the request's own transaction holding its tables).
    adaptation = adaptation_current()
    future = _executor.submit(
        text_analyze, state.submission.text, config=config, adaptation=adaptation
    )
    try:
        analysis = future.result(timeout=config.stage_timeout_seconds)
    except FutureTimeout:
        state.hold(stored.NOT_CHECKED(why=stored.SCORING_TOO_LONG), soft=False)
        return
    ruled = {span.category for span in analysis.spans}
    if config.toxicity_enabled:
        for name in (*ABUSE_CATEGORIES, "profanity"):
            state.scores[name] = round(analysis.scores[name], 3)
            if analysis.scores[name] >= config.hold_threshold(name):
                state.categories.append(name)
        # A probability stays below 1, which only the block list reaches: with the default
        # reject threshold of 1, the model alone never refuses a comment, it holds it.
        toxicity = min(analysis.toxicity, 0.999)
        if "blocked_word" in ruled:
            toxicity = 1.0  # the editors' block list: refused, whatever the model says
            state.categories.append("blocked_word")
        state.scores["toxicity"] = round(toxicity, 3)
    if config.spam_enabled:
        spam = max(analysis.scores["spam"], state.scores.get("spam", 0.0))
        state.scores["spam"] = round(min(1.0, spam + state.scores.pop("spam_signals", 0.0)), 3)
        if "blocked_domain" in ruled:
            state.categories.append("blocked_domain")
    state.scores["language"] = analysis.language
    for reason in analysis.reasons:
        if reason not in state.reasons:
            state.reasons.append(reason)
    if analysis.truncated:
        from masthead.moderation.text import MAX_SCORED_CHARS

        state.reasons.append(stored.TRUNCATED(count=MAX_SCORED_CHARS))


def external_checks(state: Screening) -> None:
    """ALTCHA and Akismet, for guests, when switched on."""
    submission, config, context = state.submission, state.config, state.submission.context
    if submission.user_id or submission.is_edit or is_import(submission):
        return
    if config.altcha_enabled:
        from masthead.moderation.altcha import altcha_verify

        ok, why = altcha_verify(str(context.get("altcha") or ""))
        if not ok:
            state.reject(
                gettext(
                    "Your browser could not prove that a person is writing. "
                    "Reload the page and try again."
                ),
                stored.PROOF_FAILED(why=why),
                code="challenge",
            )
            return
    if config.akismet_enabled:
        from masthead.moderation.akismet import akismet_check

        future = _executor.submit(
            akismet_check,
            text=submission.text,
            author_name=submission.author_name,
            author_email=submission.author_email,
            user_ip=str(context.get("ip") or ""),
            user_agent=str(context.get("user_agent") or ""),
            referrer=str(context.get("referrer") or ""),
            permalink=str(context.get("permalink") or ""),
        )
        try:
            is_spam, why = future.result(timeout=config.stage_timeout_seconds + 1)
        except FutureTimeout:
            is_spam, why = None, stored.AKISMET_TOO_LONG
        if is_spam is None:
            state.hold(stored.NOT_CHECKED(why=why), soft=False)
        elif is_spam:
            state.scores["spam"] = max(state.scores.get("spam", 0.0), config.spam_hold)
            state.categories.append("akismet")
            state.reasons.append(stored.AKISMET(why=why or stored.AKISMET_SPAM_PLAIN))


# --- 4. Trust and the verdict ---------------------------------------------------------------


def decide(state: Screening, *, nudge: bool = True) -> Verdict:
    """Turn scores into the verdict. Without `nudge` (the check command), a comment the form
    would warn about counts as posted anyway, which holds it."""
    submission, config = state.submission, state.config
    toxicity = state.scores.get("toxicity", 0.0)
    spam = state.scores.get("spam", 0.0)
    if "spam_signals" in state.scores:  # content scoring was off: signals are the spam score
        spam = state.scores["spam"] = round(min(1.0, spam + state.scores.pop("spam_signals")), 3)
    if spam >= config.spam_reject:
        return _rejected(
            state,
            gettext(
                "This looks like advertising or spam, so it was not published. If it is not, "
                "remove links and promotional phrases and try again."
            ),
            code="spam",
        )
    if toxicity >= config.toxicity_reject:
        return _rejected(
            state,
            gettext(
                "This comment breaks our rules against abuse, hate and threats, so it was not "
                "published. Criticise ideas and actions, not people."
            ),
            code="toxic",
        )
    hard = bool(set(state.categories) & HARD_CATEGORIES)
    warned = toxicity >= config.toxicity_nudge
    if warned and not nudge:
        state.hold(stored.OVER_WARNING(score=f"{toxicity:.2f}"), soft=not hard)
    elif warned:
        if not submission.context.get("confirmed"):
            return Verdict(
                "reject",
                list(state.reasons),
                gettext(
                    "Your comment may come across as abusive or hurtful. You can edit it, or "
                    "post it anyway: a moderator will then review it before it appears."
                ),
                code="nudge",
                scores=dict(state.scores),
            )
        state.hold(stored.POSTED_ANYWAY(), soft=False)
    for name in state.categories:
        if name in {"insult", "identity_hate", "threat", "sexual", "profanity"}:
            category, score = name.replace("_", " "), f"{state.scores[name]:.2f}"
            state.hold(stored.CATEGORY_SCORE(category=category, score=score), soft=not hard)
        elif name == "blocked_word":
            state.hold(stored.ON_BLOCK_LIST(), soft=False)
    if spam >= config.spam_hold:
        state.hold(stored.CATEGORY_SCORE(category="spam", score=f"{spam:.2f}"), soft=not hard)
    if config.premoderate_all:
        state.hold(stored.PREMODERATE_ALL(), soft=False)
    elif (
        config.premoderate_first_guest_comment
        and not submission.user_id
        and not submission.is_edit
        and not is_import(submission)
        and approved_count(submission, limit=1) == 0
    ):
        state.hold(stored.FIRST_GUEST_COMMENT(), soft=True)
    if state.soft_holds and not state.hard_holds and is_trusted(submission, config):
        state.reasons.append(stored.TRUSTED_AUTHOR())
        state.soft_holds.clear()
    scores = dict(state.scores)
    if state.hard_holds or state.soft_holds:
        return Verdict("hold", list(state.reasons), str(HELD_MESSAGE), scores=scores)
    return Verdict("publish", list(state.reasons), scores=scores)


def _rejected(state: Screening, message: str, *, code: str) -> Verdict:
    return Verdict("reject", list(state.reasons), message, code=code, scores=dict(state.scores))


def is_trusted(submission: Submission, config: ModerationConfig) -> bool:
    if is_staff(submission):
        return True
    needed = config.trusted_after_approved
    return needed > 0 and approved_count(submission, limit=needed) >= needed


def approved_count(submission: Submission, *, limit: int) -> int:
    """Count the author's published comments, up to `limit` (enough to decide).

    Accounts are matched by user; guests by email address and, since anyone can type an
    address, also by their reader cookie or network, so borrowing a regular's address buys
    no trust.
    """
    published = Comment.objects.filter(status=Comment.Status.PUBLISHED)
    if submission.user_id:
        published = published.filter(user_id=submission.user_id)
    elif submission.author_email:
        same_device = Q(ip_hash=submission.ip_hash) if submission.ip_hash else Q(pk__in=[])
        if submission.context.get("reader"):
            same_device |= Q(author_reader=submission.context["reader"])
        published = published.filter(
            same_device, author_email__iexact=submission.author_email.strip()
        )
    else:
        return 0
    exclude = submission.context.get("comment_id")
    if exclude:
        published = published.exclude(pk=exclude)
    return len(published.values_list("pk", flat=True)[:limit])


def _duration(seconds: int) -> str:
    """The English of a stored reason (stored_text.DURATIONS translates it)."""
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    if seconds < 5400:
        minutes = round(seconds / 60)
        return f"{minutes} minutes"
    return f"{round(seconds / 3600)} hours"


def text_verdict(text: str, config: ModerationConfig) -> Verdict:
    """Score a text alone, as the site would (no author, history, limits or services).

    Used by `masthead moderation check` and the evaluation test.
    """
    submission = Submission(
        text=text,
        author_name="",
        author_email="",
        user_id=None,
        ip_hash="",
        thread_key="",
        context={"source": "import"},
    )
    state = Screening(submission, config)
    try:
        content_scores(state)
    except Exception:
        logger.exception("Scoring failed")
        state.hold(stored.NOT_CHECKED(why=stored.SCORING_FAILED), soft=False)
    return decide(state, nudge=False)

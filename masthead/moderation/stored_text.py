"""Text moderation stores in English and shows in the language of whoever reads it.

Some sentences are written into the database once and read later by someone else: the
screening's reasons on a comment are written while the commenter's request runs, in the
commenter's language, and read by moderators in theirs; a ban's label is read on the ban list.
So they are stored in English, the source language, made from the templates below, and
translated when shown: `reason_display` and `ban_label_display` recognise the template a
stored text was made from and translate it with its values. Text no template fits (written
by an older version, or by another app) is shown as it was stored.

A template with a count is stored in one English form and shown through `ngettext`, which
picks the form each language needs for that number.
"""

import re
from collections.abc import Callable, Iterable

from django.utils import translation
from django.utils.translation import gettext, gettext_noop, ngettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

PLACEHOLDER = re.compile(r"%\((\w+)\)s")
NUMBER = r"\d+(?:\.\d+)?"
WHOLE_NUMBER = r"\d+"


class StoredText:
    """One template of stored English.

    `template(**values)` is the English to store. `display(text)` returns a stored `text` made
    from this template in the current language, or None when it was not made from it.
    `patterns` restricts what a placeholder matches (a regular expression), `words` translates
    a placeholder's English value (returning None when the value is not one it knows, so the
    text is not taken for this template's), and `shown` replaces the plain translation of the
    template (for counts, which need `ngettext`).
    """

    def __init__(
        self,
        template: str,
        *,
        patterns: dict[str, str] | None = None,
        words: dict[str, Callable[[str], str | None]] | None = None,
        shown: Callable[[dict], str] | None = None,
    ):
        self.template = template
        self.words = words or {}
        self.shown = shown
        pieces = PLACEHOLDER.split(template)
        expression = "".join(
            re.escape(piece)
            if index % 2 == 0
            else f"(?P<{piece}>{(patterns or {}).get(piece, '.+?')})"
            for index, piece in enumerate(pieces)
        )
        self.regex = re.compile(expression + r"\Z", re.DOTALL)

    def __call__(self, **values) -> str:
        return self.template % values

    def display(self, text: str) -> str | None:
        match = self.regex.match(text)
        if match is None:
            return None
        values = match.groupdict()
        for name, translate in self.words.items():
            shown = translate(values[name])
            if shown is None:
                return None
            values[name] = shown
        if self.shown is not None:
            return self.shown(values)
        return gettext(self.template) % values


def _first(texts: Iterable[StoredText], text: str) -> str | None:
    for candidate in texts:
        shown = candidate.display(text)
        if shown is not None:
            return shown
    return None


def _phrases(*english: str) -> Callable[[str], str | None]:
    """A `words` translator for a closed set of phrases (each marked with gettext_noop)."""
    known = frozenset(english)
    return lambda value: gettext(value) if value in known else None


def _count(values: dict) -> int:
    return int(float(values["count"]))


# --- durations, as pipeline._duration writes them ----------------------------------------

DURATIONS = (
    StoredText(
        "%(count)s second",
        patterns={"count": WHOLE_NUMBER},
        shown=lambda v: ngettext("%(count)s second", "%(count)s seconds", _count(v)) % v,
    ),
    StoredText(
        "%(count)s seconds",
        patterns={"count": WHOLE_NUMBER},
        shown=lambda v: ngettext("%(count)s second", "%(count)s seconds", _count(v)) % v,
    ),
    StoredText(
        "%(count)s minutes",
        patterns={"count": WHOLE_NUMBER},
        shown=lambda v: ngettext("%(count)s minute", "%(count)s minutes", _count(v)) % v,
    ),
    StoredText(
        "%(count)s hours",
        patterns={"count": WHOLE_NUMBER},
        shown=lambda v: ngettext("%(count)s hour", "%(count)s hours", _count(v)) % v,
    ),
)


def _duration_words(value: str) -> str | None:
    return _first(DURATIONS, value)


def duration_display(value: str) -> str:
    """pipeline._duration's English ("5 minutes") in the current language."""
    return _duration_words(value) or value


# --- the scoring categories, as the reasons name them ------------------------------------

# English as scoring.CATEGORY_LABELS and the pipeline's holds write them, translated.
CATEGORY_WORDS = {
    "insult": _("insult"),
    "identity hate": _("identity hate"),
    "threat": _("threat"),
    # The pipeline's holds say "sexual"; the scorer's reasons, "sexual harassment".
    "sexual": pgettext_lazy("moderation category: sexual harassment", "sexual"),
    "sexual harassment": _("sexual harassment"),
    "profanity": _("profanity"),
    "spam": _("spam"),
}
# The scores the queue shows beside a comment, by their stored names.
SCORE_LABELS = {
    "toxicity": _("toxicity"),
    "spam": _("spam"),
    "insult": _("insult"),
    "identity_hate": _("identity hate"),
    "threat": _("threat"),
    "sexual": pgettext_lazy("moderation category: sexual harassment", "sexual"),
    "profanity": _("profanity"),
}


def score_label(name: str) -> str:
    """The label of a stored score ("identity_hate") in the current language."""
    label = SCORE_LABELS.get(name)
    return str(label) if label is not None else name.replace("_", " ")


def _category(value: str) -> str | None:
    label = CATEGORY_WORDS.get(value)
    return str(label) if label is not None else None


# --- why a check could not be made, or failed (altcha.py, akismet.py) ---------------------

ALTCHA_MISSING = gettext_noop("proof of work missing or unreadable")
ALTCHA_ALGORITHM = gettext_noop("proof of work uses another algorithm")
ALTCHA_NO_EXPIRY = gettext_noop("proof of work without an expiry")
ALTCHA_EXPIRED = gettext_noop("proof of work expired")
ALTCHA_INVALID = gettext_noop("proof of work is not valid")
ALTCHA_USED = gettext_noop("proof of work used already")

AKISMET_SPAM = gettext_noop("judged spam")
AKISMET_BLATANT_SPAM = gettext_noop("blatant spam (discard)")
AKISMET_SPAM_PLAIN = gettext_noop("spam")
AKISMET_UNREACHABLE = gettext_noop("Akismet could not be reached")
AKISMET_TIMEOUT = gettext_noop("Akismet did not answer in time")
AKISMET_NOT_CONFIGURED = gettext_noop(
    "Akismet is not configured (AKISMET_API_KEY, AKISMET_BLOG_URL)"
)
AKISMET_KEY_REFUSED = gettext_noop("Akismet refused the API key")
AKISMET_UNCLEAR = gettext_noop("Akismet's answer could not be understood")
AKISMET_FAILED = gettext_noop("Akismet check failed")
AKISMET_TOO_LONG = gettext_noop("Akismet took too long")
AKISMET_HTTP_ERROR = StoredText(
    gettext_noop("Akismet answered with an error (HTTP %(status)s)"),
    patterns={"status": WHOLE_NUMBER},
)

# The pipeline's stages by name, and the scoring's own troubles.
STAGE_HARD_RULES = gettext_noop("hard rules")
STAGE_SPAM_SIGNALS = gettext_noop("spam signals")
STAGE_CONTENT_SCORES = gettext_noop("content scores")
STAGE_EXTERNAL_CHECKS = gettext_noop("external checks")
SCORING_TOO_LONG = gettext_noop("scoring took too long")
SCORING_FAILED = gettext_noop("scoring failed")

_akismet_trouble = _phrases(
    AKISMET_UNREACHABLE,
    AKISMET_TIMEOUT,
    AKISMET_NOT_CONFIGURED,
    AKISMET_KEY_REFUSED,
    AKISMET_UNCLEAR,
    AKISMET_FAILED,
    AKISMET_TOO_LONG,
)
_stage_trouble = _phrases(
    STAGE_HARD_RULES,
    STAGE_SPAM_SIGNALS,
    STAGE_CONTENT_SCORES,
    STAGE_EXTERNAL_CHECKS,
    SCORING_TOO_LONG,
    SCORING_FAILED,
)


def _unchecked_why(value: str) -> str | None:
    return _stage_trouble(value) or _akismet_trouble(value) or AKISMET_HTTP_ERROR.display(value)


def _akismet_why(value: str) -> str | None:
    return _phrases(AKISMET_SPAM, AKISMET_BLATANT_SPAM, AKISMET_SPAM_PLAIN)(value)


# --- the screening's reasons ---------------------------------------------------------------

THREAD_CLOSED = StoredText(gettext_noop("thread closed"))
HONEYPOT = StoredText(gettext_noop("honeypot field filled in"))
FORM_TOKEN_FORGED = StoredText(gettext_noop("the comment form's token is forged or expired"))
POSTED_ANYWAY = StoredText(gettext_noop("posted anyway after a warning"))
ON_BLOCK_LIST = StoredText(gettext_noop("on the block list"))
PREMODERATE_ALL = StoredText(gettext_noop("every comment is reviewed first (site setting)"))
FIRST_GUEST_COMMENT = StoredText(gettext_noop("first comment of a new guest (site setting)"))
TRUSTED_AUTHOR = StoredText(gettext_noop("trusted author: borderline hold waived"))
# privacy.py: a comment erased in "delete" mode.
ERASED = StoredText(gettext_noop("erased at the author's request"))


def english():
    """Within it, labels and messages read in English, the language text is stored in."""
    return translation.override(None)


def in_english(text) -> str:
    """`text` (a lazy label) in English, to store."""
    with english():
        return str(text)


def _english_word(words: dict, value: str) -> str | None:
    """The translation of the word of `words` (lazy labels) whose English is `value`."""
    for word in words.values():
        if in_english(word) == value:
            return str(word)
    return None


def _ban_kind(value: str) -> str | None:
    from masthead.moderation.models import Ban

    return _english_word(Ban.KIND_WORDS, value)


BANNED_AUTHOR = StoredText(gettext_noop("banned author (%(kind)s)"), words={"kind": _ban_kind})
RATE_LIMIT = StoredText(
    "rate limit (%(kind)s: %(limit)s comments in %(window)s)",
    patterns={"kind": r"burst|sustained", "limit": WHOLE_NUMBER},
    words={
        "kind": lambda value: {
            "burst": pgettext("a rate limit over a short time", "burst"),
            "sustained": pgettext("a rate limit over a long time", "sustained"),
        }.get(value),
        "window": _duration_words,
    },
    shown=lambda v: (
        ngettext(
            "rate limit (%(kind)s: %(limit)s comment in %(window)s)",
            "rate limit (%(kind)s: %(limit)s comments in %(window)s)",
            int(v["limit"]),
        )
        % v
    ),
)
FLOOD = StoredText(
    "flood: the same text more than %(count)s times",
    patterns={"count": WHOLE_NUMBER},
    shown=lambda v: (
        ngettext(
            "flood: the same text more than %(count)s time",
            "flood: the same text more than %(count)s times",
            _count(v),
        )
        % v
    ),
)
TOO_FAST = StoredText(
    gettext_noop("written in %(seconds)s s (people need at least %(minimum)s s)"),
    patterns={"seconds": NUMBER, "minimum": WHOLE_NUMBER},
)
TRUNCATED = StoredText(
    gettext_noop("only the first %(count)s characters were scored"),
    patterns={"count": WHOLE_NUMBER},
)
PROOF_FAILED = StoredText(
    gettext_noop("proof of work failed: %(why)s"),
    words={
        "why": _phrases(
            ALTCHA_MISSING,
            ALTCHA_ALGORITHM,
            ALTCHA_NO_EXPIRY,
            ALTCHA_EXPIRED,
            ALTCHA_INVALID,
            ALTCHA_USED,
        )
    },
)
AKISMET = StoredText(gettext_noop("Akismet: %(why)s"), words={"why": _akismet_why})
# discussion's own screen says this when moderation's pipeline cannot run at all.
NOT_CHECKED_AT_ALL = StoredText(gettext_noop("could not be checked"))
NOT_CHECKED = StoredText(
    # Translators: a comment held because a check could not run; the reason follows.
    gettext_noop("could not be checked (%(why)s)"),
    words={"why": _unchecked_why},
)
OVER_WARNING = StoredText(
    gettext_noop("toxicity %(score)s (over the warning threshold)"), patterns={"score": NUMBER}
)
CATEGORY_QUOTED = StoredText(
    # Translators: a score with the words that carried it, e.g. "insult 0.93: 'you idiot'".
    gettext_noop("%(category)s %(score)s: '%(quote)s'"),
    patterns={"category": "|".join(map(re.escape, CATEGORY_WORDS)), "score": NUMBER},
    words={"category": _category},
)
CATEGORY_SCORE = StoredText(
    # Translators: a score, e.g. "insult 0.93".
    gettext_noop("%(category)s %(score)s"),
    patterns={"category": "|".join(map(re.escape, CATEGORY_WORDS)), "score": NUMBER},
    words={"category": _category},
)
TOO_MANY_LINKS = StoredText(
    "%(count)s links (the limit is %(limit)s)",
    patterns={"count": WHOLE_NUMBER, "limit": WHOLE_NUMBER},
    shown=lambda v: (
        ngettext(
            "%(count)s link (the limit is %(limit)s)",
            "%(count)s links (the limit is %(limit)s)",
            _count(v),
        )
        % v
    ),
)
BLOCKED_DOMAIN = StoredText(gettext_noop("blocked domain: %(domain)s"))
SHORTENED_LINK = StoredText(gettext_noop("shortened link: %(host)s"))
DISGUISED_LINK = StoredText(gettext_noop("disguised link: '%(text)s'"))
LISTED_WORD = StoredText(gettext_noop("listed word '%(quote)s'"))
ON_BLOCK_LIST_QUOTED = StoredText(gettext_noop("on the block list: '%(quote)s'"))


def _report_summary(value: str) -> str | None:
    """flags.py's "abusive or hateful ×2, spam ×1", in the current language."""
    from masthead.moderation.models import Flag

    shown = []
    for part in value.split(", "):
        word, times, count = part.rpartition(" ×")
        if not times or not count.isdigit():
            return None
        reason = _english_word(Flag.REASON_WORDS, word)
        if reason is None:
            return None
        # Translators: a reason readers gave when reporting a comment, and how many gave it.
        shown.append(gettext("%(reason)s ×%(count)s") % {"reason": reason, "count": count})
    return ", ".join(shown)


HIDDEN_AFTER_REPORTS = StoredText(
    "hidden after %(count)s reader reports (%(summary)s)",
    patterns={"count": WHOLE_NUMBER},
    words={"summary": _report_summary},
    shown=lambda v: (
        ngettext(
            "hidden after %(count)s reader report (%(summary)s)",
            "hidden after %(count)s reader reports (%(summary)s)",
            _count(v),
        )
        % v
    ),
)

# Fixed texts first, then those with values, the most specific before the more general.
REASONS = (
    THREAD_CLOSED,
    HONEYPOT,
    FORM_TOKEN_FORGED,
    POSTED_ANYWAY,
    ON_BLOCK_LIST,
    PREMODERATE_ALL,
    FIRST_GUEST_COMMENT,
    TRUSTED_AUTHOR,
    ERASED,
    BANNED_AUTHOR,
    RATE_LIMIT,
    FLOOD,
    TOO_FAST,
    TRUNCATED,
    PROOF_FAILED,
    AKISMET,
    NOT_CHECKED_AT_ALL,
    NOT_CHECKED,
    OVER_WARNING,
    CATEGORY_QUOTED,
    CATEGORY_SCORE,
    TOO_MANY_LINKS,
    BLOCKED_DOMAIN,
    SHORTENED_LINK,
    DISGUISED_LINK,
    LISTED_WORD,
    ON_BLOCK_LIST_QUOTED,
    HIDDEN_AFTER_REPORTS,
)


def reason_display(reason: str) -> str:
    """A stored reason in the current language (as stored when no template fits it)."""
    reason = str(reason)
    return _first(REASONS, reason) or reason


def reasons_display(reasons: Iterable[str]) -> list[str]:
    return [reason_display(reason) for reason in reasons or ()]


# --- the labels of bans --------------------------------------------------------------------

ACCOUNT_LABEL = StoredText(
    # Translators: who a ban on an account names: their name and account number.
    gettext_noop("%(name)s (account #%(id)s)"),
    patterns={"name": ".*", "id": WHOLE_NUMBER},
)
NETWORK_LABEL = StoredText(
    # Translators: who a ban on a network names: the author of one comment, by number.
    gettext_noop("network of %(name)s (comment #%(id)s)"),
    patterns={"name": ".*", "id": WHOLE_NUMBER},
)
# privacy.py: an erased commenter's bans stay in force under these labels.
ERASED_ACCOUNT = StoredText(gettext_noop("erased commenter (account)"))
ERASED_EMAIL = StoredText(gettext_noop("erased commenter (email address)"))
ERASED_NETWORK = StoredText(gettext_noop("network of an erased commenter"))

BAN_LABELS = (ERASED_ACCOUNT, ERASED_EMAIL, ERASED_NETWORK, ACCOUNT_LABEL, NETWORK_LABEL)


def ban_label_display(label: str) -> str:
    """A ban's stored label in the current language (as stored when no template fits it)."""
    return _first(BAN_LABELS, label) or label

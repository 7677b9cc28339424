"""What the content of a comment scores, per category, with the phrases that carried each score.

This is the one entry point for everything that scores text: the pipeline's content stage, the
`check` command, the analyze API and its Perspective-compatible route, and the evaluation.
`text_analyze` combines the learned classifier (classifier.py, with the outlet's own local
adaptation when one is installed), the editors' block and allow lists, and the listed-word rules
that stay as data files (rules.py).
"""

import re
from dataclasses import dataclass, field

# The categories a comment is scored in, in the order moderators read them.
CATEGORIES = ("insult", "identity_hate", "threat", "sexual", "profanity", "spam")
# Categories that count as abuse (toxicity = the highest of them). Profanity alone does not.
ABUSE_CATEGORIES = ("insult", "identity_hate", "threat", "sexual")
# How the reasons name each category: stored English (stored_text.py translates them).
CATEGORY_LABELS = {
    "insult": "insult",
    "identity_hate": "identity hate",
    "threat": "threat",
    "sexual": "sexual harassment",
    "profanity": "profanity",
    "spam": "spam",
}


@dataclass(frozen=True)
class Span:
    """A phrase of the original text that carried a category's score."""

    start: int  # character offsets into the text as given
    end: int
    category: str
    score: float  # how much this phrase adds to the category (0..1)
    quote: str  # the text as written, shortened for display


@dataclass(frozen=True)
class Analysis:
    scores: dict[str, float]  # every category of CATEGORIES -> probability 0..1
    language: str  # ISO 639-1 code of the main language, "und" when unknown
    languages: list[str] = field(default_factory=list)  # detected, most likely first
    spans: list[Span] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # "identity hate 0.91: 'belong in a zoo'"
    truncated: bool = False  # only the beginning of a very long text was scored

    @property
    def toxicity(self) -> float:
        return max(self.scores.get(name, 0.0) for name in ABUSE_CATEGORIES)


# How much of a category's score a phrase must carry to be quoted in the reasons.
_REASON_FLOOR = 0.3
# The longest phrase quoted as the carrier of a score, in words.
_LONGEST_PHRASE = 5
# One or two words with nowhere to send a reader ("Thanks!", "+1", "Reply") cannot advertise
# anything, whatever short spam texts the model saw: its spam score is capped below a hold.
_FEWEST_WORDS_FOR_SPAM = 3
_SHORT_SPAM_CAP = 0.3
_REACHABLE = re.compile(r"@\w{2,}|\d{7,}|\b[\w.+-]+@[\w-]+\.\w+")


_IN_FORCE = object()


def text_analyze(text: str, *, config=None, explain: bool = True, adaptation=_IN_FORCE) -> Analysis:
    """Score `text` in every category, with reasons that quote what carried each score.

    Never raises on any `str` (empty, huge, binary junk, invisible characters): only the first
    `text.MAX_SCORED_CHARS` characters are read. `config` (a ModerationConfig) supplies the
    editors' lists and the link limit; without one the server's defaults apply. `adaptation`
    is the outlet's local adaptation to apply (None: the shipped model alone); by default the
    one in force, which may read the database — callers on another thread pass it in.
    """
    from masthead.moderation import rules
    from masthead.moderation import stored_text as stored
    from masthead.moderation.classifier import classifier_shipped, model_text, sigmoid
    from masthead.moderation.config import default_config
    from masthead.moderation.languages import language_main, languages_detect
    from masthead.moderation.learning import adaptation_current
    from masthead.moderation.text import text_prepare

    config = config or default_config()
    if not isinstance(text, str):
        text = str(text)
    prepared = text_prepare(text)
    classifier = classifier_shipped()
    skipped = rules.allowed_tokens(prepared, tuple(config.allow_words))
    if skipped:
        kept = [t.text for i, t in enumerate(prepared.tokens) if i not in skipped]
        read = model_text(text_prepare(" ".join(kept)))
    else:
        read = model_text(prepared)
    detected = languages_detect(prepared.original)
    language = language_main(detected)
    features = classifier.featurizer.transform([read])
    logits = classifier.combined_logits([prepared.original], features, [language])
    if adaptation is _IN_FORCE:
        adaptation = adaptation_current()
    if adaptation is not None:
        logits = adaptation.apply(logits, features)
    probabilities = sigmoid(logits)[0]
    scores = {name: float(probabilities[i]) for i, name in enumerate(classifier.categories)}
    signals = rules.word_signals(prepared, block_words=tuple(config.block_words))
    signals += rules.link_signals(
        prepared.original, max_links=config.max_links, blocked_domains=config.blocked_domains
    )
    words = sum(token.is_word for token in prepared.tokens)
    if (
        words < _FEWEST_WORDS_FOR_SPAM
        and not rules.URL.search(prepared.original)
        and not _REACHABLE.search(prepared.original)
    ):
        scores["spam"] = min(scores["spam"], _SHORT_SPAM_CAP)
    reasons, spans = [], []
    spam_rest = 1.0 - scores["spam"]
    for signal in signals:
        if signal.category in scores and signal.category != "spam":
            scores[signal.category] = max(scores[signal.category], signal.score)
        elif signal.category in {"spam", "blocked_domain"}:
            spam_rest *= 1.0 - signal.score
        reasons.append(signal.reason)
        spans.append(Span(signal.start, signal.end, signal.category, signal.score, signal.reason))
    scores["spam"] = 1.0 - spam_rest
    if explain and not skipped:
        for index, name in enumerate(classifier.categories):
            if scores[name] < _REASON_FLOOR or name in {s.category for s in signals}:
                continue
            span = _carrier(classifier, prepared, features, index)
            label, score = CATEGORY_LABELS[name], f"{scores[name]:.2f}"
            if span is None:
                reasons.append(stored.CATEGORY_SCORE(category=label, score=score))
                continue
            reasons.append(stored.CATEGORY_QUOTED(category=label, score=score, quote=span.quote))
            spans.append(Span(span.start, span.end, name, scores[name], span.quote))
    elif explain:
        for name in classifier.categories:
            if scores[name] >= _REASON_FLOOR:
                label, score = CATEGORY_LABELS[name], f"{scores[name]:.2f}"
                reasons.append(stored.CATEGORY_SCORE(category=label, score=score))
    scores = {name: round(value, 4) for name, value in scores.items()}
    link_reasons = {signal.reason for signal in signals if signal.category == "spam"}
    return Analysis(
        scores=scores,
        language=language,
        languages=[code for code, _ in detected],
        spans=spans,
        # What the model found first; the link rules' spam signals after it.
        reasons=sorted(reasons, key=lambda reason: reason in link_reasons),
        truncated=prepared.truncated,
    )


@dataclass(frozen=True)
class _Carrier:
    start: int
    end: int
    quote: str


def _carrier(classifier, prepared, features, category: int) -> _Carrier | None:
    """The phrase (up to five words) that added most to one category's score."""
    contributions = classifier.contributions(prepared, features, category)
    best, best_range = 0.0, None
    for first in range(len(contributions)):
        if contributions[first] <= 0 or not prepared.tokens[first].is_word:
            continue
        running = 0.0
        for last in range(first, min(first + _LONGEST_PHRASE, len(contributions))):
            running += contributions[last]
            # A longer phrase must earn its extra words.
            value = running - 0.02 * (last - first)
            if value > best and prepared.tokens[last].is_word:
                best, best_range = value, (first, last)
    if best_range is None:
        return None
    first, last = best_range
    return _Carrier(
        prepared.tokens[first].start,
        prepared.tokens[last].end,
        prepared.quote_tokens(first, last),
    )

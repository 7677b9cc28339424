"""Content scores of a comment: how toxic and how spammy its text is, and why.

`content_score` is pure Python and side-effect free; the pipeline calls it for every new or
edited comment and `content_verdict` turns the score into publish / hold / reject with the
thresholds of the `ModerationConfig` in force.

Toxicity is the strongest of several signals, each scored by context rather than by word:

* word lists (masthead/moderation/data/*.txt), matched on normalized text so that "c*nt",
  "f u c k" and a Cyrillic "о" inside "idiot" are seen through (see `text.py`);
* patterns on the sequence of words, where listed words are replaced by their tags: "you are
  <insult>" is an insult aimed at a reader, "<group> are <dehumanizing>" is group hate;
* general shapes that need no listed word: insults by comparison or predicate aimed at "you"
  ("the IQ of a ...", "a waste of oxygen"), wishes of harm, doxxing and menace, conspiracy
  tropes about a people, and for spam what is sold (papers, followers, pills, essays), pay per
  day, phishing and fund-recovery pitches, each with how readers are told to act;
* the alt-profanity-check model, which flags swear words whatever their target, so it only
  adds to the other signals, with more weight when a swear word is aimed at "you".

A quote that condemns an insult ('he called them "animals" - disgusting') weakens every signal
inside it; words aimed at "you" outside quotes are never read as a report. Typical abuse lands
between the hold and the reject thresholds, so that a moderator sees it; only explicit threats,
slurs and calls for extermination reach the reject threshold.

The first call loads the word lists and the model (about a second); `content_warm_up` does it
ahead of time, e.g. when a worker starts.
"""

import math
import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from masthead.moderation.config import ModerationConfig
from masthead.moderation.text import (
    INVISIBLE_CHARACTERS,
    MAX_SCORED_CHARS,
    PreparedText,
    Token,
    text_prepare,
)

# Scores of the signals. Abuse is held (>= 0.5) for review, explicit violence is rejected.
_SLUR = 0.88
_ABUSIVE_WORD = 0.62
_STRONG_EXPLETIVE = 0.3  # "what a fucking disaster" is not aimed at anyone: nudge at most
_MILD_EXPLETIVE = 0.1
_INSULT_WORD_ALONE = 0.2
_EVASION_BONUS = 0.25  # leetspeak, look-alike letters, invisible characters: hiding a word
_MODEL_WEIGHT = 0.25
_MODEL_WEIGHT_TARGETED = 0.42
_SPAM_STRONG_PHRASE = 0.55
_SPAM_WEAK_PHRASE = 0.1
_CAP_UNLESS_EXPLICIT = 0.97

# Word-list files and the tag their words get in the pattern text.
_WORD_LISTS = {
    "slur": "slurs.txt",
    "abu": "abusive_nouns.txt",
    "exs": "expletives_strong.txt",
    "exm": "expletives_mild.txt",
    "ins": "insults.txt",
    "adj": "insult_adjectives.txt",
    "acc": "accusations.txt",
    "deh": "dehumanizing.txt",
    "grp": "groups.txt",
}
# Tags that matter for the "disguised word" logic and for the known-word check.
_SWEAR_TAGS = ("slur", "abu", "exs", "exm", "ins", "adj")


@dataclass(frozen=True)
class ContentScore:
    toxicity: float  # 0..1
    spam: float  # 0..1
    reasons: list[str] = field(default_factory=list)  # for moderators, quoting what was written
    categories: list[str] = field(default_factory=list)  # machine tags: "insult", "links", ...


@dataclass(slots=True)
class _Hit:
    score: float
    category: str
    label: str
    first: int  # token range, inclusive
    last: int
    explicit: bool = False  # allowed to reach the reject threshold


# --- Word lists -----------------------------------------------------------------------------


def _data_lines(name: str) -> list[str]:
    text = resources.files("masthead.moderation").joinpath("data", name).read_text("utf-8")
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def _normalize_entry(entry: str) -> str:
    """Normalize a word-list entry exactly as comment words are normalized."""
    core = entry.strip("*")
    prepared = text_prepare(core)
    words = [token.text for token in prepared.tokens if token.is_word]
    normalized = "".join(words) if len(words) > 1 and "-" in core else " ".join(words)
    prefix = "*" if entry.startswith("*") else ""
    suffix = "*" if entry.endswith("*") else ""
    return f"{prefix}{normalized}{suffix}"


class _WordList:
    """Exact words, prefixes ("word*") and infixes ("*word*"), all normalized."""

    def __init__(self, entries: Iterable[str]):
        self.exact: set[str] = set()
        prefixes, infixes = [], []
        self.stems: list[str] = []  # for masked lookups ("c*nt")
        for entry in entries:
            entry = _normalize_entry(entry)
            core = entry.strip("*")
            if not core:
                continue
            if entry.startswith("*") and entry.endswith("*"):
                infixes.append(re.escape(core))
            elif entry.endswith("*"):
                prefixes.append(re.escape(core))
            else:
                self.exact.add(core)
            self.stems.append(core)
        self._prefix = re.compile("(?:" + "|".join(prefixes) + ")") if prefixes else None
        self._infix = re.compile("|".join(infixes)) if infixes else None
        self.affix_pattern = "|".join([*(f"^(?:{p})" for p in prefixes), *infixes])

    def __contains__(self, word: str) -> bool:
        if word in self.exact:
            return True
        if self._prefix is not None and self._prefix.match(word):
            return True
        return self._infix is not None and self._infix.search(word) is not None


class _Lexicon:
    def __init__(self) -> None:
        self.lists = {tag: _WordList(_data_lines(name)) for tag, name in _WORD_LISTS.items()}
        # One set and one regex answer "is this word on any list?" for the many words on none.
        self._all_exact = frozenset().union(*(words.exact for words in self.lists.values()))
        affixes = [words.affix_pattern for words in self.lists.values() if words.affix_pattern]
        self._any_affix = re.compile("|".join(affixes) if affixes else "(?!)")
        self._tag_cache: dict[str, list[str]] = {}
        # Words with the common endings, for guessing what a masked word ("f*cking") hides.
        endings = ("", "s", "ing", "in", "er", "ers", "ed", "y")
        self.maskable: dict[int, list[tuple[str, str]]] = {}
        for tag in ("slur", "abu", "exs", "ins", "adj"):
            for stem in self.lists[tag].stems:
                for ending in endings:
                    word = stem + ending
                    if " " not in word and word in self.lists[tag]:
                        self.maskable.setdefault(len(word), []).append((word, tag))
        self.shorteners = frozenset(_data_lines("url_shorteners.txt"))
        self.spam_strong = _with_first_character_check(
            "|".join(f"(?:{line})" for line in _data_lines("spam_phrases_strong.txt"))
        )
        self.spam_weak = re.compile(
            r"\b(?:"
            + "|".join(f"(?:{line})" for line in _data_lines("spam_phrases_weak.txt"))
            + r")(?!\w)"
        )

    def tags(self, word: str) -> list[str]:
        cached = self._tag_cache.get(word)
        if cached is None:
            if word in self._all_exact or self._any_affix.search(word):
                cached = [tag for tag, words in self.lists.items() if word in words]
            else:
                cached = []
            if len(self._tag_cache) < 65536:
                self._tag_cache[word] = cached
        return cached

    def lookup(self, forms: Iterable[str]) -> tuple[tuple[str, ...], str]:
        """Return the tags of the first spelling on a list, and that spelling."""
        forms = tuple(forms)
        for form in forms:
            tags = self.tags(form)
            masked = self.unmask(form) if any(c in "*#%" for c in form) else None
            if masked and masked[1] not in tags:
                # "motherf#cker" contains "motherf" (profanity) but is an abusive noun.
                return (*tags, masked[1]), masked[0]
            if tags:
                return tuple(tags), form
        for form in forms:
            stem = _turkic_stem(form)
            if stem:
                tags = [tag for tag in self.tags(stem) if tag != "grp"]
                if tags:
                    return tuple(tags), stem
        return (), forms[0] if forms else ""

    def is_known(self, word: str) -> bool:
        if any(c in "*#%" for c in word):
            return self.unmask(word) is not None
        return any(word in self.lists[tag] for tag in _SWEAR_TAGS)

    def unmask(self, word: str) -> tuple[str, str] | None:
        """Return (word, tag) for a masked word such as "c*nt" or "f**king", if unambiguous."""
        visible = sum(1 for character in word if character.isalpha())
        masked = sum(1 for character in word if character in "*#%")
        if visible == 1 and masked == len(word) - 1 and (word[0], len(word)) in _ONE_LETTER_MASKS:
            return _ONE_LETTER_MASKS[(word[0], len(word))]  # "f***": every reader decodes it
        if visible < 2 or masked == 0 or masked > visible or not word[0].isalpha():
            return None
        pattern = re.compile("".join("[^\\W\\d_]" if c in "*#%" else re.escape(c) for c in word))
        for candidate, tag in self.maskable.get(len(word), ()):
            if pattern.fullmatch(candidate):
                return candidate, tag
        return None


# Masked words that show only their first letter but that every reader decodes.
_ONE_LETTER_MASKS = {
    ("f", 4): ("fuck", "exs"),
    ("f", 7): ("fucking", "exs"),
    ("s", 4): ("shit", "exs"),
    ("c", 4): ("cunt", "abu"),
    ("b", 5): ("bitch", "abu"),
}

# Turkish and Azerbaijani attach "you are" / "is" to the word: "aptalsın", "gicsən", "itdir".
_TURKIC_SUFFIX = re.compile(
    r"(?:sın|sin|sun|sün|sən|san|sen|siniz|sınız|dır|dir|dur|dür|tır|tir|tur|tür|dı|di|du)$"
)


def _turkic_stem(word: str) -> str | None:
    if len(word) < 5 or not word.isalpha():
        return None
    stem = _TURKIC_SUFFIX.sub("", word)
    return stem if stem != word and len(stem) >= 3 else None


_lexicon_lock = threading.Lock()
_lexicon_instance: _Lexicon | None = None


def _lexicon() -> _Lexicon:
    """Return the word lists, loaded once per process (the pipeline scores in threads)."""
    global _lexicon_instance  # a lazily built, process-wide, read-only index
    if _lexicon_instance is None:
        with _lexicon_lock:
            if _lexicon_instance is None:
                _lexicon_instance = _Lexicon()
    return _lexicon_instance


# --- The profanity model --------------------------------------------------------------------


class _ProfanityModel:
    """alt-profanity-check's model, evaluated in plain Python.

    The package's own `predict_prob` goes through scikit-learn and costs ~5 ms per comment;
    the model is a TF-IDF vector fed to five calibrated linear SVMs, which a dictionary lookup
    per word reproduces exactly in a few microseconds.
    """

    _WORD = re.compile(r"(?u)\b\w\w+\b")  # the vectorizer's token pattern

    def __init__(self) -> None:
        # Importing loads the model from the wheel (~1.3 s), hence only on first use.
        from profanity_check import profanity_check

        vectorizer = profanity_check.vectorizer
        calibrated = profanity_check.model.calibrated_classifiers_
        coefficients = [classifier.estimator.coef_[0] for classifier in calibrated]
        self.intercepts = [float(c.estimator.intercept_[0]) for c in calibrated]
        self.sigmoids = [
            (float(c.calibrators[0].a_), float(c.calibrators[0].b_)) for c in calibrated
        ]
        idf = vectorizer.idf_
        self.weights = {
            word: (float(idf[index]), tuple(float(c[index]) for c in coefficients))
            for word, index in vectorizer.vocabulary_.items()
        }

    def probability(self, text: str) -> float:
        counts = Counter(word for word in self._WORD.findall(text.lower()) if word in self.weights)
        decisions = list(self.intercepts)
        if counts:
            features = [
                (count * self.weights[word][0], self.weights[word][1])
                for word, count in counts.items()
            ]
            norm = math.sqrt(sum(value * value for value, _ in features))
            for value, word_coefficients in features:
                for index, coefficient in enumerate(word_coefficients):
                    decisions[index] += value / norm * coefficient
        probabilities = [
            1.0 / (1.0 + math.exp(a * decision + b))
            for decision, (a, b) in zip(decisions, self.sigmoids, strict=True)
        ]
        return sum(probabilities) / len(probabilities)


_model_lock = threading.Lock()
_model: _ProfanityModel | None = None


def _profanity_model() -> _ProfanityModel:
    global _model  # a lazily built, process-wide, read-only model
    if _model is None:
        with _model_lock:
            if _model is None:
                _model = _ProfanityModel()
    return _model


# --- Patterns -------------------------------------------------------------------------------
# They run on the "tagged" text: the normalized words with each listed word replaced by its
# tags, e.g. "you are a #ins#" or "#grp# are #deh#". A tag token always looks like "#a#b#".


def _tag(*tags: str) -> str:
    # Starting with a literal "#" lets the regex engine skip ahead to tag tokens quickly.
    return r"(?:#(?:[a-z]+#)*(?:" + "|".join(tags) + r")#(?:[a-z]+#)*)"


_START = r"(?:^|(?<=\s))"  # start of a token, where \b cannot see a tag's "#"
_INSULT = _tag("ins", "adj", "abu", "slur")
_INSULT_NOUN = _tag("ins", "abu", "slur")
_PERSON_INSULT = _tag("ins", "adj", "abu", "slur", "deh")
_ANY_TAG = _tag("ins", "adj", "abu", "slur", "deh", "exs", "exm")
_GROUP = _tag("grp")
_DEHUMANIZING = _tag("deh", "slur")
_END = r"(?= [.,!?;:)\-—]| *$)"
_SECOND = (
    r"(?:you|u|ya|yu|ye|you people|you guys|you lot|you all|y ' all|all of you|each of you"
    r"|the lot of you)"
)
_BE = (
    r"(?:are|r|re|were|must be|seem|seem to be|sound like|look like|act like|remain|are being"
    r"|will always be|have always been|ll always be|have become|became|are becoming)"
)
_YOU_ARE = rf"(?:{_SECOND} {_BE}|you're|youre|ur|your|yer|u're|you'll always be)"
_MODIFIERS = (
    r"(?:(?:a|an|the|such|so|really|truly|clearly|obviously|just|only|nothing|but|one|total"
    r"|complete|absolute|utter|real|proper|little|sad|too|very|incredibly|big|massive|typical"
    r"|certified|genuine|bunch|pack|band|of|like|kind|sort|literally|simply|actually|plain"
    r"|hopeless|hopelessly|beyond|wilfully|willfully|mentally|most|biggest|ignorant|brainwashed"
    r"|such an|being|acting|an absolute|the most|the biggest|dangerously|painfully|still"
    r"|always|pretty|fairly|quite|extremely|utterly|thoroughly|more|than|even|sick|lying|this|that"
    rf"|,|{_ANY_TAG}) ){{0,6}}"
)
_ADDRESSED = r"(?:^|(?<=[.!?,;:] )|(?<=\n ))"
_THIRD_PERSON = (
    r"(?:he|she|he ' s|she ' s|he's|she's|this guy|that guy|this man|that man|this woman"
    r"|that woman|this clown|the author|the writer|the poster|the commenter|this commenter"
    r"|this poster|the op|op|the person above|the guy above|they|these people|those people"
    r"|this one|that one)"
)
_THIRD_BE = r"(?:is|was|are|were|'s|' s|must be|seems|sounds like|has always been|is just)"
_INSTITUTION = (
    r"(?:government|ministry|army|military|regime|kremlin|parliament|officials|politicians"
    r"|generals|leadership|administration|eu|nato|un|media|police|authorities|cabinet|party"
    r"|state|elites|oligarchs|policy|plan|law|bill|decision|war|deal|idea|article|report)"
)
_SECOND_MULTILINGUAL = (
    r"(?:ты|вы|тебя|тебе|тобой|sen|sən|siz|senin|səni|seni|du|dich|dir|ihr|euch|tu|toi|t'es"
    r"|vous|tú|eres|sois|դու|դուք|քեզ|ձեզ|duq|qez|kez)"
)
_DEHUMANIZING_GLUE = (
    r"(?:(?:are|is|r|=|:|-|—|–|all|just|nothing|but|like|bunch|of|filthy|dirty|such|the|no"
    r"|better|than|sont|des|tous|de|sind|alle|nur|son|unos|unas|todos|это|все|просто|эти"
    r"|hepsi|hep|tamamen|birer|bütün|hamısı|ayni|same|more|real|worse|lower|nothing more"
    r"|en|են|բոլորը|ամբողջ|ceux|die|los|las|les|a|an) ){0,4}"
)
_ELIMINATION = (
    r"(?:exterminated|wiped out|wiped off|wiped|eradicated|gassed|killed|shot|hanged|hung"
    r"|burned|burnt|nuked|slaughtered|destroyed|eliminated|cleansed|erased|sterilized"
    r"|butchered|massacred|lynched|executed|annihilated|removed from the earth)"
)
# What "X should be ..." wishes on a person (not on weapons or documents, hence no "destroyed").
_EXECUTION = (
    r"(?:shot|hanged|hung|killed|executed|lynched|beheaded|burned alive|burnt alive|gassed|hurt"
    r"|exterminated|strung up|murdered|stabbed|put against a wall|put down|put to death|stoned"
    r"|lined up and shot|shot dead|burned|burnt)"
)
_VICTIM = (
    r"you|u|your|yours|him|her|them|the author|the editor|the journalist|the writer"
    r"|this (?:author|journalist|guy|clown|traitor)"
)
_EXPULSION = r"(?:deported|expelled|driven out|kicked out|thrown out|sent back|banned|removed)"
_CONDEMNATION = re.compile(
    r"\b(?:shameful|shame|disgusting|disgrace|disgraceful|condemn\w*|unacceptable|outrageous"
    r"|appalling|racist|racism|hateful|vile|apologi[sz]e|resign|dehumaniz\w*|dehumanis\w*"
    r"|inexcusable|shocking|sickening|offensive|bigoted|bigotry|slur|slurs|no place|not okay"
    r"|not ok|hate speech|xenophob\w*|inflammatory|should be ashamed|insult\w*|wrong to"
    r"|should be banned|be punished|be prosecuted|reported|removed"
    r"|позор\w*|отвратительн\w*|недопустим\w*|utanç\w*|rezalet|iğrenç|ayıp|honte\w*|honteux"
    r"|inacceptable|schande|widerlich|inakzeptabel|vergonzoso|vergüenza|inaceptable|asqueroso"
    r"|ամոթ\w*|biabırçı\w*|rüsvay\w*)\b"
)
_REPORTING = re.compile(
    r"\b(?:called|calling|calls|call|labell?ed|labell?ing|referred|refers|described|describing"
    r"|said|says|saying|wrote|writes|tweeted|posted|posting|shouted|shouting|shouts|chanted|chanting|chants"
    r"|yelled|yelling|screamed|screaming|banner|banners|graffiti|slogan|slogans"
    r"|the word|the term|words like|phrases like|rhetoric|quote|quoted|quoting|named|branded"
    r"|назвал\w*|называ\w*|сказал\w*|dedi|demiş|diyor|nannte|sagte|a dit|traité\w*|llamó"
    r"|dijo|ասաց|dedi)\b"
)
_I_WILL = (
    r"\b(?:(?:i|we) (?:will|shall|would|am going to|are going to|am gonna|are gonna|gonna|want to"
    r"|wanna|'ll|ll|'m going to|m going to|'m gonna|m gonna)|i'll|we'll|i'm going to|im going to"
    r"|we're going to|i'm gonna|im gonna|i'd|we'd|ima|imma)"
)
_FIRST_PERSON_REPORTING = re.compile(r"\b(?:i|we) (?:call|called|say|said)\b")
_QUOTE_MARKS = frozenset("\"«»“”„‟'‘’‹›「」")

# (category, score, reason label, pattern, explicit) - explicit ones may reach reject.
# What a threat says its victim "will pay for": what they wrote, not a bill.
_RETALIATED = (
    r"(?:(?:this|that|it)(?= [.,!?;]| *$)|what (?:you|u) \S+|(?:this|that|your|these|those)"
    r" (?:article|articles|post|posts|comment|comments|story|report|piece|words|lies|insults))"
)
_PATTERN_SPECS: list[tuple[str, float, str, str, bool]] = [
    # Insults aimed at a reader.
    (
        "insult",
        0.8,
        "insult aimed at a reader",
        rf"\b{_YOU_ARE} {_MODIFIERS}{_PERSON_INSULT}",
        False,
    ),
    (
        "insult",
        0.8,
        "insult aimed at a reader",
        rf"\b{_SECOND} {_MODIFIERS}{_PERSON_INSULT}",
        False,
    ),
    ("insult", 0.8, "insult aimed at a reader", rf"{_INSULT} (?:like )?(?:you|u|ya){_END}", False),
    (
        "insult",
        0.8,
        "insult aimed at a reader",
        rf"{_INSULT} (?:like |such as )(?:you|u|yourself)\b",
        False,
    ),
    (
        "insult",
        0.8,
        "insult aimed at a reader",
        rf"{_INSULT} (?:you are|you're|you ' re|u r|ur){_END}",
        False,
    ),
    (
        "insult",
        0.75,
        "insult aimed at a reader",
        rf"\b(?:are|r) (?:you|u) {_MODIFIERS}(?:{_INSULT}|blind|illiterate|thick|slow|mental"
        r"|deranged|delusional|brain ?dead|high|drunk|on drugs|mentally ill|insane|nuts)\b",
        False,
    ),
    (
        "insult",
        0.75,
        "insult aimed at a reader",
        rf"\b(?:how|just how) {_INSULT} (?:can|are) (?:you|u)\b",
        False,
    ),
    (
        "insult",
        0.45,
        "accusation aimed at a reader",
        rf"\b{_YOU_ARE} {_MODIFIERS}{_tag('acc')}",
        False,
    ),
    (
        "insult",
        0.45,
        "accusation aimed at a reader",
        rf"\b{_SECOND} (?:paid |russian |kremlin |western |little )?{_tag('acc')}{_END}",
        False,
    ),
    (
        "insult",
        0.7,
        "insult aimed at readers",
        rf"\bonly (?:an? |the )?{_MODIFIERS}{_INSULT} (?:\S+ )?(?:would|could|believes?|thinks?"
        r"|can|defends?|supports?)\b",
        False,
    ),
    (
        "insult",
        0.7,
        "insult aimed at a reader",
        rf"\bwhat (?:kind|sort|type) of (?:an? )?{_MODIFIERS}{_INSULT_NOUN}",
        False,
    ),
    (
        "insult",
        0.7,
        "insult aimed at a reader",
        r"\b(?:hey|oi|listen|look|yo|okay|ok|well|sorry|dear|mate|buddy"
        rf"|pal)(?: ,)? {_MODIFIERS}{_INSULT_NOUN}",
        False,
    ),
    (
        "insult",
        0.8,
        "insult aimed at a person",
        r"\b(?:you|u|you're|youre|ur|he's|she's|what a|such a|this|that|(?:he|she"
        r"|the author) is) (?:a |an |absolute |total |complete |utter |little "
        rf"|worthless )*piece of {_tag('exs')}|piece of {_tag('exs')} (?:person|human|man|woman"
        r"|author|journalist|commenter|troll|liar)",
        False,
    ),
    (
        "insult",
        0.55,
        "insult aimed at people",
        rf"\b(?!(?:the |these |those |our |all )?{_INSTITUTION}s? )(?:[^\s#]+ ){{1,2}}(?:are"
        r"|were) (?:all |just |such |complete |total |absolute "
        rf"|utter )*{_INSULT_NOUN}(?= (?:[.,!?;:]|and|who|every|all)| *$)",
        False,
    ),
    (
        "insult",
        0.7,
        "insult aimed at readers",
        rf"\bonly {_INSULT} (?:would|could|believe|think|can|fall)\b",
        False,
    ),
    (
        "insult",
        0.65,
        "insult aimed at readers",
        rf"\b(?:anyone|anybody|whoever|everyone|every one|those|people|everybody) (?:who|that)"
        rf" (?:\S+ ){{1,10}}?(?:is|are|must be) {_MODIFIERS}{_INSULT}",
        False,
    ),
    (
        "insult",
        0.6,
        "insult aimed at a reader",
        rf"{_ADDRESSED}(?:what|such) (?:an?|a total|a complete"
        rf"|an absolute) {_MODIFIERS}{_INSULT_NOUN}{_END}",
        False,
    ),
    (
        "insult",
        0.62,
        "insult aimed at a reader",
        rf"{_ADDRESSED}(?:you |ya |u )?{_MODIFIERS}{_INSULT_NOUN} *(?:[.!?,]|$)",
        False,
    ),
    (
        "insult",
        0.6,
        "insult aimed at a reader",
        r"\bpeople like (?:you|u)\b(?: (?:\S+ ){0,3}(?:problem|reason|ruin\w*|disgust\w*|cancer"
        r"|should|shouldn't|don't deserve|pathetic|scum|why))",
        False,
    ),
    (
        "insult",
        0.55,
        "insult aimed at a reader",
        r"\b(?:your kind|you and your kind|you people)(?: (?:are|should|need|make|always|never))",
        False,
    ),
    (
        "insult",
        0.55,
        "insult aimed at a person",
        rf"\b(?:{_THIRD_PERSON} {_THIRD_BE}|he's|she's|he ' s"
        rf"|she ' s) {_MODIFIERS}{_PERSON_INSULT}",
        False,
    ),
    (
        "insult",
        0.55,
        "insult aimed at a person",
        r"\b(?:this|that|these|those|our resident|the resident|our local|our favourite"
        rf"|our favorite) {_MODIFIERS}{_INSULT_NOUN}{_END}",
        False,
    ),
    (
        "insult",
        0.55,
        "insult aimed at a person",
        rf"\b(?:this|that|these|those) {_MODIFIERS}{_INSULT_NOUN} (?:who|that|should|thinks?"
        r"|wants?|keeps?|is|are|has|have|doesn't|don't|can't|clearly|again)\b",
        False,
    ),
    (
        "insult",
        0.55,
        "insult aimed at a person",
        rf"\b(?!(?:the |this |that )?{_INSTITUTION}\b)(?:[^\s#]+ ){{1,2}}(?:is|was) (?:a|an"
        rf"|the) {_MODIFIERS}{_INSULT_NOUN}(?= (?:[.,!?;:]|and|who|if|for|of all)| *$)",
        False,
    ),
    (
        "insult",
        0.75,
        "abuse aimed at a reader",
        # Not "told them to shut up" or "they would never shut up": said of others.
        r"(?<!to )(?<!will )(?<!would )(?<!they )(?<!them )(?<!didn't )(?<!not )(?<!never )"
        r"\b(?:shut (?:the \S+ )?up"
        r"|shut your (?:\S+ )?(?:mouth|face|trap|pie ?hole|gob|hole))\b(?! (?:shop|about|the))",
        False,
    ),
    (
        "insult",
        0.85,
        "abuse aimed at a reader",
        rf"(?<!the )(?<!what )(?<!who )(?<!and )(?:{_tag('exs', 'exm')}|frick) (?:you|u|ya|off"
        rf"|yourself|urself|yourselves|your \S+)\b|\bgo (?:and )?(?:{_tag('exs')}"
        rf"|screw) (?:yourself|urself|yourselves|your \S+)\b|\bget {_tag('exs')}"
        rf"|\beat (?:{_tag('exs')}|a {_tag('exm')}|my {_tag('exs')})|\bsuck my\b"
        rf"|\bkiss my {_tag('exm')}|\b(?:stfu|gtfo)\b",
        False,
    ),
    (
        "insult",
        0.6,
        "abuse aimed at a reader",
        rf"\b(?:go to (?:hell|{_tag('exm')})|{_tag('exm')} off|sod off|bugger off|get lost"
        r"|nobody asked you|no one asked you|learn to read|can you even read|can't you read"
        r"|get a brain|get a life|go cry|cry more|touch grass|crawl back under)\b",
        False,
    ),
    (
        "insult",
        0.6,
        "abuse aimed at a reader",
        r"\bgo back (?:to )?(?:your (?:own )?(?:country|cave|village|kitchen|mountains|homeland"
        r"|hole|farm|desert|swamp|tribe|land|jungle|shithole|mosque)|where you (?:came"
        r"|come) from)\b",
        False,
    ),
    # Threats.
    (
        "threat",
        0.98,
        "threat",
        rf"{_I_WILL} (?:\S+ ){{0,2}}?(?:kill|murder|shoot|stab|strangle|behead|slaughter|execute"
        r"|hang|rape|burn)"
        r" (?:you|u|ya|your|him|her|them|y ' all|every one of you)\b",
        True,
    ),
    (
        "threat",
        0.88,
        "threat",
        rf"{_I_WILL} (?:\S+ ){{0,2}}?(?:find|hunt|hurt|beat|break|smash|get|end|visit|destroy"
        r"|deal with|come for|come after|track)"
        r" (?:you|u|ya|your family|your kids|your children|your face|your legs)\b(?! (?:on|in the"
        r"|later))",
        False,
    ),
    (
        "threat",
        0.9,
        "threat",
        r"\b(?:i|we) know where (?:you|u|your \S+) (?:live|lives|work|works|sleep|sleeps|are|is"
        r"|study|studies)\b",
        False,
    ),
    (
        "threat",
        0.88,
        "threat",
        r"\b(?:i|we) know (?:your|ur) (?:address|home address|house|flat|apartment|family|kids"
        r"|children|wife|husband|car|school|office|workplace)\b",
        False,
    ),
    (
        "threat",
        0.88,
        "threat",
        rf"{_I_WILL} (?:\S+ ){{0,2}}?(?:kill|murder|shoot|stab|strangle|beat|break|smash|hurt"
        rf"|burn|cut|bash|crush|choke|silence|finish|destroy|end) (?:\S+ ){{0,4}}?(?:{_VICTIM})\b",
        False,
    ),
    # Menace without a weapon: "we're watching you", "you're finished", "make sure you never".
    (
        "threat",
        0.85,
        "threat",
        r"\b(?:(?:i|we) (?:am|are)|i'm|im|we're|were) watching (?:you|u|your)\b"
        r"|\b(?:you're|youre|you are|ur) (?:finished|done for|a dead man|next)\b(?! with)"
        r"|\b(?:get|got) what's coming(?: to (?:you|u|him|her))?\b"
        r"|\bmake sure (?:you|u) (?:never|don't|do not|won't) (?:write|speak|talk|walk|post)\b",
        False,
    ),
    (
        "threat",
        0.88,
        "threat",
        r"\b(?:(?:i|we) (?:am|are)|i'm|im|we're) coming (?:for|after|to get) (?:you|u|your)\b",
        False,
    ),
    (
        "threat",
        0.88,
        "threat",
        r"\b(?:(?:you|u) will|you'll|youll|u'll) (?:end up|wind up) (?:in (?:a |the )?(?:ditch"
        r"|grave|hospital|body ?bag|coffin|river|morgue)|dead|like (?:him|her|them|the others))\b"
        r"|\b(?:you|u) (?:won't|wont|will not) (?:live|survive|make it) (?:to|through|until"
        r"|long)\b|\byour days are numbered\b|\bsleep with one eye open\b|\bbe careful (?:walking"
        r"|going|driving|when you go) home\b|\bwatch yourself\b",
        False,
    ),
    (
        "threat",
        0.9,
        "threat",
        r"\b(?:(?:you|u) will|you'll|youll|u'll) be (?:dead|next|found (?:dead|in))\b|\b(?:you|he"
        r"|she|they|the author|the editor|the journalist|this \S+"
        r"|who wrote this) (?:\S+ ){0,3}?(?:deserves?|needs?) (?:a bullet|to die|death|to be shot"
        r"|to hang|a rope|to be hanged|to be killed)\b",
        False,
    ),
    (
        "threat",
        0.9,
        "threat",
        r"\b(?:knife|bullet|blade|bomb) (?:in|into|through|under) (?:your|his|her|their|ur)\b",
        False,
    ),
    (
        "threat",
        0.85,
        "threat",
        r"\b(?:visit|come to|burn|find|bomb|torch) (?:your|ur) (?:house|home|flat|apartment"
        r"|office|family|kids|children|door|newsroom)\b",
        False,
    ),
    (
        "threat",
        0.9,
        "threat",
        r"\b(?:i|we) (?:have|got|found) your (?:address|home address|ip|location|family)\b",
        False,
    ),
    ("threat", 0.8, "threat", r"\bwatch your (?:back|step|kids|family|mouth)\b", False),
    (
        "threat",
        0.75,
        "threat",
        r"\ba lesson (?:he|she|they|you|he'll|she'll|they'll|you'll|that \S+ will)"
        r" (?:won't|will not|will never|never) forget\b",
        False,
    ),
    (
        "threat",
        0.88,
        "threat",
        r"\b(?:(?:you|u|ya)(?: are| r)?|you're|youre|ur) (?:a )?dead(?: man| meat"
        r"| woman)?(?! (?:wrong|right|serious|on|set|end|heat|weight|ringer|center|centre"
        r"|last))\b(?! \S+ing)",
        False,
    ),
    (
        "threat",
        0.95,
        "threat",
        r"\b(?:(?:you|u|ya|he|she|they)(?: will| are going to| gonna| ll)?|you'll|he'll|she'll"
        r"|they'll|you're going to|youre going to|you're gonna|youll) (?:be|get) (?:shot|killed"
        r"|hanged|hung|stabbed|murdered|beheaded|executed|lynched|raped|burned alive|hurt|beaten"
        r"|beaten up)\b",
        True,
    ),
    (
        "threat",
        0.8,
        "threat",
        r"\b(?:(?:you|u) will|you'll|youll|u'll) (?:regret (?:it|this|that|the day|writing|posting"
        rf"|ever)|pay for {_RETALIATED}|be sorry|not be safe"
        r"|never be safe|disappear)\b"
        r"|\b(?:you|u|your (?:family|kids|children|wife|husband|mother|parents)) (?:won't|wont"
        r"|will not|will never) be safe\b",
        False,
    ),
    # Common idioms of harm: "make you pay", "put you in the ground", "hope you get hit by a bus".
    (
        "threat",
        0.85,
        "threat",
        r"\bmake (?:you|u|ya) (?:pay|suffer|bleed|regret|disappear)\b"
        r"|\bput (?:you|u|ya) (?:in|into|six feet) (?:the ground|a grave|the grave|hospital"
        r"|the hospital|a coffin|a wheelchair|a body ?bag|under)\b"
        r"|\bhope (?:you|u|ya|he|she|they) (?:get|gets|catch|catches) (?:hit|run over|cancer"
        r"|killed|shot|stabbed|raped|beaten)\b",
        False,
    ),
    (
        "threat",
        0.85,
        "threat",
        r"\b(?:someone|somebody|people|they|we) (?:should|must|need to|ought to|have to|has to"
        r"|needs to|will) (?:\S+ ){0,2}?(?:shoot|kill|hang|stab|lynch|execute|behead|murder"
        r"|take out|get rid of|deal with) (?:you|him|her|them|this guy|that guy|this man"
        r"|that woman|the author)\b|\b(?:someone|somebody) (?:should|must|needs? to|ought to"
        r"|has to|have to|will|could) (?:\S+ ){0,2}?(?:shoot|kill|hang|stab|lynch|execute|behead"
        r"|murder|strangle|poison)\b|\bhope (?:someone|somebody) (?:\S+ )?(?:kills|shoots|stabs"
        r"|hangs|murders|puts a)\b",
        False,
    ),
    (
        "threat",
        0.85,
        "threat",
        r"\b(?:should|must|deserves? to|ought to|needs? to|has to"
        rf"|have to) (?:all )?be (?:publicly |slowly |just |simply )?{_EXECUTION}\b(?! down)",
        False,
    ),
    (
        "threat",
        0.95,
        "threat",
        r"\b(?:put|puts|putting) (?:a )?(?:bullet|bullets|round) (?:in|into|through|between)\b",
        True,
    ),
    ("threat", 0.9, "threat", r"\b(?:slit|cut) (?:your|his|her|their) (?:throat|throats)\b", True),
    (
        "threat",
        0.92,
        "threat",
        r"\b(?:kill|shoot|hang) (?:yourself|urself|yourselves)\b|\bkys\b|\bgo die\b|\bdrop dead\b"
        r"|\b(?:you|u) (?:should|deserve to|need to|ought to) die\b",
        True,
    ),
    (
        "threat",
        0.9,
        "threat",
        r"\b(?:i|we) hope (?:you|u|he|she|they) (?:die|dies|get killed|gets killed|get raped"
        r"|gets raped|burn|burns|get shot|gets shot|rot)\b",
        False,
    ),
    (
        "threat",
        0.85,
        "threat",
        r"\b(?:(?:we|they) will|we'll|they'll) (?:come|be coming) (?:for|to) (?:you|your)\b"
        r"|\bcome to your (?:house|home|door|work)\b|\bsee you (?:outside|in person|soon) (?:and"
        r"|you)\b",
        False,
    ),
    # Russian, Turkish, Azerbaijani, Armenian, French, German, Spanish threats.
    (
        "threat",
        0.98,
        "threat",
        r"\b(?:я )?(?:тебя |вас |его )?(?:убью|урою|зарежу|пристрелю|застрелю"
        r"|прикончу)(?: (?:тебя|вас|его|её|ее))?\b|\bseni (?:öldüreceğim|öldürecegim|öldürürüm"
        r"|gebertirim|gebertecegim|geberteceğim|keserim|vururum)\b|\bsəni (?:öldürəcəm"
        r"|öldürəcəyəm|öldürərəm)\b|\bքեզ (?:կսպանեմ|կսպանենք)\b|\bkez kspanem\b|\bqez kspanem\b"
        r"|\bje vais (?:te|vous) (?:tuer|buter|égorger|crever)\b|\bich (?:bringe|bring"
        r"|werde) (?:dich|euch) um\b|\bich (?:bringe|bring) (?:dich|euch) (?:\S+ )?um\b"
        r"|\bte voy a matar\b|\bos voy a matar\b|\bte mato\b",
        True,
    ),
    (
        "threat",
        0.9,
        "threat",
        r"\b(?:я )?знаю,? где (?:ты живешь|ты живёшь|вы живете|вы живёте|ты работаешь)\b"
        r"|\bнайду тебя\b|\bтебя найду\b|\bтебе (?:конец|не жить|хана)\b|\bnerede (?:oturduğunu"
        r"|oturdugunu|yaşadığını|yasadigini) biliyorum\b|\bseni bulacağım\b|\bseni bulacagim\b"
        r"|\bharada yaşadığını bilirəm\b|\bգիտեմ որտեղ ես ապրում\b|\bje sais où tu (?:habites"
        r"|vis)\b|\bich weiß,? wo du wohnst\b|\bich weiss,? wo du wohnst\b|\bsé dónde vives\b"
        r"|\bse donde vives\b",
        False,
    ),
    (
        "threat",
        0.85,
        "threat",
        r"\b(?:надо|нужно|следует|пора|должны|должен) (?:\S+ ){0,2}?(?:расстрелять|повесить|убить"
        r"|уничтожить|вырезать|сжечь|истребить|перебить|пристрелить|кастрировать)\b|\b(?:asılmalı"
        r"|asilmali|kurşuna dizilmeli|kursuna dizilmeli|öldürülmeli|oldurulmeli|gebermeli"
        r"|öldürülməlidir|güllələnməlidir)\b|\b(?:devrai(?:en)?t|doi(?:ven)?t"
        r"|faut) (?:\S+ ){0,2}?(?:être )?(?:fusillés?|pendus?|tués?|exterminés?|abattus?"
        r"|gazés?)\b|\b(?:sollte|sollten|muss|müssen|gehört|gehören) (?:\S+ ){0,3}?(?:erschossen"
        r"|aufgehängt|vergast|ausgerottet|getötet|abgeknallt)\b|\b(?:deberían|deberia|debería"
        r"|merecen|hay que) (?:\S+ ){0,2}?(?:ser )?(?:fusilad[oa]s?|ahorcad[oa]s?|matad[oa]s?"
        r"|exterminad[oa]s?|matarl[oa]s?|fusilarl[oa]s?)\b",
        False,
    ),
    (
        "threat",
        0.85,
        "threat",
        r"\b(?:сдохни|сдохните|чтоб (?:ты|вы) сдох\w*|gebər|geber|öl git|crève|crevez|verrecke"
        r"|muérete)\b",
        False,
    ),
    # Group hate: a people or religion with dehumanizing or eliminationist words.
    ("group_hate", 0.9, "group hate", rf"{_GROUP} {_DEHUMANIZING_GLUE}{_DEHUMANIZING}", False),
    # Denying a people's humanity needs no insulting word: "X are not human".
    (
        "group_hate",
        0.85,
        "group hate",
        rf"{_GROUP} (?:are|is|r) (?:not|no|n't) (?:even |real |fully )?(?:human|humans|people)\b",
        False,
    ),
    (
        "group_hate",
        0.85,
        "group hate",
        rf"{_GROUP} (?:are|is|r|sind|son|sont|are all|are just|—|-|–) (?:[^\s#]+ )?{_DEHUMANIZING}",
        False,
    ),
    (
        "group_hate",
        0.85,
        "group hate",
        rf"{_tag('deh')} (?:like |such as )?(?:the |these |those |all )?{_GROUP}",
        False,
    ),
    (
        "group_hate",
        0.85,
        "group hate",
        rf"{_START}(?:all |most |every |these |those |the )?{_GROUP} (?:are|r|is) (?:all |just "
        r"|nothing but |born |natural |always |basically |a |an |by nature )*"
        r"(?:terrorists?|rapists?|criminals?|thie(?:f|ves)|thugs?|murderers?|killers?|savages?"
        r"|barbarians?"
        r"|pedophiles?|paedophiles?|inbred|backward|evil|filthy|dirty|invaders?|bandits?|a disease"
        r"|a plague|a cancer|the same|genetically|untrustworthy|liars?|cowards?|traitors?"
        r"|parasites?"
        rf"|{_INSULT}|{_tag('acc', 'deh')})(?!\w)",
        False,
    ),
    (
        "group_hate",
        0.98,
        "call to exterminate a people",
        rf"{_GROUP} (?:\S+ )?(?:should|must|need to|ought to|deserve to|have to|will|shall"
        r"|are going to)"
        rf" (?:all |each |every one )?(?:be |get )?(?:\S+ )?{_ELIMINATION}\b",
        True,
    ),
    (
        "group_hate",
        0.98,
        "call to exterminate a people",
        r"\b(?:kill|exterminate|gas|nuke|wipe out|eradicate|eliminate|slaughter|burn|butcher"
        r"|murder|massacre|shoot|hang|get rid of)"
        rf" (?:all |every |each |the |these |those |every last |every single )*{_GROUP}",
        True,
    ),
    (
        "group_hate",
        0.98,
        "call to exterminate a people",
        rf"\b(?:death to|wipe|wiped) (?:all |the |every )*{_GROUP}"
        rf"|\bthe only good {_GROUP} (?:is|are) (?:a )?dead\b"
        rf"|{_START}{_GROUP} (?:all )?deserve (?:extermination|death|genocide|to die"
        r"|to be exterminated|to be wiped out|to burn)\b"
        rf"|{_START}{_GROUP} (?:don't|do not|shouldn't|should not|doesn't|does not)"
        r" (?:deserve to )?(?:live|exist|breathe)\b",
        True,
    ),
    (
        "group_hate",
        0.75,
        "call to expel a people",
        rf"{_GROUP} (?:\S+ )?(?:should|must|need to|ought to|will) (?:all )?(?:be "
        rf"|get )?{_EXPULSION}\b|\b(?:deport|expel|throw out|kick out) (?:all |every |the |these "
        rf"|those )*{_GROUP}|{_GROUP} (?:out|go home|not welcome|get out)(?: !| \.| $|$)",
        False,
    ),
    (
        "group_hate",
        0.95,
        "call to exterminate a people",
        r"(?:смерть|бей|бить|мочить|резать|вешать|убивать|уничтожать|истребить|вырезать|перебить"
        rf"|убить|уничтожить) (?:всех |этих )?{_GROUP}|{_GROUP} (?:\S+ ){{0,2}}(?:надо|нужно|пора"
        rf"|следует|должны) (?:\S+ ){{0,2}}?(?:уничтожить|убить|расстрелять|вырезать|выгнать"
        r"|сжечь|повесить|истребить|перебить|зачистить|стереть)\b",
        True,
    ),
    (
        "group_hate",
        0.95,
        "call to exterminate a people",
        rf"{_GROUP} (?:\S+ ){{0,2}}(?:öldürülmeli|yok edilmeli|kesilmeli|asılmalı|gebermeli"
        r"|ölmeli|məhv edilməlidir|öldürülməlidir|qırılmalıdır)\S*|(?:il faut"
        rf"|faut) (?:\S+ ){{0,2}}(?:tuer|exterminer|gazer|éliminer) (?:tous )?(?:les )?{_GROUP}"
        rf"|{_GROUP} (?:devraient|doivent) (?:tous )?être (?:exterminés|gazés|tués|éliminés)"
        rf"|{_GROUP} (?:sollten|müssen|gehören) (?:alle )?(?:\S+ )?(?:vergast|ausgerottet|getötet"
        rf"|vernichtet)|hay que (?:matar|exterminar|eliminar) a (?:todos )?(?:los )?{_GROUP}"
        rf"|{_GROUP} (?:deberían|merecen) (?:ser )?(?:exterminados|fusilados|asesinados"
        r"|eliminados)",
        True,
    ),
    (
        "group_hate",
        0.85,
        "group hate",
        r"\b(?:sale|sales|dirty|filthy|schmutzige[rn]?|dreckige[rn]?|грязн\w+|pis"
        rf"|pislik) {_GROUP}",
        False,
    ),
    # Non-English insults aimed at a reader.
    (
        "insult",
        0.8,
        "insult aimed at a reader",
        rf"\b{_SECOND_MULTILINGUAL} (?:\S+ ){{0,3}}?{_PERSON_INSULT}",
        False,
    ),
    # "ты сука", "sen orospu": a swear word right after "you" (many are interjections alone).
    (
        "insult",
        0.75,
        "insult aimed at a reader",
        rf"\b{_SECOND_MULTILINGUAL} {_tag('exs')}(?= [.,!?]| *$)",
        False,
    ),
    (
        "insult",
        0.8,
        "insult aimed at a reader",
        rf"{_PERSON_INSULT} (?:\S+ )?{_SECOND_MULTILINGUAL}\b",
        False,
    ),
    (
        "insult",
        0.75,
        "abuse aimed at a reader",
        r"\b(?:иди|пошел|пошёл|пошла|пошли|идите|вали|валите) (?:ты |вы )?(?:на "
        rf"|в )?(?:{_tag('exs', 'exm')}|к черту|к чёрту)"
        r"|\bзаткни(?:сь|тесь)\b|\bзакрой (?:свой |своё |свое )?(?:рот|пасть|хлебало|варежку"
        rf"|{_tag('exs')})"
        rf"|{_tag('exs')} (?:git|ol|lan|koyayım|koyayim|koyim|koydum|koyarım)\b|\bkapa (?:çeneni"
        r"|ceneni|ağzını|agzini)\b"
        rf"|\bsus lan\b|\bağzını yum\b|\b(?:ananı|anani|ananızı|bacını) {_tag('exs')}"
        r"|\bferme ta (?:gueule|bouche)\b|\bta gueule\b|\bva te faire (?:foutre|enculer)\b"
        r"|\bnique ta (?:mère|mere|race)\b"
        rf"|\bfils de {_tag('abu')}|\bhalt (?:die|deine|dein|den) (?:fresse|klappe|maul|schnauze"
        r"|mund)\b|\bfick dich\b|\bverpiss dich\b"
        rf"|\bcállate\b|\bcallate\b|\bvete a la {_tag('exs')}|\bque te jodan\b|\bvete al carajo\b"
        r"|\bhijo de (?:puta|perra)\b"
        rf"|\b(?:espèce|espece) (?:de |d' ?)?#(?:[a-z]+#)*(?:ins|adj|abu)#"
        r"|\bqu mer[aeə@]?\b|\bku mer[aeə]?\b|\bքու մերը\b|\bքո մերը\b"
        r"|(?:\bէշ|\bշուն|#(?:[a-z]+#)*(?:ins|abu|deh)#(?:[a-z]+#)*) ես\b"
        r"|\b(?:esh|shun|apush|anasun) es\b"
        rf"|\bтвою (?:мать|мамку)\b|\bмамку твою\b|\bsohn einer hure\b",
        False,
    ),
]

# General families: insults, threats and hate tropes that need no listed word. Each pattern is
# a grammatical shape (who is aimed at, what is wished or claimed) rather than a fixed phrase.
_KIN = (
    r"(?:mother|mom|mum|mommy|mummy|father|dad|daddy|parents|family|wife|husband|kids|children"
    r"|child|son|daughter|sister|brother|grandmother|granny)"
)
_PERSON_TARGET = (
    r"(?:you|u|ya|he|she|they|him|her|them|your \S+|his \S+|her \S+|their \S+|ur \S+"
    r"|the (?:author|editor|journalist|writer|reporter|commenter|poster)(?:'s \S+)?"
    r"|this (?:author|editor|journalist|writer|reporter|guy|clown|traitor)(?:'s \S+)?)"
)
# Words between a wish and its verb that turn it around: "I hope he doesn't die".
_NOT_NEGATED = r"(?:(?!(?:not|never|doesn't|don't|won't|didn't|isn't|wouldn't|no)\b)\S+ ){0,2}?"
_HARM_WISH = (
    r"(?:die|dies|died|rot|rots|burn|burns|choke|chokes|drown|drowns|crash|crashes|explode"
    r"|explodes|starve|starves|get (?:raped|killed|shot|stabbed|cancer|hit|run over|beaten|hanged"
    r"|murdered|tortured|aids)|gets (?:raped|killed|shot|stabbed|cancer|hit|run over|beaten"
    r"|hanged|murdered|tortured|aids)|suffer(?:s)? (?:slowly|horribly|forever|a painful|like)"
    r"|never (?:wake|walk) (?:up|again))"
)
# Evaluative nouns that are insults when said of "you", though not on the word lists.
_PREDICATE_INSULT = (
    r"(?:nobody|nonentity|joke|embarrassment|failure|waste of (?:space|oxygen|air|skin|a human"
    r"|carbon|life|sperm)|worm|leech|parasite|coward|nothing|zero|bootlicker|lapdog|puppet"
    r"|sheep|(?:disgrace|embarrassment|insult|shame) to (?:your |the |this |our |their "
    r"|every \S+ )?\S+|mistake|accident|laughing ?stock|pest|creep|freak|sellout|hack"
    r"|troll|stain|virus|plague|cancer|disease|tumou?r)"
)
# Conspiracy and contempt tropes: what a people is claimed to do, verb and object together.
_TROPE = (
    r"(?:control|controls|controlled|own|owns|owned|manipulate|manipulates|rule|rules)"
    r" (?:all |the whole |all of )?(?:the )?(?:global |world |international )?(?:banks|banking"
    r"|media|press|world|money|hollywood|finance|governments|west|politicians|elections)"
    r"\b(?! in | of )|(?:run|runs|ran|running) (?:all |the whole |all of )?(?:the )?(?:global"
    r" |world |international )?(?:banks|banking|media|press|world|hollywood|finance)\b(?! in | of )"
    r"|(?:are|is|were|was) (?:\S+ )?behind (?:every|all|most|each|the)"
    r" (?:\S+ )?(?:wars?|crisis|crises|revolutions?|conflicts?|pandemics?|attacks|terror)\b"
    r"|(?:plot|plots|plotting|scheme|schemes|scheming|conspire|conspiring|want|wants)"
    r" (?:\S+ )?to (?:take over|destroy|replace|rule|control|enslave|wipe out|invade)"
    r"|(?:replace|replacing|replaced|invade|invading|invaded|infiltrate|infiltrating"
    r"|infiltrated|outbreed|outbreeding|poison|poisoning|poisoned) (?:us|our (?:\S+ )?(?:country"
    r"|land|nation|people|race|women|children|blood|culture|wells|water)|europe|the west"
    r"|white people|christians|the white race)\b"
    r"|(?:breed|breeds|multiply|multiplies) like\b"
    r"|(?:spread|spreads|spreading) (?:\S+ )?(?:diseases?|the virus|aids|plague)\b"
    r"|secretly (?:\S+ )?(?:run|running|control|controlling|rule|ruling|own|owning|plan"
    r"|planning|plot|plotting) "
)
# Nouns that insult when said of a person, though each has a literal sense ("a rat").
_PEJORATIVE = (
    r"(?:troll|worm|coward|rat|snake|weasel|slug|maggot|toad|leech|sellout|lapdog|stooge"
    r"|bootlicker|puppet|creep|freak|nobody|waste of (?:space|oxygen|skin|air))s?"
)
# Adjectives of contempt that turn a noun ("troll", "coward") into name-calling.
_SCORNFUL = (
    rf"(?:{_tag('adj')}|sad|pathetic|bitter|miserable|useless|ugly|fat|little|old|small|lonely"
    r"|weak|spineless|gutless|slimy|sneaky|lying|filthy|dirty|disgusting|vile)"
)
_PATTERN_SPECS += [
    # Insults aimed at a reader.
    (
        "insult",
        0.72,
        "insult aimed at a reader",
        rf"\b{_YOU_ARE} {_MODIFIERS}{_PREDICATE_INSULT}(?= (?:[.,!?;:]|and|who|with|in|on)"
        r"| *$)",
        False,
    ),
    (
        "insult",
        0.62,
        "insult aimed at a reader",
        rf"\b(?:{_YOU_ARE}|{_THIRD_PERSON} {_THIRD_BE}) (?:about |just |only )?as (?:useful"
        r"|smart|sharp|bright|clever|intelligent|dense|thick|dumb|stupid|useless|helpful"
        r"|informed|educated) as (?:a|an|the)\b",
        False,
    ),
    (
        "insult",
        0.62,
        "insult aimed at a reader",
        r"\b(?:iq|intelligence|brains?|brain cells?|intellect|mental age) (?:of|like|lower than"
        r"|smaller than) (?:a|an|the|my|your) \S+"
        r"|\b(?:your|you have|you've got|you got|with the|has the|have the|got the) (?:\S+ )?"
        r"(?:reasoning|logic|critical thinking|reading comprehension|wit|attention span"
        r"|intelligence|iq|brains?|common sense|intellect)(?: skills?| abilities| ability)? (?:of"
        r"|like) (?:a|an) \S+"
        r"|\b(?:two|2|one|1|three|single|both|last|only|few|remaining) (?:remaining )?brain"
        r" cells?\b|\b(?:nobody|no one|anyone|anybody|noone) with (?:a |an |half a |one )"
        r"?(?:functioning |working |single |functional )?(?:brain|brain cell|iq|mind)"
        r" (?:\S+ ){0,5}?(?:you|u|your)\b"
        r"|\b(?:your|ur) (?:head|skull) (?:is )?(?:\S+ )?(?:empty|hollow"
        r"|full of (?:air|sawdust|rocks|straw|cotton))\b"
        r"|\bhalf a brain\b|\b(?:your|ur) brain (?:\S+ )?(?:fall|fell|falls|rot|rotted|melt"
        r"|melted|stop|stopped|dead|missing|empty|damage|damaged)\b",
        False,
    ),
    (
        "insult",
        0.62,
        "insult aimed at a reader",
        r"\b(?:every ?time|whenever|each time|when) (?:you|u) (?:\S+ ){1,4}?(?:the )?(?:average"
        r" |collective |combined |local |global )?(?:iq|intelligence|brain ?power|brain cells)"
        r" (?:\S+ ){0,4}?(?:drops|falls|goes down|decreases|plummets|sinks|dies|shrinks)\b"
        rf"|{_ADDRESSED}what an? {_MODIFIERS}(?:{_INSULT}|{_PEJORATIVE}|{_SCORNFUL}"
        rf" {_tag('acc')}) (?:this|that|the|our) (?:\S+ )?(?:is|was)\b"
        rf"|{_ADDRESSED}(?:you|what an?|such an?) (?:{_SCORNFUL}(?: ,)? )*{_PEJORATIVE}(?!\w)"
        rf"|{_ADDRESSED}(?:you|what an?|such an?) (?:{_SCORNFUL}(?: ,)? )+{_tag('acc')}",
        False,
    ),
    (
        "insult",
        0.6,
        "insult aimed at a reader",
        rf"\b(?:your|ur|yo) {_KIN} (?:should|must|would|will|did|should've) (?:have |be |'ve )?"
        r"(?:\S+ )?(?:swallowed|aborted|kept you|dropped you|regret\w*|ashamed|disappointed"
        r"|embarrassed|pulled out|used a condom|stopped|drowned you|left you|sold you|be so)"
        r"|\b(?:your|ur|yo) (?:mother|mom|mum|mama|momma) (?:is|was) (?:a |an )?(?:\S+ )?"
        rf"(?:{_tag('abu', 'slur')}|whore|slut|hooker|prostitute)",
        False,
    ),
    (
        "insult",
        0.62,
        "abuse aimed at a reader",
        r"\b(?:crawl|slither|go) back (?:\S+ )?(?:under|into|in|to) (?:your|whatever|the|that"
        r"|what) (?:\S+ )?(?:rock|hole|cave|sewer|swamp|gutter|basement|pit|bridge|stone)"
        r"|\b(?:go (?:and )?)?play (?:in|on) (?:the )?(?:traffic|motorway|highway|freeway|railway"
        r"|tracks)\b|\b(?:do|doing) (?:us|everyone|the world|society|humanity|this thread) a"
        r" favou?r(?: ,)? (?:and )?(?:\S+ )?(?:stop|shut|leave|disappear|delete|die|jump|go"
        r"|quit|log off|vanish)|\b(?:stop|quit) breathing\b|\bnobody (?:will|would) miss you\b"
        r"|\bshove (?:it|them|this|that|your \S+(?: \S+)?) up (?:your|ur|his|her) \S+"
        rf"|\beat (?:a |my )?(?:bag|bowl|pile|bucket|box) of {_tag('exs', 'exm')}",
        False,
    ),
    (
        "insult",
        0.6,
        "insult aimed at a reader",
        r"\b(?:you|you're|youre|you are|u r|ur) (?:\S+ ){0,3}?(?:living proof|the reason (?:why )?"
        r"(?:shampoo|aliens|they)|a (?:walking|living) (?:argument|advertisement|example) (?:for"
        r"|of|against))\b",
        False,
    ),
    (
        "insult",
        0.58,
        "insult aimed at a person",
        rf"{_ADDRESSED}(?:you |what a |such a |such |an? )?{_tag('adj')}"
        r"(?: ,)? (?:little|old|sad|small|bitter|weak|lonely|fat|ugly|miserable|useless) (?:man"
        r"|men|boy|boys|woman|women|girl|girls|creature|creatures|thing|things|person|people"
        r"|troll|trolls|worm|worms|coward|cowards|excuse)\b",
        False,
    ),
    (
        "insult",
        0.58,
        "insult aimed at a person",
        rf"\b(?:{_THIRD_PERSON} {_THIRD_BE}|{_YOU_ARE}|what an?|such an?) {_MODIFIERS}"
        r"(?:spineless|gutless|brainless|useless|worthless|pathetic|disgusting|vile|slimy|sleazy"
        r"|lying|corrupt|sad|bitter|miserable|ugly|fat|little|dishonest|shameless|sorry)"
        r"(?: ,)? (?:\S+ )?(?:worm|rat|snake|weasel|slug|maggot|toad|leech|parasite|hack"
        r"|creature|nobody|excuse for a \S+|waste|coward|sellout|lapdog|stooge|bootlicker"
        r"|puppet|troll|liar)s?\b",
        False,
    ),
    # Threats: harm wished on or promised to a person, doxxing, menace with a consequence.
    (
        "threat",
        0.88,
        "threat",
        rf"\bhope (?:that )?{_PERSON_TARGET} {_NOT_NEGATED}{_HARM_WISH}\b"
        rf"|\b(?:may|let) {_PERSON_TARGET} {_NOT_NEGATED}(?:die|rot|burn|choke|suffer|drown)\b"
        rf"|\bwish (?:that )?{_PERSON_TARGET} {_NOT_NEGATED}(?:would |will )?{_HARM_WISH}\b",
        False,
    ),
    (
        "threat",
        0.85,
        "threat",
        r"\b(?:[a-z]+ ){0,2}like (?:you|u|ya|this author|the author) (?:\S+ ){0,3}?(?:(?:end"
        r"|ends|wind|winds) up (?:\S+ ){0,3}?(?:ditch|ditches|grave|graves|hospital|river|morgue"
        r"|coffin|coffins|body ?bags?|gutter|wheelchair|ground|lake|sea|forest|bottom|dead|missing"
        r"|hanged|hanging|six feet)|get found|are found|get shot|get killed|get hurt|disappear"
        r"|don't live long|do not live long|never live long|tend to die|die young|have accidents"
        r"|get what)\b",
        False,
    ),
    (
        "threat",
        0.85,
        "threat",
        r"\b(?:accidents|bad things|terrible things|things|nasty things) (?:\S+ )?(?:happen|can"
        r" happen|tend to happen|often happen|will happen|might happen) to (?:people|journalists"
        r"|reporters|those|critics|authors|writers|you|your \S+|bloggers|activists|such"
        r" people|loudmouths) (?:who|that|like)\b"
        rf"|\b(?:see|watch|wait and see|you'll see) what (?:will )?happens? (?:to|with) (?:you|your"
        rf" {_KIN}|your (?:house|home|car|face|legs|dog))\b|\b(?:shame|pity) if something"
        r" (?:\S+ )?happened to (?:you|your)\b",
        False,
    ),
    (
        "threat",
        0.85,
        "threat",
        r"\b(?:enjoy|count|savou?r) your (?:last|remaining|final) (?:days|day|hours|weeks|months"
        r"|breaths?|moments|nights?)\b(?! (?:of|in|at|on|before|here|there|with))"
        r"|\byour (?:last|final) (?:days|hours|breath) (?:are|is)\b"
        r"|\b(?:you|u) (?:won't|wont|will not) be (?:smiling|laughing|so brave|so tough|so cocky"
        r"|so smug|so loud|talking|so funny) (?:\S+ ){0,2}?(?:when|once|after)\b"
        r"|\bsee how (?:brave|tough|big|smart|cocky|loud|funny|hard) (?:you|u) (?:are|will be"
        r"|feel|'ll be)(?: (?:\S+ ){0,3}?(?:when|once|after|face|in person))?"
        r"|\b(?:when|once|after|until|before) (?:we|i|my (?:boys|friends|guys))"
        r" (?:find|catch|get|grab|meet) (?:you|u)(?: (?:alone|in person|outside"
        r"|in the street))?(?= [.,!?]| *$| (?:you|we|i|and))"
        rf"|{_I_WILL} (?:\S+ )?(?:find out|figure out|learn|get|discover) where (?:you|u|your \S+)"
        r" (?:live|lives|work|works|sleep|sleeps|study|studies|go to school)\b"
        r"|\b(?:a |the )?(?:bullet|rope|noose|grave|coffin|knife|body ?bag)s? (?:\S+ )?with"
        r" (?:your|ur|his|her) name on (?:it|them)\b"
        r"|\b(?:finding|tracking|hunting|locating) (?:you|u)(?: down)? (?:\S+ ){0,2}?(?:easier"
        r"|easy|simple|won't be hard|is easy)\b",
        False,
    ),
    (
        "threat",
        0.85,
        "threat",
        rf"\b(?:{_VICTIM}|he|she|they|traitors like \S+) (?:will|shall|is going to|are going to"
        r"|'ll|ll|gonna) (?:hang|swing|be strung up|hang from|be hanging)\b",
        False,
    ),
    (
        "threat",
        0.85,
        "threat",
        r"\b(?:you|u) (?:won't|wont|will not|will never) (?:walk|make it|get|go|come) (?:home"
        r"|back|out alive)\b|\b(?:you|u) (?:won't|wont|will not|will never) (?:be able to )?(?:walk"
        r"|talk|write|see|type) (?:again|anymore|straight)\b",
        False,
    ),
    (
        "threat",
        0.85,
        "threat",
        r"\b(?:shut|silence|close|stop) (?:you|u|your (?:\S+ )?(?:mouth|trap|face|pen)|him|her"
        r"|them) (?:up )?(?:for good|forever|permanently|once and for all)\b",
        False,
    ),
    (
        "threat",
        0.85,
        "threat",
        r"\b(?:a |the )?(?:rope|noose|bullet|bullets|grave|coffin|body ?bag|lamp ?post|wall"
        r"|lantern|gallows|guillotine)s? (?:is |are )?(?:waiting|ready|reserved|being prepared"
        r"|with your name) (?:\S+ ){0,2}?(?:for )?(?:you|u|every|all|each|people like|your"
        r"|traitors|him|her|them)\b",
        False,
    ),
    (
        "threat",
        0.85,
        "threat",
        rf"\b(?:you|u|your {_KIN}|your (?:people|loved ones)) (?:will|'ll|ll|are going to|is going"
        rf" to|are gonna|is gonna|shall) (?:\S+ )?(?:pay (?:for {_RETALIATED}"
        r"|dearly|with (?:your|their|his|her) (?:lives?|blood))|bleed|regret it|be punished"
        r"|be next|be hurt)\b(?! (?:at the (?:ballot|polls)|in (?:taxes|the elections?)))",
        False,
    ),
    (
        "threat",
        0.88,
        "threat",
        r"\b(?:your|ur) (?:home |real |full |work |home's )?(?:address|addresses|phone number"
        r"|number|location|workplace|real name|photos?|details|kids' school|children's school)"
        r" (?:\S+ ){0,3}?(?:going up|goes up|go up|will be (?:posted|published|shared|everywhere"
        r"|online|public|leaked)|is (?:now )?(?:posted|online|out|public|everywhere)|leaked"
        r"|getting posted|being shared)\b|\b(?:post|publish|share|leak|spread|dox|doxx)"
        r"(?:ing)? (?:your|ur) (?:home |real |full )?(?:address|number|location|family|details"
        r"|real name|workplace)\b|\b(?:dox|doxx)(?:ed|ing)? (?:you|u)\b",
        False,
    ),
    (
        "threat",
        0.9,
        "threat",
        r"\b(?:seni|sizi|onu|sənı|səni) (?:\S+ )?(?:öldür\w+|oldur\w+|gebert\w+|boğacağ\w+"
        r"|boğarım|vuracağ\w+|vuraca\w+|doğrayacağ\w+|öldürəc\w+)"
        r"|\b(?:тебя|вас|его|её|ее|тебе|вам) (?:\S+ )?(?:убь\w+|убьем|убьём|прибь\w+|зареж\w+"
        r"|закопа\w+|пристрел\w+|урою|уроем|порешим|порешу|грохну|грохнем|найд[её]м|найду)\b"
        r"|\b(?:убь[её]м|прибь[её]м|закопа[её]м|уроем|найд[её]м|зарежем) (?:тебя|вас|его)\b",
        False,
    ),
    # Group hate: the tropes of conspiracy and contempt, said of a people or a religion.
    (
        "group_hate",
        0.72,
        "hateful claim about a people",
        rf"{_START}(?:the |all |these |those |most |every )?{_GROUP} (?:people |men |women )?"
        r"(?:(?:are|is|have|has|were|have always|are all|are secretly|secretly|always|all|still"
        r"|basically|really|just|now|literally|actually) ){0,2}"
        rf"{_TROPE}",
        False,
    ),
    (
        "group_hate",
        0.72,
        "hateful claim about a people",
        rf"{_START}(?:the |all |these |those |most |every )?{_GROUP} (?:people )?(?:are|is|were)"
        r" (?:all |just |always |secretly |really |basically )*(?:a |an |the )?(?:plot|conspiracy"
        r"|infestation|invasion|disease|plague|cancer|virus|tumou?r|threat to (?:our|the|white)"
        r"|danger to (?:our|the)|stain|curse|problem (?:with|of) (?:this|the) (?:world|country"
        r"|planet)|enemy of)\b"
        rf"|{_START}(?:the |all |these |those |most |every )?{_GROUP} (?:people |men |women )?"
        r"(?:are|is) (?:all |just |always |genetically |naturally |inherently |simply )?(?:too"
        rf"|so|born|genetically) {_tag('adj', 'ins')}",
        False,
    ),
    (
        "group_hate",
        0.72,
        "hateful claim about a people",
        rf"{_GROUP} (?:\S+ ){{0,10}}?(?:in|it's in|it is in) their (?:blood|dna|genes)\b"
        rf"|{_GROUP} (?:\S+ ){{0,3}}?(?:like|as) (?:\S+ )?(?:rats|rabbits|cockroaches|vermin|flies"
        rf"|insects|locusts|lice|maggots|animals|{_tag('deh')})",
        False,
    ),
]


# The decimal digits `\\d` matches in comments: ASCII, Arabic-Indic and Persian.
_DIGITS = (
    "0123456789" + "".join(map(chr, range(0x660, 0x66A))) + "".join(map(chr, range(0x6F0, 0x6FA)))
)


def _first_characters(items) -> tuple[set[str] | None, bool]:
    """Return the characters a parsed regex can start with (None: any) and if it can be empty."""
    from re import _constants as sre  # the parser's own constants; a speed-up only

    characters: set[str] = set()
    for op, argument in items:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue  # zero-width: the next item consumes the first character
        if op is sre.LITERAL:
            characters.add(chr(argument))
            return characters, False
        if op is sre.IN:
            for kind, value in argument:
                if kind is sre.LITERAL:
                    characters.add(chr(value))
                elif kind is sre.RANGE and value[1] - value[0] < 256:
                    characters.update(map(chr, range(value[0], value[1] + 1)))
                elif kind is sre.CATEGORY and value is sre.CATEGORY_DIGIT:
                    characters.update(_DIGITS)
                else:
                    return None, False
            return characters, False
        if op is sre.SUBPATTERN:
            found, empty = _first_characters(argument[-1])
        elif op is sre.BRANCH:
            found, empty = set(), False
            for branch in argument[1]:
                branch_found, branch_empty = _first_characters(branch)
                if branch_found is None:
                    return None, False
                found |= branch_found
                empty |= branch_empty
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            found, empty = _first_characters(argument[2])
            empty = empty or argument[0] == 0
        else:
            return None, False
        if found is None:
            return None, False
        characters |= found
        if not empty:
            return characters, False
    return characters, True


def _with_first_character_check(pattern: str) -> re.Pattern:
    """Compile `pattern` behind a check of its first character.

    A pattern that starts with "\\b" or a lookbehind is tried at every position of the text,
    which costs several microseconds per pattern; a leading character class lets the regex
    engine skip ahead to where a match can start.
    """
    try:
        from re import _parser

        characters, empty = _first_characters(_parser.parse(pattern).data)
    except (ImportError, AttributeError, re.error, RecursionError):
        characters, empty = None, True
    if not characters or empty:
        return re.compile(pattern)
    charset = "".join(sorted(re.escape(character) for character in characters))
    return re.compile(f"(?=[{charset}])(?:{pattern})")


def _compile_patterns() -> list[tuple[str, float, str, re.Pattern, bool]]:
    compiled = []
    for spec in _PATTERN_SPECS:
        category, score, label, pattern = spec[:4]
        explicit = spec[4] if len(spec) > 4 else False
        compiled.append((category, score, label, _with_first_character_check(pattern), explicit))
    return compiled


_PATTERNS = _compile_patterns()

# --- Toxicity -------------------------------------------------------------------------------

_WORD_HIT_LABELS = {
    "slur": ("slur", _SLUR),
    "abu": ("profanity", _ABUSIVE_WORD),
    "exs": ("profanity", _STRONG_EXPLETIVE),
    "exm": ("profanity", _MILD_EXPLETIVE),
    "ins": ("insult", _INSULT_WORD_ALONE),
    "adj": ("insult", _INSULT_WORD_ALONE),
}
_WORD_HIT_KINDS = {
    "slur": "slur",
    "abu": "abusive word",
    "exs": "profanity",
    "exm": "mild profanity",
    "ins": "insulting word",
    "adj": "insulting word",
}
_SECOND_PERSON_WORDS = frozenset(
    {
        *("you", "u", "ya", "ur", "your", "you're", "youre", "yourself", "yourselves"),
        *("ты", "вы", "тебя", "тебе", "sen", "sən", "siz", "seni", "səni", "senin"),
        *("du", "dich", "dir", "ihr", "euch", "tu", "toi", "t'es", "vous", "tú", "eres"),
        *("դու", "դուք", "քեզ"),
    }
)
_LEXICON_PRIORITY = ("slur", "abu", "exs", "ins", "adj", "exm")


@dataclass(slots=True)
class _EditableList:
    """A moderator's block or allow list: single words (with * wildcards) and phrases."""

    words: _WordList
    phrases: re.Pattern | None

    @classmethod
    def build(cls, entries: tuple[str, ...]) -> "_EditableList":
        words, phrases = [], []
        for entry in entries:
            entry = entry.strip().casefold()
            if not entry:
                continue
            if " " in entry.strip("*"):
                normalized = " ".join(t.text for t in text_prepare(entry.replace("*", " ")).tokens)
                if normalized:
                    phrases.append(r"\b" + re.escape(normalized).replace(r"\ ", " ") + r"\b")
            else:
                words.append(entry)
        pattern = re.compile("|".join(phrases)) if phrases else None
        return cls(_WordList(words), pattern)

    def word_matches(self, token: Token) -> bool:
        return any(form in self.words for form in token.forms())

    def phrase_spans(self, prepared: PreparedText) -> list[tuple[int, int]]:
        if self.phrases is None:
            return []
        return [
            (prepared.token_at(m.start()), prepared.token_at(max(m.end() - 1, m.start())))
            for m in self.phrases.finditer(prepared.normalized)
        ]


@lru_cache(maxsize=32)
def _editable_list(entries: tuple[str, ...]) -> _EditableList:
    return _EditableList.build(entries)


def _is_evasion(original: str) -> bool:
    """Tell a disguised word ("f.u.c.k", "sh1t", "іdiot") from self-censorship ("f*ck")."""
    visible = "".join(c for c in original if c not in "*#%")
    return not (visible.isascii() and visible.isalpha()) or any(
        c in INVISIBLE_CHARACTERS for c in original
    )


@dataclass(slots=True)
class _Analysis:
    prepared: PreparedText
    tags: list[tuple[str, ...]]
    resolved: list[str]  # the form that matched a list, or the canonical form
    counted: list[bool]  # False for words on the allow list or read as names
    tagged: str
    tagged_offsets: list[int]
    in_quote: list[bool]
    sentence_text: dict[int, str]
    _sentence_context: dict[int, tuple[bool, bool]] = field(default_factory=dict)

    def tagged_token_at(self, position: int) -> int:
        low, high = 0, len(self.tagged_offsets) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self.tagged_offsets[middle] <= position:
                low = middle
            else:
                high = middle - 1
        return max(low, 0)

    def context_factor(self, first: int, last: int) -> float:
        """Weaken a hit inside a quote or a report that condemns it."""
        sentence = self.prepared.tokens[first].sentence
        if sentence not in self._sentence_context:
            around = " ".join(
                self.sentence_text.get(index, "")[:1000]
                for index in (sentence - 1, sentence, sentence + 1)
            )
            own = self.sentence_text.get(sentence, "")[:1000]
            condemned = _CONDEMNATION.search(around) is not None
            reported = _REPORTING.search(own) is not None and not _FIRST_PERSON_REPORTING.search(
                own
            )
            self._sentence_context[sentence] = (condemned, reported)
        condemned, reported = self._sentence_context[sentence]
        quoted = any(self.in_quote[first : last + 1])
        if not quoted and any(
            token.text in _SECOND_PERSON_WORDS for token in self.prepared.tokens[first : last + 1]
        ):
            return 1.0  # "you are an idiot and a disgrace" addresses a reader, reports nothing
        if quoted and (condemned or reported):
            return 0.2
        if reported and condemned:
            return 0.3
        if quoted:
            return 0.6
        if reported:
            return 0.8
        return 1.0


def _analyse(prepared: PreparedText, allow: _EditableList) -> _Analysis:
    lexicon = _lexicon()
    tokens = prepared.tokens
    allowed_by_phrase: set[int] = set()
    for first, last in allow.phrase_spans(prepared):
        allowed_by_phrase.update(range(first, last + 1))
    tags: list[tuple[str, ...]] = []
    resolved: list[str] = []
    counted: list[bool] = []
    for index, token in enumerate(tokens):
        if not token.is_word:
            tags.append(())
            resolved.append(token.text)
            counted.append(True)
            continue
        if index in allowed_by_phrase or allow.word_matches(token):
            tags.append(())
            resolved.append(token.text)
            counted.append(False)
            continue
        found, form_found = lexicon.lookup(token.forms())
        is_name = (
            found
            and set(found) <= {"exm", "abu"}
            and token.titlecase
            and index + 1 < len(tokens)
            and tokens[index + 1].is_word
            and tokens[index + 1].titlecase
        )
        if is_name:  # "Dick Cheney", "Fanny Ardant": a first name, not a swear word
            found = ()
        tags.append(found)
        resolved.append(form_found)
        counted.append(not is_name)
    pieces = []
    offsets = []
    position = 0
    for token, token_tags in zip(tokens, tags, strict=True):
        piece = "#" + "#".join(token_tags) + "#" if token_tags else token.text
        offsets.append(position)
        pieces.append(piece)
        position += len(piece) + 1
    in_quote = []
    inside = False
    for token in tokens:
        if not token.is_word and token.text in _QUOTE_MARKS:
            inside = not inside
            in_quote.append(False)
            continue
        in_quote.append(inside)
    if inside:  # an unclosed quote mark is an apostrophe or a typo, not a quotation
        in_quote = [False] * len(tokens)
    sentences: dict[int, list[str]] = {}
    for token in tokens:
        sentences.setdefault(token.sentence, []).append(token.text)
    return _Analysis(
        prepared,
        tags,
        resolved,
        counted,
        " ".join(pieces),
        offsets,
        in_quote,
        {index: " ".join(words) for index, words in sentences.items()},
    )


def _toxicity_hits(analysis: _Analysis, block: _EditableList) -> list[_Hit]:
    prepared = analysis.prepared
    tokens = prepared.tokens
    hits: list[_Hit] = []
    blocked = block.phrase_spans(prepared)
    blocked += [
        (i, i) for i, token in enumerate(tokens) if token.is_word and block.word_matches(token)
    ]
    for first, last in blocked:
        label = f"blocked word: '{prepared.quote_tokens(first, last)}'"
        hits.append(_Hit(1.0, "blocked_word", label, first, last, explicit=True))
    for index, token_tags in enumerate(analysis.tags):
        tag = next((t for t in _LEXICON_PRIORITY if t in token_tags), None)
        if tag is None:
            continue
        category, score = _WORD_HIT_LABELS[tag]
        token = tokens[index]
        original = prepared.original[token.start : token.end]
        evasive = token.obfuscated and _is_evasion(original)
        if evasive and tag in ("exs", "abu", "slur", "ins", "adj"):
            score += _EVASION_BONUS
        score *= analysis.context_factor(index, index)
        label = f"matched '{prepared.quote_tokens(index, index)}' ({_WORD_HIT_KINDS[tag]})"
        hit = _Hit(score, category, label, index, index)
        hits.append(hit)
        if token.obfuscated:
            hits.append(_Hit(0.0, "obfuscated", "", index, index))
    for category, score, label, pattern, explicit in _PATTERNS:
        for match in pattern.finditer(analysis.tagged):
            first = analysis.tagged_token_at(match.start())
            last = analysis.tagged_token_at(max(match.end() - 1, match.start()))
            covered = {tag for token_tags in analysis.tags[first : last + 1] for tag in token_tags}
            boosted = score
            if category == "insult":
                if "slur" in covered:
                    boosted = max(boosted, 0.95)
                elif "abu" in covered:
                    boosted = max(boosted, 0.88)
                elif "exs" in covered:
                    boosted = max(boosted, min(boosted + 0.05, 0.9))
            factor = analysis.context_factor(first, last)
            quote = prepared.quote_tokens(first, last)
            hits.append(
                _Hit(
                    boosted * factor,
                    category,
                    f"{label}: '{quote}'",
                    first,
                    last,
                    explicit=explicit and factor == 1.0,
                )
            )
    return hits


def _model_weight(analysis: _Analysis) -> float:
    """Weigh the profanity model by whether its swear words are aimed at someone."""
    tokens = analysis.prepared.tokens
    swear_positions = [i for i, token_tags in enumerate(analysis.tags) if token_tags]
    if not swear_positions:
        return _MODEL_WEIGHT
    targeted = any(
        tokens[j].is_word and tokens[j].text in _SECOND_PERSON_WORDS
        for i in swear_positions
        for j in range(max(i - 3, 0), min(i + 4, len(tokens)))
    )
    factor = min(analysis.context_factor(i, i) for i in swear_positions)
    return (_MODEL_WEIGHT_TARGETED if targeted else _MODEL_WEIGHT) * factor


def _toxicity(analysis: _Analysis, block: _EditableList) -> tuple[float, list[_Hit]]:
    hits = _toxicity_hits(analysis, block)
    scoring = [hit for hit in hits if hit.score > 0]
    strongest = max((hit.score for hit in scoring), default=0.0)
    categories = {hit.category for hit in scoring if hit.score >= 0.5}
    if len(categories) > 1:
        strongest += 0.03 * (len(categories) - 1)
    model_text = " ".join(
        form for form, counted in zip(analysis.resolved, analysis.counted, strict=True) if counted
    )
    probability = _profanity_model().probability(model_text)
    toxicity = 1 - (1 - min(strongest, 1.0)) * (1 - _model_weight(analysis) * probability)
    if not any(hit.explicit and hit.score >= 0.98 for hit in scoring):
        toxicity = min(toxicity, _CAP_UNLESS_EXPLICIT)
    return round(min(max(toxicity, 0.0), 1.0), 4), hits


# --- Spam -----------------------------------------------------------------------------------

_TLDS = (
    "com|net|org|ru|io|xyz|top|info|biz|co|me|am|az|ge|tr|de|fr|es|uk|us|eu|online|site|club"
    "|shop|live|app|ly|gl|to|cc|tk|ml|ga|cf|gq|pw|su|ua|by|kz|in|cn|ir|it|nl|pl|se|ch|at|be"
    "|news|tv|fm|gg|ai|vip|win|bet|casino|loan|store|link|click|pro|icu|buzz|rest|fun|space"
    "|website|today|money|finance|trade|market|cash|io|ws|cx|su|рф"
)
_URL = re.compile(
    r"(?:\bhttps?://|\bwww\.)[^\s<>\"'()\[\]{}]+"
    rf"|(?<![@\w.-])(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{_TLDS})\b(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)
_DISGUISED_URL = re.compile(
    rf"\b[a-z0-9-]{{2,63}} ?(?:\[\.\]|\(\.\)|\[dot\]|\(dot\)|\{{dot\}}| dot | \. )(?:{_TLDS})\b"
    r"|\bhxxps?://",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\b[\w.+-]{2,64}@[\w-]{2,63}(?:\.[\w-]{2,63})+\b")
# Cheap top-level domains and host names that sell something; outlets rarely link to them.
_SPAMMY_HOST = re.compile(
    r"\.(?:xyz|top|club|shop|click|win|vip|online|site|buzz|icu|rest|loan|bet|casino|cash|money"
    r"|trade|fun|space|website|store)$|(?:casino|bet|loan|pills|pharma|replica|crypto|btc|coin"
    r"|airdrop|giveaway|cheap|deal|discount|follower|escort|dating|singles|bonus)"
)
# An offer and a call to action together are the shape of most advertising spam.
# Advertising words; two of them are enough ("casino ... free bonus").
_OFFER = _with_first_character_check(
    r"\b(?:\d+ ?% (?:off|discount)|discount|bonus|free (?:spins|bonus|gift|trial|money)|jackpot"
    r"|casino|betting|loan|loans|pills|weight loss|cheap|giveaway|prize|escorts?|dating"
    r"|hot deal|best deal|special offer|limited offer"
    r"|bonus\w*)\b"
)
# Money words are also the vocabulary of economics comments: they count only with a call to
# action.
_MONEY_OFFER = _with_first_character_check(
    r"\b(?:income|profits?|earn \S+|salary|доход\w*|заработ\w*|kazan\w*|gagne\w*|verdien\w*"
    r"|gana\w*)\b"
)
_CALL_TO_ACTION = _with_first_character_check(
    r"\b(?:order now|call now|call us|buy now|book now|register (?:now|today)|sign up|join now"
    r"|apply (?:now|today)|click (?:here|now|the link)|write (?:me|to me|us)|contact (?:me|us)"
    r"|text (?:me|us)|dm me|message me|email (?:me|him|her|us)|whatsapp|telegram"
    r"|пиши\w*|звони\w*|hemen|kayıt ol"
    r"|contactez|schreib\w*|escríbeme|llama)\b"
)
_REFERRAL = _with_first_character_check(
    r"\b(?:contact|reach|write to|email|text|call|message|whatsapp) (?:him|her|them|agent|mr|mrs|ms"
    r"|dr|doctor|hacker|expert|specialist|the recovery|this (?:man|woman|company|expert))\b"
)
_PHONE = re.compile(r"(?<![\w+])\+?\d[\d ().-]{7,20}\d(?!\w)")
_HANDLE = re.compile(r"(?<![\w@])@[a-z0-9_]{4,}", re.IGNORECASE)
# "contact @someone", "DM me at @someone": a handle offered as a way to reach the writer.
_HANDLE_INVITE = re.compile(
    r"\b(?:contact|dm|message|text|reach|write to|follow|add|join)\s+(?:me\s+)?(?:at\s+|on\s+)?"
    r"@[a-z0-9_]{4,}",
    re.IGNORECASE,
)
_MONEY_AMOUNT = (
    r"(?:[$€£₽₺]\s?\d[\d,.]*\s?k?|\d[\d,.]*\s?k?\s?(?:\$|€|£|usd|eur|dollars|euros|usdt"
    r"|btc|eth|rubles?|roubles?|lira|manat|dram|рубл\w*))"
)
# "Invest $250 and get $5000": an amount turned into a bigger one is a scam's promise.
_MONEY_MULTIPLIED = re.compile(
    rf"{_MONEY_AMOUNT}[^.!?\n]{{0,40}}?\b(?:get|receive|earn|make|return|returns|turn (?:it )?into"
    rf"|becomes?|grows? to|withdraw|profit of)\b[^.!?\n]{{0,20}}?{_MONEY_AMOUNT}",
    re.IGNORECASE,
)
_WITHIN_DAYS = re.compile(
    r"\b(?:in|within|after) (?:just |only )?\d+ (?:hours?|days?|weeks?)\b|\b(?:24|48) ?h\b",
    re.IGNORECASE,
)
_MESSENGER = re.compile(
    r"\b(?:telegram|whatsapp|whats app|signal|viber|wechat|instagram|insta|snapchat|телеграм\w*"
    r"|ватсап)\b",
    re.IGNORECASE,
)
_REPEATED = re.compile(r"(\S)\1{7,}")
_MONEY_WORDS = re.compile(
    r"(?:[$€£₽]\s?\d|\d\s?(?:[$€£₽]|usd|usdt|eur|btc|dollars|euros))|\b(?:bitcoin|btc|usdt|crypto"
    r"|forex|profit|income|earn\w*|invest\w*|cash|loan)\b",
    re.IGNORECASE,
)
_CONTACT_WORDS = re.compile(
    r"\b(?:contact|dm|inbox|message|text|call|write|reach|click|visit|join|sign up|register"
    r"|link in|whatsapp|telegram)\b",
    re.IGNORECASE,
)


# Shapes of spam that need no listed phrase: what is sold, how readers are told to act.
# An account or wallet said to be blocked, and a request to confirm it: phishing.
_PHISHING = _with_first_character_check(
    r"\b(?:your|ur) (?:\S+ )?(?:account|wallet|card|password|profile|mailbox|access|payment)"
    r" (?:\S+ )?(?:has been|have been|was|will be|is|is being|are) (?:temporarily |permanently )?"
    r"(?:suspended|locked|frozen|compromised|blocked|disabled|limited|restricted|deactivated"
    r"|closed|deleted|on hold|flagged)\b"
)
_CREDENTIALS = _with_first_character_check(
    r"\b(?:verify|confirm|validate|restore|unlock|reactivate|update|enter|sync|log ?in|sign in)"
    r" (?:\S+ ){0,3}?(?:details|account|identity|information|info|access|seed phrase|recovery"
    r" phrase|private key|password|wallet|card)\b|\b(?:seed|recovery|secret) phrase\b"
    r"|\bprivate key\b"
)
# Goods whose sale in a comment is the spam: fake papers, essays, social-media numbers.
_GOODS = _with_first_character_check(
    r"\b(?:(?:fake|real or fake|novelty|registered|genuine|original|legit|authentic|buy|get|order"
    r"|obtain) (?:\S+ ){0,3}?(?:diplomas?|degrees?|passports?|licen[cs]es?|id cards?|ids"
    r"|certificates?|visas?|residence permits?|documents|transcripts)"
    r"|(?:diplomas?|degrees?|certificates?) (?:\S+ )?(?:without|with no|no) (?:exams?|study"
    r"|studying|attendance|classes)"
    r"|(?:buy|get|cheap|real|instant|active|\d[\d,.]*k?) (?:\S+ ){0,2}?(?:followers|likes|views"
    r"|subscribers|upvotes|reviews|retweets)"
    r"|(?:write|writing|do) (?:my|your) (?:essay|homework|assignment|thesis|dissertation"
    r"|coursework)s?|essay (?:writing|writers?|help|service)|(?:backlinks?|guest posts?|pbn"
    r"|da \d+|seo (?:services?|package|boost))"
    r"|(?:sure[- ]?win|fixed|guaranteed|vip|100 ?% sure) (?:\S+ ){0,2}?(?:predictions?|tips|matches"
    r"|odds|bets?)|betting tips|\d+ odds (?:daily|every day|today)"
    r"|(?:viagra|cialis|tramadol|xanax|oxycodone|adderall|valium|ozempic|phentermine)"
    r"|without (?:a )?prescription|no prescription"
    r"|(?:hot|lonely|sexy|local|horny|beautiful|single) (?:\S+ )?(?:singles|girls|women|ladies"
    r"|milfs|brides|moms)(?: (?:in|near|from|want|waiting|for))|webcam|sex chat|adult chat"
    r"|hookups?)\b"
)
_WORK_FROM_HOME = _with_first_character_check(
    r"\b(?:work(?:ing)? (?:from|at) home|from (?:the comfort of )?(?:your|my) (?:home|couch"
    r"|sofa|phone|laptop)|from home|no experience (?:needed|required)|part[- ]time job|evden"
    r"|на дому|из дома|удал[её]нн\w+ работ\w*|desde casa|von zu hause|depuis (?:chez )?(?:vous"
    r"|la maison)|be your own boss|quit your (?:9 to 5|job)|passive income"
    r"|financial freedom|become a millionaire|get rich)\b"
)
# An amount of money or a rate earned per day or week (not per year: that is economics).
_DIGIT = re.compile(r"\d")
_RATE_OF_PAY = _with_first_character_check(
    r"(?:[$€£₽]\s?\d[\d,.]*k?|\d[\d,.]*k? ?(?:[$€£₽]|usd|usdt|eur|euros?|dollars?|tl|lira"
    r"|рубл\w*|руб|₺|manat|azn|dram|amd|pounds|bucks|btc)) ?(?:(?:per|a|an|/|every|each|in"
    r" (?:one|a|1|just|only)) ?(?:day|week|hour|night|days|weeks)|daily|weekly|в (?:день|час"
    r"|неделю)|за (?:день|неделю|час))"
    r"|\b(?:günde|gunde|haftada|saatte|в день|за день|por día|por dia|al día|al dia|pro tag"
    r"|par jour) (?:\S+ )?\d[\d,.]*"
    r"|\d+(?:[.,]\d+)? ?% (?:daily|per day|a day|every day|weekly|per week|a week|per hour"
    r"|guaranteed|roi|apy|profit|returns?)\b"
    r"|\b(?:turned|turn|made|make|earn\w*|earned|paying|pays|gets?) (?:\S+ ){0,2}?(?:[$€£₽]"
    r"\s?\d[\d,.]*k?|\d[\d,.]*k? ?(?:usd|usdt|dollars|euros|btc)) (?:into|in (?:one|a|just|\d)"
    r"|per day|a day|every day|per week|a week|weekly|daily)"
)
_RECOVERY = _with_first_character_check(
    r"\b(?:recover\w*|got back|get back|retriev\w*|reclaim\w*) (?:\S+ ){0,4}?(?:funds|money"
    r"|crypto|bitcoin|btc|usdt|savings|investment|wallet|[$€£]\s?\d|\d[\d,.]* ?(?:[$€£]|usd"
    r"|usdt|btc))|\b(?:lost|losing|scammed|stolen) (?:\S+ ){0,5}?(?:to )?(?:scam|scammers"
    r"|fraudsters|fake (?:brokers?|platforms?|investments?))\b",
)
_SOFT_CALL = _with_first_character_check(
    r"\b(?:dm|pm|inbox|message|text|contact|email|write|reach|whatsapp|ask) (?:me|us|him|her)\b"
    r"|\b(?:link|details?|info) in (?:my )?(?:bio|profile|comments?)\b|\bcheck (?:my|out my"
    r"|our) (?:profile|bio|page)\b|\b(?:sign up|register|join|apply|claim|order|buy|grab|start)"
    r" (?:\S+ ){0,3}?(?:now|today|here|before|while|instantly)\b|\b(?:referral|promo|invite"
    r"|invitation|bonus) (?:code|link)\b|\bask me how\b|\bfor (?:prices|price list|details"
    r"|more info)\b|\bprofil\w*|\bличк\w*|\bв лс\b|\bdetaylar\b|\bescr[ií]be\w*\b"
    r"|\b(?:invest|buy|order|try|download|use) (?:in |on |from )?our\b|\bclaim (?:your|the)\b"
    r"|\b(?:limited|last) (?:time|chance|spots?|offer)\b"
    r"|\b(?:on|via|in|at|through|over) (?:my |our )?(?:telegram|whatsapp|viber|signal|wechat)\b"
    r"|\bsubscribe (?:on|to|at|via)\b"
    r"|\b(?:for |at )?(?:only|just) (?:[$€£₽] ?\d|\d[\d,.]* ?(?:[$€£₽]|usd|eur|dollars|euros))"
)
# Mathematical bold, italic, script, double-struck, monospace, circled and full-width letters:
# advertisers style a line to stand out; writers of comments rarely do.
_STYLED_LETTERS = re.compile(r"[\U0001d400-\U0001d7ff\u24b6-\u24e9\uff21-\uff3a\uff41-\uff5a]")


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def _url_host(url: str) -> str:
    host = re.sub(r"^[a-z]+://", "", url.lower())
    host = re.split(r"[/:?#]", host, maxsplit=1)[0]
    return host.removeprefix("www.").rstrip(".")


def _domain_listed(host: str, domains: Iterable[str]) -> str | None:
    for domain in domains:
        domain = domain.strip().lower().removeprefix("*.").removeprefix("www.")
        if domain and (host == domain or host.endswith("." + domain)):
            return domain
    return None


@dataclass(slots=True)
class _SpamSignal:
    score: float
    category: str
    reason: str


def _spam_signals(prepared: PreparedText, config: ModerationConfig) -> list[_SpamSignal]:
    lexicon = _lexicon()
    text = prepared.original
    signals: list[_SpamSignal] = []
    urls = [match.group().rstrip(".,;:!?)") for match in _URL.finditer(text)]
    emails = _EMAIL.findall(text)
    hosts = [_url_host(url) for url in urls]
    if len(urls) > config.max_links:
        excess = len(urls) - config.max_links
        signals.append(
            _SpamSignal(
                min(0.5 + 0.12 * (excess - 1), 0.85),
                "links",
                f"{len(urls)} links (the limit is {config.max_links})",
            )
        )
    reported_domains = set()
    for host in hosts:
        blocked = _domain_listed(host, config.blocked_domains)
        if blocked and blocked not in reported_domains:
            reported_domains.add(blocked)
            signals.append(_SpamSignal(0.95, "blocked_domain", f"blocked domain: {blocked}"))
        elif _domain_listed(host, lexicon.shorteners) and host not in reported_domains:
            reported_domains.add(host)
            signals.append(_SpamSignal(0.25, "url_shortener", f"shortened link: {host}"))
    disguised = _DISGUISED_URL.search(text)
    if disguised:
        signals.append(
            _SpamSignal(0.45, "disguised_link", f"disguised link: '{disguised.group()}'")
        )
    strong = []
    for match in lexicon.spam_strong.finditer(prepared.normalized):
        quote = prepared.quote_span(match.start(), match.end())
        if quote.casefold() not in {q.casefold() for q in strong}:
            strong.append(quote)
    for quote in strong[:4]:
        signals.append(
            _SpamSignal(_SPAM_STRONG_PHRASE, "spam_phrase", f"known spam phrasing: '{quote}'")
        )
    # Words inside a link ("free-the-journalists") are no sales pitch; the link counts apart.
    url_spans = [match.span() for match in _URL.finditer(text)]
    weak = {
        match.group()
        for match in lexicon.spam_weak.finditer(prepared.normalized)
        if not _inside(prepared.tokens[prepared.token_at(match.start())].start, url_spans)
    }
    if weak:
        score = 1 - (1 - _SPAM_WEAK_PHRASE) ** min(len(weak), 6)
        listed = ", ".join(sorted(weak)[:4])
        signals.append(_SpamSignal(score, "spam_phrase", f"spam-like words: {listed}"))
    phones = [m.group() for m in _PHONE.finditer(text) if _is_phone_number(m.group())]
    invited = _MESSENGER.search(text) or _HANDLE_INVITE.search(text)
    handles = _HANDLE.findall(text) if invited else []
    contacts = phones + handles + emails
    if contacts:
        signals.append(_SpamSignal(0.35, "contact_handle", f"contact details: '{contacts[0]}'"))
    has_money = _MONEY_WORDS.search(prepared.normalized) is not None
    if (
        has_money
        and (contacts or urls or _MESSENGER.search(text))
        and (strong or _CONTACT_WORDS.search(prepared.normalized))
    ):
        signals.append(_SpamSignal(0.45, "spam_phrase", "money offer with contact details"))
    multiplied = _MONEY_MULTIPLIED.search(text)
    if multiplied and (
        contacts or urls or _CALL_TO_ACTION.search(prepared.normalized) or _WITHIN_DAYS.search(text)
    ):
        signals.append(
            _SpamSignal(0.55, "spam_phrase", f"promises to multiply money: '{multiplied.group()}'")
        )
    offers = {match.group() for match in _OFFER.finditer(prepared.normalized)}
    call = _CALL_TO_ACTION.search(prepared.normalized)
    if call:
        offers.update(match.group() for match in _MONEY_OFFER.finditer(prepared.normalized))
    if offers and (call or len(offers) >= 2):
        listed = ", ".join(sorted(offers)[:3])
        label = "offer with a call to action" if call else "advertising words"
        signals.append(_SpamSignal(0.4 if call else 0.3, "spam_phrase", f"{label}: {listed}"))
    if contacts and call:
        # "Contact Agent Mark at ..." (a scam's referral) more than "write to me at ...".
        referral = _REFERRAL.search(prepared.normalized) is not None
        signals.append(
            _SpamSignal(0.3 if referral else 0.15, "contact_handle", "asks readers to get in touch")
        )
    if urls and (strong or weak or call):
        # One pitch word next to a link ("my blog") is a reader promoting their writing.
        pitch = 0.45 if strong or len(weak) >= 2 else 0.3
        signals.append(_SpamSignal(pitch, "links", "link with a sales pitch"))
    for host in sorted(set(hosts)):
        found = _SPAMMY_HOST.search(host)
        if found:
            # A host named after casinos or pills says more than a cheap top-level domain.
            score = 0.3 if found.group().startswith(".") else 0.45
            signals.append(
                _SpamSignal(score, "links", f"link to a commercial-looking site: {host}")
            )
            break
    signals.extend(_spam_shapes(prepared.normalized, text, bool(contacts or urls or disguised)))
    repeated = _REPEATED.search(text)
    if repeated:
        signals.append(
            _SpamSignal(0.3, "repeated_chars", f"repeated characters: '{repeated.group()[:12]}'")
        )
    letters = [c for c in text[:2000] if c.isalpha()]
    if len(letters) >= 30 and sum(c.isupper() for c in letters) >= 0.7 * len(letters):
        signals.append(_SpamSignal(0.2, "shouting", "written in capitals"))
    return signals


def _spam_shapes(normalized: str, text: str, reachable: bool) -> list[_SpamSignal]:
    """Spam recognised by its shape: what it sells and how it asks readers to act."""
    signals: list[_SpamSignal] = []
    call = _SOFT_CALL.search(normalized)
    phishing = _PHISHING.search(normalized)
    if phishing and (_CREDENTIALS.search(normalized) or reachable):
        signals.append(
            _SpamSignal(0.6, "phishing", f"asks to verify an account: '{phishing.group()}'")
        )
    elif _CREDENTIALS.search(normalized) and re.search(
        r"\b(?:seed|recovery|secret) phrase|private key", normalized
    ):
        signals.append(_SpamSignal(0.5, "phishing", "asks for a wallet's secret phrase"))
    goods = _GOODS.search(normalized)
    if goods:
        score = 0.55 if (call or reachable) else 0.3
        signals.append(_SpamSignal(score, "spam_phrase", f"sells '{goods.group()}'"))
    pay = _RATE_OF_PAY.search(normalized) if _DIGIT.search(normalized) else None
    home = _WORK_FROM_HOME.search(normalized)
    if pay and (home or call or reachable):
        signals.append(_SpamSignal(0.55, "spam_phrase", f"promises earnings: '{pay.group()}'"))
    elif home and (call or reachable or pay):
        signals.append(_SpamSignal(0.5, "spam_phrase", f"work-from-home pitch: '{home.group()}'"))
    elif home:
        signals.append(_SpamSignal(0.25, "spam_phrase", "talks of easy earnings"))
    recovery = _RECOVERY.search(normalized)
    if recovery and (call or reachable):
        signals.append(
            _SpamSignal(0.55, "spam_phrase", f"fund-recovery pitch: '{recovery.group()}'")
        )
    if call and not (goods or pay or home or recovery or phishing):
        signals.append(_SpamSignal(0.15, "spam_phrase", f"call to action: '{call.group()}'"))
    styled = len(_STYLED_LETTERS.findall(text[:2000]))
    if styled >= 8:
        signals.append(_SpamSignal(0.3, "styled_text", "styled letters"))
    return signals


def _is_phone_number(candidate: str) -> bool:
    digits = sum(c.isdigit() for c in candidate)
    return digits >= 10 or (candidate.startswith("+") and digits >= 9)


def _spam(prepared: PreparedText, config: ModerationConfig) -> tuple[float, list[_SpamSignal]]:
    signals = _spam_signals(prepared, config)
    remaining = 1.0
    for signal in signals:
        remaining *= 1 - signal.score
    return round(1 - remaining, 4), signals


# --- Public API -----------------------------------------------------------------------------


def content_score(text: str, config: ModerationConfig) -> ContentScore:
    """Score how toxic and how spammy `text` is, with reasons quoting what was written."""
    lexicon = _lexicon()
    prepared = text_prepare(text if isinstance(text, str) else str(text), known=lexicon.is_known)
    reasons: list[str] = []
    categories: list[str] = []
    toxicity = 0.0
    if config.toxicity_enabled:
        allow = _editable_list(tuple(config.allow_words))
        block = _editable_list(tuple(config.block_words))
        analysis = _analyse(prepared, allow)
        toxicity, hits = _toxicity(analysis, block)
        ranked = sorted((hit for hit in hits if hit.score >= 0.1), key=lambda h: -h.score)
        shown: list[str] = []
        shown_ranges: list[tuple[int, int]] = []
        for hit in ranked:
            # A hit inside a stronger one already shown repeats it ("will be shot").
            inside = any(a <= hit.first and hit.last <= b for a, b in shown_ranges)
            if hit.label not in shown and not inside:
                shown.append(hit.label)
                shown_ranges.append((hit.first, hit.last))
        if shown and toxicity >= 0.2:
            shown[0] = f"toxicity {toxicity:.2f}; {shown[0]}"
            reasons.extend(shown[:5])
        for hit in hits:
            relevant = hit.score >= 0.1 or (hit.category == "obfuscated" and toxicity >= 0.2)
            if relevant and hit.category not in categories:
                categories.append(hit.category)
    spam = 0.0
    if config.spam_enabled:
        spam, signals = _spam(prepared, config)
        for signal in sorted(signals, key=lambda s: -s.score):
            reasons.append(signal.reason)
            if signal.category not in categories:
                categories.append(signal.category)
    if prepared.truncated:
        reasons.append(f"only the first {MAX_SCORED_CHARS} characters were scored")
        categories.append("truncated")
    return ContentScore(toxicity, spam, reasons, categories)


def content_warm_up() -> None:
    """Load the word lists and the profanity model (about a second) before the first comment."""
    _lexicon()
    _profanity_model()


def content_verdict(score: ContentScore, config: ModerationConfig) -> str:
    """Return "publish", "hold" or "reject" for a content score under `config`."""
    if score.toxicity >= config.toxicity_reject or score.spam >= config.spam_reject:
        return "reject"
    if score.toxicity >= config.toxicity_hold or score.spam >= config.spam_hold:
        return "hold"
    return "publish"

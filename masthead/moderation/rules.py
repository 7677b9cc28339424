"""The rules that stay rules: links and domains, the editors' lists, and listed words.

Everything a learned model does better — insults, hate, threats, spam phrasing — is left to
classifier.py. What stays here is what an editor must be able to state exactly and see obeyed:

* links: more than `max_links`, a blocked domain, a URL shortener, a disguised link;
* the block list (a listed word or phrase refuses the comment, whatever the model says) and
  the allow list (a listed word is removed before the model reads the comment: a town called
  "Scunthorpe", a reclaimed word a community uses);
* listed words (data/rules/listed_words.tsv): slurs of this region that public corpora barely
  contain ("khach", "khokhol"), with the category they carry. Each line carries an example the
  rule must catch and one it must let through; the tests read both. A listed word inside
  quotation marks is a mention, not a use, and is left to the model.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from masthead.moderation import stored_text as stored
from masthead.moderation.text import PreparedText, Token, text_prepare

_TLDS = (
    "com|net|org|ru|io|xyz|top|info|biz|co|me|am|az|ge|tr|de|fr|es|uk|us|eu|online|site|club"
    "|shop|live|app|ly|gl|to|cc|tk|ml|ga|cf|gq|pw|su|ua|by|kz|in|cn|ir|it|nl|pl|se|ch|at|be"
    "|news|tv|fm|gg|ai|vip|win|bet|casino|loan|store|link|click|pro|icu|buzz|rest|fun|space"
    "|website|today|money|finance|trade|market|cash|ws|cx|рф"
)
URL = re.compile(
    r"(?:\bhttps?://|\bwww\.)[^\s<>\"'()\[\]{}]+"
    rf"|(?<![@\w.-])(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{_TLDS})\b(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)
_DISGUISED_URL = re.compile(
    rf"\b[a-z0-9-]{{2,63}} ?(?:\[\.\]|\(\.\)|\[dot\]|\(dot\)|\{{dot\}}| dot )(?:{_TLDS})\b"
    r"|\bhxxps?://",
    re.IGNORECASE,
)
_QUOTES = {'"': '"', "“": "”", "«": "»", "„": "“", "'": "'", "‘": "’", "‹": "›"}


@dataclass(frozen=True)
class Signal:
    category: str  # a scoring category ("spam", "identity_hate", ...) or "blocked_word"
    score: float
    reason: str  # stored English (stored_text.py translates it for moderators)
    start: int = 0  # offsets of what triggered it in the original text
    end: int = 0


def _data_lines(*parts: str) -> list[str]:
    text = resources.files("masthead.moderation").joinpath("data", *parts).read_text("utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def url_host(url: str) -> str:
    host = re.sub(r"^[a-z]+://", "", url.lower())
    host = re.split(r"[/:?#]", host, maxsplit=1)[0]
    return host.removeprefix("www.").rstrip(".")


def domain_listed(host: str, domains) -> str | None:
    for domain in domains:
        domain = domain.strip().lower().removeprefix("*.").removeprefix("www.")
        if domain and (host == domain or host.endswith("." + domain)):
            return domain
    return None


@lru_cache(maxsize=1)
def _shorteners() -> tuple[str, ...]:
    return tuple(line.strip() for line in _data_lines("url_shorteners.txt"))


def link_signals(text: str, *, max_links: int, blocked_domains) -> list[Signal]:
    """Spam signals from links: too many, blocked domains, shorteners, disguised links."""
    signals = []
    matches = list(URL.finditer(text))
    if len(matches) > max_links:
        excess = len(matches) - max_links
        signals.append(
            Signal(
                "spam",
                min(0.5 + 0.12 * (excess - 1), 0.85),
                stored.TOO_MANY_LINKS(count=len(matches), limit=max_links),
                matches[0].start(),
                matches[-1].end(),
            )
        )
    reported = set()
    for match in matches:
        host = url_host(match.group().rstrip(".,;:!?)"))
        blocked = domain_listed(host, blocked_domains)
        if blocked and blocked not in reported:
            reported.add(blocked)
            signals.append(
                Signal("blocked_domain", 0.95, stored.BLOCKED_DOMAIN(domain=blocked), *match.span())
            )
        elif domain_listed(host, _shorteners()) and host not in reported:
            reported.add(host)
            signals.append(Signal("spam", 0.25, stored.SHORTENED_LINK(host=host), *match.span()))
    disguised = _DISGUISED_URL.search(text)
    if disguised:
        signals.append(
            Signal(
                "spam",
                0.45,
                stored.DISGUISED_LINK(text=disguised.group()),
                *disguised.span(),
            )
        )
    return signals


# --- Word lists: the editors' block and allow lists, and the listed words --------------------


class WordList:
    """Words (with * wildcards: "idiot*", "*shit*") and phrases, matched on normalized text."""

    def __init__(self, entries):
        self.exact: set[str] = set()
        prefixes, infixes, phrases = [], [], []
        for entry in entries:
            entry = entry.strip().casefold()
            core = entry.strip("*")
            if not core:
                continue
            words = [token.text for token in text_prepare(core.replace("*", " ")).tokens]
            if len(words) > 1:
                phrases.append(r"(?<!\S)" + r"\s+".join(map(re.escape, words)) + r"(?!\S)")
            elif words and entry.startswith("*") and entry.endswith("*"):
                infixes.append(re.escape(words[0]))
            elif words and entry.endswith("*"):
                prefixes.append(re.escape(words[0]))
            elif words:
                self.exact.add(words[0])
        self.prefix = re.compile("(?:" + "|".join(prefixes) + ")") if prefixes else None
        self.infix = re.compile("|".join(infixes)) if infixes else None
        self.phrases = re.compile("|".join(phrases)) if phrases else None

    def __bool__(self) -> bool:
        return bool(self.exact or self.prefix or self.infix or self.phrases)

    def matches_token(self, token: Token) -> bool:
        for form in token.forms():
            if form in self.exact:
                return True
            if self.prefix is not None and self.prefix.match(form):
                return True
            if self.infix is not None and self.infix.search(form):
                return True
        return False

    def spans(self, prepared: PreparedText) -> list[tuple[int, int]]:
        """Token ranges (first, last inclusive) that the list matches."""
        found = [
            (index, index)
            for index, token in enumerate(prepared.tokens)
            if token.is_word and self.matches_token(token)
        ]
        if self.phrases is not None:
            for match in self.phrases.finditer(prepared.normalized):
                first = prepared.token_at(match.start())
                found.append((first, prepared.token_at(max(match.end() - 1, match.start()))))
        return sorted(set(found))


@lru_cache(maxsize=32)
def word_list(entries: tuple[str, ...]) -> WordList:
    return WordList(entries)


@dataclass(frozen=True)
class ListedWord:
    entry: str
    category: str
    language: str
    must_catch: str
    must_pass: str


@lru_cache(maxsize=1)
def listed_words() -> tuple[ListedWord, ...]:
    """The listed words with their examples, from data/rules/listed_words.tsv."""
    words = []
    for line in _data_lines("rules", "listed_words.tsv"):
        entry, category, language, must_catch, must_pass = line.split("\t")
        words.append(ListedWord(entry, category, language, must_catch, must_pass))
    return tuple(words)


@lru_cache(maxsize=1)
def _listed_by_category() -> dict[str, WordList]:
    grouped: dict[str, list[str]] = {}
    for word in listed_words():
        grouped.setdefault(word.category, []).append(word.entry)
    return {category: WordList(entries) for category, entries in grouped.items()}


def _quoted(prepared: PreparedText, first: int, last: int) -> bool:
    """Whether tokens first..last stand between quotation marks (a mention, not a use)."""
    text = prepared.original
    before = text[max(0, prepared.tokens[first].start - 2) : prepared.tokens[first].start]
    after = text[prepared.tokens[last].end : prepared.tokens[last].end + 2]
    return any(opening in before and _QUOTES[opening] in after for opening in _QUOTES)


def word_signals(prepared: PreparedText, *, block_words: tuple[str, ...]) -> list[Signal]:
    """Signals from the listed words and the editors' block list."""
    signals = []
    for category, words in _listed_by_category().items():
        for first, last in words.spans(prepared):
            if _quoted(prepared, first, last):
                continue
            quote = prepared.quote_tokens(first, last)
            signals.append(
                Signal(
                    category,
                    0.9,
                    stored.LISTED_WORD(quote=quote),
                    prepared.tokens[first].start,
                    prepared.tokens[last].end,
                )
            )
    block = word_list(tuple(block_words))
    if block:
        for first, last in block.spans(prepared):
            quote = prepared.quote_tokens(first, last)
            signals.append(
                Signal(
                    "blocked_word",
                    1.0,
                    stored.ON_BLOCK_LIST_QUOTED(quote=quote),
                    prepared.tokens[first].start,
                    prepared.tokens[last].end,
                )
            )
    return signals


def allowed_tokens(prepared: PreparedText, allow_words: tuple[str, ...]) -> set[int]:
    """Indices of tokens on the allow list: the model does not read them."""
    allow = word_list(tuple(allow_words))
    if not allow:
        return set()
    indices = set()
    for first, last in allow.spans(prepared):
        indices.update(range(first, last + 1))
    return indices

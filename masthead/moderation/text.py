"""Normalization of comment text for scoring, keeping a way back to what was written.

Abusers disguise words so that a plain word list misses them: "c*nt", "f@ck", "f u c k",
"fuuuck", a Cyrillic "с" inside a Latin word, a zero-width space inside "idiot". `text_prepare`
undoes these tricks token by token and remembers where each token came from, so a reason shown
to a moderator quotes the original ("matched 'c*nt'") rather than the normalized form.

Matching code sees two things:

* `PreparedText.tokens`: one `Token` per word or punctuation mark, each with a canonical form
  and a few alternative spellings (`variants`) for word-list lookups;
* `PreparedText.normalized`: the canonical forms joined by single spaces, for phrase patterns.

Nothing here raises on any `str`: lone surrogates, control characters and binary junk decoded
with replacement characters all pass through. Only the first `MAX_SCORED_CHARS` characters are
looked at, which bounds the scoring time of a pasted novel.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

# Long comments are scored on their beginning only: abuse and spam show early, and the cost of
# normalization grows with the length.
MAX_SCORED_CHARS = 10_000

# Invisible characters used to split a word so that it escapes a word list.
INVISIBLE_CHARACTERS = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u2028\u2029\u2060\u2061\u2062\u2063\u2064"
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    "\u3164\ufeff\uffa0"
)

# Cyrillic, Greek and Armenian letters that look like Latin ones, for words that mix scripts.
_LOOKALIKE_TO_LATIN = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j",
        "ѕ": "s", "һ": "h", "ԁ": "d", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ь": "b", "г": "r",
        "п": "n", "и": "u", "з": "3", "д": "d",
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
        "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "γ": "y", "μ": "u", "ς": "s",
        "օ": "o", "ս": "u", "ո": "n", "հ": "h", "ց": "g",
    }
)  # fmt: skip
# Latin letters (and leet digits) inside a mostly Cyrillic word, e.g. "xуй" with a Latin x.
_LOOKALIKE_TO_CYRILLIC = str.maketrans(
    {
        "a": "а", "b": "в", "c": "с", "e": "е", "h": "н", "k": "к", "m": "м", "o": "о",
        "p": "р", "t": "т", "x": "х", "y": "у", "u": "и", "3": "з", "0": "о", "6": "б",
        "@": "а", "4": "ч", "ё": "е",
    }
)  # fmt: skip
_LEET_TO_LATIN = str.maketrans(
    {
        "0": "o", "1": "i", "2": "z", "3": "e", "4": "a", "5": "s", "6": "g", "7": "t",
        "8": "b", "9": "g", "@": "a", "$": "s", "!": "i", "|": "l", "+": "t", "€": "e",
        "£": "l", "ß": "ss",
    }
)  # fmt: skip
_LEET_CHARS = frozenset("0123456789@$!|+€£")
# Characters that stand for a hidden letter: "c*nt", "f#ck", "sh%t".
_MASK_CHARS = frozenset("*#%")
_SYMBOL_MASKS = frozenset("@$!|+€£")
_SEPARATORS = re.compile(r"[.\-_']")

# A word: letters, digits, leet and mask characters, optionally joined by . - _ ' (so that
# "s.h.i.t", "f-u-c-k" and "you're" stay one piece). Anything else is one punctuation token.
_TOKEN_PATTERN = re.compile(
    r"(?P<word>[\w*#@$%!|+€£]+(?:['.\-][\w*#@$%!|+€£]+)*)|(?P<punct>[^\w\s])"
)
# Model numbers, ordinals and amounts ("S-400", "F16", "1st", "5G", "100k") are not leetspeak.
# Leetspeak puts digits between letters ("sh1t", "m0ron"); codes have them at one end.
_CODE_LIKE = re.compile(r"[a-z]{0,4}-?\d+|\d+(?:[.,]\d+)*[a-z%$€£]{0,3}")
_ELISION = re.compile(r"(?:[dljtmsnc]|qu)'(\w{3,})")
_RUN_OF_THREE = re.compile(r"(.)\1{2,}")
_RUN_OF_TWO = re.compile(r"(.)\1+")
# Longer "words" (a pasted hash, "aaaa..." for a whole line) are kept but not normalized.
_LONGEST_WORD = 48
_SENTENCE_END = frozenset(".!?;\n…")


@dataclass(slots=True)
class Token:
    """One word or punctuation mark: its canonical form and where it came from."""

    text: str
    start: int  # offsets into PreparedText.original
    end: int
    is_word: bool
    variants: tuple[str, ...] = ()  # other spellings worth looking up (leet, stretched, masked)
    obfuscated: bool = False  # the writer disguised it (mask, leet, spacing, mixed scripts)
    titlecase: bool = False  # written with a capital first letter, e.g. a name like "Dick"
    sentence: int = 0  # index of the sentence the token belongs to

    def forms(self) -> tuple[str, ...]:
        return (self.text, *self.variants)


@dataclass(slots=True)
class PreparedText:
    """A comment ready for matching; `original` is the (possibly truncated) text as written."""

    original: str
    truncated: bool
    tokens: list[Token]
    normalized: str
    # Index in `normalized` where each token starts, parallel to `tokens`.
    token_offsets: list[int] = field(default_factory=list)

    def token_at(self, position: int) -> int:
        """Return the index of the token that covers `position` of `normalized`."""
        low, high = 0, len(self.token_offsets) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self.token_offsets[middle] <= position:
                low = middle
            else:
                high = middle - 1
        return max(low, 0)

    def quote_tokens(self, first: int, last: int) -> str:
        """Return the original text from token `first` to token `last`, inclusive."""
        if not self.tokens:
            return ""
        first = min(max(first, 0), len(self.tokens) - 1)
        last = min(max(last, first), len(self.tokens) - 1)
        return _shorten(self.original[self.tokens[first].start : self.tokens[last].end])

    def quote_span(self, start: int, end: int) -> str:
        """Return the original text behind `normalized[start:end]`."""
        return self.quote_tokens(self.token_at(start), self.token_at(max(end - 1, start)))


def _shorten(quoted: str, limit: int = 80) -> str:
    # Invisible and bidi characters would make the quote lie about what it shows.
    quoted = "".join(
        c for c in quoted if c not in INVISIBLE_CHARACTERS and (c.isprintable() or c == " ")
    )
    quoted = " ".join(quoted.split())
    return quoted if len(quoted) <= limit else quoted[: limit - 1] + "…"


def text_clean(text: str) -> tuple[str, bool]:
    """Return `text` truncated to MAX_SCORED_CHARS and safe to encode, and whether it was cut."""
    truncated = len(text) > MAX_SCORED_CHARS
    if truncated:
        text = text[:MAX_SCORED_CHARS]
    # Lone surrogates (from broken clients or surrogateescape decoding) cannot be encoded or
    # shown; "?" replaces each one, one character for one, so offsets stay valid.
    if not text.isascii():
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text, truncated


def _scrub(text: str) -> tuple[str, list[int]]:
    """Drop invisible characters, apply NFKC; return the result and each char's origin."""
    if text.isascii() and text.isprintable():
        return text, list(range(len(text)))
    characters: list[str] = []
    origin: list[int] = []
    previous_is_ascii_letter = False
    for index, character in enumerate(text):
        if character in INVISIBLE_CHARACTERS:
            continue
        category = unicodedata.category(character)
        if category == "Mn":
            # Accents stacked on plain Latin letters ("f̸u̸c̸k̸") only disguise the word.
            if previous_is_ascii_letter:
                continue
            characters.append(character)
            origin.append(index)
            continue
        if category in ("Cc", "Cf", "Cs", "Co"):
            if character in "\n\t\r":
                characters.append("\n" if character != "\t" else " ")
                origin.append(index)
            continue
        folded = _nfkc(character)
        for piece in folded:
            characters.append(piece)
            origin.append(index)
        previous_is_ascii_letter = folded.isascii() and folded.isalpha()
    return "".join(characters), origin


@lru_cache(maxsize=4096)
def _nfkc(character: str) -> str:
    return unicodedata.normalize("NFKC", character)


def _script_counts(word: str) -> tuple[int, int]:
    latin = cyrillic = 0
    for character in word:
        if "a" <= character <= "z" or "\u00c0" <= character <= "\u024f" or character == "ə":
            latin += 1
        elif "\u0400" <= character <= "\u04ff" or "\u0370" <= character <= "\u03ff":
            cyrillic += 1
    return latin, cyrillic


def _fold_scripts(word: str, text_is_latin: bool) -> tuple[str, str | None]:
    """Fold look-alike letters of a word that mixes scripts; return it and the other folding.

    "іdіоt" (three Cyrillic letters) in English text is "idiot"; "xуй" (a Latin x) in Russian
    text is "хуй". Which script wins is a guess, so the other folding is returned too.
    """
    latin, cyrillic = _script_counts(word)
    if not cyrillic:
        return word, None
    to_latin = word.translate(_LOOKALIKE_TO_LATIN)
    to_cyrillic = word.translate(_LOOKALIKE_TO_CYRILLIC)
    if latin:
        if text_is_latin or latin >= cyrillic:
            return to_latin, to_cyrillic
        return to_cyrillic, to_latin
    if text_is_latin and to_latin.isascii():
        return to_latin, None  # a word written entirely in look-alikes ("ѕһіт")
    if any(character in _LEET_CHARS for character in word):
        return to_cyrillic, None
    return word, None


def _stretched_forms(word: str) -> list[str]:
    """Return spellings of a stretched word: "fuuuck" -> "fuck", "asssss" -> "ass"."""
    forms = []
    if _RUN_OF_THREE.search(word):
        forms.append(_RUN_OF_THREE.sub(r"\1", word))
        forms.append(_RUN_OF_THREE.sub(r"\1\1", word))
    collapsed = _RUN_OF_TWO.sub(r"\1", word)
    if collapsed != word and collapsed not in forms:
        forms.append(collapsed)
    return forms


# Letters swapped for others that sound or look the same, to slip past a word list.
_SOUNDS_LIKE_MAP = {"v": "u", "ph": "f", "oo": "u", "kk": "ck", "xx": "ck"}
_SOUNDS_LIKE = re.compile(r"(?<=[a-z])v(?=[a-z])|ph|(?<=[a-z])oo(?=[a-z])|kk|xx")


# Comments reuse the same words, so a word is normalized once per process (bounded cache).
@lru_cache(maxsize=65536)
def _normalize_word(raw: str, text_is_latin: bool) -> tuple[str, tuple[str, ...], bool]:
    """Return the canonical form of one word, other spellings, and whether it was disguised."""
    word = raw.casefold().replace("i̇", "i").replace("’", "'")
    obfuscated = False
    folded, other_script = _fold_scripts(word, text_is_latin)
    obfuscated |= folded != word
    word = folded
    variants: list[str] = [other_script] if other_script else []
    has_letter = any(character.isalpha() for character in word)
    if has_letter and not _CODE_LIKE.fullmatch(word):
        if any(character in _LEET_CHARS for character in word):
            latin, cyrillic = _script_counts(word)
            table = _LOOKALIKE_TO_CYRILLIC if cyrillic > latin else _LEET_TO_LATIN
            leet_free = word.translate(table)
            if "1" in word or "|" in word:
                # "1" and "|" stand for both i and l: "a1ien" vs "1diot".
                variants.append(word.replace("1", "l").replace("|", "l").translate(table))
            if word.startswith("@") and not any(c in _LEET_CHARS for c in word[1:]):
                variants.append(word)  # maybe a handle (@username) rather than "@ss"
            # A symbol may also just hide a letter, as "*" does: "f@cking" is not "facking".
            masked = "".join("*" if c in _SYMBOL_MASKS else c for c in word)
            if masked != word:
                variants.append(masked.translate(table))
            word = leet_free
            obfuscated = True
        if any(character in _MASK_CHARS for character in word):
            obfuscated = True
    for form in _stretched_forms(word):
        if form not in variants:
            variants.append(form)
    if text_is_latin and len(word) <= 12 and word.isascii():
        # Spelled as it sounds, which a word list misses: "fvck", "phuck", "stoopid".
        sounded = _SOUNDS_LIKE.sub(lambda match: _SOUNDS_LIKE_MAP[match.group()], word)
        if sounded != word and sounded not in variants:
            variants.append(sounded)
    elided = _ELISION.fullmatch(word)
    if elided:
        variants.append(elided.group(1))  # French and Italian: "d'idiot", "l'imbécile"
    return word, tuple(variants), obfuscated


def _split_word(raw: str) -> list[tuple[str, int, int, list[str]]]:
    """Split a raw word at separators; return (piece, start, end, extra spellings) tuples.

    Single letters separated by . - _ ("s.h.i.t", "f_u_c_k") are one word. Longer pieces
    ("end.Next", "anti-war") are separate words, but the first piece remembers the joined
    spelling and the masked one so that "mother-fucker" and "c-nt" are still looked up whole.
    """
    core = raw.strip("*#%!|+")
    if sum(character.isalpha() for character in core) < 3:
        core = raw.lstrip("*#%!|+")  # "f***" and "c**" hide a word; "*really*" only stresses it
    lead = len(raw) - len(raw.lstrip("*#%!|+"))
    if not core:
        return []
    pieces = _SEPARATORS.split(core)
    if len(pieces) <= 1 or ("'" in core and not re.search(r"[.\-_]", core)):
        return [(core, lead, lead + len(core), [])]
    if len(pieces) >= 3 and all(len(piece) == 1 for piece in pieces):
        return [(core, lead, lead + len(core), ["".join(pieces)])]
    result = [
        (match.group(), lead + match.start(), lead + match.end(), [])
        for match in re.finditer(r"[^.\-_]+", core)
    ]
    if 1 < len(result) <= 3 and len(core) <= 16:
        result[0][3].extend(["".join(pieces), _SEPARATORS.sub("*", core)])
    return result


def _known_whole(
    pieces: list[tuple[str, int, int, list[str]]],
    raw_word: str,
    text_is_latin: bool,
    known: Callable[[str], bool],
) -> tuple[str, int, int, list[str]] | None:
    """Return one piece for "ass-hole" or "f-ck" when the joined or masked spelling is known."""
    first_start, last_end = pieces[0][1], pieces[-1][2]
    for form in pieces[0][3]:
        normalized = _normalize_word(form, text_is_latin)[0]
        if known(normalized):
            return (raw_word[first_start:last_end], first_start, last_end, [form])
    return None


def text_prepare(text: str, known: Callable[[str], bool] | None = None) -> PreparedText:
    """Normalize `text` for matching; never raises on any str.

    `known` tells whether a word is on a word list; runs of single letters ("f u c k") are
    joined into one word only when the result is known, so that "u r a" stays three words.
    """
    if not isinstance(text, str):
        text = str(text)
    original, truncated = text_clean(text)
    scrubbed, origin = _scrub(original)
    latin, cyrillic = _script_counts(scrubbed[:2000].casefold())
    text_is_latin = latin > cyrillic * 3
    tokens: list[Token] = []
    sentence = 0
    for match in _TOKEN_PATTERN.finditer(scrubbed):
        start, end = match.span()
        if match.lastgroup == "punct":
            character = match.group()
            tokens.append(
                Token(character, origin[start], origin[end - 1] + 1, False, sentence=sentence)
            )
            if character in _SENTENCE_END:
                sentence += 1
            continue
        if tokens and "\n" in scrubbed[max(start - 2, 0) : start]:
            sentence += 1  # a line break ends a sentence even without a full stop
        raw = match.group()
        if len(raw) > _LONGEST_WORD:
            # No listed word is this long; matching it would only cost time.
            tokens.append(
                Token(
                    raw[:_LONGEST_WORD].casefold(),
                    origin[start],
                    origin[end - 1] + 1,
                    True,
                    sentence=sentence,
                )
            )
            continue
        trailing_bangs = len(raw) - len(raw.rstrip("!"))
        raw_word = raw[: len(raw) - trailing_bangs] if trailing_bangs < len(raw) else raw
        pieces = _split_word(raw_word)
        if len(pieces) > 1 and known is not None:
            whole = _known_whole(pieces, raw_word, text_is_latin, known)
            if whole is not None:
                pieces = [whole]
        for piece, piece_start, piece_end, extra_forms in pieces:
            canonical, cached_variants, obfuscated = _normalize_word(piece, text_is_latin)
            variants = list(cached_variants)
            if extra_forms:
                obfuscated = True
                extra = [_normalize_word(form, text_is_latin)[0] for form in extra_forms]
                if piece_end - piece_start == len(raw_word.strip("*#%!|+")) and len(extra) == 1:
                    canonical = extra[0]  # "s.h.i.t" is the word "shit"
                else:
                    variants.extend(form for form in extra if form not in variants)
            tokens.append(
                Token(
                    canonical,
                    origin[start + piece_start],
                    origin[start + piece_end - 1] + 1,
                    True,
                    tuple(variants),
                    obfuscated,
                    piece[:1].isupper(),
                    sentence,
                )
            )
        if 0 < trailing_bangs < len(raw):
            bang = origin[end - 1]
            tokens.append(Token("!", bang, bang + 1, False, sentence=sentence))
            sentence += 1
    tokens = _join_spaced_letters(tokens, known)
    offsets = []
    position = 0
    for token in tokens:
        offsets.append(position)
        position += len(token.text) + 1
    normalized = " ".join(token.text for token in tokens)
    return PreparedText(original, truncated, tokens, normalized, offsets)


def _join_spaced_letters(tokens: list[Token], known: Callable[[str], bool] | None) -> list[Token]:
    """Join runs of single letters into the word they spell: "f u c k", "f. u. c. k"."""
    result: list[Token] = []
    index = 0
    while index < len(tokens):
        run_end = index
        letters = []
        while run_end < len(tokens):
            token = tokens[run_end]
            if token.is_word and len(token.text) == 1 and token.text.isalpha():
                letters.append(token.text)
                run_end += 1
            elif not token.is_word and token.text in ".-_*" and letters:
                run_end += 1
            else:
                break
        if len(letters) < 3 or len(letters) > _LONGEST_WORD:
            result.extend(tokens[index : max(run_end, index + 1)])
            index = max(run_end, index + 1)
            continue
        joined_letters = "".join(letters)
        if known is not None and not _any_known(joined_letters, known):
            # "you are a w h o r e", "y o u a r e a m o r o n": the words before a listed word
            # are single letters too; keep them apart and join the listed word.
            skip = next(
                (
                    cut
                    for cut in range(1, len(letters) - 3)
                    if _any_known(joined_letters[cut:], known)
                ),
                None,
            )
            if skip is None:
                result.extend(tokens[index:run_end])
                index = run_end
                continue
            while skip:
                skip -= tokens[index].is_word
                result.append(tokens[index])
                index += 1
            joined_letters = "".join(token.text for token in tokens[index:run_end] if token.is_word)
        last = run_end - 1
        while not tokens[last].is_word:
            last -= 1
        result.append(
            Token(
                joined_letters,
                tokens[index].start,
                tokens[last].end,
                True,
                tuple(_stretched_forms(joined_letters)),
                True,
                tokens[index].titlecase,
                tokens[index].sentence,
            )
        )
        index = run_end
    return result


def _any_known(word: str, known: Callable[[str], bool]) -> bool:
    return any(known(form) for form in (word, *_stretched_forms(word)))

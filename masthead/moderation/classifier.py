"""The learned scorer: hashed word and character n-grams, one logistic model per category.

Why this shape: it runs in well under a millisecond per comment on one core, needs no GPU and
no download, is small enough to ship inside the package, and explains itself — a linear model's
score is a sum of what each word and piece of a word contributed, so the reasons a moderator
reads come from the model, not from a parallel rule. Character n-grams (2–5 letters inside
words) let it score misspellings, joined words and unseen inflections ("haet", "Ihate",
"идиотина") close to their plain forms, in every script; `text.text_prepare` first undoes the
spelling games it knows (look-alike letters, leetspeak, masks, spaced letters, invisible
characters).

The model is trained by `masthead moderation train` (training.py) on public labelled corpora
(docs/moderation-model.md) and ships as two files in `data/model/`: `classifier.npz` (weights,
IDF, calibration) and `classifier.json` (the manifest: how features are made, which corpora,
figures, and the SHA-256 of the weights). A missing or corrupt file raises `ModelError`, which
stops the server from starting instead of holding every comment.
"""

import hashlib
import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import mmh3
import numpy as np

from masthead.moderation.text import PreparedText, text_prepare

MODEL_FILES = ("classifier.json", "classifier.npz")
# Runs of one letter longer than this are squeezed ("fuuuuuck" -> "fuuck"): readers stretch
# words for emphasis and abusers to dodge lists; two keeps "cool" and "aa" apart from "a".
_REPEATS = re.compile(r"(\w)\1{2,}")


class ModelError(RuntimeError):
    """The shipped model cannot be used: a file is missing, unreadable or altered."""

    def __init__(self, message: str, *, path: str = ""):
        super().__init__(message)
        self.path = path


def model_directory() -> Path:
    return Path(str(resources.files("masthead.moderation").joinpath("data", "model")))


def model_text(prepared: PreparedText) -> str:
    """The text the model reads: normalized tokens, squeezed repeats, one space between."""
    return _REPEATS.sub(r"\1\1", prepared.normalized)


@dataclass(frozen=True)
class FeatureSpec:
    word_bits: int
    char_bits: int
    word_ngrams: tuple[int, int]
    char_ngrams: tuple[int, int]

    @property
    def n_features(self) -> int:
        return (1 << self.word_bits) + (1 << self.char_bits)


def word_grams(text: str, low: int, high: int) -> list[str]:
    """The word n-grams of `text` (words are runs of non-space, joined by one space)."""
    words = text.split()
    grams = list(words) if low <= 1 else []
    for n in range(max(low, 2), min(high, len(words)) + 1):
        grams += [" ".join(words[start : start + n]) for start in range(len(words) - n + 1)]
    return grams


def char_grams(text: str, low: int, high: int) -> list[str]:
    """The character n-grams inside each word of `text`, the word padded with one space on
    each side; a padded word no longer than n counts once, as itself."""
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        length = len(padded)
        for n in range(low, high + 1):
            if length <= n:
                grams.append(padded)
                break
            grams += [padded[start : start + n] for start in range(length - n + 1)]
    return grams


def _hashed(grams: list[str], size: int) -> list[int]:
    # MurmurHash3 (x86, 32 bits, seed 0, signed) of the UTF-8 bytes, its absolute value
    # modulo the table's size: the columns scikit-learn's HashingVectorizer gives (the model
    # was trained with it; masthead/moderation/tests/test_featurizer.py compares the two).
    hash_ = mmh3.hash
    return [abs(hash_(gram)) % size for gram in grams]


_CHUNK = 2048


@dataclass
class SparseRows:
    """Texts' feature values in compressed sparse rows, the layout (and attribute names) of
    scipy's csr_matrix: row i's columns are indices[indptr[i]:indptr[i + 1]], sorted, and its
    values the same slice of data.

    Scoring needs no more than this, and importing scipy.sparse costs every server process
    ~22 MB; training and learning, which do need scipy, call `to_scipy`.
    """

    data: np.ndarray  # float32
    indices: np.ndarray  # int32
    indptr: np.ndarray  # int32, one more than there are rows
    n_columns: int

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.indptr) - 1, self.n_columns

    @property
    def nnz(self) -> int:
        return len(self.indices)

    def to_scipy(self):
        import scipy.sparse as sp

        return sp.csr_matrix((self.data, self.indices, self.indptr), shape=self.shape)


def rows_slice(matrix, start: int, stop: int) -> SparseRows:
    """Rows start..stop of a SparseRows or a scipy csr_matrix, as SparseRows (no copy)."""
    stop = min(stop, matrix.shape[0])
    first, last = matrix.indptr[start], matrix.indptr[stop]
    return SparseRows(
        matrix.data[first:last],
        matrix.indices[first:last],
        matrix.indptr[start : stop + 1] - first,
        matrix.shape[1],
    )


def rows_stack(parts: Sequence[SparseRows]) -> SparseRows:
    """The rows of `parts`, one after another."""
    offsets = np.cumsum([0] + [part.nnz for part in parts])
    return SparseRows(
        np.concatenate([part.data for part in parts]),
        np.concatenate([part.indices for part in parts]),
        np.concatenate(
            [parts[0].indptr[:1]]
            + [part.indptr[1:] + offset for part, offset in zip(parts, offsets, strict=False)]
        ).astype(np.int64 if offsets[-1] > np.iinfo(np.int32).max else np.int32),
        parts[0].n_columns,
    )


class Featurizer:
    """Turns model texts into L2-normalized, sublinear TF-IDF rows over hashed n-grams.

    The counts are scikit-learn's HashingVectorizer's (word 1–2-grams and `char_wb` 2–5-grams
    of the training, hashed the same way), computed here with `mmh3`: importing scikit-learn's
    text module costs every server process ~70 MB of memory for what is a loop over n-grams.
    Training still uses scikit-learn's estimators.
    """

    # Words whose character n-gram columns are kept (~3 MB): a word's pieces depend on the
    # word alone, and the words of comments repeat, so most are hashed once per process
    # instead of once per comment (a fifth of scoring a comment).
    WORDS_KEPT = 8192

    def __init__(self, spec: FeatureSpec, idf: np.ndarray | None):
        self.spec = spec
        self.idf = idf
        self._word_pieces: dict[str, np.ndarray] = {}

    def counts(self, docs: Sequence[str]) -> SparseRows:
        """How often each hashed n-gram occurs in each of `docs`: a row per text, float32,
        columns sorted (word n-grams first, then character n-grams)."""
        if len(docs) <= _CHUNK:
            return self._counts(docs)
        # A training corpus holds hundreds of thousands of texts: a chunk at a time, so the
        # n-grams of only one chunk are ever held as Python objects.
        return rows_stack(
            [self._counts(docs[start : start + _CHUNK]) for start in range(0, len(docs), _CHUNK)]
        )

    def _counts(self, docs: Sequence[str]) -> SparseRows:
        spec = self.spec
        word_size = 1 << spec.word_bits
        n_features = spec.n_features
        parts: list[np.ndarray] = [np.empty(0, dtype=np.int64)]
        for row, doc in enumerate(docs):
            base = row * n_features
            words = _hashed(word_grams(doc, *spec.word_ngrams), word_size)
            parts.append(np.array(words, dtype=np.int64) + base)
            pieces = [self._pieces(word) for word in doc.split()]
            if pieces:
                parts.append(np.concatenate(pieces) + (base + word_size))
        # Sorted by row, then column; a repeated n-gram is counted, as the vectorizer sums it.
        found, repeats = np.unique(np.concatenate(parts), return_counts=True)
        indptr = np.zeros(len(docs) + 1, dtype=np.int32)
        np.cumsum(np.bincount(found // n_features, minlength=len(docs)), out=indptr[1:])
        return SparseRows(
            repeats.astype(np.float32), (found % n_features).astype(np.int32), indptr, n_features
        )

    def _pieces(self, word: str) -> np.ndarray:
        """The columns of `word`'s character n-grams (what `char_grams` gives for it)."""
        kept = self._word_pieces.get(word)
        if kept is None:
            spec = self.spec
            columns = _hashed(char_grams(word, *spec.char_ngrams), 1 << spec.char_bits)
            kept = np.array(columns, dtype=np.int64)
            if len(self._word_pieces) >= self.WORDS_KEPT:
                self._word_pieces.clear()  # cheaper than ordering them; the common words return
            self._word_pieces[word] = kept
        return kept

    def transform(self, docs: Sequence[str]) -> SparseRows:
        # In place on the sparse values: a scipy product with a dense row of 1.3 million
        # columns would cost more than everything else a comment's scoring does.
        matrix = self.counts(docs)
        matrix.data = 1.0 + np.log(matrix.data)
        if self.idf is not None:
            matrix.data *= self.idf[matrix.indices]
        lengths = np.diff(matrix.indptr)
        rows = np.repeat(np.arange(matrix.shape[0]), lengths)
        norms = np.sqrt(np.bincount(rows, weights=matrix.data**2, minlength=matrix.shape[0]))
        norms[norms == 0] = 1.0
        matrix.data /= np.repeat(norms, lengths).astype(np.float32)
        return matrix

    def tokens_features(self, tokens: Sequence[str]) -> SparseRows:
        """A row per token: the features that token produces alone (its word and its pieces)."""
        return self.counts(tokens)


# Comments in these languages are also read by the sentence encoder (encoder.py), whose
# vocabulary is English: it sees what n-grams miss ("belong in a zoo", insults without a
# swear word) and is combined with the linear score by a small stacked model.
ENCODER_LANGUAGES = frozenset({"en"})
# The cascade: the encoder (~10 ms a comment) reads only comments the n-gram model finds at
# least this suspicious in some category; below it, the n-gram model's low scores stand. On
# the held-out English sets this keeps the combination's figures within a point or two while
# sparing the encoder most civil comments.
ENCODER_FLOOR = 0.3
# The encoder reads a comment's first 64 word pieces (its head was trained on up to 128): the
# cost grows with the length, and the opening of a comment carries its tone; the n-gram model
# reads the whole comment (up to 10,000 characters) anyway.
ENCODER_MAX_TOKENS = 64


@dataclass(frozen=True)
class EncoderHead:
    weights: np.ndarray  # (384, k): a logistic model per category over the sentence embedding
    bias: np.ndarray  # (k,)
    stack: np.ndarray  # (k, 3): combined = a · linear logit + b · encoder logit + c


class Classifier:
    """The shipped model: `features` -> `logits` (calibrated: 0 is each category's threshold)."""

    encoder_head: EncoderHead | None = None

    def __init__(
        self,
        manifest: dict,
        weights: np.ndarray,
        scale: np.ndarray,
        bias: np.ndarray,
        idf: np.ndarray,
    ):
        self.manifest = manifest
        self.categories: tuple[str, ...] = tuple(manifest["categories"])
        self.spec = FeatureSpec(
            word_bits=manifest["features"]["word_bits"],
            char_bits=manifest["features"]["char_bits"],
            word_ngrams=tuple(manifest["features"]["word_ngrams"]),
            char_ngrams=tuple(manifest["features"]["char_ngrams"]),
        )
        self.n_features = self.spec.n_features
        self.featurizer = Featurizer(self.spec, idf)
        # Kept as shipped, int8 with a scale per category (a quarter of float32's 31 MB in
        # every server process), laid out (n_features, k) so that a comment's few hundred
        # features are one gather of rows for all categories.
        self.weights = np.ascontiguousarray(weights.T, dtype=np.int8)
        self.scale = scale.astype(np.float32)
        self.bias = bias.astype(np.float32)
        # Every category is calibrated so that probability 0.5 is its default hold threshold.
        self.thresholds = dict.fromkeys(self.categories, 0.5)

    def features(self, texts: Sequence[str]) -> SparseRows:
        return self.featurizer.transform([model_text(text_prepare(text)) for text in texts])

    def logits(self, features: SparseRows) -> np.ndarray:
        rows = features.shape[0]
        sums = np.zeros((rows, len(self.categories)), dtype=np.float32)
        for start in range(0, rows, _CHUNK):
            part = rows_slice(features, start, start + _CHUNK)
            # Only the rows of the features present are widened to float32 (scipy's product
            # would widen the whole int8 matrix first), then summed per text.
            products = self.weights[part.indices].astype(np.float32) * part.data[:, None]
            filled = np.diff(part.indptr) > 0
            if filled.any():
                sums[start : start + part.shape[0]][filled] = np.add.reduceat(
                    products, part.indptr[:-1][filled], axis=0
                )
        return sums * self.scale + self.bias

    def combined_logits(
        self,
        texts: Sequence[str],
        features: SparseRows,
        languages: Sequence[str] | None = None,
    ) -> np.ndarray:
        """The logits the site decides on: the linear model's, and for comments in English
        combined with the sentence encoder's (languages detected when not given)."""
        logits = self.logits(features)
        head = self.encoder_head
        if head is None or not len(texts) or not _encoder_enabled():
            return logits
        if languages is None:
            from masthead.moderation.languages import language_main, languages_detect

            languages = [language_main(languages_detect(text)) for text in texts]
        suspicious = sigmoid(logits).max(axis=1) >= ENCODER_FLOOR
        chosen = [
            i for i, lang in enumerate(languages) if lang in ENCODER_LANGUAGES and suspicious[i]
        ]
        if chosen:
            from masthead.moderation.encoder import encoder_get

            embedded = encoder_get().embed([texts[i] for i in chosen], ENCODER_MAX_TOKENS)
            encoded = embedded @ head.weights + head.bias
            stack = head.stack
            logits[chosen] = logits[chosen] * stack[:, 0] + encoded * stack[:, 1] + stack[:, 2]
        return logits

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        return sigmoid(self.combined_logits(texts, self.features(texts)))

    def contributions(
        self, prepared: PreparedText, features: SparseRows, category: int
    ) -> list[float]:
        """How much each token of `prepared` added to one category's logit.

        A feature's contribution (weight × value) is shared equally among the tokens that
        produce it, so the contributions of all tokens add up to the text's score (less the
        bias and the few features that span two tokens, which go to both halves).
        """
        row = rows_slice(features, 0, 1)
        order = np.argsort(row.indices, kind="stable")
        present = row.indices[order]
        share = row.data[order] * (self.weights[present, category] * self.scale[category])
        words = [
            _REPEATS.sub(r"\1\1", token.text) if token.is_word else "" for token in prepared.tokens
        ]
        # Every token's features at once (one sparse matrix, a row per token); each feature's
        # contribution is split among the tokens that produce it. Only the comment's own
        # features are looked at, never a vector as long as the model.
        produced = self.featurizer.tokens_features(words)
        columns = produced.indices
        found, owners = np.unique(columns, return_counts=True)
        place = np.clip(np.searchsorted(found, present), 0, max(len(found) - 1, 0))
        shared = (
            share / np.where(found[place] == present, owners[place], 1) if len(found) else share
        )
        at = np.clip(np.searchsorted(present, columns), 0, max(len(present) - 1, 0))
        values = (
            np.where(present[at] == columns, shared[at], 0.0) if len(present) else columns * 0.0
        )
        token_of = np.repeat(np.arange(len(words)), np.diff(produced.indptr))
        return np.bincount(token_of, weights=values, minlength=len(words)).tolist()


def _encoder_enabled() -> bool:
    from django.conf import settings

    return getattr(settings, "MODERATION_SENTENCE_ENCODER", True)


def sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(values, -30, 30)))


def classifier_load(directory: Path | None = None) -> Classifier:
    """Read and verify the model files; raise ModelError naming the file that is wrong."""
    directory = directory or model_directory()
    manifest_path = directory / "classifier.json"
    weights_path = directory / "classifier.npz"
    for path in (manifest_path, weights_path):
        if not path.is_file():
            raise ModelError(
                f"The moderation model file {path} is missing. Reinstall Masthead, or train "
                "the model with `masthead moderation train` (docs/moderation-model.md).",
                path=str(path),
            )
    try:
        manifest = json.loads(manifest_path.read_text("utf-8"))
        expected = manifest["sha256"]
    except (OSError, ValueError, KeyError, TypeError) as problem:
        raise ModelError(
            f"The moderation model file {manifest_path} is unreadable ({problem}).",
            path=str(manifest_path),
        ) from problem
    content = weights_path.read_bytes()
    if hashlib.sha256(content).hexdigest() != expected:
        raise ModelError(
            f"The moderation model file {weights_path} is corrupt: its checksum does not match "
            f"{manifest_path.name}. Reinstall Masthead or train the model again.",
            path=str(weights_path),
        )
    try:
        with np.load(weights_path) as arrays:
            weights, scale = arrays["weights"], arrays["scale"]
            # float16 as shipped: widened per comment, for its few hundred features only.
            bias, idf = arrays["bias"], arrays["idf"]
            head = None
            if "encoder_weights" in arrays:
                head = EncoderHead(
                    arrays["encoder_weights"].astype(np.float32),
                    arrays["encoder_bias"].astype(np.float32),
                    arrays["encoder_stack"].astype(np.float32),
                )
        classifier = Classifier(manifest, weights, scale, bias, idf)
        classifier.encoder_head = head
    except (OSError, ValueError, KeyError) as problem:
        raise ModelError(
            f"The moderation model file {weights_path} cannot be read ({problem}).",
            path=str(weights_path),
        ) from problem
    if classifier.weights.shape != (classifier.n_features, len(classifier.categories)):
        raise ModelError(
            f"The moderation model file {weights_path} does not fit its manifest.",
            path=str(weights_path),
        )
    return classifier


_lock = threading.Lock()
_shipped: Classifier | None = None


def classifier_shipped() -> Classifier:
    """The model shipped in the package, loaded once per process."""
    global _shipped
    if _shipped is None:
        with _lock:
            if _shipped is None:
                _shipped = classifier_load()
    return _shipped


def shipped_evaluation() -> list[tuple[str, set[str]]]:
    """The project's own labelled comments (data/evaluation/), for `learn`'s no-worse check.

    Written for Masthead, never trained on; abusive ones count as "insult" (the sets do not
    say which abuse category), spam as "spam", legitimate ones carry no label.
    """
    directory = Path(str(resources.files("masthead.moderation").joinpath("data", "evaluation")))
    rows = []
    for path in sorted(directory.glob("*.jsonl")):
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                item = json.loads(line)
                labels = {"toxic": {"insult"}, "spam": {"spam"}}.get(item["label"], set())
                rows.append((item["text"], labels))
    return rows

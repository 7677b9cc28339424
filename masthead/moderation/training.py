"""Training the shipped classifier from public corpora (`masthead moderation train`).

The corpora stay outside the repository (they are large and under their own licences); each is
one JSON Lines file in the format of docs/moderation-model.md ("Corpus format"), made from a
public source. `data/model/sources.json` says which source is used how:

* "train": its train and dev splits teach the model; its own test split is kept for evaluation;
* "eval": never trained on, only measured (functional test suites, held-out sources).

From those the model learns one logistic regression per category over hashed n-grams. A tenth
of every training source (chosen by a hash of the text, so it is stable between runs) is held
back to calibrate each category's threshold for a target rate of legitimate comments held;
then every test split and evaluation source is measured once and the figures go into the
manifest, which the model card and the admin show.
"""

import hashlib
import json
import logging
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from masthead.moderation.classifier import (
    ENCODER_LANGUAGES,
    FeatureSpec,
    Featurizer,
    model_directory,
    model_text,
    sigmoid,
)
from masthead.moderation.scoring import ABUSE_CATEGORIES, CATEGORIES
from masthead.moderation.text import text_prepare

logger = logging.getLogger(__name__)

FEATURES = FeatureSpec(word_bits=18, char_bits=20, word_ngrams=(1, 2), char_ngrams=(2, 5))
# Share of legitimate calibration comments a category may hold at its threshold. Together
# they stay under the 5 % an outlet tolerates; the rare categories (threats, sexual harassment,
# spam) get the smallest shares, as their few examples make the tail of their scores the least
# certain and a comment wrongly held as one of them is the hardest to explain to its author.
TARGET_FALSE_POSITIVES = {
    "insult": 0.02,
    "identity_hate": 0.015,
    "threat": 0.005,
    "sexual": 0.002,
    "profanity": 0.05,
    "spam": 0.005,
}
# A category needs this many positive examples to be learned at all: with fewer (sexual
# harassment has a few hundred in public data) its model learns "addressed to you" and holds
# thank-you notes; it then stays silent, and listed words and the outlet's own adaptation
# can still raise it.
MIN_POSITIVES = 1000
# No source may outweigh this many rows, so one large corpus does not decide a language alone.
SOURCE_CAP = 40_000


@dataclass
class Row:
    text: str
    lang: str
    labels: frozenset
    source: str
    split: str
    extra: dict = field(default_factory=dict)
    # The categories this row teaches: a source that annotated threats only says nothing
    # about insults in its "clean" rows.
    known: frozenset = frozenset(CATEGORIES)
    weight: float = 1.0


def corpora_read(directory: Path, roles: dict) -> tuple[list[Row], list[Row]]:
    """Return (training rows, evaluation rows) from the corpora named in `roles`.

    A training row whose text also stands in any evaluation row is dropped: the figures must
    come from comments the model never saw.
    """
    train, evaluation = [], []
    for source, spec in sorted(roles.items()):
        if source.startswith("_"):
            continue
        spec = {"role": spec} if isinstance(spec, str) else spec
        role = spec["role"]
        if role == "exclude":
            continue  # an outlet's choice: neither trained on nor measured
        known = frozenset(spec.get("only", CATEGORIES))
        weight = float(spec.get("weight", 1.0))
        relabel = spec.get("relabel", {})
        path = directory / f"{source}.jsonl"
        if not path.is_file():
            # Examples written for Masthead ship in the package (data/training/).
            path = model_directory().parent / "training" / f"{source}.jsonl"
        if not path.is_file():
            logger.warning("Corpus %s is missing (%s); skipped.", source, path)
            continue
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                item = json.loads(line)
                text = str(item.get("text") or "").strip()
                if not text:
                    continue
                labels = item.get("labels", [])
                original = str(item.get("orig_label") or "")
                for prefix, mapped in relabel.items():
                    if original.startswith(prefix):
                        labels = mapped
                labels = frozenset(label for label in labels if label in CATEGORIES)
                row = Row(
                    text,
                    str(item.get("lang") or "und"),
                    labels,
                    source,
                    str(item.get("split") or "train"),
                    {key: item[key] for key in ("functionality",) if key in item},
                    known,
                    weight,
                )
                if role == "train" and row.split != "test":
                    train.append(row)
                else:
                    evaluation.append(row)
    seen = {_folded(row.text) for row in evaluation}
    train = [row for row in train if _folded(row.text) not in seen]
    return train, evaluation


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def _calibration_part(row: Row) -> bool:
    digest = hashlib.blake2b(row.text.encode("utf-8", "replace"), digest_size=2).digest()
    return int.from_bytes(digest, "big") % 10 == 0


# --- Augmentation: what readers and abusers do to words --------------------------------------

_LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "$", "t": "7"}


def _spelling_game(text: str, rng: random.Random) -> str:
    words = text.split()
    if not words:
        return text
    index = rng.randrange(len(words))
    word = words[index]
    game = rng.randrange(6)
    if game == 0 and len(word) > 3:  # swap two letters: "haet"
        cut = rng.randrange(1, len(word) - 2)
        word = word[:cut] + word[cut + 1] + word[cut] + word[cut + 2 :]
    elif game == 1 and len(word) > 3:  # drop a letter: "blck"
        cut = rng.randrange(1, len(word) - 1)
        word = word[:cut] + word[cut + 1 :]
    elif game == 2 and index + 1 < len(words):  # join with the next word: "ihate"
        word = word + words.pop(index + 1)
    elif game == 3:
        word = "".join(_LEET.get(ch, ch) if rng.random() < 0.5 else ch for ch in word)
    elif game == 4 and len(word) > 3:  # mask a vowel: "c*nt"
        vowels = [i for i, ch in enumerate(word) if ch.lower() in "aeiouаеиоуыэюя"]
        if vowels:
            cut = rng.choice(vowels)
            word = word[:cut] + "*" + word[cut + 1 :]
    else:
        word = word.upper()
    words[index] = word
    return " ".join(words)


def augment(rows: list[Row], *, seed: int = 7) -> list[Row]:
    """Add Latin-letter versions of Cyrillic and Armenian comments, and spelling games.

    Readers of this region write Russian and Armenian in Latin letters ("ty durak", "inch es
    anum"); public corpora have almost none, so a share of them is transliterated.
    """
    from anyascii import anyascii  # training only: not a dependency of the server

    rng = random.Random(seed)  # noqa: S311 - reproducible augmentation, not secrets
    domains = [
        line.strip()
        for line in (model_directory().parent / "training" / "link_domains.txt")
        .read_text("utf-8")
        .splitlines()
        if line.strip() and not line.startswith("#")
    ]
    added = []
    for row in rows:
        if not row.labels and rng.random() < 0.04:
            # Public spam corpora teach "a link means spam"; readers cite sources all the time.
            path = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(8))
            link = f"https://www.{rng.choice(domains)}/{path}"
            text = f"{row.text} {link}" if rng.random() < 0.7 else f"{link} {row.text}"
            added.append(replace(row, text=text))
        if row.lang in {"ru", "uk", "hy", "be", "bg"} and rng.random() < 0.3:
            added.append(replace(row, text=anyascii(row.text)))
        if row.labels - {"spam"} and rng.random() < 0.25:
            added.append(replace(row, text=_spelling_game(row.text, rng)))
    return rows + added


# --- Training --------------------------------------------------------------------------------


def _prepare(text: str) -> str:
    return model_text(text_prepare(text))


_prepared_cache: dict[str, str] = {}


def prepared_cache_load(path: Path) -> None:
    """Reuse the normalized texts of an earlier run (normalizing is most of a run's time)."""
    import pickle

    if path.is_file():
        with path.open("rb") as stored:
            _prepared_cache.update(pickle.load(stored))  # noqa: S301 - our own file


def prepared_cache_save(path: Path) -> None:
    import pickle

    with path.open("wb") as stored:
        pickle.dump(_prepared_cache, stored)


def model_texts(texts: list[str], processes: int = 2) -> list[str]:
    """The model texts of `texts` (normalizing is the slow part: remembered for the run)."""
    missing = list({text for text in texts if text not in _prepared_cache})
    if processes <= 1 or len(missing) < 5000:
        done = [_prepare(text) for text in missing]
    else:
        with Pool(processes) as pool:
            done = pool.map(_prepare, missing, chunksize=2000)
    _prepared_cache.update(zip(missing, done, strict=True))
    return [_prepared_cache[text] for text in texts]


def _sample_weights(rows: list[Row]) -> np.ndarray:
    per_source = Counter(row.source for row in rows)
    return np.array(
        [row.weight * min(1.0, SOURCE_CAP / per_source[row.source]) for row in rows],
        dtype=np.float32,
    )


def _idf(counts: sp.csr_matrix) -> np.ndarray:
    documents = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
    return (np.log((1 + counts.shape[0]) / (1 + documents)) + 1.0).astype(np.float32)


def _fit_category(features, targets, weights, *, alpha: float, seed: int):
    from sklearn.linear_model import SGDClassifier

    positives = max(1.0, float((targets * weights).sum()))
    negatives = max(1.0, float(((1 - targets) * weights).sum()))
    # Rare categories (threats, sexual harassment) would otherwise be learned as "never".
    balance = min(8.0, negatives / positives)
    model = SGDClassifier(
        loss="log_loss",
        alpha=alpha,
        max_iter=12,
        tol=None,
        average=True,
        random_state=seed,
    )
    model.fit(features, targets, sample_weight=weights * np.where(targets == 1, balance, 1.0))
    return model.coef_.ravel().astype(np.float32), float(model.intercept_[0])


def _calibrate(scores: np.ndarray, clean: np.ndarray, target: float, weights: np.ndarray) -> float:
    """Return the raw logit above which `target` of the clean calibration rows fall.

    Rows count with their training weight, so the comments written in the outlet's genre
    weigh as much in the threshold as they do in the model.
    """
    negatives, weight = scores[clean], weights[clean]
    if negatives.size < 20:
        return 0.0
    order = np.argsort(negatives)
    cumulative = np.cumsum(weight[order]) / weight.sum()
    position = min(int(np.searchsorted(cumulative, 1.0 - target)), negatives.size - 1)
    return float(negatives[order][position])


# How many English training comments the encoder head learns from (embedding costs ~7 ms a
# comment here): every positive of the rare categories, then a sample of the rest.
ENCODER_ROWS = 36_000


def _encoder_sample(rows: list[Row], *, seed: int) -> list[int]:
    english = [i for i, row in enumerate(rows) if row.lang in ENCODER_LANGUAGES]
    rare = {"threat", "sexual", "spam"}
    chosen = [i for i in english if rows[i].labels & rare or rows[i].source.startswith("written")]
    rest = [i for i in english if i not in set(chosen)]
    random.Random(seed).shuffle(rest)  # noqa: S311 - a reproducible sample, not a secret
    return sorted(chosen + rest[: max(0, ENCODER_ROWS - len(chosen))])


def encoder_head_train(
    fit_rows: list[Row],
    calibration_rows: list[Row],
    calibration_linear: np.ndarray,
    *,
    seed: int,
    report=print,
) -> dict[str, np.ndarray]:
    """Learn the English sentence-encoder head and how to combine it with the linear model.

    The head is one logistic model per category over the 384-dimensional embedding; the
    combination (a · linear + b · encoder + c) is fitted on the calibration comments, which
    neither model trained on, and then shifted so that 0 is again the threshold that holds
    the target share of legitimate comments.
    """
    from sklearn.linear_model import LogisticRegression

    from masthead.moderation.encoder import encoder_get

    encoder = encoder_get()
    chosen = _encoder_sample(fit_rows, seed=seed)
    report(f"  encoder: embedding {len(chosen)} English training comments")
    embedded = encoder.embed([fit_rows[i].text for i in chosen])
    fit_weights = _sample_weights([fit_rows[i] for i in chosen])
    english = [i for i, row in enumerate(calibration_rows) if row.lang in ENCODER_LANGUAGES]
    report(f"  encoder: embedding {len(english)} English calibration comments")
    cal_embedded = encoder.embed([calibration_rows[i].text for i in english])
    cal_rows = [calibration_rows[i] for i in english]
    cal_weights = _sample_weights(cal_rows)
    k = len(CATEGORIES)
    head_weights = np.zeros((embedded.shape[1], k), dtype=np.float32)
    head_bias = np.full(k, -12.0, dtype=np.float32)
    stack = np.tile(np.array([1.0, 0.0, 0.0], dtype=np.float32), (k, 1))
    for c, name in enumerate(CATEGORIES):
        targets = np.array([name in fit_rows[i].labels for i in chosen], dtype=np.float32)
        taught = np.array([name in fit_rows[i].known for i in chosen], dtype=np.float32)
        cal_targets = np.array([name in row.labels for row in cal_rows], dtype=np.float32)
        cal_taught = np.array([name in row.known for row in cal_rows], dtype=bool)
        if targets[taught > 0].sum() < 50 or cal_targets[cal_taught].sum() < 10:
            report(f"  encoder: {name}: too few English examples; linear model alone")
            continue
        positives = float((targets * fit_weights * taught).sum())
        negatives = float(((1 - targets) * fit_weights * taught).sum())
        balance = min(8.0, negatives / max(positives, 1.0))
        head = LogisticRegression(C=4.0, max_iter=400)
        head.fit(
            embedded,
            targets,
            sample_weight=fit_weights * taught * np.where(targets == 1, balance, 1.0),
        )
        head_weights[:, c] = head.coef_.ravel()
        head_bias[c] = head.intercept_[0]
        encoded = cal_embedded @ head_weights[:, c] + head_bias[c]
        linear = calibration_linear[english, c]
        pair = np.column_stack([linear, encoded])[cal_taught]
        combiner = LogisticRegression(C=10.0, max_iter=200)
        combiner.fit(pair, cal_targets[cal_taught], sample_weight=cal_weights[cal_taught])
        a, b = combiner.coef_.ravel()
        combined = a * linear + b * encoded + combiner.intercept_[0]
        clean = np.array(
            [not (row.labels - {"profanity"}) and name in row.known for row in cal_rows]
        )
        if name == "profanity":
            clean = np.array([not row.labels and name in row.known for row in cal_rows])
        threshold = _calibrate(combined, clean, TARGET_FALSE_POSITIVES[name], cal_weights)
        stack[c] = (a, b, combiner.intercept_[0] - threshold)
        report(f"  encoder: {name}: linear × {a:.2f} + encoder × {b:.2f}")
    return {"encoder_weights": head_weights, "encoder_bias": head_bias, "encoder_stack": stack}


def metrics_for(rows: list[Row], probabilities: np.ndarray) -> dict:
    """Held / passed figures at the default thresholds (0.5), per source, language, category."""
    index = {name: i for i, name in enumerate(CATEGORIES)}
    abuse = [index[name] for name in ABUSE_CATEGORIES]
    held_abuse = probabilities[:, abuse].max(axis=1) >= 0.5
    held_spam = probabilities[:, index["spam"]] >= 0.5
    groups: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        groups[f"source:{row.source}"].append(i)
        groups[f"lang:{row.lang}"].append(i)
    result = {}
    for group, members in sorted(groups.items()):
        members = np.array(members)
        entry = {"rows": int(members.size)}
        abusive = np.array([bool(rows[i].labels & set(ABUSE_CATEGORIES)) for i in members])
        spam = np.array(["spam" in rows[i].labels for i in members])
        clean = np.array([not rows[i].labels for i in members])
        profane_only = np.array([rows[i].labels == {"profanity"} for i in members])
        if abusive.any():
            entry["abuse_held"] = round(float(held_abuse[members][abusive].mean()), 4)
            entry["abuse_rows"] = int(abusive.sum())
        if spam.any():
            entry["spam_held"] = round(float(held_spam[members][spam].mean()), 4)
            entry["spam_rows"] = int(spam.sum())
        legit = clean | profane_only
        if legit.any():
            held = held_abuse[members] | held_spam[members]
            entry["legit_held"] = round(float(held[legit].mean()), 4)
            entry["legit_rows"] = int(legit.sum())
        for name in CATEGORIES:
            positive = np.array([name in rows[i].labels for i in members])
            if positive.sum() >= 20:
                recall = probabilities[members][positive, index[name]] >= 0.5
                entry[f"{name}_recall"] = round(float(recall.mean()), 4)
        result[group] = entry
    return result


def train(
    *,
    corpora: Path,
    output: Path | None = None,
    roles: dict[str, str] | None = None,
    alpha: float = 2e-6,
    seed: int = 7,
    processes: int = 2,
    encoder: bool = True,
    report=print,
) -> dict:
    """Train, calibrate, evaluate and write the model files; return the manifest."""
    output = output or model_directory()
    roles = roles or json.loads((model_directory() / "sources.json").read_text("utf-8"))
    started = time.monotonic()
    train_rows, eval_rows = corpora_read(corpora, roles)
    if not train_rows:
        raise ValueError(f"No training rows found in {corpora}.")
    fit_rows = [row for row in train_rows if not _calibration_part(row)]
    calibration_rows = [row for row in train_rows if _calibration_part(row)]
    fit_rows = augment(fit_rows, seed=seed)
    report(
        f"{len(fit_rows)} training rows (with augmentation), {len(calibration_rows)} for "
        f"calibration, {len(eval_rows)} for evaluation; preparing texts"
    )
    featurizer = Featurizer(FEATURES, None)
    fit_texts = model_texts([row.text for row in fit_rows], processes)
    featurizer.idf = _idf(featurizer.counts(fit_texts).to_scipy())
    fit_x = featurizer.transform(fit_texts).to_scipy()
    del fit_texts
    cal_x = featurizer.transform(
        model_texts([row.text for row in calibration_rows], processes)
    ).to_scipy()
    weights = _sample_weights(fit_rows)
    calibration_weights = _sample_weights(calibration_rows)
    coefficients, biases = [], []
    calibration_linear = np.zeros((len(calibration_rows), len(CATEGORIES)), dtype=np.float32)
    for name in CATEGORIES:
        targets = np.array([name in row.labels for row in fit_rows], dtype=np.float32)
        taught = np.array([name in row.known for row in fit_rows], dtype=np.float32)
        if targets.sum() < MIN_POSITIVES:
            # Too few examples to learn from: the category stays silent (listed words and the
            # outlet's own adaptation can still raise it) rather than guess.
            report(f"  {name}: only {int(targets.sum())} positives; not learned")
            coefficients.append(np.zeros(fit_x.shape[1], dtype=np.float32))
            biases.append(-12.0)
            continue
        coef, intercept = _fit_category(fit_x, targets, weights * taught, alpha=alpha, seed=seed)
        raw = np.asarray(cal_x @ coef).ravel() + intercept
        clean = np.array(
            [not (row.labels - {"profanity"}) and name in row.known for row in calibration_rows]
        )
        if name == "profanity":
            clean = np.array([not row.labels and name in row.known for row in calibration_rows])
        threshold = _calibrate(raw, clean, TARGET_FALSE_POSITIVES[name], calibration_weights)
        coefficients.append(coef)
        biases.append(intercept - threshold)
        calibration_linear[:, CATEGORIES.index(name)] = raw - threshold
        report(f"  {name}: {int(targets.sum())} positives, threshold logit {threshold:.2f}")
    weights_matrix = np.vstack(coefficients)
    scale = np.abs(weights_matrix).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    quantized = np.round(weights_matrix / scale.reshape(-1, 1)).astype(np.int8)
    output.mkdir(parents=True, exist_ok=True)
    weights_path = output / "classifier.npz"
    head = {}
    if encoder:
        head = encoder_head_train(
            fit_rows, calibration_rows, calibration_linear, seed=seed, report=report
        )
    np.savez_compressed(
        weights_path,
        weights=quantized,
        scale=scale.astype(np.float32),
        bias=np.array(biases, dtype=np.float32),
        idf=featurizer.idf.astype(np.float16),
        **head,
    )
    manifest = {
        "version": datetime.now(UTC).strftime("%Y%m%d.%H%M"),
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "categories": list(CATEGORIES),
        "features": {
            "word_bits": FEATURES.word_bits,
            "char_bits": FEATURES.char_bits,
            "word_ngrams": list(FEATURES.word_ngrams),
            "char_ngrams": list(FEATURES.char_ngrams),
        },
        "training": {
            "alpha": alpha,
            "seed": seed,
            "rows": len(fit_rows),
            "calibration_rows": len(calibration_rows),
            "sources": dict(Counter(row.source for row in train_rows)),
            "target_false_positives": TARGET_FALSE_POSITIVES,
            "seconds": round(time.monotonic() - started),
            "encoder": bool(head),
        },
        "sha256": hashlib.sha256(weights_path.read_bytes()).hexdigest(),
    }
    # Measure with exactly what ships (quantized weights, float16 IDF).
    from masthead.moderation.classifier import classifier_load

    (output / "classifier.json").write_text(json.dumps(manifest, indent=1), "utf-8")
    shipped = classifier_load(output)
    eval_texts = model_texts([row.text for row in eval_rows], processes)
    eval_features = shipped.featurizer.transform(eval_texts)
    probabilities = sigmoid(
        # Languages detected as the site detects them, so the encoder reads what it would.
        shipped.combined_logits([row.text for row in eval_rows], eval_features)
    )
    manifest["metrics"] = metrics_for(eval_rows, probabilities)
    (output / "classifier.json").write_text(
        json.dumps(manifest, indent=1, ensure_ascii=False), "utf-8"
    )
    report(f"done in {manifest['training']['seconds']} s; wrote {output}")
    return manifest


def evaluate(*, corpora: Path, directory: Path | None = None, roles: dict | None = None) -> dict:
    """Measure the model in `directory` on the held-out corpora, as the site scores (languages
    detected, the encoder's cascade), and store the figures in its manifest."""
    from masthead.moderation.classifier import classifier_load

    directory = directory or model_directory()
    roles = roles or json.loads((model_directory() / "sources.json").read_text("utf-8"))
    _, eval_rows = corpora_read(corpora, roles)
    classifier = classifier_load(directory)
    texts = [row.text for row in eval_rows]
    features = classifier.featurizer.transform(model_texts(texts))
    probabilities = sigmoid(classifier.combined_logits(texts, features))
    manifest_path = directory / "classifier.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    manifest["metrics"] = metrics_for(eval_rows, probabilities)
    manifest_path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False), "utf-8")
    return manifest

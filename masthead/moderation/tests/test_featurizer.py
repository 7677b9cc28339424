"""The serving featurizer counts exactly the n-grams the model was trained on.

The model was trained with scikit-learn's HashingVectorizer; the server hashes with mmh3 so
that it never imports scikit-learn's text module (~70 MB per process). A single column off
would silently move every score, so the two are compared on texts of every kind.
"""

import random
import subprocess
import sys

import numpy as np
import pytest
import scipy.sparse as sp

from masthead.moderation.classifier import FeatureSpec, Featurizer, classifier_shipped

SPEC = FeatureSpec(word_bits=18, char_bits=20, word_ngrams=(1, 2), char_ngrams=(2, 5))


def reference_counts(docs: list[str], spec: FeatureSpec) -> sp.csr_matrix:
    from sklearn.feature_extraction.text import HashingVectorizer

    common = {"lowercase": False, "alternate_sign": False, "norm": None, "dtype": np.float32}
    words = HashingVectorizer(
        n_features=1 << spec.word_bits,
        analyzer="word",
        token_pattern=r"\S+",
        ngram_range=spec.word_ngrams,
        **common,
    )
    chars = HashingVectorizer(
        n_features=1 << spec.char_bits, analyzer="char_wb", ngram_range=spec.char_ngrams, **common
    )
    matrix = sp.hstack([words.transform(docs), chars.transform(docs)], format="csr")
    matrix.sort_indices()
    return matrix


def mixed_texts(count: int, seed: int) -> list[str]:
    """Short and long texts in several scripts, with every kind of space and emoji."""
    pieces = [
        "you", "are", "an", "idiot", "the", "minister's", "budget", "vote", "!!!", "l0ser",
        "идиот", "Scheiße", "ça", "va", "中文", "評論", "مرحبا", "😀", "🇫🇷", "x", "ab",
        "\u00a0", "\t", "\n", "  ", "\u2003", "\u200b", "e\u0301", "ﬁ", "İ",
    ]  # fmt: skip
    rng = random.Random(seed)
    texts = ["", " ", "a", "ab", "abc", "one two", "a  b\t\tc\nd"]
    for _ in range(count):
        size = rng.choice([1, 2, 5, 20, 80])
        texts.append(" ".join(rng.choice(pieces) for _ in range(size)))
    return texts


@pytest.mark.parametrize(
    "spec",
    [SPEC, FeatureSpec(word_bits=10, char_bits=12, word_ngrams=(1, 3), char_ngrams=(1, 3))],
    ids=["shipped", "other-ranges"],
)
def test_counts_equal_scikit_learn_hashing_vectorizer(spec):
    texts = mixed_texts(1500, seed=7)
    ours = Featurizer(spec, None).counts(texts).to_scipy()
    theirs = reference_counts(texts, spec)
    assert ours.shape == theirs.shape
    assert (ours != theirs).nnz == 0
    assert ours.nnz == theirs.nnz > 10_000


def test_words_kept_between_comments_count_the_same_and_stay_bounded():
    texts = mixed_texts(600, seed=13)
    featurizer = Featurizer(SPEC, None)
    featurizer.WORDS_KEPT = 16  # forgotten and found again many times over
    reference = reference_counts(texts, SPEC)
    # One comment at a time, as the server scores them, twice: cold, then with words kept.
    for _ in range(2):
        rows = [featurizer.counts([text]).to_scipy() for text in texts]
        assert (sp.vstack(rows, format="csr") != reference).nnz == 0
    assert 0 < len(featurizer._word_pieces) <= 16


def test_a_training_corpus_is_counted_in_chunks_with_the_same_result():
    texts = mixed_texts(5000, seed=11)  # more than one chunk
    whole = Featurizer(SPEC, None).counts(texts).to_scipy()
    assert (whole != reference_counts(texts, SPEC)).nnz == 0
    assert whole.shape[0] == len(texts)


def test_the_int8_model_scores_as_the_widened_float_model_did():
    classifier = classifier_shipped()
    texts = ["You are a complete idiot", "Thanks for the careful reporting", "", "kill you"]
    features = classifier.features(texts)
    widened = classifier.weights.astype(np.float32) * classifier.scale
    expected = np.asarray(features.to_scipy() @ widened) + classifier.bias
    assert np.allclose(classifier.logits(features), expected, atol=1e-5)
    assert classifier.weights.dtype == np.int8


def test_scoring_a_comment_imports_neither_scikit_learn_nor_scipy():
    # Together ~90 MB in every server process, for what NumPy does here.
    script = (
        "import sys, django; django.setup();"
        "from masthead.moderation.scoring import text_analyze;"
        "analysis = text_analyze('You are an idiot and a liar', adaptation=None);"
        "print(analysis.scores['insult'] > 0.5);"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy')))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "masthead.settings"},
    ).stdout.split("\n")
    assert shown[:2] == ["True", "[]"]

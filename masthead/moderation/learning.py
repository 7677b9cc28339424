"""The outlet's own adaptation of the shipped classifier, learned from its moderators' decisions.

Every approve, reject or spam decision taken in the queue is kept as a ModeratorDecision.
`adaptation_train` turns them into a candidate adaptation of the shipped model and measures it
against the model in force; `services.adaptation_learn` installs it, or records why not.

The adaptation, for each category c of the shipped model:

    adapted_logit[c] = shipped_logit[c] * scale[c] + bias[c] + (X @ delta)[:, c]

`scale` and `bias` recalibrate the shipped model to the outlet's standard (stricter or more
lenient); `delta` weighs features (words) the shipped model does not weigh as the moderators
do, such as a local slur. It is fitted with L-BFGS-B (scipy) on the logistic loss of the known
labels, rather than with scikit-learn, for three reasons:

- the shipped logits enter as a per-category offset with a learned scale, which scikit-learn's
  LogisticRegression cannot express;
- labels are partial: a rejection names one category, an approval all of them, spam only spam.
  A masked loss fits every category in one pass over the same rows;
- the prior is explicit: a strong L2 penalty pulls `delta` toward zero and `scale`, `bias`
  toward (1, 0), so a few decisions move the model a little and many move it more. `delta`
  gets no gradient for features absent from the decisions, so it is fitted and stored only on
  the decisions' own features (those in two texts or more): its size follows the outlet's
  vocabulary, not the model's. Scale and bias, which move every comment, stay at (1, 0) for a
  category until the decisions hold enough labels of both kinds for it, and a word weight is
  the stiffer the more public training texts held it (`adaptation_fit` says why): a few dozen
  decisions about a local slur then move the comments with the slur, not everyone else's.

A run over 10,000 decisions takes over a minute on two cores (measured: ~20 s to fit, ~10 s of
features, and ~10 ms per English comment the sentence encoder reads in `combined_logits`,
~50 s for 5,000), far too long for a request: the Model page hands it to the task queue.

Labels from a decision: spam → spam positive; reject → positive for the abuse category the
shipped model scores highest (insult when none reaches half its hold threshold); approve →
negative for every category. The shipped evaluation data, whose abusive texts are all labelled
"insult", is read the same way (`category_labels`).

"Not worse" (`regressions`) is measured on two sets: a deterministic, stratified quarter of the
decisions held out of training (chosen by a hash of the comment id, so the same decisions stay
held out as more arrive and an earlier adaptation has not learned from them), and the shipped
evaluation data. On each, the candidate is compared with the model in force on

- abuse held: the share of refused comments (or abusive examples) the model would hold at the
  site's hold thresholds (Settings → Moderation; 1 never holds) — must not fall;
- legit held: the share of approved comments (or examples with no category) it would hold —
  must not rise;
- log loss: mean binary cross-entropy over the known labels — must not rise.

On the held-out decisions these are strict. On the shipped evaluation data, the public examples
the model was built to get right, a share may move by half a percentage point (a borderline
example or two) and the log loss by 1 %: adapting to one outlet moves a little away from
public data by design; more than that is damage.

The exact candidate that was evaluated is the one installed. An erased commenter's decisions
leave the next learning run; an installed adaptation keeps its numbers until then.
"""

import hashlib
import io
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from threadpoolctl import threadpool_limits

logger = logging.getLogger(__name__)

# The categories that can name a rejection (scoring.py's ABUSE_CATEGORIES, repeated here
# because scoring imports this module).
ABUSE_CATEGORIES = ("insult", "identity_hate", "threat", "sexual")
REJECT_FALLBACK = "insult"

HELD_OUT_SHARE = 0.25
# The newest decisions a run learns from: enough for any outlet, and a bounded run time.
MAX_DECISIONS = 20_000
# L2 strengths on the summed loss: word weights toward 0, scale and bias toward (1, 0). The
# latter move every score at once, so they need far more decisions in agreement to move.
DELTA_L2 = 1.0
SCALE_L2 = 1000.0
BIAS_L2 = 100.0
# A category's scale and bias are fitted only when the training decisions hold at least this
# many positive and this many negative labels for it; below that they stay at (1, 0) and only
# word weights move (see `adaptation_fit`).
RECALIBRATION_MIN_LABELS = 100
# The added L2 strength on a word weight per public training text that held the feature (its
# document frequency, from the shipped IDF): what the shipped model learned from many texts
# moves only with many decisions (see `adaptation_fit`).
PUBLIC_TEXT_L2 = 0.001
SCALE_BOUNDS = (0.25, 4.0)
MAX_ITERATIONS = 300
MIN_FEATURE_TEXTS = 2
# Stop when an iteration improves the loss by less than this fraction.
STOP_TOLERANCE = 1e-7
# Word weights smaller than this are dropped when stored.
WEIGHT_FLOOR = 1e-4
# Allowed drift on the shipped evaluation data (see the module's docstring).
SHIPPED_SHARE_SLACK = 0.005
SHIPPED_LOG_LOSS_SLACK = 0.01

VERSION_CACHE_KEY = "moderation:adaptation:version"
CACHE_CHECK_SECONDS = 1.0
DATABASE_CHECK_SECONDS = 60.0


def expit(values: np.ndarray) -> np.ndarray:
    """The logistic function, scipy's (imported only by a learning run)."""
    from scipy.special import expit as logistic

    return logistic(values)


class LearningError(Exception):
    """Learning cannot start (too few decisions, no classifier), with a message to show."""


# --- the adaptation ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Adaptation:
    """A learned adaptation of the shipped model: per-category scale and bias, word weights.

    Word weights are kept as the rows of the features that have one (`rows`, sorted) and
    their weights per category (`weights`): applying them to a comment is one lookup of its
    few hundred features, with NumPy alone (scipy.sparse costs a server process ~22 MB).
    """

    categories: tuple[str, ...]
    scale: np.ndarray  # (k,)
    bias: np.ndarray  # (k,)
    rows: np.ndarray  # (m,) int32: the features with a word weight, sorted
    weights: np.ndarray  # (m, k) float32
    n_features: int
    attempt_id: int | None = None

    @classmethod
    def from_delta(
        cls, *, categories, scale: np.ndarray, bias: np.ndarray, delta, attempt_id=None
    ) -> "Adaptation":
        """An adaptation whose word weights are `delta`, (n_features, k), sparse or COO-like
        (anything with `tocoo()`)."""
        coo = delta.tocoo()
        return cls._from_entries(
            categories=tuple(categories),
            scale=np.asarray(scale),
            bias=np.asarray(bias),
            rows=coo.row,
            cols=coo.col,
            values=coo.data,
            n_features=delta.shape[0],
            attempt_id=attempt_id,
        )

    @classmethod
    def _from_entries(
        cls, *, categories, scale, bias, rows, cols, values, n_features, attempt_id
    ) -> "Adaptation":
        kept = np.asarray(values) != 0
        rows, cols, values = (
            np.asarray(rows)[kept],
            np.asarray(cols)[kept],
            np.asarray(values)[kept],
        )
        features, place = np.unique(rows.astype(np.int64), return_inverse=True)
        weights = np.zeros((len(features), len(categories)), dtype=np.float32)
        np.add.at(weights, (place, cols.astype(np.int64)), values.astype(np.float32))
        return cls(
            categories=categories,
            scale=scale,
            bias=bias,
            rows=features.astype(np.int32),
            weights=weights,
            n_features=int(n_features),
            attempt_id=attempt_id,
        )

    def apply(self, Z: np.ndarray, X) -> np.ndarray:
        """Return the adapted logits (n, k) for the shipped model's logits `Z` of features `X`
        (classifier.SparseRows, or a scipy csr_matrix)."""
        adapted = np.asarray(Z, dtype=np.float64) * self.scale + self.bias
        if len(self.rows) and X.nnz:
            columns = np.asarray(X.indices)
            at = np.minimum(np.searchsorted(self.rows, columns), len(self.rows) - 1)
            weighted = self.rows[at] == columns
            text_of = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
            np.add.at(
                adapted,
                text_of[weighted],
                np.asarray(X.data)[weighted, None] * self.weights[at[weighted]],
            )
        return adapted

    @property
    def nnz(self) -> int:
        """How many word weights are not zero."""
        return int(np.count_nonzero(self.weights))

    def to_bytes(self) -> bytes:
        """Return the parameters as a compressed .npz (no pickles), for LearningAttempt."""
        place, cols = np.nonzero(self.weights)
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            categories=np.array(self.categories),
            scale=self.scale.astype(np.float64),
            bias=self.bias.astype(np.float64),
            rows=self.rows[place].astype(np.int32),
            cols=cols.astype(np.int16),
            values=self.weights[place, cols].astype(np.float32),
            n_features=np.array(self.n_features),
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes, *, attempt_id: int | None = None) -> "Adaptation":
        """Rebuild an adaptation from `to_bytes`."""
        stored = np.load(io.BytesIO(bytes(data)), allow_pickle=False)
        return cls._from_entries(
            categories=tuple(str(name) for name in stored["categories"]),
            scale=stored["scale"],
            bias=stored["bias"],
            rows=stored["rows"],
            cols=stored["cols"],
            values=stored["values"],
            n_features=int(stored["n_features"]),
            attempt_id=attempt_id,
        )


# --- the adaptation in force, per process -----------------------------------------------------


@dataclass(frozen=True)
class _InForce:
    version: int | None = None  # the installed attempt's id, 0 for none, None before a look
    adaptation: Adaptation | None = None
    next_cache_check: float = 0.0
    next_database_check: float = 0.0


_in_force = _InForce()
_in_force_lock = threading.Lock()


def adaptation_current() -> Adaptation | None:
    """Return the installed adaptation for the running shipped model, or None.

    Cheap enough for every comment: the answer is kept in the process, the shared cache's
    version key is read at most once a second (an install elsewhere clears it, so every app
    server sees it at once), and the database at most once a minute (a per-process cache
    would not see another server's install otherwise). If the adaptation cannot be loaded,
    the shipped model scores alone: it is a sound model, and scoring must never fail for this.
    """
    global _in_force
    now = time.monotonic()
    state = _in_force
    if now < state.next_cache_check:
        return state.adaptation
    with _in_force_lock:
        state = _in_force
        if now < state.next_cache_check:
            return state.adaptation
        next_database_check = state.next_database_check
        try:
            from django.core.cache import cache

            version = cache.get(VERSION_CACHE_KEY)
            if version is None or now >= next_database_check:
                version = _installed_version()
                # add, not set: an install committed meanwhile has cleared the key, and a
                # stale value must not overwrite it.
                cache.add(VERSION_CACHE_KEY, version, None)
                next_database_check = now + DATABASE_CHECK_SECONDS
            adaptation = state.adaptation if version == state.version else _adaptation_load(version)
        except Exception:  # no database, a bad row: the shipped model carries on
            logger.warning("The local adaptation could not be loaded", exc_info=True)
            version, adaptation = state.version, state.adaptation
            next_database_check = now + DATABASE_CHECK_SECONDS
        _in_force = _InForce(version, adaptation, now + CACHE_CHECK_SECONDS, next_database_check)
        return adaptation


def adaptation_changed() -> None:
    """Make every app server look for the installed adaptation again (call after commit)."""
    global _in_force
    from django.core.cache import cache

    cache.delete(VERSION_CACHE_KEY)
    with _in_force_lock:
        _in_force = _InForce()


def _shipped_version() -> str:
    classifier, _evaluation = _classifier()
    return str(classifier.manifest.get("version", ""))


def _installed_attempts():
    """Return the installed attempts that fit the running shipped model, newest first."""
    from masthead.moderation.models import LearningAttempt

    return LearningAttempt.objects.filter(
        outcome=LearningAttempt.Outcome.INSTALLED, shipped_version=_shipped_version()
    ).order_by("-created", "-id")


def _installed_version() -> int:
    return _installed_attempts().values_list("pk", flat=True).first() or 0


def _adaptation_load(version: int) -> Adaptation | None:
    from masthead.moderation.models import LearningAttempt

    if not version:
        return None
    parameters = LearningAttempt.objects.filter(pk=version).values_list("parameters", flat=True)
    data = parameters.first()
    if not data:
        return None
    adaptation = Adaptation.from_bytes(data, attempt_id=version)
    classifier, _evaluation = _classifier()
    if adaptation.categories != tuple(classifier.categories) or (
        adaptation.n_features != classifier.n_features
    ):
        logger.warning("Local adaptation #%s does not fit the shipped model; ignored", version)
        return None
    return adaptation


def adaptation_installed() -> Adaptation | None:
    """Return the newest installed adaptation straight from the database (no process cache).

    Raises LearningError when there is no shipped model to adapt.
    """
    return _adaptation_load(_installed_version())


# --- examples, labels and the held-out split --------------------------------------------------


@dataclass
class Examples:
    """Texts as features and shipped logits, with the labels known for each category."""

    X: object  # a scipy csr_matrix: the fit slices it by rows and columns
    Z: np.ndarray
    labels: np.ndarray  # (n, k) 0/1
    known: np.ndarray  # (n, k) bool: which labels are known
    found: list[frozenset]  # each text's categories as labelled (empty: acceptable)

    def __len__(self) -> int:
        return self.X.shape[0]

    def subset(self, rows: np.ndarray) -> "Examples":
        return Examples(
            X=self.X[rows],
            Z=self.Z[rows],
            labels=self.labels[rows],
            known=self.known[rows],
            found=[self.found[row] for row in np.flatnonzero(rows)],
        )


# What each decision says about the text, as the shipped evaluation data says it: a set of
# categories, where an abuse category stands for "abusive" (of a kind the labels do not name).
DECISION_CATEGORIES = {
    "approve": frozenset(),
    "reject": frozenset({"insult"}),
    "spam": frozenset({"spam"}),
}


def category_labels(
    found: Sequence[set[str]], shipped: np.ndarray, classifier
) -> tuple[np.ndarray, np.ndarray]:
    """Return (labels, known), each (n, k), for texts labelled with sets of categories.

    An empty set is negative for every category. An abuse category marks the text abusive:
    positive for the abuse category the shipped model (probabilities `shipped`) leans to, insult
    when none reaches half its threshold; neither a rejection nor the evaluation data says
    which kind. Spam and profanity are positive as named. Everything else stays unknown.
    """
    categories = list(classifier.categories)
    labels = np.zeros((len(found), len(categories)))
    known = np.zeros((len(found), len(categories)), dtype=bool)
    abuse = [categories.index(name) for name in ABUSE_CATEGORIES if name in categories]
    floors = np.array([classifier.thresholds[categories[c]] / 2 for c in abuse])
    for row, names in enumerate(found):
        if not names:
            known[row] = True
            continue
        if set(names) & set(ABUSE_CATEGORIES):
            leaning = np.where(shipped[row, abuse] >= floors, shipped[row, abuse], -1.0)
            best = int(np.argmax(leaning))
            column = abuse[best] if leaning[best] >= 0 else categories.index(REJECT_FALLBACK)
            labels[row, column] = known[row, column] = True
        for name in set(names) - set(ABUSE_CATEGORIES):
            if name in categories:
                labels[row, categories.index(name)] = known[row, categories.index(name)] = True
    return labels, known


def held_out_rows(keys: Sequence[int], decisions: Sequence[str]) -> np.ndarray:
    """Return which decisions to hold out: about a quarter of each kind, chosen by comment id.

    The hash of a comment's rank among the decided comments (oldest first) decides: decisions
    on newer comments leave the choice for older ones as it was, and the choice does not hang
    on the ids a particular database hands out. Each kind with two decisions or more keeps at
    least one on each side.
    """
    ranks = np.argsort(np.argsort(np.asarray(keys), kind="stable"), kind="stable")
    position = np.array(
        [int(hashlib.sha256(f"learning:{rank}".encode()).hexdigest()[:8], 16) for rank in ranks]
    ) / float(16**8)
    held = position < HELD_OUT_SHARE
    kinds = np.array(decisions)
    for kind in set(decisions):
        members = np.flatnonzero(kinds == kind)
        if len(members) < 2:
            held[members] = False
            continue
        ordered = members[np.argsort(position[members])]
        if not held[members].any():
            held[ordered[0]] = True
        if held[members].all():
            held[ordered[-1]] = False
    return held


def examples_build(texts: Sequence[str], found: Sequence[set[str]], classifier) -> Examples:
    """Return labelled texts as examples, with the shipped model's logits."""
    X = classifier.features(list(texts)).to_scipy()
    # The logits the site decides on (for English comments, combined with the encoder's).
    Z = np.asarray(classifier.combined_logits(list(texts), X), dtype=np.float64)
    labels, known = category_labels(found, expit(Z), classifier)
    return Examples(
        X=X, Z=Z, labels=labels, known=known, found=[frozenset(names) for names in found]
    )


# --- fitting ----------------------------------------------------------------------------------


def public_text_counts(classifier) -> np.ndarray | None:
    """Return, per feature, how many of the shipped model's training texts held it, or None.

    Read back from the shipped IDF (scikit-learn's smooth IDF, ln((1 + N) / (1 + df)) + 1) and
    the number of training rows in the manifest; None when either is missing.
    """
    idf = getattr(classifier.featurizer, "idf", None)
    rows = classifier.manifest.get("training", {}).get("rows")
    if idf is None or not rows:
        return None
    counts = (float(rows) + 1) * np.exp(1.0 - np.asarray(idf, dtype=np.float64)) - 1
    return np.clip(counts, 0.0, None)


def adaptation_fit(
    examples: Examples, categories: Sequence[str], public_texts: np.ndarray | None = None
) -> Adaptation:
    """Fit scale, bias and word weights to the examples' known labels (L-BFGS-B, strong L2).

    Two safeguards keep an adaptation learned from a few dozen decisions from moving the scores
    of comments unrelated to them (the no-worse rule on the shipped evaluation data would then
    refuse it, rightly):

    - Scale and bias shift every comment's score in a category, so they are fitted only for a
      category with `RECALIBRATION_MIN_LABELS` positive and negative training labels or more;
      below that they stay at (1, 0). A few dozen decisions, often about one word or one
      topic, say nothing about where the outlet's line lies for comments in general, and a
      small bias already tips the many borderline comments (probability 0.45–0.5) over a
      threshold. Above it, the L2 prior toward (1, 0) holds as before, and the decisions
      outweigh it more as they accumulate.
    - A word weight's L2 strength grows with the number of public training texts that held
      the feature (`public_texts`, from the shipped IDF; `PUBLIC_TEXT_L2` each): the shipped
      model's weight on "you", "are" or "total" rests on tens of thousands of texts, a local
      slur's on none. Decisions that reject "You are a total skrunt." then put the weight on
      the slur, which the public data has never seen, rather than on the everyday words
      around it, which would raise every "you are ..." comment on the site. This is the
      Laplace (elastic weight consolidation) view of fine-tuning: each weight is as stiff as
      the evidence behind it. Many decisions still move common features.
    """
    n_features = examples.X.shape[1]
    k = len(categories)
    # Word weights only for features seen in two texts or more: one text cannot tell a feature
    # from its neighbours, and the penalty would shrink its weight to little anyway. This keeps
    # the fit to seconds for 10,000 decisions.
    seen = np.bincount(examples.X.indices, minlength=n_features)
    columns = np.flatnonzero(seen >= MIN_FEATURE_TEXTS)
    # float32 products: twice as fast, and far more precise than the labels.
    Xs = examples.X[:, columns].tocsr().astype(np.float32)
    XsT = Xs.T.tocsr()
    Z, Y = examples.Z, examples.labels
    known = examples.known.astype(np.float64)
    m = len(columns)
    weight_l2 = np.full((m, 1), DELTA_L2)
    if public_texts is not None:
        weight_l2 += PUBLIC_TEXT_L2 * np.asarray(public_texts, dtype=np.float64)[columns, None]
    positives = (known * Y).sum(axis=0)
    negatives = (known * (1 - Y)).sum(axis=0)
    recalibrated = np.minimum(positives, negatives) >= RECALIBRATION_MIN_LABELS

    def unpack(theta):
        return theta[:k], theta[k : 2 * k], theta[2 * k :].reshape(m, k)

    def loss_and_gradient(theta):
        scale, bias, weights = unpack(theta)
        logits = Z * scale + bias + Xs @ weights.astype(np.float32)
        loss = (known * (np.logaddexp(0.0, logits) - Y * logits)).sum()
        residual = known * (expit(logits) - Y)
        loss += SCALE_L2 / 2 * ((scale - 1) ** 2).sum() + BIAS_L2 / 2 * (bias**2).sum()
        loss += (weight_l2 * weights**2).sum() / 2
        gradient = np.concatenate(
            [
                (residual * Z).sum(axis=0) + SCALE_L2 * (scale - 1),
                residual.sum(axis=0) + BIAS_L2 * bias,
                (XsT @ residual.astype(np.float32) + weight_l2 * weights).ravel(),
            ]
        )
        return loss, gradient

    start = np.concatenate([np.ones(k), np.zeros(k), np.zeros(m * k)])
    lower = np.full(start.shape, -np.inf)
    upper = np.full(start.shape, np.inf)
    lower[:k], upper[:k] = SCALE_BOUNDS
    # Equal bounds fix a category's scale at 1 and bias at 0 (too few labels to recalibrate).
    lower[:k][~recalibrated] = upper[:k][~recalibrated] = 1.0
    lower[k : 2 * k][~recalibrated] = upper[k : 2 * k][~recalibrated] = 0.0
    # One BLAS thread: L-BFGS-B's small vector operations gain nothing from more, and on a
    # busy server the threads' contention made the fit ten times slower.
    # Imported here: scipy.optimize costs every process ~25 MB, and only a fit needs it.
    from scipy import optimize

    with threadpool_limits(limits=1):
        fitted = optimize.minimize(
            loss_and_gradient,
            start,
            jac=True,
            method="L-BFGS-B",
            bounds=optimize.Bounds(lower, upper),
            options={"maxiter": MAX_ITERATIONS, "ftol": STOP_TOLERANCE},
        )
    scale, bias, weights = unpack(fitted.x)
    weights = np.where(np.abs(weights) >= WEIGHT_FLOOR, weights, 0.0)
    from scipy import sparse

    delta = sparse.coo_matrix(
        (weights.ravel(), (np.repeat(columns, k), np.tile(np.arange(k), m))),
        shape=(n_features, k),
    )
    return Adaptation.from_delta(
        categories=tuple(categories), scale=scale.copy(), bias=bias.copy(), delta=delta
    )


# --- measuring --------------------------------------------------------------------------------


def figures(
    logits: np.ndarray, examples: Examples, categories: Sequence[str], thresholds: dict
) -> dict:
    """Return abuse_held, legit_held (None when a set has no such examples) and log_loss.

    A text is held when a category reaches its threshold in `thresholds`; a threshold of 1 or
    more never holds (profanity, by default), and texts labelled only with such categories
    count neither as abuse nor as acceptable.
    """
    holding = [c for c, name in enumerate(categories) if thresholds[name] < 1]
    limits = np.array([thresholds[categories[c]] for c in holding])
    held = (expit(logits[:, holding]) >= limits).any(axis=1)
    names = {categories[c] for c in holding}
    should_hold = np.array([bool(found & names) for found in examples.found], dtype=bool)
    acceptable = np.array([not found for found in examples.found], dtype=bool)
    known = examples.known
    losses = np.logaddexp(0.0, logits) - examples.labels * logits
    return {
        "examples": len(examples),
        "abuse_held": _share(held, should_hold),
        "legit_held": _share(held, acceptable),
        "log_loss": float(losses[known].mean()) if known.any() else None,
    }


def _share(held: np.ndarray, among: np.ndarray) -> float | None:
    return float(held[among].mean()) if among.any() else None


def _percent(value: float) -> str:
    return f"{value * 100:.1f} %"


# The sets a candidate is measured on, and how the reasons name them.
EVALUATION_SETS = {
    "decisions": lambda: _("the held-out decisions"),
    "shipped": lambda: _("the shipped evaluation data"),
}
# How tables head them.
EVALUATION_SET_TITLES = {
    "decisions": lambda: _("Held-out decisions"),
    "shipped": lambda: _("Shipped evaluation data"),
}


FIGURE_NAMES = {
    "abuse_held": lambda: _("abuse held"),
    "legit_held": lambda: _("acceptable comments held"),
    "log_loss": lambda: _("log loss"),
}


def figures_rows(report: dict) -> list[tuple[str, str, str, str]]:
    """Return a run's figures as (set, figure, model in force, candidate) rows of text."""
    rows = []
    for name, label in EVALUATION_SET_TITLES.items():
        if name not in report:
            continue
        current, candidate = report[name]["current"], report[name]["candidate"]
        for figure, figure_label in FIGURE_NAMES.items():
            if current.get(figure) is None or candidate.get(figure) is None:
                continue
            show = (lambda value: f"{value:.3f}") if figure == "log_loss" else _percent
            rows.append((label(), figure_label(), show(current[figure]), show(candidate[figure])))
    return rows


def regressions(name: str, current: dict, candidate: dict) -> list[str]:
    """Return, in words, where `candidate` is worse than `current` on one evaluation set."""
    share_slack = SHIPPED_SHARE_SLACK if name == "shipped" else 0.0
    loss_slack = SHIPPED_LOG_LOSS_SLACK if name == "shipped" else 0.0
    where = EVALUATION_SETS[name]()
    problems = []
    before, after = current.get("abuse_held"), candidate.get("abuse_held")
    if before is not None and after is not None and after < before - share_slack - 1e-12:
        problems.append(
            _("on %(set)s, abuse held would fall from %(before)s to %(after)s")
            % {"set": where, "before": _percent(before), "after": _percent(after)}
        )
    before, after = current.get("legit_held"), candidate.get("legit_held")
    if before is not None and after is not None and after > before + share_slack + 1e-12:
        problems.append(
            _("on %(set)s, acceptable comments held would rise from %(before)s to %(after)s")
            % {"set": where, "before": _percent(before), "after": _percent(after)}
        )
    before, after = current.get("log_loss"), candidate.get("log_loss")
    if before is not None and after is not None and after > before * (1 + loss_slack) + 1e-12:
        problems.append(
            _("on %(set)s, log loss would rise from %(before).3f to %(after).3f")
            % {"set": where, "before": before, "after": after}
        )
    return problems


# --- one learning run -------------------------------------------------------------------------


def _classifier():
    """Return the shipped classifier and its evaluation data, or raise LearningError."""
    try:
        from masthead.moderation.classifier import (
            ModelError,
            classifier_shipped,
            shipped_evaluation,
        )
    except ImportError:
        raise LearningError(_("The shipped classifier is not installed.")) from None
    try:
        return classifier_shipped(), shipped_evaluation
    except ModelError as problem:
        raise LearningError(str(problem)) from None


def shipped_manifest() -> tuple[dict, str]:
    """Return the shipped model's manifest, or ({}, why it cannot be read)."""
    try:
        classifier, _evaluation = _classifier()
    except LearningError as problem:
        return {}, str(problem)
    return dict(classifier.manifest), ""


def too_few_message(count: int, minimum: int) -> str:
    """Say that there are too few decisions to learn from, and how to collect more."""
    return ngettext(
        "Only %(count)d decision so far; learning needs at least %(minimum)d "
        "(approve, reject or spam in the moderation queue).",
        "Only %(count)d decisions so far; learning needs at least %(minimum)d "
        "(approve, reject or spam in the moderation queue).",
        count,
    ) % {"count": count, "minimum": minimum}


@dataclass
class LearningResult:
    """What a run found: whether the candidate may be installed, why, and the figures."""

    acceptable: bool
    reason: str
    decisions: int
    held_out: int
    shipped_version: str
    figures: dict = field(default_factory=dict)
    candidate: Adaptation | None = None


def adaptation_train(
    decisions: Sequence[tuple[int, str, str]],
    *,
    current: Adaptation | None,
    min_decisions: int,
    hold_threshold: Callable[[str], float] | None = None,
) -> LearningResult:
    """Fit a candidate on ~75 % of `decisions` and compare it with `current` (None: shipped).

    `decisions` are (comment id, text, decision) rows; `hold_threshold(category)` gives the
    site's hold thresholds (the classifier's defaults when None). Raises LearningError when
    there are too few decisions to learn from, or no classifier to adapt.
    """
    minimum = max(2, min_decisions)
    if len(decisions) < minimum:
        raise LearningError(too_few_message(len(decisions), minimum))
    keys, texts, kinds = zip(*decisions, strict=True)
    held = held_out_rows(keys, kinds)
    if not held.any():
        raise LearningError(
            _("Learning needs at least two decisions of one kind, so that one can be held out.")
        )
    classifier, shipped_evaluation = _classifier()
    examples = examples_build(texts, [DECISION_CATEGORIES[kind] for kind in kinds], classifier)
    candidate = adaptation_fit(
        examples.subset(~held), classifier.categories, public_text_counts(classifier)
    )
    sets = {"decisions": examples.subset(held)}
    shipped_rows = list(shipped_evaluation())
    if shipped_rows:
        shipped_texts, shipped_found = zip(*shipped_rows, strict=True)
        sets["shipped"] = examples_build(shipped_texts, shipped_found, classifier)

    categories = tuple(classifier.categories)
    hold_threshold = hold_threshold or classifier.thresholds.get
    thresholds = {name: float(hold_threshold(name)) for name in categories}
    # The model the candidate is measured against: an installed attempt's id, or None (shipped).
    report: dict = {
        "current_attempt": current.attempt_id if current else None,
        "thresholds": thresholds,
    }
    problems = []
    for name, evaluation in sets.items():
        before = current.apply(evaluation.Z, evaluation.X) if current else evaluation.Z
        after = candidate.apply(evaluation.Z, evaluation.X)
        report[name] = {
            "current": figures(before, evaluation, categories, thresholds),
            "candidate": figures(after, evaluation, categories, thresholds),
        }
        problems += regressions(name, report[name]["current"], report[name]["candidate"])

    held_figures = report["decisions"]
    if problems:
        reason = _("Kept the current model: %(problems)s.") % {"problems": "; ".join(problems)}
    else:
        reason = _(
            "Not worse on the held-out decisions or the shipped evaluation data: log loss on "
            "%(count)d held-out decisions %(before).3f → %(after).3f."
        ) % {
            "count": int(held.sum()),
            "before": held_figures["current"]["log_loss"],
            "after": held_figures["candidate"]["log_loss"],
        }
    return LearningResult(
        acceptable=not problems,
        reason=reason,
        decisions=len(decisions),
        held_out=int(held.sum()),
        shipped_version=str(classifier.manifest.get("version", "")),
        figures=report,
        candidate=candidate,
    )

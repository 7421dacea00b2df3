"""The TF-IDF theme classifier: a multi-label scikit-learn estimator, one decision per theme.

:class:`ThemeClassifier` turns each sentence into a TF-IDF vector of words and word
pairs, adds its neighbouring sentences' vectors at a lower weight (``context_weight``)
so that "I often talk about the staircase curve." is read with the sentences around
it, and fits one logistic regression per theme.

Fitted models are saved as JSON (vocabulary, idf, coefficients, intercepts) and
scored with plain NumPy/SciPy, so a model file works across scikit-learn versions.
Training data comes from the lexicons: see :mod:`topictrack.themes.training`.
"""

from __future__ import annotations

import json
import weakref
from collections import Counter
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression

from topictrack.errors import ModelError
from topictrack.safeio import atomic_write
from topictrack.themes.matcher import Batch
from topictrack.themes.matcher import words as _words
from topictrack.themes.features import (
    MODEL_FORMAT,
    MODEL_VERSION,
    check_model_header,
    check_texts,
    neighbour_matrix,
    ngram_entries,
    read_model_file,
    vocabulary_tables,
)

_MAX_N = 3
_DIGITS = 7  # significant digits kept in saved models: byte-identical files across runs
# Scoring tables derived from a fitted model (word index, float32 weights), kept beside the
# model rather than on it: predicting never changes the estimator. Entries go with their model.
_DERIVED: "weakref.WeakKeyDictionary[ThemeClassifier, dict]" = weakref.WeakKeyDictionary()


def _derived(model, name: str, source, build):
    """``build()``, computed once per fitted ``source`` array of ``model`` and kept in :data:`_DERIVED`."""
    tables = _DERIVED.setdefault(model, {})
    cached = tables.get(name)
    if cached is None or cached[0] is not source:
        cached = tables[name] = (source, build())
    return cached[1]


def analyze(sentence: str, ngram_range=(1, 2)) -> list[str]:
    """The features of one sentence: lower-cased words (runs of letters and digits) and word n-grams."""
    words = _words(sentence)
    lo, hi = ngram_range
    return [" ".join(words[i : i + n]) for n in range(lo, hi + 1) for i in range(len(words) - n + 1)]


def _normalise_rows(X: sp.csr_matrix) -> None:
    """Scale each row of a CSR matrix to unit length, in place (empty rows stay empty)."""
    try:
        from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2
    except ImportError:  # pragma: no cover - moved in some scikit-learn release
        from sklearn.preprocessing import normalize

        normalize(X, copy=False)
        return
    inplace_csr_row_normalize_l2(X)


class ThemeClassifier(ClassifierMixin, BaseEstimator):
    """Multi-label TF-IDF + logistic-regression theme classifier.

    Parameters (keyword-only; stored as given, checked in :meth:`fit`):

    classes : sequence of str or None
        Theme names, in output column order. ``None``: the sorted themes found in ``Y``.
    ngram_range : (int, int)
        Word n-gram sizes (default unigrams and bigrams).
    min_df : int
        Minimum number of training sentences a feature must occur in.
    context_weight : float
        Weight of the previous and next sentence's TF-IDF vector added to a sentence's own.
    context_window : int
        How many sentences on each side give context; the one ``d`` places away weighs
        ``context_weight ** d``.
    C : float
        Inverse regularisation strength of each per-theme logistic regression.
    class_weight : "balanced" or None
        Passed to each logistic regression.
    neighbour_negative_weight : float
        Training weight of a sentence without a theme that sits next to one with it (in the
        same group). Weak labels miss such sentences' theme often ("I often talk about the
        staircase curve." after a sentence on revenue landing next quarter), so by default
        they are left out (0.0) rather than taught as counter-examples.
    threshold : float
        Probability at or above which :meth:`predict` assigns a theme.

    Fitted attributes: ``classes_`` (theme names), ``vocabulary_`` (feature -> column),
    ``idf_``, ``coef_`` (themes x features), ``intercept_``.
    """

    def __init__(
        self,
        *,
        classes=None,
        ngram_range=(1, 2),
        min_df=2,
        context_weight=0.7,
        C=1.0,
        class_weight="balanced",
        context_window=2,
        neighbour_negative_weight=0.0,
        threshold=0.5,
    ):
        self.classes = classes
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.context_weight = context_weight
        self.C = C
        self.class_weight = class_weight
        self.context_window = context_window
        self.neighbour_negative_weight = neighbour_negative_weight
        self.threshold = threshold

    # -- fitting ---------------------------------------------------------------------
    def _validate_params(self):
        lo, hi = self.ngram_range
        if not (isinstance(lo, int) and isinstance(hi, int) and 1 <= lo <= hi <= _MAX_N):
            raise ValueError(
                f"ngram_range={self.ngram_range!r} is invalid; expected (min, max) with 1 <= min <= max <= {_MAX_N}"
            )
        if not isinstance(self.min_df, int) or self.min_df < 1:
            raise ValueError(f"min_df={self.min_df!r} is invalid; expected an int >= 1")
        if not 0 <= self.context_weight <= 1:
            raise ValueError(f"context_weight={self.context_weight!r} is invalid; expected 0 to 1")
        if not isinstance(self.context_window, int) or self.context_window < 0:
            raise ValueError(f"context_window={self.context_window!r} is invalid; expected an int >= 0")
        if not self.C > 0:
            raise ValueError(f"C={self.C!r} is invalid; expected a positive number")
        if self.class_weight not in ("balanced", None):
            raise ValueError(f"class_weight={self.class_weight!r} is invalid; expected 'balanced' or None")
        if not 0 <= self.neighbour_negative_weight <= 1:
            raise ValueError(
                f"neighbour_negative_weight={self.neighbour_negative_weight!r} is invalid; expected 0 to 1"
            )
        if not 0 < self.threshold < 1:
            raise ValueError(f"threshold={self.threshold!r} is invalid; expected a number between 0 and 1")

    def _binarize(self, Y, n: int) -> tuple[np.ndarray, np.ndarray]:
        Y = list(Y)
        if len(Y) != n:
            raise ValueError(f"Y has {len(Y)} label sets for {n} texts")
        if any(isinstance(y, str) for y in Y):
            raise ValueError("Y: each item must be a collection of theme names, not a str")
        found = sorted({t for y in Y for t in y})
        classes = list(self.classes) if self.classes is not None else found
        unknown = sorted(set(found) - set(classes))
        if unknown:
            raise ValueError(f"Y names themes not in classes: {', '.join(unknown)}")
        index = {c: i for i, c in enumerate(classes)}
        out = np.zeros((n, len(classes)), dtype=np.int8)
        for row, labels in enumerate(Y):
            for label in labels:
                out[row, index[label]] = 1
        for c, i in index.items():
            positives = int(out[:, i].sum())
            if positives == 0 or positives == n:
                raise ValueError(
                    f"theme '{c}' has {positives} positive sentences out of {n}; "
                    "each theme needs both positive and negative examples"
                )
        return np.asarray(classes, dtype=object), out

    def fit(self, X, Y, *, groups=None, sample_weight=None):
        """Fit on sentences ``X`` (in reading order) and their theme sets ``Y``.

        ``groups`` (optional, one id per sentence) marks which sentences are neighbours:
        only consecutive sentences with the same id give each other context.
        """
        self._validate_params()
        X = check_texts(X)
        if not X:
            raise ValueError("X is empty; at least one sentence is needed")
        self.classes_, Ybin = self._binarize(Y, len(X))
        weights = np.ones(len(X)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        if weights.shape != (len(X),):
            raise ValueError(f"sample_weight has {weights.size} items for {len(X)} texts")
        neighbours = neighbour_matrix(len(X), groups)
        df = Counter()
        for text in X:
            df.update(set(analyze(text, self.ngram_range)))
        vocabulary = sorted(term for term, count in df.items() if count >= self.min_df)
        if not vocabulary:
            raise ValueError(f"no feature occurs in min_df={self.min_df} sentences; lower min_df or add text")
        self.vocabulary_ = {term: i for i, term in enumerate(vocabulary)}
        counts_df = np.asarray([df[term] for term in vocabulary], dtype=np.float64)
        self.idf_ = np.log((1 + len(X)) / (1 + counts_df)) + 1
        counts = self._counts(X)
        features = self._features(counts, groups)
        coefs, intercepts = [], []
        for column in range(Ybin.shape[1]):
            model = LogisticRegression(
                C=self.C, class_weight=self.class_weight, solver="liblinear", random_state=0, max_iter=1000
            )
            y = Ybin[:, column]
            beside_positive = (neighbours @ y.astype(np.float32)) > 0
            column_weights = np.where((y == 0) & beside_positive, weights * self.neighbour_negative_weight, weights)
            model.fit(features, y, sample_weight=column_weights)
            coefs.append(model.coef_[0])
            intercepts.append(model.intercept_[0])
        self.coef_ = np.vstack(coefs)
        self.intercept_ = np.asarray(intercepts)
        self._round()
        return self

    def _round(self):
        def keep(a):
            return np.asarray([float(f"{v:.{_DIGITS}g}") for v in np.ravel(a)]).reshape(np.shape(a))

        self.idf_ = keep(self.idf_)
        self.coef_ = keep(self.coef_)
        self.intercept_ = keep(self.intercept_)

    # -- scoring ---------------------------------------------------------------------
    def _check_fitted(self):
        if not hasattr(self, "coef_"):
            raise ModelError("the theme classifier is not fitted; call fit() or load a model first")

    def _index(self) -> tuple[dict[str, int], list[tuple]]:
        """Word ids of the vocabulary's words, and its n-gram tables (:func:`vocabulary_tables`)."""
        return _derived(self, "index", self.vocabulary_, self._build_index)

    def _build_index(self) -> tuple[dict[str, int], list[tuple]]:
        return vocabulary_tables(self.vocabulary_)

    def word_ids(self, tokens: list[str]) -> np.ndarray:
        """Ids of ``tokens`` among the vocabulary's words: -1 for other words, -2 for ``"\\n"``."""
        get = self._index()[0].get
        return np.fromiter((get(w, -1) for w in tokens), dtype=np.int64, count=len(tokens))

    def _counts(self, X: list[str], tokens: list[str] | None = None, ids: np.ndarray | None = None) -> sp.csr_matrix:
        """Sentence x feature counts, the whole batch tokenised in one pass and looked up with NumPy."""
        word_ids, tables = self._index()
        base = max(len(word_ids) - 1, 1)
        if ids is None:
            ids = self.word_ids(Batch.of(X).tokens if tokens is None else tokens)
        rws, cols = ngram_entries(ids, tables, base)
        data = np.ones(len(rws), dtype=np.float32)
        return sp.csr_matrix((data, (rws, cols)), shape=(len(X), len(self.vocabulary_)))

    def _features(self, counts: sp.csr_matrix, groups, *, own: bool = False):
        tfidf = sp.csr_matrix(counts, dtype=np.float32)
        tfidf.data = (1.0 + np.log(tfidf.data)) * self._idf32()[tfidf.indices]  # sublinear tf x idf
        _normalise_rows(tfidf)
        alone = tfidf
        if self.context_weight and self.context_window:
            around = neighbour_matrix(tfidf.shape[0], groups, window=self.context_window, decay=self.context_weight)
            tfidf = sp.csr_matrix(tfidf + (around @ tfidf) * np.float32(self.context_weight))
            _normalise_rows(tfidf)
        return (tfidf, alone) if own else tfidf

    def proba_and_own_evidence(self, X, *, groups=None, tokens=None, ids=None) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`predict_proba`, and how much each sentence's own words (context left out,
        intercept left out) push each theme: positive when the sentence itself leans to it."""
        self._check_fitted()
        X = check_texts(X)
        features, alone = self._features(self._counts(X, tokens, ids), groups, own=True)
        coef = self._coef32()
        scores = np.asarray(features @ coef) + self.intercept_
        return 1.0 / (1.0 + np.exp(-scores)), np.asarray(alone @ coef)

    def _coef32(self) -> np.ndarray:
        return _derived(self, "coef", self.coef_, lambda: np.ascontiguousarray(self.coef_.T, dtype=np.float32))

    def _idf32(self) -> np.ndarray:
        return _derived(self, "idf", self.idf_, lambda: self.idf_.astype(np.float32))

    def transform(self, X, *, groups=None, tokens=None, ids=None) -> sp.csr_matrix:
        """TF-IDF features of ``X`` with neighbour context, one row per sentence.

        ``tokens`` (``topictrack.themes.matcher.Batch.of(X).tokens``) or their :meth:`word_ids`
        may be passed when the caller already has them.
        """
        self._check_fitted()
        X = check_texts(X)
        return self._features(self._counts(X, tokens, ids), groups)

    def decision_function(self, X, *, groups=None, tokens=None, ids=None) -> np.ndarray:
        """Linear scores, sentences x themes."""
        features = self.transform(X, groups=groups, tokens=tokens, ids=ids)
        return np.asarray(features @ self._coef32()) + self.intercept_

    def predict_proba(self, X, *, groups=None, tokens=None, ids=None) -> np.ndarray:
        """Probability of each theme, sentences x themes (columns in ``classes_`` order)."""
        return 1.0 / (1.0 + np.exp(-self.decision_function(X, groups=groups, tokens=tokens, ids=ids)))

    def predict(self, X, *, groups=None) -> np.ndarray:
        """0/1 indicator matrix, sentences x themes."""
        return (self.predict_proba(X, groups=groups) >= self.threshold).astype(np.int8)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Feature names (words and word pairs) in column order."""
        self._check_fitted()
        names = np.empty(len(self.vocabulary_), dtype=object)
        for term, i in self.vocabulary_.items():
            names[i] = term
        return names

    def top_features(self, theme: str, X_row: sp.csr_matrix | None = None, n: int = 10) -> list[tuple[str, float]]:
        """Features that push ``theme`` up most: globally, or within one transformed row."""
        self._check_fitted()
        column = list(self.classes_).index(theme)
        weights = self.coef_[column]
        names = self.get_feature_names_out()
        if X_row is None:
            order = np.argsort(-weights, kind="stable")[:n]
            return [(names[i], float(weights[i])) for i in order]
        row = sp.csr_matrix(X_row)
        contributions = row.data * weights[row.indices]
        order = np.argsort(-contributions, kind="stable")[:n]
        return [(names[row.indices[i]], float(contributions[i])) for i in order if contributions[i] > 0]

    # -- persistence -----------------------------------------------------------------
    def to_dict(self) -> dict:
        """JSON-ready description of the fitted model."""
        self._check_fitted()
        return {
            "format": MODEL_FORMAT,
            "version": MODEL_VERSION,
            "params": {
                "ngram_range": list(self.ngram_range),
                "min_df": self.min_df,
                "context_weight": self.context_weight,
                "context_window": self.context_window,
                "C": self.C,
                "class_weight": self.class_weight,
                "neighbour_negative_weight": self.neighbour_negative_weight,
                "threshold": self.threshold,
            },
            "classes": [str(c) for c in self.classes_],
            "vocabulary": [str(t) for t in self.get_feature_names_out()],
            "idf": [float(v) for v in self.idf_],
            "intercept": [float(v) for v in self.intercept_],
            "coef": [[float(v) for v in row] for row in self.coef_],
        }

    @classmethod
    def from_dict(cls, data: dict, source="<dict>") -> "ThemeClassifier":
        """Rebuild a fitted model from :meth:`to_dict` output; raise :class:`ModelError` if malformed."""
        check_model_header(data, source)
        try:
            params = dict(data["params"])
            params["ngram_range"] = tuple(params["ngram_range"])
            model = cls(classes=list(data["classes"]), **params)
            model.classes_ = np.asarray(data["classes"], dtype=object)
            model.vocabulary_ = {t: i for i, t in enumerate(data["vocabulary"])}
            model.idf_ = np.asarray(data["idf"], dtype=np.float64)
            model.intercept_ = np.asarray(data["intercept"], dtype=np.float64)
            model.coef_ = np.asarray(data["coef"], dtype=np.float64).reshape(len(model.classes_), -1)
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"{source}: malformed theme model ({exc})") from None
        if model.coef_.shape[1] != len(model.vocabulary_) or len(model.idf_) != len(model.vocabulary_):
            raise ModelError(f"{source}: malformed theme model (sizes of vocabulary, idf and coef differ)")
        return model

    def save(self, path) -> Path:
        """Write the model as JSON (stable key order, fixed precision: same model -> same bytes)."""
        path = Path(path)
        atomic_write(path, json.dumps(self.to_dict(), separators=(",", ":")) + "\n")  # whole or not at all
        return path

    @classmethod
    def load(cls, path) -> "ThemeClassifier":
        """Read a model written by :meth:`save`."""
        return cls.from_dict(read_model_file(path), source=Path(path))

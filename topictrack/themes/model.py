"""A fitted theme model, scored with NumPy alone.

:class:`ThemeModel` reads the JSON a :class:`~topictrack.themes.classifier.ThemeClassifier`
saves and gives the same probabilities, bit for bit, without importing scikit-learn or
SciPy: tagging a first sentence then costs NumPy and the model file only.

The numbers match because every step repeats the float32 arithmetic of the sparse-matrix
route in the same order: TF-IDF weights, row normalisation (sums of squares in double
precision), the neighbours' vectors added in sentence order, and the dot products with the
coefficients accumulated in float32 over each row's entries in the order SciPy stores them
(after adding the context, the context-only features come first, in the order the
neighbours bring them, then the sentence's own features in descending column order; when
no sentence has two context-only features in an order that breaks that, ascending order).
"""

from __future__ import annotations

import weakref
from pathlib import Path

import numpy as np

from topictrack.errors import ModelError
from topictrack.themes import sparse
from topictrack.themes.features import (
    WORD_BREAK,
    check_texts,
    check_model_header,
    linked_neighbours,
    neighbour_links,
    ngram_entries,
    read_model_file,
    vocabulary_tables,
)

_PAD_BUDGET = 4_000_000  # products held at once when summing rows (about 100 MB of float32 x 6)
#: Batches of at least this many sentences are scored with SciPy's sparse products (faster on
#: many sentences; the same numbers); smaller ones with NumPy alone, so a first ``tag()`` does
#: not import SciPy.
SPARSE_FROM = 48


def near_any(hits: np.ndarray, groups=None, *, window: int = 1) -> np.ndarray:
    """Rows of the boolean ``hits`` (sentences x themes) with a hit among their linked
    neighbours up to ``window`` places away (not counting the row itself)."""
    near = np.zeros(hits.shape, dtype=bool)
    for d, i in linked_neighbours(hits.shape[0], groups, window=window):
        near[i] |= hits[i + d]
    return near


def _row_sums32(rows: np.ndarray, data: np.ndarray, cols: np.ndarray, coef: np.ndarray, n: int) -> np.ndarray:
    """``sum_j data[j] * coef[cols[j]]`` per row, accumulated in float32 in the entries' order
    (entries grouped by row, in storage order): what SciPy's CSR x dense product computes."""
    out = np.zeros((n, coef.shape[1]), dtype=np.float32)
    if not len(rows):
        return out
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    lengths = np.diff(np.r_[starts, len(rows)])
    which = rows[starts]
    # rows of similar length together, so padding them to one length wastes little
    bucket = np.floor(np.log2(lengths)).astype(np.int64)
    for b in np.unique(bucket):
        chosen = np.flatnonzero(bucket == b)
        width = int(lengths[chosen].max())
        step = max(1, _PAD_BUDGET // max(1, width * coef.shape[1]))
        for lo in range(0, len(chosen), step):
            part = chosen[lo:lo + step]
            offsets = np.arange(width)
            take = starts[part][:, None] + offsets
            valid = offsets < lengths[part][:, None]
            take = np.where(valid, take, 0)
            weights = np.where(valid, data[take], np.float32(0))
            products = weights[:, :, None] * coef[cols[take]]
            out[which[part]] = np.cumsum(products, axis=1, dtype=np.float32)[:, -1, :]
    return out


def _normalise(rows: np.ndarray, data: np.ndarray, n: int) -> np.ndarray:
    """Entries scaled to unit length per row, as scikit-learn's in-place L2 normaliser does
    (float32 squares summed in double precision, each value divided in double)."""
    squares = np.bincount(rows, weights=(data * data).astype(np.float64), minlength=n)
    norms = np.sqrt(squares)[rows]
    return (data.astype(np.float64) / norms).astype(np.float32)




class ThemeModel:
    """A fitted theme model for prediction: vocabulary, idf, coefficients and intercepts.

    Read with :meth:`load` (or :meth:`from_dict`); the same file a
    :class:`~topictrack.themes.classifier.ThemeClassifier` saves. ``classes_``,
    ``vocabulary_``, ``idf_``, ``coef_``, ``intercept_`` and the parameters are those of the
    classifier; :meth:`classifier` gives the scikit-learn estimator itself (for
    :meth:`transform` and :meth:`top_features`, which explanations use).
    """

    def __init__(self, *, classes, vocabulary, idf, coef, intercept, ngram_range=(1, 2),
                 context_weight=0.7, context_window=2, threshold=0.5, params=None):
        self.classes_ = np.asarray(list(classes), dtype=object)
        self.vocabulary_ = vocabulary
        self.idf_ = np.asarray(idf, dtype=np.float64)
        self.coef_ = np.asarray(coef, dtype=np.float64).reshape(len(self.classes_), -1)
        self.intercept_ = np.asarray(intercept, dtype=np.float64)
        self.ngram_range = tuple(ngram_range)
        self.context_weight = context_weight
        self.context_window = context_window
        self.threshold = threshold
        self.params = dict(params or {})
        self._tables = None
        self._classifier = None

    def __repr__(self) -> str:
        return f"ThemeModel(classes={list(self.classes_)!r}, features={len(self.vocabulary_)})"

    # -- reading -----------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: dict, source="<dict>") -> "ThemeModel":
        """The model of a :meth:`ThemeClassifier.to_dict` description; :class:`ModelError` if malformed."""
        check_model_header(data, source)
        try:
            params = dict(data["params"])
            classes = list(data["classes"])
            model = cls(
                classes=classes,
                vocabulary={t: i for i, t in enumerate(data["vocabulary"])},
                idf=data["idf"],
                coef=data["coef"],
                intercept=data["intercept"],
                ngram_range=tuple(params["ngram_range"]),
                context_weight=params["context_weight"],
                context_window=params["context_window"],
                threshold=params["threshold"],
                params=params,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"{source}: malformed theme model ({exc})") from None
        if model.coef_.shape[1] != len(model.vocabulary_) or len(model.idf_) != len(model.vocabulary_):
            raise ModelError(f"{source}: malformed theme model (sizes of vocabulary, idf and coef differ)")
        return model

    @classmethod
    def load(cls, path) -> "ThemeModel":
        """Read a model file written by :meth:`ThemeClassifier.save`."""
        return cls.from_dict(read_model_file(path), source=Path(path))

    @classmethod
    def of(cls, classifier) -> "ThemeModel":
        """The model of a fitted :class:`ThemeClassifier` (sharing its arrays)."""
        model = cls(classes=classifier.classes_, vocabulary=classifier.vocabulary_, idf=classifier.idf_,
                    coef=classifier.coef_, intercept=classifier.intercept_,
                    ngram_range=classifier.ngram_range, context_weight=classifier.context_weight,
                    context_window=classifier.context_window, threshold=classifier.threshold)
        model._classifier = classifier
        return model

    def to_dict(self) -> dict:
        """JSON-ready description, as :meth:`ThemeClassifier.to_dict` writes it."""
        return self.classifier().to_dict()

    def classifier(self):
        """The scikit-learn :class:`ThemeClassifier` holding this model (imports scikit-learn)."""
        if self._classifier is None:
            from topictrack.themes.classifier import ThemeClassifier

            clf = ThemeClassifier(classes=list(self.classes_), **{**self.params, "ngram_range": self.ngram_range})
            clf.classes_ = self.classes_
            clf.vocabulary_ = self.vocabulary_
            clf.idf_ = self.idf_
            clf.coef_ = self.coef_
            clf.intercept_ = self.intercept_
            self._classifier = clf
        return self._classifier

    # -- scoring tables ----------------------------------------------------------------
    def _index(self):
        """Word ids of the vocabulary's words; its n-gram tables (:func:`vocabulary_tables`);
        float32 idf and coefficients (features x themes)."""
        if self._tables is None:
            word_ids, tables = vocabulary_tables(self.vocabulary_)
            self._tables = (word_ids, tables, self.idf_.astype(np.float32),
                            np.ascontiguousarray(self.coef_.T, dtype=np.float32))
        return self._tables

    def word_ids(self, tokens: list[str]) -> np.ndarray:
        """Ids of ``tokens`` among the vocabulary's words: -1 for other words, -2 for ``"\\n"``."""
        get = self._index()[0].get
        return np.fromiter((get(w, -1) for w in tokens), dtype=np.int64, count=len(tokens))

    def entries(self, X: list[str], tokens=None, ids=None, *, rows=None) -> tuple[np.ndarray, np.ndarray]:
        """(sentence, feature column) of every feature occurrence in ``X`` (duplicates kept).

        With ``ids`` and ``rows`` (the sentence of each id), only those ids are read."""
        word_ids, tables = self._index()[:2]
        base = max(len(word_ids) - 1, 1)
        return ngram_entries(self._batch_ids(X, tokens, ids), tables, base, rows=rows)

    def _batch_ids(self, X: list[str], tokens=None, ids=None) -> np.ndarray:
        """``ids``, else the :meth:`word_ids` of ``tokens``, else of the words of ``X``."""
        if ids is None:
            if tokens is None:
                from topictrack.themes.matcher import Batch

                tokens = Batch.of(X).tokens
            ids = self.word_ids(tokens)
        return ids

    def _tfidf(self, rows: np.ndarray, cols: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The distinct (sentence, feature) pairs of feature occurrences, in sentence then
        feature order, with their TF-IDF weights scaled to unit length per sentence."""
        width = len(self.vocabulary_)
        keys, counts = np.unique(rows * width + cols, return_counts=True)
        rows, cols = keys // width, keys % width
        tf = counts.astype(np.float32)
        return rows, cols, _normalise(rows, (1.0 + np.log(tf)) * self._index()[2][cols], n)

    # -- prediction --------------------------------------------------------------------
    def proba_and_own_evidence(self, X, *, groups=None, tokens=None, ids=None,
                               wanted=None) -> tuple[np.ndarray, np.ndarray]:
        """Probability of each theme (sentences x themes, read with the neighbouring
        sentences), and how much each sentence's own words (context and intercept left out)
        push each theme. ``tokens`` (``Batch.of(X).tokens``) or their :meth:`word_ids` may
        be passed when the caller already has them. ``wanted`` (one bool per sentence): only
        those sentences' figures are needed; the others may come back as 0.0, the wanted ones
        are the same as without it."""
        X = check_texts(X)
        n = len(X)
        coef32 = self._index()[3]
        if n >= SPARSE_FROM and sparse.available():
            if wanted is not None:
                ids = self._batch_ids(X, tokens, ids)
                return self._proba_wanted(ids, n, groups, np.asarray(wanted, dtype=bool))
            return self._proba_sparse(*self._tfidf(*self.entries(X, tokens, ids), n), n, groups)
        rows, cols, own = self._tfidf(*self.entries(X, tokens, ids), n)
        alone = _row_sums32(rows, own, cols, coef32, n)
        if not (self.context_weight and self.context_window):
            full = alone
        else:
            crow, ccol, cval = self._with_context(rows, cols, own, n, groups)
            full = _row_sums32(crow, _normalise(crow, cval, n), ccol, coef32, n)
        scores = np.asarray(full) + self.intercept_
        return 1.0 / (1.0 + np.exp(-scores)), np.asarray(alone)

    def _proba_sparse(self, rows, cols, own, n, groups):
        """:meth:`proba_and_own_evidence` with SciPy's sparse routines, from the normalised
        TF-IDF entries: the operations of :meth:`ThemeClassifier.proba_and_own_evidence`."""
        coef32 = self._index()[3]
        width = len(self.vocabulary_)
        alone = (np.searchsorted(rows, np.arange(n + 1)), cols, own)
        features = alone
        if self.context_weight and self.context_window:
            around = neighbour_links(n, groups, window=self.context_window, decay=self.context_weight)
            indptr, indices, data = sparse.product(around, alone, n, width)
            context = (indptr, indices, data * np.float32(self.context_weight))
            indptr, indices, data = sparse.total(alone, context, n, width)
            features = (indptr, indices, _normalise(np.repeat(np.arange(n), np.diff(indptr)), data, n))
        scores = sparse.times_dense(features, coef32, n) + self.intercept_
        return 1.0 / (1.0 + np.exp(-scores)), sparse.times_dense(alone, coef32, n)

    def _proba_wanted(self, ids, n, groups, wanted):
        """:meth:`_proba_sparse` of the ``wanted`` sentences (the others 0.0), computed on them
        and the neighbours that give them context, with the same numbers; ``ids``: the
        batch's :meth:`word_ids`.

        SciPy adds the context to a sentence's own features in one of two orders, the same for
        every sentence of a batch: merged when every sentence's context features come out in
        ascending column order, else context-only features first. A sentence whose first
        linked neighbour has two features or more gets them in descending order, so a batch
        holding one takes the second order; then the part taken out, with two sentences of a
        group of their own that hold such a pair, takes it too. Other batches are scored
        whole."""
        k = len(self.classes_)
        probs, evidence = np.zeros((n, k)), np.zeros((n, k), dtype=np.float32)
        if not wanted.any():
            return probs, evidence
        window = self.context_window if self.context_weight else 0
        links = linked_neighbours(n, groups, window=window)
        if not links or len(self.vocabulary_) < 2:
            return self._proba_sparse(*self._tfidf(*self.entries(None, ids=ids), n), n, groups)
        first = np.full(n, -1)
        for d, i in links:  # nearest first from the left, then from the right
            free = i[first[i] < 0]
            first[free] = free + d
        first = first[first >= 0]
        keep = wanted.copy()
        for d, i in links:
            keep[i + d] |= wanted[i]
        # the features of the sentences kept, then, if none of them decides the order, of all
        sentence = np.cumsum(ids == WORD_BREAK)
        taken = keep[sentence]
        rows, cols, own = self._tfidf(*self.entries(None, ids=ids[taken], rows=sentence[taken]), n)
        if not (np.bincount(rows, minlength=n)[first[keep[first]]] >= 2).any():
            rows, cols, own = self._tfidf(*self.entries(None, ids=ids), n)
            if not (np.bincount(rows, minlength=n)[first] >= 2).any():
                return self._proba_sparse(rows, cols, own, n, groups)
            taken = keep[rows]
            rows, cols, own = rows[taken], cols[taken], own[taken]
        chosen = np.flatnonzero(keep)
        m = len(chosen)
        g = np.asarray(groups) if groups is not None else np.zeros(n, dtype=np.int64)
        runs = np.cumsum(np.r_[True, (np.diff(chosen) != 1) | (g[chosen[1:]] != g[chosen[:-1]])])
        place = np.full(n, -1)
        place[chosen] = np.arange(m)
        p, e = self._proba_sparse(
            np.concatenate((place[rows], [m, m])), np.concatenate((cols, [0, 1])),
            np.concatenate((own, np.ones(2, dtype=np.float32))), m + 2, np.r_[runs, 0, 0])
        probs[wanted] = p[place[wanted]]
        evidence[wanted] = e[place[wanted]]
        return probs, evidence

    def _with_context(self, rows, cols, own, n, groups):
        """Entries of ``own + context_weight * sum_d decay^(|d|-1) own[i + d]`` in SciPy's
        storage order: (rows, columns, float32 values)."""
        width = len(self.vocabulary_)
        starts = np.searchsorted(rows, np.arange(n + 1))
        parts_row, parts_col, parts_val, parts_rank = [], [], [], []
        links = linked_neighbours(n, groups, window=self.context_window)
        for rank, (d, targets) in enumerate(links):
            weight = (np.ones(1, dtype=np.float32) * self.context_weight ** (abs(d) - 1))[0]
            sources = targets + d
            lengths = starts[sources + 1] - starts[sources]
            if not lengths.sum():
                continue
            first = np.repeat(starts[sources], lengths)
            within = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            entry = first + within
            parts_row.append(np.repeat(targets, lengths))
            parts_col.append(cols[entry])
            parts_val.append(weight * own[entry])
            parts_rank.append(np.full(len(entry), rank, dtype=np.int64))
        if not parts_row:
            # nothing comes from the neighbours: the sum keeps the own entries, ascending
            return rows, cols, own
        nrow, ncol = np.concatenate(parts_row), np.concatenate(parts_col)
        nval, nrank = np.concatenate(parts_val), np.concatenate(parts_rank)
        # per (sentence, feature): the neighbours' values summed in float32, nearest-first
        # order. Each distance's entries come sorted by (sentence, feature), so a stable sort
        # by that key keeps the distances in order within a key (and only merges sorted runs).
        key = nrow * width + ncol
        order = np.argsort(key, kind="stable")
        key, nval, nrank = key[order], nval[order], nrank[order]
        head = np.r_[True, key[1:] != key[:-1]]
        group_start = np.flatnonzero(head)
        group = np.cumsum(head) - 1
        position = np.arange(len(key)) - group_start[group]
        acc = nval[head]
        for p in range(1, int(position.max()) + 1):
            at = position == p
            acc[group[at]] += nval[at]
        bkey, brank = key[head], nrank[head]
        bval = acc * np.float32(self.context_weight)
        brow, bcol = bkey // width, bkey % width

        # SciPy stores a sentence's context features in the reverse of the order the
        # neighbours bring them (by distance, then feature); when every sentence's come out
        # ascending that way, the sum below is merged in ascending order
        links = len(links)
        bring = np.argsort((brow * links + brank) * width + bcol, kind="stable")
        brought_row, brought_col = brow[bring], bcol[bring]
        stored_increasing = not np.any((brought_row[1:] == brought_row[:-1])
                                       & (brought_col[1:] >= brought_col[:-1]))

        okey = rows * width + cols
        where = np.minimum(np.searchsorted(okey, bkey), len(okey) - 1)
        in_own = okey[where] == bkey if len(okey) else np.zeros(len(bkey), dtype=bool)
        total = own.copy()
        if in_own.any():
            total[where[in_own]] = own[where[in_own]] + bval[in_own]
        extra = ~in_own
        erow, ecol, eval_, erank = brow[extra], bcol[extra], bval[extra], brank[extra]
        crow = np.concatenate((erow, rows))
        ccol = np.concatenate((ecol, cols))
        cval = np.concatenate((eval_, total))
        if stored_increasing:
            # both sides sorted: the sum is merged in ascending feature order
            place = ccol
        else:
            # context-only features in the order the neighbours bring them, then the own
            # features in descending feature order
            place = np.concatenate((erank * width + ecol, (links + 1) * width + (width - 1 - cols)))
        order = np.argsort(crow * ((links + 2) * width) + place)
        return crow[order], ccol[order], cval[order]

    def decision_function(self, X, *, groups=None, tokens=None, ids=None) -> np.ndarray:
        """Linear scores, sentences x themes."""
        p = self.proba_and_own_evidence(X, groups=groups, tokens=tokens, ids=ids)[0]
        return np.log(p) - np.log1p(-p)

    def predict_proba(self, X, *, groups=None, tokens=None, ids=None) -> np.ndarray:
        """Probability of each theme, sentences x themes (columns in ``classes_`` order)."""
        return self.proba_and_own_evidence(X, groups=groups, tokens=tokens, ids=ids)[0]

    def predict(self, X, *, groups=None) -> np.ndarray:
        """0/1 indicator matrix, sentences x themes."""
        return (self.predict_proba(X, groups=groups) >= self.threshold).astype(np.int8)

    # -- explanations (scikit-learn) ---------------------------------------------------
    def transform(self, X, *, groups=None, tokens=None, ids=None):
        """TF-IDF features with neighbour context (a SciPy sparse matrix; see :meth:`ThemeClassifier.transform`)."""
        return self.classifier().transform(X, groups=groups, tokens=tokens, ids=ids)

    def top_features(self, theme: str, X_row=None, n: int = 10) -> list[tuple[str, float]]:
        """Features that push ``theme`` up most (see :meth:`ThemeClassifier.top_features`)."""
        return self.classifier().top_features(theme, X_row, n)


_MODELS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def model_of(classifier) -> ThemeModel:
    """The :class:`ThemeModel` of a fitted classifier, kept while the classifier lives and
    rebuilt when its arrays are replaced."""
    cached = _MODELS.get(classifier)
    arrays = (classifier.vocabulary_, classifier.idf_, classifier.coef_, classifier.intercept_)
    if cached is None or any(a is not b for a, b in zip(cached[0], arrays)):
        model = ThemeModel.of(classifier)
        _MODELS[classifier] = cached = (arrays, model)
    return cached[1]

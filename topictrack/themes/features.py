"""What the theme classifier and its NumPy model share: reading a model file, and looking up a
batch's word n-grams in a vocabulary with array operations."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from topictrack.errors import ModelError

MODEL_FORMAT = "topictrack-theme-model"
MODEL_VERSION = 1
WORD_BREAK = -2  # the id of "\n", the sentence separator of a batch's tokens

def check_model_header(data, source) -> None:
    """:class:`ModelError` unless ``data`` is a theme model description of the version read here."""
    if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
        raise ModelError(f"{source}: not a topictrack theme model (expected format '{MODEL_FORMAT}')")
    if data.get("version") != MODEL_VERSION:
        raise ModelError(f"{source}: model version {data.get('version')!r} is not supported; expected {MODEL_VERSION}")


def check_texts(X, what="X") -> list[str]:
    """``X`` as a list of texts; ValueError for a bare str or a non-text item (as scikit-learn does)."""
    if isinstance(X, str):
        raise ValueError(f"{what}: an iterable over texts (sentences) is expected, got a single str")
    X = list(X)
    bad = next((type(x).__name__ for x in X if not isinstance(x, str)), None)
    if bad:
        raise ValueError(f"{what}: every item must be a str, got {bad}")
    return X


def read_model_file(path) -> dict:
    """The JSON of a theme model file; :class:`ModelError` naming the file when it cannot be read."""
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ModelError(f"{path}: cannot read the theme model: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise ModelError(f"{path}: the theme model is not valid JSON: {exc}") from None


def vocabulary_tables(vocabulary: dict[str, int]) -> tuple[dict[str, int], list]:
    """Word ids of a vocabulary's words (``"\\n"``: the sentence break), and per n-gram size
    ``(n, sorted codes, feature columns, by_word)``: an n-gram's code reads its word ids as
    digits. ``by_word`` is indexed by a word id, or by -1 or -2 (a word outside the vocabulary,
    the sentence break: its last two items): for single words the word's feature column
    (-1: none), for longer n-grams whether some n-gram starts with the word."""
    word_ids: dict[str, int] = {}
    for term in sorted(vocabulary):
        for w in term.split(" "):
            word_ids.setdefault(w, len(word_ids))
    base = max(len(word_ids), 1)
    by_n: dict[int, list[tuple[int, int]]] = {}
    for term, column in vocabulary.items():
        parts = term.split(" ")
        code = 0
        for w in parts:
            code = code * base + word_ids[w]
        by_n.setdefault(len(parts), []).append((code, column))
    tables = []
    for n, pairs in sorted(by_n.items()):
        pairs.sort()
        codes = np.asarray([c for c, _ in pairs], dtype=np.int64)
        columns = np.asarray([k for _, k in pairs], dtype=np.int64)
        if n == 1:
            by_word = np.full(base + 2, -1, dtype=np.int64)
            by_word[codes] = columns
        else:
            by_word = np.zeros(base + 2, dtype=bool)
            by_word[codes // base ** (n - 1)] = True
        tables.append((n, codes, columns, by_word))
    word_ids["\n"] = WORD_BREAK
    return word_ids, tables


def ngram_entries(ids: np.ndarray, tables, base: int, rows=None) -> tuple[np.ndarray, np.ndarray]:
    """(sentence, feature column) of every n-gram feature found in a batch's word ids.

    ``ids`` are the batch's word ids (-1 for a word outside the vocabulary, ``-2`` between
    sentences); ``tables`` holds, per n-gram length ``n``, the sorted codes of the vocabulary's
    n-grams (ids read as digits of base ``base``), their feature columns and the look-up by
    word id of :func:`vocabulary_tables`. ``rows``: the sentence of each id, when not the
    number of breaks before it.
    """
    if rows is None:
        rows = np.cumsum(ids == WORD_BREAK)
    known = ids >= 0
    all_rows, all_cols = [], []
    for n, codes, columns, by_word in tables:
        m = len(ids) - n + 1
        if m <= 0 or not len(codes):
            continue
        if n == 1:
            found = by_word[ids]
            positions = np.flatnonzero(found >= 0)
            all_rows.append(rows[positions])
            all_cols.append(found[positions])
            continue
        ok = by_word[ids[:m]]
        for k in range(1, n):
            ok &= known[k : k + m]
        positions = np.flatnonzero(ok)
        code = ids[positions]
        for k in range(1, n):
            code = code * base + ids[positions + k]
        found = np.searchsorted(codes, code)
        found[found == len(codes)] = 0
        hit = codes[found] == code
        all_rows.append(rows[positions[hit]])
        all_cols.append(columns[found[hit]])
    if not all_rows:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(all_rows), np.concatenate(all_cols)


def linked_neighbours(n: int, groups=None, *, window: int = 1):
    """For each distance ``d`` in ``-window..-1, 1..window`` (in that order): the sentences
    ``i`` whose neighbour ``i + d`` exists and has the same ``groups`` id, as an index array."""
    g = None
    if groups is not None:
        g = np.asarray(groups)
        if len(g) != n:
            raise ValueError(f"groups has {len(g)} items for {n} sentences")
    out = []
    if n < 2 or window < 1:
        return out
    for d in [*range(-min(window, n - 1), 0), *range(1, min(window, n - 1) + 1)]:
        lo, hi = max(0, -d), n - max(0, d)
        out.append((d, np.arange(lo, hi) if g is None else np.flatnonzero(g[lo:hi] == g[lo + d:hi + d]) + lo))
    return out


def neighbour_links(n: int, groups: Sequence | None = None, *, window: int = 1, decay: float = 1.0):
    """The ``n x n`` matrix of :func:`neighbour_matrix` as CSR arrays ``(indptr, indices, weights)``."""
    links = linked_neighbours(n, groups, window=window)
    if not links:
        return np.zeros(n + 1, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    rows = np.concatenate([i for _, i in links])
    # nearest-first from the left, then from the right: per row, in column order
    order = np.argsort(rows, kind="stable")
    columns = np.concatenate([i + d for d, i in links])[order]
    weights = np.concatenate([np.ones(len(i), dtype=np.float32) * decay ** (abs(d) - 1) for d, i in links])
    indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=n))))
    return indptr, columns, weights[order]


def neighbour_matrix(n: int, groups: Sequence | None = None, *, window: int = 1, decay: float = 1.0):
    """``n x n`` sparse matrix linking each sentence to the sentences up to ``window`` places away.

    A sentence ``d`` places away weighs ``decay ** (d - 1)``; only sentences with the same
    ``groups`` id (and no other group in between) are linked. Each row's links are stored in
    column order.
    """
    import scipy.sparse as sp  # only where a matrix is wanted: a first tag() loads no SciPy

    indptr, columns, weights = neighbour_links(n, groups, window=window, decay=decay)
    if not len(columns):
        return sp.csr_matrix((n, n), dtype=np.float32)
    matrix = sp.csr_matrix((weights, columns, indptr), shape=(n, n))
    matrix.has_canonical_format = True
    return matrix

"""Row-compressed (CSR) matrix arithmetic on plain arrays, with SciPy's compiled routines.

A matrix is a tuple ``(indptr, indices, data)`` with a known shape. Each function runs the
routine ``scipy.sparse.csr_matrix`` runs for the same operation, so the values and the order
in which each row's entries are stored are SciPy's, without building matrix objects.
SciPy is imported on first use; :func:`available` tells whether it can be.
"""

from __future__ import annotations

import functools

import numpy as np


_NEEDED = ("csr_matmat_maxnnz", "csr_matmat", "csr_plus_csr", "csr_matvecs")


def _routines():
    from scipy.sparse import _sparsetools

    return _sparsetools


@functools.cache
def available() -> bool:
    """Whether SciPy and the routines used here can be loaded (``False`` without SciPy)."""
    try:
        routines = _routines()
    except ImportError:  # pragma: no cover - SciPy comes with scikit-learn
        return False
    return all(hasattr(routines, name) for name in _NEEDED)


def _index(array: np.ndarray) -> np.ndarray:
    return np.asarray(array, dtype=np.int64)


def product(a: tuple, b: tuple, n_rows: int, n_columns: int) -> tuple:
    """``a @ b`` for ``a`` with ``n_rows`` rows and ``b`` with ``n_columns`` columns."""
    routines = _routines()
    a_ptr, a_idx, b_ptr, b_idx = map(_index, (a[0], a[1], b[0], b[1]))
    size = routines.csr_matmat_maxnnz(n_rows, n_columns, a_ptr, a_idx, b_ptr, b_idx)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    indices = np.empty(size, dtype=np.int64)
    data = np.empty(size, dtype=np.result_type(a[2], b[2]))
    if size:
        routines.csr_matmat(n_rows, n_columns, a_ptr, a_idx, a[2], b_ptr, b_idx, b[2], indptr, indices, data)
    stored = indptr[-1]
    return indptr, indices[:stored], data[:stored]


def total(a: tuple, b: tuple, n_rows: int, n_columns: int) -> tuple:
    """``a + b``, both ``n_rows`` x ``n_columns`` (entries that add up to zero left out)."""
    size = len(a[1]) + len(b[1])
    indptr = np.empty(n_rows + 1, dtype=np.int64)
    indices = np.empty(size, dtype=np.int64)
    data = np.empty(size, dtype=np.result_type(a[2], b[2]))
    _routines().csr_plus_csr(n_rows, n_columns, _index(a[0]), _index(a[1]), a[2], _index(b[0]), _index(b[1]), b[2],
                             indptr, indices, data)
    stored = indptr[-1]
    return indptr, indices[:stored], data[:stored]


def times_dense(a: tuple, dense: np.ndarray, n_rows: int) -> np.ndarray:
    """``a @ dense`` (``a`` with ``n_rows`` rows) as a dense array."""
    dense = np.ascontiguousarray(dense)
    out = np.zeros((n_rows, dense.shape[1]), dtype=np.result_type(a[2], dense))
    _routines().csr_matvecs(n_rows, dense.shape[0], dense.shape[1], _index(a[0]), _index(a[1]), a[2],
                            dense.ravel(), out.ravel())
    return out

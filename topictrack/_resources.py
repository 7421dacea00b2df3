"""Shipped data files (lexicons, sample calls, models) and the one cache of loaded files.

Every file topictrack loads, shipped or the user's, goes through :func:`load_cached`: the
result is kept while the files it came from keep their path, size and modification time, so
an edited or rewritten file is read again in the same process. The cache holds at most
``MAX_LOADED`` results, the least recently used leaving first.
"""

from __future__ import annotations

import functools
import os
import stat
import threading
from collections import OrderedDict
from importlib import resources
from pathlib import Path

MAX_LOADED = 32

_loaded: OrderedDict = OrderedDict()
_lock = threading.Lock()


_PACKAGE = Path(__file__).resolve().parent


@functools.lru_cache(maxsize=None)
def _shipped(name: str) -> Path:
    """The folder ``name`` (``lexicons`` or ``data``): inside the installed package, or at the top
    of the source checkout when topictrack runs from one (an editable install, or the repository
    folder on ``sys.path``)."""
    installed = _PACKAGE / name
    if installed.is_dir():
        return installed
    checkout = _PACKAGE.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"topictrack's {name}/ folder is missing from {installed} and {checkout}")


def lexicon_dir() -> Path:
    """Folder holding the default theme lexicons (``lexicons/`` in the repository)."""
    return _shipped("lexicons")


def data_dir() -> Path:
    """Folder holding the bundled sample calls (``data/`` in the repository)."""
    return _shipped("data")


@functools.lru_cache(maxsize=None)
def resource_dir() -> Path:
    """Folder holding other shipped files: the trained theme model, finance sentiment lexicon."""
    return Path(str(resources.files("topictrack.resources")))


def sample_calls() -> list[Path]:
    """The bundled sample calls, sorted by file name."""
    return sorted(p for p in data_dir().iterdir() if p.suffix == ".txt")


def file_stamp(path) -> tuple:
    """What identifies the version of a file or folder: its path with the size and modification
    time of the file, or of every file directly in the folder; ``(path, None)`` when it does not
    exist. Relative paths are taken from the current folder."""
    path = os.path.abspath(os.fspath(path))
    try:
        info = os.stat(path)
    except OSError:
        return (path, None)
    if not stat.S_ISDIR(info.st_mode):
        return (path, info.st_size, info.st_mtime_ns)
    entries = []
    with os.scandir(path) as found:
        for entry in found:
            try:
                child = entry.stat()
            except OSError:
                entries.append((entry.name, None))
            else:
                entries.append((entry.name, child.st_size, child.st_mtime_ns))
    return (path, tuple(sorted(entries)))


def load_cached(loader, *args, paths=()):
    """``loader(*args)``, loaded once per version of the files at ``paths`` (see :func:`file_stamp`).

    ``args`` must be hashable: they and the files' versions make the cache key. Errors are
    not cached.
    """
    stamp = (loader, args, tuple(file_stamp(p) for p in paths))
    with _lock:
        if stamp in _loaded:
            _loaded.move_to_end(stamp)
            return _loaded[stamp]
    value = loader(*args)
    with _lock:
        _loaded[stamp] = value
        while len(_loaded) > MAX_LOADED:
            _loaded.popitem(last=False)
    return value


def clear_loaded() -> None:
    """Forget every loaded file (the next use reads it again)."""
    with _lock:
        _loaded.clear()

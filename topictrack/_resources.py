"""Access to the data files that ship inside the package (lexicons, sample calls, models)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _folder(package: str) -> Path:
    return Path(str(resources.files(package)))


def lexicon_dir() -> Path:
    """Folder holding the default theme lexicons (``lexicons/`` in the source tree)."""
    return _folder("topictrack.lexicons")


def data_dir() -> Path:
    """Folder holding the bundled sample calls (``data/`` in the source tree)."""
    return _folder("topictrack.data")


def resource_dir() -> Path:
    """Folder holding other shipped files: the trained theme model, finance sentiment lexicon."""
    return _folder("topictrack.resources")


def sample_calls() -> list[Path]:
    """The bundled sample calls, sorted by file name."""
    return sorted(p for p in data_dir().iterdir() if p.suffix == ".txt")

"""Loughran-McDonald word counts: positive, negative and uncertainty words of a text, from a
dictionary file the user holds a licence for (none ships with topictrack)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from topictrack._resources import load_cached
from topictrack.errors import LexiconError

_LM_CATEGORIES = ("positive", "negative", "uncertainty")
_LM_WORD = re.compile(r"[A-Za-z]+(?:['-][A-Za-z]+)*")


@dataclass(frozen=True)
class LMDictionary:
    """Loughran-McDonald positive, negative and uncertainty word sets (lower case)."""

    positive: frozenset[str]
    negative: frozenset[str]
    uncertainty: frozenset[str]
    source: str = ""

    def counts(self, text: str) -> dict[str, int]:
        """Counts of LM words in ``text``: ``lm_positive``, ``lm_negative``, ``lm_uncertainty``."""
        if not isinstance(text, str):
            raise TypeError(f"counts() expects a str, got {type(text).__name__}")
        pos = neg = unc = 0
        for m in _LM_WORD.finditer(text):
            w = m.group(0).lower()
            pos += w in self.positive
            neg += w in self.negative
            unc += w in self.uncertainty
        return {"lm_positive": pos, "lm_negative": neg, "lm_uncertainty": unc}


def load_lm_dictionary(path) -> LMDictionary:
    """Read a Loughran-McDonald dictionary you hold a licence for (none ships with topictrack).

    Accepted layouts:

    - a folder of per-category word lists, one word per line with optional extra
      comma-separated columns (``LoughranMcDonald_Positive.csv``, ``..._Negative.csv``,
      ``..._Uncertainty.csv``: the file name must contain the category name);
    - a WordStat ``.cat`` file (``Loughran_and_McDonald_2014.cat``, also with ``.txt``
      appended): a category name on its own line, then one indented ``WORD (1)`` per entry;
    - the master dictionary CSV with a ``Word`` column and ``Positive``, ``Negative``,
      ``Uncertainty`` columns (non-zero = member).

    Raises :class:`~topictrack.errors.LexiconError` when the file or a category is missing.
    The dictionary is read again when its file (or a file of its folder) changes.
    """
    path = str(Path(path).expanduser().resolve())
    return load_cached(_load_lm, path, paths=(path,))


def _load_lm(path: str) -> LMDictionary:
    p = Path(path)
    if p.is_dir():
        sets = _lm_folder(p)
    elif p.is_file():
        head = _read_lm_text(p)[:4096]
        first = head.lstrip("\ufeff").splitlines()[0] if head.strip() else ""
        if "," in first and "word" in first.lower().split(",")[0]:
            sets = _lm_master_csv(p)
        else:
            sets = _lm_cat(p)
    else:
        raise LexiconError(p, "Loughran-McDonald dictionary not found")
    for category in _LM_CATEGORIES:
        if not sets.get(category):
            raise LexiconError(p, f"no {category} words found; expected a {category} list")
    return LMDictionary(*(frozenset(sets[c]) for c in _LM_CATEGORIES), source=str(p))


def _read_lm_text(p: Path) -> str:
    try:
        return p.read_bytes().decode("utf-8-sig", errors="replace")
    except OSError as exc:
        raise LexiconError(p, f"cannot be read: {exc.strerror}") from None


def _lm_folder(p: Path) -> dict[str, set[str]]:
    sets: dict[str, set[str]] = {}
    for f in sorted(p.iterdir()):
        if not f.is_file() or f.suffix.lower() not in (".csv", ".txt"):
            continue
        name = f.name.lower()
        for category in _LM_CATEGORIES:
            if category in name:
                words = sets.setdefault(category, set())
                for line in _read_lm_text(f).splitlines():
                    word = line.split(",")[0].strip().lower()
                    if word and _LM_WORD.fullmatch(word):
                        words.add(word)
    if not sets:
        raise LexiconError(
            p, "no Loughran-McDonald lists in this folder; expected files named like *Positive.csv, "
               "*Negative.csv, *Uncertainty.csv"
        )
    return sets


def _lm_cat(p: Path) -> dict[str, set[str]]:
    sets: dict[str, set[str]] = {}
    current = None
    for number, line in enumerate(_read_lm_text(p).splitlines(), 1):
        if not line.strip():
            continue
        if not line[0].isspace():
            current = line.strip().lower()
            continue
        if current is None:
            raise LexiconError(p, "entry before any category name", number)
        word = line.strip().split(" (")[0].strip().lower()
        if current in _LM_CATEGORIES and word:
            sets.setdefault(current, set()).add(word)
    if current is None:
        raise LexiconError(p, "not a Loughran-McDonald .cat file: no category names")
    return sets


def _lm_master_csv(p: Path) -> dict[str, set[str]]:
    reader = csv.DictReader(_read_lm_text(p).splitlines())
    columns = {c.lower(): c for c in reader.fieldnames or []}
    missing = [c for c in ("word", *_LM_CATEGORIES) if c not in columns]
    if missing:
        raise LexiconError(p, f"CSV lacks column(s) {', '.join(missing)}")
    sets: dict[str, set[str]] = {c: set() for c in _LM_CATEGORIES}
    for row in reader:
        word = (row[columns["word"]] or "").strip().lower()
        for category in _LM_CATEGORIES:
            value = (row[columns[category]] or "").strip()
            if word and value not in ("", "0"):
                sets[category].add(word)
    return sets


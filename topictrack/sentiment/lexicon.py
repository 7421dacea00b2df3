"""The finance layer of the sentiment scorer: a TOML file of words, phrases, metric
polarity, direction words, cues and weights (``topictrack/resources/finance_sentiment.toml``),
which a user's own file extends or replaces."""

from __future__ import annotations

import functools
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

from topictrack._resources import load_cached, resource_dir
from topictrack.errors import LexiconError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

log = logging.getLogger(__name__)

LABELS = ("negative", "neutral", "positive")

_DEFAULT_FILE = "finance_sentiment.toml"
_LIST_SECTIONS = {
    "metrics": ("more_is_good", "more_is_bad"),
    "directions": ("up", "down", "better", "worse", "nouns"),
    "cues": ("negation", "contrast", "concession", "hedges", "questions"),
}
_VALUE_SECTIONS = ("words", "phrases")
_NUMBER_SECTIONS = {
    "weights": (
        "direction", "negation", "contrast_before", "contrast_after", "concession", "hedge",
        "question", "vader", "metric_gap", "direction_gap",
    ),
    "thresholds": ("positive", "negative"),
}


@dataclass(eq=False)
class FinanceLexicon:
    """The finance layer: words, phrases, metric polarity, direction words, cues, weights.

    Read it with :func:`load_finance_lexicon`. Attributes mirror the TOML sections:
    ``words`` and ``phrases`` map lower-case text to a valence; ``more_is_good``,
    ``more_is_bad``, ``up``, ``down``, ``better``, ``worse``, ``nouns``, ``negation``,
    ``contrast``, ``concession``, ``hedges`` and ``questions`` are tuples of lower-case words
    or phrases; ``weights`` and ``thresholds`` map names to numbers; ``sources`` names the
    files it was read from.
    """

    words: dict[str, float]
    phrases: dict[str, float]
    more_is_good: tuple[str, ...]
    more_is_bad: tuple[str, ...]
    up: tuple[str, ...]
    down: tuple[str, ...]
    better: tuple[str, ...]
    worse: tuple[str, ...]
    nouns: tuple[str, ...]
    negation: tuple[str, ...]
    contrast: tuple[str, ...]
    concession: tuple[str, ...]
    hedges: tuple[str, ...]
    questions: tuple[str, ...]
    weights: dict[str, float]
    thresholds: dict[str, float]
    sources: tuple[str, ...] = ()

    def label(self, score: float) -> str:
        """``positive`` / ``neutral`` / ``negative`` for a score, by this lexicon's thresholds."""
        if score >= self.thresholds["positive"]:
            return "positive"
        if score <= self.thresholds["negative"]:
            return "negative"
        return "neutral"


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise LexiconError(path, "file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(path, f"not valid TOML: {exc}") from None
    except OSError as exc:
        raise LexiconError(path, f"cannot be read: {exc.strerror}") from None


def _check(path: Path, data: dict) -> None:
    known = {"replace", *_LIST_SECTIONS, *_VALUE_SECTIONS, *_NUMBER_SECTIONS}
    for key, value in data.items():
        if key not in known:
            raise LexiconError(path, f"unknown section [{key}]; expected one of {', '.join(sorted(known))}")
        if key == "replace":
            if not isinstance(value, bool):
                raise LexiconError(path, "'replace' must be true or false")
            continue
        if not isinstance(value, dict):
            raise LexiconError(path, f"[{key}] must be a table")
        if key in _VALUE_SECTIONS:
            for entry, number in value.items():
                if isinstance(number, bool) or not isinstance(number, (int, float)):
                    raise LexiconError(path, f"[{key}] {entry!r} must be a number, got {number!r}")
        elif key in _NUMBER_SECTIONS:
            for name, number in value.items():
                if name not in _NUMBER_SECTIONS[key]:
                    raise LexiconError(
                        path, f"unknown [{key}] entry {name!r}; expected one of {', '.join(_NUMBER_SECTIONS[key])}"
                    )
                if isinstance(number, bool) or not isinstance(number, (int, float)):
                    raise LexiconError(path, f"[{key}] {name} must be a number, got {number!r}")
        else:
            for name, items in value.items():
                if name not in _LIST_SECTIONS[key]:
                    raise LexiconError(
                        path, f"unknown [{key}] entry {name!r}; expected one of {', '.join(_LIST_SECTIONS[key])}"
                    )
                if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                    raise LexiconError(path, f"[{key}] {name} must be a list of strings")


def _merge(layers: list[tuple[Path, dict]]) -> FinanceLexicon:
    words: dict[str, float] = {}
    phrases: dict[str, float] = {}
    lists: dict[str, list[str]] = {name: [] for names in _LIST_SECTIONS.values() for name in names}
    numbers: dict[str, dict[str, float]] = {key: {} for key in _NUMBER_SECTIONS}
    for _, data in layers:
        for entry, value in data.get("words", {}).items():
            words[" ".join(entry.lower().split())] = float(value)
        for entry, value in data.get("phrases", {}).items():
            phrases[" ".join(entry.lower().split())] = float(value)
        for section, names in _LIST_SECTIONS.items():
            for name in names:
                for item in data.get(section, {}).get(name, []):
                    item = " ".join(item.lower().split())
                    if item and item not in lists[name]:
                        lists[name].append(item)
        for section in _NUMBER_SECTIONS:
            numbers[section].update({k: float(v) for k, v in data.get(section, {}).items()})
    for section, names in _NUMBER_SECTIONS.items():
        missing = [n for n in names if n not in numbers[section]]
        if missing:
            raise LexiconError(layers[-1][0], f"[{section}] lacks {', '.join(missing)}")
    if numbers["thresholds"]["negative"] >= numbers["thresholds"]["positive"]:
        raise LexiconError(layers[-1][0], "[thresholds] negative must be below positive")
    return FinanceLexicon(
        words=words,
        phrases=phrases,
        **{name: tuple(items) for name, items in lists.items()},
        weights=numbers["weights"],
        thresholds=numbers["thresholds"],
        sources=tuple(str(p) for p, _ in layers),
    )


def load_finance_lexicon(path=None) -> FinanceLexicon:
    """Read the finance layer: the shipped file, extended by the user's TOML file at ``path``.

    A user file has the same sections as the shipped one (all optional): ``[words]`` and
    ``[phrases]`` add or override valences, lists in ``[metrics]``, ``[directions]`` and
    ``[cues]`` are added to, ``[weights]`` and ``[thresholds]`` values replace. With
    ``replace = true`` at its top, the user's words, phrases and lists are used alone
    (weights and thresholds not given still come from the shipped file).
    Raises :class:`~topictrack.errors.LexiconError` for a missing or malformed file. The
    files are read again when they change.
    """
    shipped = _shipped_file()
    if path is None:
        return load_cached(_load_finance_lexicon, shipped, None, paths=(shipped,))
    path = str(Path(path).expanduser().resolve())
    return load_cached(_load_finance_lexicon, shipped, path, paths=(shipped, path))


@functools.lru_cache(maxsize=1)
def _shipped_file() -> str:
    return str(resource_dir() / _DEFAULT_FILE)


def _load_finance_lexicon(shipped: str, path: str | None) -> FinanceLexicon:
    shipped = Path(shipped)
    base = _read_toml(shipped)
    _check(shipped, base)
    if path is None:
        return _merge([(shipped, base)])
    user_path = Path(path)
    user = _read_toml(user_path)
    _check(user_path, user)
    log.debug("finance lexicon %s %s the shipped one", path, "replaces" if user.get("replace") else "extends")
    if user.get("replace"):
        numbers_only = {key: base[key] for key in _NUMBER_SECTIONS}
        return _merge([(shipped, numbers_only), (user_path, user)])
    return _merge([(shipped, base), (user_path, user)])


def resolve_finance_lexicon(finance_lexicon) -> FinanceLexicon:
    """A :class:`FinanceLexicon` as given, or loaded from a path (None: the shipped one)."""
    if isinstance(finance_lexicon, FinanceLexicon):
        return finance_lexicon
    return load_finance_lexicon(finance_lexicon)

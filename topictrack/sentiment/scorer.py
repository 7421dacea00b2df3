"""Finance-aware sentiment: VADER at the core, a finance layer on top.

A sentence is scored in four steps:

1. **Direction-aware rules.** A metric ("net sales", "operating loss", "costs") followed
   by a direction of change ("rose", "narrowed", "fell"), preceded by one ("increase in
   revenue", "lower costs") or followed by a comparison ("from EUR 8 mn to EUR 11 mn",
   "compared with EUR 7 mn") scores the direction times whether more of the metric is good:
   revenue up is good, loss up is bad, costs down is good. "improved" / "deteriorated" are
   good / bad whatever the metric; a state reached ("swung to a loss") or set against its
   opposite ("a profit, compared with a loss") counts by the metric's polarity. A negation
   before the direction ("did not decline") flips it.
2. **Finance phrases** ("margin compression", "no material impact", "price war") with
   their own valences; a negation just before a phrase flips it.
3. **Words**: VADER's lexicon, with finance words re-weighted, added or removed
   ("liability", "tax", "capital" are not negative; "headwinds" is). VADER's own rules for
   boosters, negation and capitals apply to them.
4. **Modifiers**: a contrast cue ("but", "however") scales the clause before it down and
   the clause after it up; a concession cue ("although", "despite") scales the clause it
   opens down; a hedge ("may", "could", "expects") or a question scales the whole sentence
   down.

The weighted valences are summed and squashed into [-1, 1] with VADER's normalisation
``x / sqrt(x**2 + 15)``. The finance layer lives in a TOML file
(``topictrack/resources/finance_sentiment.toml``) that a user can read and extend; pass
your own with ``finance_lexicon=PATH``.

Labels: ``sentiment_label`` says ``positive`` when the score is at least 0.2,
``negative`` when it is at most -0.2, ``neutral`` otherwise (the ``[thresholds]`` of the
finance lexicon file).
"""

from __future__ import annotations

import copy
import csv
import functools
import importlib
import logging
import math
import re
import string
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from topictrack._callable import make_callable
from topictrack.text import language
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
_PUNCTUATION = string.punctuation
_MAX_WORDS = 250  # longer "sentences" (unpunctuated transcripts) are scored in pieces ...
_PIECE_WORDS = 100  # ... of this many words, keeping the cost linear
_CLAUSE_WORDS = frozenset({"while", "whereas", "but", "however", "although", "though"})
_ALPHA = 15.0  # VADER's normalisation constant


# --------------------------------------------------------------------------- lexicon file


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

    @functools.cached_property
    def _scorer(self) -> _Scorer:
        return _Scorer(self)

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
    Raises :class:`~topictrack.errors.LexiconError` for a missing or malformed file.
    """
    return _load_finance_lexicon(None if path is None else str(Path(path).expanduser().resolve()))


@functools.lru_cache(maxsize=16)
def _load_finance_lexicon(path: str | None) -> FinanceLexicon:
    from topictrack._resources import resource_dir

    shipped = resource_dir() / _DEFAULT_FILE
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


def _lexicon(finance_lexicon) -> FinanceLexicon:
    if isinstance(finance_lexicon, FinanceLexicon):
        return finance_lexicon
    return load_finance_lexicon(finance_lexicon)


# --------------------------------------------------------------------------- scorer


@functools.lru_cache(maxsize=1)
def _vader():
    """The one VADER analyser of the process (its lexicon file is read once)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


class _PhraseIndex:
    """Finds listed words and phrases in a token sequence by dictionary look-up.

    Entries are lower-case, space-separated; matching is longest first, left to right,
    without overlaps, on tokens stripped of surrounding punctuation.
    """

    def __init__(self, entries):
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for entry in entries:
            words = tuple(entry.split())
            if words:
                by_first.setdefault(words[0], []).append(words)
        self._by_first = {k: sorted(v, key=len, reverse=True) for k, v in by_first.items()}
        self._first_words = frozenset(self._by_first)

    def find(self, keys: list[str], present: frozenset | set | None = None) -> list[tuple[int, int, str]]:
        """(first token, last token, entry) of each match. ``present``: the set of ``keys``,
        when known, lets a sentence without any first word be skipped at once."""
        if present is not None and self._first_words.isdisjoint(present):
            return []
        out = []
        by_first = self._by_first
        i, n = 0, len(keys)
        while i < n:
            candidates = by_first.get(keys[i])
            if candidates:
                for words in candidates:
                    size = len(words)
                    if size == 1 or tuple(keys[i:i + size]) == words:
                        out.append((i, i + size - 1, " ".join(words)))
                        i += size - 1
                        break
            i += 1
        return out

    def first(self, keys: list[str], present=None):
        found = self.find(keys, present)
        return found[0] if found else None


@dataclass(frozen=True)
class Contribution:
    """One term or rule that moved a sentence's score.

    ``rule`` names what fired: ``vader word``, ``finance word``, ``finance phrase``,
    ``negated finance phrase``, or a direction rule such as ``more is bad x down`` (metric
    polarity x kind of change: ``up``, ``down``, ``better``, ``worse``, ``state``; prefixed
    ``negated`` when a negation cue precedes the change). ``valence`` is on VADER's scale
    (about -4..4) before modifiers; ``weight`` is the product of the contrast, concession,
    hedge and question factors; ``contribution = valence * weight`` is what was summed.
    """

    term: str
    rule: str
    valence: float
    weight: float

    @property
    def contribution(self) -> float:
        return self.valence * self.weight


@dataclass(frozen=True)
class SentenceExplanation:
    """How one sentence was scored: its contributions, the modifiers seen, the score."""

    text: str
    score: float
    contributions: tuple[Contribution, ...]
    modifiers: tuple[str, ...]

    @property
    def total(self) -> float:
        """Sum of the contributions (the value squashed into the score)."""
        return sum(c.contribution for c in self.contributions)


@dataclass(frozen=True)
class SentimentExplanation:
    """What :func:`explain_sentiment` returns.

    ``score`` and ``label`` are those of :func:`sentiment` and :func:`sentiment_label`;
    ``sentences`` holds one :class:`SentenceExplanation` per sentence (the text's score is
    their mean). ``to_frame()`` gives one row per contribution with columns ``sentence``
    (index), ``term``, ``rule``, ``valence``, ``weight``, ``contribution``. ``str()``
    renders a readable account.
    """

    text: str
    score: float
    label: str
    sentences: tuple[SentenceExplanation, ...]

    @property
    def contributions(self) -> list[Contribution]:
        return [c for s in self.sentences for c in s.contributions]

    def to_frame(self):
        import pandas as pd

        rows = [
            (i, c.term, c.rule, c.valence, c.weight, c.contribution)
            for i, s in enumerate(self.sentences)
            for c in s.contributions
        ]
        return pd.DataFrame(rows, columns=["sentence", "term", "rule", "valence", "weight", "contribution"])

    def __str__(self) -> str:
        lines = [f"score {self.score:+.3f}  label {self.label}"]
        for i, s in enumerate(self.sentences):
            if len(self.sentences) > 1:
                lines.append(f"[{i}] {s.score:+.3f}  {s.text}")
            for c in s.contributions:
                lines.append(f"    {c.contribution:+6.2f}  {c.term!r:30} {c.rule}"
                             + (f"  (valence {c.valence:+.2f} x weight {c.weight:.2f})" if c.weight != 1 else ""))
            for m in s.modifiers:
                lines.append(f"    modifier: {m}")
            if not s.contributions:
                lines.append("    no sentiment terms")
        return "\n".join(lines)


class _Scorer:
    """Compiled form of a :class:`FinanceLexicon`, bound to the shared VADER analyser."""

    def __init__(self, lex: FinanceLexicon):
        from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentiText, allcap_differential

        self.lex = lex
        self._SentiText = SentiText
        self._allcap_differential = allcap_differential
        self._boosters = BOOSTER_DICT
        self.vader = copy.copy(_vader())  # shares the emoji table, gets its own lexicon
        vocabulary = dict(self.vader.lexicon)
        for word, value in lex.words.items():
            if value == 0:
                vocabulary.pop(word, None)
            else:
                vocabulary[word] = value
        self.vader.lexicon = vocabulary
        self.finance_words = frozenset(lex.words)

        polarity = {m: 1 for m in lex.more_is_good}
        polarity.update({m: -1 for m in lex.more_is_bad})
        self.metric_polarity = polarity
        self.metrics = _PhraseIndex(polarity)
        kinds: dict[str, str] = {}
        for kind, items in (("up", lex.up), ("down", lex.down), ("better", lex.better), ("worse", lex.worse)):
            for item in items:
                kinds.setdefault(item, kind)
        self.direction_kind = kinds
        self.directions = _PhraseIndex(kinds)
        self.nouns = frozenset(lex.nouns)
        self.phrases = _PhraseIndex(lex.phrases)
        self.negation = frozenset(lex.negation)
        self.contrast = _PhraseIndex(lex.contrast)
        self.concession = _PhraseIndex(lex.concession)
        self.hedges = _PhraseIndex(lex.hedges)
        self.questions = _PhraseIndex(lex.questions)
        w = lex.weights
        self.w_direction = w["direction"]
        self.w_negation = w["negation"]
        self.w_before, self.w_after = w["contrast_before"], w["contrast_after"]
        self.w_concession = w["concession"]
        self.w_hedge = w["hedge"]
        self.w_question = w["question"]
        self.w_vader = w["vader"]
        self.metric_gap = int(w["metric_gap"])
        self.direction_gap = int(w["direction_gap"])

    @staticmethod
    def _title_case(words: list[str]) -> bool:
        """Is this a headline, most words capitalised ("AI Revenue Surges, Margin Holds")?"""
        alpha = [w for w in words if w[:1].isalpha()]
        return sum(w[:1].isupper() for w in alpha) * 2 > len(alpha)

    def _negated(self, keys: list[str], start: int) -> bool:
        """Is one of the three tokens before ``start`` a negation cue?"""
        for j in range(max(0, start - 3), start):
            if keys[j] in self.negation:
                return True
        return False

    def analyse(self, text: str, explain: bool = False):
        """Score one sentence. Returns the score, or (score, contributions, modifiers)."""
        raw = text.split()
        if not raw:
            return (0.0, (), ()) if explain else 0.0
        if len(raw) > _MAX_WORDS:
            return self._analyse_long(raw, explain)
        n = len(raw)
        keys = []  # tokens for finance matching: punctuation stripped, lower case
        words = []  # tokens as VADER sees them
        for token in raw:
            stripped = token.strip(_PUNCTUATION)
            keys.append(stripped.lower())
            words.append(token if len(stripped) <= 2 else stripped)
        present = set(keys)
        covered = [False] * n
        found: list[tuple[int, str, str, float]] = []  # (token, term, rule, valence)

        # 1. metric x direction
        metrics = self.metrics.find(keys, present)
        if metrics:
            directions = self.directions.find(keys, present)
            if directions:
                # a metric inside a longer direction phrase ("came under pressure") is not a metric
                inside = {k for da, db, d in directions if db > da for k in range(da, db + 1)}
                metrics = [m for m in metrics if m[0] not in inside]
            self._pair(metrics, directions, keys, raw, covered, found)

        # 2. finance phrases
        for a, b, phrase in self.phrases.find(keys, present):
            if any(covered[a:b + 1]):
                continue
            valence = self.lex.phrases[phrase]
            rule = "finance phrase"
            if valence and self._negated(keys, a):
                valence *= self.w_negation
                rule = "negated finance phrase"
            for k in range(a, b + 1):
                covered[k] = True
            if valence:
                found.append((a, " ".join(raw[a:b + 1]), rule, valence))

        # 3. words: VADER with the finance-adjusted lexicon
        vocabulary = self.vader.lexicon
        sentitext = None
        headline = None
        for i, word in enumerate(words):
            lw = word.lower()
            if covered[i] or lw not in vocabulary or lw in self._boosters:
                continue
            if i > 0 and word[:1].isupper() and lw not in self.finance_words and not raw[i - 1].endswith((".", ":", '"')):
                if headline is None:
                    headline = self._title_case(words)
                if not headline:
                    continue  # a capitalised general word inside a sentence names something ("Resident Evil")
            if sentitext is None:
                sentitext = self._SentiText("")
                sentitext.words_and_emoticons = words
                sentitext.is_cap_diff = self._allcap_differential(words)
            valence = self.vader.sentiment_valence(0, sentitext, word, i, [])[-1]
            if valence:
                if lw in self.finance_words:
                    found.append((i, word, "finance word", valence))
                else:
                    found.append((i, word, "vader word", valence * self.w_vader))

        if not found:
            return (0.0, (), ()) if explain else 0.0

        # 4. modifiers
        weights = [1.0] * n
        modifiers = []
        contrast = next((c for c in self.contrast.find(keys, present) if _is_contrast(keys, c)), None)
        if contrast:
            c0, c1, cue = contrast
            for k in range(n):
                if k < c0:
                    weights[k] *= self.w_before
                elif k > c1:
                    weights[k] *= self.w_after
            modifiers.append(f"contrast {cue!r}: before x{self.w_before}, after x{self.w_after}")
        for k, _, cue in self.concession.find(keys, present):
            end = k
            while end < n - 1 and not raw[end].endswith((",", ";", ":")):
                end += 1
            for j in range(k, end + 1):
                weights[j] *= self.w_concession
            modifiers.append(f"concession {cue!r}: its clause x{self.w_concession}")
        hedge = self.hedges.first(keys, present)
        if hedge:
            weights = [w * self.w_hedge for w in weights]
            modifiers.append(f"hedge {hedge[2]!r}: sentence x{self.w_hedge}")
        question = "?" if raw[-1].endswith("?") else self.questions.first(keys, present)
        if question:
            weights = [w * self.w_question for w in weights]
            cue = "?" if question == "?" else question[2]
            modifiers.append(f"question {cue!r}: sentence x{self.w_question}")

        total = 0.0
        for k, _, _, valence in found:
            total += valence * weights[k]
        score = max(-1.0, min(1.0, total / math.sqrt(total * total + _ALPHA)))
        if not explain:
            return score
        found.sort(key=lambda f: f[0])
        contributions = tuple(Contribution(term, rule, valence, weights[k]) for k, term, rule, valence in found)
        return score, contributions, tuple(modifiers)

    def _analyse_long(self, raw: list[str], explain: bool):
        """A "sentence" of more than ``_MAX_WORDS`` words (unpunctuated speech-to-text) is
        scored as consecutive pieces of ``_PIECE_WORDS`` words; its score is their mean."""
        pieces = [" ".join(raw[i:i + _PIECE_WORDS]) for i in range(0, len(raw), _PIECE_WORDS)]
        results = [self.analyse(piece, explain) for piece in pieces]
        if not explain:
            return sum(results) / len(results)
        score = sum(r[0] for r in results) / len(results)
        contributions = tuple(c for r in results for c in r[1])
        modifiers = (f"long text: mean of {len(pieces)} pieces of {_PIECE_WORDS} words",
                     *(m for r in results for m in r[2]))
        return score, contributions, modifiers

    def _pair(self, metrics, directions, keys, raw, covered, found) -> None:
        """Find the change each metric undergoes and score it (direction x polarity)."""
        used = set()
        metric_at = {m[0]: m for m in metrics}
        paired = []  # (metric end, metric text, polarity) of each metric that changed
        for idx, (ma, mb, metric) in enumerate(metrics):
            if covered[ma]:
                continue  # consumed as the earlier state of another metric ("from a loss")
            if _earlier_state(keys, ma):
                # "compared with a loss of EUR 2 mn": the past, not the news
                for k in range(ma, mb + 1):
                    covered[k] = True
                continue
            change = (
                self._direction_after(metrics, idx, directions, keys, raw, metric_at)
                or self._direction_before(ma, directions, keys, raw, used)
                or self._compare(metrics, idx, keys, raw, metric_at)
            )
            if change is None:
                continue
            used.add(change[:2])
            polarity = self.metric_polarity[metric]
            self._score_change((ma, mb), polarity, change, keys, raw, covered, found)
            paired.append((mb, polarity))
        # a direction with its subject left out repeats the last metric: "the loss
        # narrowed year on year but widened sequentially"
        for da, db, direction in directions:
            if (da, db) in used or covered[da] or da == 0 or keys[da - 1] not in ("but", "and", "yet"):
                continue
            before = [p for p in paired if p[0] < da]
            if before and direction not in self.nouns and direction not in _PARTICLES:
                mb, polarity = before[-1]
                kind = self.direction_kind[direction]
                self._score_change(None, polarity, (da, db, kind, " ".join(raw[da:db + 1])), keys, raw,
                                   covered, found)

    def _score_change(self, metric_span, polarity, change, keys, raw, covered, found) -> None:
        da, db, kind, shown = change
        if kind in ("better", "worse"):
            sign = 1 if kind == "better" else -1
        elif kind == "state":
            sign = polarity
        else:
            sign = (1 if kind == "up" else -1) * polarity
        valence = sign * self.w_direction
        rule = f"{'more is good' if polarity > 0 else 'more is bad'} x {kind}"
        if self._negated(keys, da):
            valence *= self.w_negation
            rule = "negated " + rule
        for k in range(da, db + 1):
            covered[k] = True
        if metric_span is None:
            found.append((da, f"(same metric) .. {shown}", rule, valence))
            return
        ma, mb = metric_span
        for k in range(ma, mb + 1):
            covered[k] = True
        first = " ".join(raw[ma:mb + 1])
        found.append((min(ma, da), f"{shown} .. {first}" if da < ma else f"{first} .. {shown}", rule, valence))

    def _direction_after(self, metrics, idx, directions, keys, raw, metric_at):
        """ "net sales in the third quarter increased" -> (start, end, kind, text) or None."""
        mb = metrics[idx][1]
        for da, db, direction in directions:
            if da <= mb or (direction in _PARTICLES and not _particle_is_change(keys, raw, da)):
                continue
            if _earlier_state(keys, da):  # "compared with a negative EUR 2 mn"
                continue
            if da - mb - 1 > self.metric_gap or self._breaks(keys, raw, mb, da):
                return None
            # a noun ("growth", "increase") far from the metric is about something else,
            # unless in apposition: "net sales of EUR 41 mn, an increase of 11%"
            if direction in self.nouns and da - mb > 2 and keys[da - 1] not in _BEFORE_CHANGE_WORD:
                continue
            # another metric in between ends the search unless it is coordinated
            # with this one ("net sales and operating profit rose")
            if any(mb < m[0] < da for m in metrics[idx + 1:]) and not self._coordinated(metrics[idx:], da):
                return None
            # "competition reduced demand": the change belongs to the metric after the verb
            # ("the result swung to a loss": the state reached is the loss; "raises the
            # fixed costs": one modifier may stand between)
            if not raw[db].endswith((",", ";", ":", ".")) and self._object_metric(keys, raw, db, metric_at):
                return None
            # "an operating loss of EUR 0.3 mn, down from a profit": the state changed
            if db + 1 < len(keys) and keys[db + 1] in _COMPARE_CUES:
                state = self._opposite_state(keys, raw, db + 1, metrics[idx][2], metric_at)
                if state:
                    return state
            return da, db, self.direction_kind[direction], " ".join(raw[da:db + 1])
        return None

    @staticmethod
    def _object_metric(keys, raw, db, metric_at) -> bool:
        """Is a metric the object of the direction verb ending at ``db``?"""
        nxt = db + 1
        while nxt < len(keys) and nxt < db + 3 and keys[nxt] in _DETERMINERS:
            nxt += 1
        if nxt in metric_at:
            return True
        # one modifier word, not a preposition, before the metric
        return (nxt + 1 in metric_at and nxt < len(keys) and keys[nxt] not in _PREPOSITIONS
                and not raw[nxt].endswith((",", ";", ":", ".")) and _NUMBER.match(keys[nxt]) is None)

    def _direction_before(self, ma, directions, keys, raw, used):
        """ "increase in operating profit", "lower costs"; "fell to a loss" is a state."""
        for da, db, direction in reversed(directions):
            if db >= ma or (direction in _PARTICLES and not _particle_is_change(keys, raw, da)):
                continue
            if (da, db) in used or ma - db - 1 > self.direction_gap or self._breaks(keys, raw, db, ma):
                return None
            if any(raw[j].endswith((",", ";", ":")) for j in range(db, ma)):
                return None
            kind = "state" if "to" in keys[db + 1:ma] else self.direction_kind[direction]
            return da, db, kind, " ".join(raw[da:db + 1])
        return None

    def _compare(self, metrics, idx, keys, raw, metric_at):
        """A change told by comparison after the metric: "from EUR 8.7 mn to EUR 13.1 mn",
        "EUR 13.1 mn compared with EUR 8.7 mn", "a profit of EUR 2 mn versus a loss of
        EUR 1 mn" (a state change). Returns (start, end, kind, text) or None."""
        ma, mb, metric = metrics[idx]
        n = len(keys)
        limit = min(n, mb + 2 + self.metric_gap + self.direction_gap)
        current = None  # the amount stated for this metric, after it or just before it
        for i in range(ma - 1, max(-1, ma - 4), -1):  # "proposed a EUR 1.00 dividend"
            if _NUMBER.match(keys[i]):
                current, _ = _number_after(keys, raw, i, reach=1)
                break
        for k in range(mb + 1, limit):
            if k in metric_at:
                return None
            key = keys[k]
            if key == "from" and current is None and keys[k - 1] not in _RANGE_WORDS:
                old, oi = _number_after(keys, raw, k + 1)
                if old is not None:
                    for t in range(oi + 1, min(oi + 4, n)):
                        if keys[t] == "to":
                            new, ni = _number_after(keys, raw, t + 1)
                            kind = _change(old, new)
                            if kind:
                                return k, ni, kind, " ".join(raw[k:ni + 1])
                            break
            if key in _COMPARE_CUES:
                state = self._opposite_state(keys, raw, k, metric, metric_at)
                if state:
                    return state
                j = k + 1
                while j < n and keys[j] in _FILLER:
                    j += 1
                other = metric_at.get(j)
                old, oi = _number_after(keys, raw, (other[1] if other else k) + 1)
                kind = _change(old, current)
                if kind:
                    return k, oi, kind, " ".join(raw[k:oi + 1])
            if current is None:
                current, _ = _number_after(keys, raw, k, reach=1)
        return None

    def _opposite_state(self, keys, raw, cue, metric, metric_at):
        """After a comparison cue at ``cue``: the metric's opposite ("compared with a loss",
        "down from a profit", "against a negative EUR 2 mn") -> a better/worse change."""
        j = cue + 1
        while j < len(keys) and keys[j] in _FILLER:
            j += 1
        other = metric_at.get(j)
        if other is None and not (j < len(keys) and keys[j] == "negative"):
            return None
        polarity = self.metric_polarity[metric]
        other_polarity = -1 if other is None else self.metric_polarity[other[2]]
        if other_polarity == polarity:
            return None
        end = j if other is None else other[1]
        return cue, end, "better" if polarity > 0 else "worse", " ".join(raw[cue:end + 1])

    @staticmethod
    def _breaks(keys, raw, a, b) -> bool:
        """Is there a clause break between tokens a and b?"""
        for k in range(a, b):
            if k > a + 1 and keys[k] in _CLAUSE_WORDS:  # "margin, however, fell" is one clause
                return True
            if raw[k].endswith(";"):
                return True
        return False

    @staticmethod
    def _coordinated(metrics, direction_start) -> bool:
        """Are the metrics before the direction joined by at most one token ("and", ",")?"""
        prev_end = metrics[0][1]
        for ma, mb, _ in metrics[1:]:
            if ma >= direction_start:
                break
            if ma - prev_end - 1 > 1:
                return False
            prev_end = mb
        return True


_COMPARE_CUES = frozenset({"compared", "versus", "vs", "against", "from"})
_NUMBER = re.compile(r"^(?:[a-z]{1,3})?(\d+(?:,\d{3})*(?:\.\d+)?)(k|m|mn|mln|bn|b|million|billion)?$")
_UNITS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "million": 1e6,
          "b": 1e9, "bn": 1e9, "billion": 1e9}
_FILLER = frozenset({"eur", "usd", "rmb", "yuan", "sek", "dkk", "nok", "gbp", "us", "a", "an", "the",
                     "about", "around", "approximately", "some", "nearly", "almost", "over", "of",
                     "with", "to", "its", "their"})
# words before "increase", "decline"... that make them a change of the metric before:
# an apposition ("..., an increase of 11%") or a verb ("is expected to increase")
_BEFORE_CHANGE_WORD = frozenset({
    "a", "an", "to", "will", "would", "could", "may", "might", "should", "can", "did", "does", "do",
    "not", "also", "further", "continue", "continued", "continues",
})
_RANGE_WORDS = frozenset({"range", "ranges", "ranging", "ranged", "vary", "varies", "varying"})
_PREPOSITIONS = frozenset({"in", "of", "for", "at", "on", "by", "from", "with", "as", "to", "into", "than"})
_DETERMINERS = frozenset({"the", "its", "our", "their", "a", "an", "to", "into"})


def _is_contrast(keys: list[str], cue: tuple[int, int, str]) -> bool:
    """False for cues that do not contrast: "not yet", "as yet", "not only ... but also"."""
    start, end, _ = cue
    if start > 0 and keys[start - 1] in ("not", "as"):
        return False
    if end + 1 < len(keys) and keys[end + 1] == "also":
        return not any(keys[i] == "not" and keys[i + 1] == "only" for i in range(start - 1))
    return True


def _earlier_state(keys: list[str], start: int) -> bool:
    """Is the metric at ``start`` the term of a comparison ("compared with a loss",
    "versus a profit", "from a net loss")?"""
    i = start - 1
    determiner = False
    while i >= 0 and keys[i] in ("a", "an", "the"):
        determiner = True
        i -= 1
    if i < 0:
        return False
    if keys[i] in ("with", "to") and i > 0 and keys[i - 1] == "compared":
        return True
    return keys[i] in ("versus", "vs", "against") or (keys[i] == "from" and determiner)


_PARTICLES = frozenset({"up", "down"})
_PARTICLE_NEXT = frozenset({
    "from", "by", "on", "year", "yoy", "sharply", "significantly", "slightly", "strongly",
    "sequentially", "again", "about", "around", "nearly", "almost", "more", "some", "over", "%",
    "year-on-year", "year-over-year", "quarter-on-quarter", "y-y", "y-o-y", "yoy", "q-o-q", "qoq",
})


def _particle_is_change(keys: list[str], raw: list[str], i: int) -> bool:
    """Is a bare "up"/"down" a change ("sales were up 4%", "down from", "EBIT was down.")
    rather than part of a phrasal verb ("set up a team", "up to")?"""
    if raw[i].endswith((",", ";", ":", ".")) or i + 1 >= len(keys):
        return True
    nxt = keys[i + 1]
    if nxt == "to":  # "went down to 5%" is a fall; "up to 10 accounts" is a limit
        return keys[i] == "down"
    return nxt in _PARTICLE_NEXT or _NUMBER.match(nxt) is not None


def _number_after(keys: list[str], raw: list[str], start: int, reach: int = 3):
    """The amount starting within ``reach`` tokens of ``start`` (skipping currency words)
    as ``(value, scale)``: "13.1 mn" -> (13.1, 1e6), "EUR -0.4" -> (-0.4, None); calendar
    years are not amounts. Returns ``(amount or None, index)``."""
    for i in range(start, min(start + reach, len(keys))):
        m = _NUMBER.match(keys[i])
        if not m:
            if keys[i] in _FILLER:
                continue
            return None, i
        value = float(m.group(1).replace(",", ""))
        if raw[i].lstrip("(").startswith(("-", "\u2212", "\u2013")):
            value = -value
        unit = m.group(2) or (keys[i + 1] if i + 1 < len(keys) else "")
        if unit in _UNITS:
            return (value, _UNITS[unit]), i
        if m.group(2) is None and unit != "%" and value.is_integer() and 1900 <= value <= 2100:
            return None, i
        return (value, None), i
    return None, start


def _change(old, new) -> str | None:
    """"up" / "down" from amount ``old`` to ``new`` (a unit given on one side only applies
    to both: "EUR 8.3 mn compared to EUR 8.4"); None when either is missing or equal."""
    if old is None or new is None:
        return None
    (a, a_scale), (b, b_scale) = old, new
    a *= a_scale or b_scale or 1.0
    b *= b_scale or a_scale or 1.0
    if a == b:
        return None
    return "up" if b > a else "down"


# --------------------------------------------------------------------------- public API


def _split(text: str) -> list[str]:
    from topictrack.text import sentences

    return sentences(text)


def _check_text(text, name: str) -> None:
    if not isinstance(text, str):
        raise TypeError(f"{name}() expects a str, got {type(text).__name__}")


def score_sentences(sentences, *, finance_lexicon=None) -> list[float]:
    """Score each item of ``sentences`` as one sentence: the fast batch path.

    Returns one float in [-1, 1] per item; equal to :func:`sentiment` of each sentence
    that :func:`topictrack.text.sentences` would not split further. A bare ``str`` is
    rejected (pass a list of sentences).
    """
    if isinstance(sentences, str):
        raise TypeError("score_sentences() expects a list of sentences, not a single str")
    analyse = _lexicon(finance_lexicon)._scorer.analyse
    out = []
    for s in sentences:
        if not isinstance(s, str):
            raise TypeError(f"score_sentences() expects str items, got {type(s).__name__}")
        out.append(analyse(s))
    return out


def sentiment(text: str, *, finance_lexicon=None) -> float:
    """Finance-aware tone of ``text`` in [-1, 1]: the mean score of its sentences.

    0.0 for text without sentences. ``finance_lexicon``: a path to your own TOML finance
    lexicon (extends the shipped one) or a :class:`FinanceLexicon`.
    """
    _check_text(text, "sentiment")
    parts = _split(text)
    if not parts:
        return 0.0
    scores = score_sentences(parts, finance_lexicon=finance_lexicon)
    return sum(scores) / len(scores)


def sentiment_label(text: str, *, finance_lexicon=None) -> str:
    """``positive`` (score >= 0.2), ``negative`` (score <= -0.2) or ``neutral``.

    The thresholds are the ``[thresholds]`` of the finance lexicon in use.
    """
    lex = _lexicon(finance_lexicon)
    return lex.label(sentiment(text, finance_lexicon=lex))


def score_label(score: float, *, finance_lexicon=None) -> str:
    """The label :func:`sentiment_label` gives a text with this score."""
    return _lexicon(finance_lexicon).label(score)


def explain_sentiment(text: str, *, finance_lexicon=None) -> SentimentExplanation:
    """The terms and rules that fired in each sentence of ``text``, with contributions.

    Returns a :class:`SentimentExplanation`; its ``score`` equals :func:`sentiment`.
    """
    _check_text(text, "explain_sentiment")
    lex = _lexicon(finance_lexicon)
    parts = _split(text)
    explained = []
    for part in parts:
        score, contributions, modifiers = lex._scorer.analyse(part, explain=True)
        explained.append(SentenceExplanation(part, score, contributions, modifiers))
    score = sum(s.score for s in explained) / len(explained) if explained else 0.0
    return SentimentExplanation(text, score, lex.label(score), tuple(explained))


def theme_tone(scores: Sequence[float], named: Sequence[bool]) -> tuple[float, int]:
    """Tone of one theme from the scores of the sentences that carry it: ``(tone, toned)``.

    ``named[i]`` says whether sentence ``i`` names the theme in words (see
    :meth:`topictrack.themes.ThemeTagger.tag_sentences`). The tone is read from the sentences
    that name the theme when there are any, else from all of them: a sentence tagged only
    because of its neighbours is often about another side of the business. Of those, only the
    *toned* sentences (score not 0.0) count: ``tone`` is their mean score and ``toned`` their
    number; a neutral sentence says nothing about which way the speaker leans, and averaging it
    in would pull every tone towards 0 by the share of plain narration. ``(0.0, 0)`` when none
    is toned.
    """
    chosen = [s for s, n in zip(scores, named) if n] or list(scores)
    toned = [s for s in chosen if s != 0.0]
    return (sum(toned) / len(toned), len(toned)) if toned else (0.0, 0)


def theme_tones(text: str, *, lexicons=None, finance_lexicon=None) -> dict[str, float]:
    """Tone of each theme that :func:`topictrack.themes.tag` assigns to ``text``.

    A theme's tone is :func:`theme_tone` of the English sentences that carry it (per-sentence
    tags from ``get_tagger(lexicons).tag_sentences``): the mean score of the toned sentences
    among those naming the theme, or among all carrying it when none names it. A theme
    assigned to the text but to none of its English sentences gets the mean of the text's toned
    English sentences. 0.0 when no such sentence is toned.
    """
    _check_text(text, "theme_tones")
    theme_module = importlib.import_module("topictrack.themes")

    assigned = theme_module.tag(text, lexicons=lexicons)
    if not assigned:
        return {}
    parts = _split(text)
    # like the scoring pipeline, tone comes from English sentences only: the English scorer
    # reads a Chinese sentence as 0.0, which would pull every tone towards neutral
    english = [s for s in parts if language(s) == "en"]
    parts = english or parts
    tags, named = (theme_module.get_tagger(lexicons).tag_sentences(parts, return_named=True)
                   if parts else ([], []))
    scores = score_sentences(parts, finance_lexicon=finance_lexicon)
    tones = {}
    for theme in assigned:
        carried = [(s, theme in n) for s, t, n in zip(scores, tags, named) if theme in t]
        if carried:
            tones[theme] = theme_tone([s for s, _ in carried], [n for _, n in carried])[0]
        else:
            tones[theme] = theme_tone(scores, [False] * len(scores))[0]
    return tones


# --------------------------------------------------------------------------- Loughran-McDonald


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
        _check_text(text, "counts")
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
    """
    return _load_lm(str(Path(path).expanduser().resolve()))


@functools.lru_cache(maxsize=4)
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


make_callable(__name__)

__all__ = [
    "Contribution",
    "FinanceLexicon",
    "LABELS",
    "LMDictionary",
    "SentenceExplanation",
    "SentimentExplanation",
    "explain_sentiment",
    "load_finance_lexicon",
    "load_lm_dictionary",
    "score_label",
    "score_sentences",
    "sentiment",
    "sentiment_label",
    "theme_tones",
]

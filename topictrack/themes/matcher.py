"""Matching lexicons against sentences: one pass over a batch's words finds every theme's terms,
patterns and pairs, exclusions applied, and says which entries matched (for explanations)."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from topictrack.themes.lexicon import CompiledLexicon, Lexicon

_WORD = re.compile(r"[a-z0-9]+")
_TOKEN = re.compile(r"[a-z0-9]+|\n")  # words, and line ends (a line is one sentence of a batch)

@dataclass(frozen=True)
class Batch:
    """Sentences lower-cased and split into words once, for every matcher and model.

    ``lower``: the sentences joined by newlines, lower-cased; ``lines``: the lower-cased
    sentences; ``tokens``: the words (runs of letters and digits) in order, with ``"\\n"``
    between sentences.
    """

    lower: str
    lines: list[str]
    tokens: list[str]
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, sentences: Sequence[str]) -> "Batch":
        lower = "\n".join(s.replace("\n", " ") for s in sentences).lower()
        return cls(lower, lower.split("\n"), _TOKEN.findall(lower))


def words(text: str) -> list[str]:
    """The words of ``text`` as every matcher and model sees them: lower-cased letters and digits."""
    return _WORD.findall(text.lower())


class _Node:
    """A place in a word sequence of some lexicon entries: the entries that end here, as
    ``(column, kind)``, and the words that lead on (exact words, and word beginnings)."""

    __slots__ = ("ends", "exact", "prefixes", "_next")

    #: Words whose next places one node remembers at most.
    MAX_SEEN = 20_000

    def __init__(self):
        self.ends: list[tuple[int, object]] = []
        self.exact: dict[str, _Node] = {}
        self.prefixes: dict[str, _Node] = {}
        self._next: dict[str, tuple] = {}

    def add(self, slots, column: int, kind) -> None:
        node = self
        for word, is_prefix in slots:
            table = node.prefixes if is_prefix else node.exact
            node = table.get(word) or table.setdefault(word, _Node())
        node.ends.append((column, kind))

    def starting(self, word: str) -> tuple:
        """The places reached after ``word``: its exact entry, and every word beginning it has."""
        found = [self.exact[word]] if word in self.exact else []
        prefixes = self.prefixes
        if prefixes:
            found += [prefixes[word[:end]] for end in range(1, len(word) + 1) if word[:end] in prefixes]
        return tuple(found)

    def step(self, word: str) -> tuple:
        """:meth:`starting`, remembered per word."""
        found = self._next.get(word)
        if found is None:
            found = self.starting(word)
            if len(self._next) < self.MAX_SEEN:
                self._next[word] = found
        return found


class LexiconMatcher:
    """Finds which sentences match which lexicons, a whole batch at a time.

    Works on words: the batch is lower-cased and split into words once, each distinct
    word is looked up once (then cached), and only the positions whose word can start
    an entry are examined. Every lexicon's entries share one tree of word sequences
    (:class:`_Node`), so a position is walked once for all lexicons, as far as its words
    lead. Terms and pair sides match word sequences (so punctuation between two words of
    a term is ignored); ``patterns`` regexes run only on sentences holding one of their
    leading words, or, when that cannot be told, on the whole batch.
    """

    #: Distinct words the word table holds at most; a batch that would pass it starts a new table.
    MAX_WORDS = 200_000

    def __init__(self, lexicons: Sequence[Lexicon]):
        self.lexicons = list(lexicons)
        self.generation = 0  # goes up each time the word table starts afresh (word ids change)
        self._root = _Node()
        for column, lex in enumerate(self.lexicons):
            for kind, slots in lex.regexes.slots.entries:
                self._root.add(slots, column, kind)
        self._forget_words()
        self._lock = threading.Lock()

    def _forget_words(self) -> None:
        self._words: dict[str, int] = {}
        self._word_list: list[str] = []
        self._starts: list[tuple] = []  # per word id: the places after it (empty: no entry starts so)
        self._flags = bytearray()
        self._array = np.zeros(0, dtype=bool)

    def _word_ids(self, tokens: list[str]) -> np.ndarray:
        with self._lock:
            new = set(tokens).difference(self._words)
            if new and len(self._words) + len(new) > self.MAX_WORDS:
                self._forget_words()
                self.generation += 1
                new = set(tokens)
            words = self._words
            if new:
                for word in sorted(new):
                    words[word] = len(words)
                    self._word_list.append(word)
                    starting = self._root.starting(word)
                    self._starts.append(starting)
                    self._flags.append(bool(starting))
                self._array = np.frombuffer(bytes(self._flags), dtype=bool)
            return np.fromiter(map(words.__getitem__, tokens), dtype=np.int64, count=len(tokens))

    def word_ids(self, batch: Batch) -> np.ndarray:
        """Ids of the batch's tokens in this matcher's word list (computed once per batch).

        Ids hold while :attr:`generation` stays the same."""
        ids = batch.cache.get(id(self))
        if ids is None:
            ids = batch.cache[id(self)] = self._word_ids(batch.tokens)
        return ids

    def word_list(self, start: int = 0) -> list[str]:
        """The words seen so far, in id order, from id ``start`` on."""
        return self._word_list[start:]

    @property
    def n_words(self) -> int:
        """How many distinct words have been seen."""
        return len(self._word_list)

    def match(self, sentences: Sequence[str]) -> np.ndarray:
        """Boolean matrix, sentences x lexicons."""
        return self.match_with_exclusions(sentences)[0]

    def match_with_exclusions(self, sentences: Sequence[str], batch: "Batch | None" = None) -> tuple[np.ndarray, np.ndarray]:
        """Two boolean matrices, sentences x lexicons: matches, and look-alikes.

        A look-alike sentence matches none of the theme's entries but holds text one
        of the theme's ``exclude`` entries names ("share price" for pricing), so a
        classifier should not give it the theme either.
        """
        out = np.zeros((len(sentences), len(self.lexicons)), dtype=bool)
        excluded = np.zeros_like(out)
        if not len(sentences):
            return out, excluded
        batch = batch or Batch.of(sentences)
        lower, lines, tokens = batch.lower, batch.lines, batch.tokens
        ids = self.word_ids(batch)
        n_tokens = len(tokens)
        row_of = np.cumsum(ids == self._words.get("\n", -1))
        starts_at = None
        found: dict[int, list] = {}  # column -> [(row, kind, first token, end token)]
        positions = np.flatnonzero(self._array[ids])
        starts = self._starts
        for p, row, word in zip(positions.tolist(), row_of[positions].tolist(), ids[positions].tolist()):
            todo = [(node, p + 1) for node in starts[word]]
            while todo:
                node, q = todo.pop()
                for column, kind in node.ends:
                    found.setdefault(column, []).append((row, kind, p, q))
                if q < n_tokens and (node.exact or node.prefixes):
                    todo += [(child, q + 1) for child in node.step(tokens[q])]
        for column, items in found.items():
            rx = self.lexicons[column].regexes
            spans: dict[int, list[tuple[int, int]]] = {}
            for row, kind, a, b in items:
                if kind == "exclude":
                    spans.setdefault(row, []).append((a, b))
            sides: dict[int, set] = {}
            pattern_rows = set()
            for row, kind, a, b in items:
                if kind == "exclude":
                    excluded[row, column] = True
                    continue
                if row in spans and any(a < y and x < b for x, y in spans[row]):
                    continue
                if kind == "term":
                    out[row, column] = True
                elif kind == "pattern":
                    pattern_rows.add(row)
                else:
                    sides.setdefault(row, set()).add(kind)
            for row, kinds in sides.items():
                if any(("left", i) in kinds and ("right", i) in kinds for _, i in kinds):
                    out[row, column] = True
            for row in pattern_rows:
                if not out[row, column]:
                    line = _blank(rx.exclude, lines[row]) if rx.exclude is not None else lines[row]
                    out[row, column] = rx.patterns.search(line) is not None
            if rx.slots.regex_exclude:  # check matched sentences against regex exclusions exactly
                for row in np.flatnonzero(out[:, column]).tolist():
                    line = _blank(rx.exclude, lines[row])
                    excluded[row, column] = line != lines[row]
                    out[row, column] = _regex_match(rx, line)
        for column, lex in enumerate(self.lexicons):
            rx = lex.regexes
            if rx.free_patterns is None:
                continue
            if starts_at is None:
                lengths = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines)) + 1
                starts_at = np.concatenate(([0], np.cumsum(lengths)[:-1]))
            positions = [m.start() for m in rx.free_patterns.finditer(lower)]
            for row in set((np.searchsorted(starts_at, positions, side="right") - 1).tolist()):
                if not out[row, column]:
                    line = _blank(rx.exclude, lines[row]) if rx.exclude is not None else lines[row]
                    out[row, column] = rx.free_patterns.search(line) is not None
        return out, excluded & ~out


def _regex_match(rx: CompiledLexicon, line: str) -> bool:
    return bool(
        (rx.terms is not None and rx.terms.search(line))
        or any(left.search(line) and right.search(line) for left, right in rx.pairs)
        or (rx.patterns is not None and rx.patterns.search(line))
        or (rx.free_patterns is not None and rx.free_patterns.search(line))
    )


def _blank(rx: re.Pattern, text: str) -> str:
    return rx.sub(lambda m: " " * len(m.group(0)), text)


def match_sentences(lexicons: Sequence[Lexicon], sentences: Sequence[str]) -> np.ndarray:
    """Boolean matrix sentences x lexicons: does the sentence match the theme's lexicon?"""
    return LexiconMatcher(lexicons).match(sentences)


def matched_entries(lexicon: Lexicon, sentence: str) -> list[str]:
    """The terms, patterns and pairs of ``lexicon`` found in one sentence (as written in the file)."""
    rx = lexicon.regexes
    text = _blank(rx.exclude, sentence) if rx.exclude is not None else sentence
    found = [entry for entry, regex in rx.entries if regex.search(text)]
    lower = text.lower()
    for left, right in rx.pairs:
        a, b = left.search(lower), right.search(lower)
        if a and b:
            found.append(f"{a.group(0)} + {b.group(0)} (pair)")
    return found


def excluded_spans(lexicon: Lexicon, sentence: str) -> list[str]:
    """Text of ``sentence`` blanked by the lexicon's ``exclude`` entries."""
    rx = lexicon.regexes.exclude
    return [m.group(0) for m in rx.finditer(sentence)] if rx is not None else []

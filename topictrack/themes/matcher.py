"""Matching lexicons against sentences: one pass over a batch's words finds every theme's terms,
patterns and pairs, exclusions applied, and says which entries matched (for explanations)."""

from __future__ import annotations

import re
import threading
from itertools import repeat
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from topictrack.themes.lexicon import CompiledLexicon, Lexicon, term_body

_WORD = re.compile(r"[a-z0-9]+")
# every byte that is not a lower-case ASCII letter, a digit or a line end, as a space
_SPACES = bytes(c if chr(c) in "abcdefghijklmnopqrstuvwxyz0123456789\n" else ord(" ") for c in range(256))


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
        lower = "\n".join(sentences)
        if lower.count("\n") >= len(sentences):  # a sentence holds a line break: make it a space
            lower = "\n".join(s.replace("\n", " ") for s in sentences)
        lower = lower.lower()
        return cls(lower, lower.split("\n"), _tokens(lower))


def _tokens(lower: str) -> list[str]:
    """The words (runs of ``a-z`` and ``0-9``) of lower-cased lines, with ``"\\n"`` between lines."""
    # other characters only separate words: as one-byte stand-ins, then as spaces
    spaced = lower.encode("ascii", "replace").translate(_SPACES).decode("ascii")
    out: list[str] = []
    for line in spaced.split("\n"):
        out += line.split()
        out.append("\n")
    out.pop()
    return out


def words(text: str) -> list[str]:
    """The words of ``text`` as every matcher and model sees them: lower-cased letters and digits."""
    return _WORD.findall(text.lower())


# what an entry of a lexicon is, as a number: a term, an exclusion, a pattern's leading word,
# the left or the right side of a pair
_TERM, _EXCLUDE, _PATTERN, _LEFT, _RIGHT = range(5)


def _kind_code(kind) -> tuple[int, int]:
    """``(what, pair number)`` of an entry kind: ``"term"``, ``"exclude"``, ``"pattern"``,
    ``("left", i)`` or ``("right", i)``."""
    if isinstance(kind, tuple):
        return (_LEFT if kind[0] == "left" else _RIGHT), kind[1]
    return {"term": _TERM, "exclude": _EXCLUDE, "pattern": _PATTERN}[kind], 0


class _Node:
    """A place in the word sequences of lexicon entries: the entries that end here (as tags,
    see :class:`LexiconMatcher`), and the words that lead on (exact words, and word beginnings)."""

    __slots__ = ("ends", "exact", "prefixes", "_next")

    #: Words whose next places one node remembers at most.
    MAX_SEEN = 20_000

    def __init__(self):
        self.ends: list[int] = []
        self.exact: dict[str, _Node] = {}
        self.prefixes: dict[str, _Node] = {}
        self._next: dict[str, tuple] = {}

    def add(self, slots, tag: int) -> None:
        node = self
        for word, is_prefix in slots:
            table = node.prefixes if is_prefix else node.exact
            node = table.get(word) or table.setdefault(word, _Node())
        node.ends.append(tag)

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

    Works on words: the batch is lower-cased and split into words once, and each distinct
    word is looked up once (then cached). Every lexicon's entries share one tree of word
    sequences (:class:`_Node`); what a word alone matches (one-word terms, pair sides,
    exclusions, patterns' leading words) is kept per word, so a batch's one-word matches are
    array look-ups, and only the places where a word is followed by a word that continues
    some entry are walked further. Terms and pair sides match word sequences (so punctuation
    between two words of a term is ignored); ``patterns`` regexes run only on sentences
    holding one of their leading words, or, when that cannot be told, on the whole batch.
    """

    #: Distinct words the word table holds at most; a batch that would pass it starts a new table.
    MAX_WORDS = 200_000

    def __init__(self, lexicons: Sequence[Lexicon]):
        self.lexicons = list(lexicons)
        self.generation = 0  # goes up each time the word table starts afresh (word ids change)
        tags: dict[tuple[int, object], int] = {}  # (column, kind) -> tag
        self._root = _Node()
        for column, lex in enumerate(self.lexicons):
            for kind, slots in lex.regexes.slots.entries:
                self._root.add(slots, tags.setdefault((column, kind), len(tags)))
        # per tag: its lexicon's column, what the entry is, and its pair number
        codes = np.asarray([(column, *_kind_code(kind)) for column, kind in tags], dtype=np.int64)
        codes = codes.reshape(-1, 3)
        self._tag_column, self._tag_what, self._tag_pair = codes.T
        self._pairs = int(self._tag_pair.max()) + 1 if len(codes) else 1
        # Each entry's first place gets one of 63 bits; a word's second-word bits say which
        # first places it may continue, so a word and the next are walked only when they share one
        self._bit: dict[int, int] = {}
        self._second_exact: dict[str, int] = {}
        self._second_prefixes: dict[str, int] = {}
        for node in (*self._root.exact.values(), *self._root.prefixes.values()):
            bit = self._bit[id(node)] = 1 << (len(self._bit) % 63)
            for table, seconds in ((node.exact, self._second_exact), (node.prefixes, self._second_prefixes)):
                for word in table:
                    seconds[word] = seconds.get(word, 0) | bit
        self._forget_words()
        self._lock = threading.Lock()

    def _forget_words(self) -> None:
        self._words: dict[str, int] = {}
        self._word_list: list[str] = []
        self._starts: list[tuple] = []  # per word id: the places after it (empty: no entry starts so)
        # per word id: where its one-word matches start in _emitted, and how many there are
        self._first = np.zeros(0, dtype=np.int64)
        self._count = np.zeros(0, dtype=np.int64)
        self._emitted = np.zeros(0, dtype=np.int64)
        self._leads = np.zeros(0, dtype=np.int64)  # bits of the first places an entry goes on from
        self._follows = np.zeros(0, dtype=np.int64)  # bits of the first places this word may continue

    def _second_bits(self, word: str) -> int:
        bits = self._second_exact.get(word, 0)
        prefixes = self._second_prefixes
        for end in range(1, len(word) + 1):
            bits |= prefixes.get(word[:end], 0)
        return bits

    def _add_words(self, new: list[str]) -> None:
        words = self._words
        emitted, counts, leads, follows = [], [], [], []
        for word in new:
            words[word] = len(words)
            self._word_list.append(word)
            starting = self._root.starting(word)
            self._starts.append(starting)
            ends = [tag for node in starting for tag in node.ends]
            emitted += ends
            counts.append(len(ends))
            bits = 0
            for node in starting:
                if node.exact or node.prefixes:
                    bits |= self._bit[id(node)]
            leads.append(bits)
            follows.append(self._second_bits(word))
        counts = np.asarray(counts, dtype=np.int64)
        self._first = np.concatenate((self._first, len(self._emitted) + np.cumsum(counts) - counts))
        self._count = np.concatenate((self._count, counts))
        self._emitted = np.concatenate((self._emitted, np.asarray(emitted, dtype=np.int64)))
        self._leads = np.concatenate((self._leads, np.asarray(leads, dtype=np.int64)))
        self._follows = np.concatenate((self._follows, np.asarray(follows, dtype=np.int64)))

    def _word_ids(self, tokens: list[str]) -> np.ndarray:
        with self._lock:
            ids = np.fromiter(map(self._words.get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens))
            unseen = np.flatnonzero(ids < 0).tolist()
            if not unseen:
                return ids
            new = {tokens[i] for i in unseen}
            if len(self._words) + len(new) > self.MAX_WORDS:
                self._forget_words()
                self.generation += 1
                self._add_words(sorted(set(tokens)))
                return np.fromiter(map(self._words.__getitem__, tokens), dtype=np.int64, count=len(tokens))
            self._add_words(sorted(new))
            ids[unseen] = [self._words[tokens[i]] for i in unseen]
            return ids

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

    def _found(self, batch: Batch) -> tuple[np.ndarray, ...]:
        """Every entry found in the batch: (sentence, tag, first token, end token) arrays."""
        ids = self.word_ids(batch)
        tokens = batch.tokens
        row_of = np.cumsum(ids == self._words.get("\n", -1))
        # entries of one word: looked up per word
        at = np.flatnonzero(self._count[ids])
        counts = self._count[ids[at]]
        total = int(counts.sum())
        within = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        tags = self._emitted[np.repeat(self._first[ids[at]], counts) + within]
        first = np.repeat(at, counts)
        # longer entries: walked from each word that leads on and is followed by one that may continue
        walked = np.flatnonzero((self._leads[ids[:-1]] & self._follows[ids[1:]]) != 0)
        more = []
        starts = self._starts
        n_tokens = len(tokens)
        for p, word in zip(walked.tolist(), ids[walked].tolist()):
            todo = [(child, p + 2) for node in starts[word] for child in node.step(tokens[p + 1])]
            while todo:
                node, q = todo.pop()
                more += [(tag, p, q) for tag in node.ends]
                if q < n_tokens and (node.exact or node.prefixes):
                    todo += [(child, q + 1) for child in node.step(tokens[q])]
        if more:
            extra = np.asarray(more, dtype=np.int64).reshape(-1, 3)
            tags = np.concatenate((tags, extra[:, 0]))
            end = np.concatenate((first + 1, extra[:, 2]))
            first = np.concatenate((first, extra[:, 1]))
        else:
            end = first + 1
        return row_of[first], tags, first, end

    def match_with_exclusions(self, sentences: Sequence[str], batch: "Batch | None" = None) -> tuple[np.ndarray, np.ndarray]:
        """Two boolean matrices, sentences x lexicons: matches, and look-alikes.

        A look-alike sentence matches none of the theme's entries but holds text one
        of the theme's ``exclude`` entries names ("share price" for pricing), so a
        classifier should not give it the theme either.
        """
        n_columns = len(self.lexicons)
        out = np.zeros((len(sentences), n_columns), dtype=bool)
        excluded = np.zeros_like(out)
        if not len(sentences):
            return out, excluded
        batch = batch or Batch.of(sentences)
        lines = batch.lines
        rows, tags, first, end = self._found(batch)
        columns, what = self._tag_column[tags], self._tag_what[tags]
        cells = rows * n_columns + columns
        is_exclusion = what == _EXCLUDE
        keep = ~is_exclusion
        if is_exclusion.any():
            excluded.flat[cells[is_exclusion]] = True
            # an entry overlapping an exclusion of its theme in its sentence does not count
            spans: dict[int, list[tuple[int, int]]] = {}
            for cell, a, b in zip(*(x[is_exclusion].tolist() for x in (cells, first, end))):
                spans.setdefault(cell, []).append((a, b))
            for i in np.flatnonzero(keep & excluded.flat[cells]).tolist():
                a, b = int(first[i]), int(end[i])
                if any(a < y and x < b for x, y in spans[int(cells[i])]):
                    keep[i] = False
        out.flat[cells[keep & (what == _TERM)]] = True
        sides = keep & (what >= _LEFT)
        if sides.any():
            pair = cells[sides] * self._pairs + self._tag_pair[tags[sides]]
            left = what[sides] == _LEFT
            both = set(pair[left].tolist()).intersection(pair[~left].tolist())
            out.flat[[cell // self._pairs for cell in both]] = True
        patterned = keep & (what == _PATTERN)
        for cell in np.unique(cells[patterned]).tolist():
            if not out.flat[cell]:
                row, column = divmod(cell, n_columns)
                rx = self.lexicons[column].regexes
                line = _blank(rx.exclude, lines[row]) if rx.exclude is not None else lines[row]
                out.flat[cell] = rx.patterns.search(line) is not None
        starts_at = None
        for column, lex in enumerate(self.lexicons):
            rx = lex.regexes
            if rx.slots.regex_exclude:  # check matched sentences against regex exclusions exactly
                for row in np.flatnonzero(out[:, column]).tolist():
                    line = _blank(rx.exclude, lines[row])
                    excluded[row, column] = line != lines[row]
                    out[row, column] = _regex_match(rx, line)
            if rx.free_patterns is None:
                continue
            if starts_at is None:
                lengths = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines)) + 1
                starts_at = np.concatenate(([0], np.cumsum(lengths)[:-1]))
            positions = [m.start() for m in rx.free_patterns.finditer(batch.lower)]
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


class EntryFinder:
    """Whether a sentence holds one of a lexicon's entries, as :func:`holds_entry` tells, for
    many sentences: the lexicon's plain terms are searched with one regular expression."""

    def __init__(self, lexicon: Lexicon):
        self.regexes = rx = lexicon.regexes
        n = len(lexicon.terms)
        # the entries begin with one per plain term, in the order of ``terms``
        plain = n and [entry for entry, _ in rx.entries[:n]] == list(lexicon.terms)
        self._terms = re.compile(r"(?<![\w])(?:" + "|".join(term_body(t) for t in lexicon.terms) + r")(?![\w])",
                                 re.IGNORECASE) if plain else None
        self._others = [regex for _, regex in rx.entries[n:]] if plain else [regex for _, regex in rx.entries]

    def __call__(self, sentence: str) -> bool:
        rx = self.regexes
        text = _blank(rx.exclude, sentence) if rx.exclude is not None else sentence
        if self._terms is not None and self._terms.search(text):
            return True
        if any(regex.search(text) for regex in self._others):
            return True
        lower = text.lower()
        return any(left.search(lower) and right.search(lower) for left, right in rx.pairs)


def holds_entry(lexicon: Lexicon, sentence: str) -> bool:
    """Whether :func:`matched_entries` finds anything in ``sentence`` (stops at the first entry found)."""
    return EntryFinder(lexicon)(sentence)


def excluded_spans(lexicon: Lexicon, sentence: str) -> list[str]:
    """Text of ``sentence`` blanked by the lexicon's ``exclude`` entries."""
    rx = lexicon.regexes.exclude
    return [m.group(0) for m in rx.finditer(sentence)] if rx is not None else []

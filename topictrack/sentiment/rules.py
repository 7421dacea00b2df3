"""Word-level rules of the finance sentiment scorer: listed phrases found in a token
sequence, contrast and comparison cues, and amounts ("EUR 8.3 mn", "13.1%") with the change
between two of them."""

from __future__ import annotations

import re
from collections.abc import Sequence


def positions(tokens: Sequence[str], wanted) -> list[int]:
    """The indexes of the tokens that are in ``wanted`` (a non-empty collection of distinct
    tokens present), in order."""
    out = []
    for word in wanted:
        at = -1
        for _ in range(tokens.count(word)):
            at = tokens.index(word, at + 1)
            out.append(at)
    if len(wanted) > 1:
        out.sort()
    return out


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
        self.first_words = frozenset(self._by_first)
        # for a first word that starts only phrases: their second words (one must occur too)
        self._seconds = {
            first: frozenset(words[1] for words in phrases)
            for first, phrases in self._by_first.items()
            if all(len(words) > 1 for words in phrases)
        }

    def starts(self, present: frozenset | set, among=None) -> frozenset | list[str]:
        """The first words of entries that may match a sentence whose set of tokens is
        ``present``: those present, less those that start only phrases whose second word is
        absent. ``among``, when given, is a part of ``present`` that holds every first word
        present."""
        starting = self.first_words.intersection(present if among is None else among)
        seconds = self._seconds
        if starting and not seconds.keys().isdisjoint(starting):
            return [w for w in starting if w not in seconds or not seconds[w].isdisjoint(present)]
        return starting

    def find(self, keys: Sequence[str], present: frozenset | set | None = None,
             among=None) -> list[tuple[int, int, str]]:
        """(first token, last token, entry) of each match. ``present``: the set of ``keys``,
        when known, lets a sentence without the words of any entry be skipped at once;
        ``among``: as for :meth:`starts`."""
        starting = self.starts(set(keys) if present is None else present, among)
        if not starting:
            return []
        places = positions(keys, starting)  # where an entry may start, left to right
        out = []
        by_first = self._by_first
        after = 0  # matches do not overlap: the next one starts after the last one ends
        for i in places:
            if i < after:
                continue
            for words in by_first[keys[i]]:
                size = len(words)
                if size == 1 or tuple(keys[i:i + size]) == words:
                    out.append((i, i + size - 1, " ".join(words)))
                    after = i + size
                    break
        return out

    def first(self, keys: list[str], present=None):
        found = self.find(keys, present)
        return found[0] if found else None



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

"""Cleaning applied to raw turns, each step recorded in a column rather than silent.

- :func:`collapse_loops`: ASR loops (a phrase repeated three or more times in a
  row) are cut down to one copy; the number of loops cut is returned.
- :func:`is_boilerplate`: operator instructions and safe-harbour / housekeeping
  text.
- :func:`link_duplicates`: in calls with consecutive interpretation each statement
  comes twice (machine translation of the Chinese original, then the
  interpreter's English). The later turn of such a pair points to the earlier.
"""

from __future__ import annotations

import re
from collections import Counter

_MIN_PHRASE = 3  # words in the shortest phrase counted as a loop
_MAX_PHRASE = 60  # words in the longest
_MIN_REPEATS = 3  # copies in a row that make a loop


def collapse_loops(text: str) -> tuple[str, int]:
    """Collapse phrases repeated three or more times in a row; return (text, loops collapsed).

    A loop is a run of 3-60 words followed directly by at least two more copies
    of itself (a trailing partial copy is dropped too). One copy is kept.
    """
    words = text.split()
    if len(words) < _MIN_PHRASE * _MIN_REPEATS:
        return text, 0
    trigrams = list(zip(words, words[1:], words[2:]))
    counts = Counter(trigrams)
    if max(counts.values()) < _MIN_REPEATS:
        return text, 0
    frequent = {g for g, c in counts.items() if c >= _MIN_REPEATS}
    last: dict = {}
    gap: dict = {}
    regions = []
    i = 0
    n = len(words)
    while i < len(trigrams):
        g = trigrams[i]
        if g in frequent:
            prev = last.get(g)
            d = i - prev if prev is not None else 0
            if prev is not None and _MIN_PHRASE <= d <= _MAX_PHRASE and gap.get(g) == d:
                start = prev - d
                if words[start:prev] == words[prev:i] == words[i:i + d]:
                    end = i + d
                    while end < n and words[end] == words[end - d]:
                        end += 1
                    regions.append((start, start + d, end))
                    last.clear()
                    gap.clear()
                    i = end
                    continue
            if prev is not None:
                gap[g] = d
            last[g] = i
        i += 1
    if not regions:
        return text, 0
    spans = [m.span() for m in _TOKEN.finditer(text)]
    pieces, cursor = [], 0
    for start, keep_end, end in regions:
        pieces.append(text[cursor:spans[keep_end - 1][1]])
        cursor = spans[end - 1][1]
    pieces.append(text[cursor:])
    return "".join(pieces), len(regions)


_TOKEN = re.compile(r"\S+")

_SAFE_HARBOUR = re.compile(
    r"forward[- ]looking|safe harbou?r|risks? and uncertainties|differ materially|undue reliance|"
    r"non-GAAP (?:financial )?measures?|reconciliation|press release|earnings release|"
    r"(?:webcast|replay|archive)|investor relations (?:website|section)|\bIR website\b|"
    r"Form (?:10-K|10-Q|20-F|8-K)|filings? with the (?:SEC|U\.S\. Securities)|"
    r"(?:no|not undertake any|assumes? no) (?:obligation|duty) to update|"
    r"for (?:your )?convenience (?:and|&) (?:the )?reference|in case of any discrepancy|"
    r"(?:computer generated|provided for information purposes)|"
    r"being recorded|listen[- ]only|press (?:star|\*)|operator instructions",
    re.I,
)
_SENTENCE_SPLIT = re.compile(r"(?<=[.?!])\s+(?=[A-Z\[\"“])")


def is_boilerplate(text: str, role: str) -> bool:
    """True for operator turns and for turns whose sentences are mostly safe-harbour text."""
    if role == "operator":
        return True
    if not _SAFE_HARBOUR.search(text):
        return False
    parts = _SENTENCE_SPLIT.split(text)
    hits = sum(1 for s in parts if _SAFE_HARBOUR.search(s))
    return hits * 2 >= len(parts)


_WORD = re.compile(r"[A-Za-z][A-Za-z\-]{3,}|\d+(?:[.,]\d+)?")
_STOP = frozenset(
    """
    this that with from have been were will would could should about there their they them
    which what when where while also into than then these those some such more most very just
    quarter year over each other only much many well like make made being does done because
    thank thanks think going want know said says first second third fourth next last over
    """.split()
)
_WINDOW = 3
_THRESHOLD = 0.34
_MIN_WORDS = 12


def _content(text: str) -> frozenset:
    return frozenset(w for w in (t.lower() for t in _WORD.findall(text)) if w not in _STOP)


def link_duplicates(texts, roles, languages) -> list:
    """For each turn the index of the earlier turn it restates (within 3 turns), else None.

    Two turns are a pair when they share at least a third of the smaller turn's
    content words and numbers; operator turns, Chinese turns and turns already
    paired are skipped.
    """
    sets = [
        _content(t) if r != "operator" and lang != "zh" else frozenset()
        for t, r, lang in zip(texts, roles, languages)
    ]
    out: list = [None] * len(texts)
    used = set()
    for j, words in enumerate(sets):
        if len(words) < _MIN_WORDS:
            continue
        best, best_score = None, _THRESHOLD
        for i in range(max(0, j - _WINDOW), j):
            other = sets[i]
            if i in used or out[i] is not None or len(other) < _MIN_WORDS:
                continue
            if roles[i] == "analyst" and roles[j] != "analyst" and roles[j] != "interpreter":
                continue
            score = len(words & other) / min(len(words), len(other))
            if score > best_score:
                best, best_score = i, score
        if best is not None:
            out[j] = best
            used.add(best)
    return out

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
    frequent = set()
    for g, c in Counter(trigrams).most_common():
        if c < _MIN_REPEATS:
            break
        frequent.add(g)
    if not frequent:
        return text, 0
    positions: dict = {}
    for i, g in enumerate(trigrams):
        if g in frequent:
            positions.setdefault(g, []).append(i)
    starts = set()
    for pos in positions.values():
        for a, b, c in zip(pos, pos[1:], pos[2:]):
            if b - a == c - b and _MIN_PHRASE <= b - a <= _MAX_PHRASE:
                starts.add((a, b - a))
    regions = []
    n = len(words)
    covered = 0
    for start, d in sorted(starts):
        if start < covered:
            continue
        if not words[start:start + d] == words[start + d:start + 2 * d] == words[start + 2 * d:start + 3 * d]:
            continue
        end = start + 3 * d
        while end < n and words[end] == words[end - d]:
            end += 1
        regions.append((start, start + d, end))
        covered = end
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

# Lower-case phrases that mark safe-harbour, housekeeping and operator-instruction text.
_BOILERPLATE_PHRASES = (
    "forward-looking", "forward looking", "safe harbor", "safe harbour", "risks and uncertainties",
    "differ materially", "undue reliance", "non-gaap financial measure", "non-gaap measure",
    "reconciliation", "press release", "earnings release", "webcast", "replay", "archived",
    "ir website", "investor relations website", "form 10-k", "form 10-q", "form 20-f",
    "form 8-k", "with the sec", "securities and exchange commission", "obligation to update",
    "duty to update", "for your convenience", "in case of any discrepancy", "computer generated",
    "information purposes", "being recorded", "listen-only", "listen only", "press star",
    "press *", "operator instructions",
)
_SENTENCE_SPLIT = re.compile(r"(?<=[.?!])\s+(?=[A-Z\[\"“])")


_SENTENCE_END = re.compile(r"[.?!](?:\s|$)")


def is_boilerplate(text: str, role: str) -> bool:
    """True for operator turns and for turns that are mostly safe-harbour text.

    "Mostly" means safe-harbour phrases occur at least half as often as the turn
    has sentences.
    """
    if role == "operator":
        return True
    low = text.lower()
    hits = sum(low.count(phrase) for phrase in _BOILERPLATE_PHRASES)
    if not hits:
        return False
    sentences = max(1, len(_SENTENCE_END.findall(text)))
    return hits * 2 >= sentences


_PUNCTUATION = str.maketrans({ch: " " for ch in "!\"#$&'()*+,/:;<=>?@[\\]^_`{|}~“”‘’—–"})
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
    """Content words (4+ letters, not stop words) and numbers of ``text``, lower-cased."""
    words = set(text.lower().translate(_PUNCTUATION).split())
    return frozenset(w.rstrip(".%-") for w in words if len(w) >= 4 or w[:1].isdigit()) - _STOP


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

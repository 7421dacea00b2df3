"""ASR loops: a phrase of 3-60 words said three or more times in a row, cut down to one copy.

A loop starts where a word trigram has three consecutive occurrences the same distance
``d`` (3-60 words) apart and the ``d`` words from there come three times in a row; it runs
on while the words keep repeating with period ``d`` (a trailing partial copy goes too).
Loops are taken from the left; one that starts inside a loop already taken is not counted.

The cost is linear in the text and its memory bounded whatever the text's length: the words
are read a chunk of characters at a time and examined in windows of :data:`_WINDOW` trigram
positions (each window sees :data:`_REACH` words past its end, all that deciding a loop
start needs), where the trigrams are compared as exact word ids (pandas' hash table) with NumPy.
Most long turns hold no loop; :func:`_may_hold_loop` shows that for most of them from the
text's bytes, without a string per word, and only the others are searched word by word.
"""

from __future__ import annotations

import bisect
import re

_MIN_PHRASE = 3  # words in the shortest phrase counted as a loop
_MAX_PHRASE = 60  # words in the longest
_MIN_REPEATS = 3  # copies in a row that make a loop
_REACH = _MIN_REPEATS * _MAX_PHRASE  # words past a start that deciding it needs
_WINDOW = 1 << 16  # trigram start positions examined together
_CHUNK = 1 << 20  # characters split into words at a time
_FEW = 500  # words up to which a set of trigrams tells quicker than NumPy that no loop can start
_SPACE = re.compile(r"\s")
_TOKEN = re.compile(r"\S+")
_SCREEN_FROM = 1500  # characters from which the screen is quicker than the word-by-word search
# the characters outside ASCII that str.split() splits at; a text holding one is searched word by word
OTHER_SPACES = "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
               "\u2028\u2029\u202f\u205f\u3000"
_OTHER_SPACE = re.compile(f"[{OTHER_SPACES}]")
_ASCII_SPACE = bytes(byte in b"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f " for byte in range(256))  # 1 for a space
_MIX = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F)  # odd multipliers combining three words' fingerprints


def collapse_loops(text: str) -> tuple[str, int]:
    """Collapse phrases repeated three or more times in a row; return (text, loops collapsed).

    A loop is a run of 3-60 words followed directly by at least two more copies
    of itself (a trailing partial copy is dropped too). One copy is kept.
    """
    if _SCREEN_FROM < len(text) <= _CHUNK and not _may_hold_loop(text):
        return text, 0
    return _collapse_word_by_word(text)


def _collapse_word_by_word(text: str) -> tuple[str, int]:
    """:func:`collapse_loops` searching every text word by word."""
    words = _Words(text)
    regions = []  # (start, end of the copy kept, end) in words
    covered = lo = 0
    while True:
        hi = lo + _WINDOW
        available = words.upto(hi + _REACH)
        first = max(lo, words.base)  # words before it were passed by a loop running on
        for start, d in _loop_starts(words.slice(first, min(available, hi + _REACH)), first, hi):
            if start < covered:
                continue
            end = start + _MIN_REPEATS * d
            while True:
                word = words.get(end)
                if word is None or word != words.get(end - d):
                    break
                end += 1
                words.trim(end - d)
            regions.append((start, start + d, end))
            covered = end
        if available <= hi:
            break
        lo = hi
        words.trim(lo)
    if not regions:
        return text, 0
    pieces, cursor = [], 0
    for start, keep_end, end in regions:
        pieces.append(text[cursor:words.end_offset(keep_end - 1)])
        cursor = words.end_offset(end - 1)
    pieces.append(text[cursor:])
    return "".join(pieces), len(regions)


def _loop_starts(words: list, lo: int, hi: int) -> list:
    """Sorted ``(start, d)`` of the loops starting at word ``lo`` up to (not including) ``hi``.

    ``words`` are the words from ``lo`` on, with :data:`_REACH` words past ``hi`` when the
    text has them.
    """
    n = len(words)
    if n < _MIN_PHRASE * _MIN_REPEATS:
        return []
    if n <= _FEW and len(set(zip(words, words[1:], words[2:]))) > n - 2 - 2 * (_MIN_PHRASE - 1):
        return []  # a loop repeats at least 2 * (_MIN_PHRASE - 1) trigrams: three copies of three words
    import numpy as np  # loaded with the first text long enough to hold a loop
    import pandas as pd

    ids, distinct = pd.factorize(np.array(words, dtype=object))  # ids in order of first appearance
    ids = ids.astype(np.int64, copy=False)
    size = len(distinct)
    trigrams = (ids[:-2] * size + ids[1:-1]) * size + ids[2:]
    if size ** 3 * n < 2 ** 63:  # sort (trigram, position) pairs as one number: quicker than argsort
        keys = np.sort(trigrams * n + np.arange(n - 2))
        ranked, order = np.divmod(keys, n)
    else:
        order = np.argsort(trigrams, kind="stable")
        ranked = trigrams[order]
    same = ranked[1:] == ranked[:-1]  # each trigram's occurrences in text order, side by side
    gaps = np.diff(order)
    found = (same[:-1] & same[1:] & (gaps[:-1] == gaps[1:]) & (gaps[:-1] >= _MIN_PHRASE)
             & (gaps[:-1] <= _MAX_PHRASE))
    starts, periods = order[:-2][found], gaps[:-1][found]
    keep = (starts < hi - lo) & (starts + _MIN_REPEATS * periods <= n)
    starts, periods = starts[keep], periods[keep]
    out = []
    for d in np.unique(periods):
        d = int(d)
        mismatches = np.concatenate(([0], np.cumsum(ids[d:] != ids[:-d])))
        ours = starts[periods == d]
        repeated = ours[mismatches[ours + (_MIN_REPEATS - 1) * d] == mismatches[ours]]
        out += [(lo + int(s), d) for s in repeated]
    return sorted(out)


def _may_hold_loop(text: str) -> bool:
    """False when ``text`` holds no loop for certain; True when it may (the word search decides).

    Works on the UTF-8 bytes, with no string made per word. Each word gets a fingerprint (its
    length and first and last byte) and each word trigram a 32-bit key from its words'
    fingerprints, so equal trigrams have equal keys. A loop of period ``d`` starting at word
    ``p`` puts one key at ``p``, ``p + d`` and ``p + 2d``; so among the (key, position) pairs
    sorted, the pair two places after ``p``'s has the same key and a position at most ``2d``
    further on. Only such positions ``p`` are tried for the key recurring at ``p + g`` and
    ``p + 2g`` (``g`` a phrase length), and then for ``g`` fingerprints repeating in full.
    """
    if not text.isascii() and _OTHER_SPACE.search(text):
        return True
    import numpy as np

    data = b" " + text.encode("utf-8", "surrogatepass") + b" "
    spaces = np.frombuffer(data.translate(_ASCII_SPACE), np.int8)
    edges = np.flatnonzero(spaces[1:] != spaces[:-1]) + 1  # word starts and ends, alternating
    starts, ends = edges[0::2], edges[1::2]
    n = len(starts)
    if n < _MIN_PHRASE * _MIN_REPEATS:
        return False
    byte = np.frombuffer(data, np.uint8)
    prints = (((ends - starts) * 257 + byte[starts]) * 257 + byte[ends - 1]).astype(np.uint64)
    shift = np.uint64(32)
    keys = (prints[:-2] * np.uint64(_MIX[0]) + prints[1:-1] * np.uint64(_MIX[1]) + prints[2:]) >> shift
    pairs = np.sort((keys << shift) | np.arange(n - 2, dtype=np.uint64))
    near = np.flatnonzero(pairs[2:] - pairs[:-2] <= np.uint64(2 * _MAX_PHRASE))
    if len(near) > 4096:
        return True
    if not len(near):
        return False
    at = (pairs[near] & np.uint64(0xFFFFFFFF)).astype(np.int64)[:, None]
    gaps = np.arange(_MIN_PHRASE, _MAX_PHRASE + 1)
    inside = at + 2 * gaps < n - 2
    once, twice = np.where(inside, at + gaps, at), np.where(inside, at + 2 * gaps, at)
    rows, cols = np.nonzero(inside & (keys[once] == keys[at]) & (keys[twice] == keys[at]))
    if len(rows) > 64:
        return True
    for start, d in zip(at[rows, 0].tolist(), gaps[cols].tolist()):
        if start + _MIN_REPEATS * d <= n and np.array_equal(prints[start:start + 2 * d],
                                                           prints[start + d:start + 3 * d]):
            return True
    return False


class _Words:
    """The words of a text (``str.split``), split a chunk of characters at a time.

    Holds the words from the first one still needed (:meth:`trim`) to the last one read.
    """

    def __init__(self, text: str):
        self.text = text
        self.read_to = 0  # characters split so far
        self.words: list = []
        self.base = 0  # index of self.words[0] in the whole text
        self.chunks: list = []  # (index of the chunk's first word, first character, end character)
        self.spans: tuple = (None, [])  # (chunk, word end offsets) of the chunk last asked about

    def upto(self, count: int) -> int:
        """Read words until ``count`` are known or the text ends; the number known."""
        while self.base + len(self.words) < count and self.read_to < len(self.text):
            start, end = self.read_to, self.read_to + _CHUNK
            if end >= len(self.text):
                end = len(self.text)
            else:
                space = _SPACE.search(self.text, end)  # cut between words
                end = space.start() if space else len(self.text)
            self.chunks.append((self.base + len(self.words), start, end))
            self.words += self.text[start:end].split()
            self.read_to = end
        return self.base + len(self.words)

    def slice(self, start: int, stop: int) -> list:
        return self.words[start - self.base:stop - self.base]

    def get(self, index: int):
        """Word ``index`` of the text, None past the last."""
        if index >= self.upto(index + 1):
            return None
        return self.words[index - self.base]

    def trim(self, first: int) -> None:
        """Forget the words before ``first`` (in steps, so trimming stays linear)."""
        if first - self.base >= _WINDOW:
            del self.words[:first - self.base]
            self.base = first

    def end_offset(self, index: int) -> int:
        """Character offset just past word ``index``."""
        chunk = bisect.bisect_right(self.chunks, (index, len(self.text) + 1)) - 1
        if self.spans[0] != chunk:
            _, start, end = self.chunks[chunk]
            self.spans = (chunk, [m.end() for m in _TOKEN.finditer(self.text, start, end)])
        return self.spans[1][index - self.chunks[chunk][0]]

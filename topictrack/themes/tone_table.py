"""A theme's ``[tone]`` table, compiled: the words that say which way the theme itself moves."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ThemeTone:
    """A theme's ``[tone]`` table: words that say which way the theme itself moves.

    A sentence's general tone may be about something else ("revenue fell 5% on the seasonal
    decline, partly offset by growth in data center"); these words tell whether the part
    about the theme is good or bad news for the company: a shortage of chips it buys, a price
    rise on memory it buys or a seasonal decline is unfavourable; a price rise on what it sells
    or supply that improved is favourable. ``default`` is the tone of a sentence that carries
    the theme with no toned word at all.
    """

    favourable: tuple[str, ...] = ()
    unfavourable: tuple[str, ...] = ()
    default: float = 0.0
    terms: re.Pattern | None = field(default=None, repr=False, compare=False)  # the plain terms
    regex: object = field(default=None, repr=False, compare=False)  # the regular expressions, if any
    starts: tuple[str, ...] = field(default=(), repr=False, compare=False)  # what a term's text begins with

    def direction(self, sentence: str) -> float | None:
        """``(favourable - unfavourable) / (favourable + unfavourable)`` over the entries found
        in ``sentence`` (terms: leftmost, longest, without overlaps; regular expressions
        likewise among themselves), or None when none is found."""
        good = bad = 0
        lower = sentence.lower()
        terms = self.terms if any(start in lower for start in self.starts) else None  # most sentences: none
        for rx, text in ((terms, lower), (self.regex, sentence)):
            if rx is None:
                continue
            for match in rx.finditer(text):
                if match.lastgroup[0] == "f":
                    good += 1
                else:
                    bad += 1
        return (good - bad) / (good + bad) if good + bad else None

"""Keep a lexicon's regular expressions from stalling scoring.

Python's regular expressions backtrack: ``(a+)+$`` on thirty ``a`` and one ``b`` tries about a
billion ways before it fails, and a lexicon pattern runs on every sentence of every call. Two
guards:

- At load, :func:`problem` refuses the shapes that blow up in practice: a repeated group whose
  body can itself repeat (``(a+)+``, ``(\\w*\\s?)*``), a repeated choice whose branches can begin
  with the same character (``(a|ab)*``) and a repeated group that can match nothing
  (``(a?){25}``), each repeated more than ten times. The lexicon is refused with a reason. This
  is a screen, not a proof: overlapping character classes (``(\\w|a)+$``), choices the parser
  factors (``(a|aa)+$``) or a repeat bounded at ten or fewer still pass.
- At run time, the patterns of a user's lexicon run as a :class:`BudgetedPattern`: on the
  third-party ``regex`` engine (which needs no exponential time for many of these shapes) with
  a time budget per search (:data:`TIME_BUDGET` seconds plus :data:`TIME_PER_CHAR` per
  character searched). A pattern that runs over it is found among the theme's patterns, left
  out for the rest of the run (the others keep matching) and reported in one line naming the
  file, its line and the pattern: logged as a warning (once per process), or, inside
  :func:`quiet`, only kept in :attr:`BudgetedPattern.left_out` for the caller to report. The
  shipped lexicons keep the standard ``re`` engine, which is faster on their patterns.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import re
import threading
from dataclasses import dataclass

try:  # Python 3.11+
    from re import _constants as _c
    from re import _parser as _parse
except ImportError:  # Python 3.10
    import sre_constants as _c
    import sre_parse as _parse

_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT}
_OUTER_LIMIT = 10  # a repeat bounded at this many times or fewer is not a blow-up in practice


def _children(op, av):
    """Sub-patterns of one parsed node."""
    if op in _REPEATS or op == getattr(_c, "POSSESSIVE_REPEAT", None):
        return [av[2]]
    if op == _c.SUBPATTERN:
        return [av[-1]]
    if op == _c.BRANCH:
        return list(av[1])
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        return [av[1]]
    if op == getattr(_c, "ATOMIC_GROUP", None):
        return [av]
    if op == _c.GROUPREF_EXISTS:
        return [x for x in av[1:] if x is not None]
    return []


def _repeats_inside(pattern) -> bool:
    for op, av in pattern:
        if op in _REPEATS and av[1] > 1:
            return True
        if any(_repeats_inside(child) for child in _children(op, av)):
            return True
    return False


def _first_literal(pattern):
    """The literal a sub-pattern must start with, or None when it is not a fixed character."""
    for op, av in pattern:
        if op == _c.LITERAL:
            return av
        if op == _c.SUBPATTERN:
            return _first_literal(av[-1])
        return None
    return None


def _overlapping_branch(pattern) -> bool:
    for op, av in pattern:
        if op == _c.BRANCH:
            firsts = [_first_literal(alt) for alt in av[1]]
            known = [f for f in firsts if f is not None]
            empty = sum(1 for alt in av[1] if not len(alt))  # (a|a) is parsed as a(?:|)
            if len(known) != len(set(known)) or empty > 1:
                return True
        elif op == _c.SUBPATTERN and _overlapping_branch(av[-1]):
            return True
    return False


def _matches_nothing(pattern) -> bool:
    try:
        return pattern.getwidth()[0] == 0
    except (AttributeError, TypeError):
        return False


def problem(source: str, flags: int = 0) -> str | None:
    """Why ``source`` can take exponential time, or None when it cannot (in the shapes above)."""
    try:
        parsed = _parse.parse(source, flags)
    except Exception:  # invalid patterns are reported by re.compile itself
        return None
    stack = [list(parsed)]
    while stack:
        for op, av in stack.pop():
            if op in _REPEATS and (av[1] == _c.MAXREPEAT or av[1] > _OUTER_LIMIT):
                body = av[2]
                if _repeats_inside(body):
                    return ("a repeated group repeats inside (like (a+)+), which can take "
                            "exponential time; drop the inner or the outer repeat")
                if _overlapping_branch(body):
                    return ("a repeated choice has branches starting with the same character "
                            "(like (a|ab)*), which can take exponential time; merge them")
                if _matches_nothing(body):
                    return ("a repeated group can match nothing (like (a?){20}), which can take "
                            "exponential time; make it match at least one character")
            stack.extend(list(child) for child in _children(op, av))
    return None


# ---- run time: a time budget per search

logger = logging.getLogger(__name__)

#: Seconds a user's pattern may spend on one search, plus :data:`TIME_PER_CHAR` per character
#: searched (a sane pattern takes microseconds on a sentence and about a millisecond per 100 kB).
TIME_BUDGET = 0.25
TIME_PER_CHAR = 1e-6

_logged: set[str] = set()  # lines said in this process
_local = threading.local()  # .quiet: parts left out are not logged (the caller reports them)


@dataclass(frozen=True)
class Part:
    """One alternative of a :class:`BudgetedPattern`: ``source`` (regex), ``entry`` (the entry as
    written in the lexicon, or None for text made from plain terms), ``key`` and ``where``
    (``"file:line"``) to report it by."""

    source: str
    entry: str | None = None
    key: str = "patterns"
    where: str = ""


def _report(message: str) -> None:
    if not getattr(_local, "quiet", False) and message not in _logged:
        _logged.add(message)
        logger.warning(message)


@contextlib.contextmanager
def quiet():
    """Within this block (in this thread), a pattern left out for its time is not logged: the
    caller reports :func:`left_out` itself (the scoring pipeline does, once per run)."""
    before = getattr(_local, "quiet", False)
    _local.quiet = True
    try:
        yield
    finally:
        _local.quiet = before


def left_out(patterns) -> tuple[str, ...]:
    """The lines of every part of ``patterns`` (compiled patterns of any kind) left out for its time."""
    return tuple(line for p in patterns if isinstance(p, BudgetedPattern) for line in p.left_out)


def _engine():
    """The third-party ``regex`` module, imported when a user's pattern first needs it (the
    shipped lexicons never do, so a first ``tag()`` does not pay for it)."""
    return importlib.import_module("regex")


class BudgetedPattern:
    """Alternatives (:class:`Part`) searched as one regular expression with a time budget.

    Has the part of :class:`re.Pattern` that matching uses: ``pattern``, :meth:`search`,
    :meth:`finditer` and :meth:`sub`. A search that runs over its budget finds the parts that run
    over it alone on the same text, leaves them out (for the life of this object: the rest of
    the run) with one line each, kept in :attr:`left_out`, and searches again without them.
    """

    def __init__(self, parts, *, ignore_case: bool = False):
        self._parts = tuple(parts)
        _regex = _engine()
        self._flags = _regex.V0 | (_regex.IGNORECASE if ignore_case else 0)
        self.left_out: tuple[str, ...] = ()
        self._lock = threading.Lock()
        self._compile()

    def __getstate__(self):
        return {"parts": self._parts, "flags": self._flags, "left_out": self.left_out}

    def __setstate__(self, state):
        self._parts, self._flags, self.left_out = state["parts"], state["flags"], state["left_out"]
        self._lock = threading.Lock()
        self._compile()

    def __repr__(self) -> str:
        return f"BudgetedPattern({self.pattern!r})"

    def _compile(self) -> None:
        self.pattern = "|".join(f"(?:{part.source})" for part in self._parts)
        self._rx = _engine().compile(self.pattern, self._flags) if self._parts else None

    @staticmethod
    def budget(text: str) -> float:
        """Seconds one search of ``text`` may take."""
        return TIME_BUDGET + TIME_PER_CHAR * len(text)

    def _run(self, op, text: str, nothing):
        while True:
            rx = self._rx
            if rx is None:
                return nothing
            try:
                return op(rx, text, self.budget(text))
            except TimeoutError:
                self._leave_out_slow_parts(rx, text)

    def _leave_out_slow_parts(self, tried, text: str) -> None:
        with self._lock:
            if self._rx is not tried:  # another thread has done it
                return
            budget = self.budget(text)
            slow = []
            for part in self._parts:
                if part.entry is None:  # made from plain terms: no backtracking to speak of
                    continue
                try:
                    for _ in _engine().compile(part.source, self._flags).finditer(text, timeout=budget):
                        pass
                except TimeoutError:
                    slow.append(part)
            if not slow:  # slow only together
                slow = [part for part in self._parts if part.entry is not None] or list(self._parts)
            lines = []
            for part in slow:
                entry = f" entry {part.entry!r}" if part.entry is not None else ""
                lines.append(f"{part.where}: {part.key}{entry} ran over its time budget on one text and "
                             "is left out for the rest of the run: the regular expression backtracks "
                             "catastrophically there; rewrite it so no text can be matched in many ways")
            self._parts = tuple(part for part in self._parts if part not in slow)
            self.left_out += tuple(lines)
            self._compile()
        for line in lines:
            _report(line)

    def search(self, text: str):
        """The first match in ``text``, or None (also once every part is left out)."""
        return self._run(lambda rx, t, budget: rx.search(t, timeout=budget), text, None)

    def finditer(self, text: str):
        """The matches in ``text``, found before this returns."""
        return iter(self._run(lambda rx, t, budget: list(rx.finditer(t, timeout=budget)), text, []))

    def sub(self, repl, text: str) -> str:
        """``text`` with every match replaced by ``repl`` (a string or a function of the match)."""
        return self._run(lambda rx, t, budget: rx.sub(repl, t, timeout=budget), text, text)


class LazyPattern:
    """A case-insensitive regular expression compiled on its first search: a lexicon's plain
    terms each have one, and only explanations and a few look-ups ever search them."""

    __slots__ = ("pattern", "_rx")

    def __init__(self, pattern: str):
        self.pattern, self._rx = pattern, None

    def search(self, text: str):
        if self._rx is None:
            self._rx = re.compile(self.pattern, re.IGNORECASE)
        return self._rx.search(text)

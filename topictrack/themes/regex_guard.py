"""Refuse lexicon regular expressions that can take exponential time.

Python's regular expressions backtrack: ``(a+)+$`` on thirty ``a`` and one ``b`` tries about a
billion ways before it fails, and a lexicon pattern runs on every sentence of every call. The
shapes that blow up are a repeated group whose body can itself repeat (``(a+)+``, ``(\\w*\\s?)*``),
a repeated choice whose branches can begin with the same character (``(a|ab)*``) and a repeated
group that can match nothing (``(a?){25}``), each repeated more than ten times. They are
found in the parsed pattern before it is used, and the lexicon is refused with a reason. This is
a screen for the shapes that occur in practice, not a proof: overlapping character classes
(``(\\w|a)+$``) or a repeat bounded at ten or fewer (``(.*a){8}``, polynomial of degree 8) still
pass.
"""

from __future__ import annotations

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

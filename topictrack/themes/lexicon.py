"""Theme lexicons: one TOML file per theme, loaded, validated and compiled to regexes.

A lexicon file looks like this (every key but ``description`` and one of ``terms`` /
``patterns`` / ``pairs`` is optional)::

    name = "chip_supply"                 # defaults to the file name without ".toml"
    description = "Supply of AI chips and export restrictions."
    terms = ["export control*", "chip ban", "GPU supply"]
    patterns = ['\\bH(?:20|800)\\b']      # Python regular expressions
    exclude = ["chip in", "chipped in"]  # text that looks like the theme but is not
    examples = ["Export restrictions limited our access to high-end GPUs."]

    [[pairs]]                            # both sides must occur in the same sentence
    terms = ["chip*", "GPU*"]
    with = ["shortage", "restrict*"]

    [[context]]                          # an ambiguous term, and words that make it plain
    terms = ["supply chain*"]            # when one of them is in the sentence or within
    near = ["chip*", "GPU*", "memory"]   # CONTEXT_WINDOW sentences of it (same turn)

    [tone]                               # which way the theme itself moves, for the company
    favourable = ["supply improv*"]      # terms or patterns, like ``patterns``
    unfavourable = ["shortage*", "export control*"]
    default = 0.0                        # tone of a plain mention (no toned word, no question)

Matching is case-insensitive and on whole words. In ``terms`` (and both sides of a
pair) a space matches any run of spaces or hyphens, ``*`` at the end of a word
matches any word ending ("restrict*" covers "restricted", "restrictions") and an
apostrophe matches both ``'`` and ``’``. ``patterns`` and ``exclude`` entries that
contain regex syntax (``\\``, ``(``, ``[``, ``?``, ``|``, ``+``, ``{``) are taken as
regular expressions, otherwise as terms. Text matched by an ``exclude`` entry is
blanked before the theme's terms are looked for, so "share price" never counts as
pricing.

A folder of lexicons holds ``*.toml`` theme files. A file named ``_settings.toml``
is not a theme; it may hold ``replace_defaults = true`` to use the folder's themes
instead of the shipped ones (by default a folder adds to them, and a theme with the
same name as a shipped one replaces that one).
"""

from __future__ import annotations

import functools
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

try:  # the regex parser, to find the words a pattern starts with
    from re import _constants as _c, _parser
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c
    import sre_parse as _parser

from topictrack.themes import regex_guard
from topictrack.themes.tone_table import ThemeTone
from topictrack.errors import LexiconError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SETTINGS_FILE = "_settings.toml"

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_KEYS = {"name", "description", "terms", "patterns", "exclude", "examples", "pairs", "context", "tone"}
_TONE_KEYS = {"favourable", "unfavourable", "default"}
_PAIR_KEYS = {"terms", "with"}
_CONTEXT_KEYS = {"terms", "near"}
CONTEXT_WINDOW = 1  # sentences on each side (same turn) in which a [[context]] table's ``near`` words count
_REGEX_SYNTAX = re.compile(r"[\\()\[\]?|+{}^$]")
_TOML_WHERE = re.compile(r"\(at line (\d+), column \d+\)")
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Lexicon:
    """One theme's lexicon, as read from its file.

    ``pairs`` holds ``(terms, with)`` tuples: a sentence matches a pair when it
    contains one entry of each side. ``context`` holds ``(terms, near)`` tuples: a
    sentence holding one of ``terms`` matches when one of ``near`` is in it or in the
    ``CONTEXT_WINDOW`` sentences on either side of it (same turn). ``tone`` is the
    ``[tone]`` table (:class:`ThemeTone`; empty when the file has none).
    """

    name: str
    description: str
    terms: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    pairs: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()
    context: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()
    tone: ThemeTone = ThemeTone()
    path: str | None = None
    regexes: "CompiledLexicon" = field(default=None, repr=False, compare=False)

    @functools.cached_property
    def budgeted(self) -> tuple:
        """The regular expressions searched with a time budget (:mod:`.regex_guard`); the tone
        table's plain terms need none."""
        rx = self.regexes
        found = [rx.patterns, rx.free_patterns, rx.exclude, *(r for _, r in rx.entries), self.tone.regex]
        return tuple(p for p in found if isinstance(p, regex_guard.BudgetedPattern))

    @property
    def n_entries(self) -> int:
        """Number of terms, patterns, pairs and context tables."""
        return len(self.terms) + len(self.patterns) + len(self.pairs) + len(self.context)

    def ambiguous_lexicon(self) -> "Lexicon | None":
        """The terms this lexicon counts only with company (the ``terms`` side of each
        ``[[pairs]]`` table and the ``terms`` of each ``[[context]]`` table) as one plain
        lexicon with this theme's exclusions; None when there are none. A sentence holding one
        is ambiguous for the theme: its neighbours may decide it."""
        terms = [t for left, _ in self.pairs for t in left] + [t for terms, _ in self.context for t in terms]
        return _plain_lexicon(f"{self.name}_ambiguous", terms, self.exclude, self.path) if terms else None

    def context_lexicons(self) -> list[tuple["Lexicon", "Lexicon"]]:
        """Each ``[[context]]`` table as two plain lexicons: its ambiguous terms (with this
        theme's exclusions) and its ``near`` words."""
        out = []
        for i, (terms, near) in enumerate(self.context):
            ambiguous = _plain_lexicon(f"{self.name}_context{i}", terms, self.exclude, self.path)
            out.append((ambiguous, _plain_lexicon(f"{self.name}_near{i}", near, (), self.path)))
        return out


@dataclass(frozen=True)
class CompiledLexicon:
    """Regexes of one lexicon.

    ``terms`` (lower-case terms, matched on lower-cased text), ``patterns`` (regular
    expressions, case-insensitive, that start with a known word at a word boundary),
    ``free_patterns`` (the other regular expressions), ``exclude``, ``pairs`` (each side like
    ``terms``), ``entries`` (each entry as written with its own regex, for explanations) and
    ``slots``: the lexicon as word sequences, which the batch matcher uses. The regular
    expressions of a user's lexicon (``patterns``, ``free_patterns``, ``exclude`` with a regular
    expression in it, their ``entries``) are :class:`~.regex_guard.BudgetedPattern` objects.
    """

    terms: re.Pattern | None
    patterns: re.Pattern | None
    free_patterns: re.Pattern | None
    exclude: re.Pattern | None
    pairs: tuple[tuple[re.Pattern, re.Pattern], ...]
    entries: tuple[tuple[str, re.Pattern], ...]
    slots: "Slots" = None


def term_body(term: str) -> str:
    """Regex source for a term's words (see :func:`term_regex`), without the boundaries around them."""
    words = re.split(r"[\s\-]+", term.strip().lower())
    parts = []
    for word in words:
        star = word.endswith("*")
        piece = re.sub("['’]", "['’]", re.escape(word.rstrip("*")))
        parts.append(piece + (r"\w*" if star else ""))
    return r"[\s\-]+".join(parts)


def term_regex(term: str) -> str:
    """Regex source for a lexicon term: whole words, flexible spaces/hyphens, ``*`` suffix."""
    return r"(?<![\w])" + term_body(term) + r"(?![\w])"


def _fast_alternation(terms) -> re.Pattern | None:
    """One regex for many terms, to run on lower-cased text."""
    if not terms:
        return None
    bodies = sorted({term_body(t) for t in terms}, key=lambda b: (-len(b), b))
    return re.compile(r"\b(?:" + "|".join(bodies) + r")(?!\w)")


def _prefixes(items) -> list[str] | None:
    """Literal texts one of which a parsed regex must start with, or None if unknown."""
    if not items:
        return None
    op, av = items[0]
    if op is _c.LITERAL:
        text = ""
        for position, (op2, av2) in enumerate(items):
            if op2 is not _c.LITERAL:
                rest = _prefixes(items[position:]) if op2 in (_c.SUBPATTERN, _c.BRANCH) else None
                return [text + r for r in rest] if rest else [text]
            if not chr(av2).isalnum():
                break
            text += chr(av2).lower()
        return [text] if text else None
    if op is _c.IN:
        chars = [chr(a).lower() for o, a in av if o is _c.LITERAL]
        if len(chars) != len(av) or not all(c.isalnum() for c in chars):
            return None
        return chars
    if op is _c.SUBPATTERN:
        return _prefixes(list(av[-1]))
    if op is _c.BRANCH:
        found = [_prefixes(list(branch)) for branch in av[1]]
        return None if any(f is None for f in found) else [s for f in found for s in f]
    return None


def _leading_literals(source: str) -> list[str] | None:
    """Word beginnings a regex's matches must start with, when it begins at a word boundary.

    ``\\b(?:chips?|GPUs?)...`` -> ``["chip", "gpu"]``; None when this cannot be told.
    """
    try:
        items = list(_parser.parse(source, re.IGNORECASE))
    except Exception:  # noqa: BLE001 - any parse trouble means "run it everywhere"
        return None
    bounded = False
    while items:
        op, av = items[0]
        if op is _c.AT and av is _c.AT_BOUNDARY:
            bounded = True
        elif op is _c.ASSERT_NOT and av[0] == -1:
            bounded = True
        else:
            break
        items = items[1:]
    return _prefixes(items) if bounded else None


Slot = tuple[str, bool]  # (word, is_prefix)


def term_slots(term: str) -> tuple[Slot, ...]:
    """A term as the words it needs in a row: ``"export control*"`` -> ``(("export", False), ("control", True))``."""
    out = []
    for raw in re.split(r"[\s\-]+", term.strip().lower()):
        tokens = _WORD.findall(raw.rstrip("*"))
        out += [(tok, raw.endswith("*") and i == len(tokens) - 1) for i, tok in enumerate(tokens)]
    return tuple(out)


@dataclass(frozen=True)
class Slots:
    """A lexicon as word sequences, for matching on words instead of characters.

    ``entries``: ``(kind, slots)`` with kind ``"term"``, ``"exclude"``, ``("left", i)`` or
    ``("right", i)`` for pair ``i``, and ``"pattern"`` (a pattern's leading word, a prefix
    whose sentences get the theme's ``patterns`` regex); ``regex_exclude``: whether some
    exclusion is a regular expression (then matched sentences are checked with regexes).
    """

    entries: tuple[tuple[object, tuple[Slot, ...]], ...]
    regex_exclude: bool


def entry_regex(entry: str) -> str:
    """Regex source for a ``patterns``/``exclude`` entry: regex if it looks like one, else a term."""
    return entry if _REGEX_SYNTAX.search(entry) else term_regex(entry)


def _line_of(text: str, needle: str) -> int | None:
    """1-based number of the first line of ``text`` containing ``needle``."""
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    return None


def _key_line(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^\s*(?:{re.escape(key)}\s*=|\[\[?\s*{re.escape(key)}\s*\]\]?)")
    for number, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return number
    return None


def _string_list(value, key: str, path, text: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LexiconError(path, f"'{key}' must be a list of strings", _key_line(text, key))
    empty = [v for v in value if not v.strip()]
    if empty:
        raise LexiconError(path, f"'{key}' holds an empty string", _key_line(text, key))
    return tuple(value)


def _entry_line(entry: str, key: str, text: str) -> int | None:
    return _line_of(text, entry[: max(1, min(len(entry), 12))]) or _key_line(text, key)


def _compile(entry: str, source: str, key: str, path, text: str, budgeted: bool = False):
    """``source`` compiled (case-insensitive), or :class:`LexiconError` naming ``entry``. A
    regular expression ``budgeted`` comes back as a :class:`regex_guard.BudgetedPattern`."""
    try:
        compiled = re.compile(source, re.IGNORECASE)
    except re.error as exc:
        raise LexiconError(
            path, f"{key} entry {entry!r} is not a valid regular expression: {exc}", _entry_line(entry, key, text)
        ) from None
    # a plain term's regex is built here from escaped words: only a user's own regex can be slow
    slow = regex_guard.problem(source, re.IGNORECASE) if _REGEX_SYNTAX.search(entry) else None
    if slow:
        raise LexiconError(path, f"{key} entry {entry!r}: {slow}", _entry_line(entry, key, text))
    if not budgeted or not _REGEX_SYNTAX.search(entry):  # terms become regexes of our own making
        return compiled
    return regex_guard.BudgetedPattern([_part(entry, source, key, path, text)], ignore_case=True)


def _part(entry: str, source: str, key: str, path, text: str) -> regex_guard.Part:
    line = _entry_line(entry, key, text)
    return regex_guard.Part(source, entry, key, f"{path}:{line}" if line is not None else str(path))


def _alternation(sources: list[str], parts=None):
    """One case-insensitive regex for ``sources``; budgeted when ``parts`` (their
    :class:`regex_guard.Part`, for a user's lexicon) are given."""
    if not sources:
        return None
    if parts is not None:
        return regex_guard.BudgetedPattern(parts, ignore_case=True)
    return re.compile("|".join(f"(?:{s})" for s in sources), re.IGNORECASE)


def _plain_lexicon(name: str, terms, exclude, path) -> Lexicon:
    """A lexicon of plain terms (and exclusions), built without a file."""
    def toml_list(items):
        return "[" + ", ".join(json.dumps(x) for x in items) + "]"

    text = f'name = "{name}"\ndescription = "-"\nterms = {toml_list(terms)}\nexclude = {toml_list(exclude)}\n'
    return parse_lexicon(text, path or "<string>")


def _tables(data: dict, key: str, keys: set[str], path, text: str) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """The ``[[pairs]]`` or ``[[context]]`` tables of a lexicon file, validated."""
    raw = data.get(key, [])
    if not isinstance(raw, list) or not all(isinstance(p, dict) for p in raw):
        raise LexiconError(path, f"'{key}' must be tables written [[{key}]]", _key_line(text, key))
    first, second = sorted(keys - {"terms"})[0], "terms"
    noun = "a pair" if key == "pairs" else "a context table"
    out = []
    for table in raw:
        extra = sorted(set(table) - keys)
        if extra:
            raise LexiconError(
                path,
                f"[[{key}]] table has unknown key '{extra[0]}'; {noun} holds only 'terms' and '{first}' "
                f"(keys written below a [[{key}]] header belong to it: put other keys above the first one)",
                _key_line(text, extra[0]),
            )
        missing = sorted(keys - set(table))
        if missing:
            raise LexiconError(
                path, f"[[{key}]] table lacks '{missing[0]}'; {noun} needs both 'terms' and '{first}'",
                _key_line(text, key),
            )
        out.append((_string_list(table[second], "terms", path, text), _string_list(table[first], first, path, text)))
    return out


def _tone_table(data: dict, path, text: str, budgeted: bool) -> ThemeTone:
    """The ``[tone]`` table of a lexicon file, validated and compiled (with a time budget,
    :mod:`.regex_guard`, when ``budgeted`` and an entry is a regular expression)."""
    raw = data.get("tone", {})
    if not isinstance(raw, dict):
        raise LexiconError(path, "'tone' must be a table written [tone]", _key_line(text, "tone"))
    extra = sorted(set(raw) - _TONE_KEYS)
    if extra:
        raise LexiconError(path, f"[tone] has unknown key '{extra[0]}'; valid keys are "
                           f"{', '.join(sorted(_TONE_KEYS))}", _key_line(text, extra[0]))
    default = raw.get("default", 0.0)
    if isinstance(default, bool) or not isinstance(default, (int, float)) or not -1.0 <= default <= 1.0:
        raise LexiconError(path, f"[tone] default {default!r} is invalid; expected a number from -1 to 1",
                           _key_line(text, "default"))
    sides = {key: _string_list(raw.get(key, []), key, path, text) for key in ("favourable", "unfavourable")}
    words, regexes = [], []  # (regex source, side, entry, key): plain terms, regular expressions
    for key in ("favourable", "unfavourable"):
        for entry in sides[key]:
            if _REGEX_SYNTAX.search(entry):  # a plain term is escaped: nothing to check
                _compile(entry, entry, key, path, text)
                regexes.append((entry, f"{key[0]}{len(regexes)}", entry, key))
            else:
                words.append((term_body(entry), f"{key[0]}{len(words)}", entry, key))
    terms = None
    if words:  # one alternation, longest first, on lower-cased text: the fast path of every table
        words.sort(key=lambda w: (-len(w[0]), w[0]))
        firsts = {entry.strip().lower()[:1] for _, _, entry, _ in words}
        # every term starts with one of these letters: a look-ahead on them rejects most word
        # starts before the alternation is tried
        ahead = f"(?=[{''.join(re.escape(c) for c in sorted(firsts))}])" if all(c.isalnum() for c in firsts) else ""
        terms = re.compile(r"\b" + ahead + "(?:" + "|".join(f"(?P<{name}>{body})" for body, name, _, _ in words)
                           + r")(?!\w)")
    regex = None
    if regexes and budgeted:
        regex = regex_guard.BudgetedPattern(
            [_part(entry, f"(?P<{name}>{source})", key, path, text) for source, name, entry, key in regexes],
            ignore_case=True)
    elif regexes:
        regex = re.compile("|".join(f"(?P<{name}>{source})" for source, name, _, _ in regexes), re.IGNORECASE)
    starts = {re.split(r"[^\w]", entry.strip().lower(), maxsplit=1)[0] for _, _, entry, _ in words}
    return ThemeTone(
        favourable=sides["favourable"], unfavourable=sides["unfavourable"], default=float(default),
        terms=terms, regex=regex, starts=tuple(sorted(s for s in starts if s)),
    )


def parse_lexicon(text: str, path="<string>", *, shipped: bool = False) -> Lexicon:
    """Parse and validate the TOML text of one lexicon file; raise :class:`LexiconError`.

    The regular expressions of a lexicon that is not ``shipped`` with topictrack run with a time
    budget (:mod:`.regex_guard`)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = _TOML_WHERE.search(message)
        problem = _TOML_WHERE.sub("", message).strip()
        raise LexiconError(
            path, f"invalid TOML: {problem}", int(where.group(1)) if where else None
        ) from None

    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise LexiconError(
            path,
            f"unknown key '{unknown[0]}'; valid keys are {', '.join(sorted(_KEYS))}",
            _key_line(text, unknown[0]),
        )
    name = data.get("name", Path(str(path)).stem)
    if not isinstance(name, str) or not _NAME.match(name):
        raise LexiconError(
            path,
            f"theme name {name!r} is invalid; expected lower-case letters, digits and '_', "
            "starting with a letter",
            _key_line(text, "name"),
        )
    description = data.get("description")
    if not isinstance(description, str) or not description.strip():
        raise LexiconError(
            path, "'description' is missing; give a one-line description of the theme",
            _key_line(text, "description"),
        )
    lists = {
        key: _string_list(data.get(key, []), key, path, text)
        for key in ("terms", "patterns", "exclude", "examples")
    }
    pairs = _tables(data, "pairs", _PAIR_KEYS, path, text)
    context = _tables(data, "context", _CONTEXT_KEYS, path, text)
    for terms, near in context:
        for entry in (*terms, *near):
            if _REGEX_SYNTAX.search(entry):
                raise LexiconError(path, f"[[context]] entry {entry!r} must be a plain term, not a regular expression",
                                   _line_of(text, entry) or _key_line(text, "context"))
    if not (lists["terms"] or lists["patterns"] or pairs or context):
        raise LexiconError(path, "the lexicon has no 'terms', 'patterns' or [[pairs]]; give at least one")

    entries = [(t, regex_guard.LazyPattern(term_regex(t))) for t in lists["terms"]]  # compiled when explained
    entries += [(p, _compile(p, entry_regex(p), "patterns", path, text, not shipped)) for p in lists["patterns"]]
    for e in lists["exclude"]:
        _compile(e, entry_regex(e), "exclude", path, text)
    plain = list(lists["terms"]) + [p for p in lists["patterns"] if not _REGEX_SYNTAX.search(p)]
    regexes = [p for p in lists["patterns"] if _REGEX_SYNTAX.search(p)]
    anchored, free = [], []
    for pattern in regexes:
        (free if _leading_literals(pattern) is None else anchored).append(pattern)
    plain_excludes = [e for e in lists["exclude"] if not _REGEX_SYNTAX.search(e)]
    regex_excludes = [e for e in lists["exclude"] if _REGEX_SYNTAX.search(e)]
    exclude_sources = [f"(?i:{e})" for e in regex_excludes]
    if plain_excludes:
        exclude_sources.append(_fast_alternation(plain_excludes).pattern)
    exclude = re.compile("|".join(exclude_sources)) if exclude_sources else None
    budgeted = not shipped and bool(regexes or regex_excludes)

    def parts(key, entries):
        return [_part(e, e, key, path, text) for e in entries] if budgeted else None

    if budgeted and regex_excludes:
        made = [regex_guard.Part(exclude_sources[-1])] if plain_excludes else []
        exclude = regex_guard.BudgetedPattern(
            [_part(e, f"(?i:{e})", "exclude", path, text) for e in regex_excludes] + made)
    slot_entries = [("term", term_slots(x)) for x in plain]
    slot_entries += [("exclude", term_slots(x)) for x in plain_excludes]
    for i, (left, right) in enumerate(pairs):
        slot_entries += [(("left", i), term_slots(x)) for x in left]
        slot_entries += [(("right", i), term_slots(x)) for x in right]
    pattern_starts = sorted({s for p in anchored for s in _leading_literals(p)})
    slot_entries += [("pattern", ((s, True),)) for s in pattern_starts]
    compiled = CompiledLexicon(
        slots=Slots(tuple((k, s) for k, s in slot_entries if s), bool(regex_excludes)),
        terms=_fast_alternation(plain),
        patterns=_alternation(anchored, parts("patterns", anchored)),
        free_patterns=_alternation(free, parts("patterns", free)),
        exclude=exclude,
        pairs=tuple((_fast_alternation(left), _fast_alternation(right)) for left, right in pairs),
        entries=tuple(entries),
    )
    return Lexicon(
        name=name,
        description=" ".join(description.split()),
        pairs=tuple(pairs),
        context=tuple(context),
        tone=_tone_table(data, path, text, not shipped),
        path=str(path),
        regexes=compiled,
        **lists,
    )


def left_out(lexicons) -> tuple[str, ...]:
    """One line for each regular expression of ``lexicons`` left out for running over its time
    budget (:mod:`.regex_guard`), naming file, line and pattern."""
    return tuple(dict.fromkeys(line for lexicon in lexicons for line in regex_guard.left_out(lexicon.budgeted)))


def load_lexicon(path, *, shipped: bool = False) -> Lexicon:
    """Read one lexicon file; raise :class:`LexiconError` naming file, line and problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LexiconError(path, f"cannot read the file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LexiconError(path, "the file is not UTF-8 text", line) from None
    return parse_lexicon(text, path, shipped=shipped)


def _folder_settings(folder: Path) -> dict:
    settings = folder / SETTINGS_FILE
    if not settings.is_file():
        return {}
    text = settings.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = _TOML_WHERE.search(str(exc))
        raise LexiconError(
            settings, f"invalid TOML: {_TOML_WHERE.sub('', str(exc)).strip()}",
            int(where.group(1)) if where else None,
        ) from None
    unknown = sorted(set(data) - {"replace_defaults"})
    if unknown or not isinstance(data.get("replace_defaults", False), bool):
        raise LexiconError(
            settings, "the only setting is 'replace_defaults = true|false'",
            _key_line(text, unknown[0] if unknown else "replace_defaults"),
        )
    return data


def load_folder(folder, *, shipped: bool = False) -> tuple[list[Lexicon], bool]:
    """Lexicons of a folder (or one ``.toml`` file), sorted by name, and whether they replace the
    defaults. ``shipped``: the folder is topictrack's own (its patterns run without a time budget)."""
    folder = Path(folder)
    if folder.is_file():
        return [load_lexicon(folder, shipped=shipped)], False
    if not folder.is_dir():
        raise LexiconError(folder, "no such lexicon folder or file")
    files = sorted(p for p in folder.glob("*.toml") if not p.name.startswith(("_", ".")))
    lexicons = [load_lexicon(p, shipped=shipped) for p in files]
    seen: dict[str, Lexicon] = {}
    for lexicon in lexicons:
        if lexicon.name in seen:
            raise LexiconError(
                lexicon.path, f"theme '{lexicon.name}' is already defined in {seen[lexicon.name].path}"
            )
        seen[lexicon.name] = lexicon
    settings = _folder_settings(folder)
    if not lexicons and settings.get("replace_defaults"):
        raise LexiconError(folder, "the folder replaces the default themes but holds no *.toml lexicon")
    return sorted(lexicons, key=lambda x: x.name), bool(settings.get("replace_defaults", False))

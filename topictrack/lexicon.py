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

import re
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

try:  # the regex parser, to find the words a pattern starts with
    from re import _constants as _c, _parser
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c
    import sre_parse as _parser

from topictrack import regex_guard
from topictrack.errors import LexiconError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SETTINGS_FILE = "_settings.toml"

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_KEYS = {"name", "description", "terms", "patterns", "exclude", "examples", "pairs"}
_PAIR_KEYS = {"terms", "with"}
_REGEX_SYNTAX = re.compile(r"[\\()\[\]?|+{}^$]")
_TOML_WHERE = re.compile(r"\(at line (\d+), column \d+\)")
_WORD = re.compile(r"[a-z0-9]+")
_TOKEN = re.compile(r"[a-z0-9]+|\n")


@dataclass(frozen=True)
class Lexicon:
    """One theme's lexicon, as read from its file.

    ``pairs`` holds ``(terms, with)`` tuples: a sentence matches a pair when it
    contains one entry of each side.
    """

    name: str
    description: str
    terms: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    pairs: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()
    path: str | None = None
    regexes: "CompiledLexicon" = field(default=None, repr=False, compare=False)

    @property
    def n_entries(self) -> int:
        """Number of terms, patterns and pairs."""
        return len(self.terms) + len(self.patterns) + len(self.pairs)


@dataclass(frozen=True)
class CompiledLexicon:
    """Regexes of one lexicon.

    ``terms`` (lower-case terms, matched on lower-cased text), ``patterns`` (regular
    expressions, case-insensitive, that start with a known word at a word boundary),
    ``free_patterns`` (the other regular expressions), ``exclude``, ``pairs`` (each side like
    ``terms``), ``entries`` (each entry as written with its own regex, for explanations) and
    ``slots``: the lexicon as word sequences, which the batch matcher uses.
    """

    terms: re.Pattern | None
    patterns: re.Pattern | None
    free_patterns: re.Pattern | None
    exclude: re.Pattern | None
    pairs: tuple[tuple[re.Pattern, re.Pattern], ...]
    entries: tuple[tuple[str, re.Pattern], ...]
    slots: "Slots" = None


def _term_body(term: str) -> str:
    words = re.split(r"[\s\-]+", term.strip().lower())
    parts = []
    for word in words:
        star = word.endswith("*")
        piece = re.sub("['’]", "['’]", re.escape(word.rstrip("*")))
        parts.append(piece + (r"\w*" if star else ""))
    return r"[\s\-]+".join(parts)


def term_regex(term: str) -> str:
    """Regex source for a lexicon term: whole words, flexible spaces/hyphens, ``*`` suffix."""
    return r"(?<![\w])" + _term_body(term) + r"(?![\w])"


def _fast_alternation(terms) -> re.Pattern | None:
    """One regex for many terms, to run on lower-cased text."""
    if not terms:
        return None
    bodies = sorted({_term_body(t) for t in terms}, key=lambda b: (-len(b), b))
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


def _compile(entry: str, source: str, key: str, path, text: str) -> re.Pattern:
    try:
        compiled = re.compile(source, re.IGNORECASE)
    except re.error as exc:
        line = _line_of(text, entry[: max(1, min(len(entry), 12))]) or _key_line(text, key)
        raise LexiconError(
            path, f"{key} entry {entry!r} is not a valid regular expression: {exc}", line
        ) from None
    slow = regex_guard.problem(source, re.IGNORECASE)
    if slow:
        line = _line_of(text, entry[: max(1, min(len(entry), 12))]) or _key_line(text, key)
        raise LexiconError(path, f"{key} entry {entry!r}: {slow}", line)
    return compiled


def _alternation(sources: list[str]) -> re.Pattern | None:
    if not sources:
        return None
    return re.compile("|".join(f"(?:{s})" for s in sources), re.IGNORECASE)


def parse_lexicon(text: str, path="<string>") -> Lexicon:
    """Parse and validate the TOML text of one lexicon file; raise :class:`LexiconError`."""
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
    pairs_raw = data.get("pairs", [])
    if not isinstance(pairs_raw, list) or not all(isinstance(p, dict) for p in pairs_raw):
        raise LexiconError(path, "'pairs' must be tables written [[pairs]]", _key_line(text, "pairs"))
    pairs = []
    for pair in pairs_raw:
        extra = sorted(set(pair) - _PAIR_KEYS)
        if extra:
            raise LexiconError(
                path,
                f"[[pairs]] table has unknown key '{extra[0]}'; a pair holds only 'terms' and 'with' "
                "(keys written below a [[pairs]] header belong to it: put other keys above the first one)",
                _key_line(text, extra[0]),
            )
        missing = sorted(_PAIR_KEYS - set(pair))
        if missing:
            raise LexiconError(
                path, f"[[pairs]] table lacks '{missing[0]}'; a pair needs both 'terms' and 'with'",
                _key_line(text, "pairs"),
            )
        pairs.append(
            (_string_list(pair["terms"], "terms", path, text), _string_list(pair["with"], "with", path, text))
        )
    if not (lists["terms"] or lists["patterns"] or pairs):
        raise LexiconError(path, "the lexicon has no 'terms', 'patterns' or [[pairs]]; give at least one")

    entries = [(t, _compile(t, term_regex(t), "terms", path, text)) for t in lists["terms"]]
    entries += [(p, _compile(p, entry_regex(p), "patterns", path, text)) for p in lists["patterns"]]
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
        patterns=_alternation(anchored),
        free_patterns=_alternation(free),
        exclude=re.compile("|".join(exclude_sources)) if exclude_sources else None,
        pairs=tuple((_fast_alternation(left), _fast_alternation(right)) for left, right in pairs),
        entries=tuple(entries),
    )
    return Lexicon(
        name=name,
        description=" ".join(description.split()),
        pairs=tuple(pairs),
        path=str(path),
        regexes=compiled,
        **lists,
    )


def load_lexicon(path) -> Lexicon:
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
    return parse_lexicon(text, path)


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


def load_folder(folder) -> tuple[list[Lexicon], bool]:
    """Lexicons of a folder (or one ``.toml`` file), sorted by name, and whether they replace the defaults."""
    folder = Path(folder)
    if folder.is_file():
        return [load_lexicon(folder)], False
    if not folder.is_dir():
        raise LexiconError(folder, "no such lexicon folder or file")
    files = sorted(p for p in folder.glob("*.toml") if not p.name.startswith(("_", ".")))
    lexicons = [load_lexicon(p) for p in files]
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


class LexiconMatcher:
    """Finds which sentences match which lexicons, a whole batch at a time.

    Works on words: the batch is lower-cased and split into words once, each distinct
    word is looked up once (then cached), and only the positions whose word can start
    an entry are examined. Terms and pair sides match word sequences (so punctuation
    between two words of a term is ignored); ``patterns`` regexes run only on sentences
    holding one of their leading words, or, when that cannot be told, on the whole batch.
    """

    def __init__(self, lexicons: Sequence[Lexicon]):
        self.lexicons = list(lexicons)
        self._words: dict[str, int] = {}
        self._word_list: list[str] = []
        self._starts: list[list[tuple]] = [[] for _ in self.lexicons]  # per theme, per word id
        self._flags = [bytearray() for _ in self.lexicons]
        self._arrays: list[np.ndarray] = [np.zeros(0, dtype=bool) for _ in self.lexicons]
        self._exact, self._prefix = [], []
        for lex in self.lexicons:
            exact: dict[str, list] = {}
            prefix: dict[str, list] = {}
            for kind, slots in lex.regexes.slots.entries:
                (word, is_prefix), rest = slots[0], slots[1:]
                (prefix if is_prefix else exact).setdefault(word, []).append((kind, rest))
            self._exact.append(exact)
            self._prefix.append(prefix)
        self._lock = threading.Lock()

    def _starting(self, column: int, word: str) -> tuple:
        found = list(self._exact[column].get(word, ()))
        prefix = self._prefix[column]
        if prefix:
            for end in range(1, len(word) + 1):
                found += prefix.get(word[:end], ())
        return tuple(found)

    def _word_ids(self, tokens: list[str]) -> np.ndarray:
        words = self._words
        with self._lock:
            new = [w for w in dict.fromkeys(tokens) if w not in words]
            for word in new:
                words[word] = len(words)
                self._word_list.append(word)
                for column in range(len(self.lexicons)):
                    starting = () if word == "\n" else self._starting(column, word)
                    self._starts[column].append(starting)
                    self._flags[column].append(bool(starting))
            if new:
                self._arrays = [np.frombuffer(bytes(f), dtype=bool) for f in self._flags]
            get = words.__getitem__
            return np.fromiter(map(get, tokens), dtype=np.int64, count=len(tokens))

    def word_ids(self, batch: Batch) -> np.ndarray:
        """Ids of the batch's tokens in this matcher's growing word list (computed once per batch)."""
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
        arrays, n_tokens = self._arrays, len(tokens)
        row_of = np.cumsum(ids == self._words.get("\n", -1))
        starts_at = None
        for column, lex in enumerate(self.lexicons):
            rx = lex.regexes
            starts = self._starts[column]
            found = []  # (row, kind, first token, end token)
            positions = np.flatnonzero(arrays[column][ids])
            for p, row, word in zip(positions.tolist(), row_of[positions].tolist(), ids[positions].tolist()):
                for kind, rest in starts[word]:
                    end = p + 1 + len(rest)
                    if end > n_tokens:
                        continue
                    for (word, is_prefix), token in zip(rest, tokens[p + 1 : end]):
                        if not (token.startswith(word) if is_prefix else token == word):
                            break
                    else:
                        found.append((row, kind, p, end))
            if not found:
                continue
            spans: dict[int, list[tuple[int, int]]] = {}
            for row, kind, a, b in found:
                if kind == "exclude":
                    spans.setdefault(row, []).append((a, b))
            sides: dict[int, set] = {}
            pattern_rows = set()
            for row, kind, a, b in found:
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

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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

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
    """Regexes of one lexicon: ``match`` (terms and patterns), ``exclude``, ``pairs``."""

    match: re.Pattern | None
    exclude: re.Pattern | None
    pairs: tuple[tuple[re.Pattern, re.Pattern], ...]
    entries: tuple[tuple[str, re.Pattern], ...]  # (entry as written, its own regex), for explain


def term_regex(term: str) -> str:
    """Regex source for a lexicon term: whole words, flexible spaces/hyphens, ``*`` suffix."""
    words = re.split(r"[\s\-]+", term.strip())
    parts = []
    for word in words:
        star = word.endswith("*")
        word = word.rstrip("*")
        piece = re.escape(word).replace("'", "['’]").replace("’", "['’]")
        parts.append(piece + (r"\w*" if star else ""))
    return r"(?<![\w])" + r"[\s\-]+".join(parts) + r"(?![\w])"


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
        return re.compile(source, re.IGNORECASE)
    except re.error as exc:
        line = _line_of(text, entry[: max(1, min(len(entry), 12))]) or _key_line(text, key)
        raise LexiconError(
            path, f"{key} entry {entry!r} is not a valid regular expression: {exc}", line
        ) from None


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
        bad = sorted(set(pair) - _PAIR_KEYS) or sorted(_PAIR_KEYS - set(pair))
        if bad:
            raise LexiconError(
                path, "each [[pairs]] table needs exactly the keys 'terms' and 'with'",
                _key_line(text, bad[0]) or _key_line(text, "pairs"),
            )
        pairs.append(
            (_string_list(pair["terms"], "terms", path, text), _string_list(pair["with"], "with", path, text))
        )
    if not (lists["terms"] or lists["patterns"] or pairs):
        raise LexiconError(path, "the lexicon has no 'terms', 'patterns' or [[pairs]]; give at least one")

    entries = [(t, _compile(t, term_regex(t), "terms", path, text)) for t in lists["terms"]]
    entries += [(p, _compile(p, entry_regex(p), "patterns", path, text)) for p in lists["patterns"]]
    excludes = [_compile(e, entry_regex(e), "exclude", path, text) for e in lists["exclude"]]
    compiled_pairs = tuple(
        (_alternation([term_regex(t) for t in left]), _alternation([term_regex(t) for t in right]))
        for left, right in pairs
    )
    compiled = CompiledLexicon(
        match=_alternation([rx.pattern for _, rx in entries]),
        exclude=_alternation([rx.pattern for rx in excludes]),
        pairs=compiled_pairs,
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


def _line_starts(sentences: list[str]) -> tuple[str, np.ndarray]:
    joined = "\n".join(s.replace("\n", " ") for s in sentences)
    lengths = np.fromiter((len(s) + 1 for s in sentences), dtype=np.int64, count=len(sentences))
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1])) if len(sentences) else np.zeros(0, np.int64)
    return joined, starts


def _rows(rx: re.Pattern, text: str, starts: np.ndarray) -> np.ndarray:
    positions = np.fromiter((m.start() for m in rx.finditer(text)), dtype=np.int64)
    return np.searchsorted(starts, positions, side="right") - 1


def _blank(rx: re.Pattern, text: str) -> str:
    return rx.sub(lambda m: " " * len(m.group(0)), text)


def match_sentences(lexicons: Sequence[Lexicon], sentences: list[str]) -> np.ndarray:
    """Boolean matrix sentences x lexicons: does the sentence match the theme's lexicon?

    Works on the whole batch at once: each theme's regexes run once over the joined text.
    """
    joined, starts = _line_starts(sentences)
    out = np.zeros((len(sentences), len(lexicons)), dtype=bool)
    if not sentences:
        return out
    for column, lexicon in enumerate(lexicons):
        rx = lexicon.regexes
        text = _blank(rx.exclude, joined) if rx.exclude is not None else joined
        if rx.match is not None:
            out[_rows(rx.match, text, starts), column] = True
        for left, right in rx.pairs:
            both = np.intersect1d(_rows(left, text, starts), _rows(right, text, starts))
            out[both, column] = True
    return out


def matched_entries(lexicon: Lexicon, sentence: str) -> list[str]:
    """The terms, patterns and pairs of ``lexicon`` found in one sentence (as written in the file)."""
    rx = lexicon.regexes
    text = _blank(rx.exclude, sentence) if rx.exclude is not None else sentence
    found = [entry for entry, regex in rx.entries if regex.search(text)]
    for (left_terms, right_terms), (left, right) in zip(lexicon.pairs, rx.pairs):
        a, b = left.search(text), right.search(text)
        if a and b:
            found.append(f"{a.group(0)} + {b.group(0)} (pair)")
    return found


def excluded_spans(lexicon: Lexicon, sentence: str) -> list[str]:
    """Text of ``sentence`` blanked by the lexicon's ``exclude`` entries."""
    rx = lexicon.regexes.exclude
    return [m.group(0) for m in rx.finditer(sentence)] if rx is not None else []

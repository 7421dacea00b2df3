"""Checks on what a transcript or manifest file holds, before the reader trusts it.

- :func:`utf8_with_strays`: UTF-8 text with a few stray single-byte (Windows-1252) characters is
  decoded as UTF-8, the strays alone as Windows-1252, instead of reading the whole file as
  Windows-1252 (which turns every ``’`` into ``â€™``).
- :func:`json_turn_lists`: the speaker-turn lists of a Motley Fool style JSON call, with every
  field of the expected type, or a one-line reason why not.
- :func:`manifest_rows`: the rows of a manifest CSV, refusing what would be misread silently
  (an unterminated quote, a path listed twice, a date that is not a date).
"""

from __future__ import annotations

import csv
import datetime
import io
import re

from topictrack.errors import ConfigError, TranscriptError, UnknownFormatError

_STRAY = re.compile(r"[\udc80-\udcff]")


def _cp1252(match: re.Match) -> str:
    byte = bytes([ord(match.group(0)) - 0xDC00])
    try:
        return byte.decode("cp1252")
    except UnicodeDecodeError:
        return "\ufffd"


def utf8_with_strays(data: bytes) -> str | None:
    """``data`` as UTF-8 with its few invalid bytes read as Windows-1252, or None.

    Used only when strict UTF-8 fails. The bytes count as UTF-8 when valid multi-byte UTF-8
    characters are at least twice as many as the invalid bytes; text in a single-byte or a
    Chinese double-byte encoding has few or no valid multi-byte UTF-8 sequences and is left to
    the other decoders.
    """
    text = data.decode("utf-8", "surrogateescape")
    strays = len(_STRAY.findall(text))
    if not strays:
        return text
    multibyte = sum(1 for ch in text if ch > "\x7f") - strays
    if multibyte < 2 * strays:
        return None
    return _STRAY.sub(_cp1252, text)


def _type_name(value) -> str:
    if value is None:
        return "null"
    return {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list",
            dict: "an object"}.get(type(value), type(value).__name__)


def json_turn_lists(data, path) -> dict:
    """``{"prepared_remarks": [...], "q_and_a": [...]}`` from parsed JSON, each item a dict whose
    ``speaker`` and ``speech`` are text or null (a null speech is an empty turn).

    Raises :class:`~topictrack.errors.UnknownFormatError` naming the first field of the wrong
    type: a list where text belongs is not turned into ``"['a', 'b']"``.
    """
    if not isinstance(data, dict):
        raise UnknownFormatError(path, f"JSON holds {_type_name(data)}, not an object with "
                                       "'prepared_remarks' or 'q_and_a' lists of speaker turns")
    lists = {}
    for key in ("prepared_remarks", "q_and_a"):
        items = data.get(key)
        if items is None:
            lists[key] = []
            continue
        if not isinstance(items, list):
            raise UnknownFormatError(path, f"JSON '{key}' is {_type_name(items)}; expected a list "
                                           "of speaker turns")
        for n, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                raise UnknownFormatError(path, f"JSON '{key}' item {n} is {_type_name(item)}; "
                                               "expected an object with 'speaker' and 'speech'")
            for field in ("speaker", "speech"):
                value = item.get(field)
                if value is None or isinstance(value, str):
                    continue
                raise UnknownFormatError(path, f"JSON '{key}' item {n}: '{field}' is "
                                               f"{_type_name(value)}; expected text")
        lists[key] = items
    participants = data.get("participants")
    if participants is not None and not isinstance(participants, list):
        raise UnknownFormatError(path, f"JSON 'participants' is {_type_name(participants)}; "
                                       "expected a list of 'Name--Title' texts")
    return lists


_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def unpunctuated_prose(line: str) -> int:
    """Words in ``line`` when it reads as speech with its punctuation stripped (as raw speech
    recognition output is): at least 12 words, nine in ten of them plain words; else 0."""
    words = line.split()
    if len(words) < 12:
        return 0
    plain = sum(1 for w in words if _WORD.fullmatch(w))
    return len(words) if plain >= 0.9 * len(words) else 0


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MANIFEST_BYTES = 64 * 2**20  # far above a manifest of every call ever held


def manifest_rows(path) -> list[dict]:
    """The rows of the manifest CSV at ``path`` as dicts, after checking them.

    Raises :class:`~topictrack.errors.ConfigError` (naming the file and line) when the file cannot
    be read or is not UTF-8, a quoted cell is never closed, a cell holds a line break or a control
    character, a path is listed twice, or a date is not a real ``YYYY-MM-DD`` date.
    """
    from topictrack.safeio import read_regular

    try:
        raw = read_regular(path, _MANIFEST_BYTES)  # a regular file, size checked before reading
    except TranscriptError as exc:
        raise ConfigError(f"manifest {exc.path}: {exc.problem}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"manifest {path} is not UTF-8 text (byte {exc.start}); "
                          "save it as UTF-8") from None
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    rows, seen = [], {}
    try:
        for row in reader:
            line = reader.line_num
            for name, value in row.items():
                values = value if isinstance(value, list) else [value]
                for cell in values:
                    if cell is not None and ("\n" in cell or "\r" in cell
                                             or any(ord(c) < 32 or 0x7f <= ord(c) <= 0x9f
                                                    for c in cell)):
                        raise ConfigError(f"manifest {path} line {line}: the {name or 'extra'} "
                                          "cell holds a line break or control character (an "
                                          "unclosed quote?)")
            key = (row.get("path") or "").strip()
            if key and key in seen:
                raise ConfigError(f"manifest {path} line {line}: path {key!r} is already listed "
                                  f"on line {seen[key]}")
            seen[key] = line
            date = (row.get("date") or "").strip()
            if date and not _valid_date(date):
                raise ConfigError(f"manifest {path} line {line}: date {date!r} is invalid; "
                                  "expected YYYY-MM-DD like 2025-03-19")
            rows.append(row)
    except csv.Error as exc:
        raise ConfigError(f"manifest {path} line {reader.line_num}: {exc} (an unclosed quote?)") from None
    return rows


def _valid_date(text: str) -> bool:
    if not _ISO_DATE.match(text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True

"""Text from transcripts made inert for where it is written: CSV, Markdown, a terminal.

Transcripts, file names and manifests come from anywhere. A speaker name such as
``=HYPERLINK("http://x","y")`` must stay text in a spreadsheet, a name with line breaks must not
end a Markdown table row or start a heading, ``[x](javascript:...)`` must not become a link, and
an escape sequence must not reach the terminal.
"""

from __future__ import annotations

import logging
import re

# Characters a spreadsheet reads as the start of a formula (tab and carriage return included:
# some programs drop them and read what follows).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# C0 controls but tab and line breaks, DEL and C1 controls: what starts terminal escape sequences.
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")

_MARKDOWN_SPECIAL = re.compile(r"([\\`\[\]|])")


def csv_cell(value):
    """``value`` with a leading ``'`` when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_frame(frame):
    """A copy of ``frame`` whose text cells are safe to open in a spreadsheet (numbers untouched)."""
    import pandas as pd

    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            out[name] = column.map(csv_cell, na_action="ignore")
    return out


def markdown(text) -> str:
    """``text`` on one line for a Markdown table cell or heading: line breaks become spaces,
    ``\\ ` [ ] |`` are backslash-escaped (no links, code or cell breaks) and ``<`` is ``&lt;``
    (no HTML)."""
    text = " ".join(str(text).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("<", "&lt;")


def _visible(match: re.Match) -> str:
    return f"\\x{ord(match.group(0)):02x}"


def terminal(text) -> str:
    """``text`` on one line for a terminal: control characters shown as ``\\xNN``, never sent
    raw; a file name that is not valid UTF-8 shown with its odd bytes escaped."""
    return _LINE_CONTROLS.sub(_visible, path_text(text))


def path_text(text) -> str:
    """A file name as valid text: the bytes of a name that is not UTF-8 (held as surrogates) are
    written as ``\\xNN``, so tables and Parquet files can store it."""
    text = str(text)
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


class TerminalFormatter(logging.Formatter):
    """Log lines with control characters (but line breaks and tabs) shown as ``\\xNN``: a file
    name or a speaker in a log message cannot drive the terminal."""

    def format(self, record: logging.LogRecord) -> str:
        return CONTROLS.sub(_visible, path_text(super().format(record)))


_LINE_BREAK_CONTROLS = re.compile(r"[\x0b\x0c\x1c-\x1e\x85]")  # str.splitlines breaks lines there
_OTHER_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def strip_controls(text: str) -> str:
    """``text`` without control characters (for decoded transcripts: they carry no meaning in a
    call and can drive a terminal). Tabs and line breaks stay; controls that act as line breaks
    (form feed, vertical tab, ...) become ``\\n``; the others are dropped."""
    if text.isprintable():
        return text
    return _OTHER_CONTROLS.sub("", _LINE_BREAK_CONTROLS.sub("\n", text))

"""What every report format shares: the series of a trends table, number formats, quotes."""

from __future__ import annotations

import pandas as pd

from topictrack.errors import ConfigError
from topictrack.trends import COLUMNS, MIN_TONED, period_key
from topictrack.trends import _none as value_of

KIND_LABELS = {"transcript": "call transcripts", "summary": "analyst summaries"}
TREND_SYMBOLS = {"new": "new", "rising": "rising ↑", "steady": "steady →", "falling": "falling ↓",
                 "gone": "gone", "absent": "absent"}
TREND_MARKS = {"new": "+", "rising": "↑", "steady": "→", "falling": "↓", "gone": "×", "absent": " "}
FLOAT_DIGITS = 6


def check(table) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise ConfigError(f"expected the trends table (a pandas DataFrame), got {type(table).__name__}")
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise ConfigError("the trends table lacks column(s) " + ", ".join(missing)
                          + "; pass the table returned by topictrack.theme_trends()")
    return table


class Series:
    """The trends rows of one company and kind, indexed by (theme, period)."""

    def __init__(self):
        self.periods: dict = {}
        self.themes: dict = {}
        self.cells: dict = {}

    def cell(self, theme: str, period) -> dict | None:
        return self.cells.get((theme, period))

    def values(self, column: str) -> list:
        return [c[column] for c in self.cells.values() if c[column] is not None]

    def calls(self, period) -> int:
        return int(self.cell(next(iter(self.themes)), period)["calls"])


def series(table: pd.DataFrame) -> list[tuple]:
    """(company, kind, periods in order, :class:`Series`) for each company x kind, in table order."""
    groups: dict[tuple, Series] = {}
    for record in table[COLUMNS].to_dict("records"):
        record = {k: value_of(v) for k, v in record.items()}
        rows = groups.setdefault((record["company"], record["kind"]), Series())
        rows.periods[record["period"]] = None
        rows.themes[record["theme"]] = None
        rows.cells.setdefault((record["theme"], record["period"]), record)
    return [(company, kind, sorted(rows.periods, key=period_key), rows)
            for (company, kind), rows in groups.items()]


def companies(table: pd.DataFrame) -> int:
    """How many companies the call transcripts of a trends table are of."""
    return int(table.loc[table["kind"] == "transcript", "company"].dropna().nunique())


def pct(share) -> str:
    return "–" if share is None else f"{100 * share:.1f}%"


def signed(value, digits: int = 2) -> str:
    """``+0.43`` / ``-0.06``; a value that rounds to zero prints as ``+0.00``, never ``-0.00``."""
    if value is None:
        return "–"
    return f"{round(value, digits) + 0.0:+.{digits}f}"


def pts(value) -> str:
    return "–" if value is None else signed(100 * value, 1)


def weak_tone(cell: dict | None) -> bool:
    """A tone set by fewer than :data:`~topictrack.trends.MIN_TONED` toned sentences."""
    return bool(cell) and cell.get("tone") is not None and (cell.get("toned") or 0) < MIN_TONED


def tone_text(cell: dict | None) -> str:
    """The tone of a cell, ``*``-marked when weak (see :func:`weak_tone`)."""
    if not cell or cell.get("tone") is None:
        return "–"
    return signed(cell["tone"]) + ("*" if weak_tone(cell) else "")


WEAK_NOTE = (f"* tone from fewer than {MIN_TONED} toned sentences: too few to read a change in tone from.")


def shorten(text, limit: int = 110) -> str:
    """One line of at most ``limit`` characters, cut at a word boundary with an ellipsis.

    Quotation marks around the whole text are dropped (renderers add their own).
    """
    if text is None:
        return ""
    text = " ".join(str(text).split()).strip('"“”')
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + "…"


def who(cell: dict) -> str:
    """``Speaker (role)`` of a cell's quote; summaries and unnamed speakers say so."""
    speaker, role = cell.get("quote_speaker"), cell.get("quote_role")
    if speaker is None and cell.get("kind") == "summary":
        return "analyst summary"
    known_role = role if role and role != "unknown" else None
    if speaker is None:
        return f"unnamed {known_role} speaker" if known_role else "unnamed speaker"
    return f"{speaker} ({known_role})" if known_role else speaker


def level(table: pd.DataFrame) -> str:
    """The interval level the trends were computed at, e.g. ``"95%"``."""
    return f"{100 * table.attrs.get('confidence', 0.95):g}%"


def company_label(company) -> str:
    return company if company is not None else "Unknown company"


def period_label(period) -> str:
    return period if period is not None else "undated"


def untrended(cell: dict | None) -> str:
    """What a cell without a trend says: a company's first period, or calls of unknown company."""
    if cell and cell.get("company") is None and cell.get("period") is not None:
        return "not trended"
    return "first period"


def phrases_of(phrases: pd.DataFrame | None, company, kind) -> dict:
    """period -> list of phrase records (best first) of one company and kind."""
    if phrases is None or phrases.empty:
        return {}
    rows = phrases[(phrases["company"] == company) & (phrases["kind"] == kind)]
    found: dict = {}
    for record in rows.to_dict("records"):
        found.setdefault(record["period"], []).append({k: value_of(v) for k, v in record.items()})
    return found


def compared_with(record: dict) -> str:
    """``"2025Q4"`` or ``"2025Q1–2025Q4"``: the earlier periods a phrase was set against."""
    earlier = str(record["previous_periods"]).split(";")
    return earlier[0] if len(earlier) == 1 else f"{earlier[0]}–{earlier[-1]}"


def overview_span(overview: pd.DataFrame) -> list:
    return sorted(overview["period"].unique(), key=period_key)


def overview_periods(overview: pd.DataFrame) -> str:
    """What the overview's periods are, for its caption."""
    if overview.attrs.get("periods") == "calendar":
        return ("Periods are the calendar quarters the calls report on (from the call dates), so "
                "companies with other fiscal years meet in one column.")
    return "Periods are the quarters the calls state (fiscal years may differ between companies)."

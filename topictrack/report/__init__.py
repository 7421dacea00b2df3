"""Reports on a trends table: terminal table, Markdown, JSON, CSV and a self-contained HTML page.

Every renderer takes the frame returned by :func:`topictrack.trends.theme_trends` (and, optionally,
the new phrases of :func:`topictrack.new_phrases` and the corpus overview of
:func:`topictrack.trends.corpus_overview`) and returns a string; the same input always gives the
same text (rows are sorted, floats rounded, no timestamps). :mod:`.text` holds the terminal
table and Markdown, :mod:`.data` JSON and CSV, :mod:`.html` the HTML page, :mod:`.evidence` the
quotes behind one theme. :func:`trend_report` and :func:`report_evidence` go from files (or a
saved scored table) to the text in one call: what the ``report`` and ``evidence`` commands print.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from topictrack.errors import ConfigError
from topictrack.report.common import KIND_LABELS, TREND_SYMBOLS, check, companies, shorten
from topictrack.report.data import CSV_COLUMNS, to_csv, to_json
from topictrack.report.evidence import EVIDENCE_COLUMNS, evidence, format_evidence
from topictrack.report.html import stylesheet, to_html
from topictrack.report.text import to_markdown, to_table

FORMATS = ("table", "markdown", "json", "csv", "html")
OVERVIEW_MIN_COMPANIES = 2
"""A report on the call transcripts of at least this many companies opens with the corpus overview."""

__all__ = [
    "CSV_COLUMNS", "EVIDENCE_COLUMNS", "FORMATS", "KIND_LABELS", "OVERVIEW_MIN_COMPANIES", "Rendered",
    "TREND_SYMBOLS", "evidence", "format_evidence", "render", "report_evidence", "shorten", "stylesheet",
    "to_csv", "to_html", "to_json", "to_markdown", "to_table", "trend_report",
]


def render(table: pd.DataFrame, format: str = "markdown", *, phrases: pd.DataFrame | None = None) -> str:
    """Render a trends table in one of :data:`FORMATS`, with the new ``phrases`` of
    :func:`topictrack.new_phrases` when given, and the corpus overview first when the calls are
    of :data:`OVERVIEW_MIN_COMPANIES` companies or more (JSON always carries it)."""
    from topictrack.trends import corpus_overview

    renderers = {"table": to_table, "markdown": to_markdown, "json": to_json, "csv": to_csv,
                 "html": to_html}
    if format not in renderers:
        raise ConfigError(f"format {format!r} is unknown; expected one of {', '.join(FORMATS)}")
    check(table)
    overview = None
    if format == "json" or companies(table) >= OVERVIEW_MIN_COMPANIES:
        overview = corpus_overview(table)
    return renderers[format](table, phrases=phrases, overview=overview)


@dataclass
class Rendered:
    """What :func:`trend_report` and :func:`report_evidence` return: the ``text`` and the files that
    could not be scored (``failures``: columns ``path`` and ``error``; empty when all were)."""

    text: str
    failures: pd.DataFrame


def trend_report(paths=None, *, format: str = "markdown", companies=None, set_company=None, manifest=None,
                 lexicons=None, scored=None, confidence: float = 0.95, last: int | None = None,
                 phrases: int = 5, cache=None, progress: bool = False) -> Rendered:
    """The trends report of the calls in ``paths`` (default: the bundled calls), or of the scored
    table saved at ``scored``.

    :func:`topictrack.pipeline.scored_calls` (``set_company`` names every call's company;
    ``cache`` and ``progress`` as in :func:`topictrack.pipeline.run`), then only the
    ``companies`` named (case-insensitive; all when None), :func:`topictrack.trends.theme_trends`,
    the ``last`` periods of each company (all when None), the top ``phrases`` new phrases of each
    period shown (:func:`topictrack.new_phrases` of all the calls, whose prior is every company's
    calls; none when 0), then :func:`render` in ``format``.
    """
    from topictrack.phrases import new_phrases
    from topictrack.pipeline import scored_calls
    from topictrack.trends import last_periods, select_companies, theme_trends

    if format not in FORMATS:
        raise ConfigError(f"format {format!r} is unknown; expected one of {', '.join(FORMATS)}")
    if last is not None and last < 1:
        raise ConfigError(f"last {last} is invalid; expected at least 1 period")
    table, failures = scored_calls(paths, company=set_company, manifest=manifest, lexicons=lexicons,
                                   scored=scored, cache=cache, progress=progress)
    shown = select_companies(table, companies)
    trends = last_periods(theme_trends(shown, confidence=confidence), last)
    found = None
    if phrases:  # against every call read, so naming companies changes what is shown, not what is found
        found = new_phrases(table, top=phrases, progress=progress)
        kept = trends[["company", "kind", "period"]].drop_duplicates()
        found = found.merge(kept, on=["company", "kind", "period"], how="inner")
    return Rendered(render(trends, format, phrases=found), failures)


def report_evidence(theme: str, paths=None, *, period=None, companies=None, set_company=None, manifest=None,
                    lexicons=None, scored=None, cache=None, progress: bool = False) -> Rendered:
    """The quotes behind ``theme`` (:func:`evidence`, then :func:`format_evidence`) in the calls of
    ``paths`` (default: the bundled calls) or the scored table saved at ``scored``, of the
    ``companies`` named (all when None). An unknown theme fails before anything is scored."""
    from topictrack.pipeline import scored_calls

    table, failures = scored_calls(paths, company=set_company, manifest=manifest, lexicons=lexicons,
                                   scored=scored, theme=theme, cache=cache, progress=progress)
    return Rendered(format_evidence(evidence(table, theme, period=period, company=companies), theme),
                    failures)

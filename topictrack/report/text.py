"""The text formats: a terminal table and Markdown."""

from __future__ import annotations

import textwrap

import pandas as pd

from topictrack import escape
from topictrack.report.common import (
    KIND_LABELS, TREND_MARKS, TREND_SYMBOLS, WEAK_NOTE, check, company_label, compared_with, level,
    overview_periods, overview_span, pct, period_label, phrases_of, pts, series, shorten, tone_text, untrended, who,
)

_CELL = 16  # "  12.3% +0.41* ↑" in the terminal table


def _chunks(items: list, size: int) -> list[list]:
    size = max(1, size)
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


def _grid(names: list[str], columns: list, cell, head, sub: str, width: int, cell_width: int) -> list[str]:
    """Rows of ``names`` by ``columns``, split into blocks of as many columns as ``width`` allows;
    ``head(column)`` and ``sub`` label each column, ``cell(name, column)`` fills it."""
    name_width = max(12, min(24, max((len(n) for n in names), default=0) + 2))
    lines = []
    for block in _chunks(columns, (width - name_width) // cell_width):
        lines.append((f"{'':<{name_width}}" + "".join(f"{head(c):>{cell_width}}" for c in block)).rstrip())
        lines.append((f"{'theme':<{name_width}}" + sub * len(block)).rstrip())
        lines.append("-" * (name_width + cell_width * len(block)))
        for name in names:
            short = name if len(name) < name_width - 1 else name[: name_width - 2] + "…"
            lines.append((f"{short:<{name_width}}" + "".join(cell(name, c) for c in block)).rstrip())
        lines.append("")
    return lines


def _overview_lines(overview: pd.DataFrame, movers: pd.DataFrame, width: int) -> list[str]:
    periods = overview_span(overview)
    themes = list(dict.fromkeys(overview["theme"]))
    cells = {(r.theme, r.period): r for r in overview.itertuples(index=False)}
    calls = overview.drop_duplicates("period").set_index("period")
    lines = [f"All companies · call transcripts · {int(calls['calls'].sum())} calls of "
             f"{_n_companies(overview)} companies",
             "Per period: companies mentioning the theme / companies with a call (cos),",
             "and the theme's share of all their sentences.", *textwrap.wrap(overview_periods(overview), width), ""]

    def cell(theme, period):
        row = cells.get((theme, period))
        if row is None:
            return " " * 15
        return f"{row.companies_mentioning:>4}/{row.companies:<3}{pct(row.share):>6} "

    lines += _grid(themes, periods, cell, lambda p: period_label(p) + "   ", f"{'cos   share':>14} ", width, 15)
    if not movers.empty:
        lines.append("Largest changes in share at each company's latest call (percentage points):")
        for theme in themes:
            for direction, mark in (("rise", "↑"), ("fall", "↓")):
                rows = movers[(movers["theme"] == theme) & (movers["direction"] == direction)]
                items = [f"{r.company} {pts(r.delta_share)} ({r.period}, {r.trend})"
                         for r in rows.itertuples(index=False)]
                line = f"  {theme:<18} {mark} "
                for n, item in enumerate(items):
                    if n and len(line) + len(item) + 2 > width:
                        lines.append(line.rstrip(", "))
                        line = " " * 23
                    line += item + ", "
                if items:
                    lines.append(line.rstrip(", "))
        lines.append("")
    return lines


def _n_companies(overview: pd.DataFrame) -> int:
    return int(overview.attrs.get("companies", overview["companies"].max()))


def _phrase_lines(by_period: dict, periods: list, width: int) -> list[str]:
    lines = []
    for period in periods:
        records = by_period.get(period)
        if not records:
            continue
        lines.append(f"New phrases {period_label(period)} vs {compared_with(records[0])} "
                     "(sentences using it: now / before):")
        phrase_width = max(len(r["phrase"]) for r in records) + 2
        for r in records:
            head = f"  {r['phrase']:<{phrase_width}}{r['count']:>4} / {r['previous_count']:<4} "
            lines.append(head + "“" + shorten(r["quote"], max(20, width - len(head) - 2)) + "”")
    if lines:
        lines.append("")
    return lines


def to_table(table: pd.DataFrame, *, width: int = 100, phrases: pd.DataFrame | None = None,
             overview: tuple | None = None) -> str:
    """Plain-text tables, one per company and kind, fitting ``width`` columns (100 by default).

    With ``overview`` (the pair of :func:`topictrack.trends.corpus_overview`), the corpus overview
    comes first. Then per company and kind, each row is a theme and each period (oldest first) shows
    the share of sentences, the tone and the trend mark of the change from the period before; more
    periods than fit ``width`` continue in a second block. ``phrases``
    (:func:`topictrack.new_phrases`) adds the period's new phrases, with counts and a quote each.
    """
    check(table)
    lines: list[str] = []
    if overview is not None and not overview[0].empty:
        lines += _overview_lines(*overview, width)
    for company, kind, periods, rows in series(table):
        themes = list(rows.themes)
        lines.append(f"{company_label(company)} · {KIND_LABELS.get(kind, kind)} · "
                     + (" → ".join(period_label(p) for p in periods) if len(periods) <= 4 else
                        f"{period_label(periods[0])} … {period_label(periods[-1])} ({len(periods)} periods)"))

        def cell(theme, period):
            now = rows.cell(theme, period)
            if not now:
                return " " * _CELL
            mark = TREND_MARKS.get(now.get("trend"), " ")
            return f"{pct(now['share']):>7} {tone_text(now):<6} {mark}"

        lines += _grid(themes, periods, cell, lambda p: period_label(p) + "    ", f"{'share tone':>{_CELL - 4}}    ",
                       width, _CELL)
        lines += _phrase_lines(phrases_of(phrases, company, kind), periods, width)
    if not lines:
        return "No calls to report on.\n"
    lines.append("Trend against the period before: ↑ rising, ↓ falling, → steady, + new, × gone;")
    lines.append(f"  rising or falling only when the {level(table)} interval on the change in share excludes zero.")
    lines.append(WEAK_NOTE)
    return "\n".join(escape.terminal(line[:width]) for line in lines) + "\n"


# ---------------------------------------------------------------- Markdown

def _md(text: str) -> str:
    return escape.markdown(text)  # one line; no cell break, link, code span or HTML


def _md_cell(cell: dict | None) -> str:
    if cell is None:
        return "–"
    if not cell["mentions"]:
        text = f"{pct(cell['share'])} (no mentions)"
    else:
        tone = tone_text(cell).replace("*", "\\*")  # a literal star, never emphasis
        text = f"**{pct(cell['share'])}** ({cell['mentions']} sent.), tone {tone}"
    trend = cell.get("trend")
    if cell.get("company") is None:
        text += f"<br>*{untrended(cell)}*"
    if trend is not None:
        text += f"<br>*{TREND_SYMBOLS[trend]}*"
        if cell.get("delta_share") is not None and trend != "absent":
            text += (f" {pts(cell['delta_share'])} pts [{pts(cell['delta_share_low'])},"
                     f" {pts(cell['delta_share_high'])}]")
    return text


def _md_overview(overview: pd.DataFrame, movers: pd.DataFrame) -> list[str]:
    periods = overview_span(overview)
    themes = list(dict.fromkeys(overview["theme"]))
    cells = {(r.theme, r.period): r for r in overview.itertuples(index=False)}
    first = overview.drop_duplicates("period")
    out = [f"## All companies — {int(first['calls'].sum())} call transcripts of "
           f"{_n_companies(overview)} companies", "",
           "Per period: companies mentioning the theme / companies with a call that period, and the "
           f"theme's share of all their sentences. {overview_periods(overview)}", "",
           "| Theme | " + " | ".join(period_label(p) for p in periods) + " |",
           "|---|" + "---|" * len(periods)]
    for theme in themes:
        row = [f"{cells[(theme, p)].companies_mentioning}/{cells[(theme, p)].companies} · "
               f"{pct(cells[(theme, p)].share)}" if (theme, p) in cells else "–" for p in periods]
        out.append(f"| {_md(theme)} | " + " | ".join(row) + " |")
    out.append("")
    if not movers.empty:
        out += ["Largest changes in share at each company's latest call:", "",
                "| Theme | largest rises | largest falls |", "|---|---|---|"]
        for theme in themes:
            parts = []
            for direction in ("rise", "fall"):
                rows = movers[(movers["theme"] == theme) & (movers["direction"] == direction)]
                parts.append("<br>".join(f"{_md(str(r.company))} {pts(r.delta_share)} pts ({r.period}, {r.trend})"
                                         for r in rows.itertuples(index=False)) or "–")
            out.append(f"| {_md(theme)} | {parts[0]} | {parts[1]} |")
        out.append("")
    return out


def _md_phrases(by_period: dict, periods: list) -> list[str]:
    if not by_period:
        return []
    out = ["What is new beyond the lexicons: the phrases whose use rose most against the company's "
           "earlier calls (weighted log-odds z-score).", "",
           "| Period | Phrase | Sentences (earlier calls) | z | Quote |", "|---|---|---|---|---|"]
    for period in periods:
        for r in by_period.get(period, []):
            out.append(f"| {period_label(period)} | **{_md(r['phrase'])}** | {r['count']} "
                       f"({r['previous_count']} in {_md(compared_with(r))}) | {r['z']:.2f} | "
                       f"“{_md(shorten(r['quote'], 160))}” — {_md(who({'quote_speaker': r['quote_speaker'], 'quote_role': r['quote_role']}))} |")
    out.append("")
    return out


def to_markdown(table: pd.DataFrame, *, phrases: pd.DataFrame | None = None,
                overview: tuple | None = None) -> str:
    """Markdown: the corpus overview (when given), then per company and kind a table of every
    period (oldest first) by theme.

    Each cell gives the share, the number of theme sentences and the tone, and from the second
    period on the trend with the change in share (percentage points) and its interval. The
    evidence quote of each cell follows, with speaker and role, then the new phrases of each
    period (``phrases``, from :func:`topictrack.new_phrases`).
    """
    check(table)
    out = ["# Theme trends", ""]
    all_series = series(table)
    if not all_series:
        return "# Theme trends\n\nNo calls to report on.\n"
    if overview is not None and not overview[0].empty:
        out += _md_overview(*overview)
    for company, kind, periods, rows in all_series:
        out.append(f"## {_md(company_label(company))} — {KIND_LABELS.get(kind, kind)}")
        out.append("")
        out.append("Periods: " + ", ".join(f"{period_label(p)} ({n} call{'s' if n != 1 else ''})"
                                           for p, n in ((p, rows.calls(p)) for p in periods)))
        out.append("")
        out.append("| Theme | " + " | ".join(period_label(p) for p in periods) + " |")
        out.append("|---|" + "---|" * len(periods))
        for theme in rows.themes:
            out.append(f"| {_md(theme)} | " + " | ".join(_md_cell(rows.cell(theme, p)) for p in periods)
                       + " |")
        out.append("")
        quoted = [(p, t, rows.cell(t, p)) for p in periods for t in rows.themes
                  if (rows.cell(t, p) or {}).get("quote")]
        if quoted:
            out += ["Evidence, one quote per period and theme:", ""]
            for period, theme, cell in quoted:
                out.append(f"- {period_label(period)} · {_md(theme)}: “{_md(shorten(cell['quote'], 200))}” — "
                           f"{_md(who(cell))}")
            out.append("")
        out += _md_phrases(phrases_of(phrases, company, kind), periods)
    out.append("Share: sentences carrying the theme / English sentences of the period's counted turns "
               "(boilerplate, Chinese-only turns and the second half of interpretation pairs left out). "
               "Tone: mean sentiment of the toned ones among them (those naming the theme first), -1 to +1; "
               + WEAK_NOTE.replace("*", "\\*") + f" Trend: rising or falling only when the {level(table)} interval on the "
               "change in share excludes zero. Analyst summaries are trended apart from call transcripts.")
    return "\n".join(out) + "\n"

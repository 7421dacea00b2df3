"""Reports on a trends table: terminal table, Markdown, JSON, CSV and a self-contained HTML page.

Every renderer takes the frame returned by :func:`topictrack.trends.theme_trends` and returns a
string; the same table always gives the same text (rows are sorted, floats rounded, no
timestamps). :func:`evidence` looks up the quotes behind one theme (and period) in the scored
turn table. :func:`trend_report` and :func:`report_evidence` go from files (or a saved scored table)
to the text in one call: what the ``report`` and ``evidence`` commands print.
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass
from importlib import resources

import pandas as pd

from topictrack import escape
from topictrack.errors import ConfigError
from topictrack.pipeline import scored_calls
from topictrack.pipeline.schema import theme_names
from topictrack.transcripts import normalise_period
from topictrack.trends import COLUMNS, period_key, theme_trends
from topictrack.trends import _none as _value

FORMATS = ("table", "markdown", "json", "csv", "html")

KIND_LABELS = {"transcript": "call transcripts", "summary": "analyst summaries"}
TREND_SYMBOLS = {"new": "new", "rising": "rising ↑", "steady": "steady →", "falling": "falling ↓",
                 "gone": "gone", "absent": "absent"}
_FLOAT_DIGITS = 6
EVIDENCE_COLUMNS = ["company", "kind", "period", "call_id", "path", "turn", "speaker", "role",
                    "section", "mentions", "confidence", "tone", "quote"]


# ---------------------------------------------------------------- helpers shared by renderers

def _check(table) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise ConfigError(f"expected the trends table (a pandas DataFrame), got {type(table).__name__}")
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise ConfigError("the trends table lacks column(s) " + ", ".join(missing)
                          + "; pass the table returned by topictrack.theme_trends()")
    return table


class _Series:
    """The trends rows of one company and kind, indexed by (theme, period)."""

    def __init__(self):
        self.periods: dict = {}
        self.themes: dict = {}
        self.cells: dict = {}

    def cell(self, theme: str, period) -> dict | None:
        return self.cells.get((theme, period))

    def values(self, column: str) -> list:
        return [c[column] for c in self.cells.values() if c[column] is not None]


def _series(table: pd.DataFrame):
    """(company, kind, periods in order, _Series) for each company x kind, in table order."""
    groups: dict[tuple, _Series] = {}
    for record in table[COLUMNS].to_dict("records"):
        record = {k: _value(v) for k, v in record.items()}
        series = groups.setdefault((record["company"], record["kind"]), _Series())
        series.periods[record["period"]] = None
        series.themes[record["theme"]] = None
        series.cells.setdefault((record["theme"], record["period"]), record)
    return [(company, kind, sorted(series.periods, key=period_key), series)
            for (company, kind), series in groups.items()]


def _latest_two(periods: list) -> tuple:
    """(latest, previous) period to compare; undated calls only when nothing is dated."""
    dated = [p for p in periods if p is not None] or periods
    return dated[-1], (dated[-2] if len(dated) > 1 else None)


def _themes(rows: _Series) -> list[str]:
    return list(rows.themes)


def _cell(rows: _Series, theme: str, period) -> dict | None:
    return rows.cell(theme, period)


def _pct(share) -> str:
    return "–" if share is None else f"{100 * share:.1f}%"


def _signed(value, digits: int = 2) -> str:
    """``+0.43`` / ``-0.06``; a value that rounds to zero prints as ``+0.00``, never ``-0.00``."""
    if value is None:
        return "–"
    return f"{round(value, digits) + 0.0:+.{digits}f}"


def _pts(value) -> str:
    return "–" if value is None else _signed(100 * value, 1)


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


def _who(cell: dict) -> str:
    """``Speaker (role)`` of a cell's quote; summaries and unnamed speakers say so."""
    speaker, role = cell.get("quote_speaker"), cell.get("quote_role")
    if speaker is None and cell.get("kind") == "summary":
        return "analyst summary"
    known_role = role if role and role != "unknown" else None
    if speaker is None:
        return f"unnamed {known_role} speaker" if known_role else "unnamed speaker"
    return f"{speaker} ({known_role})" if known_role else speaker


def _level(table: pd.DataFrame) -> str:
    """The interval level the trends were computed at, e.g. ``"95%"``."""
    return f"{100 * table.attrs.get('confidence', 0.95):g}%"


def _company(company) -> str:
    return company if company is not None else "Unknown company"


def _period(period) -> str:
    return period if period is not None else "undated"


# ---------------------------------------------------------------- JSON and CSV

def _records(table: pd.DataFrame) -> list[dict]:
    records = []
    for row in table[COLUMNS].itertuples(index=False):
        record = {}
        for column, value in zip(COLUMNS, row):
            value = _value(value)
            if isinstance(value, float):
                value = round(value, _FLOAT_DIGITS)
            elif hasattr(value, "item"):  # numpy scalars
                value = value.item()
            record[column] = value
        records.append(record)
    return records


def to_json(table: pd.DataFrame) -> str:
    """A JSON list of records, one per trends row, every column of :data:`topictrack.trends.COLUMNS`.

    Floats are rounded to 6 decimals and nulls are ``null``, so equal inputs give byte-identical text.
    """
    return json.dumps(_records(_check(table)), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def to_csv(table: pd.DataFrame) -> str:
    """The trends table as CSV with a header row (floats rounded to 6 decimals, nulls empty)."""
    frame = pd.DataFrame(_records(_check(table)), columns=COLUMNS)
    return escape.csv_frame(frame).to_csv(index=False, lineterminator="\n")  # no formulas


# ---------------------------------------------------------------- terminal table

def to_table(table: pd.DataFrame, *, width: int = 100) -> str:
    """Plain-text tables, one per company and kind, fitting ``width`` columns (100 by default).

    Each row is a theme: share and tone in the previous and the latest period, the change in share
    in percentage points with its interval, and the trend.
    """
    _check(table)
    lines = []
    for company, kind, periods, rows in _series(table):
        current, previous = _latest_two(periods)
        themes = _themes(rows)
        name_width = max(12, min(24, max(len(t) for t in themes) + 2))
        lines.append(f"{_company(company)} · {KIND_LABELS.get(kind, kind)} · "
                     + (" → ".join(_period(p) for p in periods) if len(periods) <= 4 else
                        f"{_period(periods[0])} … {_period(periods[-1])} ({len(periods)} periods)"))
        head = (f"{'':<{name_width}}{_period(previous) if previous else '(none)':^16}"
                f"{_period(current):^16}  {'change in share':<26}{'trend'}")
        sub = (f"{'theme':<{name_width}}{'share':>8}{'tone':>7} {'share':>8}{'tone':>7}   "
               f"{'pts [' + _level(table) + ' interval]':<25}")
        lines += [head.rstrip(), sub.rstrip(), "-" * (name_width + 32 + 2 + 26 + 10)]
        for theme in themes:
            now = _cell(rows, theme, current) or {}
            before = _cell(rows, theme, previous) if previous else None
            name = theme if len(theme) < name_width - 1 else theme[: name_width - 2] + "…"
            prev_text = (f"{_pct(before['share']):>8}{_signed(before['tone']):>7}" if before
                         else f"{'':>15}")
            change = ""
            if now.get("delta_share") is not None:
                change = (f"{_pts(now['delta_share'])} [{_pts(now['delta_share_low'])},"
                          f" {_pts(now['delta_share_high'])}]")
            trend = TREND_SYMBOLS.get(now.get("trend")) or _untrended(now)
            lines.append((f"{name:<{name_width}}{prev_text} {_pct(now.get('share')):>8}"
                          f"{_signed(now.get('tone')):>7}   {change:<25}{trend}").rstrip())
        lines.append("")
    if not lines:
        return "No calls to report on.\n"
    return "\n".join(escape.terminal(line[:width]) for line in lines)


# ---------------------------------------------------------------- Markdown

def _md(text: str) -> str:
    return escape.markdown(text)  # one line; no cell break, link, code span or HTML


def _md_cell(cell: dict | None) -> str:
    if cell is None:
        return "–"
    if not cell["mentions"]:
        return f"{_pct(cell['share'])} (no mentions)"
    text = f"**{_pct(cell['share'])}** ({cell['mentions']} sent.), tone {_signed(cell['tone'])}"
    if cell.get("quote"):
        text += f"<br>“{_md(shorten(cell['quote'], 150))}” — {_md(_who(cell))}"
    return text


def _untrended(cell: dict | None) -> str:
    """What a cell without a trend says: a company's first period, or calls of unknown company."""
    if cell and cell.get("company") is None and cell.get("period") is not None:
        return "not trended"
    return "first period"


def _md_trend(cell: dict | None) -> str:
    if cell is None or cell.get("trend") is None:
        return _untrended(cell)
    text = f"**{TREND_SYMBOLS[cell['trend']]}**"
    if cell.get("delta_share") is not None and cell["trend"] != "absent":
        text += (f"<br>{_pts(cell['delta_share'])} pts [{_pts(cell['delta_share_low'])},"
                 f" {_pts(cell['delta_share_high'])}]")
    if cell.get("delta_tone") is not None:
        text += f"<br>tone {_signed(cell['delta_tone'])}"
    return text


def to_markdown(table: pd.DataFrame) -> str:
    """Markdown: per company and kind, ``Theme | previous period | current period | trend``.

    Each period cell gives the share, the number of theme sentences, the tone and one short evidence
    quote with speaker and role; the trend cell gives the change in share (percentage points) with
    its interval and the change in tone.
    """
    _check(table)
    out = ["# Theme trends", ""]
    series = _series(table)
    if not series:
        return "# Theme trends\n\nNo calls to report on.\n"
    for company, kind, periods, rows in series:
        current, previous = _latest_two(periods)
        calls = {_period(p): int(_cell(rows, _themes(rows)[0], p)["calls"]) for p in periods}
        out.append(f"## {_md(_company(company))} — {KIND_LABELS.get(kind, kind)}")
        out.append("")
        out.append("Periods: " + ", ".join(f"{p} ({n} call{'s' if n != 1 else ''})"
                                           for p, n in calls.items()))
        out.append("")
        out.append(f"| Theme | {_period(previous) if previous else 'previous period'} "
                   f"| {_period(current)} | trend |")
        out.append("|---|---|---|---|")
        for theme in _themes(rows):
            now = _cell(rows, theme, current)
            before = _cell(rows, theme, previous) if previous else None
            out.append(f"| {_md(theme)} | {_md_cell(before)} | {_md_cell(now)} | {_md_trend(now)} |")
        out.append("")
    out.append("Share: sentences carrying the theme / English sentences of the period's counted turns "
               "(boilerplate, Chinese-only turns and the second half of interpretation pairs left out). "
               "Tone: mean sentiment of the toned ones among them (those naming the theme first), -1 to +1. "
               f"Trend: rising or falling only when the {_level(table)} interval on the change in share "
               "excludes zero. Analyst summaries are trended apart from call transcripts.")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- evidence

def evidence(scored: pd.DataFrame, theme: str, *, period: str | None = None,
             company: str | None = None) -> pd.DataFrame:
    """The quotes behind a theme: one row per counted turn that carries it.

    Columns: ``company``, ``kind``, ``period``, ``call_id``, ``path``, ``turn``, ``speaker``,
    ``role``, ``section``, ``mentions`` (theme sentences in the turn), ``confidence`` (the turn's
    ``conf_T``), ``tone`` (``tone_T``), ``quote`` (``quote_T``, the turn's most confident sentence).
    Sorted by company, kind, period (chronologically), confidence (highest first), call and turn.
    Raises :class:`~topictrack.errors.ConfigError` for an unknown theme, a malformed period or a
    period (or company) absent from the table.
    """
    known = theme_names(scored)
    if theme not in known:
        raise ConfigError(f"unknown theme {theme!r}; known themes: {', '.join(sorted(known))}")
    rows = scored[scored["counted"].fillna(False).astype(bool)]
    if company is not None:
        companies = sorted({c for c in scored["company"].dropna()})
        if company not in companies:
            raise ConfigError(f"company {company!r} is not in the scored calls; companies present: "
                              + (", ".join(companies) or "none"))
        rows = rows[rows["company"] == company]
    if period is not None:
        wanted = normalise_period(str(period))
        if wanted is None:
            raise ConfigError(f"period {period!r} is invalid; expected a year and quarter such as 2025Q1")
        present = sorted({p for p in scored["period"].dropna()}, key=period_key)
        period = wanted
        if period not in present:
            raise ConfigError(f"period {period!r} has no calls; periods present: "
                              + (", ".join(present) or "none"))
        rows = rows[rows["period"] == period]
    rows = rows[rows[f"mentions_{theme}"].fillna(0) > 0]
    frame = pd.DataFrame({
        "company": rows["company"], "kind": rows["kind"], "period": rows["period"],
        "call_id": rows["call_id"], "path": rows["path"] if "path" in rows else None,
        "turn": rows["turn"].astype("int64"), "speaker": rows["speaker"], "role": rows["role"],
        "section": rows["section"], "mentions": rows[f"mentions_{theme}"].astype("int64"),
        "confidence": rows[f"conf_{theme}"].astype("float64"),
        "tone": rows[f"tone_{theme}"].astype("float64"), "quote": rows[f"quote_{theme}"],
    }, columns=EVIDENCE_COLUMNS)
    if frame.empty:
        return frame.reset_index(drop=True)
    frame["_period"] = frame["period"].map(period_key)
    frame["_kind"] = frame["kind"].map(lambda k: 0 if k == "transcript" else 1)
    frame = frame.sort_values(["company", "_kind", "_period", "confidence", "call_id", "turn"],
                              ascending=[True, True, True, False, True, True], kind="mergesort")
    return frame.drop(columns=["_period", "_kind"]).reset_index(drop=True)


def format_evidence(frame: pd.DataFrame, theme: str) -> str:
    """Plain text of an :func:`evidence` frame, grouped by company, kind and period."""
    if frame.empty:
        return f"No counted sentences carry {theme}.\n"
    out = []
    for (company, kind, period), rows in frame.groupby(["company", "kind", "period"], sort=False,
                                                       dropna=False):
        company, period = _value(company), _value(period)
        out.append(f"{theme} · {_company(company)} · {KIND_LABELS.get(kind, kind)} · "
                   f"{_period(period)} ({len(rows)} turn{'s' if len(rows) != 1 else ''})")
        for row in rows.itertuples(index=False):
            who = _who({"quote_speaker": _value(row.speaker), "quote_role": _value(row.role),
                        "kind": kind})
            out.append(f"  [{row.confidence:.2f}] {who}, {row.section}, turn {row.turn}, "
                       f"tone {_signed(_value(row.tone))}:")
            out.append(f"    “{shorten(row.quote, 10_000)}”")
        out.append("")
    return "\n".join(escape.terminal(line) for line in out)


# ---------------------------------------------------------------- HTML

def _mix(low: tuple, high: tuple, t: float) -> str:
    t = min(1.0, max(0.0, t))
    return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(low, high))


def _heat(share, top: float) -> tuple[str, str]:
    """Background and text colour of a heatmap cell (white to deep blue by share / top share)."""
    if not share or not top:
        return "#f6f7f9", "#1d2433"
    t = math.sqrt(share / top)
    return _mix((236, 243, 251), (23, 76, 148), t), ("#ffffff" if t > 0.55 else "#1d2433")


def _tone_colour(tone) -> str:
    if tone is None:
        return "#9aa3b2"
    if tone >= 0:
        return _mix((120, 128, 140), (22, 135, 72), min(1.0, tone / 0.5))
    return _mix((120, 128, 140), (196, 43, 43), min(1.0, -tone / 0.5))


_PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
            "#7f7f7f", "#bcbd22"]


def _breakable(theme: str) -> str:
    """A theme name as HTML; long names may wrap after their underscores, never inside a word."""
    if len(theme) <= 20:
        return f'<span class="nowrap">{html.escape(theme)}</span>'
    return "_<wbr>".join(html.escape(part) for part in theme.split("_"))


def _tone_chart(rows: _Series, periods: list, themes: list[str]) -> str:
    """Inline SVG: tone of each theme by period, one coloured line per theme."""
    left, right, top, bottom = 46, 190, 14, 30
    width, height = max(560, left + right + 90 * len(periods)), 230
    tones = rows.values("tone")
    span = min(1.0, math.ceil(max([0.2] + [abs(v) for v in tones]) * 5 - 1e-9) / 5)
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(i):
        return left + (plot_w * (i + 0.5) / len(periods))

    def y(v):
        return top + plot_h * (span - v) / (2 * span)

    e = html.escape
    parts = [f'<svg class="tone-chart" viewBox="0 0 {width} {height}" width="{width}" role="img" '
             f'aria-label="Tone by period">']
    for tick in (-span, -span / 2, 0.0, span / 2, span):
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
                     f'class="{"zero" if tick == 0 else "grid"}"/>')
        parts.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" class="tick" text-anchor="end">'
                     f'{tick:+.2f}</text>')
    for i, period in enumerate(periods):
        parts.append(f'<text x="{x(i):.1f}" y="{height - 8}" class="tick" text-anchor="middle">'
                     f'{e(_period(period))}</text>')
    for n, theme in enumerate(themes):
        colour = _PALETTE[n % len(_PALETTE)]
        points = []
        for i, period in enumerate(periods):
            cell = _cell(rows, theme, period)
            if cell and cell["tone"] is not None:
                points.append((x(i), y(cell["tone"]), cell["tone"]))
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _ in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for px, py, tone in points:
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{colour}">'
                         f'<title>{e(theme)}: tone {tone:+.2f}</title></circle>')
        ly = top + 8 + n * 18
        parts.append(f'<rect x="{left + plot_w + 14}" y="{ly - 8}" width="12" height="4" '
                     f'fill="{colour}"/><text x="{left + plot_w + 32}" y="{ly - 2}" '
                     f'class="legend">{e(shorten(theme, 26))}<title>{e(theme)}</title></text>')
    parts.append("</svg>")
    return "".join(parts)


_HTML_KEY = (
    '<dl class="key"><dt>share</dt><dd>sentences carrying the theme / English sentences of the '
    "period (boilerplate, Chinese-only turns and repeated interpretations left out)</dd>"
    "<dt>tone</dt><dd>mean sentiment of the toned ones among them (those naming the theme first), -1 to +1</dd>"
    "<dt>rising / falling</dt><dd>the {level} interval on the change in share excludes zero</dd>"
    "<dt>steady</dt><dd>mentioned in both periods, no clear change</dd>"
    "<dt>new / gone</dt><dd>not mentioned in the previous / the latest period</dd></dl>"
)


def _html_series(company, kind, periods, rows, level: str) -> str:
    e = html.escape
    themes = _themes(rows)
    top = max(rows.values("share") + [0.0])
    latest = periods[-1]
    out = [f'<section class="series"><h2>{e(_company(company))} '
           f'<span class="kind">{e(KIND_LABELS.get(kind, kind))}</span></h2>']
    calls = ", ".join(f"{e(_period(p))}: {int(_cell(rows, themes[0], p)['calls'])} call"
                      + ("s" if int(_cell(rows, themes[0], p)["calls"]) != 1 else "") for p in periods)
    out.append(f'<p class="meta">{calls}. Share = theme sentences / English sentences of the '
               f'period; tone from -1 to +1.</p>')
    layout = "panels wide" if len(periods) > 3 else "panels"
    out.append(f'<div class="{layout}"><div class="panel"><h3>Share of sentences by theme and period'
               '</h3><table class="heatmap"><thead><tr><th>Theme</th>')
    out += [f"<th>{e(_period(p))}</th>" for p in periods]
    out.append(f"<th>Trend {e(_period(latest))}</th></tr></thead><tbody>")
    for theme in themes:
        out.append(f'<tr><th scope="row">{_breakable(theme)}</th>')
        for period in periods:
            cell = _cell(rows, theme, period) or {}
            bg, fg = _heat(cell.get("share"), top)
            tip = e(f"{shorten(cell.get('quote'), 600)} — {_who(cell)}") if cell.get("quote") else ""
            tone = cell.get("tone")
            chip = (f'<span class="tone" style="background:{_tone_colour(tone)}">tone '
                    f'{_signed(tone)}</span>' if tone is not None
                    else '<span class="tone none">no mentions</span>')
            out.append(
                f'<td class="heat" style="background:{bg};color:{fg}" title="{tip}">'
                f'<span class="share">{_pct(cell.get("share"))}</span>'
                f'<span class="n">{cell.get("mentions", 0)} sent.</span>{chip}</td>')
        now = _cell(rows, theme, latest) or {}
        trend = now.get("trend")
        detail = ""
        if now.get("delta_share") is not None and trend != "absent":
            detail = (f'<span class="delta">{_pts(now["delta_share"])} pts '
                      f'[{_pts(now["delta_share_low"])}, {_pts(now["delta_share_high"])}]</span>')
        out.append(f'<td class="trend"><span class="badge {e(trend or "first")}">'
                   f'{e(TREND_SYMBOLS.get(trend) or _untrended(now))}</span>{detail}</td></tr>')
    out.append("</tbody></table></div>")
    out.append('<div class="panel"><h3>Tone by period</h3>'
               + _tone_chart(rows, periods, themes) + _HTML_KEY.format(level=level)
               + "</div></div>")
    out.append('<h3>Evidence</h3><div class="scroll"><table class="evidence"><thead><tr><th>Theme</th>')
    out += [f"<th>{e(_period(p))}</th>" for p in periods]
    out.append("</tr></thead><tbody>")
    for theme in themes:
        out.append(f'<tr><th scope="row">{_breakable(theme)}</th>')
        for period in periods:
            cell = _cell(rows, theme, period) or {}
            if cell.get("quote"):
                out.append(f'<td><blockquote>“{e(shorten(cell["quote"], 320))}”</blockquote>'
                           f'<cite>{e(_who(cell))}</cite></td>')
            else:
                out.append('<td class="none">no mention</td>')
        out.append("</tr>")
    out.append("</tbody></table></div></section>")
    return "".join(out)


def to_html(table: pd.DataFrame, *, title: str = "Theme trends") -> str:
    """One self-contained HTML page (inline CSS and SVG; nothing is fetched from anywhere).

    Per company and kind: a heatmap of share by theme x period (each cell with share, mention
    count and tone), the trend of the latest period with its interval, a chart of tone by period,
    and the evidence quote of every cell with speaker and role.
    """
    _check(table)
    e = html.escape
    body = [_html_series(*s, _level(table)) for s in _series(table)] or ['<p class="meta">No calls to report on.</p>']
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{e(title)}</title><style>{stylesheet()}</style></head><body>"
            f"<header><h1>{e(title)}</h1><p>Rising or falling only when the {_level(table)} interval on the "
            "change in share excludes zero. Analyst summaries are trended apart from call "
            "transcripts.</p></header><main>" + "".join(body) + "</main></body></html>\n")


def render(table: pd.DataFrame, format: str = "markdown") -> str:
    """Render a trends table in one of :data:`FORMATS`."""
    renderers = {"table": to_table, "markdown": to_markdown, "json": to_json, "csv": to_csv,
                 "html": to_html}
    if format not in renderers:
        raise ConfigError(f"format {format!r} is unknown; expected one of {', '.join(FORMATS)}")
    return renderers[format](table)


def stylesheet() -> str:
    """The CSS inlined in HTML reports (shipped as ``topictrack/resources/report.css``)."""
    return resources.files("topictrack.resources").joinpath("report.css").read_text(encoding="utf-8")


# ---------------------------------------------------------------- from files to text


@dataclass
class Rendered:
    """What :func:`trend_report` and :func:`report_evidence` return: the ``text`` and the files that
    could not be scored (``failures``: columns ``path`` and ``error``; empty when all were)."""

    text: str
    failures: pd.DataFrame


def trend_report(paths=None, *, format: str = "markdown", company=None, manifest=None, lexicons=None,
           scored=None, confidence: float = 0.95) -> Rendered:
    """The trends report of the calls in ``paths`` (default: the bundled calls), or of the scored
    table saved at ``scored``: :func:`topictrack.pipeline.scored_calls`, then
    :func:`topictrack.trends.theme_trends`, then :func:`render` in ``format``."""
    if format not in FORMATS:
        raise ConfigError(f"format {format!r} is unknown; expected one of {', '.join(FORMATS)}")
    table, failures = scored_calls(paths, company=company, manifest=manifest, lexicons=lexicons,
                                   scored=scored)
    return Rendered(render(theme_trends(table, confidence=confidence), format), failures)


def report_evidence(theme: str, paths=None, *, period=None, company=None, manifest=None,
                    lexicons=None, scored=None) -> Rendered:
    """The quotes behind ``theme`` (:func:`evidence`, then :func:`format_evidence`) in the calls of
    ``paths`` (default: the bundled calls) or the scored table saved at ``scored``. An unknown
    theme fails before anything is scored."""
    table, failures = scored_calls(paths, company=company, manifest=manifest, lexicons=lexicons,
                                   scored=scored, theme=theme)
    return Rendered(format_evidence(evidence(table, theme, period=period), theme), failures)

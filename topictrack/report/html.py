"""The HTML format: one self-contained page (inline CSS and SVG; nothing is fetched from anywhere)."""

from __future__ import annotations

import html
import math
from importlib import resources

import pandas as pd

from topictrack.trends import MIN_TONED

from topictrack.report.common import (
    KIND_LABELS, TREND_SYMBOLS, check, company_label, compared_with, level, overview_periods, overview_span,
    pct, period_label, phrases_of, pts, series, shorten, signed, tone_text, weak_tone, who,
)

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


def _tone_chart(rows, periods: list, themes: list[str]) -> str:
    """Inline SVG: tone of each theme by period, one coloured line per theme.

    A line joins only adjacent periods that both have a tone of enough support; a weak tone (see
    :func:`~topictrack.report.common.weak_tone`) is a hollow ring, never a line point; a period
    without mentions has no mark and breaks the line. Each theme's marks sit slightly apart
    horizontally so equal tones do not hide each other.
    """
    left, right, top, bottom = 46, 190, 14, 30
    width, height = max(560, left + right + 90 * len(periods)), 230
    tones = rows.values("tone")
    span = min(1.0, math.ceil(max([0.2] + [abs(v) for v in tones]) * 5 - 1e-9) / 5)
    plot_w, plot_h = width - left - right, height - top - bottom
    dodge = min(6.0, 0.5 * plot_w / len(periods) / max(1, len(themes)))

    def x(i, n=None):
        centre = left + (plot_w * (i + 0.5) / len(periods))
        return centre if n is None else centre + dodge * (n - (len(themes) - 1) / 2)

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
                     f'{e(period_label(period))}</text>')
    for n, theme in enumerate(themes):
        colour = _PALETTE[n % len(_PALETTE)]
        run: list[tuple] = []
        runs = [run]
        marks = []
        for i, period in enumerate(periods):
            cell = rows.cell(theme, period)
            if not cell or cell["tone"] is None or not cell["mentions"]:
                run = []
                runs.append(run)
                continue
            point = (x(i, n), y(cell["tone"]), cell)
            marks.append(point)
            if weak_tone(cell):
                run = []
                runs.append(run)
            else:
                run.append(point)
        for points in runs:
            if len(points) > 1:
                path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _ in points)
                parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for px, py, cell in marks:
            toned = cell.get("toned") or 0
            tip = e(f"{theme} {period_label(cell['period'])}: tone {cell['tone']:+.2f} from {toned} "
                    f"toned sentence{'s' if toned != 1 else ''}")
            if weak_tone(cell):
                parts.append(f'<circle class="weak" cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="#fff" '
                             f'stroke="{colour}" stroke-width="1.5" stroke-opacity=".55"><title>{tip}'
                             '</title></circle>')
            else:
                parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{colour}">'
                             f'<title>{tip}</title></circle>')
        ly = top + 8 + n * 18
        parts.append(f'<rect x="{left + plot_w + 14}" y="{ly - 8}" width="12" height="4" '
                     f'fill="{colour}"/><text x="{left + plot_w + 32}" y="{ly - 2}" '
                     f'class="legend">{e(shorten(theme, 26))}<title>{e(theme)}</title></text>')
    parts.append("</svg>")
    return "".join(parts)


_HTML_KEY = (
    '<dl class="key"><dt>share</dt><dd>sentences carrying the theme / English sentences of the '
    "period (boilerplate, Chinese-only turns and repeated interpretations left out)</dd>"
    "<dt>tone</dt><dd>mean sentiment of the toned ones among them (those naming the theme first), "
    "-1 to +1; greyed, and a hollow ring in the chart, when from fewer than {minimum} toned sentences</dd>"
    "<dt>rising / falling</dt><dd>the {level} interval on the change in share excludes zero</dd>"
    "<dt>steady</dt><dd>mentioned in both periods, no clear change</dd>"
    "<dt>new / gone</dt><dd>not mentioned in the previous / this period</dd></dl>"
)


def _heat_cell(cell: dict, top: float) -> str:
    e = html.escape
    bg, fg = _heat(cell.get("share"), top)
    tip = e(f"{shorten(cell.get('quote'), 600)} — {who(cell)}") if cell.get("quote") else ""
    tone = cell.get("tone")
    if tone is None:
        chip = '<span class="tone none">no mentions</span>'
    elif weak_tone(cell):
        chip = (f'<span class="tone weak" title="from {cell.get("toned") or 0} toned sentence(s)">'
                f'tone {tone_text(cell)}</span>')
    else:
        chip = f'<span class="tone" style="background:{_tone_colour(tone)}">tone {signed(tone)}</span>'
    trend = cell.get("trend")
    mark = ""
    if trend is not None:
        detail = (f' title="{pts(cell["delta_share"])} pts [{pts(cell["delta_share_low"])}, '
                  f'{pts(cell["delta_share_high"])}] vs {e(period_label(cell["previous_period"]))}"'
                  if cell.get("delta_share") is not None else "")
        mark = f'<span class="badge {e(trend)}"{detail}>{e(TREND_SYMBOLS[trend])}</span>'
    return (f'<td class="heat" style="background:{bg};color:{fg}" title="{tip}">'
            f'<span class="share">{pct(cell.get("share"))}</span>'
            f'<span class="n">{cell.get("mentions", 0)} sent.</span>{chip}{mark}</td>')


def _anchor(company, kind) -> str:
    """The id of a company's section: letters and digits of its name and kind, joined by '-'."""
    words = "".join(c if c.isalnum() else " " for c in f"{company_label(company)} {kind}".lower()).split()
    return "-".join(words) or "series"


def _contents(all_series: list) -> str:
    e = html.escape
    links = [f'<a href="#{_anchor(company, kind)}">{e(company_label(company))}'
             + (f" ({e(KIND_LABELS.get(kind, kind))})" if kind != "transcript" else "") + "</a>"
             for company, kind, _, _ in all_series]
    return f'<nav class="contents">{" · ".join(links)}</nav>'


def _phrases_html(by_period: dict, periods: list) -> str:
    if not by_period:
        return ""
    e = html.escape
    out = ['<h3>New phrases: what rose most against the company\'s earlier calls</h3>'
           '<div class="scroll"><table class="phrases"><thead><tr><th>Period</th><th>Phrase</th>'
           '<th>Sentences now</th><th>Earlier calls</th><th>Quote</th></tr></thead><tbody>']
    for period in periods:
        for r in by_period.get(period, []):
            out.append(f'<tr><td>{e(period_label(period))}</td><th scope="row">{e(r["phrase"])}</th>'
                       f'<td class="num">{r["count"]}</td>'
                       f'<td class="num">{r["previous_count"]} in {e(compared_with(r))}</td>'
                       f'<td><blockquote>“{e(shorten(r["quote"], 260))}”</blockquote><cite>'
                       f'{e(who({"quote_speaker": r["quote_speaker"], "quote_role": r["quote_role"]}))}'
                       '</cite></td></tr>')
    out.append("</tbody></table></div>")
    return "".join(out)


def _html_series(company, kind, periods, rows, level_text: str, phrases) -> str:
    e = html.escape
    themes = list(rows.themes)
    top = max(rows.values("share") + [0.0])
    out = [f'<section class="series" id="{_anchor(company, kind)}"><h2>{e(company_label(company))} '
           f'<span class="kind">{e(KIND_LABELS.get(kind, kind))}</span></h2>']
    calls = ", ".join(f"{e(period_label(p))}: {rows.calls(p)} call" + ("s" if rows.calls(p) != 1 else "")
                      for p in periods)
    out.append(f'<p class="meta">{calls}. Share = theme sentences / English sentences of the '
               f'period; tone from -1 to +1; the badge is the trend against the period before.</p>')
    layout = "panels wide" if len(periods) > 3 else "panels"
    out.append(f'<div class="{layout}"><div class="panel"><h3>Share of sentences by theme and period'
               '</h3><div class="scroll"><table class="heatmap"><thead><tr><th>Theme</th>')
    out += [f"<th>{e(period_label(p))}</th>" for p in periods]
    out.append("</tr></thead><tbody>")
    for theme in themes:
        out.append(f'<tr><th scope="row">{_breakable(theme)}</th>')
        out += [_heat_cell(rows.cell(theme, p) or {}, top) for p in periods]
        out.append("</tr>")
    out.append("</tbody></table></div></div>")
    out.append('<div class="panel"><h3>Tone by period</h3><div class="scroll">'
               + _tone_chart(rows, periods, themes) + "</div>"
               + _HTML_KEY.format(level=level_text, minimum=MIN_TONED) + "</div></div>")
    many = len(periods) > 4
    out.append('<h3>Evidence</h3><div class="scroll"><table class="evidence' + (' many' if many else '')
               + '"><thead><tr><th>Theme</th>')
    out += [f"<th>{e(period_label(p))}</th>" for p in periods]
    out.append("</tr></thead><tbody>")
    for theme in themes:
        out.append(f'<tr><th scope="row">{_breakable(theme)}</th>')
        for period in periods:
            cell = rows.cell(theme, period) or {}
            if cell.get("quote"):
                out.append(f'<td><blockquote>“{e(shorten(cell["quote"], 180 if many else 320))}”</blockquote>'
                           f'<cite>{e(who(cell))}</cite></td>')
            else:
                out.append('<td class="none">no mention</td>')
        out.append("</tr>")
    out.append("</tbody></table></div>")
    out.append(_phrases_html(phrases_of(phrases, company, kind), periods))
    out.append("</section>")
    return "".join(out)


def _overview_html(overview: pd.DataFrame, movers: pd.DataFrame) -> str:
    e = html.escape
    periods = overview_span(overview)
    themes = list(dict.fromkeys(overview["theme"]))
    cells = {(r.theme, r.period): r for r in overview.itertuples(index=False)}
    calls = int(overview.drop_duplicates("period")["calls"].sum())
    top = float(overview["share"].max() or 0.0)
    out = [f'<section class="series overview"><h2>All companies <span class="kind">{calls} call '
           f'transcripts of {overview.attrs.get("companies", "")} companies</span></h2>'
           '<p class="meta">Per period: companies mentioning the theme / companies with a call that '
           f"period, and the theme's share of all their sentences. {e(overview_periods(overview))}"
           '</p><div class="scroll"><table class="heatmap"><thead><tr><th>Theme</th>']
    out += [f"<th>{e(period_label(p))}</th>" for p in periods]
    out.append("</tr></thead><tbody>")
    for theme in themes:
        out.append(f'<tr><th scope="row">{_breakable(theme)}</th>')
        for period in periods:
            row = cells.get((theme, period))
            if row is None:
                out.append('<td class="none">–</td>')
                continue
            bg, fg = _heat(row.share, top)
            out.append(f'<td class="heat" style="background:{bg};color:{fg}"><span class="share">'
                       f'{pct(row.share)}</span><span class="n">{row.companies_mentioning}/{row.companies} '
                       "companies</span></td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    if not movers.empty:
        out.append("<h3>Largest changes in share at each company's latest call</h3><div class=\"scroll\">"
                   '<table class="movers"><thead><tr><th>Theme</th><th>Largest rises</th>'
                   "<th>Largest falls</th></tr></thead><tbody>")
        for theme in themes:
            out.append(f'<tr><th scope="row">{_breakable(theme)}</th>')
            for direction in ("rise", "fall"):
                rows = movers[(movers["theme"] == theme) & (movers["direction"] == direction)]
                out.append("<td>" + ("<br>".join(
                    f"{e(str(r.company))} {pts(r.delta_share)} pts <span class=\"delta\">({e(r.period)}, "
                    f"{e(str(r.trend))})</span>" for r in rows.itertuples(index=False)) or "–") + "</td>")
            out.append("</tr>")
        out.append("</tbody></table></div>")
    out.append("</section>")
    return "".join(out)


def to_html(table: pd.DataFrame, *, title: str = "Theme trends", phrases: pd.DataFrame | None = None,
            overview: tuple | None = None) -> str:
    """One self-contained HTML page (inline CSS and SVG; nothing is fetched from anywhere).

    The corpus overview first (when given). Per company and kind: a heatmap of share by theme x
    period (each cell with share, mention count, tone and the trend against the period before), a
    chart of tone by period, the evidence quote of every cell with speaker and role, and the new
    phrases of each period (``phrases``). The page fits a 1366-pixel window; wide tables scroll
    inside their own box.
    """
    check(table)
    e = html.escape
    all_series = series(table)
    body = [_overview_html(*overview)] if overview is not None and not overview[0].empty else []
    if len(all_series) > 1:
        body.append(_contents(all_series))
    body += [_html_series(*s, level(table), phrases) for s in all_series]
    if not body:
        body = ['<p class="meta">No calls to report on.</p>']
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{e(title)}</title><style>{stylesheet()}</style></head><body>"
            f"<header><h1>{e(title)}</h1><p>Rising or falling only when the {level(table)} interval on the "
            "change in share excludes zero. Analyst summaries are trended apart from call "
            "transcripts.</p></header><main>" + "".join(body) + "</main></body></html>\n")


def stylesheet() -> str:
    """The CSS inlined in HTML reports (shipped as ``topictrack/resources/report.css``)."""
    return resources.files("topictrack.resources").joinpath("report.css").read_text(encoding="utf-8")

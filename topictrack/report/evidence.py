"""The quotes behind a theme: :func:`evidence` looks them up in the scored turn table."""

from __future__ import annotations

import pandas as pd

from topictrack import escape
from topictrack.errors import ConfigError
from topictrack.pipeline.schema import theme_names
from topictrack.report.common import KIND_LABELS, company_label, period_label, shorten, signed, value_of, who
from topictrack.transcripts import normalise_period
from topictrack.trends import period_key, select_companies

EVIDENCE_COLUMNS = ["company", "kind", "period", "call_id", "path", "turn", "speaker", "role",
                    "section", "mentions", "confidence", "tone", "quote"]

def evidence(scored: pd.DataFrame, theme: str, *, period: str | None = None,
             company=None) -> pd.DataFrame:
    """The quotes behind a theme: one row per counted turn that carries it.

    Columns: ``company``, ``kind``, ``period``, ``call_id``, ``path``, ``turn``, ``speaker``,
    ``role``, ``section``, ``mentions`` (theme sentences in the turn), ``confidence`` (the turn's
    ``conf_T``), ``tone`` (``tone_T``), ``quote`` (``quote_T``, the turn's most confident sentence).
    Sorted by company, kind, period (chronologically), confidence (highest first), call and turn.
    Raises :class:`~topictrack.errors.ConfigError` for an unknown theme, a malformed period or a
    period absent from the table, or a company (a name or a list of names, matched
    case-insensitively) absent from it.
    """
    known = theme_names(scored)
    if theme not in known:
        raise ConfigError(f"unknown theme {theme!r}; known themes: {', '.join(sorted(known))}")
    rows = scored[scored["counted"].fillna(False).astype(bool)]
    if company:
        rows = select_companies(rows, [company] if isinstance(company, str) else list(company))
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
        company, period = value_of(company), value_of(period)
        out.append(f"{theme} · {company_label(company)} · {KIND_LABELS.get(kind, kind)} · "
                   f"{period_label(period)} ({len(rows)} turn{'s' if len(rows) != 1 else ''})")
        for row in rows.itertuples(index=False):
            speaker = who({"quote_speaker": value_of(row.speaker), "quote_role": value_of(row.role),
                        "kind": kind})
            out.append(f"  [{row.confidence:.2f}] {speaker}, {row.section}, turn {row.turn}, "
                       f"tone {signed(value_of(row.tone))}:")
            out.append(f"    “{shorten(row.quote, 10_000)}”")
        out.append("")
    return "\n".join(escape.terminal(line) for line in out)


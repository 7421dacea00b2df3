"""Quarter-over-quarter trends: scored turns -> one row per company x kind x period x theme.

The input is the scored turn table of :func:`topictrack.pipeline.score` (one row per turn, with
``counted``, ``n_sentences``, ``n_words`` and, per theme ``T``, ``mentions_T``, ``toned_T``,
``tone_T``, ``conf_T`` and ``quote_T``). Only counted turns enter the figures: boilerplate, the later half of
an interpretation pair and Chinese-only turns are left out, so a statement given twice (original
and interpretation) is counted once.

Calls of kind ``"summary"`` (analyst write-ups) are trended in their own series: the ``kind``
column is part of the key, and a summary's previous period is the same company's previous
*summary*. Transcripts and summaries never mix in one row or one delta.

Columns of :func:`trends` (see the README, section "Trends and reports", for the formulas):

``company``, ``kind``, ``period``, ``theme``
    The key. ``period`` is ``"2025Q1"`` style; rows sort chronologically within a company.
    Calls of unknown company (null) are added up per period but never trended: they may be
    of several companies.
``calendar_quarter``
    The calendar quarter the row's calls report on, from the latest call date (the quarter end
    nearest the day 30 days before the call: a call on 2025-05-28 reports on 2025Q1, whatever the
    company's fiscal year); null when no call date is known. :func:`corpus_overview` lines
    companies up by it.
``calls``
    Number of calls aggregated into the row (several calls of one company in one period add up).
``sentences``, ``words``
    English sentences and words of the counted turns of those calls (the denominators).
``mentions``
    Sentences of counted turns that carry the theme.
``share``
    ``mentions / sentences``.
``per_1k_words``
    ``1000 * mentions / words``.
``tone``
    Mean sentiment of the toned sentences that set the turns' tones,
    ``sum(tone_T * toned_T) / sum(toned_T)`` over turns (see
    :func:`topictrack.sentiment.theme_tone`); 0.0 when there are mentions but none of them is
    toned, null without mentions.
``toned``
    The number of those toned sentences: the tone's support. Reports grey out or mark a tone
    from fewer than :data:`MIN_TONED` of them and draw no chart point for it.
``mgmt_share``, ``analyst_share``
    Fraction of the mentions spoken by management / by analysts (the rest: operator, interpreter,
    unknown speakers). Null without mentions.
``prepared_share``, ``qa_share``
    Fraction of the mentions in prepared remarks / in the Q&A. Null without mentions.
``previous_period``
    The same company's previous period of the same kind present in the table (null for the first).
``delta_share``, ``delta_share_low``, ``delta_share_high``
    ``share - previous share`` and its Newcombe hybrid-score interval (Wilson score intervals of
    both proportions combined, 95% by default).
``delta_tone``
    ``tone - previous tone``; null when either side has no mentions.
``trend``
    ``absent`` (no mentions either period), ``new`` (none before, some now), ``gone`` (some
    before, none now), ``rising`` / ``falling`` (mentions in both periods and the interval on
    ``delta_share`` lies wholly above / below zero), else ``steady``. Null for the first period.
``quote``, ``quote_speaker``, ``quote_role``, ``quote_section``
    The evidence quote of the cell: the ``quote_T`` of a counted turn from the highest band of
    ``conf_T`` (bands of 0.1: 0.9-1.0, 0.8-0.9, ...); within the band the most specific, readable
    quote (a statement, no Chinese characters, no remark about translating the call, not the
    quote of another theme too, 40-200 characters), then
    the higher ``conf_T``, the turn with more mentions, the earlier call and turn. Null without
    mentions.
"""

from __future__ import annotations

import math
import warnings
from datetime import date as _date, timedelta

import pandas as pd

from topictrack._deprecated import keep_callable
from topictrack.errors import ConfigError
from topictrack.pipeline.schema import theme_names
from topictrack.text import CJK_CHARACTER, INTERPRETING_REMARK
from topictrack.transcripts.metadata import parse_period

COLUMNS = [
    "company", "kind", "period", "calendar_quarter", "theme", "calls", "sentences", "words", "mentions", "share",
    "per_1k_words", "tone", "toned", "mgmt_share", "analyst_share", "prepared_share", "qa_share",
    "previous_period", "delta_share", "delta_share_low", "delta_share_high", "delta_tone", "trend",
    "quote", "quote_speaker", "quote_role", "quote_section",
]

MIN_TONED = 3
"""A tone from fewer toned sentences than this is shown as weak (greyed or marked, not charted)."""

_REQUIRED = ["call_id", "company", "period", "kind", "turn", "speaker", "role", "section",
             "counted", "n_sentences", "n_words"]
_KIND_ORDER = {"transcript": 0, "summary": 1}


def period_key(period) -> tuple:
    """Chronological sort key of a period such as ``"2025Q1"``; unknown forms sort last, by text."""
    if period is None or (isinstance(period, float) and math.isnan(period)):
        return (1, 0, 0, "")
    parsed = parse_period(str(period))
    if parsed:
        return (0, *parsed, "")
    return (0, 10_000, 0, str(period))


def wilson_interval(successes: int, trials: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion; ``(0, 1)`` when there are no trials."""
    if trials <= 0:
        return 0.0, 1.0
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def share_difference_interval(x1: int, n1: int, x0: int, n0: int,
                              z: float = 1.959963984540054) -> tuple[float, float]:
    """Newcombe's hybrid score interval for ``x1/n1 - x0/n0`` (Newcombe 1998, method 10)."""
    p1 = x1 / n1 if n1 else 0.0
    p0 = x0 / n0 if n0 else 0.0
    low1, high1 = wilson_interval(x1, n1, z)
    low0, high0 = wilson_interval(x0, n0, z)
    delta = p1 - p0
    low = delta - math.sqrt((p1 - low1) ** 2 + (high0 - p0) ** 2)
    high = delta + math.sqrt((high1 - p1) ** 2 + (p0 - low0) ** 2)
    return low, high


def classify(mentions: int, previous_mentions, low: float, high: float) -> str | None:
    """The trend label of one theme in one period (see the module docstring)."""
    if previous_mentions is None:
        return None
    if mentions == 0 and previous_mentions == 0:
        return "absent"
    if previous_mentions == 0:
        return "new"
    if mentions == 0:
        return "gone"
    if low > 0:
        return "rising"
    if high < 0:
        return "falling"
    return "steady"


def _z_for(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ConfigError(f"confidence {confidence!r} is invalid; expected a number between 0 and 1")
    from statistics import NormalDist

    return NormalDist().inv_cdf(0.5 + confidence / 2)


def check_scored(scored, required, caller: str) -> None:
    """ConfigError unless ``scored`` is a DataFrame holding the ``required`` columns."""
    if not isinstance(scored, pd.DataFrame):
        raise ConfigError(
            f"{caller}() expects the scored turn table (a pandas DataFrame), got {type(scored).__name__}"
        )
    missing = [c for c in required if c not in scored.columns]
    if missing:
        raise ConfigError(
            "the scored table lacks column(s) " + ", ".join(missing)
            + "; pass the table returned by topictrack.score()"
        )


def _check(scored) -> list[str]:
    check_scored(scored, _REQUIRED, "theme_trends")
    themes = theme_names(scored)
    for theme in themes:
        absent = [f"{p}_{theme}" for p in ("toned", "tone", "conf", "quote") if f"{p}_{theme}" not in scored]
        if absent:
            raise ConfigError(f"the scored table lacks column(s) {', '.join(absent)}")
    return themes


def _none(value):
    """NaN/NA -> None so rows compare, sort and serialise cleanly."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value




def _quote_penalty(turns: pd.DataFrame, theme: str, themes: list[str]) -> pd.Series:
    """How poor each turn's quote is as evidence, among quotes of equal confidence (0 = good).

    +2 when it holds Chinese characters (the English reader cannot check it), +2 when it speaks
    of translating or interpreting ("very quickly to translate Mr. Zhou's response to the chip
    ban question": a remark about the call, not evidence), +1 when it is a question (evidence
    that the theme was raised, weaker than a statement), +1 when the same sentence is the turn's
    quote for another theme too (it is not specific to this one), +1 when it is shorter than 40
    or longer than 200 characters.
    """
    quote = turns[f"quote_{theme}"].astype("object").fillna("").astype(str)
    penalty = quote.str.contains(CJK_CHARACTER, regex=True).astype(int) * 2
    penalty += quote.str.contains(INTERPRETING_REMARK, regex=True).astype(int) * 2
    penalty += quote.str.rstrip().str.endswith("?").astype(int)
    shared = pd.Series(False, index=turns.index)
    for other in themes:
        if other != theme:
            shared |= quote.ne("") & quote.eq(turns[f"quote_{other}"].astype("object").fillna(""))
    length = quote.str.len()
    return penalty + shared.astype(int) + (~length.between(40, 200)).astype(int)


def _company_keys(firsts: pd.DataFrame) -> list:
    """One key per company across calls scored one by one, as when they are read together
    (:func:`topictrack.transcripts.read_transcripts`): ASR spellings of one company
    ("Kingshark Cloud" / "Kingsoft Cloud") joined, the calls of one file-name ticker under one name."""
    from topictrack.transcripts.metadata import harmonised_companies

    paths = firsts["path"] if "path" in firsts else [None] * len(firsts)
    return harmonised_companies([_none(c) for c in firsts["company"]], [_none(p) for p in paths])


def calendar_quarter(date) -> str | None:
    """The calendar quarter (``"2025Q1"``) a call held on ``date`` (ISO ``YYYY-MM-DD``) reports on:
    the quarter whose end is nearest the day 30 days before the call (calls come 2-8 weeks after
    the quarter they report). None for a missing or unreadable date."""
    try:
        day = _date.fromisoformat(str(date)[:10]) - timedelta(days=30)
    except ValueError:
        return None
    ends = [(_date(year, month, 30 if month in (6, 9) else 31), year, month // 3)
            for year in (day.year - 1, day.year) for month in (3, 6, 9, 12)]
    _, year, quarter = min(ends, key=lambda end: abs((end[0] - day).days))
    return f"{year}Q{quarter}"


def _call_groups(scored: pd.DataFrame) -> tuple[list[tuple], dict, list[int], list]:
    """Group keys (company, kind, period) in first-seen order, call_id -> group, calls per group,
    and each group's calendar quarter (of its latest call date)."""
    keys: dict[tuple, int] = {}
    call_group: dict = {}
    latest: dict[int, str] = {}
    firsts = scored.drop_duplicates("call_id")
    dates = firsts["date"] if "date" in firsts else [None] * len(firsts)
    for call_id, company, kind, period, date in zip(firsts["call_id"], _company_keys(firsts), firsts["kind"],
                                                    firsts["period"], dates):
        key = (company, _none(kind) or "transcript", _none(period))
        group = call_group[call_id] = keys.setdefault(key, len(keys))
        date = _none(date)
        if date is not None and str(date) > latest.get(group, ""):
            latest[group] = str(date)
    calls = [0] * len(keys)
    for group in call_group.values():
        calls[group] += 1
    return list(keys), call_group, calls, [calendar_quarter(latest.get(g)) for g in range(len(keys))]


def _sums(counted: pd.DataFrame, group: pd.Series, themes: list[str], n_groups: int) -> pd.DataFrame:
    """Per group: sentences, words and, per theme, mentions split by tone/role/section (summed)."""
    columns = {"sentences": counted["n_sentences"].fillna(0).astype("int64"),
               "words": counted["n_words"].fillna(0).astype("int64")}
    management = counted["role"].eq("management").fillna(False).to_numpy()
    analyst = counted["role"].eq("analyst").fillna(False).to_numpy()
    prepared = counted["section"].eq("prepared").fillna(False).to_numpy()
    qa = counted["section"].eq("qa").fillna(False).to_numpy()
    for theme in themes:
        mentions = counted[f"mentions_{theme}"].fillna(0).astype("int64")
        tone = counted[f"tone_{theme}"].astype("float64")
        toned = counted[f"toned_{theme}"].fillna(0).astype("int64").where(tone.notna(), 0)
        columns[f"x|{theme}"] = mentions
        columns[f"toned|{theme}"] = toned
        columns[f"tone_sum|{theme}"] = tone.fillna(0.0) * toned
        columns[f"mgmt|{theme}"] = mentions.where(management, 0)
        columns[f"analyst|{theme}"] = mentions.where(analyst, 0)
        columns[f"prepared|{theme}"] = mentions.where(prepared, 0)
        columns[f"qa|{theme}"] = mentions.where(qa, 0)
    frame = pd.DataFrame(columns)
    frame["_group"] = group.to_numpy()
    return frame.groupby("_group").sum().reindex(range(n_groups), fill_value=0)


def _quotes(counted: pd.DataFrame, group: pd.Series, theme: str, themes: list[str]) -> dict:
    """Group -> (quote, speaker, role, section) of the theme's evidence quote."""
    mentions = counted[f"mentions_{theme}"].fillna(0)
    usable = (mentions > 0) & counted[f"quote_{theme}"].notna()
    turns = counted[usable]
    if turns.empty:
        return {}
    ranked = pd.DataFrame({
        "_group": group[usable].to_numpy(),
        "_conf": turns[f"conf_{theme}"].fillna(0.0).astype("float64").to_numpy(),
        "_band": (turns[f"conf_{theme}"].fillna(0.0).astype("float64") * 10 // 1).to_numpy(),
        "_penalty": _quote_penalty(turns, theme, themes).to_numpy(),
        "_mentions": mentions[usable].to_numpy(),
        "call_id": turns["call_id"].astype(str).to_numpy(),
        "turn": turns["turn"].to_numpy(),
        "quote": turns[f"quote_{theme}"].astype(str).to_numpy(),
        "speaker": turns["speaker"].to_numpy(), "role": turns["role"].to_numpy(),
        "section": turns["section"].to_numpy(),
    })
    ranked = ranked.sort_values(["_group", "_band", "_penalty", "_conf", "_mentions", "call_id", "turn"],
                                ascending=[True, False, True, False, False, True, True],
                                kind="mergesort")
    best = ranked.drop_duplicates("_group")
    return {g: (q, _none(sp), _none(r), _none(se)) for g, q, sp, r, se in
            zip(best["_group"], best["quote"], best["speaker"], best["role"], best["section"])}


def theme_trends(scored: pd.DataFrame, *, confidence: float = 0.95) -> pd.DataFrame:
    """Quarter-over-quarter theme trends of a scored turn table.

    Returns a long DataFrame, one row per company x kind x period x theme, with the columns listed
    in :data:`COLUMNS` and documented in this module's docstring. Rows sort by company, kind
    (transcripts first), period (chronologically) and theme (in the scored table's order).
    ``confidence`` sets the level of the interval on ``delta_share`` (and so of the rising/falling
    calls); it is kept in ``table.attrs["confidence"]`` for the reports.
    """
    themes = _check(scored)
    z = _z_for(confidence)
    if scored.empty or not themes:
        empty = pd.DataFrame(columns=COLUMNS)
        empty.attrs["confidence"] = confidence
        return empty
    keys, call_group, calls, quarters = _call_groups(scored)
    counted = scored[scored["counted"].fillna(False).astype(bool)]
    group = counted["call_id"].map(call_group)
    sums = {column: values.tolist() for column, values in
            _sums(counted, group, themes, len(keys)).items()}
    quotes = {theme: _quotes(counted, group, theme, themes) for theme in themes}

    def order(index):
        company, kind, period = keys[index]
        return (company is None, company or "", _KIND_ORDER.get(kind, 2), kind, period_key(period))

    rows = []
    previous: dict[tuple, tuple] = {}  # (company, kind, theme) -> (period, mentions, sentences, tone)
    for index in sorted(range(len(keys)), key=order):
        company, kind, period = keys[index]
        # calls of unknown company may be of several companies: never trended against each other
        comparable = company is not None and period is not None
        n, words = int(sums["sentences"][index]), int(sums["words"][index])
        for theme in themes:
            x = int(sums[f"x|{theme}"][index])
            toned = int(sums[f"toned|{theme}"][index])
            tone = float(sums[f"tone_sum|{theme}"][index]) / toned if toned else (0.0 if x else None)
            shares = [int(sums[f"{part}|{theme}"][index]) / x if x else None
                      for part in ("mgmt", "analyst", "prepared", "qa")]
            quote = quotes[theme].get(index, (None, None, None, None)) if x else (None,) * 4
            share = x / n if n else 0.0
            prior = previous.get((company, kind, theme)) if comparable else None
            delta = low = high = delta_tone = label = None
            if prior is not None:
                prior_period, x0, n0, tone0 = prior
                delta = share - (x0 / n0 if n0 else 0.0)
                low, high = share_difference_interval(x, n, x0, n0, z)
                if tone is not None and tone0 is not None:
                    delta_tone = tone - tone0
                label = classify(x, x0, low, high)
            rows.append((
                company, kind, period, quarters[index], theme, calls[index], n, words, x, share,
                1000 * x / words if words else 0.0, tone, toned, *shares,
                prior[0] if prior else None, delta, low, high, delta_tone, label, *quote,
            ))
            if comparable:
                previous[(company, kind, theme)] = (period, x, n, tone)
    table = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("calls", "sentences", "words", "mentions", "toned"):
        table[column] = table[column].astype("int64")
    for column in ("share", "per_1k_words", "tone", "mgmt_share", "analyst_share", "prepared_share",
                   "qa_share", "delta_share", "delta_share_low", "delta_share_high", "delta_tone"):
        table[column] = table[column].astype("float64")
    table.attrs["confidence"] = confidence
    return table


def select_companies(scored: pd.DataFrame, companies) -> pd.DataFrame:
    """The rows of ``scored`` (a scored turn table or a trends table) of the ``companies`` named;
    ``None`` or an empty list keeps every row.

    A name matches a company, case-insensitively, by its key (the ``company`` column, as reports
    show it), by the name as a call may state it ("Alibaba Group Holding Limited": legal suffixes
    are dropped as the reader drops them) or, in a scored table, by the ticker its files are named
    after ("BABA" for ``BABA_2Q26.txt``). Raises :class:`~topictrack.errors.ConfigError` naming the
    companies present when a name matches none of them.
    """
    if not companies:
        return scored
    from pathlib import PurePath

    from topictrack.transcripts.metadata import clean_company, ticker_from_name

    present = sorted({str(c) for c in scored["company"].dropna()})
    aliases: dict[str, set] = {}
    for company in present:
        aliases.setdefault(company.casefold(), set()).add(company)
    if "path" in scored.columns:
        for path, company in scored[["path", "company"]].dropna().drop_duplicates().itertuples(index=False):
            ticker = ticker_from_name(PurePath(str(path)).stem)
            if ticker:
                aliases.setdefault(ticker.casefold(), set()).add(str(company))
    wanted: set = set()
    for name in companies:
        text = str(name).strip()
        found = aliases.get(text.casefold()) or aliases.get((clean_company(text) or "").casefold())
        if not found:
            raise ConfigError(f"company {name!r} is not in the calls; companies present: "
                              + (", ".join(present) or "none"))
        wanted |= found
    return scored[scored["company"].isin(wanted)]


def last_periods(table: pd.DataFrame, n: int | None) -> pd.DataFrame:
    """The rows of the ``n`` latest periods of each company and kind (all when ``n`` is None).

    The trends of the first period kept still compare with the period before it.
    """
    if n is None:
        return table
    if n < 1:
        raise ConfigError(f"last {n} is invalid; expected at least 1 period")
    keep = pd.Series(False, index=table.index)
    for _, rows in table.groupby(["company", "kind"], dropna=False, sort=False):
        periods = sorted(rows["period"].map(_none).unique(), key=period_key)[-n:]
        keep[rows.index[rows["period"].map(_none).isin(periods)]] = True
    return table[keep]


OVERVIEW_COLUMNS = ["theme", "period", "calls", "companies", "companies_mentioning", "sentences",
                    "mentions", "share"]
MOVER_COLUMNS = ["theme", "direction", "rank", "company", "period", "previous_period", "delta_share",
                 "trend"]


def corpus_overview(table: pd.DataFrame, *, movers: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The story of a trends table across companies, before the detail: two DataFrames.

    The first has one row per theme x period of the call transcripts (:data:`OVERVIEW_COLUMNS`):
    ``calls`` and ``companies`` with a call that period, ``companies_mentioning`` the theme,
    ``sentences`` and ``mentions`` over all those calls, and ``share`` (mentions / sentences).
    ``period`` is the calendar quarter the calls report on (``calendar_quarter``) when every call
    has a date, so companies with other fiscal years meet in the column of the months they report
    on; else it is the period the calls state. ``overview.attrs["periods"]`` says which:
    ``"calendar"`` or ``"stated"``.

    The second (:data:`MOVER_COLUMNS`) lists per theme the ``movers`` companies whose latest
    change in share rose most (``direction`` "rise", ``delta_share`` > 0) and fell most ("fall",
    < 0), with that period, the period it is compared with and the trend label.
    """
    frame = table[(table["kind"] == "transcript") & table["company"].notna()]
    calendar = "calendar_quarter" in frame and not frame.empty and bool(frame["calendar_quarter"].notna().all())
    rows = []
    for (theme, period), cells in frame.groupby(["theme", "calendar_quarter" if calendar else "period"],
                                                sort=False):
        sentences, mentions = int(cells["sentences"].sum()), int(cells["mentions"].sum())
        rows.append((theme, period, int(cells["calls"].sum()), int(cells["company"].nunique()),
                     int((cells["mentions"] > 0).sum()), sentences, mentions,
                     mentions / sentences if sentences else 0.0))
    themes = list(dict.fromkeys(frame["theme"]))
    overview = pd.DataFrame(rows, columns=OVERVIEW_COLUMNS)
    if not overview.empty:
        overview = overview.assign(_t=overview["theme"].map(themes.index),
                                   _p=overview["period"].map(period_key))
        overview = overview.sort_values(["_t", "_p"], kind="mergesort").drop(columns=["_t", "_p"])
    changed = frame[frame["delta_share"].notna()]
    latest = changed.assign(_p=changed["period"].map(period_key)).sort_values("_p", kind="mergesort")
    latest = latest.drop_duplicates(["company", "theme"], keep="last").drop(columns="_p")
    moves = []
    for theme in themes:
        cells = latest[latest["theme"] == theme]
        for direction, chosen in (("rise", cells[cells["delta_share"] > 0].sort_values(
                                      ["delta_share", "company"], ascending=[False, True], kind="mergesort")),
                                  ("fall", cells[cells["delta_share"] < 0].sort_values(
                                      ["delta_share", "company"], ascending=[True, True], kind="mergesort"))):
            for rank, row in enumerate(chosen.head(movers).itertuples(index=False), 1):
                moves.append((theme, direction, rank, row.company, row.period, row.previous_period,
                              float(row.delta_share), row.trend))
    overview = overview.reset_index(drop=True)
    overview.attrs["companies"] = int(frame["company"].nunique())
    overview.attrs["periods"] = "calendar" if calendar else "stated"
    return (overview,
            pd.DataFrame(moves, columns=MOVER_COLUMNS).astype({"rank": "int64"}))


def trends(scored: pd.DataFrame, *, confidence: float = 0.95) -> pd.DataFrame:
    """Deprecated name of :func:`theme_trends`."""
    warnings.warn("topictrack.trends() is deprecated; use topictrack.theme_trends()", DeprecationWarning,
                  stacklevel=2)
    return theme_trends(scored, confidence=confidence)


keep_callable(__name__)

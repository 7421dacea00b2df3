"""Report renderers and evidence lookup: small scored tables, then the bundled calls end to end.

The end-to-end tests write down what a careful reader of the two Kingsoft Cloud calls (Q4 2024,
held 19 March 2025, and Q1 2025) and of the two analyst summaries (Q1 and Q2 2025) takes away:

- AI demand is the dominant theme of every call and summary, told in a positive tone.
- Seasonality is new in Q1 2025: Chinese New Year, Q1 budgeting and slow enterprise-cloud
  delivery; the Q4 2024 call does not raise it. The Q2 summary drops it again.
- DeepSeek was a headline of the March call (R1's release, a long Q&A answer) and only a
  follow-up about training demand in Q1: less of it. The summaries never name it.
- Chip supply gets more attention in Q1 (the H20 ban question, inventory, domestic chips) than
  in Q4 (one analyst question on tighter supply restrictions).
- Pricing is discussed in both calls but the tone turns: pricing power of GPU services in Q4,
  price competition in AI server leasing and profit sharing diluting margin in Q1.
- CDN downsizing (legacy CDN scaled down, CPU assets impaired) is a Q4 theme that fades in Q1.

The counts behind chip supply and CDN downsizing are small (a handful of sentences per call), so
the tests ask for the direction of the change and rule out the opposite label; "rising"/"falling"
itself needs the interval to exclude zero.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pandas as pd
import pytest

from scored_tables import scored_table
from topictrack import _resources, pipeline
from topictrack.errors import ConfigError
from topictrack.pipeline import read_scored
from topictrack.report import (
    CSV_COLUMNS,
    FORMATS,
    evidence,
    format_evidence,
    render,
    shorten,
    to_csv,
    to_html,
    to_json,
    to_markdown,
    to_table,
)
from topictrack.trends import COLUMNS
from topictrack.trends import theme_trends as trends



CALLS = [
    {"company": "Acme", "period": "2024Q4", "turns": [
        ("Ann Lee", "management", "prepared", 100, 2000, True,
         {"ai_demand": (10, 0.5, 0.8, "AI demand grew strongly | across every customer group this quarter.")})]},
    {"company": "Acme", "period": "2025Q1", "turns": [
        ("Ann Lee", "management", "prepared", 80, 1600, True,
         {"ai_demand": (8, 0.6, 0.7, "AI billing rose again, led by our largest ecosystem customers."),
          "seasonality": (5, -0.5, 0.9, "Chinese New Year slowed project delivery and acceptance in Q1.")}),
        ("Bob Roe", "analyst", "qa", 20, 400, True,
         {"seasonality": (1, -0.1, 0.5, "Is the first quarter seasonally weak for enterprise cloud?")})]},
    {"company": "Acme", "period": "2025Q1", "kind": "summary", "turns": [
        (None, "unknown", "prepared", 30, 600, True,
         {"ai_demand": (9, 0.4, 0.9, "AI revenue soared, driven by the Xiaomi ecosystem.")})]},
]


@pytest.fixture(scope="module")
def small():
    scored = scored_table(CALLS)
    return scored, trends(scored)


def test_markdown_has_a_broker_style_table_per_company_and_kind(small):
    _, table = small
    text = to_markdown(table)
    assert "## Acme — call transcripts" in text and "## Acme — analyst summaries" in text
    assert "| Theme | 2024Q4 | 2025Q1 |" in text
    assert "| Theme | 2025Q1 |" in text  # the summaries' one period
    season = next(line for line in text.splitlines() if line.startswith("| seasonality | 0.0%"))
    assert season.endswith("| **6.0%** (6 sent.), tone -0.43<br>*new* +6.0 pts [+1.1, +12.5] |"), season
    assert ("- 2025Q1 · seasonality: “Chinese New Year slowed project delivery and acceptance in Q1.” — "
            "Ann Lee (management)") in text.splitlines()
    ai = next(line for line in text.splitlines() if line.startswith("- 2024Q4 · ai_demand: “AI demand grew"))
    assert "AI demand grew strongly \\| across" in ai  # a '|' in a quote cannot break the table
    assert "“AI revenue soared, driven by the Xiaomi ecosystem.” — analyst summary" in text


def test_table_fits_a_100_column_terminal(small):
    _, table = small
    text = to_table(table)
    assert max(len(line) for line in text.splitlines()) <= 100
    line = next(line for line in text.splitlines() if line.startswith("seasonality"))
    assert line.split() == ["seasonality", "0.0%", "–", "6.0%", "-0.43", "+"]  # + marks new
    long = scored_table(CALLS, themes=("a_very_long_user_theme_name_about_buybacks", "seasonality"))
    assert max(len(x) for x in to_table(trends(long)).splitlines()) <= 100


def test_json_is_records_with_every_column_and_nulls(small):
    _, table = small
    document = json.loads(to_json(table))
    assert list(document) == ["trends", "new_phrases", "overview"]
    records = document["trends"]
    assert len(records) == len(table) == 6
    assert all(list(r) == COLUMNS for r in records)
    first = records[0]
    assert first["trend"] is None and first["delta_share"] is None
    season = next(r for r in records if r["period"] == "2025Q1" and r["theme"] == "seasonality"
                  and r["kind"] == "transcript")
    assert season["share"] == 0.06 and season["trend"] == "new" and season["mentions"] == 6


def test_json_is_byte_identical_whatever_the_row_order_of_the_scored_table(small):
    scored, table = small
    shuffled = scored.sample(frac=1.0, random_state=7).reset_index(drop=True)
    assert to_json(trends(shuffled)) == to_json(table)
    assert to_csv(trends(shuffled)) == to_csv(table)


def test_csv_round_trips_the_columns(small):
    _, table = small
    rows = list(csv.DictReader(io.StringIO(to_csv(table))))
    assert list(rows[0]) == CSV_COLUMNS and CSV_COLUMNS[1:len(COLUMNS) + 1] == COLUMNS and len(rows) == 6
    assert {r["table"] for r in rows} == {"trends"}
    assert rows[3]["trend"] == "new" and rows[0]["trend"] == ""


def test_render_dispatches_and_rejects_an_unknown_format(small):
    _, table = small
    assert render(table, "markdown") == to_markdown(table)
    assert set(FORMATS) == {"table", "markdown", "json", "csv", "html"}
    with pytest.raises(ConfigError, match="format 'pdf' is unknown; expected one of table, markdown"):
        render(table, "pdf")
    with pytest.raises(ConfigError, match="lacks column"):
        render(table.drop(columns=["trend"]), "json")


def test_empty_trends_render_without_error():
    empty = trends(scored_table(CALLS).iloc[0:0])
    assert "No calls to report on." in to_markdown(empty)
    assert json.loads(to_json(empty)) == {"trends": [], "new_phrases": [],
                                          "overview": {"periods": [], "movers": [], "period_basis": None}}
    assert "No calls to report on." in render(empty, "html")


def test_evidence_lists_quotes_by_period_with_speaker_and_role(small):
    scored, _ = small
    found = evidence(scored, "seasonality")
    assert list(found.period) == ["2025Q1", "2025Q1"]
    assert list(found.speaker) == ["Ann Lee", "Bob Roe"]  # most confident first
    assert list(found.role) == ["management", "analyst"]
    only = evidence(scored, "ai_demand", period="2024Q4")
    assert list(only.quote) == ["AI demand grew strongly | across every customer group this quarter."]
    text = format_evidence(found, "seasonality")
    assert "seasonality · Acme · call transcripts · 2025Q1 (2 turns)" in text
    assert "Bob Roe (analyst), qa, turn 1, tone -0.10:" in text


def test_evidence_rejects_unknown_theme_and_bad_or_missing_period(small):
    scored, _ = small
    with pytest.raises(ConfigError) as info:
        evidence(scored, "buybacks")
    assert str(info.value) == "unknown theme 'buybacks'; known themes: ai_demand, seasonality"
    with pytest.raises(ConfigError) as info:
        evidence(scored, "ai_demand", period="Q5 2025")
    assert str(info.value) == "period 'Q5 2025' is invalid; expected a year and quarter such as 2025Q1"
    with pytest.raises(ConfigError) as info:
        evidence(scored, "ai_demand", period="2023Q1")
    assert str(info.value) == "period '2023Q1' has no calls; periods present: 2024Q4, 2025Q1"


def test_shorten_cuts_at_a_word_boundary():
    assert shorten("short text") == "short text"
    cut = shorten("word " * 40, limit=30)
    assert len(cut) <= 30 and cut.endswith("word…")


def test_read_scored_reads_parquet_and_rejects_other_tables(tmp_path, small):
    scored, _ = small
    scored.to_parquet(tmp_path / "scored.parquet")
    pd.testing.assert_frame_equal(read_scored(tmp_path / "scored.parquet"), scored)
    (tmp_path / "bad.parquet").write_text("not parquet", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.parquet: not a scored table"):
        read_scored(tmp_path / "bad.parquet")
    pd.DataFrame({"a": [1]}).to_parquet(tmp_path / "other.parquet")
    with pytest.raises(ConfigError, match="other.parquet: not a scored table \\(missing column"):
        read_scored(tmp_path / "other.parquet")


# ------------------------------------------------------------------ the bundled calls, end to end

@pytest.fixture(scope="module")
def bundled():
    scored = pipeline.score(_resources.sample_calls(), cache=False, jobs=1)
    return scored, trends(scored)


def cell(table, period, theme, kind="transcript"):
    match = table[(table.kind == kind) & (table.period == period) & (table.theme == theme)]
    assert len(match) == 1
    return match.iloc[0]


def test_bundled_calls_form_two_series_that_never_mix(bundled):
    _, table = bundled
    assert set(table.company) == {"Kingsoft Cloud"}
    series = table.groupby("kind").period.unique().to_dict()
    assert list(series["transcript"]) == ["2024Q4", "2025Q1"]
    assert list(series["summary"]) == ["2025Q1", "2025Q2"]
    assert pd.isna(cell(table, "2025Q1", "ai_demand", kind="summary").previous_period)


def test_ai_demand_dominates_every_call_and_summary_in_a_positive_tone(bundled):
    _, table = bundled
    for (kind, period), rows in table.groupby(["kind", "period"]):
        top = rows.sort_values("share", ascending=False).iloc[0]
        assert top.theme == "ai_demand", (kind, period)
        assert top.tone > 0, (kind, period)
    assert cell(table, "2025Q1", "ai_demand").trend == "steady"


def test_seasonality_is_new_in_q1_2025_and_gone_from_the_q2_summary(bundled):
    _, table = bundled
    assert cell(table, "2024Q4", "seasonality").mentions == 0
    q1 = cell(table, "2025Q1", "seasonality")
    assert q1.trend == "new" and q1.mentions >= 3
    assert cell(table, "2025Q1", "seasonality", kind="summary").mentions >= 2
    assert cell(table, "2025Q2", "seasonality", kind="summary").trend == "gone"


def test_deepseek_recedes_after_the_march_call(bundled):
    _, table = bundled
    q4, q1 = cell(table, "2024Q4", "deepseek"), cell(table, "2025Q1", "deepseek")
    assert q4.mentions > 0 and q1.mentions > 0
    assert q1.delta_share < 0 and q1.trend in {"falling", "steady"}
    assert q1.delta_tone < 0  # from "benefits us" in March to "demand shrinking" for some in Q1
    assert q4.qa_share > 0.5  # it came up in the Q&A, not in the prepared remarks
    assert cell(table, "2025Q2", "deepseek", kind="summary").trend == "absent"


def test_chip_supply_gets_more_attention_in_q1_2025(bundled):
    _, table = bundled
    q4, q1 = cell(table, "2024Q4", "chip_supply"), cell(table, "2025Q1", "chip_supply")
    assert q1.mentions > q4.mentions and q1.delta_share > 0
    assert q1.trend in {"rising", "steady"}
    assert cell(table, "2025Q2", "chip_supply", kind="summary").mentions > 0


def test_pricing_is_discussed_in_both_calls_and_its_tone_turns_down(bundled):
    _, table = bundled
    q4, q1 = cell(table, "2024Q4", "pricing_pressure"), cell(table, "2025Q1", "pricing_pressure")
    assert q4.mentions > 0 and q1.mentions > 0
    assert q1.delta_tone < 0 and q1.tone < q4.tone


def test_cdn_downsizing_fades_after_q4_2024(bundled):
    scored, table = bundled
    q4, q1 = cell(table, "2024Q4", "cdn_downsizing"), cell(table, "2025Q1", "cdn_downsizing")
    assert q4.mentions > q1.mentions and q1.delta_share < 0
    assert q1.trend in {"falling", "gone", "steady"}
    quotes = evidence(scored, "cdn_downsizing", period="2024Q4").quote
    assert quotes.str.contains("CDN|CDM|CPU|legacy|traditional").any()


def test_bundled_markdown_shows_the_story_with_quotes(bundled):
    _, table = bundled
    text = to_markdown(table)
    assert "## Kingsoft Cloud — call transcripts" in text
    assert "| Theme | 2024Q4 | 2025Q1 |" in text
    assert "| Theme | 2025Q1 | 2025Q2 |" in text
    season = next(line for line in text.splitlines() if line.startswith("| seasonality | 0.0%"))
    assert "*new*" in season
    assert next(line for line in text.splitlines() if line.startswith("- 2025Q1 · seasonality: “")).endswith(
        "(management)")
    for line in text.splitlines():
        if line.startswith("| ") and "**" in line:
            assert line.count(" | ") in (2, 4), line  # quotes never add a column (3 or 5 columns)


def test_bundled_evidence_for_seasonality_names_the_q1_speakers(bundled):
    scored, _ = bundled
    found = evidence(scored, "seasonality", period="2025Q1")
    transcript = found[found.kind == "transcript"]
    assert {"Henry Hu", "Zhou Tao"} <= set(transcript.speaker)
    assert set(found.period) == {"2025Q1"}


def test_reports_state_the_interval_level_the_trends_used():
    table = trends(scored_table(CALLS), confidence=0.9)
    assert "90% interval on the change in share excludes zero" in to_markdown(table)
    assert "90% interval on the change in share excludes zero" in to_table(table)
    assert render(table, "html").count("90% interval") == 3  # header and the key of both series
    assert "95% interval" in to_markdown(trends(scored_table(CALLS)))


def test_calls_without_company_or_period_are_reported_without_a_trend():
    undated = {"company": None, "period": None, "turns": CALLS[0]["turns"]}
    table = trends(scored_table([*CALLS, undated]))
    unknown = table[table.company.isna()]
    assert len(unknown) == 2 and unknown.trend.isna().all() and unknown.period.isna().all()
    assert "## Unknown company — call transcripts" in to_markdown(table)
    assert "Unknown company · call transcripts · undated" in to_table(table)
    assert "undated" in render(table, "html")
    records = json.loads(to_json(table))["trends"]
    assert records[-1]["company"] is None and records[-1]["period"] is None


def test_undated_calls_of_a_company_do_not_replace_its_latest_period():
    undated = {"company": "Acme", "period": None, "turns": CALLS[0]["turns"]}
    table = trends(scored_table([*CALLS, undated]))
    assert "| Theme | 2024Q4 | 2025Q1 | undated |" in to_markdown(table)  # undated last
    assert table[(table.period == "2025Q1") & (table.kind == "transcript")].previous_period.eq("2024Q4").all()
    assert pd.isna(table[table.period.isna()].trend).all()


def test_values_that_round_to_zero_print_without_a_minus_sign():
    from topictrack.report.common import pts, signed

    assert signed(-0.001) == "+0.00"
    assert signed(-0.006) == "-0.01"
    assert pts(-0.0004) == "+0.0"
    assert pts(-0.052) == "-5.2"


GAPPY = [
    {"company": "Acme", "period": period, "turns": [
        ("Ann Lee", "management", "prepared", 40, 800, True,
         {"ai_demand": (3, 0.4, 0.9, "AI demand grew."),
          "seasonality": spec})]}
    for period, spec in (("2024Q1", (4, 0.3, 0.9, "Seasonal demand dipped in winter.")),
                         ("2024Q2", (0, None, 0.0, None)),
                         ("2024Q3", (5, -0.2, 0.9, "The holiday season slowed installs.")),
                         ("2024Q4", (1, 0.9, 0.9, "Seasonally, a strong quarter.", 1)))
]


def test_weak_tones_are_marked_and_chart_lines_skip_periods_without_support():
    table = trends(scored_table(GAPPY))
    weak = table[(table.period == "2024Q4") & (table.theme == "seasonality")].iloc[0]
    assert weak.toned == 1 and weak.tone == pytest.approx(0.9)
    line = next(x for x in to_table(table).splitlines() if x.startswith("seasonality"))
    assert line.split() == ["seasonality", "10.0%", "+0.30", "0.0%", "–", "×", "12.5%", "-0.20", "+",
                            "2.5%", "+0.90*", "→"]
    assert "* tone from fewer than 3 toned sentences" in to_table(table)
    row = next(x for x in to_markdown(table).splitlines() if x.startswith("| seasonality |"))
    assert row.split(" | ")[-1].startswith("**2.5%** (1 sent.), tone +0.90\\*<br>*steady →*")  # a literal star
    page = to_html(table)
    assert '<span class="tone weak" title="from 1 toned sentence(s)">tone +0.90*</span>' in page
    chart = page[page.index('<svg class="tone-chart"'):page.index("</svg>")]
    # ai_demand: one line through four periods; seasonality: no line at all (a gap, then a weak tone)
    assert chart.count("<polyline") == 1
    assert chart.count('<circle class="weak"') == 1
    assert "seasonality 2024Q4: tone +0.90 from 1 toned sentence" in chart


def test_the_dots_of_one_period_do_not_sit_on_each_other():
    one = [{"company": "Acme", "period": "2024Q1", "turns": [
        ("Ann Lee", "management", "prepared", 40, 800, True,
         {"ai_demand": (3, 0.4, 0.9, "AI demand grew."), "seasonality": (3, 0.4, 0.9, "Winter was slow.")})]}]
    chart = to_html(trends(scored_table(one)))
    centres = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', chart)
    assert len(centres) == 2 and centres[0] != centres[1]


def test_select_companies_and_last_periods():
    from topictrack.trends import last_periods, select_companies

    table = trends(scored_table(GAPPY + [dict(CALLS[0], company="Bolt")]))
    assert set(select_companies(table, ["acme"]).company) == {"Acme"}
    with pytest.raises(ConfigError, match="company 'Zed' is not in the calls; companies present: Acme, Bolt"):
        select_companies(table, ["Zed"])
    scored = pd.DataFrame({"company": ["Alibaba", "NVIDIA", "NVIDIA"],
                           "path": ["calls/BABA_2Q26.txt", "calls/NVDA_1Q26.txt", "calls/nvidia-may.txt"]})
    assert select_companies(scored, ["nvda"]).index.tolist() == [1, 2]  # a ticker names the company
    assert select_companies(scored, ["Alibaba Group Holding Limited"]).index.tolist() == [0]
    last = last_periods(table, 2)
    assert sorted(last[last.company == "Acme"].period.unique()) == ["2024Q3", "2024Q4"]
    assert set(last[last.company == "Bolt"].period) == {"2024Q4"}
    assert last[(last.company == "Acme") & (last.period == "2024Q3")].previous_period.eq("2024Q2").all()

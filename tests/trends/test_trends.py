"""trends(): figures, aggregation, kinds, period order, intervals and labels on small scored tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scored_tables import scored_table
from topictrack.errors import ConfigError
from topictrack.trends import (
    COLUMNS,
    calendar_quarter,
    classify,
    corpus_overview,
    period_key,
    share_difference_interval,
    wilson_interval,
)
from topictrack.trends import theme_trends as trends

NAN = float("nan")


Q4 = {"company": "Acme", "period": "2024Q4", "turns": [
    (None, "operator", "prepared", 6, 90, False, {"ai_demand": (3, 0.9, 0.9, "Operator AI line.")}),
    ("Ann Lee", "management", "prepared", 100, 2000, True,
     {"ai_demand": (10, 0.5, 0.8, "AI demand grew strongly this quarter.")}),
]}
Q1 = {"company": "Acme", "period": "2025Q1", "turns": [
    ("Ann Lee", "management", "prepared", 60, 1200, True,
     {"ai_demand": (6, 0.6, 0.7, "AI billing rose again."),
      "seasonality": (4, -0.5, 0.9, "Chinese New Year slowed project delivery.")}),
    ("Bob Roe", "analyst", "qa", 20, 400, True,
     {"ai_demand": (2, 0.0, 0.95, "How should we think about AI demand?"),
      "seasonality": (1, -0.1, 0.5, "Is Q1 seasonally weak?")}),
    ("Ann Lee", "management", "qa", 20, 400, True, {"ai_demand": (2, 0.3, 0.6, "Demand is strong.")}),
]}


def row(table, period, theme, *, company="Acme", kind="transcript"):
    match = table[(table.company == company) & (table.kind == kind) & (table.period == period)
                  & (table.theme == theme)]
    assert len(match) == 1, (company, kind, period, theme)
    return match.iloc[0]


def test_columns_and_one_row_per_company_period_theme():
    table = trends(scored_table([Q4, Q1]))
    assert list(table.columns) == COLUMNS
    assert len(table) == 4
    assert list(table.period) == ["2024Q4", "2024Q4", "2025Q1", "2025Q1"]
    assert list(table.theme) == ["ai_demand", "seasonality"] * 2


def test_figures_of_one_period_count_only_counted_turns():
    q1 = row(trends(scored_table([Q4, Q1])), "2025Q1", "ai_demand")
    assert q1.mentions == 10 and q1.sentences == 100 and q1.words == 2000
    assert q1.share == pytest.approx(0.10)
    assert q1.per_1k_words == pytest.approx(5.0)
    # the analyst's question (2 mentions, tone 0.0) has no toned sentence: it does not dilute the tone
    assert q1.tone == pytest.approx((6 * 0.6 + 2 * 0.3) / 8)
    assert (q1.mgmt_share, q1.analyst_share) == pytest.approx((0.8, 0.2))
    assert (q1.prepared_share, q1.qa_share) == pytest.approx((0.6, 0.4))
    q4 = row(trends(scored_table([Q4, Q1])), "2024Q4", "ai_demand")
    assert (q4.mentions, q4.sentences) == (10, 100)  # the operator's boilerplate turn is left out


def test_deltas_interval_and_trend_against_previous_period():
    table = trends(scored_table([Q4, Q1]))
    ai = row(table, "2025Q1", "ai_demand")
    assert ai.previous_period == "2024Q4"
    assert ai.delta_share == pytest.approx(0.0)
    assert ai.delta_tone == pytest.approx(0.525 - 0.5)
    low, high = share_difference_interval(10, 100, 10, 100)
    assert (ai.delta_share_low, ai.delta_share_high) == pytest.approx((low, high))
    assert ai.trend == "steady"
    season = row(table, "2025Q1", "seasonality")
    assert season.trend == "new" and math.isnan(season.delta_tone)
    first = row(table, "2024Q4", "seasonality")
    assert pd.isna(first.trend) and pd.isna(first.previous_period) and math.isnan(first.tone)


def test_tone_and_speaker_shares_are_null_without_mentions():
    q4 = row(trends(scored_table([Q4, Q1])), "2024Q4", "seasonality")
    assert q4.mentions == 0 and q4.share == 0.0
    for column in ("tone", "mgmt_share", "analyst_share", "prepared_share", "qa_share"):
        assert math.isnan(q4[column]), column
    assert pd.isna(q4.quote)


def test_tone_is_weighted_by_toned_sentences_not_by_mentions():
    call = {"company": "Acme", "period": "2025Q1", "turns": [
        # five mentions, one toned sentence at +0.6; one mention toned at -0.2
        ("Ann Lee", "management", "prepared", 50, 900, True, {"ai_demand": (5, 0.6, 0.8, "AI grew.", 1)}),
        ("Ann Lee", "management", "qa", 10, 200, True, {"ai_demand": (1, -0.2, 0.8, "AI slipped.", 1)}),
        # mentions, but none toned: tone 0.0, not null
        ("Bob Roe", "analyst", "qa", 10, 200, True, {"seasonality": (3, 0.0, 0.8, "Is Q1 slow?", 0)}),
    ]}
    table = trends(scored_table([call]))
    assert row(table, "2025Q1", "ai_demand").tone == pytest.approx((0.6 - 0.2) / 2)
    season = row(table, "2025Q1", "seasonality")
    assert season.mentions == 3 and season.tone == 0.0


def test_evidence_quote_is_the_most_confident_counted_turn():
    table = trends(scored_table([Q4, Q1]))
    ai = row(table, "2025Q1", "ai_demand")
    assert ai.quote == "How should we think about AI demand?"
    assert (ai.quote_speaker, ai.quote_role, ai.quote_section) == ("Bob Roe", "analyst", "qa")
    # 0.9 confidence on the operator's (uncounted) turn never becomes the evidence
    assert row(table, "2024Q4", "ai_demand").quote == "AI demand grew strongly this quarter."


def test_evidence_quote_prefers_a_statement_to_a_translation_remark_or_a_question():
    remark = "Okay, so very quickly to translate from Mr. Zhou's response to the chip ban question."
    question = "Does the chip ban affect how many GPUs you can buy this year?"
    statement = "The chip ban limited the GPUs we could buy, so we turned to domestic suppliers."
    def call(*quotes):
        return {"company": "Acme", "period": "2025Q1", "turns": [
            ("Ann Lee", "management", "qa", 10, 200, True, {"ai_demand": (1, 0.1, 0.95, quote)})
            for quote in quotes]}
    assert row(trends(scored_table([call(remark, statement)])), "2025Q1", "ai_demand").quote == statement
    assert row(trends(scored_table([call(question, statement)])), "2025Q1", "ai_demand").quote == statement
    # "translate into" is not about interpreting the call
    plain = "Strong AI demand will translate into revenue growth next year, we believe."
    assert row(trends(scored_table([call(remark, plain)])), "2025Q1", "ai_demand").quote == plain


def test_several_calls_of_one_company_in_one_period_add_up():
    second = {"company": "Acme", "period": "2025Q1", "turns": [
        ("Cy Doe", "management", "prepared", 100, 1000, True, {"ai_demand": (30, 0.2, 0.5, "More AI.")})]}
    table = trends(scored_table([Q4, Q1, second]))
    q1 = row(table, "2025Q1", "ai_demand")
    assert q1.calls == 2 and q1.mentions == 40 and q1.sentences == 200 and q1.words == 3000
    assert q1.share == pytest.approx(0.2)
    assert q1.tone == pytest.approx((3.6 + 0.6 + 6.0) / 38)
    assert q1.trend == "rising"  # 10/100 -> 40/200: the interval lies above zero
    assert len(table) == 4


def test_summaries_are_trended_apart_from_transcripts():
    summary = {"company": "Acme", "period": "2025Q1", "kind": "summary", "turns": [
        (None, "unknown", "prepared", 10, 200, True, {"seasonality": (8, -0.4, 0.9, "Seasonal drag.")})]}
    summary_q2 = {"company": "Acme", "period": "2025Q2", "kind": "summary", "turns": [
        (None, "unknown", "prepared", 10, 200, True, {"ai_demand": (5, 0.5, 0.9, "AI revenue surges.")})]}
    table = trends(scored_table([summary_q2, Q1, summary, Q4]))
    assert list(table.kind.unique()) == ["transcript", "summary"]
    # the transcript series is exactly what it is without the summaries
    pd.testing.assert_frame_equal(table[table.kind == "transcript"].reset_index(drop=True),
                                  trends(scored_table([Q4, Q1])))
    first = row(table, "2025Q1", "seasonality", kind="summary")
    assert pd.isna(first.trend) and pd.isna(first.previous_period)  # not compared with 2024Q4 transcript
    later = row(table, "2025Q2", "seasonality", kind="summary")
    assert later.previous_period == "2025Q1" and later.trend == "gone"


def test_periods_sort_chronologically_and_gaps_compare_with_last_present_period():
    calls = [dict(Q1, period=p, call_id=f"c{p}") for p in ("2025Q1", "2023Q4", "2024Q2", "2024Q1")]
    table = trends(scored_table(calls))
    assert list(dict.fromkeys(table.period)) == ["2023Q4", "2024Q1", "2024Q2", "2025Q1"]
    assert row(table, "2025Q1", "ai_demand").previous_period == "2024Q2"
    assert sorted(["2025Q1", "2024Q4", "FY2024Q3", None, "H1 2025"], key=period_key) == [
        "FY2024Q3", "2024Q4", "2025Q1", "H1 2025", None]


def test_companies_never_compare_with_each_other():
    other = dict(Q1, company="Beta", call_id="beta")
    table = trends(scored_table([Q4, Q1, other]))
    beta = row(table, "2025Q1", "ai_demand", company="Beta")
    assert pd.isna(beta.trend) and pd.isna(beta.previous_period)
    assert list(dict.fromkeys(table.company)) == ["Acme", "Beta"]


def test_calls_of_one_file_name_ticker_trend_under_one_name_and_tickers_never_merge():
    # scored one by one, a call may name its company only by the ticker; the calls of another
    # ticker whose name is spelled alike stay apart
    calls = [dict(Q4, company="AGO", path="/c/AGO_q4_2024.txt", call_id="a4"),
             dict(Q1, company="Assured Guaranty", path="/c/AGO_q1_2025.txt", call_id="a1"),
             dict(Q4, company="Community Bank System", path="/c/CBU_q4_2024.txt", call_id="b4"),
             dict(Q1, company="Community Bank System", path="/c/CBU_q1_2025.txt", call_id="b1"),
             dict(Q1, company="Community Health Systems", path="/c/CYH_q1_2025.txt", call_id="c1")]
    table = trends(scored_table(calls))
    assert list(dict.fromkeys(table.company)) == ["Assured Guaranty", "Community Bank System",
                                                  "Community Health Systems"]
    assert row(table, "2025Q1", "ai_demand", company="Assured Guaranty").previous_period == "2024Q4"
    assert pd.isna(row(table, "2025Q1", "ai_demand", company="Community Health Systems").previous_period)


def test_calls_of_unknown_company_are_never_trended():
    # two company-less calls may be of two companies: a Q4 call mentioning AI and a Q1 call
    # that does not must not read as "AI demand gone"
    unknown = [dict(Q4, company=None, call_id="x"), dict(Q1, company=None, call_id="y")]
    table = trends(scored_table(unknown))
    assert table.company.isna().all()
    assert list(table.period.unique()) == ["2024Q4", "2025Q1"]
    assert table.trend.isna().all() and table.previous_period.isna().all()
    assert table.delta_share.isna().all()


def test_user_themes_need_no_code_change():
    calls = [{"company": "Acme", "period": p, "turns": [
        ("Ann Lee", "management", "prepared", 50, 900, True, {"buybacks": (n, 0.1, 0.7, "We bought back shares.")})]}
        for p, n in (("2024Q4", 0), ("2025Q1", 20))]
    table = trends(scored_table(calls, themes=("buybacks",)))
    assert list(table.theme) == ["buybacks", "buybacks"]
    assert row(table, "2025Q1", "buybacks").trend == "new"


def test_falling_gone_and_absent():
    def call(period, n):
        return {"company": "Acme", "period": period, "turns": [
            ("Ann Lee", "management", "prepared", 100, 1000, True,
             {"ai_demand": (n, 0.1, 0.7, "AI.")} if n else {})]}
    table = trends(scored_table([call("2024Q3", 30), call("2024Q4", 5), call("2025Q1", 0),
                                 call("2025Q2", 0)]))
    labels = table[table.theme == "ai_demand"].trend
    assert pd.isna(labels.iloc[0]) and list(labels.iloc[1:]) == ["falling", "gone", "absent"]


def test_newcombe_interval_matches_the_published_examples():
    # Newcombe (1998), Statistics in Medicine 17:873-890, table II, method 10.
    assert share_difference_interval(56, 70, 48, 80) == pytest.approx((0.0524, 0.3339), abs=5e-5)
    assert share_difference_interval(9, 10, 3, 10) == pytest.approx((0.1705, 0.8090), abs=5e-5)
    assert share_difference_interval(5, 56, 0, 29) == pytest.approx((-0.0381, 0.1926), abs=5e-5)
    assert wilson_interval(0, 10) == pytest.approx((0.0, 0.2775), abs=5e-5)


def test_classify_claims_a_direction_only_when_the_interval_excludes_zero():
    assert classify(5, 3, -0.01, 0.2) == "steady"
    assert classify(5, 3, 0.01, 0.2) == "rising"
    assert classify(1, 9, -0.3, -0.02) == "falling"
    assert classify(3, None, 0.1, 0.2) is None


def test_confidence_level_changes_the_interval_width():
    table90 = trends(scored_table([Q4, Q1]), confidence=0.90)
    table99 = trends(scored_table([Q4, Q1]), confidence=0.99)
    a, b = row(table90, "2025Q1", "ai_demand"), row(table99, "2025Q1", "ai_demand")
    assert b.delta_share_high - b.delta_share_low > a.delta_share_high - a.delta_share_low
    with pytest.raises(ConfigError, match="confidence 1.5 is invalid"):
        trends(scored_table([Q4]), confidence=1.5)


def test_bad_input_is_rejected_with_a_clear_message():
    with pytest.raises(ConfigError, match="expects the scored turn table .* got list"):
        trends([{"call_id": 1}])
    with pytest.raises(ConfigError, match="lacks column\\(s\\) counted"):
        trends(scored_table([Q1]).drop(columns=["counted"]))


def test_empty_table_gives_empty_trends_with_the_columns():
    table = trends(scored_table([Q1]).iloc[0:0])
    assert table.empty and list(table.columns) == COLUMNS


turn_spec = st.tuples(
    st.sampled_from(["management", "analyst", "operator", "unknown"]),
    st.sampled_from(["prepared", "qa"]),
    st.integers(0, 40), st.booleans(), st.integers(0, 40),
    st.floats(-1, 1, allow_nan=False),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["2024Q3", "2024Q4", "2025Q1"]),
                          st.lists(turn_spec, min_size=1, max_size=5)), min_size=1, max_size=5))
def test_shares_add_up_and_intervals_hold_the_difference(spec):
    calls = []
    for i, (period, turns) in enumerate(spec):
        calls.append({"company": "Acme", "period": period, "call_id": f"c{i}", "turns": [
            ("X", role, section, n, n * 15, counted,
             {"ai_demand": (min(m, n), tone, 0.5, "q")} if min(m, n) else {})
            for role, section, n, counted, m, tone in turns]})
    table = trends(scored_table(calls))
    for r in table.itertuples():
        assert 0.0 <= r.share <= 1.0
        if r.mentions:
            assert r.prepared_share + r.qa_share == pytest.approx(1.0)
            assert r.mgmt_share + r.analyst_share <= 1.0 + 1e-9
            assert -1.0 <= r.tone <= 1.0
        if not pd.isna(r.trend):
            assert r.delta_share_low <= r.delta_share + 1e-12 <= r.delta_share_high + 2e-12
            assert r.trend in {"new", "rising", "steady", "falling", "gone", "absent"}
    assert table.sentences.groupby([table.period, table.kind]).nunique().max() == 1


@pytest.mark.parametrize("date,quarter", [
    ("2025-05-28", "2025Q1"),  # NVIDIA's first quarter of fiscal 2026 ended in late April
    ("2025-08-29", "2025Q2"),  # Alibaba's first quarter of fiscal 2026 ended in June
    ("2025-02-26", "2024Q4"), ("2025-04-24", "2025Q1"), ("2025-03-05", "2024Q4"), ("2025-11-19", "2025Q3"),
    (None, None), ("", None), ("not a date", None),
])
def test_the_calendar_quarter_is_the_one_a_call_reports_on(date, quarter):
    assert calendar_quarter(date) == quarter


def test_the_overview_lines_companies_up_by_the_calendar_quarters_they_report_on():
    # two companies whose fiscal "2026Q1" are different months: the overview must not put them together
    nvidia = [dict(Q4, company="NVIDIA", period="2026Q1", date="2025-05-28", call_id="n1"),
              dict(Q1, company="NVIDIA", period="2026Q2", date="2025-08-27", call_id="n2")]
    alibaba = [dict(Q4, company="Alibaba", period="2025Q4", date="2025-05-15", call_id="a1"),
               dict(Q1, company="Alibaba", period="2026Q1", date="2025-08-29", call_id="a2")]
    table = trends(scored_table(nvidia + alibaba))
    assert set(zip(table.company, table.period, table.calendar_quarter)) == {
        ("NVIDIA", "2026Q1", "2025Q1"), ("NVIDIA", "2026Q2", "2025Q2"),
        ("Alibaba", "2025Q4", "2025Q1"), ("Alibaba", "2026Q1", "2025Q2")}
    overview, _ = corpus_overview(table)
    assert overview.attrs["periods"] == "calendar"
    assert list(overview[overview.theme == "ai_demand"].period) == ["2025Q1", "2025Q2"]
    assert set(overview.companies) == {2}
    # without a date for every call, the overview keeps the quarters the calls state
    undated = trends(scored_table(nvidia + [dict(alibaba[0], date=None), alibaba[1]]))
    overview, _ = corpus_overview(undated)
    assert overview.attrs["periods"] == "stated"
    assert list(overview[overview.theme == "ai_demand"].period) == ["2025Q4", "2026Q1", "2026Q2"]

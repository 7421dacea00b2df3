"""Who said what, for which company: speaker labels, interpretation pairs and company keys."""

from __future__ import annotations

import pandas as pd
import pytest

import topictrack
from topictrack._resources import sample_calls
from topictrack.transcripts import read_transcript, read_transcripts, turns_table

from scored_tables import scored_table

SEEDS = {p.name[:3]: p for p in sample_calls()}

# Titles with "&" and commas used as speaker labels, a firm used as a label, a participant
# listed without a title, a name glued to the end of a paragraph and labels inside a line.
AMPERSAND_CALL = """Acme Robotics, Inc. (NASDAQ:ACMR) Q2 2025 Earnings Call August 5, 2025 4:30 PM ET

Company Participants

Dana Cole - Chairman & CEO
Lee Park - Executive VP, Treasurer & CFO
Melanie Strate

Conference Call Participants

Raj Patel - Northbridge Securities, Research Division
Olga Varga - Harbor Research, LLC

Presentation

Operator

Welcome to the Acme Robotics second quarter 2025 earnings call. I will now turn the call over to Melanie Strate. Melanie Strate

Thank you. Joining me today are Dana and Lee. Dana, please go ahead.

Chairman & CEO: Thank you, Melanie. Revenue grew 12% on demand for warehouse robots, and orders from grocers doubled.

Question-and-Answer Session

Operator: Our first question comes from Raj Patel with Northbridge. Raj Patel: Northbridge Securities, Research Division How large is the backlog now, and how much of it ships this year? Chairman & CEO: The backlog doubled to $2 billion, and about half of it ships this year.

Operator: Our next question comes from Olga Varga with Harbor Research.

Harbor Research, LLC: What about margins next year?

Executive VP, Treasurer & CFO: Margins should expand by two points as the new plant ramps up.
"""


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_titles_with_ampersands_and_firms_are_speaker_labels(tmp_path):
    call = read_transcript(_write(tmp_path, "acme.txt", AMPERSAND_CALL))
    turns = call.turns
    assert turns.speaker.tolist() == ["Operator", "Melanie Strate", "Dana Cole", "Operator", "Raj Patel",
                                      "Dana Cole", "Operator", "Olga Varga", "Lee Park"]
    assert turns.role.tolist() == ["operator", "management", "management", "operator", "analyst",
                                   "management", "operator", "analyst", "management"]
    # the analyst's turn holds only the question; the title after the name is not text
    assert turns.text[4] == "How large is the backlog now, and how much of it ships this year?"
    assert turns.text[5].startswith("The backlog doubled")


def test_a_participant_listed_without_a_title_is_a_participant(tmp_path):
    call = read_transcript(_write(tmp_path, "acme.txt", AMPERSAND_CALL))
    assert call.participants["Melanie Strate"] == ("", "management")
    assert call.participants["Raj Patel"] == ("Northbridge Securities, Research Division", "analyst")
    assert "Melanie Strate Raj Patel" not in call.participants


# Speakers written otherwise than listed, one speaker labelled again at page breaks, an
# operator label on a questioner's words, and "[Foreign language]" without any Chinese text.
VARIANT_NAMES_CALL = """Acme Group Holding Limited (NYSE:ACME) Q3 2025 Earnings Call November 20, 2025 7:30 AM ET

Company Participants

Yongming Wu - CEO & Director
Lydia Lu - Head of Investor Relations

Conference Call Participants

Alex C. Yao - JPMorgan Chase & Co, Research Division

Operator: Good day. Welcome to Acme Group's September quarter 2025 results call. I would now like to turn the call over to Lydia Liu. Lydia Liu: Thank you. Welcome, everyone. Eddie Wu: [Foreign language]
Eddie Wu: Cloud revenue rose 34% on demand for AI services from enterprises in every industry.
Eddie Wu: Our shopping business grew 10%, helped by quick commerce and better take rates.
Question-and-Answer Session
Operator: Your first question comes from Alex Yao at JP Morgan. Please go ahead. Alex Yao: Thank you. How fast will the cloud business grow next year, and what limits it?
Eddie Wu: Cloud will keep growing faster than the market because demand exceeds the servers we can deploy.
Eddie Wu: On the second part, the limit is the supply of servers, not customer demand for AI services.
Operator: Your next question comes from Elijah Moore. Please go ahead. Operator: [Foreign language]
Operator: Yeah, thank you, management, for taking my question. This is a follow-up question on capital spending: how should we think about investment over the next three years?
Eddie Wu: We will invest more than we planned, because the returns on AI infrastructure are clear.
"""


def test_name_variants_resolve_to_the_listed_participant(tmp_path):
    turns = read_transcript(_write(tmp_path, "acme_3q25.txt", VARIANT_NAMES_CALL)).turns
    assert turns.speaker.tolist() == ["Operator", "Lydia Lu", "Yongming Wu", "Operator", "Alex C. Yao",
                                      "Yongming Wu", "Operator", "Elijah Moore", "Yongming Wu"]
    assert turns.role.tolist() == ["operator", "management", "management", "operator", "analyst",
                                   "management", "operator", "analyst", "management"]


def test_a_question_labelled_operator_is_the_questioners(tmp_path):
    turns = read_transcript(_write(tmp_path, "acme_3q25.txt", VARIANT_NAMES_CALL)).turns
    question = turns[turns.text.str.contains("capital spending")].iloc[0]
    assert (question.speaker, question.role, question.boilerplate) == ("Elijah Moore", "analyst", False)


def test_two_different_english_answers_in_a_row_are_not_a_pair(tmp_path):
    # a call that mentions interpretation, but gives no Chinese text and announces no translation
    text = (
        "Operator: Welcome to the Acme first quarter 2025 call. Consecutive interpretation is provided.\n"
        "Ann Lee: Cloud revenue rose 34% this quarter on demand for AI services, and cloud margins "
        "improved on better utilization of our servers across every region we serve.\n"
        "Ann Lee: Our shopping business grew 10% this quarter on quick commerce, and its margins "
        "improved on better utilization of our warehouses across every region we serve.\n"
    )
    turns = read_transcript(_write(tmp_path, "acme_q1_2025.txt", text)).turns
    assert len(turns) == 3
    assert turns.duplicate_of.isna().all() and turns.interpretation.isna().all()


ANNOUNCED_CALL = """Operator: Welcome to the Acme first quarter 2025 earnings call. 本次会议提供交替传译。 Our first question comes from Bob Roe with Harbor Securities.
Bob Roe: Thank you for the opportunity. My question is about the new chip restrictions announced this month. How much inventory of computing cards does the company hold today, how long would that inventory last for existing customers, and can domestic computing resources replace imported cards in new clusters built next year?
Bob Roe: Let me quickly translate my question. I asked about the new chip restrictions: how much inventory of computing cards the company holds today, how long that inventory lasts for existing customers, and whether domestic computing resources can replace imported cards in new clusters next year.
Ann Lee: We hold enough inventory for this year, and domestic computing resources will take a growing share of new capacity.
"""


def test_an_announced_interpretation_is_linked_and_counts(tmp_path):
    turns = read_transcript(_write(tmp_path, "acme_q1_2025.txt", ANNOUNCED_CALL)).turns
    # the machine-translated question points to the announced interpretation, which counts
    assert turns.duplicate_of[1] == 2 and pd.isna(turns.duplicate_of[2])
    assert turns.interpretation[2] == "counted, not turn 1: announced interpretation"
    assert turns.interpretation[1] == "not counted: turn 2 counts (announced interpretation)"
    assert pd.isna(turns.duplicate_of[3]) and turns.role[1] == turns.role[2] == "analyst"


HEADER_TICKER_CALL = """Intel Corporation (NASDAQ:INTC) Q1 2025 Earnings Call April 24, 2025 5:00 PM ET

Company Participants

Michelle Johnston Holthaus - CEO, Intel Products
David Zinsner - Executive VP & CFO

Conference Call Participants

Ross Seymore - Deutsche Bank AG, Research Division

Presentation

Operator: Welcome to the first quarter 2025 earnings call. Please go ahead.
CEO, Intel Products: Thank you. Client revenue grew and data center demand stayed firm this quarter.
"""


def test_the_header_ticker_line_beats_a_speakers_title(tmp_path):
    call = read_transcript(_write(tmp_path, "INTC_1Q25.txt", HEADER_TICKER_CALL))
    assert call.company == "Intel"
    assert call.company_name == "Intel Corporation"
    assert turns_table(call).company_name.unique().tolist() == ["Intel Corporation"]
    assert call.turns.speaker.tolist() == ["Operator", "Michelle Johnston Holthaus"]


def test_one_company_key_whether_read_alone_or_together(tmp_path):
    titled = _write(tmp_path, "MRVL_2Q26.txt", HEADER_TICKER_CALL.replace(
        "Intel Corporation (NASDAQ:INTC) Q1 2025", "Marvell Technology, Inc. (NASDAQ:MRVL) Q2 2026").replace(
        "CEO, Intel Products", "President & CEO"))
    welcomed = _write(tmp_path, "MRVL_1Q26.txt", (
        "Operator: Welcome to Marvell's first quarter fiscal 2026 earnings call. Please go ahead.\n"
        "Matt Murphy: Thank you. Data center revenue grew on custom silicon for AI.\n"))
    alone = [read_transcript(p).company for p in (titled, welcomed)]
    together = [c.company for c in read_transcripts([titled, welcomed]).calls]
    assert alone == ["Marvell", "Marvell"] and sorted(together) == alone


def test_trends_join_one_companys_spellings_across_calls_scored_alone():
    turn = [("Ann Lee", "management", "prepared", 10, 100, True, {"ai_demand": (2, 0.5, 0.9, "AI demand.")})]
    scored = scored_table([
        {"company": "Kingsoft Cloud", "period": "2024Q4", "turns": turn},
        {"company": "Kingsoft Cloud", "period": "2025Q1", "turns": turn},
        {"company": "Kingshark Cloud", "period": "2025Q2", "turns": turn},
    ])
    table = topictrack.theme_trends(scored)
    assert set(table.company) == {"Kingsoft Cloud"}
    assert table[table.theme == "ai_demand"].previous_period.tolist()[1:] == ["2024Q4", "2025Q1"]


@pytest.fixture(scope="module")
def bundled_trends():
    scored = topictrack.score([SEEDS["004"], SEEDS["003"]], cache=False, jobs=1)
    return scored, topictrack.theme_trends(scored)


def test_the_interpreters_english_counts_in_the_bundled_calls(bundled_trends):
    scored, table = bundled_trends
    q1 = scored[scored.period == "2025Q1"].set_index("turn")
    # the chip-ban answer counts from the interpreter's English, not from the machine translation
    assert q1.loc[33, "counted"] and not q1.loc[32, "counted"]
    assert q1.loc[33, "mentions_chip_supply"] > 0
    chip = table[(table.theme == "chip_supply") & (table.period == "2025Q1")].iloc[0]
    assert chip.trend in ("rising", "new")


def test_the_cdn_business_drops_out_of_the_bundled_q1_call(bundled_trends):
    # the analyst table in the seeds: the CDN business was not discussed in Q1; the one Q1
    # sentence left is the business-structure adjustment the guide counts for the theme
    _, table = bundled_trends
    cdn = table[(table.theme == "cdn_downsizing") & (table.period == "2025Q1")].iloc[0]
    assert cdn.trend in ("falling", "gone")
    assert cdn.delta_share_high < 0
    q4 = table[(table.theme == "cdn_downsizing") & (table.period == "2024Q4")].iloc[0]
    assert q4.mentions > cdn.mentions


def test_a_call_scored_against_itself_shows_no_trend(bundled_trends):
    scored, _ = bundled_trends
    q1 = scored[scored.period == "2025Q1"]
    again = q1.assign(period="2025Q2", call_id=q1.call_id + "-again", path=q1.path + "-again")
    table = topictrack.theme_trends(pd.concat([q1, again], ignore_index=True))
    later = table[table.period == "2025Q2"]
    assert len(later) == len(topictrack.list_themes())
    assert set(later.trend) <= {"steady", "absent"}
    assert "steady" in set(later.trend)
    assert (later.delta_share.dropna() == 0).all()

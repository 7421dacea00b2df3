"""Sentence splitting and language marks, offline."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from topictrack import text as _text
from topictrack.text import cjk_ratio, language, sentences


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mr. Zhou will review the strategy. Then Mr. Hu covers the numbers.",
         ["Mr. Zhou will review the strategy.", "Then Mr. Hu covers the numbers."]),
        ("Revenue was RMB 1.97 billion, up 11%. Margins fell.",
         ["Revenue was RMB 1.97 billion, up 11%.", "Margins fell."]),
        ("Sales in the U.S. grew quickly. Europe was flat.",
         ["Sales in the U.S. grew quickly.", "Europe was flat."]),
        ("AI billing grew 200% y.o.y. and margins held. Good.",
         ["AI billing grew 200% y.o.y. and margins held.", "Good."]),
        ("Growth was 5% y.o.y. Next, costs.", ["Growth was 5% y.o.y.", "Next, costs."]),
        ("We launched the cluster in Q1. Then demand rose.",
         ["We launched the cluster in Q1.", "Then demand rose."]),
        ("Gross margin was 16.6% versus 19.2% before. OK.",
         ["Gross margin was 16.6% versus 19.2% before.", "OK."]),
        ("Our CFO, Mr. He, said so. Then we closed.", ["Our CFO, Mr. He, said so.", "Then we closed."]),
        ("We sell in the U.S. The market grew.", ["We sell in the U.S.", "The market grew."]),
    ],
)
def test_sentences_handle_call_abbreviations(text, expected):
    assert sentences(text) == expected


def test_sentences_split_lines_and_normalise_space():
    assert sentences("First line here.\n\n  Second   line\there.  \n") == ["First line here.", "Second line here."]
    assert sentences("") == [] and sentences(" \n ") == []


def test_a_title_never_joins_across_lines():
    assert sentences("Thank you, Mr.\nHe said no.") == ["Thank you, Mr.", "He said no."]


def test_chinese_sentence_marks_end_a_sentence():
    text = "我们的AI收入增长很快。Revenue grew 20%. 这是真的吗？是的！ Thank you."
    assert sentences(text) == ["我们的AI收入增长很快。", "Revenue grew 20%.", "这是真的吗？", "是的！", "Thank you."]
    assert sentences("收入增长，毛利率下降") == ["收入增长，毛利率下降"]  # commas do not split


def test_sentences_rejects_non_text():
    with pytest.raises(TypeError, match="expects a str"):
        sentences(["a list"])


def test_sentences_lose_no_words():
    text = "Revenue rose 24% y.o.y. to RMB 2.35 billion. Mr. Zou said the U.S. rules matter. In Q2. Done!"
    assert " ".join(sentences(text)).split() == text.split()


def test_language_marks():
    assert language("Revenue grew strongly this quarter.") == "en"
    assert language("本季度我们的人工智能业务收入同比增长超过百分之二百。") == "zh"
    assert language("我们的收入 grew") == "zh"  # seven characters outweigh one short word
    assert language("Kingsoft Cloud (金山云) grew revenue strongly across all of its segments.") == "mixed"
    assert language("Kingsoft Cloud grew revenue strongly across all of its segments this year; 云 led.") == "en"
    assert cjk_ratio("") == 0.0 and cjk_ratio("123 456") == 0.0
    assert 0 < cjk_ratio("金山云 Kingsoft Cloud") < 1


def test_hard_wrapped_lines_join_into_their_sentences():
    wrapped = ("Over the past quarter, Alibaba\ndelivered steady growth. Let me\n"
               "walk you through the latest developments, which\nmatter most.\nRevenue rose 5%.")
    assert sentences(wrapped) == [
        "Over the past quarter, Alibaba delivered steady growth.",
        "Let me walk you through the latest developments, which matter most.",
        "Revenue rose 5%.",
    ]


def test_a_line_break_still_ends_headings_bullets_and_finished_sentences():
    assert sentences("Company Participants\nHong Xu - Chief Financial Officer") == [
        "Company Participants", "Hong Xu - Chief Financial Officer"]
    assert sentences("Revenue grew.\nmargins fell.") == ["Revenue grew.", "margins fell."]
    assert sentences("- Demand strong\n- supply tight") == ["- Demand strong", "- supply tight"]


_WRAP_TEXT = st.text(alphabet="aZ9,%. \t\r\n\u00a0x", max_size=60)


@settings(max_examples=400, deadline=None)
@given(_WRAP_TEXT)
def test_wrapped_lines_join_as_the_defining_pattern_does(value):
    assert _text._join_wrapped(value) == _text._WRAPPED.sub(" ", value)
    for block in value.splitlines():
        assert " ".join(block.split()) == _text._SPACE.sub(" ", block).strip()

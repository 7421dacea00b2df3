"""Unlabelled calls: the cue rules found by searching the units together give what each rule gives
applied to every unit, and merging runs of plain units gives the turns of going through every unit."""

from __future__ import annotations

import random
import re

import pytest

from topictrack.transcripts import formats, metadata, unlabelled
from topictrack.transcripts.cleaning import mentions_safe_harbour

SENTENCES = [
    "Good morning, and welcome to the Acme first quarter 2025 earnings conference call.",
    "Good day, ladies and gentlemen, and thank you for standing by.",
    "As a reminder, to ask a question, please press star one.",
    "At this time, all participants are in a listen-only mode.",
    "I would now like to turn the call over to Jane Smith, Head of Investor Relations.",
    "Thank you, operator.",
    "Thanks, Jane.",
    "Hi everyone, and thanks for joining.",
    "Hello all.",
    "Today's remarks contain forward-looking statements that are subject to risks and uncertainties.",
    "Actual results may differ materially; we have no obligation to update them.",
    "Please see our FORM 10-\u212a filed with the SEC.",  # a Kelvin sign lowers to an ASCII k
    "We refer to non-GAAP measures; the reconciliation is in the press release.",
    "Revenue grew 12% to $4.1 billion on strong cloud demand.",
    "Operating margin expanded by 150 basis points.",
    "Our focus turns to growth in the second half.",
    "With that, I'll hand it over to our CFO, Mark Lee.",
    "Let me pass it back to the operator for questions.",
    "We will now begin the question-and-answer session.",
    "Our first question comes from Tom Brown with Big Bank.",
    "Thanks for taking my question. How should we think about pricing?",
    "Great question. Pricing held up well across regions.",
    "Your line is open.",
    "Let me translate the question for our chairman.",
    "Interpreter: the chairman says demand is strong.",
    "This is the translation of the answer.",
    "The next question comes from Ann Lee of Acme Securities. Please go ahead.",
    "One moment, please.",
    "We think that demand will hold we think that demand will hold we think that demand will hold.",
    "Speakers, please stand by.",
    "This concludes today's conference call. You may now disconnect.",
    "Revenue rose. Our next question comes from Bo Chan. Please go ahead.",
    "The ſafe harbor statement applies.",  # a long s: the unit is searched by its rule
    "Margins \u00e9tendues were stable this quarter.",
    "March 3, 2025",
    "Welcome to the call. This is Henry.",
]


def _calls(count: int = 40) -> list[str]:
    rng = random.Random(7)
    calls = []
    for _ in range(count):
        lines = rng.choices(SENTENCES, k=rng.randint(8, 60))
        calls.append("Acme Corp Q1 2025 Earnings Call\n" + "\n".join(lines) + "\n")
    return calls


def _units(text: str) -> list[str]:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    units = []
    for line in lines:
        units.extend(p for p in unlabelled._OPERATOR_INNER.split(line) if p.strip())
    return units


@pytest.mark.parametrize("merge", [True, False])
def test_each_rule_holds_for_the_units_found(merge):
    for text in _calls():
        units = _units(text)
        facts = unlabelled._UnitFacts(units, merge)

        def where(rule) -> set:
            return {k for k, unit in enumerate(units) if rule(unit)}

        assert facts.opening == where(unlabelled._OPERATOR_OPENING.match)
        assert facts.operator == where(unlabelled._looks_operator)
        assert facts.translate == where(unlabelled._TRANSLATE.match)
        assert facts.new_speaker == (where(unlabelled._NEW_SPEAKER_CUE.match) if merge else set())
        assert facts.safe == (where(mentions_safe_harbour) if merge else set())
        assert facts.hand_over == where(lambda unit: unlabelled._mentions_hand_over(unit[-250:]))


def test_a_non_ascii_unit_is_searched_by_its_rule():
    units = ["Please see our FORM 10-\u212a.", "The \u017fafe harbor applies.", "Revenue rose."]
    facts = unlabelled._UnitFacts(units, True)
    assert facts.safe == {0} and mentions_safe_harbour(units[0])
    assert not mentions_safe_harbour(units[1])


@pytest.mark.parametrize("fmt", ["sentence_lines", "unlabelled"])
def test_merging_plain_runs_gives_the_turns_of_every_unit_through_the_rules(fmt, monkeypatch):
    texts = _calls()
    quick = [unlabelled.parse_cue_units(text, "call.txt", fmt) for text in texts]
    built = unlabelled._UnitFacts.__init__

    def every_unit(self, units, merge):
        built(self, units, merge)
        self.cued = set(range(len(units)))  # no unit skips the rules

    monkeypatch.setattr(unlabelled._UnitFacts, "__init__", every_unit)
    plain = [unlabelled.parse_cue_units(text, "call.txt", fmt) for text in texts]
    assert quick == plain
    assert any(role == "operator" for parsed in quick for _, role, _, _ in parsed.turns)
    assert fmt == "unlabelled" or any("\n" in body for parsed in quick for *_, body in parsed.turns)


def test_a_looped_operator_and_safe_harbour_call_reads_the_same_either_way(monkeypatch):
    text = "\n".join([
        "Good morning, everyone, and welcome to the Acme first quarter 2025 earnings call.",
        "I will now turn the call over to Jane Smith.",
        "Thank you. Today's remarks contain forward-looking statements.",
        "Actual results may differ materially.",
        "Revenue grew and we think that demand we think that demand we think that demand will hold.",
        "Margins were stable.",
        "With that, I'll turn it back to the operator.",
        "Our first question comes from Tom Brown with Big Bank.",
        "How is pricing?",
        "Pricing held.",
    ] * 2)
    quick = unlabelled.parse_cue_units(text, "call.txt", "sentence_lines")
    monkeypatch.setattr(unlabelled._UnitFacts, "next_cued", lambda self, k: k + 1)  # one unit at a time
    assert unlabelled.parse_cue_units(text, "call.txt", "sentence_lines") == quick
    assert [role for _, role, _, _ in quick.turns][:3] == ["operator", "management", "management"]
    assert quick.turns[1][0] == "Jane Smith" and quick.turns[2][3].startswith("Revenue grew")  # safe-harbour run


@pytest.mark.parametrize("text", [
    "q1 2025, 1q25, xq1, 2q, a4q, quarterly, Q3, the q4'24 quarter", "q", "4", "qq1 11q 1qq q1q",
    "\u00e9q1 \u00e91q _q2 _2q -q3 -3q", "", "quarterquarter q5 5q 0q",
])
def test_the_period_hint_finds_what_the_plain_pattern_finds(text):
    plain = re.compile(r"quarter|\bq[1-4]|\b[1-4]q")
    assert [m.span() for m in metadata._PERIOD_HINT.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_a_window_without_a_digit_holds_no_period():
    assert metadata._periods("In the quarter we grew; the first quarter was strong.") == []
    assert [p for *_, p in metadata._periods("In the quarter we grew; first quarter 2025 was strong.")] \
        == ["2025Q1"]


@pytest.mark.parametrize("ending", [0, 1, 2, 3, 9, 10])
def test_the_table_test_stops_early_with_the_same_answer(ending):
    lines = ["a,b,c"] * (10 - ending) + ["a,b,c."] * ending
    many = sum(1 for ln in lines if ln.endswith(".")) > 0.3 * len(lines)
    assert formats._is_table(lines) == (not many)

"""The reader's cheaper paths give what the plain rules give: loops collapsed in windows of
words, line-start layout patterns, substring tests before regexes, each file read once."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from topictrack._resources import sample_calls
from topictrack.transcripts import cleaning, formats, loops, read_transcript, read_transcripts
from topictrack.transcripts import decode as _decode
from topictrack.transcripts import reader as _reader

LOOPED = (
    "Revenue grew nine percent this quarter. "
    + "and we think that demand " * 5
    + "will hold through the year. Margins were stable."
)
DISTINCT = " ".join(f"Segment {i} revenue rose {i} percent on strong cloud demand." for i in range(400))
SENTENCE_LINES = "\n".join(f"Revenue grew in segment {i} this year." for i in range(3000)) + "\n"


def test_a_repeated_loop_is_collapsed_to_one_copy():
    collapsed, count = loops.collapse_loops(LOOPED)
    assert count == 1
    assert collapsed == ("Revenue grew nine percent this quarter. and we think that demand "
                         "will hold through the year. Margins were stable.")


def test_distinct_text_is_kept_as_it_is():
    assert loops.collapse_loops(DISTINCT) == (DISTINCT, 0)
    assert loops.collapse_loops(SENTENCE_LINES) == (SENTENCE_LINES, 0)


def test_loops_found_in_small_windows_and_chunks_are_those_found_at_once(monkeypatch):
    filler = " ".join(f"word{i}" for i in range(150))
    text = "\n".join([
        filler, "we see we see we see we see strong demand", filler,
        "a b c d e f " * 40 + "ends here", filler,  # a loop running past several windows
        " ".join(["one two three four five"] * 3) + " one two", filler,
    ])
    whole = loops.collapse_loops(text)
    assert whole[1] == 2  # "we see" is two words: not a loop; the other two are
    assert "a b c d e f ends here" in whole[0] and whole[0].count("one two three four five") == 1
    for window, chunk in [(1, 5), (7, 40), (64, 300)]:
        monkeypatch.setattr(loops, "_WINDOW", window)
        monkeypatch.setattr(loops, "_CHUNK", chunk)
        assert loops.collapse_loops(text) == whole


def test_the_byte_screen_knows_every_space_str_split_splits_at():
    others = "".join(chr(c) for c in range(0x80, 0x110000) if chr(c).isspace())
    assert others == loops.OTHER_SPACES
    assert {chr(c) for c in range(0x80) if chr(c).isspace()} == {chr(b) for b in range(0x80) if loops._ASCII_SPACE[b]}


SPACES = ["  ", "\n", "\t", " \n ", "\x1f", "\u3000", "\xa0"]
# words whose fingerprints (length, first and last byte) collide, and many that do not
WORDS = ["we", "see", "strong", "demand", "the", "tie", "tee", "revenue", "revenge", "é", "云"] + [
    f"w{i}" for i in range(300)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=200, max_size=900), st.integers(3, 60), st.integers(0, 899),
       st.integers(0, 3), st.lists(st.sampled_from(SPACES), min_size=1, max_size=40), st.randoms())
def test_the_byte_screen_misses_no_loop_the_word_search_finds(words, d, at, copies, spaces, rnd):
    at = min(at, len(words))
    words = words[:at] + words[at:at + d] * copies + words[at:]
    text = "".join(w + (rnd.choice(spaces) if rnd.random() < 0.3 else " ") for w in words)
    exact = loops._collapse_word_by_word(text)
    assert loops.collapse_loops(text) == exact
    if exact[1]:
        assert loops._may_hold_loop(text)


def test_most_long_turns_of_the_bundled_calls_are_cleared_by_the_byte_screen():
    long = [text for path in sample_calls() for text in read_transcript(path).turns.text
            if len(text) > loops._SCREEN_FROM]
    cleared = [text for text in long if not loops._may_hold_loop(text)]
    assert len(long) >= 15 and len(cleared) >= 0.8 * len(long)
    assert all(loops._collapse_word_by_word(text)[1] == 0 for text in cleared)
    assert loops._may_hold_loop(cleared[0] + " " + "and we think that demand " * 3)


def test_a_long_single_turn_file_is_read_in_full(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_text(SENTENCE_LINES, encoding="utf-8")
    call = read_transcript(path)
    assert len(call.turns) == 1
    assert call.turns.text[0].split() == SENTENCE_LINES.split()
    assert call.turns.loops_collapsed[0] == 0


def test_each_file_is_read_once(tmp_path, monkeypatch):
    for i in range(2):
        (tmp_path / f"call{i}.txt").write_text(SENTENCE_LINES.replace("Revenue", f"Sales{i}"), encoding="utf-8")
    reads = []

    def counting(read):
        def wrapper(path, limit):
            reads.append(str(path))
            return read(path, limit)
        return wrapper

    monkeypatch.setattr(_reader, "read_regular", counting(_reader.read_regular))
    monkeypatch.setattr(_decode, "read_regular", counting(_decode.read_regular))
    result = read_transcripts([tmp_path])
    assert len(result.calls) == 2 and sorted(reads) == sorted(str(p) for p in tmp_path.iterdir())


LAYOUT_TEXTS = [
    "speaker\nJohn Smith\nCEO\n\nGood morning.\nSPEAKER  \n\nJane Doe\nHello there.",
    "Company Participants\nJohn Smith - CEO\n\nPresentation\n\nOperator\r\nWelcome.\n",
    "John Smith -- CEO\nWe grew.\nJane Doe — Analyst, Acme\nWhy?\nOperator: Next question.\n",
    "\n\n- first point\n\n• second\n1. third\n12) fourth\n-\n- fifth",
    "Operator: Hi.\nJohn Smith: Thanks. Revenue rose.\n  Jane Doe:  Why?\x85Bob: Fine.",
]


@pytest.mark.parametrize("text", LAYOUT_TEXTS)
def test_line_start_patterns_count_what_findall_counts(text):
    for pattern in (formats._SPEAKER_LINE, formats._SA_HEADINGS, formats._DASH_HEADER,
                    formats._COLON_LINE, formats._BULLET):
        pair = formats._at_line_starts(pattern)
        for end in (None, 5, 40):
            assert formats._count(pair, text, end) == len(pattern.findall(text, 0, len(text) if end is None else end))


@pytest.mark.parametrize("text", [
    "Revenue rose. Costs fell.\nMargins held.\n",
    "Revenue rose.\rCosts fell. Margins held.\x85Done. Yes.",
    "Up 5%. Next line\u2028is here. And more.\n\nq1. A\n",
    "no inner end here\nnor here",
])
def test_inner_sentence_lines_are_counted_per_line(text):
    per_line = [ln.strip() for ln in text.splitlines() if ln.strip()]
    expected = sum(1 for ln in per_line if re.search(r"[a-z0-9%)][.?!]\s+[A-Z]", ln))
    assert formats._lines_with_inner_sentences(text) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Revenue rose", ".", "?", "!", " ", "  ", "\t", "\x1f", "\n", "\r\n", "\xa0",
                                 "U.S", "Costs", "5%", "(a)", "é"]), max_size=80), st.integers(0, 6))
def test_the_quick_bound_on_inner_sentence_lines_agrees_with_the_count(pieces, most):
    text = "".join(pieces)
    expected = formats._lines_with_inner_sentences(text) <= most
    assert formats._at_most_lines_with_inner_sentences(text, most) == expected


def test_every_safe_harbour_phrase_is_found_in_any_case():
    for phrase in cleaning.SAFE_HARBOUR_PHRASES:
        assert cleaning.mentions_safe_harbour(f"As usual, {phrase.upper()} applies.")
    for text in ("Forward momentum, a safe haven, non-GAAP growth and a form 20-F.",
                 "We have no duty to update; see the 10-K filed with the SEC.", "safe harbo safe harbr"):
        low = text.lower()
        assert cleaning.mentions_safe_harbour(text) == any(p in low for p in cleaning.SAFE_HARBOUR_PHRASES)
    assert cleaning.mentions_safe_harbour("We have no duty to update.")
    assert not cleaning.mentions_safe_harbour("Forward momentum and a safe haven for growth.")


def test_boilerplate_counts_every_phrase_once():
    members = [p for _, group in cleaning._BOILERPLATE_GROUPS for p in group]
    assert sorted(members) == sorted(cleaning._BOILERPLATE_PHRASES)
    text = "This call is being recorded. A replay and the webcast are on the IR website. We grew."
    assert cleaning.is_boilerplate(text, "management")  # 4 phrases, 3 sentences
    assert not cleaning.is_boilerplate("The replay of demand was strong. We grew. Costs fell.", "management")


def test_a_translation_is_announced_only_with_its_word():
    assert cleaning.announces_translation("Revenue rose. Let me translate that for you.")
    assert not cleaning.announces_translation("Revenue rose. Demand will carry into next year.")


def test_operator_phrases_hold_a_part_the_text_is_searched_for_first():
    from topictrack.transcripts import unlabelled
    for phrase in ("press star", "press *", "listen-only mode", "listen only mode", "your line is open",
                   "next question comes from", "first question comes from", "you may disconnect",
                   "you may now disconnect"):
        assert unlabelled._OPERATOR_PHRASES.search(phrase)
        assert any(part in phrase for part in unlabelled._OPERATOR_PHRASE_PARTS)


def test_plain_ascii_is_what_strip_controls_leaves_alone():
    from topictrack.escape import strip_controls
    for code in range(128):
        assert _decode._plain_ascii(f"a{chr(code)}b") == (strip_controls(f"a{chr(code)}b") == f"a{chr(code)}b")
    assert not _decode._plain_ascii("caf\u00e9")
    text = "Revenue\x0brose\x01 in Q1\x7f.\n"
    assert _decode.text_of_bytes(text.encode(), "x.txt") == strip_controls(text)


@pytest.mark.parametrize("odd", ["a\x00b", "caf\u00e9", "x\udcff", "nan", "None", "\u212a"])
def test_words_that_differ_only_past_a_nul_or_outside_ascii_are_different_words(odd):
    filler = " ".join(f"w{i}" for i in range(600))
    variants = [odd + "1", odd + "2", odd + "3"]
    looped = " ".join([" ".join(variants)] * 3)
    text, count = loops.collapse_loops(f"{filler} {looped} {filler}")
    assert count == 1 and text == f"{filler} {' '.join(variants)} {filler}"
    near = " ".join(variants + [variants[0], variants[1], odd + "x", *variants])
    assert loops.collapse_loops(f"{filler} {near} {filler}")[1] == 0

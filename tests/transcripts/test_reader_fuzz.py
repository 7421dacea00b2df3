"""Properties of the reader under random input (hypothesis)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from topictrack.transcripts.cleaning import collapse_loops
from topictrack.errors import TranscriptError
from topictrack.transcripts import read_transcript, read_transcripts

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ_FILES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read_or_error(data: bytes):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.txt"
        path.write_bytes(data)
        try:
            return read_transcript(path)
        except TranscriptError as exc:
            assert str(path) in str(exc) and "\n" not in str(exc)
            return None


@FUZZ_FILES
@given(st.binary(max_size=3000))
def test_random_bytes_raise_only_transcript_errors(data):
    call = _read_or_error(data)
    if call is not None:
        assert len(call.turns) > 0 and call.turns["turn"].tolist() == list(range(len(call.turns)))


@FUZZ_FILES
@given(st.text(max_size=2000))
def test_random_text_raises_only_transcript_errors(text):
    _read_or_error(text.encode("utf-8"))


_WORDS = st.sampled_from(
    "revenue grew margin cloud demand quarter chips pricing customers strong weak AI capex "
    "supply guidance growth billion percent the our we and of in".split()
)
_SENTENCE = st.lists(_WORDS, min_size=4, max_size=14).map(lambda ws: " ".join(ws).capitalize() + ".")
_NAMES = st.sampled_from(["Operator", "Jane Smith", "Li Wei", "Tom Becker", "Ana Ortiz"])


@FUZZ_FILES
@given(st.lists(st.tuples(_NAMES, st.lists(_SENTENCE, min_size=1, max_size=4)), min_size=3, max_size=12))
def test_name_colon_transcripts_lose_no_words(turns):
    text = "\n".join(f"{name}: {' '.join(body)}" for name, body in turns)
    call = _read_or_error(text.encode("utf-8"))
    assert call is not None and call.source_format == "name_colon"
    expected = " ".join(" ".join(body) for _, body in turns).split()
    got = " ".join(call.turns.text).split()
    if call.turns.loops_collapsed.sum() == 0:
        assert got == expected
    else:  # a sentence said three times in a row is an ASR loop: kept once, nothing else lost
        remaining = iter(expected)
        assert all(word in remaining for word in got) and len(got) < len(expected)
    assert set(call.turns.speaker) <= {name for name, _ in turns}


@FUZZ_FILES
@given(st.lists(st.one_of(st.binary(max_size=300), st.just(b"Operator: Welcome to the call. Go ahead.\n"
                                                          b"Jane Smith: Revenue grew 10% this quarter.\n")),
                min_size=1, max_size=6))
def test_every_input_is_read_or_listed_as_failed(contents):
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for i, data in enumerate(contents):
            path = Path(folder) / f"f{i}.txt"
            path.write_bytes(data)
            paths.append(path)
        result = read_transcripts(paths)
        seen = [Path(c.path) for c in result.calls] + [Path(p) for p in result.failures.path]
        seen += [Path(p) for p in result.duplicates.path]  # same bytes as a file read
        assert sorted(seen) == sorted(paths)


@FUZZ
@given(st.lists(_WORDS, min_size=3, max_size=8, unique=True), st.integers(3, 12), _SENTENCE, _SENTENCE)
def test_a_phrase_repeated_three_times_or_more_is_kept_once(phrase, times, before, after):
    loop = " ".join(phrase)
    text = f"{before} {' '.join([loop] * times)} {after}"
    collapsed, count = collapse_loops(text)
    assert count >= 1
    assert len(collapsed.split()) <= len(text.split()) - (times - 1) * len(phrase) + len(phrase)
    assert collapsed.split()[-len(after.split()):] == after.split()


@FUZZ
@given(st.text(max_size=500))
def test_collapsing_loops_never_adds_words(text):
    collapsed, count = collapse_loops(text)
    assert count >= 0 and len(collapsed.split()) <= len(text.split())
    if count == 0:
        assert collapsed == text

"""A call's turns as column lists (what scoring reads) and as the ``turns`` DataFrame say the same."""

from __future__ import annotations

import pickle

import pandas as pd

from topictrack import _resources
from topictrack.transcripts import Transcript, read_transcript


def _from_frame(call: Transcript) -> Transcript:
    return Transcript(call.path, call.company, call.period, call.date, call.kind, call.source_format,
                      call.turns.copy(), call.participants, call.company_name)


def test_column_lists_and_frame_agree_on_every_sample_call():
    for path in _resources.sample_calls():
        call = read_transcript(path)
        lists = call.turn_columns()  # before any frame is built
        assert call._turns is None
        again = _from_frame(call).turn_columns()
        assert lists.keys() == again.keys()
        for name in lists:
            assert lists[name] == again[name], (path.name, name)
        assert list(call.turns.columns) == list(lists)
        assert len(call.turns) == len(lists["turn"]) > 0


def test_a_frame_set_later_is_what_the_lists_give():
    call = read_transcript(_resources.sample_calls()[0])
    frame = call.turns.iloc[:3].copy()
    call.turns = frame
    assert call.turn_columns()["turn"] == [0, 1, 2]
    assert call.turns is frame


def test_transcripts_compare_pickle_and_print_like_before():
    path = _resources.sample_calls()[0]
    first, second = read_transcript(path), read_transcript(path)
    assert first == second
    assert _from_frame(first) == first
    restored = pickle.loads(pickle.dumps(first))
    assert restored == first and isinstance(restored.turns, pd.DataFrame)
    assert "turns=<" in repr(first) and first.company in repr(first)

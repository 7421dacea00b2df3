"""An edited finance lexicon file is read again in the same process."""

from __future__ import annotations

import os

from topictrack.sentiment import load_finance_lexicon, tone


def _write(path, valence: str, stamp_ns: int) -> None:
    path.write_text(f"[words]\nbacklog = {valence}\n", encoding="utf-8")
    os.utime(path, ns=(stamp_ns, stamp_ns))  # two writes within one clock tick still differ


def test_tone_follows_the_finance_lexicon_file_after_an_edit(tmp_path):
    path = tmp_path / "mine.toml"
    _write(path, "2.0", 1_000_000_000_000_000_000)
    assert tone("Backlog.", finance_lexicon=path) > 0
    assert load_finance_lexicon(path).words["backlog"] == 2.0

    _write(path, "-2.0", 1_000_000_002_000_000_000)
    assert tone("Backlog.", finance_lexicon=path) < 0
    assert load_finance_lexicon(path).words["backlog"] == -2.0


def test_an_unchanged_file_is_loaded_once(tmp_path):
    path = tmp_path / "mine.toml"
    _write(path, "2.0", 1_000_000_000_000_000_000)
    assert load_finance_lexicon(path) is load_finance_lexicon(path)

"""score, train and suggest read the same files of a folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from topictrack import pipeline
from topictrack.themes import suggest, training
from topictrack.transcripts import expand_paths

CALL = """Operator: Good morning and welcome to the Acme first quarter 2025 earnings call.
Jane Doe: Thank you. Demand for AI servers doubled this quarter and GPU supply stays tight.
John Roe: Could you talk about pricing pressure in the cloud market?
Jane Doe: Prices fell again as competitors cut list prices, and we expect that to continue.
"""
NAMES = ["a.txt", "_b.txt", "c.csv", "d.text", "e.TXT"]


@pytest.fixture
def folder(tmp_path) -> Path:
    for name in NAMES:  # each its own text: identical files would be scored once
        (tmp_path / name).write_text(f"{CALL}Jane Doe: This call is filed as {name}.\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The file names training and suggest hand to the reader, in order."""
    seen = []
    real = training.read_transcript

    def recording(path, *args, **kwargs):
        seen.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(training, "read_transcript", recording)
    return seen


def test_score_reads_every_file_of_the_folder(folder):
    result = pipeline.run(folder, jobs=1, cache=False)
    scored = {Path(p).name for p in result.table["path"]} | {Path(p).name for p in result.failures["path"]}
    assert scored == set(NAMES) == {p.name for p in expand_paths(folder)}


def test_training_reads_the_files_score_reads(folder, reads):
    training.training_set(folder)
    assert reads == [p.name for p in expand_paths(folder)]
    assert sorted(reads) == sorted(NAMES)


def test_suggest_reads_the_files_score_reads(folder, reads):
    suggest("pricing_pressure", folder, n=3)
    assert sorted(reads) == sorted(NAMES)

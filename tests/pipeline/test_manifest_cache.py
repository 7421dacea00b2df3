"""The cache key of a call holds the manifest row the reader used for it, so editing that row
scores the call again."""

from __future__ import annotations

from topictrack import pipeline
from topictrack.transcripts import load_manifest, manifest_entry

CALL = """Operator: Good morning and welcome to the Acme earnings call.
Jane Doe: Thank you. Demand for AI servers doubled this quarter and GPU supply stays tight.
"""


def _write_manifest(path, period: str) -> None:
    # the same file twice: by its path from the manifest's folder, and by its bare name
    path.write_text(f"path,company,period,date\ncalls/a.txt,Acme,{period},\na.txt,Acme,2020Q1,\n",
                    encoding="utf-8")


def test_editing_the_row_the_reader_uses_scores_the_call_again(tmp_path, monkeypatch):
    calls = tmp_path / "calls"
    calls.mkdir()
    (calls / "a.txt").write_text(CALL, encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    monkeypatch.chdir(calls)
    given = "../calls/a.txt"  # matches the first row by its absolute path only

    _write_manifest(manifest, "2025Q1")
    assert manifest_entry(load_manifest(manifest), given)["period"] == "2025Q1"
    first = pipeline.run([given], manifest=manifest, cache=tmp_path / "cache", jobs=1)
    assert set(first.table["period"]) == {"2025Q1"}

    _write_manifest(manifest, "2025Q2")
    second = pipeline.run([given], manifest=manifest, cache=tmp_path / "cache", jobs=1)
    assert set(second.table["period"]) == {"2025Q2"} and second.n_cached == 0

"""Scoring many calls: bad files isolated, interrupted runs resumed, engines agree, streaming bounded."""

from __future__ import annotations

import json
import os
import shutil

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from topictrack import pipeline
from topictrack.pipeline import call, engines
from topictrack._resources import sample_calls
from topictrack.errors import TranscriptError
from topictrack.transcripts import read_transcript
from synthetic_calls import CALL  # each call written differs, so each has its own content hash


MOTLEY_FOOL_CALL = {
    "prepared_remarks": [
        {"speaker": "Operator", "speech": "Welcome to the Acme first quarter 2021 earnings call."},
        {"speaker": "Jane Doe", "speech": "Revenue grew 12%. Demand for AI servers was strong."},
    ],
    "q_and_a": [
        {"speaker": "John Smith", "speech": "Can you discuss chip supply?"},
        {"speaker": "Jane Doe", "speech": "Supply of GPUs remains tight but improving."},
    ],
    "participants": ["Jane Doe--Chief Executive Officer", "John Smith--Analyst, Big Bank"],
}

# A call with Chinese passages, saved in GBK: the reader decodes it, so it is a good file.
GBK_CALL = (
    "主持人：欢迎参加2025年第一季度业绩电话会议。\n"
    "CEO: Revenue grew 20% year over year thanks to AI demand. 我们对未来充满信心。\n"
)


def small_calls(folder, n):
    folder.mkdir(parents=True, exist_ok=True)
    quarters = ["first", "second", "third", "fourth"]
    paths = []
    for i in range(n):
        path = folder / f"acme_{i:02d}.txt"
        path.write_text(CALL.format(company=f"Acme {i}", quarter=quarters[i % 4], growth=10 + i),
                        encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture()
def damaged(tmp_path):
    """A corpus of good calls and every kind of bad file; returns (folder, good, bad)."""
    folder = tmp_path / "corpus"
    good = small_calls(folder / "calls", 3)
    shutil.copy(sample_calls()[2], folder / sample_calls()[2].name)
    good.append(folder / sample_calls()[2].name)
    (folder / "fool.json").write_text(json.dumps(MOTLEY_FOOL_CALL, indent=2), encoding="utf-8")
    good.append(folder / "fool.json")
    (folder / "gbk.txt").write_bytes(GBK_CALL.encode("gbk"))
    good.append(folder / "gbk.txt")

    bad = {}
    (folder / "empty.txt").write_bytes(b"")
    bad["empty.txt"] = "empty"
    (folder / "blank.txt").write_text("\n   \n\t\n", encoding="utf-8")
    bad["blank.txt"] = "empty"
    (folder / "image.png.txt").write_bytes(bytes(range(256)) * 16)
    bad["image.png.txt"] = "binary"
    (folder / "zeros.txt").write_bytes(b"\0" * 4096)
    bad["zeros.txt"] = "binary"
    whole = json.dumps(MOTLEY_FOOL_CALL, indent=2)
    (folder / "truncated.json").write_text(whole[: len(whole) // 2], encoding="utf-8")
    bad["truncated.json"] = "JSON"
    # Tests run as root, for whom chmod 000 changes nothing; a link to a file that does not
    # exist is unreadable whoever you are.
    os.symlink(folder / "gone.txt", folder / "dangling.txt")
    bad["dangling.txt"] = "broken symbolic link"
    return folder, good, bad


def test_damaged_corpus_keeps_every_good_call_and_lists_every_bad_file(damaged, tmp_path):
    folder, good, bad = damaged
    result = pipeline.run(folder, jobs=2, cache=tmp_path / "cache")
    table, failures = result.table, result.failures

    assert sorted(table["path"].unique()) == sorted(str(p) for p in good)
    failed = {os.path.basename(p): error for p, error in failures.itertuples(index=False)}
    assert set(failed) == set(bad)
    for name, reason in bad.items():
        assert reason in failed[name], (name, failed[name])
        assert "\n" not in failed[name]
    # each good call's rows are exactly what it gives when scored alone
    for path in good:
        alone = pipeline.score_call(read_transcript(path))
        rows = table[table["path"] == str(path)].reset_index(drop=True)
        pd.testing.assert_frame_equal(rows, alone)


def test_damaged_corpus_through_the_command(damaged, tmp_path):
    from click.testing import CliRunner

    from topictrack.cli import main

    folder, good, bad = damaged
    out = tmp_path / "scored.parquet"
    result = CliRunner().invoke(main, ["score", str(folder), "-o", str(out), "--no-cache"])
    assert result.exit_code == 1
    failed_lines = [line for line in result.output.splitlines() if line.startswith("Failed: ")]
    assert len(failed_lines) == len(bad)
    for name in bad:
        assert any(line.startswith(f"Failed: {folder / name}: ") for line in failed_lines), name
    assert pd.read_parquet(out)["path"].nunique() == len(good)


class Interrupt(KeyboardInterrupt):
    """Stands for Ctrl-C arriving while a file is being scored."""


def test_interrupted_run_resumes_where_it_stopped(tmp_path, monkeypatch):
    folder = tmp_path / "calls"
    paths = small_calls(folder, 8)
    cache = tmp_path / "cache"
    out = tmp_path / "scored.parquet"
    real = call.score_columns
    scored = []

    def stop_after_three(transcript, tagger, lm):
        if len(scored) == 3:
            raise Interrupt()
        scored.append(transcript.path)
        return real(transcript, tagger, lm)

    monkeypatch.setattr(call, "score_columns", stop_after_three)
    with pytest.raises(KeyboardInterrupt):
        pipeline.run(folder, jobs=1, cache=cache, output=out)
    assert scored == [str(p) for p in paths[:3]]
    assert not out.exists() and not list(tmp_path.glob(".*partial"))  # no half-written table
    assert len(list(cache.rglob("*.json"))) == 3

    monkeypatch.setattr(call, "score_columns", real)
    counted = []

    def counting(transcript, tagger, lm):
        counted.append(transcript.path)
        return real(transcript, tagger, lm)

    monkeypatch.setattr(call, "score_columns", counting)
    resumed = pipeline.run(folder, jobs=1, cache=cache, output=out)
    assert counted == [str(p) for p in paths[3:]]  # only what the first run did not finish
    assert (resumed.n_calls, resumed.n_cached) == (8, 3)
    monkeypatch.setattr(call, "score_columns", real)
    fresh = pipeline.run(folder, jobs=1, cache=False).table
    pd.testing.assert_frame_equal(pd.read_parquet(out), fresh)


def test_interrupted_pool_keeps_what_workers_finished(tmp_path, monkeypatch):
    folder = tmp_path / "calls"
    small_calls(folder, 12)
    cache = tmp_path / "cache"
    real = call.score_columns

    def interrupt_on_the_last(transcript, tagger, lm):
        if transcript.path.endswith("acme_11.txt"):
            raise Interrupt()
        return real(transcript, tagger, lm)

    # worker processes are forked from this one and inherit the patched function
    monkeypatch.setattr(call, "score_columns", interrupt_on_the_last)
    with pytest.raises(KeyboardInterrupt):
        pipeline.run(folder, jobs=2, cache=cache)
    kept = len(list(cache.rglob("*.json")))
    assert kept >= 1

    monkeypatch.setattr(call, "score_columns", real)
    resumed = pipeline.run(folder, jobs=2, cache=cache)
    assert (resumed.n_calls, resumed.n_cached) == (12, kept)
    pd.testing.assert_frame_equal(resumed.table, pipeline.run(folder, jobs=1, cache=False).table)


def test_local_engine_keeps_order_and_a_bounded_number_of_tasks_in_flight():
    pulled = []

    def tasks():
        for i in range(40):
            pulled.append(i)
            yield -i

    engine = engines.LocalEngine(2, window=3)
    out = []
    for value in engine.imap(abs, tasks()):
        out.append(value)
        assert len(pulled) <= len(out) + 3  # never more than `window` tasks ahead
    assert out == list(range(40))


def test_unknown_engine_and_bad_jobs_are_config_errors():
    from topictrack.errors import ConfigError

    with pytest.raises(ConfigError, match="engine 'spark' is unknown; expected one of: local, dask"):
        pipeline.run([], engine="spark")
    with pytest.raises(ConfigError, match="jobs must be at least 1, got 0"):
        pipeline.run([], jobs=0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.binary(max_size=400) | st.text(max_size=400).map(str.encode), min_size=1, max_size=4))
def test_every_file_is_either_scored_or_listed_as_failed(tmp_path_factory, contents):
    folder = tmp_path_factory.mktemp("fuzz")
    paths = []
    for i, data in enumerate(contents):
        path = folder / f"call_{i}.txt"
        path.write_bytes(data)
        paths.append(str(path))
        try:
            read_transcript(path)
        except TranscriptError:
            pass  # the only exception the reader may raise for bad bytes
    result = pipeline.run(folder, jobs=1, cache=False)
    scored = set(result.table["path"])
    failed = set(result.failures["path"])
    same = set(result.duplicates["path"])  # same bytes as a file scored: scored once
    assert scored | failed | same == set(paths) and not scored & failed and not same & (scored | failed)


def test_ctrl_c_on_the_command_keeps_finished_calls_and_the_next_run_resumes(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    folder = tmp_path / "calls"
    folder.mkdir()
    base = sample_calls()[3].read_text(encoding="utf-8")
    for i in range(40):  # distinct bytes, so each copy is its own cache entry
        (folder / f"call_{i:02d}.txt").write_text(f"{base}\nClosing remark number {i}.\n", encoding="utf-8")
    cache = tmp_path / "cache"
    out = tmp_path / "scored.parquet"
    command = [sys.executable, "-c", "from topictrack.cli import main; main()",
               "score", str(folder), "-o", str(out), "--cache", str(cache), "--jobs", "2", "-q"]
    process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while len(list(cache.rglob("*.json"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C
    process.communicate(timeout=120)
    assert process.returncode != 0
    assert not out.exists()
    kept = len(list(cache.rglob("*.json")))
    assert 3 <= kept < 40

    again = subprocess.run(command[:-1], capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "Scored 40 call(s)" in again.stderr and f"({kept} from cache)" in again.stderr
    assert pd.read_parquet(out)["path"].nunique() == 40


# Last in this file: the in-process cluster leaves threads behind, and forking is best done before.
def test_dask_engine_gives_the_same_table_as_the_local_one(tmp_path):
    distributed = pytest.importorskip("distributed")
    folder = tmp_path / "calls"
    small_calls(folder, 5)
    shutil.copy(sample_calls()[3], folder / sample_calls()[3].name)
    (folder / "empty.txt").write_bytes(b"")
    local = pipeline.run(folder, jobs=2, cache=False)
    cache = tmp_path / "cache"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        remote = pipeline.run(folder, engine="dask", scheduler=client, cache=cache)
        by_address = pipeline.run(folder, engine="dask", scheduler=cluster.scheduler_address, cache=False)
    pd.testing.assert_frame_equal(remote.table, local.table)
    pd.testing.assert_frame_equal(by_address.table, local.table)
    pd.testing.assert_frame_equal(remote.failures, local.failures)
    # results came back to this process and were cached here: a local re-run scores nothing
    again = pipeline.run(folder, jobs=1, cache=cache)
    assert again.n_cached == 6

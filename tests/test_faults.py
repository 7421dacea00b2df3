"""Faults, hostile input and concurrent runs: nothing lost, nothing silent, nothing hangs.

Each test builds its own small inputs. The slow cases are scaled down here; benchmarks/faults.py
runs them at full size.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import json
import logging
import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from topictrack.pipeline import cache as cache_module
from topictrack import pipeline, report, safeio
from topictrack.pipeline import runner
from topictrack.pipeline.sink import Sink
from topictrack.cli import main
from topictrack.errors import ConfigError, LexiconError, TopictrackError, TranscriptError
from topictrack.themes import load_lexicons
from topictrack.transcripts import load_manifest, read_transcript, read_transcripts
from topictrack.trends import theme_trends as trends
from synthetic_calls import CALL  # each call written differs, so each has its own content hash



def write_calls(folder: Path, n: int, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    quarters = ["first", "second", "third", "fourth"]
    paths = []
    for i in range(start, start + n):
        path = folder / f"acme_{i:02d}.txt"
        path.write_text(CALL.format(company="Acme", quarter=quarters[i % 4], growth=10 + i),
                        encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TOPICTRACK_CACHE_DIR", str(tmp_path / "default-cache"))


def cli(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# ---------------------------------------------------------------- 1. the same file twice


def test_the_same_file_given_twice_is_scored_once_with_a_notice(tmp_path, caplog):
    folder = tmp_path / "calls"
    first, second = write_calls(folder, 2)
    os.symlink(second.name, folder / "latest.txt")  # a link beside its target
    with caplog.at_level(logging.WARNING):
        result = pipeline.run([folder, first], jobs=1, cache=False)  # a folder plus one of its files
    assert result.n_calls == 2
    assert result.table["call_id"].nunique() == 2
    assert sorted(result.table["path"].unique()) == [str(first), str(second)]
    assert sorted(result.duplicates["path"]) == [str(folder / "latest.txt")]
    assert result.duplicates["same_as"].tolist() == [str(second)]
    notices = [r.getMessage() for r in caplog.records if "same content" in r.getMessage()]
    assert len(notices) == 1 and "latest.txt" in notices[0] and "\n" not in notices[0]


def test_reading_the_same_file_twice_reads_it_once(tmp_path):
    folder = tmp_path / "calls"
    first, _ = write_calls(folder, 2)
    result = read_transcripts([folder, first])
    assert len(result.calls) == 2
    assert result.failures.empty and result.duplicates.empty  # the same path once is no duplicate
    shutil.copyfile(first, folder / "copy.txt")
    result = read_transcripts([folder])
    assert len(result.calls) == 2 and result.duplicates["path"].tolist() == [str(folder / "copy.txt")]


# ---------------------------------------------------------------- 2. two runs, one output


def test_two_runs_writing_the_same_output_never_share_a_temporary_file(tmp_path):
    names = pipeline.columns(["ai_demand"])
    out = tmp_path / "scored.parquet"
    first = Sink(names, out)
    second = Sink(names, out)
    row = {name: [None] for name in names}
    row.update(turn=[0], boilerplate=[False], counted=[True], loops_collapsed=[0], n_sentences=[1],
               n_words=[3], mentions_ai_demand=[0], toned_ai_demand=[0], text=["first run"])
    first.add(dict(row))
    row2 = dict(row, text=["second run"], turn=[1])
    second.add(row2)
    first.close()   # the first run finishes while the second is still writing
    assert pd.read_parquet(out)["text"].tolist() == ["first run"]
    second.close()  # the second finishes too: no FileNotFoundError, its own rows
    assert pd.read_parquet(out)["text"].tolist() == ["second run"]
    assert [p.name for p in tmp_path.iterdir()] == ["scored.parquet"]


# ---------------------------------------------------------------- 3. report -o on a full disk


def test_a_failed_report_write_leaves_the_previous_report_whole(tmp_path, monkeypatch):
    calls = write_calls(tmp_path / "calls", 2)
    scored = tmp_path / "scored.parquet"
    pipeline.run(calls, jobs=1, cache=False, output=scored)
    target = tmp_path / "report.html"
    target.write_text("<p>the good report</p>", encoding="utf-8")
    real_open = open

    class FullDisk(io.RawIOBase):
        def __init__(self, handle):
            self.handle = handle

        def writable(self):
            return True

        def write(self, data):
            self.handle.write(data[:10])
            self.handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

        def close(self):
            self.handle.close()
            super().close()

    def full_disk_open(file, mode="r", *args, **kwargs):
        if "w" in mode and Path(file).parent == tmp_path and "report" in Path(file).name:
            return FullDisk(real_open(file, "wb"))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", full_disk_open)
    result = CliRunner().invoke(main, ["report", "--from", str(scored), "--format", "html",
                                       "-o", str(target)])
    monkeypatch.undo()
    assert result.exit_code == 1
    assert "Error: cannot write" in result.output and "No space left" in result.output
    assert target.read_text(encoding="utf-8") == "<p>the good report</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["calls", "report.html", "scored.parquet"]


# ---------------------------------------------------------------- 4, 21. nothing skipped silently


def test_an_unreadable_subfolder_is_listed_as_failed(tmp_path, monkeypatch):
    folder = tmp_path / "calls"
    write_calls(folder, 1)
    locked = folder / "locked"
    write_calls(locked, 1, start=5)
    real = os.scandir

    def scandir(path="."):  # what a folder with mode 000 does for a user without override
        if os.fspath(path) == str(locked):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = pipeline.run(folder, jobs=1, cache=False)
    assert result.n_calls == 1
    assert result.failures.values.tolist() == [[str(locked), "folder cannot be read (Permission denied)"]]


def test_pipes_and_link_loops_inside_a_folder_are_named(tmp_path):
    folder = tmp_path / "calls"
    write_calls(folder, 1)
    os.mkfifo(folder / "pipe.txt")
    os.symlink("loop_b.txt", folder / "loop_a.txt")
    os.symlink("loop_a.txt", folder / "loop_b.txt")
    result = pipeline.run(folder, jobs=1, cache=False)
    failed = dict(result.failures.itertuples(index=False))
    assert "named pipe" in failed[str(folder / "pipe.txt")]
    assert "symbolic link loop" in failed[str(folder / "loop_a.txt")]
    assert "broken" not in failed[str(folder / "loop_b.txt")]
    assert result.n_calls == 1


def test_a_read_only_cache_is_reported_once(tmp_path, caplog):
    calls = write_calls(tmp_path / "calls", 3)
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be")  # unwritable, even for root
    with caplog.at_level(logging.WARNING):
        result = pipeline.run(calls, jobs=1, cache=blocked)
    assert result.n_calls == 3 and result.ok
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "cannot be written" in warnings[0].getMessage()


# ---------------------------------------------------------------- 5. formula, markup, escapes

HOSTILE = '=HYPERLINK("http://evil.example","x")\n# Heading [x](javascript:alert(1)) \x1b[31mred'


@pytest.fixture()
def hostile_trends(tmp_path):
    calls = write_calls(tmp_path / "calls", 2)
    table = trends(pipeline.run(calls, jobs=1, cache=False).table)
    table["quote_speaker"] = HOSTILE
    table["quote"] = "+cmd|' /C calc'!A0 and more text"
    table["company"] = "@SUM(1+1)\x1b]0;title\x07"
    return table


def test_csv_cells_cannot_become_formulas(hostile_trends):
    rows = list(csv.reader(io.StringIO(report.to_csv(hostile_trends))))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "@")]
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    numbers = rows[1][rows[0].index("share")]
    assert float(numbers) >= 0  # numbers stay numbers


def test_markdown_cells_cannot_break_the_table_or_link(hostile_trends):
    text = report.to_markdown(hostile_trends)
    assert "\n# Heading" not in text
    assert "[x](javascript" not in text
    tables, current = [], None  # per table, the cell separators of each row: as many as the header's
    for line in text.splitlines():
        if line.startswith("|"):
            if current is None:
                current = []
                tables.append(current)
            if not line.startswith("|---"):
                current.append(line.count(" | ") - line.count("\\| "))
        else:
            current = None
    assert tables and all(len(rows) > 1 and len(set(rows)) == 1 for rows in tables), tables


def test_terminal_text_carries_no_escape_sequences(hostile_trends, tmp_path):
    assert "\x1b" not in report.to_table(hostile_trends)
    assert "\x07" not in report.to_table(hostile_trends)
    call = tmp_path / "esc.txt"
    call.write_text(CALL.format(company="Acme", quarter="first", growth=3)
                    .replace("John Smith", "John \x1b[2JSmith"), encoding="utf-8")
    result = cli("turns", str(call))
    assert result.exit_code == 0 and "\x1b" not in result.output


def test_file_names_with_escape_sequences_reach_the_terminal_escaped(tmp_path):
    folder = tmp_path / "calls"
    (good,) = write_calls(folder, 1)
    shutil.copyfile(good, folder / "copy\x1b[2J.txt")  # a duplicate: a notice names it
    (folder / "bad\x1b]0;owned\x07.txt").write_bytes(b"")  # a failure: a Failed line names it
    done = subprocess.run([sys.executable, "-c", "from topictrack.cli import main; main()", "score",
                           str(folder), "-o", str(tmp_path / "out.parquet"), "--no-cache", "-j", "1"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert "same content" in done.stderr and "Failed:" in done.stderr
    assert "\x1b" not in done.stderr and "\x07" not in done.stderr
    assert "copy\\x1b[2J.txt" in done.stderr


def test_control_characters_are_dropped_from_transcripts_but_page_breaks_stay_breaks():
    from topictrack.escape import strip_controls

    assert strip_controls("Jane\x1b[31m Doe\x9b: growth\x0cNext page") == "Jane[31m Doe: growth\nNext page"
    assert strip_controls("tab\tand\r\nline") == "tab\tand\r\nline"


def test_turns_csv_cells_cannot_become_formulas(tmp_path):
    call = tmp_path / "call.txt"
    call.write_text('Operator: Welcome to the call. Thank you for joining us today.\n'
                    'Jane Doe: Revenue grew strongly this year. Demand was high.\n'
                    'Jane Doe: -1 is what our margin fell by. =HYPERLINK("x") was our slogan.\n',
                    encoding="utf-8")
    result = cli("turns", str(call), "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.output)))
    assert not [c for row in rows[1:] for c in row if c[:1] in ("=", "+", "@", "-")]


# ---------------------------------------------------------------- 6, 18. the cache


def test_a_cache_entry_copied_over_another_is_not_used(tmp_path):
    calls = write_calls(tmp_path / "calls", 2)
    cache = tmp_path / "cache"
    fresh = pipeline.run(calls, jobs=1, cache=cache).table
    entries = sorted(p for p in cache.rglob("*") if p.is_file() and not p.name.startswith("."))
    assert len(entries) == 2
    shutil.copyfile(entries[0], entries[1])
    again = pipeline.run(calls, jobs=1, cache=cache)
    assert again.n_cached == 1
    pd.testing.assert_frame_equal(again.table, fresh)


class _Exploit:
    def __reduce__(self):
        return (os.system, (f"touch {_Exploit.marker}",))


def test_cache_entries_are_not_code(tmp_path):
    calls = write_calls(tmp_path / "calls", 2)
    cache = tmp_path / "cache"
    fresh = pipeline.run(calls, jobs=1, cache=cache).table
    _Exploit.marker = tmp_path / "pwned"
    for entry in (p for p in cache.rglob("*") if p.is_file() and not p.name.startswith(".")):
        entry.write_bytes(pickle.dumps(_Exploit()))
    again = pipeline.run(calls, jobs=1, cache=cache)
    assert not _Exploit.marker.exists()
    assert again.n_cached == 0
    pd.testing.assert_frame_equal(again.table, fresh)


def test_a_cache_entry_of_the_wrong_shape_is_scored_again(tmp_path):
    calls = write_calls(tmp_path / "calls", 1)
    cache = tmp_path / "cache"
    fresh = pipeline.run(calls, jobs=1, cache=cache).table
    (entry,) = [p for p in cache.rglob("*") if p.is_file() and not p.name.startswith(".")]
    stored = json.loads(entry.read_text(encoding="utf-8"))
    stored["columns"]["turn"] = "not a list"
    entry.write_text(json.dumps(stored), encoding="utf-8")
    again = pipeline.run(calls, jobs=1, cache=cache)
    assert again.n_cached == 0
    pd.testing.assert_frame_equal(again.table, fresh)


# ---------------------------------------------------------------- 7. manifests


@pytest.mark.parametrize("body, problem", [
    ('path,company,period,date\na.txt,"Acme,2025Q1,\nb.txt,Beta,2025Q2,\n', "line"),
    ("path,company,period,date\na.txt,Acme,2025Q1,\na.txt,Beta,2025Q2,\n", "already listed"),
    ("path,company,period,date\na.txt,Acme,2025Q1,not-a-date\n", "date 'not-a-date' is invalid"),
    ("path,company,period,date\na.txt,Acme,2025Q1,2025-02-30\n", "date '2025-02-30' is invalid"),
])
def test_manifest_rows_that_would_be_misread_are_errors(tmp_path, body, problem):
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=problem):
        load_manifest(manifest)


def test_a_manifest_that_is_not_utf8_is_a_one_line_error(tmp_path):
    manifest = tmp_path / "manifest.csv"
    manifest.write_bytes("path,company,period,date\na.txt,Soci\u00e9t\u00e9,2025Q1,\n".encode("latin-1"))
    call = write_calls(tmp_path / "calls", 1)[0]
    result = cli("turns", str(call), "--manifest", str(manifest))
    assert result.exit_code == 1
    assert result.output.startswith("Error: manifest") and "not UTF-8" in result.output
    assert len(result.output.strip().splitlines()) == 1


# ---------------------------------------------------------------- 8, 9. decoding and JSON types


def test_a_manifest_that_is_a_named_pipe_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "manifest.csv"
    os.mkfifo(fifo)
    outcome = []

    def load():
        try:
            load_manifest(fifo)
        except ConfigError as exc:
            outcome.append(str(exc))

    reader = threading.Thread(target=load, daemon=True)
    reader.start()
    reader.join(10)
    if reader.is_alive():
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    assert outcome and "named pipe" in outcome[0]


def test_one_stray_latin1_byte_does_not_turn_utf8_into_mojibake(tmp_path):
    text = CALL.format(company="Acme", quarter="first", growth=5).replace("Thank you.", "We’re glad.")
    text = text.replace("tight,", "tight – we’ve said so –,")
    data = text.encode("utf-8").replace(b"GPU supply", b"GPU supply caf\xe9")
    path = tmp_path / "call.txt"
    path.write_bytes(data)
    turns = read_transcript(path).turns
    body = "\n".join(turns["text"])
    assert "We’re glad" in body and "â€" not in body and "café" in body


@pytest.mark.parametrize("payload", [
    {"prepared_remarks": [{"speaker": "Jane Doe", "speech": ["a", "b"]}]},
    {"prepared_remarks": [1, 2, 3], "q_and_a": 5},
    {"q_and_a": [{"speaker": ["x"], "speech": "Revenue grew."}]},
])
def test_json_of_the_wrong_types_is_refused(tmp_path, payload):
    path = tmp_path / "call.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    with pytest.raises(TranscriptError, match="expected"):
        read_transcript(path)


# ---------------------------------------------------------------- 10. bounded reads


def test_a_named_pipe_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "call.txt"
    os.mkfifo(fifo)
    outcome = []

    def read():
        try:
            read_transcript(fifo)
        except TranscriptError as exc:
            outcome.append(str(exc))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(10)
    if reader.is_alive():  # unblock the reader so the test process can end
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    assert outcome and "named pipe" in outcome[0]


def test_a_device_is_refused_before_reading(tmp_path):
    code = ("import resource; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30));"
            "from topictrack.pipeline.cache import file_digest\n"
            "try:\n file_digest('/dev/zero')\nexcept Exception as e: print(type(e).__name__, e)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "NotRegularFileError" in done.stdout and "device" in done.stdout


def test_an_oversized_file_is_refused_from_its_size_before_reading(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:
        handle.truncate(64 * 2**20)  # sparse: 64 MB on paper
    tracemalloc.start()
    result = pipeline.run([big], jobs=1, cache=False)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "64.0 MB" in result.failures["error"][0]
    assert peak < 16 * 2**20


def test_the_sentiment_command_refuses_an_oversized_file_before_reading(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:
        handle.truncate(64 * 2**20)
    tracemalloc.start()
    result = CliRunner().invoke(main, ["sentiment", str(big), "--brief"])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result.exit_code == 1 and "64.0 MB" in result.output
    assert peak < 16 * 2**20


# ---------------------------------------------------------------- 11. many short lines


def test_many_short_lines_are_read_into_turns_with_every_line(tmp_path):
    n = 20_000
    path = tmp_path / "lines.txt"
    path.write_text("\n".join(f"Revenue grew in segment {i} this year." for i in range(n)),
                    encoding="utf-8")
    call = read_transcript(path)
    body = "\n".join(call.turns["text"])
    assert call.source_format == "sentence_lines"
    assert body.count("\n") == n - 1 and body.endswith("segment 19999 this year.")


class _CountedText(str):
    """A line of a call that counts the characters copied by ``+`` on it and on what it makes."""

    copied = 0

    def __add__(self, other):
        _CountedText.copied += len(self) + len(other)
        return _CountedText(str.__add__(self, other))


class _CountingSplit:
    """Splits lines like the real pattern, handing back lines that count their copies."""

    def __init__(self, real):
        self.real = real

    def split(self, line):
        return [_CountedText(part) for part in self.real.split(line)]


@pytest.mark.parametrize("n", [1_000, 4_000])
def test_building_turns_from_many_short_lines_copies_each_line_a_bounded_number_of_times(n, monkeypatch):
    from topictrack.transcripts import unlabelled

    text = "\n".join(f"Revenue grew in segment {i} this year." for i in range(n))
    expected = unlabelled.parse_sentence_lines(text, "lines.txt").turns
    # every line goes through the operator split, which hands back counting lines
    monkeypatch.setattr(unlabelled, "_OPERATOR_INNER_HINTS", ("Revenue",))
    monkeypatch.setattr(unlabelled, "_OPERATOR_INNER", _CountingSplit(unlabelled._OPERATOR_INNER))
    monkeypatch.setattr(_CountedText, "copied", 0)
    parsed = unlabelled.parse_sentence_lines(text, "lines.txt")
    assert parsed.turns == expected
    assert len(parsed.turns) == 1 and parsed.turns[0][3].count("\n") == n - 1
    # one turn of n lines: growing it line by line copies about n * n / 2 lines' worth of text
    assert _CountedText.copied <= 2 * len(text)


# ---------------------------------------------------------------- 12. catastrophic regexes


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(\\w*\\s?)*done", r"(?:x(?:ab)+)*$", r"(a|a)+$",
                                     r"(a?){25}a{25}", r"(a|a?)+$", r"(\\d+|\\w+)*x"])
def test_a_lexicon_pattern_that_backtracks_exponentially_is_refused(tmp_path, pattern):
    folder = tmp_path / "lexicons"
    folder.mkdir()
    (folder / "slow.toml").write_text(f'name = "slow"\ndescription = "x"\npatterns = [\'{pattern}\']\n',
                                      encoding="utf-8")
    with pytest.raises(LexiconError, match="exponential time"):
        load_lexicons(folder)


def test_ordinary_lexicon_patterns_are_accepted(tmp_path):
    folder = tmp_path / "lexicons"
    folder.mkdir()
    (folder / "fine.toml").write_text(
        'name = "fine"\ndescription = "x"\n'
        "patterns = ['\\bH(?:20|800)\\b', '\\d+(?:\\.\\d+)?%', '(?:foo|bar)+ing']\n", encoding="utf-8")
    assert "fine" in [lex.name for lex in load_lexicons(folder)]


class _Hang(Exception):
    pass


@contextlib.contextmanager
def _at_most(seconds: float):
    """Fail instead of hanging: a generous ceiling, not a speed figure (benchmarks/faults.py has those)."""
    def stop(signum, frame):
        raise _Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _slow_lexicon(folder: Path, pattern: str) -> Path:
    folder.mkdir()
    path = folder / "slow.toml"
    path.write_text("name = 'slow'\ndescription = 'x'\nterms = ['widget']\n"
                    f"patterns = ['{pattern}', 'gizmo\\w*']\n", encoding="utf-8")
    (folder / "fine.toml").write_text("name = 'fine'\ndescription = 'x'\npatterns = ['\\bsprock\\w+']\n",
                                      encoding="utf-8")
    return path


# Patterns the load-time screen lets through, each with a text on which Python's re engine
# backtracks for seconds ((\w|a)+$) or far longer ((a|aa)+$).
SLOW_PATTERNS = [
    (r"(\w|a)+$", "a" * 20_000 + "!"),
    (r"(a|aa)+$", "a" * 60 + "!"),
]
SENTENCES = ["Revenue grew as demand for AI servers stayed strong.", "We sold a widget.",
             "Gizmos sold well.", "Sprockets were scarce.", "Chip supply remains tight."]


@pytest.mark.parametrize("pattern, text", SLOW_PATTERNS)
def test_a_lexicon_pattern_over_its_time_budget_is_left_out_with_one_line(tmp_path, caplog, pattern, text):
    from topictrack.themes import get_tagger

    path = _slow_lexicon(tmp_path / "lexicons", pattern)
    sentences = SENTENCES[:2] + [text] + SENTENCES[2:]
    shipped = get_tagger(None).tag_sentences(sentences)
    with caplog.at_level(logging.WARNING), _at_most(60):
        tagged = get_tagger(path.parent).tag_sentences(sentences)
        again = get_tagger(path.parent).tag_sentences(sentences[::-1])  # left out now: said once
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lines) == 1 and "\n" not in lines[0]
    assert lines[0].startswith(f"{path}:4: patterns entry {pattern!r} ran over its time budget")
    assert "left out for the rest of the run" in lines[0]
    # the other themes, and the theme's other entries, are tagged as before
    assert [{k: v for k, v in t.items() if k not in ("slow", "fine")} for t in tagged] == shipped
    assert [("slow" in t, "fine" in t) for t in tagged] == [
        (False, False), (True, False), (False, False), (True, False), (False, True), (False, False)]
    assert again == tagged[::-1]


@pytest.mark.parametrize("pattern, text", SLOW_PATTERNS[1:])
def test_a_scoring_run_says_a_pattern_was_left_out_once_and_stores_nothing_in_the_cache(tmp_path, pattern, text):
    calls = write_calls(tmp_path / "calls", 4)
    for i, call in enumerate(calls):  # a text of its own in each call, found slow by either worker
        call.write_text(call.read_text(encoding="utf-8").replace("Thank you.", f"Thank you. {text[0] * i}{text}"),
                        encoding="utf-8")
    path = _slow_lexicon(tmp_path / "lexicons", pattern)
    cache = tmp_path / "cache"
    plain = pipeline.run(calls, jobs=2, cache=False).table
    for _ in range(2):  # nothing was stored: the second run finds the pattern slow again, and says so
        with _at_most(120):
            done = subprocess.run([sys.executable, "-c", "from topictrack.cli import main; main()", "score",
                                   *map(str, calls), "-o", str(tmp_path / "out.parquet"), "--cache", str(cache),
                                   "--lexicons", str(path.parent), "-j", "2"],
                                  capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        said = [line for line in done.stderr.splitlines() if "time budget" in line]
        assert len(said) == 1 and f"{path}:4: patterns entry {pattern!r}" in said[0]
        assert "Scored 4 call(s)" in done.stderr and "(0 from cache)" in done.stderr
        assert not [p for p in cache.rglob("*.json")]
    pipeline.run(calls, jobs=1, cache=cache)  # the shipped lexicons alone: every call is stored
    assert len(list(cache.rglob("*.json"))) == 4
    table = pd.read_parquet(tmp_path / "out.parquet")
    shared = [c for c in plain.columns if c in table.columns]
    assert len(shared) > 10 and "mentions_slow" in table.columns
    pd.testing.assert_frame_equal(table[shared], plain[shared])


def test_a_budgeted_pattern_leaves_out_only_its_slow_parts():
    from topictrack.themes import regex_guard

    parts = [regex_guard.Part(r"(a|aa)+$", r"(a|aa)+$", "patterns", "x.toml:3"),
             regex_guard.Part(r"\bgizmo\w*", r"\bgizmo\w*", "patterns", "x.toml:4"),
             regex_guard.Part(r"widgets?")]
    budgeted = regex_guard.BudgetedPattern(parts, ignore_case=True)
    with regex_guard.quiet(), _at_most(60):
        assert budgeted.search("a" * 60 + "!") is None
        assert budgeted.search("Gizmos") is not None and budgeted.search("aaa") is None
        assert budgeted.sub("-", "two widgets, one gizmo") == "two -, one -"
        assert [m.group(0) for m in budgeted.finditer("widget gizmo")] == ["widget", "gizmo"]
    assert budgeted.pattern == r"(?:\bgizmo\w*)|(?:widgets?)"
    assert [line.split(" ran ")[0] for line in budgeted.left_out] == ["x.toml:3: patterns entry '(a|aa)+$'"]
    assert regex_guard.left_out([budgeted, re.compile("x"), None]) == budgeted.left_out
    copy = pickle.loads(pickle.dumps(budgeted))
    assert copy.pattern == budgeted.pattern and copy.search("GIZMO") is not None
    assert copy.left_out == budgeted.left_out


# ---------------------------------------------------------------- 13. workers


def test_a_worker_that_dies_costs_only_its_file(tmp_path, monkeypatch):
    calls = write_calls(tmp_path / "calls", 9)
    real = runner._score_file

    def score_file(settings, task):  # forked workers inherit this
        if task.path.endswith("acme_03.txt"):
            os._exit(9)
        return real(settings, task)

    monkeypatch.setattr(runner, "_score_file", score_file)
    result = pipeline.run(calls, jobs=2, cache=False)
    assert result.n_calls == 8
    assert result.failures.values.tolist() == [
        [str(calls[3]), "the worker process scoring it died (killed, or out of memory)"]]


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc")
def test_killing_the_parent_ends_its_workers(tmp_path):
    calls = write_calls(tmp_path / "calls", 40)
    code = ("import sys, time; from topictrack import pipeline; from topictrack.pipeline import runner\n"
            "real = runner._score_file\n"
            "def slow(settings, task):\n time.sleep(0.5); return real(settings, task)\n"
            "runner._score_file = slow\n"
            f"pipeline.run({str(calls[0].parent)!r}, jobs=2, cache=False)\n")
    parent = subprocess.Popen([sys.executable, "-c", code])
    workers = []
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
            workers = _children(parent.pid)
        assert len(workers) >= 2
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 15
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [w for w in workers if _alive(w)]
    finally:
        for pid in [parent.pid] + workers:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


# ---------------------------------------------------------------- 14. size of the HTML report


def test_a_huge_quote_does_not_make_a_huge_html_report(tmp_path):
    calls = write_calls(tmp_path / "calls", 2)
    table = trends(pipeline.run(calls, jobs=1, cache=False).table)
    long = "demand for ai servers " * 20_000  # one unpunctuated 440 kB sentence
    table["quote"] = long
    html = report.to_html(table)
    assert len(html) < 20 * 600 * len(table)
    assert long.strip() not in html


# ---------------------------------------------------------------- 15-17. one file's fault stays its own


def test_a_file_name_that_is_not_utf8_is_scored_and_written(tmp_path):
    folder = tmp_path / "calls"
    write_calls(folder, 1)
    odd = os.path.join(os.fsencode(folder), b"odd\xffname.txt")
    with open(odd, "w", encoding="utf-8") as handle:
        handle.write(CALL.format(company="Acme", quarter="second", growth=44))
    out = tmp_path / "scored.parquet"
    result = pipeline.run(folder, jobs=1, cache=False, output=out)
    assert result.n_calls == 2 and result.ok
    paths = set(pd.read_parquet(out)["path"])
    assert str(folder / "odd\\xffname.txt") in paths


def test_malformed_json_costs_only_its_own_file(tmp_path):
    folder = tmp_path / "calls"
    write_calls(folder, 1)
    (folder / "types.json").write_text('{"prepared_remarks":[1,2,3],"q_and_a":5}', encoding="utf-8")
    (folder / "deep.json").write_text("[" * 100_000, encoding="utf-8")
    result = read_transcripts([folder])
    assert len(result.calls) == 1
    failed = dict(result.failures.itertuples(index=False))
    assert set(failed) == {str(folder / "types.json"), str(folder / "deep.json")}
    assert all("\n" not in reason for reason in failed.values())
    assert "nested too deeply" in failed[str(folder / "deep.json")]


def test_a_very_deep_folder_tree_is_walked():
    # Outside pytest's temporary folders: their clean-up (shutil.rmtree) recurses and would fail
    # on this tree if a run stopped before the finally clause.
    folder = Path(tempfile.mkdtemp(prefix="topictrack-deep-"))
    deep = str(folder)
    try:
        for _ in range(1000):  # made one level at a time: Path.mkdir(parents=True) recurses
            deep = os.path.join(deep, "d")
            os.mkdir(deep)
        write_calls(Path(deep), 1)
        write_calls(folder, 1, start=1)
        result = pipeline.run(folder, jobs=1, cache=False)
        assert result.n_calls == 2 and result.ok
    finally:  # removed one level at a time, from the bottom (os.walk recurses too)
        while True:
            for name in os.listdir(deep):
                if not os.path.isdir(os.path.join(deep, name)):
                    os.unlink(os.path.join(deep, name))
            os.rmdir(deep)
            if deep == str(folder):
                break
            deep = os.path.dirname(deep)


# ---------------------------------------------------------------- 18. output errors


def test_an_output_under_a_file_is_a_one_line_error(tmp_path):
    calls = write_calls(tmp_path / "calls", 1)
    (tmp_path / "x.txt").write_text("a file")
    result = CliRunner().invoke(main, ["score", str(calls[0]), "-o", str(tmp_path / "x.txt" / "out.parquet"),
                                       "-q", "--no-cache"])
    assert result.exit_code == 1
    assert "Error: cannot write" in result.output and "Traceback" not in result.output


def test_a_report_into_a_missing_folder_fails_before_scoring(tmp_path, monkeypatch):
    calls = write_calls(tmp_path / "calls", 1)

    def no_scoring(*args, **kwargs):
        raise AssertionError("scored before checking the output")

    monkeypatch.setattr(pipeline, "run", no_scoring)
    result = CliRunner().invoke(main, ["report", str(calls[0]), "-o", str(tmp_path / "nope" / "r.md")])
    assert result.exit_code == 1
    assert "Error: cannot write" in result.output and "does not exist" in result.output


def test_a_full_disk_while_writing_parquet_is_an_error_and_keeps_the_old_file(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    calls = write_calls(tmp_path / "calls", 2)
    out = tmp_path / "scored.parquet"
    pipeline.run(calls, jobs=1, cache=False, output=out)
    before = out.read_bytes()

    def full(self, table, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pq.ParquetWriter, "write_table", full)
    with pytest.raises(TopictrackError, match="cannot write .*No space left"):
        pipeline.run(calls, jobs=1, cache=False, output=out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["calls", "scored.parquet"]


# ---------------------------------------------------------------- 19, 20. consistency


def test_a_manifest_inside_the_calls_folder_is_not_a_call(tmp_path):
    folder = tmp_path / "calls"
    write_calls(folder, 2)
    manifest = folder / "manifest.csv"
    manifest.write_text("path,company,period,date\nacme_00.txt,Acme,2025Q1,\n", encoding="utf-8")
    result = pipeline.run(folder, jobs=1, cache=False, manifest=manifest)
    assert result.ok and result.n_calls == 2
    assert len(read_transcripts([folder], manifest=manifest).calls) == 2


def test_a_call_without_punctuation_is_read(tmp_path):
    text = ("good morning everyone and welcome to the acme call today we will talk about revenue "
            "which grew ten percent this year thanks to demand for ai servers and our cloud business\n\n"
            "thank you operator so revenue grew and margins improved and we expect more growth next "
            "year as customers buy more gpu capacity from us\n\n"
            "hi thanks can you talk about the chip supply and the export rules this quarter please\n")
    path = tmp_path / "asr.txt"
    path.write_text(text, encoding="utf-8")
    call = read_transcript(path)
    assert len(call.turns) == 3 and "gpu capacity" in call.turns["text"][1]


def test_a_table_without_punctuation_is_still_not_a_call(tmp_path):
    path = tmp_path / "sheet.txt"
    path.write_text("\n".join(f"name{i},value{i},other{i},more{i}" for i in range(30)), encoding="utf-8")
    with pytest.raises(TranscriptError, match="no sentences"):
        read_transcript(path)


def test_a_model_written_into_a_missing_folder_is_a_one_line_error(tmp_path):
    from topictrack._resources import resource_dir
    from topictrack.themes import ThemeClassifier

    model = ThemeClassifier.load(resource_dir() / "theme_model.json")
    target = tmp_path / "missing" / "model.json"
    with pytest.raises(safeio.OutputError, match="does not exist"):
        model.save(target)
    assert not target.parent.exists()


def test_safeio_atomic_write_replaces_whole(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    safeio.atomic_write(target, "new text")
    assert target.read_text() == "new text" and [p.name for p in tmp_path.iterdir()] == ["out.txt"]
    with pytest.raises(safeio.OutputError, match="does not exist"):
        safeio.atomic_write(tmp_path / "missing" / "out.txt", "x")


def test_cache_entries_are_checked_against_their_key():
    from topictrack.pipeline import cache_format

    raw = cache_format.encode("k1", {"turn": [0, 1], "text": ["a", None]})
    assert cache_format.decode("k1", raw) == {"turn": [0, 1], "text": ["a", None]}
    with pytest.raises(cache_format.EntryError, match="another key"):
        cache_format.decode("k2", raw)
    assert cache_module.ScoreCache("/nonexistent-topictrack", "f").get("k") is None


# ---------------------------------------------------------------- 13. a dead worker on Dask
# Last in this file: a Dask cluster leaves threads behind in this process, and forking (the local
# engine's workers) is best done before.

CRASH_ON = '''
import os


def dask_setup(worker):  # run in every Dask worker process as it starts, restarted ones too
    from topictrack.pipeline import runner

    real = runner._score_file

    def score_file(settings, task):
        if task.path.endswith({name!r}):
            os._exit(9)
        return real(settings, task)

    runner._score_file = score_file
'''


def test_a_dask_worker_that_dies_costs_only_its_file_as_on_the_local_engine(tmp_path, monkeypatch):
    import dask
    import distributed  # noqa: F401 - its defaults join dask's settings before the override below

    calls = write_calls(tmp_path / "calls", 9)
    real = runner._score_file

    def score_file(settings, task):  # forked local workers inherit this
        if task.path.endswith("acme_03.txt"):
            os._exit(9)
        return real(settings, task)

    with monkeypatch.context() as patch:
        patch.setattr(runner, "_score_file", score_file)
        local = cli("score", str(calls[0].parent), "-o", str(tmp_path / "local.parquet"), "-j", "2", "--no-cache")
    preload = tmp_path / "crash_on_acme_03.py"
    preload.write_text(CRASH_ON.format(name="acme_03.txt"), encoding="utf-8")
    out = tmp_path / "scored.parquet"
    with dask.config.set({"distributed.worker.preload": [str(preload)]}):
        result = cli("score", str(calls[0].parent), "-o", str(out), "--engine", "dask", "-j", "2",
                     "--no-cache")

    def said(run):
        return [line for line in run.stderr.splitlines() if "acme_03" in line or "Failed" in line]

    assert result.exit_code == local.exit_code == 1
    assert said(result) == said(local) == [
        f"Failed: {calls[3]}: the worker process scoring it died (killed, or out of memory)"]
    assert "Scored 8 call(s)" in result.stderr
    assert sorted(pd.read_parquet(out)["path"].unique()) == [str(p) for p in calls if p != calls[3]]
    pd.testing.assert_frame_equal(pd.read_parquet(out), pd.read_parquet(tmp_path / "local.parquet"))

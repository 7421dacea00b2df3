"""Benchmark: the slow fault probes at full size, each in a fresh process.

    .venv/bin/python benchmarks/faults.py [--quick] [--ectsum ../shared/eval/transcripts/ectsum]

For each probe prints the CPU seconds of the measured step (``time.process_time`` in the
probe's process), the wall seconds, and the probe process's peak resident memory
(``ru_maxrss``). Inputs are made in a temporary folder; nothing is read from outside the
repository, except the optional ECTSum baseline. ``--quick`` runs the line-count series only up
to 250k lines.

Probes:

- ``lines N``: the reader's layout step (``topictrack.transcripts.formats.parse``) on N short sentence lines, and
  ``same-size call``: the same step on the bundled call text (speaker blocks) repeated to the
  same size, and ``ECTSum calls``: the same step on the first 400 ECTSum calls (their own layout is
  one sentence a line, like the probe), when ``--ectsum`` points at the corpus (it never ships with
  topictrack). Target: time linear in N, and per MB under 2x that of normal calls of the layout;
- ``read 10 MB of lines``: ``read_transcript`` on a file of short lines just under the size limit
  (they read as one turn), and ``same size of ECTSum calls, one file``: ``read_transcript`` on
  ECTSum calls put one after another in one file of about that size (with ``--ectsum``); the
  ratio of their CPU per MB is printed last (target: under 2x);
- ``FIFO``, ``/dev/zero``, ``1 GB sparse file``: ``read_transcript`` refusing them (target: at
  once, without reading);
- ``deep tree 1000``: ``pipeline.run`` on a folder with a call 1,000 folders deep;
- ``regex PATTERN on N chars``: a user lexicon holding the pattern, loaded and tagging the
  sentences of two bundled calls plus one hostile text of N characters (``cpu``; ``shipped_only_cpu``
  is the same tagging with the shipped lexicons alone). The outcome says whether the pattern was
  refused at load (the shape screen), left out at run time (over its time budget) or kept (the
  ``regex`` engine ran it in time); ``re_search_of_text``: one search of the text alone with
  Python's ``re``, the engine every pattern ran on before (stopped after 30 s; the probe's wall
  time includes it);
- ``5 MB unpunctuated line``: ``read_transcript`` + scoring + the HTML report of a call with a
  5 MB line of words, and the report's size.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_PRELUDE = """
import json, os, resource, sys, time
from pathlib import Path
def done(**extra):
    extra["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(extra))
"""


def _probe(code: str, folder: str, timeout: float = 900, extra=()) -> dict:
    start = time.perf_counter()
    script = _PRELUDE + textwrap.dedent(code)
    try:
        done = subprocess.run([sys.executable, "-c", script, folder, *extra], capture_output=True, text=True,
                              timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    wall = time.perf_counter() - start
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        return {"error": (done.stderr.strip().splitlines() or ["no output"])[-1], "wall": wall}
    result = json.loads(lines[-1])
    result["wall"] = wall
    return result


LINES = """
from topictrack.transcripts import formats as _formats
text = "\\n".join(f"Revenue grew in segment {i} this year." for i in range(N))
t = time.process_time()
parsed = _formats.parse(text, "lines.txt")
done(cpu=time.process_time() - t, size_mb=len(text) / 2**20, turns=len(parsed.turns))
"""

SAME_SIZE = """
from topictrack.transcripts import formats as _formats
from topictrack._resources import sample_calls
size = len("\\n".join(f"Revenue grew in segment {i} this year." for i in range(N)))
base = sample_calls()[2].read_text(encoding="utf-8")
text = (base * (size // len(base) + 1))[:size]
t = time.process_time()
parsed = _formats.parse(text, "call.txt")
done(cpu=time.process_time() - t, size_mb=len(text) / 2**20, turns=len(parsed.turns))
"""

ECTSUM = """
from topictrack.transcripts import formats as _formats
files = sorted(Path(sys.argv[2]).glob("data/final/*/ects/*.txt"))[:400]
texts = [f.read_text(encoding="utf-8") for f in files]
t = time.process_time()
layouts = [_formats.parse(text, "call.txt").source_format for text in texts]
cpu = time.process_time() - t
size = sum(map(len, texts)) / 2**20
done(cpu=cpu, size_mb=size, calls=len(texts), sentence_lines=layouts.count("sentence_lines"),
     cpu_per_mb=cpu / size)
"""

READ_LIMIT = """
from topictrack.transcripts import read_transcript, MAX_FILE_BYTES
path = Path(sys.argv[1]) / "limit.txt"
with open(path, "w", encoding="utf-8") as out:
    i = 0
    while out.tell() < MAX_FILE_BYTES - 100:
        out.write(f"Revenue grew in segment {i} this year.\\n")
        i += 1
t = time.process_time()
call = read_transcript(path)
done(cpu=time.process_time() - t, size_mb=path.stat().st_size / 2**20, lines=i, turns=len(call.turns))
"""

READ_CALLS = """
from topictrack.transcripts import read_transcript, MAX_FILE_BYTES
path = Path(sys.argv[1]) / "calls.txt"
files = sorted(Path(sys.argv[2]).glob("data/final/*/ects/*.txt"))
with open(path, "w", encoding="utf-8") as out:
    for f in files:
        text = f.read_text(encoding="utf-8")
        if out.tell() + len(text.encode("utf-8")) + 1 > MAX_FILE_BYTES - 100:
            break
        out.write(text.rstrip("\\n") + "\\n")
t = time.process_time()
call = read_transcript(path)
done(cpu=time.process_time() - t, size_mb=path.stat().st_size / 2**20, turns=len(call.turns))
"""

FIFO = """
from topictrack.transcripts import read_transcript
from topictrack.errors import TranscriptError
path = Path(sys.argv[1]) / "pipe.txt"
os.mkfifo(path)
t = time.process_time()
try:
    read_transcript(path); outcome = "read"
except TranscriptError as exc:
    outcome = exc.problem
done(cpu=time.process_time() - t, outcome=outcome)
"""

DEV_ZERO = """
from topictrack.transcripts import read_transcript
from topictrack.errors import TranscriptError
t = time.process_time()
try:
    read_transcript("/dev/zero"); outcome = "read"
except TranscriptError as exc:
    outcome = exc.problem
done(cpu=time.process_time() - t, outcome=outcome)
"""

SPARSE = """
from topictrack import pipeline
path = Path(sys.argv[1]) / "huge.txt"
with open(path, "wb") as out:
    out.truncate(2**30)
t = time.process_time()
result = pipeline.run([path], jobs=1, cache=False)
done(cpu=time.process_time() - t, outcome=result.failures["error"][0])
"""

DEEP = """
from topictrack import pipeline
from topictrack._resources import sample_calls
top = os.path.join(sys.argv[1], "tree")
os.mkdir(top)
deep = top
for _ in range(1000):
    deep = os.path.join(deep, "d")
    os.mkdir(deep)
Path(deep, "call.txt").write_bytes(sample_calls()[0].read_bytes())
t = time.process_time()
result = pipeline.run(top, jobs=1, cache=False)
done(cpu=time.process_time() - t, calls=result.n_calls, failed=len(result.failures))
for name in os.listdir(deep):
    os.unlink(os.path.join(deep, name))
while deep != top:
    os.rmdir(deep); deep = os.path.dirname(deep)
"""

REGEX = """
from topictrack.themes import get_tagger, load_lexicons
from topictrack.themes import regex_guard
from topictrack.themes.lexicon import left_out
from topictrack.errors import LexiconError
from topictrack.text import sentences as split
from topictrack._resources import sample_calls
pattern, text = sys.argv[2], json.loads(sys.argv[3])
folder = Path(sys.argv[1]) / "lexicons"
folder.mkdir()
(folder / "slow.toml").write_text("name = 'slow'\\ndescription = 'x'\\nterms = ['widget']\\npatterns = "
                                  + json.dumps([pattern]) + "\\n")
sentences = [s for p in sample_calls()[:2] for s in split(p.read_text(encoding="utf-8"))]
sentences.insert(len(sentences) // 2, text)
get_tagger(None).tag_sentences(sentences[:20])
t = time.process_time()
get_tagger(None).tag_sentences(sentences)
shipped = time.process_time() - t
t = time.process_time()
try:
    load_lexicons(folder)
    tagger = get_tagger(folder)
    with regex_guard.quiet():
        tagger.tag_sentences(sentences)
    outcome = "left out at run time" if left_out(tagger.lexicons) else "kept (in time)"
except LexiconError as exc:
    outcome = "refused at load: " + str(exc).split(": ", 1)[1][:60]
cpu = time.process_time() - t
import subprocess
timed = "import re, sys, time; t = time.process_time(); re.compile(sys.argv[1], re.I).search(sys.argv[2]); "
timed += "print(time.process_time() - t)"
try:
    plain = subprocess.run([sys.executable, "-c", timed, pattern, text], capture_output=True, text=True, timeout=30)
    plain_re = f"{float(plain.stdout):.2f} s"
except subprocess.TimeoutExpired:
    plain_re = "over 30 s"
done(cpu=cpu, outcome=outcome, shipped_only_cpu=shipped, sentences=len(sentences), re_search_of_text=plain_re)
"""

# (pattern, text) pairs: the text is put among the sentences of two bundled calls
REGEX_PROBES = [
    (r"(a+)+$", "a" * 30 + "b"),
    (r"(a|a?)+$", "a" * 30 + "!"),
    (r"(\d+|\w+)*x", "1" * 30 + "!"),
    (r"(\w|a)+$", "a" * 20_000 + "!"),
    (r"(a|aa)+$", "a" * 60 + "!"),
    (r"(\w|\d)*y", "1" * 5_000),
    (r"(.*a){8}x", "a" * 200),
    (r"(\d|\w)+x", "1" * 60 + "!"),
]

LONG_LINE = """
from topictrack import pipeline, report
from topictrack._resources import sample_calls
from topictrack.trends import trends
path = Path(sys.argv[1]) / "long.txt"
base = sample_calls()[2].read_text(encoding="utf-8")
words = "demand for ai servers keeps growing across our cloud regions "
path.write_text(base + "\\n" + words * (5 * 2**20 // len(words)) + "\\n", encoding="utf-8")
t = time.process_time()
result = pipeline.run([path], jobs=1, cache=False)
html = report.to_html(trends(result.table))
done(cpu=time.process_time() - t, calls=result.n_calls, report_kb=len(html.encode()) / 1024)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="line series up to 250k lines only")
    parser.add_argument("--ectsum", type=Path, default=ROOT.parent / "shared/eval/transcripts/ectsum",
                        help="ECTSum corpus folder for the per-MB baseline (skipped when missing)")
    args = parser.parse_args()
    counts = [125_000, 250_000] if args.quick else [125_000, 250_000, 500_000, 1_000_000]
    probes = []
    if args.ectsum.is_dir():
        probes.append(("ECTSum calls (baseline)", ECTSUM, (str(args.ectsum.resolve()),)))
    for n in counts:
        probes.append((f"lines {n:,}", LINES.replace("N)", f"{n})"), ()))
        probes.append(("  same-size call, as written", SAME_SIZE.replace("N)", f"{n})"), ()))
    probes.append(("read 10 MB of lines", READ_LIMIT, ()))
    if args.ectsum.is_dir():
        probes.append(("  same size of ECTSum calls, one file", READ_CALLS, (str(args.ectsum.resolve()),)))
    probes += [(name, code, ()) for name, code in [
        ("FIFO", FIFO),
        ("/dev/zero", DEV_ZERO),
        ("1 GB sparse file", SPARSE),
        ("deep tree 1000", DEEP),
        ("5 MB unpunctuated line", LONG_LINE),
    ]]
    probes += [(f"regex {pattern} on {len(text):,} chars", REGEX, (pattern, json.dumps(text)))
               for pattern, text in REGEX_PROBES]
    print(f"{'probe':<40}{'cpu s':>9}{'wall s':>9}{'peak MB':>9}  details")
    per_mb: dict = {}
    for name, code, extra in probes:
        with tempfile.TemporaryDirectory(prefix="tt-faults-") as folder:
            result = _probe(code, folder, extra=extra)
        if "size_mb" in result and "cpu" in result and "cpu_per_mb" not in result:
            result["cpu_per_mb"] = result["cpu"] / result["size_mb"]
        cpu = result.pop("cpu", float("nan"))
        wall = result.pop("wall", float("nan"))
        peak = result.pop("peak_mb", float("nan"))
        details = ", ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}"
                            for k, v in result.items())
        print(f"{name:<40}{cpu:>9.2f}{wall:>9.2f}{peak:>9.0f}  {details}", flush=True)
        per_mb[name.strip()] = result.get("cpu_per_mb")
    lines, calls = per_mb.get("read 10 MB of lines"), per_mb.get("same size of ECTSum calls, one file")
    if lines and calls:
        print(f"read 10 MB of lines: {lines / calls:.2f}x the CPU per MB of the same size of ECTSum calls "
              "(target: under 2x)")


if __name__ == "__main__":
    main()

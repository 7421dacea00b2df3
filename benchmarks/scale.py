"""Benchmark: scoring the ECTSum corpus (2,425 calls) with the real `topictrack score` command.

    .venv/bin/python benchmarks/scale.py [--root ../shared/eval/transcripts/ectsum] [--limit N]

Reads the calls from ``ectsum/data/final/*/ects/*.txt`` under ``--root`` (relative to the
repository by default); they never ship with topictrack. Prints, in one run:

1. floor: plain vaderSentiment ``SentimentIntensityAnalyzer.polarity_scores`` over every
   non-empty line of every file (ECTSum has one sentence per line), one core, in this process;
2. cold: ``topictrack score`` as a subprocess with default jobs and an empty cache, and its
   ratio to the floor;
3. warm: the same command again on the filled cache, and its ratio to the floor;
4. once vs twice: the command with ``--no-cache`` on the corpus and on twice the corpus (every
   file a second time under another path, with one more line break at the end, since the same
   bytes twice are scored once; in a temporary folder), and the time ratio;
5. CPU seconds (user + system) of each command with its workers, from
   ``resource.getrusage(RUSAGE_CHILDREN)``, so figures taken on a busy machine can be read;
6. peak memory of each command: the highest sum of the resident set sizes (RSS) of the command
   and all its child processes, sampled every 50 ms with psutil (shared pages are counted once
   per process, so this is an upper bound), and the largest single process's peak RSS from
   ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``.

Targets: cold <= 1.5x floor, warm <= 0.1x floor, peak RSS <= 1 GB, twice the corpus <= 2.1x
the time and <= 1.1x the peak RSS of once.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "eval" / "transcripts" / "ectsum"


def corpus_files(root: Path) -> list[Path]:
    return sorted(root.glob("data/final/*/ects/*.txt"))


def floor(files: list[Path]) -> tuple[float, int]:
    """Wall and CPU seconds of plain VADER over every non-empty line, and the number of lines."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    start = time.perf_counter()
    cpu = time.process_time()
    analyzer = SentimentIntensityAnalyzer()
    lines = 0
    for path in files:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            line = line.strip()
            if line:
                analyzer.polarity_scores(line)
                lines += 1
    return time.perf_counter() - start, time.process_time() - cpu, lines


class _PeakRSS(threading.Thread):
    """Samples the summed RSS of a process and its descendants until stopped."""

    def __init__(self, pid: int, every: float = 0.05):
        super().__init__(daemon=True)
        self.pid = pid
        self.every = every
        self.peak = 0
        self._done = threading.Event()

    def run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._done.is_set():
            total = 0
            try:
                processes = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            for process in processes:
                try:
                    total += process.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._done.wait(self.every)

    def stop(self) -> int:
        self._done.set()
        self.join()
        return self.peak


def run_cli(args: list[str]) -> dict:
    """Run `topictrack ARGS`; wall seconds, peak summed RSS, largest child ru_maxrss, exit code."""
    command = [str(Path(sys.executable).parent / "topictrack"), *args]
    if not Path(command[0]).exists():
        command = [sys.executable, "-c", "from topictrack.cli import main; main()", *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = _PeakRSS(process.pid)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - start
    peak = sampler.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if process.returncode not in (0, 1):
        sys.exit(f"topictrack {' '.join(args[:1])} failed (exit {process.returncode}):\n{err[-2000:]}")
    return {
        "seconds": seconds,
        "cpu": cpu,  # user + system seconds of the command and every worker it waited for
        "peak_rss": peak,
        "exit": process.returncode,
        "summary": err.strip().splitlines()[-1] if err.strip() else "",
    }


def mb(n) -> str:
    return "n/a" if n is None else f"{n / 1e6:,.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_CORPUS,
                        help="ECTSum folder (default: ../shared/eval/transcripts/ectsum)")
    parser.add_argument("--limit", type=int, help="use only the first N calls (quick check)")
    args = parser.parse_args()

    files = corpus_files(args.root)
    if not files:
        sys.exit(f"ECTSum not found: no files match {args.root}/data/final/*/ects/*.txt "
                 "(the corpus is read from ../shared/eval and never ships with topictrack)")
    if args.limit:
        files = files[: args.limit]
    jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"corpus: {len(files)} ECTSum calls, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB, "
          f"{os.cpu_count()} cores")

    print("load average before: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    floor_s, floor_cpu, lines = floor(files)
    print(f"floor  plain VADER, 1 core:          {floor_s:8.1f} s  ({lines:,} lines, "
          f"{lines / floor_s:,.0f} lines/s; CPU {floor_cpu:.1f} s)")

    with tempfile.TemporaryDirectory(prefix="topictrack-scale-") as tmp:
        tmp = Path(tmp)
        once = tmp / "once"
        twice = tmp / "twice"
        for path in files:
            split = path.parent.parent.name  # train / val / test: names never collide
            for copy in (once, twice / "a", twice / "b"):
                (copy / split).mkdir(parents=True, exist_ok=True)
            for copy in (once, twice / "a"):
                os.symlink(path, copy / split / path.name)
            # the second time with one more line break: the same bytes would be scored once
            (twice / "b" / split / path.name).write_bytes(path.read_bytes() + b"\n")
        cache = tmp / "cache"

        cold = run_cli(["score", str(once), "-o", str(tmp / "cold.parquet"), "--cache", str(cache)])
        print(f"cold   topictrack score, empty cache: {cold['seconds']:8.1f} s  = "
              f"{cold['seconds'] / floor_s:.2f}x floor (target <= 1.5x); exit {cold['exit']}")
        print(f"       CPU of all its processes {cold['cpu']:.1f} s = {cold['cpu'] / floor_cpu:.2f}x the "
              f"floor's CPU; spread over {jobs} cores that is {cold['cpu'] / jobs:.1f} s "
              f"= {cold['cpu'] / jobs / floor_cpu:.2f}x floor on an otherwise idle machine")
        print(f"       {cold['summary']}")
        warm = run_cli(["score", str(once), "-o", str(tmp / "warm.parquet"), "--cache", str(cache)])
        print(f"warm   re-run on the cache:           {warm['seconds']:8.1f} s  = "
              f"{warm['seconds'] / floor_s:.3f}x floor (target <= 0.1x)")
        print(f"       {warm['summary']}")
        same = (tmp / "cold.parquet").read_bytes() == (tmp / "warm.parquet").read_bytes()
        print(f"       warm output byte-identical to cold: {same}")

        one = run_cli(["score", str(once), "-o", str(tmp / "one.parquet"), "--no-cache"])
        two = run_cli(["score", str(twice), "-o", str(tmp / "two.parquet"), "--no-cache"])
        print(f"once   --no-cache:                    {one['seconds']:8.1f} s")
        print(f"       {one['summary']}")
        print(f"twice  --no-cache, 2x the files:      {two['seconds']:8.1f} s  = "
              f"{two['seconds'] / one['seconds']:.2f}x once (target <= 2.1x); CPU "
              f"{two['cpu']:.1f} s vs {one['cpu']:.1f} s = {two['cpu'] / one['cpu']:.2f}x")
        print(f"       {two['summary']}")
        print("peak memory, summed RSS of the command and its workers (sampled every 50 ms):")
        for label, result in (("cold", cold), ("warm", warm), ("once", one), ("twice", two)):
            print(f"       {label:6s} {mb(result['peak_rss']):>9s}")
        print(f"       twice / once: {two['peak_rss'] / one['peak_rss']:.2f}x (target <= 1.1x); "
              f"largest cold peak {mb(cold['peak_rss'])} (target <= 1,000 MB)")
        print(f"largest single process peak RSS over all runs (ru_maxrss, RUSAGE_CHILDREN): "
              f"{mb(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)}")
        shutil.rmtree(cache, ignore_errors=True)
    print("load average after: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()

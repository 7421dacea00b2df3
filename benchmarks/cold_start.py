"""Benchmark: the first answer, each in a fresh Python process, best of N.

    .venv/bin/python benchmarks/cold_start.py [-n 3]

Three cases, each run N times (default 3) as a new process, printing the wall and CPU
seconds (user + system, from ``resource.getrusage(RUSAGE_CHILDREN)``) of the fastest run and
of every run:

1. ``import topictrack`` and a first ``topictrack.tag(...)``;
2. ``import topictrack`` and a first ``topictrack.sentiment_label(...)``;
3. the command ``topictrack sentiment "Revenue rose."``.

Then which heavy libraries each of the first two cases loaded. Target: <= 0.5 s each.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

CASES = [
    ("import topictrack + first tag()",
     [sys.executable, "-c", "import topictrack; topictrack.tag('After DeepSeq R1 came out, inference demand jumped.')"]),
    ("import topictrack + first sentiment_label()",
     [sys.executable, "-c", "import topictrack; topictrack.sentiment_label('Revenue rose.')"]),
    ("topictrack sentiment 'Revenue rose.'",
     [str(Path(sys.executable).parent / "topictrack"), "sentiment", "Revenue rose."]),
]
HEAVY = ("sklearn", "scipy", "pandas", "nltk", "pyarrow")


def timed(command: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=3, help="runs of each case (default 3)")
    args = parser.parse_args()
    print("load average before: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    for label, command in CASES:
        if not Path(command[0]).exists():
            command = [sys.executable, "-c", "from topictrack.cli import main; main()", *command[1:]]
        runs = [timed(command) for _ in range(args.n)]
        wall, cpu = min(runs)
        print(f"{label:<44} best wall {wall:5.2f} s (CPU {cpu:.2f} s); runs: "
              + ", ".join(f"{w:.2f}" for w, _ in runs))
    for label, command in CASES[:2]:
        probe = command[2] + "; import sys; print(','.join(m for m in %r if m in sys.modules) or '-')" % (HEAVY,)
        loaded = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True,
                                text=True).stdout.strip()
        print(f"{label:<44} loads: {loaded}")
    print("(NLTK: the Punkt module and the few NLTK modules it imports load, then leave sys.modules;")
    print(" the nltk package itself is not imported.)")
    print("load average after: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()

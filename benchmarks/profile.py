"""Benchmark: where the CPU of a cold `topictrack score` goes, stage by stage.

    .venv/bin/python benchmarks/profile.py [--root ../shared/eval/transcripts/ectsum] [--limit N]

Runs the scoring pipeline in this one process (``topictrack.pipeline.run(..., jobs=1,
cache=False)``, the work each worker process does, plus the parent's table building) over
the ECTSum calls, with a CPU clock around each stage, and prints CPU seconds, ms per call
and the share of each stage:

- start-up: importing topictrack's scoring modules and loading the lexicons, the theme model
  and the sentiment lexicons (paid once per worker process);
- read: file -> turns (decoding, layout, turn splitting, cleaning, metadata:
  ``read_transcript``);
- sentences: splitting each turn into English sentences (``text.english_sentences``);
- sentiment: scoring those sentences (``score_sentences``);
- themes: tagging them (``ThemeTagger.tag_sentences``);
- turn columns: the rest of ``score_columns`` (the per-turn figures from the sentence
  results);
- table: collecting the rows into the table (``Sink``);
- pipeline other: everything else in ``run`` (file hashing, tasks, ...).

Beside them, in the same process: plain vaderSentiment ``polarity_scores`` over every
non-empty line of the same files, the floor that `benchmarks/scale.py` compares against.
Each figure is process CPU time (``time.process_time``), so other jobs on the machine do not
inflate it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import floor as plain_vader  # noqa: E402  (the floor every benchmark compares with)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "eval" / "transcripts" / "ectsum"


class _Clock:
    """CPU seconds spent inside wrapped functions, per stage (nested stages are subtracted
    from the stage that calls them)."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self._stack: list[list] = []

    def wrap(self, owner, name: str, stage: str) -> None:
        original = getattr(owner, name)
        clock = self

        def timed(*args, **kwargs):
            frame = [stage, time.process_time(), 0.0]  # stage, start, time of nested stages
            clock._stack.append(frame)
            try:
                return original(*args, **kwargs)
            finally:
                clock._stack.pop()
                spent = time.process_time() - frame[1]
                clock.seconds[stage] = clock.seconds.get(stage, 0.0) + spent - frame[2]
                clock.calls[stage] = clock.calls.get(stage, 0) + 1
                if clock._stack:
                    clock._stack[-1][2] += spent

        setattr(owner, name, timed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_CORPUS,
                        help="ECTSum folder (default: ../shared/eval/transcripts/ectsum)")
    parser.add_argument("--limit", type=int, help="use only the first N calls")
    args = parser.parse_args()
    files = sorted(args.root.glob("data/final/*/ects/*.txt"))
    if not files:
        sys.exit(f"ECTSum not found: no files match {args.root}/data/final/*/ects/*.txt")
    if args.limit:
        files = files[: args.limit]
    size = sum(p.stat().st_size for p in files)
    print(f"corpus: {len(files)} ECTSum calls, {size / 1e6:.1f} MB; load average before: "
          + ", ".join(f"{x:.2f}" for x in os.getloadavg()))

    clock = _Clock()
    start = time.process_time()
    from topictrack import text
    from topictrack.pipeline import call, runner, sink
    from topictrack.themes import tagger as _tagger
    from topictrack.transcripts import reader

    runner._warm_up(runner._Settings(None, None, None, None, None, ""))
    startup = time.process_time() - start

    clock.wrap(runner, "read_transcript", "read")
    clock.wrap(text, "english_sentences", "sentences")
    clock.wrap(call, "score_sentences", "sentiment")
    clock.wrap(_tagger.ThemeTagger, "tag_sentences", "themes")
    clock.wrap(call, "score_columns", "turn columns")
    clock.wrap(sink.Sink, "add", "table")
    clock.wrap(sink.Sink, "close", "table")
    clock.wrap(runner, "run", "pipeline other")
    assert reader.read_transcript is not None

    result = runner.run([str(p) for p in files], jobs=1, cache=False)
    if result.n_calls != len(files):
        print(f"note: {len(files) - result.n_calls} file(s) failed", file=sys.stderr)

    _, floor, lines = plain_vader(files)  # CPU seconds of the floor
    stages = ["read", "sentences", "sentiment", "themes", "turn columns", "table", "pipeline other"]
    total = sum(clock.seconds.get(s, 0.0) for s in stages)
    n = len(files)
    print(f"{'stage':<16}{'CPU s':>9}{'ms/call':>9}{'share':>8}{'x floor':>9}")
    print(f"{'start-up':<16}{startup:>9.2f}{'':>9}{'':>8}{'':>9}  (once per worker process)")
    for stage in stages:
        seconds = clock.seconds.get(stage, 0.0)
        print(f"{stage:<16}{seconds:>9.2f}{1000 * seconds / n:>9.2f}{seconds / total:>8.1%}{seconds / floor:>9.2f}")
    print(f"{'total':<16}{total:>9.2f}{1000 * total / n:>9.2f}{1:>8.0%}{total / floor:>9.2f}")
    print(f"{'floor: VADER':<16}{floor:>9.2f}{1000 * floor / n:>9.2f}{'':>8}{1:>9.2f}  "
          f"(plain polarity_scores over {lines:,} lines, one core)")
    print(f"reading: {size / 1e6 / clock.seconds.get('read', 1e-9):.1f} MB/s; whole pipeline on one core: "
          f"{total / floor:.2f}x the floor, so {total / floor / 2:.2f}x on two cores when the two "
          f"workers have them to themselves")
    print("load average after: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()

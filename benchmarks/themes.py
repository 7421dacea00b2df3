"""Theme tagging benchmark: accuracy on the gold dev sets, firing on ECTSum calls, throughput.

Run from the repository root:

    .venv/bin/python benchmarks/themes.py

Accuracy: ``tag()`` on every passage of ``../shared/gold/dev.json`` (Kingsoft Cloud) and
``../shared/gold/dev_general.json`` (other companies' calls, 2019-2026), scored at passage
level per theme (a theme listed in a passage's ``optional`` counts neither right nor
wrong), for the lexicons alone, the classifier alone and the combination. Both are
development sets: the lexicons and example sentences were written while looking at the
kinds of wording they miss, so held-out passages of the same kinds score lower or equal.

Firing: how many ECTSum calls of 2019-2022
(``../shared/eval/transcripts/ectsum/data/final/*/ects/*.txt``, one sentence per line,
almost none of them cloud or AI companies) carry each theme at all, with five sentences per
theme drawn at random (fixed seed) from those calls, so over-firing can be read.

Throughput: ``ThemeTagger.tag_sentences`` over the same calls, reading included, one process.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

from topictrack.themes import get_tagger

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD_SETS = {
    "dev.json": SHARED / "gold" / "dev.json",
    "dev_general.json": SHARED / "gold" / "dev_general.json",
}
ECTSUM = SHARED / "eval" / "transcripts" / "ectsum" / "data" / "final"
YEAR = re.compile(r"_(\d{4})\.txt$")
SEED = 10
SAMPLES = 5


def score(passages: dict, method: str, *, show_errors: bool = False) -> dict[str, tuple[float, float, float]]:
    tagger = get_tagger(method=method)
    counts = {t: [0, 0, 0] for t in tagger.themes}  # tp, fp, fn
    for key, item in sorted(passages.items()):
        predicted = set(tagger.tag(item["text"]))
        gold, optional = set(item["themes"]), set(item["optional"])
        for theme in tagger.themes:
            if theme in optional:
                continue
            p, g = theme in predicted, theme in gold
            counts[theme][0] += p and g
            counts[theme][1] += p and not g
            counts[theme][2] += g and not p
            if show_errors and p != g:
                kind = "FP" if p else "FN"
                print(f"  {method} {kind} {theme} {key}: {item['text'][:400]}", file=sys.stderr)
    out = {}
    for theme, (tp, fp, fn) in counts.items():
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[theme] = (precision, recall, f1)
    return out


def print_accuracy(show_errors: bool, methods: list[str]) -> bool:
    measured = False
    for name, path in GOLD_SETS.items():
        if not path.is_file():
            print(f"gold set not found at {path}; skipping it")
            continue
        measured = True
        passages = json.loads(path.read_text(encoding="utf-8"))
        print(f"\naccuracy on {path.relative_to(SHARED.parent)} ({len(passages)} passages; a dev set, not a held-out test)")
        for method in methods:
            try:
                results = score(passages, method, show_errors=show_errors)
            except Exception as exc:  # a missing model is reported, not fatal
                print(f"\n{method}: not available ({exc})")
                continue
            print(f"\n  {name} {method:<18} precision  recall     F1")
            for theme, (p, r, f) in results.items():
                print(f"    {theme:<16} {p:9.3f} {r:7.3f} {f:6.3f}")
            macro = sum(f for _, _, f in results.values()) / len(results)
            print(f"    {'macro-F1':<16} {'':9} {'':7} {macro:6.3f}")
    return measured


def ectsum_calls(limit: int | None) -> list[Path]:
    files = sorted(p for p in ECTSUM.glob("*/ects/*.txt") if YEAR.search(p.name)
                   and 2019 <= int(YEAR.search(p.name).group(1)) <= 2022)
    return files[:limit] if limit else files


def read_lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]


def print_firing(files: list[Path]) -> None:
    """Calls in which each theme fires, and random sentences carrying it."""
    tagger = get_tagger()
    calls = {t: 0 for t in tagger.themes}
    carried: dict[str, list[tuple[str, str]]] = {t: [] for t in tagger.themes}
    for path in files:
        lines = read_lines(path)
        found = set()
        for line, tags in zip(lines, tagger.tag_sentences(lines)):
            for theme in tags:
                found.add(theme)
                carried[theme].append((path.stem, line))
        for theme in found:
            calls[theme] += 1
    rng = random.Random(SEED)
    print(f"\nfiring on {len(files):,} ECTSum calls of 2019-2022 (combined tagger; sentences drawn with seed {SEED})")
    for theme in tagger.themes:
        print(f"\n  {theme}: fires in {calls[theme]:,} calls ({calls[theme] / len(files):.1%}), "
              f"{len(carried[theme]):,} sentences")
        for call, line in rng.sample(carried[theme], min(SAMPLES, len(carried[theme]))):
            print(f"    [{call}] {line[:300]}")


def print_throughput(files: list[Path]) -> None:
    tagger = get_tagger()
    tagger.tag_sentences(["Warm-up sentence about AI demand."])
    start, cpu = time.perf_counter(), time.process_time()
    n_sentences = n_tagged = 0
    for path in files:
        lines = read_lines(path)
        tags = tagger.tag_sentences(lines)
        n_sentences += len(lines)
        n_tagged += sum(1 for t in tags if t)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"\nthroughput: {n_sentences:,} sentences in {len(files):,} ECTSum calls read and tagged, one call per batch: "
        f"{elapsed:.2f} s wall = {n_sentences / elapsed:,.0f} sentences/s; {cpu:.2f} s CPU = "
        f"{n_sentences / cpu:,.0f} sentences/s per core ({n_tagged:,} sentences carry a theme)"
    )
    start = time.perf_counter()
    batch, groups = [], []
    for i, path in enumerate(files):
        lines = read_lines(path)
        batch.extend(lines)
        groups.extend([i] * len(lines))
    tagger.tag_sentences(batch, groups=groups)
    elapsed = time.perf_counter() - start
    print(f"throughput: one batch of all calls (groups keep calls apart): {len(batch) / elapsed:,.0f} sentences/s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every wrong passage decision on stderr")
    parser.add_argument("--method", action="append", choices=("lexicon", "classifier", "combined"),
                        help="score only this method (repeatable; default all three)")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N ECTSum calls")
    parser.add_argument("--no-corpus", action="store_true", help="skip the ECTSum firing and throughput runs")
    args = parser.parse_args()
    measured = print_accuracy(args.errors, args.method or ["lexicon", "classifier", "combined"])
    if not args.no_corpus:
        files = ectsum_calls(args.limit)
        if not files:
            print(f"\nno ECTSum calls found under {ECTSUM}; skipping firing and throughput")
        else:
            print_firing(files)
            print_throughput(files)
            measured = True
    return 0 if measured else 2


if __name__ == "__main__":
    sys.exit(main())

"""Theme tagging benchmark: accuracy on the gold dev set and tagging throughput.

Run from the repository root:

    .venv/bin/python benchmarks/themes.py

Accuracy: ``tag()`` on every passage of ``../shared/gold/dev.json``, scored at passage
level per theme (a theme listed in a passage's ``optional`` counts neither right nor
wrong), for the lexicons alone, the classifier alone and the combination. dev.json
passages come from the bundled calls, which are also the classifier's (weakly
labelled) training corpus: it is a development set, not a held-out test.

Throughput: ``ThemeTagger.tag_sentences`` over the ECTSum calls
(``../shared/eval/transcripts/ectsum/data/final/*/ects/*.txt``, one sentence per line),
reading included, one process.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from topictrack.themes import get_tagger

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "gold" / "dev.json"
ECTSUM = SHARED / "eval" / "transcripts" / "ectsum" / "data" / "final"


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
                print(f"  {method} {kind} {theme} {key}: {item['text'][:300]}", file=sys.stderr)
    out = {}
    for theme, (tp, fp, fn) in counts.items():
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[theme] = (precision, recall, f1)
    return out


def print_accuracy(show_errors: bool) -> bool:
    if not GOLD.is_file():
        print(f"gold dev set not found at {GOLD}; skipping accuracy")
        return False
    passages = json.loads(GOLD.read_text(encoding="utf-8"))
    print(f"accuracy on {GOLD.relative_to(SHARED.parent)} ({len(passages)} passages; a dev set, not a held-out test)")
    for method in ("lexicon", "classifier", "combined"):
        try:
            results = score(passages, method, show_errors=show_errors)
        except Exception as exc:  # a missing model is reported, not fatal
            print(f"\n{method}: not available ({exc})")
            continue
        print(f"\n{method:<18} precision  recall     F1")
        for theme, (p, r, f) in results.items():
            print(f"  {theme:<16} {p:9.3f} {r:7.3f} {f:6.3f}")
        macro = sum(f for _, _, f in results.values()) / len(results)
        print(f"  {'macro-F1':<16} {'':9} {'':7} {macro:6.3f}")
    return True


def print_throughput(limit: int | None) -> bool:
    files = sorted(ECTSUM.glob("*/ects/*.txt"))
    if not files:
        print(f"\nthroughput: no ECTSum calls found under {ECTSUM}; skipping")
        return False
    files = files[:limit] if limit else files
    tagger = get_tagger()
    tagger.tag_sentences(["Warm-up sentence about AI demand."])
    start, cpu = time.perf_counter(), time.process_time()
    n_sentences = n_tagged = 0
    for path in files:
        lines = [line for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
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
        lines = [line for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
        batch.extend(lines)
        groups.extend([i] * len(lines))
    tagger.tag_sentences(batch, groups=groups)
    elapsed = time.perf_counter() - start
    print(f"throughput: one batch of all calls (groups keep calls apart): {len(batch) / elapsed:,.0f} sentences/s")
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every wrong passage decision on stderr")
    parser.add_argument("--limit", type=int, default=None, help="tag only the first N ECTSum calls")
    parser.add_argument("--no-throughput", action="store_true", help="skip the throughput run")
    args = parser.parse_args()
    measured = print_accuracy(args.errors)
    if not args.no_throughput:
        measured = print_throughput(args.limit) or measured
    return 0 if measured else 2


if __name__ == "__main__":
    sys.exit(main())

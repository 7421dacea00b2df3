"""Benchmark: finance-aware sentiment against plain VADER, and theme tone against gold.

    .venv/bin/python benchmarks/sentiment.py            # holdout half (the reported figures)
    .venv/bin/python benchmarks/sentiment.py --split dev --errors 40   # tuning half, with misses

Reads the Financial PhraseBank from ../shared/eval/phrasebank and the gold passages from
../shared/gold/dev.json (Kingsoft Cloud) and ../shared/gold/dev_general.json (other companies)
(relative to the repository); none of them ships with topictrack.

Prints, for the AllAgree and 50Agree files: accuracy and macro-F1 of plain VADER (compound
with the standard +-0.05 thresholds) and of ``sentiment_label``, and sentences per second of
each (plain VADER ``polarity_scores``; ``sentiment_label`` one call per sentence;
``score_sentences`` over the whole list; each the fastest of five runs, in CPU time); the same
speed on the sentences the pipeline scores (every line of every 10th ECTSum call, from
../shared/eval/transcripts/ectsum, when present). Then the sign agreement of ``theme_tones`` with
the annotators' agreed tone per theme, and its coverage.

A sentence belongs to the holdout half when the MD5 of its text (before the last '@',
stripped, UTF-8) is even; the rest is the dev half.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
PHRASEBANK = SHARED / "eval" / "phrasebank"
GOLD = SHARED / "gold" / "dev.json"
GOLD_GENERAL = SHARED / "gold" / "dev_general.json"
FILES = ("Sentences_AllAgree.txt", "Sentences_50Agree.txt")
LABELS = ("negative", "neutral", "positive")


def read_phrasebank(path: Path, split: str) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_bytes().decode("latin-1").splitlines():
        if "@" not in line:
            continue
        sentence, label = line.rsplit("@", 1)
        sentence, label = sentence.strip(), label.strip()
        holdout = int(hashlib.md5(sentence.encode("utf-8")).hexdigest(), 16) % 2 == 0
        if holdout == (split == "holdout"):
            rows.append((sentence, label))
    return rows


def accuracy_f1(gold: list[str], pred: list[str]) -> tuple[float, float]:
    acc = sum(g == p for g, p in zip(gold, pred)) / len(gold)
    f1s = []
    for label in LABELS:
        tp = sum(g == label and p == label for g, p in zip(gold, pred))
        fp = sum(g != label and p == label for g, p in zip(gold, pred))
        fn = sum(g == label and p != label for g, p in zip(gold, pred))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return acc, sum(f1s) / len(f1s)


def vader_label(compound: float) -> str:
    if compound >= 0.05:
        return "positive"
    if compound <= -0.05:
        return "negative"
    return "neutral"


def timed(func, repeat: int = 5):
    """Result of ``func()`` and its fastest CPU time (``time.process_time``) over ``repeat``
    runs: other jobs on the machine do not slow it down as they do wall time."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        result = func()
        best = min(best, time.process_time() - start)
    return result, best


def bench_phrasebank(split: str, errors: int) -> None:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from topictrack.sentiment import score_sentences, sentiment_label

    vader = SentimentIntensityAnalyzer()
    sentiment_label("Warm-up: net sales rose.")  # load lexicons and the sentence splitter before timing
    print(f"Financial PhraseBank, {split} half")
    print(f"{'file':24} {'n':>5}  {'method':22} {'accuracy':>8} {'macro-F1':>8} {'sent/s':>8}")
    for name in FILES:
        rows = read_phrasebank(PHRASEBANK / name, split)
        texts = [t for t, _ in rows]
        gold = [g for _, g in rows]
        plain, t_plain = timed(lambda: [vader_label(vader.polarity_scores(t)["compound"]) for t in texts])
        ours, t_ours = timed(lambda: [sentiment_label(t) for t in texts])
        _, t_batch = timed(lambda: score_sentences(texts))
        for method, pred, seconds in (("plain VADER", plain, t_plain), ("sentiment_label", ours, t_ours)):
            acc, f1 = accuracy_f1(gold, pred)
            print(f"{name:24} {len(rows):5}  {method:22} {acc:8.3f} {f1:8.3f} {len(texts) / seconds:8.0f}")
        print(f"{name:24} {len(rows):5}  {'score_sentences (batch)':22} {'':8} {'':8} {len(texts) / t_batch:8.0f}")
        print(f"{'':31} speed vs plain VADER: sentiment_label {t_plain / t_ours:.2f}x, "
              f"score_sentences {t_plain / t_batch:.2f}x")
        if errors and split == "dev" and name == FILES[0]:
            misses = [(g, p, t) for t, g, p in zip(texts, gold, ours) if g != p]
            print(f"  first {min(errors, len(misses))} of {len(misses)} dev misses (gold -> predicted):")
            for g, p, t in misses[:errors]:
                print(f"    {g[:3]} -> {p[:3]}  {t}")


ECTSUM = SHARED / "eval" / "transcripts" / "ectsum"


def bench_call_sentences(every: int = 10) -> None:
    """Speed on the sentences the pipeline scores: every line of every ``every``-th ECTSum call."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from topictrack.sentiment import score_sentences

    files = sorted(ECTSUM.glob("data/final/*/ects/*.txt"))[::every]
    if not files:
        return
    lines = [line.strip() for path in files for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    vader = SentimentIntensityAnalyzer()
    _, t_plain = timed(lambda: [vader.polarity_scores(t) for t in lines])
    _, t_batch = timed(lambda: score_sentences(lines))
    print()
    print(f"ECTSum call sentences ({len(files)} calls, {len(lines):,} lines): plain VADER "
          f"{len(lines) / t_plain:,.0f} sent/s, score_sentences {len(lines) / t_batch:,.0f} sent/s = "
          f"{t_plain / t_batch:.2f}x plain VADER")


def bench_theme_tone(gold_path: Path = GOLD) -> None:
    from topictrack.sentiment import score_label, theme_tones

    passages = json.loads(gold_path.read_text(encoding="utf-8"))
    sign = {"negative": -1, "neutral": 0, "positive": 1}
    gold_labels = agree = covered = 0
    for passage in passages.values():
        tone = passage.get("tone") or {}
        if not tone:
            continue
        tones = theme_tones(passage["text"])
        for theme, gold in tone.items():
            gold_labels += 1
            if theme in tones:
                covered += 1
                agree += sign[score_label(tones[theme])] == gold
    print()
    print(f"Theme tone vs gold ({gold_path.name}): sign agreement {agree / covered if covered else 0:.3f} "
          f"({agree}/{covered} toned themes); coverage {covered}/{gold_labels} gold tone labels "
          f"({covered / gold_labels if gold_labels else 0:.2f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("holdout", "dev"), default="holdout")
    parser.add_argument("--errors", type=int, default=0, help="list this many dev misses (dev split only)")
    args = parser.parse_args()
    missing = [p for p in (*(PHRASEBANK / f for f in FILES), GOLD, GOLD_GENERAL) if not p.is_file()]
    if missing:
        print("Evaluation data not found (it is not part of topictrack):", file=sys.stderr)
        for p in missing:
            print(f"  {p}", file=sys.stderr)
        print("Place the Financial PhraseBank in ../shared/eval/phrasebank and the gold files in "
              "../shared/gold/ (dev.json, dev_general.json) relative to the repository.", file=sys.stderr)
        return 2
    bench_phrasebank(args.split, args.errors)
    bench_call_sentences()
    bench_theme_tone(GOLD)
    bench_theme_tone(GOLD_GENERAL)
    return 0


if __name__ == "__main__":
    sys.exit(main())

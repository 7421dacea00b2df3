"""Read every call of the evaluation corpora and report coverage, metadata accuracy and speed.

Usage (from the repository root)::

    .venv/bin/python benchmarks/read_corpus.py [--root ../shared/eval/transcripts] [--show-misses N]

Corpora: ECTSum (``ectsum/data/final/*/ects/*.txt``, period label in the file name),
Motley Fool JSON (``motleyfool_la83la/dataset/*.txt``, period in the file name) and the
2025-2026 Seeking Alpha-like calls (``vanillefatale_2025_tech/text/*.txt``, period taken
from ``manifest.csv``'s ``header_line`` because the file-name labels are sometimes off).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from pathlib import Path

from topictrack.text import cjk_ratio
from topictrack.transcripts import formats as _formats
from topictrack.transcripts import read_transcripts
from topictrack.transcripts.cleaning import announces_translation
from topictrack.transcripts.decode import read_text
from topictrack.transcripts.metadata import period_from_name, period_from_text, ticker_from_name

_HEADER_PERIOD = re.compile(r"\bQ([1-4])\s+(?:FY\s?)?(\d{4})\b")


def _corpora(root: Path) -> dict:
    vf = root / "vanillefatale_2025_tech"
    expected_vf = {}
    with (vf / "manifest.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            m = _HEADER_PERIOD.search(row["header_line"])
            expected_vf[row["id"]] = f"{m.group(2)}Q{m.group(1)}" if m else None
    return {
        "ectsum": (sorted(root.glob("ectsum/data/final/*/ects/*.txt")), lambda p: period_from_name(p.stem)),
        "motley_fool": (sorted((root / "motleyfool_la83la" / "dataset").glob("*.txt")),
                        lambda p: period_from_name(p.stem)),
        "vanillefatale_2025": (sorted((vf / "text").glob("*.txt")), lambda p: expected_vf.get(p.stem)),
    }


def _stated(call) -> str | None:
    """The call's own words naming the quarter that was read, when its title or opening states it."""
    text = read_text(call.path)
    parsed = _formats.parse(text, call.path)
    body = "\n".join(t[3] for t in parsed.turns[:60])
    if period_from_text(parsed.header, body) != call.period:
        return None
    for source in (parsed.header, body[:3000]):
        for sentence in re.split(r"(?<=[.?!])\s+|\n", source):
            if period_from_text("", sentence) == call.period or period_from_text(sentence, "") == call.period:
                return sentence.strip()[:160]
    return "(title)"


def _ticker(path: str) -> str:
    stem = Path(path).stem
    return ticker_from_name(stem) or stem.split("_")[0].upper()


def _speaker_figures(calls) -> dict:
    """Who speaks: attribution to the participant lists, analyst share of words, pairs, company keys."""
    named = listed = right = 0
    unlisted: dict = {}
    shares = []
    links_no_zh = links_plain = calls_no_zh = calls_plain = 0
    keys: dict = {}
    for call in calls:
        turns = call.turns
        keys.setdefault(_ticker(call.path), set()).add(call.company)
        words = turns.text.str.split().str.len()
        total = int(words.sum())
        shares.append((int(words[turns.role == "analyst"].sum()) / max(total, 1), Path(call.path).stem))
        links = int(turns.duplicate_of.notna().sum())
        if not any(not t.isascii() and cjk_ratio(t) > 0 for t in turns.text):
            calls_no_zh += 1
            links_no_zh += links
            if not any(announces_translation(t) for t in turns.text):
                calls_plain += 1
                links_plain += links
        if not call.participants:
            continue
        for speaker, role in zip(turns.speaker, turns.role):
            if not isinstance(speaker, str) or speaker == "Operator":
                continue
            named += 1
            entry = call.participants.get(speaker)
            if entry is None:
                unlisted[speaker] = unlisted.get(speaker, 0) + 1
                continue
            listed += 1
            right += entry[1] == role
    shares.sort(reverse=True)
    return dict(named=named, listed=listed, right=right, unlisted=unlisted, shares=shares,
                links_no_zh=links_no_zh, calls_no_zh=calls_no_zh, links_plain=links_plain,
                calls_plain=calls_plain, keys=keys)


def _print_speaker_figures(name: str, f: dict, show: int) -> None:
    named = f["named"]
    print(f"  {name}: named turns in calls with participant lists {named}; by a listed participant "
          f"{f['listed']} ({f['listed'] / max(named, 1):.1%}), of them with the listed role {f['right']}; "
          f"listed with the right role {f['right'] / max(named, 1):.1%}")
    if f["unlisted"]:
        top = sorted(f["unlisted"].items(), key=lambda kv: -kv[1])[:show or 5]
        print("    speakers not in the participant list: "
              + ", ".join(f"{who} ({n})" for who, n in top)
              + (f" ... ({len(f['unlisted'])} names)" if len(f["unlisted"]) > len(top) else ""))
    shares = f["shares"]
    mean = sum(s for s, _ in shares) / max(len(shares), 1)
    print(f"    analyst share of words: mean {mean:.1%}; highest "
          + ", ".join(f"{stem} {share:.1%}" for share, stem in shares[:5]))
    print(f"    interpretation links: {f['links_no_zh']} in {f['calls_no_zh']} calls without Chinese text; "
          f"{f['links_plain']} in {f['calls_plain']} calls without Chinese text or a translation announcement")
    split = {t: k for t, k in f["keys"].items() if len(k) > 1}
    print(f"    company keys per ticker: {len(f['keys'])} tickers, {len(split)} with more than one key"
          + ("; " + "; ".join(f"{t}: {sorted(map(str, k))}" for t, k in sorted(split.items())[:show or 5])
             if split else ""))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_root = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "transcripts"
    parser.add_argument("--root", type=Path, default=default_root)
    parser.add_argument("--show-misses", type=int, default=0, help="print up to N period misses per corpus")
    parser.add_argument("--corpus", action="append", choices=["ectsum", "motley_fool", "vanillefatale_2025"],
                        help="read only this corpus (repeatable; default: all three)")
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        print(f"corpora not found at {args.root} (expected ../shared/eval/transcripts relative to the repo)",
              file=sys.stderr)
        return 2
    corpora = _corpora(args.root)
    print("period = share of calls with a period; company = share with a company; label = share of")
    print("periods equal to the file name's (ECTSum, Motley Fool) or manifest header_line's quarter;")
    print("text = label disagreements where the call's own title or opening announcement states the quarter")
    print("read; cpu s = process CPU seconds of reading; MB/s = megabytes of files read per CPU second (one")
    print("core); ms/call = CPU milliseconds per file. Targets: >= 10 MB/s on ECTSum, >= 5 MB/s on Motley Fool.")
    header = f"{'corpus':<20}{'files':>7}{'read':>7}{'failed':>8}{'turns':>9}{'period':>9}" \
             f"{'company':>9}{'label':>9}{'text':>6}{'seconds':>9}{'cpu s':>8}{'MB/s':>7}{'ms/call':>9}"
    print(header)
    totals = dict(files=0, read=0, failed=0, turns=0, period=0, company=0, ok=0, judged=0, stated=0,
                  seconds=0.0, cpu=0.0, bytes=0)
    failed_any = False
    speaker_figures: dict = {}
    for name, (paths, expected_of) in corpora.items():
        if args.corpus and name not in args.corpus:
            continue
        if not paths:
            print(f"{name}: no files found under {args.root}", file=sys.stderr)
            return 2
        size = sum(p.stat().st_size for p in paths)
        start, cpu = time.perf_counter(), time.process_time()
        result = read_transcripts(paths)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        calls = result.calls
        with_period = sum(1 for c in calls if c.period)
        with_company = sum(1 for c in calls if c.company)
        judged = ok = 0
        misses = []
        for call in calls:
            expected = expected_of(Path(call.path))
            if expected is None:
                continue
            judged += 1
            if call.period == expected:
                ok += 1
            else:
                misses.append((Path(call.path).name, call.period, expected, _stated(call)))
        turns = sum(len(c.turns) for c in calls)
        n = len(calls)
        stated = sum(1 for m in misses if m[3])
        print(f"{name:<20}{len(paths):>7}{n:>7}{len(result.failures):>8}{turns:>9}"
              f"{with_period / max(n, 1):>9.1%}{with_company / max(n, 1):>9.1%}"
              f"{ok / max(judged, 1):>9.1%}{stated:>6}{seconds:>9.2f}{cpu:>8.2f}"
              f"{size / 1e6 / max(cpu, 1e-9):>7.1f}{1000 * cpu / max(len(paths), 1):>9.2f}")
        for path, error in result.failures.itertuples(index=False):
            print(f"  failed: {error}")
        for miss in misses[: args.show_misses]:
            where = f'text says: "{miss[3]}"' if miss[3] else "no statement in the text"
            print(f"  label differs: {miss[0]} read {miss[1]}, label {miss[2]}; {where}")
        speaker_figures[name] = _speaker_figures(calls)
        failed_any |= len(result.failures) > 0
        for key, value in (("files", len(paths)), ("read", n), ("failed", len(result.failures)),
                           ("turns", turns), ("period", with_period), ("company", with_company),
                           ("ok", ok), ("judged", judged), ("stated", stated), ("seconds", seconds),
                           ("cpu", cpu), ("bytes", size)):
            totals[key] += value
    n = totals["read"]
    print(f"{'overall':<20}{totals['files']:>7}{n:>7}{totals['failed']:>8}{totals['turns']:>9}"
          f"{totals['period'] / max(n, 1):>9.1%}{totals['company'] / max(n, 1):>9.1%}"
          f"{totals['ok'] / max(totals['judged'], 1):>9.1%}{totals['stated']:>6}{totals['seconds']:>9.2f}"
          f"{totals['cpu']:>8.2f}{totals['bytes'] / 1e6 / max(totals['cpu'], 1e-9):>7.1f}"
          f"{1000 * totals['cpu'] / max(totals['files'], 1):>9.2f}")
    judged, agree_or_stated = totals["judged"], totals["ok"] + totals["stated"]
    print(f"period equal to the label or stated by the call itself: {agree_or_stated}/{judged} "
          f"= {agree_or_stated / max(judged, 1):.1%}")
    print("speakers (named turns other than the operator), analyst share of all words of a call,")
    print("interpretation pairs linked, company keys per file-name ticker:")
    for name, figures in speaker_figures.items():
        _print_speaker_figures(name, figures, args.show_misses)
    return 1 if failed_any else 0


if __name__ == "__main__":
    sys.exit(main())

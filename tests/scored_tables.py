"""Synthetic scored turn tables, in the shape topictrack.score() returns, for trend and report tests."""

from __future__ import annotations

import pandas as pd

NAN = float("nan")


def scored_table(calls, themes=("ai_demand", "seasonality")):
    """A scored turn table in the shape topictrack.score() returns, from compact call specs.

    Each call: dict(company, period, kind="transcript", turns=[(speaker, role, section, sentences,
    words, counted, {theme: (mentions, tone, confidence, quote)})]).
    """
    rows = []
    for c, call in enumerate(calls):
        for t, (speaker, role, section, n_sent, n_words, counted, tagged) in enumerate(call["turns"]):
            row = {"call_id": call.get("call_id", f"call{c:02d}"), "path": f"/calls/{c}.txt",
                   "company": call["company"], "period": call["period"], "date": None,
                   "kind": call.get("kind", "transcript"), "source_format": "speaker_blocks",
                   "turn": t, "speaker": speaker, "role": role, "section": section, "text": "...",
                   "language": "en", "boilerplate": not counted, "duplicate_of": None,
                   "loops_collapsed": 0, "counted": counted, "n_sentences": n_sent,
                   "n_words": n_words, "sentiment": 0.0, "themes": ";".join(sorted(tagged))}
            for theme in themes:
                mentions, tone, conf, quote = tagged.get(theme, (0, NAN, 0.0, None))
                row.update({f"conf_{theme}": conf, f"mentions_{theme}": mentions,
                            f"tone_{theme}": tone, f"quote_{theme}": quote})
            rows.append(row)
    return pd.DataFrame(rows)

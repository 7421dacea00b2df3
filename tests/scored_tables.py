"""Synthetic scored turn tables, in the shape topictrack.score() returns, for trend and report tests."""

from __future__ import annotations

import pandas as pd

NAN = float("nan")


def scored_table(calls, themes=("ai_demand", "seasonality")):
    """A scored turn table in the shape topictrack.score() returns, from compact call specs.

    Each call: dict(company, period, kind="transcript", turns=[(speaker, role, section, sentences,
    words, counted, {theme: (mentions, tone, confidence, quote)})]). As in the pipeline, a
    turn's mentions all count as toned (``toned_T = mentions_T``) unless its tone is 0.0 (then
    ``toned_T = 0``); a fifth item gives ``toned_T`` explicitly.
    """
    rows = []
    for c, call in enumerate(calls):
        for t, (speaker, role, section, n_sent, n_words, counted, tagged) in enumerate(call["turns"]):
            row = {"call_id": call.get("call_id", f"call{c:02d}"), "path": call.get("path", f"/calls/{c}.txt"),
                   "company": call["company"], "period": call["period"], "date": call.get("date"),
                   "kind": call.get("kind", "transcript"), "source_format": "speaker_blocks",
                   "turn": t, "speaker": speaker, "role": role, "section": section, "text": "...",
                   "language": "en", "boilerplate": not counted, "duplicate_of": None,
                   "loops_collapsed": 0, "counted": counted, "n_sentences": n_sent,
                   "n_words": n_words, "sentiment": 0.0, "themes": ";".join(sorted(tagged))}
            for theme in themes:
                mentions, tone, conf, quote, *toned = tagged.get(theme, (0, NAN, 0.0, None))
                row.update({f"conf_{theme}": conf, f"mentions_{theme}": mentions,
                            f"toned_{theme}": toned[0] if toned else (mentions if tone else 0),
                            f"tone_{theme}": tone, f"quote_{theme}": quote})
            rows.append(row)
    return pd.DataFrame(rows)

"""Scoring: transcript files -> one row per speaker turn with themes, tone and evidence.

:mod:`.schema` names the scored table's columns, :mod:`.call` scores one call,
:mod:`.runner` scores many (:mod:`.engines` runs them in parallel, :mod:`.cache` keeps what was
scored, :mod:`.sink` collects the rows in memory or in a Parquet file).
"""

from topictrack.pipeline.runner import ScoreResult, run, score, scored_calls
from topictrack.pipeline.schema import (
    CALL_COLUMNS,
    LM_COLUMNS,
    SCORE_COLUMNS,
    THEME_PREFIXES,
    TURN_COLUMNS,
    columns,
    theme_names,
)
from topictrack.pipeline.sink import read_scored

__all__ = [
    "CALL_COLUMNS",
    "LM_COLUMNS",
    "SCORE_COLUMNS",
    "THEME_PREFIXES",
    "TURN_COLUMNS",
    "ScoreResult",
    "columns",
    "read_scored",
    "run",
    "score",
    "score_call",
    "scored_calls",
    "theme_names",
]


def __getattr__(name: str):
    # score_call needs the scoring modules (lexicons, classifier, VADER): loaded on first use
    if name == "score_call":
        from topictrack.pipeline.call import score_call

        return score_call
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

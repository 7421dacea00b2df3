"""A transcript's turns with the themes their sentences carry: what ``topictrack tag`` prints."""

from __future__ import annotations

from dataclasses import dataclass, field

from topictrack.themes.tagger import tag_turns
from topictrack.transcripts import read_transcript


@dataclass
class TaggedTurn:
    """One turn of a call: ``themes`` maps each theme its sentences carry to the best sentence
    confidence (sorted by theme); ``evidence`` lists ``(theme, confidence, sentence)`` of every
    carrying sentence, in the order of :func:`topictrack.themes.tag_turns`."""

    turn: int
    speaker: str | None
    text: str
    themes: dict[str, float] = field(default_factory=dict)
    evidence: list[tuple[str, float, str]] = field(default_factory=list)


def tag_call(path, *, lexicons=None) -> list[TaggedTurn]:
    """Read the transcript at ``path`` and tag each of its turns (see :func:`tag_turns`)."""
    call = read_transcript(path)
    rows = tag_turns(call.turns, lexicons=lexicons)
    by_turn: dict[int, list] = {}
    for row in rows.itertuples(index=False):
        by_turn.setdefault(row.turn, []).append((row.theme, row.confidence, row.text))
    out = []
    for turn in call.turns.itertuples(index=False):
        evidence = by_turn.get(turn.turn, [])
        best: dict[str, float] = {}
        for theme, confidence, _ in evidence:
            best[theme] = max(best.get(theme, confidence), confidence)
        speaker = turn.speaker if isinstance(turn.speaker, str) else None
        out.append(TaggedTurn(int(turn.turn), speaker, str(turn.text), dict(sorted(best.items())), evidence))
    return out

"""Scoring one call: a transcript's turns -> the scored columns of each turn.

Every turn is split into English sentences once (:func:`topictrack.text.english_sentences`);
the same sentences go to the theme tagger (:meth:`topictrack.themes.ThemeTagger.tag_sentences`)
and to the sentiment scorer (:func:`topictrack.sentiment.score_sentences`).
"""

from __future__ import annotations

import hashlib
import math

import pandas as pd

from topictrack import text
from topictrack.errors import TranscriptError
from topictrack.pipeline import cache as _cache
from topictrack.pipeline.schema import LM_COLUMNS, SCORE_COLUMNS, THEME_PREFIXES, columns, finish, typed_frame
from topictrack.sentiment import load_lm_dictionary, score_sentences, theme_sentence_score, theme_tone
from topictrack.themes import get_tagger
from topictrack.themes.lexicon import left_out as left_out_patterns


def tagger_for(lexicons):
    """The theme tagger of a lexicon setting (built once per process by :mod:`topictrack.themes`)."""
    return get_tagger(lexicons)


def left_out(tagger) -> tuple[str, ...]:
    """The user patterns a tagger (:func:`tagger_for`) has left out for their time, one line each."""
    return left_out_patterns(tagger.lexicons)


def lm_for(lm_dictionary):
    """An LM dictionary object from a path (loaded once per process by :mod:`topictrack.sentiment`)."""
    if lm_dictionary is None or hasattr(lm_dictionary, "counts"):
        return lm_dictionary
    return load_lm_dictionary(lm_dictionary)


def _theme_evidence(sentences, scores, tags, named, tone_tables) -> dict[str, list]:
    """Per theme carried by a turn: [best confidence, mentions, best sentence, theme sentence
    scores (:func:`~topictrack.sentiment.theme_sentence_score`), named flags]."""
    best = {}
    for sentence, score, tagged, names in zip(sentences, scores, tags, named):
        for theme, conf in tagged.items():
            entry = best.get(theme)
            if entry is None:
                best[theme] = entry = [conf, 0, sentence, [], []]
            elif conf > entry[0]:  # ties keep the earlier sentence
                entry[0], entry[2] = conf, sentence
            entry[1] += 1
            entry[3].append(theme_sentence_score(score, sentence, tone_tables[theme]))
            entry[4].append(theme in names)
    return best


def score_columns(transcript, tagger, lm) -> dict[str, list]:
    """The scored columns of one call as column lists (``call_id`` and ``path`` come later)."""
    data = dict(transcript.turn_columns())
    n = len(data["turn"])
    for name in ("company", "period", "date", "kind", "source_format"):
        data[name] = [getattr(transcript, name)] * n

    # Split every turn once; the same sentences are scored and tagged, each batch in one call
    # per transcript (``groups`` keeps each turn's sentences as each other's only context).
    per_turn = [text.english_sentences(body, lang) for body, lang in zip(data["text"], data["language"])]
    flat = [s for found in per_turn for s in found]
    groups = [i for i, found in enumerate(per_turn) for _ in found]
    scores = score_sentences(flat) if flat else []
    tags, named = tagger.tag_sentences(flat, groups=groups, return_named=True) if flat else ([], [])

    themes = list(tagger.themes)
    tone_tables = {lex.name: lex.tone for lex in tagger.lexicons}
    for name in SCORE_COLUMNS + [p + t for t in themes for p in THEME_PREFIXES]:
        data[name] = []
    if lm is not None:
        for name in LM_COLUMNS:
            data[name] = []
    start = 0
    for i, found in enumerate(per_turn):
        end = start + len(found)
        turn_scores = scores[start:end]
        best = _theme_evidence(found, turn_scores, tags[start:end], named[start:end], tone_tables)
        start = end
        data["counted"].append(not data["boilerplate"][i] and data["duplicate_of"][i] is None
                               and data["language"][i] != "zh")
        data["n_sentences"].append(len(found))
        data["n_words"].append(len(" ".join(found).split()))
        data["sentiment"].append(sum(turn_scores) / len(turn_scores) if turn_scores else math.nan)
        data["themes"].append(";".join(sorted(best)))
        for theme in themes:
            conf, mentions, quote, carried, names = best.get(theme, (0.0, 0, None, [], []))
            tone, toned = theme_tone(carried, names) if mentions else (math.nan, 0)
            data["conf_" + theme].append(float(conf))
            data["mentions_" + theme].append(mentions)
            data["toned_" + theme].append(toned)
            data["tone_" + theme].append(tone)
            data["quote_" + theme].append(quote)
        if lm is not None:
            counts = lm.counts(" ".join(found))
            for name in LM_COLUMNS:
                data[name].append(int(counts.get(name, 0)))
    return data


def score_call(transcript, *, lexicons=None, lm_dictionary=None) -> pd.DataFrame:
    """Score one :class:`~topictrack.transcripts.Transcript`: one row per turn.

    Columns are described in :mod:`topictrack.pipeline.schema`.
    """
    tagger = tagger_for(lexicons)
    lm = lm_for(lm_dictionary)
    data = score_columns(transcript, tagger, lm)
    try:
        digest = _cache.file_digest(transcript.path)
    except (OSError, TranscriptError):
        digest = hashlib.sha256("\n".join(data["text"]).encode("utf-8", "surrogatepass")).hexdigest()
    finish(data, str(transcript.path), digest)
    return typed_frame(data, columns(list(tagger.themes), lm=lm is not None))

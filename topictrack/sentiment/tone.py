"""Tone of texts and themes: the public sentiment functions.

Labels: :func:`sentiment_label` says ``positive`` when the score is at least 0.2,
``negative`` when it is at most -0.2, ``neutral`` otherwise (the ``[thresholds]`` of the
finance lexicon file).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from itertools import repeat

from topictrack.sentiment.lexicon import resolve_finance_lexicon
from topictrack.sentiment.scorer import SentenceExplanation, SentimentExplanation, scorer_for
from topictrack.text import is_question, language, sentences

# how much a theme's own direction words weigh against the sentence's general tone
DIRECTION_WEIGHT = 0.5


def _split(text: str) -> list[str]:
    return sentences(text)


def _check_text(text, name: str) -> None:
    if not isinstance(text, str):
        raise TypeError(f"{name}() expects a str, got {type(text).__name__}")


def score_sentences(sentences, *, finance_lexicon=None) -> list[float]:
    """Score each item of ``sentences`` as one sentence: the fast batch path.

    Returns one float in [-1, 1] per item; equal to :func:`tone` of each sentence
    that :func:`topictrack.text.sentences` would not split further. A bare ``str`` is
    rejected (pass a list of sentences).
    """
    if isinstance(sentences, str):
        raise TypeError("score_sentences() expects a list of sentences, not a single str")
    analyse = scorer_for(resolve_finance_lexicon(finance_lexicon)).analyse
    sentences = list(sentences)
    if not all(map(isinstance, sentences, repeat(str))):
        item = next(s for s in sentences if not isinstance(s, str))
        raise TypeError(f"score_sentences() expects str items, got {type(item).__name__}")
    return list(map(analyse, sentences))


def tone(text: str, *, finance_lexicon=None) -> float:
    """Finance-aware tone of ``text`` in [-1, 1]: the mean score of its sentences.

    0.0 for text without sentences. ``finance_lexicon``: a path to your own TOML finance
    lexicon (extends the shipped one) or a :class:`FinanceLexicon`.
    """
    _check_text(text, "tone")
    parts = _split(text)
    if not parts:
        return 0.0
    scores = score_sentences(parts, finance_lexicon=finance_lexicon)
    return sum(scores) / len(scores)


def sentiment(text: str, *, finance_lexicon=None) -> float:
    """Deprecated name of :func:`tone`."""
    warnings.warn("topictrack.sentiment() is deprecated; use topictrack.tone()", DeprecationWarning, stacklevel=2)
    return tone(text, finance_lexicon=finance_lexicon)


def sentiment_label(text: str, *, finance_lexicon=None) -> str:
    """``positive`` (score >= 0.2), ``negative`` (score <= -0.2) or ``neutral``.

    The thresholds are the ``[thresholds]`` of the finance lexicon in use.
    """
    lex = resolve_finance_lexicon(finance_lexicon)
    return lex.label(tone(text, finance_lexicon=lex))


def score_label(score: float, *, finance_lexicon=None) -> str:
    """The label :func:`sentiment_label` gives a text with this score."""
    return resolve_finance_lexicon(finance_lexicon).label(score)


def explain_sentiment(text: str, *, finance_lexicon=None) -> SentimentExplanation:
    """The terms and rules that fired in each sentence of ``text``, with contributions.

    Returns a :class:`SentimentExplanation`; its ``score`` equals :func:`tone`.
    """
    _check_text(text, "explain_sentiment")
    lex = resolve_finance_lexicon(finance_lexicon)
    parts = _split(text)
    explained = []
    for part in parts:
        score, contributions, modifiers = scorer_for(lex).analyse(part, explain=True)
        explained.append(SentenceExplanation(part, score, contributions, modifiers))
    score = sum(s.score for s in explained) / len(explained) if explained else 0.0
    return SentimentExplanation(text, score, lex.label(score), tuple(explained))


def explain_text_or_file(text_or_path: str, *, finance_lexicon=None) -> SentimentExplanation:
    """:func:`explain_sentiment` of the file ``text_or_path`` names, else of the string itself.

    A file is decoded and checked as the transcript reader does (so an empty, binary or
    oversized file raises a :class:`~topictrack.errors.TranscriptError`); a string that reads
    as a file name (one word with a path separator or a file extension) but names no file
    raises one too, rather than being scored as text.
    """
    _check_text(text_or_path, "explain_text_or_file")
    from topictrack.transcripts.decode import text_or_file  # loads the reader only for this

    return explain_sentiment(text_or_file(text_or_path), finance_lexicon=finance_lexicon)


def theme_sentence_score(score: float, sentence: str, theme_tone_table=None) -> float:
    """The tone a sentence gives one theme it carries, from its score (:func:`score_sentences`).

    A question takes no stance (0.0). When the theme's ``[tone]`` table
    (:class:`topictrack.themes.tone_table.ThemeTone`) finds direction words in the sentence, the tone is
    ``DIRECTION_WEIGHT * direction + (1 - DIRECTION_WEIGHT) * score``: the words about the theme
    itself outweigh the rest of the sentence, which may be about another matter. A sentence with
    no toned word at all takes the table's ``default``. Otherwise it is ``score``.
    """
    if is_question(sentence):
        return 0.0
    if theme_tone_table is None:
        return score
    direction = theme_tone_table.direction(sentence)
    if direction is not None:
        return DIRECTION_WEIGHT * direction + (1.0 - DIRECTION_WEIGHT) * score
    return score if score != 0.0 else theme_tone_table.default


def theme_tone(scores: Sequence[float], named: Sequence[bool]) -> tuple[float, int]:
    """Tone of one theme from the sentences that carry it: ``(tone, toned)``.

    ``scores`` are the theme's sentence scores (:func:`theme_sentence_score`).
    ``named[i]`` says whether sentence ``i`` names the theme in words (see
    :meth:`topictrack.themes.ThemeTagger.tag_sentences`). The tone is read from the sentences
    that name the theme when there are any, else from all of them: a sentence tagged only
    because of its neighbours is often about another side of the business. Of those, only the
    *toned* sentences (score not 0.0) count: ``tone`` is their mean score and ``toned`` their
    number; a neutral sentence says nothing about which way the speaker leans, and averaging it
    in would pull every tone towards 0 by the share of plain narration. ``(0.0, 0)`` when none
    is toned.
    """
    chosen = [s for s, n in zip(scores, named) if n] or list(scores)
    toned = [s for s in chosen if s != 0.0]
    return (sum(toned) / len(toned), len(toned)) if toned else (0.0, 0)


def theme_tones(text: str, *, lexicons=None, finance_lexicon=None) -> dict[str, float]:
    """Tone of each theme that :func:`topictrack.themes.tag` assigns to ``text``.

    A theme's tone is :func:`theme_tone` of the English sentences that carry it (per-sentence
    tags from ``get_tagger(lexicons).tag_sentences``, each scored for the theme by
    :func:`theme_sentence_score` with the theme's ``[tone]`` table): the mean of the toned ones
    among those naming the theme, or among all carrying it when none names it. A theme
    assigned to the text but to none of its English sentences gets the mean of the text's toned
    English sentences. 0.0 when no such sentence is toned.
    """
    _check_text(text, "theme_tones")
    from topictrack.themes.tagger import get_tagger, tag

    tagger = get_tagger(lexicons)
    assigned = tag(text, lexicons=lexicons)
    if not assigned:
        return {}
    parts = _split(text)
    # like the scoring pipeline, tone comes from English sentences only: the English scorer
    # reads a Chinese sentence as 0.0, which would pull every tone towards neutral
    english = [s for s in parts if language(s) != "zh"]
    parts = english or parts
    tags, named = tagger.tag_sentences(parts, return_named=True) if parts else ([], [])
    scores = score_sentences(parts, finance_lexicon=finance_lexicon)
    tones = {}
    for theme in assigned:
        table = tagger.lexicon(theme).tone
        carried = [(i, theme in n) for i, (t, n) in enumerate(zip(tags, named)) if theme in t]
        if not carried:
            carried = [(i, False) for i in range(len(parts))]
        theme_scores = [theme_sentence_score(scores[i], parts[i], table) for i, _ in carried]
        tones[theme] = theme_tone(theme_scores, [n for _, n in carried])[0]
    return tones

"""Training the theme classifier from the lexicons, and suggesting new lexicon terms.

Both read a corpus of transcripts the way scoring reads it (:func:`corpus_sentences`): the
files :func:`topictrack.transcripts.expand_paths` finds, each turn's English sentences a
context group. :func:`train` labels the sentences by lexicon matches (weak labels) and adds
each lexicon's example sentences; :func:`suggest` ranks the words a theme's sentences use
that its lexicon does not cover.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from topictrack._resources import sample_calls
from topictrack.errors import ConfigError, ModelError, TranscriptError
from topictrack.text import english_sentences
from topictrack.themes import lexicon as _lexicon
from topictrack.themes import matcher as _matcher
from topictrack.themes.classifier import ThemeClassifier, analyze
from topictrack.themes.tagger import MODEL_FILE, ThemeTagger, get_tagger, list_themes, load_lexicons
from topictrack.transcripts import expand_paths, read_transcript

logger = logging.getLogger(__name__)

EXAMPLE_WEIGHT = 3.0  # training weight of a lexicon's example sentence (corpus sentences weigh 1)


def corpus_sentences(paths: Iterable) -> tuple[list[str], list[int]]:
    """English sentences of transcript files, read as the scorer reads them, in file order.

    Each file goes through :func:`topictrack.read_transcript` (any layout it knows, JSON
    included); the English sentences of one turn are each other's neighbours (one group per
    turn), as in scoring. A file the reader rejects is skipped with a warning.
    """
    texts, groups = [], []
    group = 0
    for path in paths:
        try:
            turns = read_transcript(path).turns
        except TranscriptError as exc:
            logger.warning("skipped: %s", exc)
            continue
        for body, lang in zip(turns["text"].tolist(), turns["language"].tolist()):
            found = english_sentences(body, lang)
            group += 1
            texts.extend(found)
            groups.extend([group] * len(found))
    return texts, groups


def training_set(paths=None, *, lexicons=None) -> tuple[list[str], list[list[str]], list[int], list[float]]:
    """Weakly labelled training sentences: ``(texts, labels, groups, weights)``.

    Corpus sentences (``paths``: files or folders; default the bundled sample calls)
    get the themes the lexicons give them (``[[context]]`` tables read with the
    sentence's neighbours in the same turn); each lexicon's example sentences get
    their theme (plus any other lexicon they match) and weight ``EXAMPLE_WEIGHT``.
    """
    lexicon_list = load_lexicons(lexicons)
    files = corpus_files(paths)
    if not files:
        raise ModelError("no training text: the given paths hold no files")
    texts, groups = corpus_sentences(files)
    weights = [1.0] * len(texts)
    next_group = (max(groups) + 1) if groups else 0
    forced: list[str | None] = [None] * len(texts)
    for lexicon in lexicon_list:
        for example in lexicon.examples:
            texts.append(example)
            groups.append(next_group)
            weights.append(EXAMPLE_WEIGHT)
            forced.append(lexicon.name)
            next_group += 1
    hits = ThemeTagger(lexicon_list, method="lexicon").scores(texts, groups=groups) > 0
    names = [lex.name for lex in lexicon_list]
    labels = []
    for row, theme in zip(hits, forced):
        found = {names[i] for i in np.flatnonzero(row)}
        if theme is not None:
            found.add(theme)
        labels.append(sorted(found))
    return texts, labels, groups, weights



def corpus_files(paths=None) -> list[Path]:
    """The files of a training or suggestion corpus: the bundled calls when ``paths`` is empty,
    else the files :func:`topictrack.transcripts.expand_paths` finds (the files ``score`` reads).
    Raises :class:`~topictrack.errors.ModelError` for a path that does not exist."""
    if not paths:
        return sample_calls()
    files = expand_paths(paths)
    missing = next((f for f in files if not f.exists()), None)
    if missing is not None:
        raise ModelError(f"{missing}: no such file or folder")
    return files


def train(paths=None, *, lexicons=None, output=None, **params) -> ThemeClassifier:
    """Train a :class:`ThemeClassifier` from the lexicons, deterministically.

    ``paths``: the corpus (files or folders of transcripts; default the bundled
    calls); ``lexicons``: as for :func:`topictrack.themes.load_lexicons`; ``params``:
    :class:`ThemeClassifier` parameters; ``output``: also save the model there (whole or not
    at all). Raises :class:`ModelError` when a theme has no training sentence (give its lexicon
    ``examples`` or a larger corpus).
    """
    texts, labels, groups, weights = training_set(paths, lexicons=lexicons)
    model = ThemeClassifier(classes=list_themes(lexicons), **params)
    try:
        model.fit(texts, labels, groups=groups, sample_weight=weights)
    except ValueError as exc:
        raise ModelError(f"cannot train the theme model: {exc}") from None
    logger.info("trained the theme model on %d sentences, %d features", len(texts), len(model.vocabulary_))
    if output is not None:
        model.save(output)
    return model


SUGGEST_COLUMNS = ["term", "score", "sentences", "elsewhere", "example_1", "example_2"]


def suggest(theme: str, paths=None, *, lexicons=None, n: int = 20, min_sentences: int = 2):
    """Candidate new terms for ``theme``, ranked, each with two example sentences.

    Reads the transcript files in ``paths`` (default: the bundled calls; see
    :func:`corpus_files`), finds the sentences
    the classifier gives ``theme``, and ranks the words and word pairs that are
    over-represented there compared with the other sentences and that no entry of the
    theme's lexicon covers. The score is the term's share of theme sentences times the
    log of that share over its (smoothed) share of the other sentences. Returns a DataFrame with columns ``term``,
    ``score``, ``sentences`` (theme sentences containing it), ``elsewhere`` (other
    sentences containing it), ``example_1``, ``example_2``.
    """
    tagger = get_tagger(lexicons)
    lex = tagger.lexicon(theme)
    model = tagger.model_for(theme)
    if model is None:
        raise ModelError(
            f"no trained model knows theme '{theme}'; run 'topictrack train --lexicons DIR -o DIR/{MODEL_FILE}' first"
        )
    texts, groups = corpus_sentences(corpus_files(paths))
    if not texts:
        raise ConfigError("no English sentences found in the given files")
    column = list(model.classes_).index(theme)
    probs = model.predict_proba(texts, groups=groups)[:, column]
    inside = probs >= model.threshold
    n_in, n_out = int(inside.sum()), int((~inside).sum())
    df_in: dict[str, list[int]] = {}
    df_out: dict[str, int] = {}
    for i, text in enumerate(texts):
        for term in set(analyze(text)):
            words = term.split()
            if all(w in ENGLISH_STOP_WORDS for w in words) or any(len(w) < 3 for w in words):
                continue
            if inside[i]:
                df_in.setdefault(term, []).append(i)
            else:
                df_out[term] = df_out.get(term, 0) + 1
    candidates = []
    for term, rows in df_in.items():
        if len(rows) < min_sentences or words_covered(lex, term):
            continue
        share_in = (len(rows) + 0.5) / (n_in + 1)
        share_out = (df_out.get(term, 0) + 0.5) / (n_out + 1)
        candidates.append((term, len(rows) / n_in * math.log(share_in / share_out), rows))
    candidates.sort(key=lambda c: (-c[1], c[0]))
    out = []
    for term, score, rows in candidates[:n]:
        best = sorted(rows, key=lambda r: (-probs[r], r))[:2] + [None, None]
        out.append((term, round(score, 4), len(rows), df_out.get(term, 0),
                    texts[best[0]], texts[best[1]] if best[1] is not None else None))
    return pd.DataFrame(out, columns=SUGGEST_COLUMNS)


def words_covered(lex: _lexicon.Lexicon, term: str) -> bool:
    """Whether a lexicon entry already matches ``term`` or one of its words."""
    return bool(_matcher.LexiconMatcher([lex]).match([term, *term.split()]).any()) or any(
        term in entry.lower() for entry in lex.terms
    )


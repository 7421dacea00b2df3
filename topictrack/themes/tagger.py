"""Theme tagging: text -> the themes it discusses, each with a confidence in (0, 1].

Two sources decide, per sentence:

* the **lexicons** (one TOML file per theme, see :mod:`topictrack.themes.lexicon`): a sentence
  that contains a theme's term, pattern or pair gets the theme with confidence at least
  ``LEXICON_CONFIDENCE``;
* the **classifier** (:class:`topictrack.themes.classifier.ThemeClassifier`, trained from the
  lexicons): a sentence whose probability for a theme, read with its neighbouring
  sentences, reaches the model's threshold gets the theme with that probability when
  the lexicon found the theme within ``SUPPORT_WINDOW`` sentences of it (same turn),
  or on its own when the probability reaches ``ALONE_THRESHOLD``. The classifier so
  extends lexicon evidence to sentences no keyword names ("I often talk about the
  staircase curve." next to revenue landing next quarter) without tagging every
  "strong demand" of a company that sells no AI. A classifier-only tag also needs the
  sentence's own words to lean to the theme, adding at least ``OWN_EVIDENCE`` to its
  log-odds with the context left out (so "Thank you." after a pricing sentence stays
  untagged), and a sentence holding one of a theme's exclusions ("share price")
  and none of its entries never gets that theme.

When both agree the confidence is ``1 - (1 - LEXICON_CONFIDENCE) * (1 - probability)``.
A passage's themes are the union of its sentences' themes; its confidence for a theme
is the highest sentence confidence.
"""

from __future__ import annotations

import logging
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from topictrack._resources import lexicon_dir, load_cached, resource_dir
from topictrack.errors import ConfigError, ModelError
from topictrack.text import sentences as split
from topictrack.themes import lexicon as _lexicon
from topictrack.themes.classifier import ThemeClassifier, neighbour_matrix

logger = logging.getLogger(__name__)

LEXICON_CONFIDENCE = 0.8
SUPPORT_WINDOW = 2
ALONE_THRESHOLD = 0.9
OWN_EVIDENCE = 1.0
MODEL_FILE = "theme_model.json"
METHODS = ("combined", "lexicon", "classifier")


# -- lexicon sets ---------------------------------------------------------------------
def _folders(lexicons) -> tuple[str, ...]:
    """The user's lexicon folders or files of a lexicon setting, as absolute paths."""
    if lexicons is None:
        return ()
    if isinstance(lexicons, (str, Path)):
        lexicons = [lexicons]
    return tuple(str(Path(p).expanduser().resolve()) for p in lexicons)


def _sources(folders: tuple[str, ...]) -> tuple:
    """Every file a lexicon setting reads: shipped lexicons and model, the user's folders."""
    return (lexicon_dir(), resource_dir() / MODEL_FILE, *folders)


def _load(folders: tuple[str, ...]) -> tuple[tuple[_lexicon.Lexicon, ...], str | None]:
    defaults, _ = _lexicon.load_folder(lexicon_dir())
    chosen = {lex.name: lex for lex in defaults}
    model = resource_dir() / MODEL_FILE
    model_path = str(model) if model.is_file() else None
    for folder in folders:
        lexicons, replace = _lexicon.load_folder(folder)
        if replace:
            chosen = {}
            model_path = None
        chosen.update({lex.name: lex for lex in lexicons})
        folder_model = Path(folder) / MODEL_FILE if Path(folder).is_dir() else None
        if folder_model is not None and folder_model.is_file():
            model_path = str(folder_model)
    return tuple(chosen[name] for name in sorted(chosen)), model_path


def _lexicon_set(lexicons) -> tuple[tuple[_lexicon.Lexicon, ...], str | None]:
    folders = _folders(lexicons)
    return load_cached(_load, folders, paths=_sources(folders))


def load_lexicons(lexicons=None) -> list[_lexicon.Lexicon]:
    """The lexicons in use: the shipped ones, plus or replaced by those in ``lexicons``.

    ``lexicons`` is ``None`` (shipped themes), a folder or ``.toml`` file, or a list of
    them. A folder's theme with the same name as a shipped one replaces it; a folder
    with ``_settings.toml`` saying ``replace_defaults = true`` replaces all shipped themes.
    """
    return list(_lexicon_set(lexicons)[0])


def list_themes(lexicons=None) -> list[str]:
    """Names of the themes in use, sorted."""
    return [lex.name for lex in load_lexicons(lexicons)]


def themes(lexicons=None) -> list[str]:
    """Deprecated name of :func:`list_themes`."""
    warnings.warn("topictrack.themes() is deprecated; use topictrack.list_themes()", DeprecationWarning,
                  stacklevel=2)
    return list_themes(lexicons)


def load_model(path) -> ThemeClassifier:
    """The theme model saved at ``path``, read once per version of the file."""
    path = str(Path(path).expanduser().resolve())
    return load_cached(ThemeClassifier.load, path, paths=(path,))


# -- explanations ---------------------------------------------------------------------
@dataclass
class SentenceEvidence:
    """Why one sentence carries (or does not carry) a theme.

    ``terms``: lexicon terms, patterns and pairs found; ``excluded``: text the lexicon's
    exclusions blanked; ``features``: classifier features with their contribution to
    the theme's score (highest first); ``probability``: classifier probability (``None``
    without a model); ``confidence``: the tagger's confidence, 0.0 when not assigned.
    """

    index: int
    sentence: str
    confidence: float
    terms: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    features: list[tuple[str, float]] = field(default_factory=list)
    probability: float | None = None


@dataclass
class Explanation:
    """What :func:`explain` returns for one text and one theme.

    ``confidence`` is what :func:`tag` gives the theme (0.0 when not assigned);
    ``sentences`` holds the evidence of every sentence that carries the theme;
    ``near_misses`` the sentences with lexicon exclusions or a classifier probability
    of at least 0.2 that still do not carry it. ``str(explanation)`` is a readable report.
    """

    theme: str
    method: str
    confidence: float
    sentences: list[SentenceEvidence]
    near_misses: list[SentenceEvidence]

    @property
    def terms(self) -> list[str]:
        """All lexicon entries found in the carrying sentences, first occurrence order."""
        return list(dict.fromkeys(t for s in self.sentences for t in s.terms))

    @property
    def features(self) -> list[str]:
        """All classifier features that pushed the carrying sentences, first occurrence order."""
        return list(dict.fromkeys(f for s in self.sentences for f, _ in s.features))

    def __str__(self) -> str:
        lines = [f"{self.theme}: confidence {self.confidence:.2f} ({self.method})"]
        if not self.sentences:
            lines.append("  no sentence carries this theme")
        for group, title in ((self.sentences, "carried by"), (self.near_misses, "not carried by")):
            for ev in group:
                lines.append(f"  [{ev.index}] {title} ({ev.confidence:.2f}): {ev.sentence}")
                if ev.terms:
                    lines.append(f"      terms: {', '.join(ev.terms)}")
                if ev.excluded:
                    lines.append(f"      excluded: {', '.join(ev.excluded)}")
                if ev.probability is not None:
                    feats = ", ".join(f"{n} (+{w:.2f})" for n, w in ev.features[:6])
                    lines.append(f"      classifier p={ev.probability:.2f}" + (f": {feats}" if feats else ""))
        return "\n".join(lines)


# -- the tagger -----------------------------------------------------------------------
class ThemeTagger:
    """Tags sentences with themes from lexicons and (optionally) a trained classifier.

    ``method`` is ``"combined"`` (default), ``"lexicon"`` (lexicons alone) or
    ``"classifier"`` (classifier alone). Build one with :func:`get_tagger`.
    """

    def __init__(self, lexicons: Sequence[_lexicon.Lexicon], model=None, *, method: str = "combined"):
        if method not in METHODS:
            raise ConfigError(f"method '{method}' is invalid; expected one of {', '.join(METHODS)}")
        if method == "classifier" and model is None:
            raise ModelError("method 'classifier' needs a trained theme model; none is available")
        self.lexicons = list(lexicons)
        self.themes = [lex.name for lex in self.lexicons]
        self.model = model
        self.method = method
        self._matcher = _lexicon.LexiconMatcher(self.lexicons)
        self._to_model = np.zeros(0, dtype=np.int64)
        self._generation = self._matcher.generation
        self._lock = threading.Lock()
        self._model_columns: list[tuple[int, int]] = []
        if model is not None:
            classes = list(model.classes_)
            self._model_columns = [(i, classes.index(t)) for i, t in enumerate(self.themes) if t in classes]

    def __repr__(self) -> str:
        return f"ThemeTagger(themes={self.themes!r}, method={self.method!r}, model={self.model is not None})"

    def lexicon(self, theme: str) -> _lexicon.Lexicon:
        """The lexicon of ``theme``; :class:`ConfigError` for an unknown theme."""
        for lex in self.lexicons:
            if lex.name == theme:
                return lex
        raise ConfigError(f"theme '{theme}' is unknown; known themes: {', '.join(self.themes)}")

    def _model_ids(self, batch) -> np.ndarray:
        """The batch's word ids in the model's vocabulary, via the matcher's word ids."""
        ids = self._matcher.word_ids(batch)
        with self._lock:
            if self._generation != self._matcher.generation:  # the matcher started a new word table
                self._generation = self._matcher.generation
                self._to_model = np.zeros(0, dtype=np.int64)
            known = len(self._to_model)
            if self._matcher.n_words > known:
                extra = self.model.word_ids(self._matcher.word_list(known))
                self._to_model = np.concatenate((self._to_model, extra))
            return self._to_model[ids]

    def _probabilities(self, sentences: list[str], groups, batch=None, *, own: bool = False):
        if self.model is None or not self._model_columns or self.method == "lexicon":
            return (None, None) if own else None
        ids = self._model_ids(batch) if batch is not None else None
        probs, evidence = self.model.proba_and_own_evidence(sentences, groups=groups, ids=ids)
        out = np.zeros((len(sentences), len(self.themes)))
        leaning = np.zeros((len(sentences), len(self.themes)), dtype=bool)
        for mine, theirs in self._model_columns:
            out[:, mine] = probs[:, theirs]
            leaning[:, mine] = evidence[:, theirs] >= OWN_EVIDENCE
        return (out, leaning) if own else out

    def scores(self, sentences: Sequence[str], *, groups=None) -> np.ndarray:
        """Confidence matrix, sentences x :attr:`themes`; 0.0 where a theme is not assigned.

        Consecutive sentences are each other's context; pass ``groups`` (one id per
        sentence) to keep sentences of different turns or calls apart.
        """
        return self._scores(sentences, groups)[0]

    def _scores(self, sentences: Sequence[str], groups) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`scores` and the lexicon hits behind it (bool, same shape)."""
        if isinstance(sentences, str):
            raise TypeError("sentences: a list of sentences is expected, got a single str")
        sentences = list(sentences)
        out = np.zeros((len(sentences), len(self.themes)))
        if not sentences:
            return out, out.astype(bool)
        batch = _lexicon.Batch.of(sentences)
        probs, leaning = self._probabilities(sentences, groups, batch, own=True)
        if self.method == "classifier":
            return np.where(probs >= self.model.threshold, probs, 0.0), np.zeros(out.shape, dtype=bool)
        hits, lookalikes = self._matcher.match_with_exclusions(sentences, batch)
        out[hits] = LEXICON_CONFIDENCE
        if probs is not None:
            with_model = np.zeros(len(self.themes), dtype=bool)
            with_model[[mine for mine, _ in self._model_columns]] = True
            near = neighbour_matrix(len(sentences), groups, window=SUPPORT_WINDOW) @ hits.astype(np.float32)
            supported = (np.asarray(near) > 0) & (probs >= self.model.threshold)
            alone = ~hits & ~lookalikes & leaning & with_model & (supported | (probs >= ALONE_THRESHOLD))
            out = np.where(hits, 1 - (1 - out) * (1 - probs), out)
            out[alone] = probs[alone]
        return out, hits

    def tag_sentences(self, sentences: Sequence[str], *, groups=None, return_named: bool = False):
        """Themes of each sentence, ``{theme: confidence}``, read with neighbouring sentences.

        With ``return_named=True`` also returns, per sentence, the frozenset of themes it
        names in words (a lexicon entry matched in the sentence itself, as opposed to a theme
        the classifier gave it from its context): ``(tags, named)``. Theme tone is read from
        the sentences that name a theme when there are any.
        """
        matrix, hits = self._scores(sentences, groups)
        out: list[dict[str, float]] = [{} for _ in range(matrix.shape[0])]
        rows, cols = np.nonzero(matrix)
        for r, c in zip(rows.tolist(), cols.tolist()):
            out[r][self.themes[c]] = float(matrix[r, c])
        if not return_named:
            return out
        by_row: dict[int, list[str]] = {}
        for r, c in zip(*(index.tolist() for index in np.nonzero(hits))):
            by_row.setdefault(r, []).append(self.themes[c])
        named = [frozenset()] * len(out)
        for r, names in by_row.items():
            named[r] = frozenset(names)
        return out, named

    def tag(self, text: str) -> dict[str, float]:
        """Themes of a passage: the union of its sentences' themes, highest confidence each."""
        matrix = self.scores(split(_check_text(text)))
        if matrix.shape[0] == 0:
            return {}
        best = matrix.max(axis=0)
        return {t: float(best[i]) for i, t in enumerate(self.themes) if best[i] > 0}

    def explain(self, text: str, theme: str) -> Explanation:
        """Which terms, patterns and classifier features decided ``theme`` for ``text``."""
        lex = self.lexicon(theme)
        column = self.themes.index(theme)
        sents = split(_check_text(text))
        matrix = self.scores(sents)
        probs = self._probabilities(sents, None) if sents else None
        features = None
        model_column = dict(self._model_columns).get(column)
        if probs is not None and model_column is not None:
            features = self.model.transform(sents)
        carrying, near = [], []
        for i, sentence in enumerate(sents):
            ev = SentenceEvidence(
                index=i,
                sentence=sentence,
                confidence=float(matrix[i, column]),
                terms=_lexicon.matched_entries(lex, sentence) if self.method != "classifier" else [],
                excluded=_lexicon.excluded_spans(lex, sentence),
                probability=None if features is None else float(probs[i, column]),
                features=[] if features is None else self.model.top_features(
                    self.model.classes_[model_column], features[i], n=8
                ),
            )
            if ev.confidence > 0:
                carrying.append(ev)
            elif ev.excluded or (ev.probability or 0) >= 0.2:
                near.append(ev)
        confidence = max((ev.confidence for ev in carrying), default=0.0)
        return Explanation(theme, self.method, confidence, carrying, near)


def _check_text(text) -> str:
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return text


def _build_tagger(folders: tuple[str, ...], method: str) -> ThemeTagger:
    lexicons, model_path = _lexicon_set(folders)
    model = load_model(model_path) if model_path and method != "lexicon" else None
    if model is None and method != "lexicon":
        logger.info("no theme model found; tagging with lexicons only")
    return ThemeTagger(lexicons, model, method=method)


def get_tagger(lexicons=None, *, method: str = "combined") -> ThemeTagger:
    """The tagger for a lexicon setting (see :func:`load_lexicons`), built once and cached.

    The classifier used is the shipped model, or ``theme_model.json`` in the lexicon
    folder when there is one (written by ``topictrack train``). The tagger is built again
    when a lexicon or model file changes.
    """
    if method not in METHODS:
        raise ConfigError(f"method '{method}' is invalid; expected one of {', '.join(METHODS)}")
    folders = _folders(lexicons)
    return load_cached(_build_tagger, folders, method, paths=_sources(folders))


def tag(text: str, *, lexicons=None, method: str = "combined") -> dict[str, float]:
    """Themes of a passage (a turn, a paragraph, any length): ``{theme: confidence}``.

    Confidence is in (0, 1]; the dict is empty when no theme is found.
    """
    return get_tagger(lexicons, method=method).tag(text)


def explain(text: str, theme: str, *, lexicons=None, method: str = "combined") -> Explanation:
    """Why ``theme`` is (or is not) assigned to ``text``: an :class:`Explanation`."""
    return get_tagger(lexicons, method=method).explain(text, theme)


def explain_text_or_file(text_or_path: str, theme: str, *, lexicons=None,
                         method: str = "combined") -> Explanation:
    """:func:`explain` of the file ``text_or_path`` names, else of the string itself (read as
    :func:`topictrack.transcripts.decode.text_or_file` does)."""
    from topictrack.transcripts.decode import text_or_file

    return explain(text_or_file(_check_text(text_or_path)), theme, lexicons=lexicons, method=method)


# -- turns and suggestions ------------------------------------------------------------
TURN_THEME_COLUMNS = ["turn", "sentence", "theme", "confidence", "text"]


def tag_turns(turns, *, lexicons=None):
    """Per-sentence evidence of a call's themes: one row per (turn, sentence, theme).

    ``turns`` is a turn table (columns ``turn`` and ``text``, e.g. ``Transcript.turns``).
    Columns: ``turn``, ``sentence`` (0-based index within the turn), ``theme``,
    ``confidence``, ``text`` (the sentence). A turn's themes are the themes of its rows.
    Sentences of one turn are each other's context; turns are not.
    """
    import pandas as pd

    tagger = get_tagger(lexicons)
    flat, groups, where = [], [], []
    for turn, text in zip(turns["turn"], turns["text"]):
        for index, sentence in enumerate(split(str(text))):
            flat.append(sentence)
            groups.append(turn)
            where.append((turn, index))
    matrix = tagger.scores(flat, groups=groups)
    rows = [
        (where[r][0], where[r][1], tagger.themes[c], float(matrix[r, c]), flat[r])
        for r, c in zip(*np.nonzero(matrix))
    ]
    return pd.DataFrame(rows, columns=TURN_THEME_COLUMNS)

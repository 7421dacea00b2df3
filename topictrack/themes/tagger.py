"""Theme tagging: text -> the themes it discusses, each with a confidence in (0, 1].

Two sources decide, per sentence:

* the **lexicons** (one TOML file per theme, see :mod:`topictrack.themes.lexicon`): a sentence
  that contains a theme's term, pattern or pair (or an ambiguous ``[[context]]`` term
  with its context word in the sentence or the next or previous one of the same turn)
  gets the theme with confidence at least ``LEXICON_CONFIDENCE``; such a sentence
  *names* the theme;
* the **classifier** (:class:`topictrack.themes.classifier.ThemeClassifier`, trained from the
  lexicons): a sentence that names no theme gets one from the classifier only next to a
  sentence that names it (within ``SUPPORT_WINDOW`` sentences, same turn), when its
  probability read with its neighbours reaches ``SUPPORTED_THRESHOLD`` (or the model's
  threshold if lower), its own words lean to the theme, adding at least
  ``OWN_EVIDENCE`` to its log-odds with the context left out (so "Thank you." after a
  pricing sentence stays untagged), and it holds one of the theme's *ambiguous* terms,
  those the lexicon counts only with company (a ``[[pairs]]`` table's ``terms`` or a
  ``[[context]]`` table's ``terms``; see :meth:`Lexicon.ambiguous_lexicon`). Of the
  sentences around one naming sentence, only the likeliest gets the theme this way:
  context decides an ambiguous sentence ("We strengthened our cooperation with Made in
  China Computing Resources." next to a sentence on GPU supply) but does not make a
  sentence about something else ("Our EBITDA margin reached 16%.") or a run of sentences
  count for a theme only one of them names. A sentence
  holding one of a theme's exclusions ("share price") and none of its entries never
  gets that theme.

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
from topictrack.themes import matcher as _matcher
from topictrack.themes.model import ThemeModel, near_any

logger = logging.getLogger(__name__)

LEXICON_CONFIDENCE = 0.8
SUPPORT_WINDOW = 2
SUPPORTED_THRESHOLD = 0.4
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


def _load(folders: tuple[str, ...]) -> tuple[tuple[_lexicon.Lexicon, ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    """Lexicons in use, and which model file serves which themes: ``((path, themes), ...)``.

    A folder's ``theme_model.json`` serves the themes that folder defines; the shipped
    model keeps serving the shipped themes no folder replaced, so training a model for
    a theme of one's own leaves the shipped themes' tags as they were.
    """
    defaults, _ = _lexicon.load_folder(lexicon_dir(), shipped=True)
    chosen = {lex.name: lex for lex in defaults}
    model = resource_dir() / MODEL_FILE
    served: dict[str, str | None] = {name: str(model) if model.is_file() else None for name in chosen}
    for folder in folders:
        lexicons, replace = _lexicon.load_folder(folder)
        if replace:
            chosen, served = {}, {}
        chosen.update({lex.name: lex for lex in lexicons})
        folder_model = Path(folder) / MODEL_FILE if Path(folder).is_dir() else None
        path = str(folder_model) if folder_model is not None and folder_model.is_file() else None
        served.update({lex.name: path for lex in lexicons})
    models: dict[str, list[str]] = {}
    for name in sorted(chosen):
        if served.get(name) is not None:
            models.setdefault(served[name], []).append(name)
    return tuple(chosen[name] for name in sorted(chosen)), tuple((p, tuple(t)) for p, t in models.items())


def load_lexicons(lexicons=None) -> list[_lexicon.Lexicon]:
    """The lexicons in use: the shipped ones, plus or replaced by those in ``lexicons``.

    ``lexicons`` is ``None`` (shipped themes), a folder or ``.toml`` file, or a list of
    them. A folder's theme with the same name as a shipped one replaces it; a folder
    with ``_settings.toml`` saying ``replace_defaults = true`` replaces all shipped themes.
    """
    return list(_lexicon_set(lexicons)[0])


def _lexicon_set(lexicons):
    folders = _folders(lexicons)
    return load_cached(_load, folders, paths=_sources(folders))


def list_themes(lexicons=None) -> list[str]:
    """Names of the themes in use, sorted."""
    return [lex.name for lex in load_lexicons(lexicons)]


def themes(lexicons=None) -> list[str]:
    """Deprecated name of :func:`list_themes`."""
    warnings.warn("topictrack.themes() is deprecated; use topictrack.list_themes()", DeprecationWarning,
                  stacklevel=2)
    return list_themes(lexicons)


def load_model(path) -> ThemeModel:
    """The theme model saved at ``path``, read once per version of the file.

    A :class:`~topictrack.themes.model.ThemeModel`: it predicts with NumPy alone;
    ``.classifier()`` gives the scikit-learn :class:`~topictrack.themes.ThemeClassifier`.
    """
    path = str(Path(path).expanduser().resolve())
    return load_cached(ThemeModel.load, path, paths=(path,))


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

    ``model`` is one classifier for every theme it knows; ``models`` instead pairs each
    classifier with the themes it serves (``None``: all it knows), the first pair serving a
    theme winning. :meth:`model_for` tells which classifier serves a theme; ``model`` is
    the last one given.
    """

    def __init__(self, lexicons: Sequence[_lexicon.Lexicon], model=None, *, method: str = "combined", models=None):
        if method not in METHODS:
            raise ConfigError(f"method '{method}' is invalid; expected one of {', '.join(METHODS)}")
        if models is None:
            models = [(model, None)] if model is not None else []
        models = [(m, themes) for m, themes in models if m is not None]
        if method == "classifier" and not models:
            raise ModelError("method 'classifier' needs a trained theme model; none is available")
        self.lexicons = list(lexicons)
        self.themes = [lex.name for lex in self.lexicons]
        self.model = models[-1][0] if models else None
        self.method = method
        aux: list[_lexicon.Lexicon] = []
        self._context: list[tuple[int, int, int]] = []  # (theme column, ambiguous column, near column)
        for column, lex in enumerate(self.lexicons):
            for ambiguous, near in lex.context_lexicons():
                self._context.append((column, len(aux), len(aux) + 1))
                aux += [ambiguous, near]
        # one matcher for the themes and, after their columns, the [[context]] tables' terms
        self._matcher = _matcher.LexiconMatcher(self.lexicons + aux)
        self._ambiguous: dict[int, object] = {}  # theme column -> its ambiguous terms' finder, built when needed
        self._generation = self._matcher.generation
        self._lock = threading.Lock()
        # per model: (model, [(our column, its column)], word ids of the matcher's words in its vocabulary)
        self._models: list[list] = []
        self._model_of: dict[int, tuple[object, int]] = {}  # our column -> (model, its column)
        for m, served in models:
            classes = list(m.classes_)
            columns = [(i, classes.index(t)) for i, t in enumerate(self.themes)
                       if t in classes and (served is None or t in served) and i not in self._model_of]
            if columns:
                self._models.append([m, columns, np.zeros(0, dtype=np.int64)])
                self._model_of.update({mine: (m, theirs) for mine, theirs in columns})
        self._model_columns = [(mine, theirs) for _, columns, _ in self._models for mine, theirs in columns]
        self._thresholds = np.ones(len(self.themes))
        for mine, (m, _) in self._model_of.items():
            self._thresholds[mine] = m.threshold

    def __repr__(self) -> str:
        return f"ThemeTagger(themes={self.themes!r}, method={self.method!r}, model={self.model is not None})"

    def lexicon(self, theme: str) -> _lexicon.Lexicon:
        """The lexicon of ``theme``; :class:`ConfigError` for an unknown theme."""
        for lex in self.lexicons:
            if lex.name == theme:
                return lex
        raise ConfigError(f"theme '{theme}' is unknown; known themes: {', '.join(self.themes)}")

    def model_for(self, theme: str):
        """The classifier that serves ``theme``, or None."""
        found = self._model_of.get(self.themes.index(theme)) if theme in self.themes else None
        return found[0] if found else None

    def _model_ids(self, entry: list, batch) -> np.ndarray:
        """The batch's word ids in one model's vocabulary, via the matcher's word ids."""
        ids = self._matcher.word_ids(batch)
        with self._lock:
            if self._generation != self._matcher.generation:  # the matcher started a new word table
                self._generation = self._matcher.generation
                for held in self._models:
                    held[2] = np.zeros(0, dtype=np.int64)
            known = len(entry[2])
            if self._matcher.n_words > known:
                extra = entry[0].word_ids(self._matcher.word_list(known))
                entry[2] = np.concatenate((entry[2], extra))
            return entry[2][ids]

    def _probabilities(self, sentences: list[str], groups, batch=None, *, own: bool = False, wanted=None):
        """Classifier probabilities (sentences x themes) and, with ``own``, whether each
        sentence's own words lean to each theme; ``wanted``: the sentences whose figures are
        used (the others may be 0.0)."""
        if not self._models or self.method == "lexicon":
            return (None, None) if own else None
        out = np.zeros((len(sentences), len(self.themes)))
        leaning = np.zeros((len(sentences), len(self.themes)), dtype=bool)
        for entry in self._models:
            model, columns = entry[0], entry[1]
            ids = self._model_ids(entry, batch) if batch is not None else None
            subset = {"wanted": wanted} if wanted is not None and isinstance(model, ThemeModel) else {}
            probs, evidence = model.proba_and_own_evidence(sentences, groups=groups, ids=ids, **subset)
            for mine, theirs in columns:
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
        batch = _matcher.Batch.of(sentences)
        groups = np.asarray(groups) if groups is not None else None
        if self.method == "classifier":
            probs = self._probabilities(sentences, groups, batch)
            return np.where(probs >= self._thresholds, probs, 0.0), np.zeros(out.shape, dtype=bool)
        hits, lookalikes = self._lexicon_hits(sentences, groups, batch)
        out[hits] = LEXICON_CONFIDENCE
        near = near_any(hits, groups, window=SUPPORT_WINDOW)
        # the classifier speaks only for sentences that name a theme or sit near one that does
        wanted = (hits | near).any(axis=1)
        if not wanted.any():  # no sentence names a theme: nothing for the classifier to decide
            return out, hits
        probs, leaning = self._probabilities(sentences, groups, batch, own=True, wanted=wanted)
        if probs is not None:
            with_model = np.zeros(len(self.themes), dtype=bool)
            with_model[[mine for mine, _ in self._model_columns]] = True
            supported = near & (probs >= np.minimum(self._thresholds, SUPPORTED_THRESHOLD))
            candidates = ~hits & ~lookalikes & leaning & with_model & supported
            candidates = self._holding_ambiguous_terms(sentences, candidates)
            alone = _one_per_naming_sentence(candidates, hits, probs, groups)
            out = np.where(hits, 1 - (1 - out) * (1 - probs), out)
            out[alone] = probs[alone]
        return out, hits

    def _holding_ambiguous_terms(self, sentences: list[str], candidates: np.ndarray) -> np.ndarray:
        """``candidates`` where the sentence holds one of the theme's ambiguous terms."""
        keep = np.zeros_like(candidates)
        for row, column in zip(*np.nonzero(candidates)):
            if column not in self._ambiguous:
                ambiguous = self.lexicons[column].ambiguous_lexicon()
                self._ambiguous[column] = _matcher.EntryFinder(ambiguous) if ambiguous is not None else None
            holds = self._ambiguous[column]
            keep[row, column] = holds is not None and holds(sentences[row])
        return keep

    def _lexicon_hits(self, sentences: list[str], groups, batch) -> tuple[np.ndarray, np.ndarray]:
        """Lexicon matches and look-alikes (bool, sentences x themes), ``[[context]]`` tables included."""
        matched, excluded = self._matcher.match_with_exclusions(sentences, batch)
        k = len(self.themes)
        hits, lookalikes = matched[:, :k], excluded[:, :k]
        if not self._context:
            return hits, lookalikes
        found = matched[:, k:]
        if not found[:, [a for _, a, _ in self._context]].any():
            return hits, lookalikes
        near_by = found | near_any(found, groups, window=_lexicon.CONTEXT_WINDOW)
        for column, ambiguous, near in self._context:
            hits[:, column] |= found[:, ambiguous] & near_by[:, near]
        return hits, lookalikes & ~hits

    def _context_terms(self, lex: _lexicon.Lexicon, sentences: list[str], index: int) -> list[str]:
        """The ``[[context]]`` entries that make sentence ``index`` carry ``lex``'s theme, as text."""
        out = []
        lo, hi = max(0, index - _lexicon.CONTEXT_WINDOW), index + _lexicon.CONTEXT_WINDOW + 1
        for ambiguous, near in lex.context_lexicons():
            terms = _matcher.matched_entries(ambiguous, sentences[index])
            if not terms:
                continue
            for j in range(lo, min(hi, len(sentences))):
                words = _matcher.matched_entries(near, sentences[j])
                if words:
                    where = "in the sentence" if j == index else f"in sentence [{j}]"
                    out.append(f"{terms[0]} + {words[0]} {where} (context)")
                    break
        return out

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
        model, model_column = self._model_of.get(column, (None, None))
        if probs is not None and model_column is not None:
            features = model.transform(sents)
        carrying, near = [], []
        for i, sentence in enumerate(sents):
            ev = SentenceEvidence(
                index=i,
                sentence=sentence,
                confidence=float(matrix[i, column]),
                terms=(_matcher.matched_entries(lex, sentence) + self._context_terms(lex, sents, i)
                       if self.method != "classifier" else []),
                excluded=_matcher.excluded_spans(lex, sentence),
                probability=None if features is None else float(probs[i, column]),
                features=[] if features is None else model.top_features(
                    model.classes_[model_column], features[i], n=8
                ),
            )
            if ev.confidence > 0:
                carrying.append(ev)
            elif ev.excluded or (ev.probability or 0) >= 0.2:
                near.append(ev)
        confidence = max((ev.confidence for ev in carrying), default=0.0)
        return Explanation(theme, self.method, confidence, carrying, near)


def _one_per_naming_sentence(candidates: np.ndarray, hits: np.ndarray, probs: np.ndarray, groups) -> np.ndarray:
    """Of the sentences the classifier would tag from a naming sentence's neighbourhood, the
    likeliest one per naming sentence and theme: context may decide one ambiguous sentence,
    but a run of sentences does not count for a theme that only one of them names."""
    keep = np.zeros_like(candidates)
    group = np.asarray(groups) if groups is not None else None
    for row, column in zip(*np.nonzero(candidates)):
        named = np.flatnonzero(hits[max(0, row - SUPPORT_WINDOW) : row + SUPPORT_WINDOW + 1, column])
        named = named + max(0, row - SUPPORT_WINDOW)
        if group is not None:
            named = named[group[named] == group[row]]
        if not len(named):
            continue
        anchor = named[np.argmin(np.abs(named - row))]
        lo, hi = max(0, anchor - SUPPORT_WINDOW), anchor + SUPPORT_WINDOW + 1
        rivals = np.flatnonzero(candidates[lo:hi, column]) + lo
        if group is not None:
            rivals = rivals[group[rivals] == group[anchor]]
        if row == rivals[np.argmax(probs[rivals, column])]:
            keep[row, column] = True
    return keep


def _check_text(text) -> str:
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return text


def _build_tagger(folders: tuple[str, ...], method: str) -> ThemeTagger:
    lexicons, served = _lexicon_set(folders)
    models = [(load_model(path), themes) for path, themes in served] if method != "lexicon" else []
    if not models and method != "lexicon":
        logger.info("no theme model found; tagging with lexicons only")
    return ThemeTagger(lexicons, method=method, models=models)


def get_tagger(lexicons=None, *, method: str = "combined") -> ThemeTagger:
    """The tagger for a lexicon setting (see :func:`load_lexicons`), built once and cached.

    The shipped model serves the shipped themes; a lexicon folder's ``theme_model.json``
    (written by ``topictrack train``) serves the themes that folder defines, so a model
    trained for a theme of one's own leaves the shipped themes' tags unchanged. The tagger
    is built again when a lexicon or model file changes.
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

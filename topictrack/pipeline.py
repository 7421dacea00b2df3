"""Scoring: transcript files -> one row per speaker turn with themes, tone and evidence.

``pipeline`` composes the stages: :mod:`topictrack.transcripts` reads a file into turns,
:func:`topictrack.text.sentences` splits each turn once, and the same sentences go to the theme
tagger (:meth:`topictrack.themes.ThemeTagger.tag_sentences`) and to the sentiment scorer
(:func:`topictrack.sentiment.score_sentences`).

Scored turn table (one row per turn, calls in input order, then by ``turn``):

=====================  =====================================================================
column                 meaning
=====================  =====================================================================
``call_id``            ``<file stem>-<first 10 hex of the SHA-256 of the file's bytes>``
``path``               the file as given (folders expanded)
``company``            company name (str or null)
``period``             fiscal quarter, e.g. ``"2025Q1"`` (str or null)
``date``               call date, ISO (str or null)
``kind``               ``"transcript"`` or ``"summary"``
``source_format``      layout the reader detected
``turn`` .. ``loops_collapsed``  the reader's turn columns (see "Reading transcripts")
``counted``            bool: not boilerplate, not an interpretation duplicate, language not zh
``n_sentences``        English sentences in the turn (int)
``n_words``            words in those sentences (int)
``sentiment``          mean sentence sentiment in [-1, 1]; NaN when the turn has none
``themes``             theme names carried by any sentence, sorted, ";"-joined ("" if none)
``conf_<T>``           highest sentence confidence for theme T (0.0 when absent)
``mentions_<T>``       sentences carrying T (int)
``toned_<T>``          sentences that set ``tone_T`` (int): the toned (non-zero score) ones among
                       those naming T in words, or among all carrying T when none names it
``tone_<T>``           mean sentiment of those ``toned_T`` sentences (0.0 when ``toned_T`` is 0,
                       NaN when the turn does not carry T); see :func:`topictrack.sentiment.theme_tone`
``quote_<T>``          the sentence with the highest confidence for T (null when none)
``lm_positive`` ..     with an LM dictionary: Loughran-McDonald positive, negative and
``lm_uncertainty``     uncertainty word counts of the turn's English text (int)
=====================  =====================================================================

There is a ``conf_/mentions_/toned_/tone_/quote_`` group for every theme of the lexicon set in use,
so a user's own themes appear like the shipped ones.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from topictrack import cache as _cache
from topictrack import engines, escape, safeio, text
from topictrack._resources import lexicon_dir, resource_dir
from topictrack.errors import ConfigError, TranscriptError

logger = logging.getLogger(__name__)

CALL_COLUMNS = ["call_id", "path", "company", "period", "date", "kind", "source_format"]
TURN_COLUMNS = ["turn", "speaker", "role", "section", "text", "language", "boilerplate",
                "duplicate_of", "loops_collapsed"]
SCORE_COLUMNS = ["counted", "n_sentences", "n_words", "sentiment", "themes"]
THEME_PREFIXES = ("conf_", "mentions_", "toned_", "tone_", "quote_")
LM_COLUMNS = ["lm_positive", "lm_negative", "lm_uncertainty"]

_STR = {"call_id", "path", "company", "period", "date", "kind", "source_format", "speaker",
        "role", "section", "text", "language", "themes"}
_INT = {"turn", "loops_collapsed", "n_sentences", "n_words", *LM_COLUMNS}
_BOOL = {"boilerplate", "counted"}
# pandas 3 has a real string dtype (missing = NaN); pandas 2 keeps text as objects with None.
_TEXT = "str" if int(pd.__version__.split(".")[0]) >= 3 else object

_BATCH_FILES = 4          # files per task sent to a worker
_ROWS_PER_GROUP = 50_000  # rows per Parquet row group when writing as we go
_CHARS_PER_GROUP = 4_000_000  # ... or this much turn text, whichever comes first
_SMALL_RUN = 8            # fewer files than this to score: no worker pool unless jobs is given


@dataclass
class ScoreResult:
    """What :func:`run` returns.

    ``table``: the scored turn table (None when it was written to ``output`` instead);
    ``failures``: one row per file that could not be scored, columns ``path`` and ``error``
    (a one-line reason); ``n_calls``/``n_rows``: calls and turns scored; ``n_cached``: calls
    taken from the cache rather than scored again.
    """

    table: pd.DataFrame | None
    failures: pd.DataFrame
    n_calls: int = 0
    n_rows: int = 0
    n_cached: int = 0
    output: Path | None = None
    duplicates: pd.DataFrame | None = None  # path, same_as: files left out, same bytes as one scored

    @property
    def ok(self) -> bool:
        """True when every file was scored."""
        return self.failures.empty


# --------------------------------------------------------------------------- schema


def columns(themes: list[str], *, lm: bool = False) -> list[str]:
    """Column names of the scored table for a theme set, in order."""
    names = CALL_COLUMNS + TURN_COLUMNS + SCORE_COLUMNS
    for theme in themes:
        names += [prefix + theme for prefix in THEME_PREFIXES]
    return names + (LM_COLUMNS if lm else [])


def _dtype(name: str):
    if name in _STR or name.startswith("quote_"):
        return _TEXT
    if name in _INT or name.startswith(("mentions_", "toned_")):
        return "int64"
    if name in _BOOL:
        return "bool"
    if name == "duplicate_of":
        return "Int64"
    return "float64"  # sentiment, conf_*, tone_*


def _frame(data: dict[str, list], names: list[str]) -> pd.DataFrame:
    """Build the typed table from column lists in one go."""
    return pd.DataFrame({name: pd.array(data[name], dtype=_dtype(name)) for name in names})


# --------------------------------------------------------------------------- one call


def _tagger(lexicons):
    """The theme tagger of a lexicon setting (built once per process by :mod:`topictrack.themes`)."""
    from topictrack.themes import get_tagger

    return get_tagger(lexicons)


def _lm(lm_dictionary):
    """An LM dictionary object from a path (loaded once per process by :mod:`topictrack.sentiment`)."""
    if lm_dictionary is None or hasattr(lm_dictionary, "counts"):
        return lm_dictionary
    from topictrack.sentiment import load_lm_dictionary

    return load_lm_dictionary(lm_dictionary)


def _themes_of(lexicons) -> list[str]:
    """Theme names of a lexicon setting, without loading the classifier."""
    from topictrack.themes import themes

    return list(themes(lexicons))


def _lexicon_key(lexicons):
    """A hashable, picklable form of the ``lexicons`` argument (a folder/file or a list)."""
    if lexicons is None:
        return None
    if isinstance(lexicons, (str, os.PathLike)):
        return str(lexicons)
    return tuple(str(item) for item in lexicons)


def _lexicon_paths(lexicons) -> list[Path]:
    if lexicons is None:
        return []
    if isinstance(lexicons, str):
        return [Path(lexicons)]
    return [Path(item) for item in lexicons]


def _call_id(name: str, digest: str) -> str:
    return f"{Path(name).stem}-{digest[:10]}"


def _theme_evidence(sentences, scores, tags, named) -> dict[str, list]:
    """Per theme carried by a turn: [best confidence, mentions, best sentence, scores, named flags]."""
    best = {}
    for sentence, score, tagged, names in zip(sentences, scores, tags, named):
        for theme, conf in tagged.items():
            entry = best.get(theme)
            if entry is None:
                best[theme] = entry = [conf, 0, sentence, [], []]
            elif conf > entry[0]:  # ties keep the earlier sentence
                entry[0], entry[2] = conf, sentence
            entry[1] += 1
            entry[3].append(score)
            entry[4].append(theme in names)
    return best


def _score_columns(transcript, tagger, lm) -> dict[str, list]:
    """The scored columns of one call as column lists (``call_id`` and ``path`` come later)."""
    from topictrack.sentiment import score_sentences, theme_tone

    turns = transcript.turns
    n = len(turns)
    data = {
        "turn": turns["turn"].astype("int64").tolist(),
        "speaker": [s if isinstance(s, str) else None for s in turns["speaker"].tolist()],
        "role": turns["role"].tolist(),
        "section": turns["section"].tolist(),
        "text": turns["text"].tolist(),
        "language": turns["language"].tolist(),
        "boilerplate": turns["boilerplate"].astype(bool).tolist(),
        "duplicate_of": [None if pd.isna(d) else int(d) for d in turns["duplicate_of"].tolist()],
        "loops_collapsed": turns["loops_collapsed"].astype("int64").tolist(),
    }
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
    for name in SCORE_COLUMNS + [p + t for t in themes for p in THEME_PREFIXES]:
        data[name] = []
    if lm is not None:
        for name in LM_COLUMNS:
            data[name] = []
    start = 0
    for i, found in enumerate(per_turn):
        end = start + len(found)
        turn_scores = scores[start:end]
        best = _theme_evidence(found, turn_scores, tags[start:end], named[start:end])
        start = end
        data["counted"].append(not data["boilerplate"][i] and data["duplicate_of"][i] is None
                               and data["language"][i] != "zh")
        data["n_sentences"].append(len(found))
        data["n_words"].append(sum(len(s.split()) for s in found))
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


def _finish(data: dict[str, list], path: str, digest: str) -> dict[str, list]:
    n = len(data["turn"])
    path = escape.path_text(path)  # a file name that is not UTF-8 stays storable
    data["path"] = [path] * n
    data["call_id"] = [_call_id(path, digest)] * n
    return data


def score_call(transcript, *, lexicons=None, lm_dictionary=None) -> pd.DataFrame:
    """Score one :class:`~topictrack.transcripts.Transcript`: one row per turn.

    Columns are described in this module's docstring.
    """
    tagger = _tagger(_lexicon_key(lexicons))
    lm = _lm(lm_dictionary)
    data = _score_columns(transcript, tagger, lm)
    try:
        digest = _cache.file_digest(transcript.path)
    except (OSError, TranscriptError):
        digest = hashlib.sha256("\n".join(data["text"]).encode("utf-8", "surrogatepass")).hexdigest()
    _finish(data, str(transcript.path), digest)
    return _frame(data, columns(list(tagger.themes), lm=lm is not None))


# --------------------------------------------------------------------------- many calls


@dataclass(frozen=True)
class _Settings:
    """Everything a worker needs to score a file; small and picklable."""

    lexicons: str | None
    manifest: object
    company: str | None
    lm_dictionary: object
    cache_root: str | None
    fingerprint: str


@dataclass(frozen=True)
class _Task:
    index: int
    path: str
    digest: str
    key: str | None


def _read(path: str, settings: _Settings):
    from topictrack.transcripts import read_transcript

    return read_transcript(path, company=settings.company, manifest=settings.manifest)


def _one_line(exc: BaseException) -> str:
    """The reason a file failed, on one line (the path is reported beside it)."""
    if isinstance(exc, TranscriptError):
        message = exc.problem
    else:
        message = f"{type(exc).__name__}: {exc}"
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    return " ".join(lines) or type(exc).__name__


def _score_file(settings: _Settings, task: _Task):
    """Read and score one file -> ``(columns, None)`` or ``(None, reason)``. Never raises
    for a bad file; stores the result in the cache when one is configured."""
    try:
        transcript = _read(task.path, settings)
        data = _score_columns(transcript, _tagger(settings.lexicons), _lm(settings.lm_dictionary))
    except Exception as exc:  # isolate every failure to its file
        logger.info("failed %s: %s", task.path, exc)
        return None, _one_line(exc)
    if task.key is not None and settings.cache_root is not None:
        try:
            _cache.ScoreCache(settings.cache_root, settings.fingerprint).put(task.key, data)
        except OSError as exc:
            logger.warning("could not write the cache entry of %s: %s", task.path, exc)
    return data, None


def _score_batch(settings: _Settings, batch: list[_Task]):
    return [_score_file(settings, task) for task in batch]


def _crashed_batch(batch: list[_Task]):
    """The result of a file whose worker process died while scoring it (twice)."""
    return [(None, "the worker process scoring it died (killed, or out of memory)")] * len(batch)


def _split_batch(batch: list[_Task]):
    return [[task] for task in batch]


def _join_batches(results):
    return [item for part in results for item in part]


def _warm_up(settings: _Settings) -> None:
    """Load lexicons, model and sentiment once per worker process, before the first file."""
    from topictrack.sentiment import score_sentences

    try:
        _tagger(settings.lexicons)
        _lm(settings.lm_dictionary)
        score_sentences(["Revenue grew."])
    except Exception as exc:  # each file will report the problem as its own failure
        logger.warning("worker warm-up failed: %s", exc)


def _expand(paths) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files to score, and the inputs that cannot be scored with why (missing paths, folders
    that cannot be listed, named pipes, broken links, link loops)."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = list(paths)
    missing = [(str(p), "no such file or directory") for p in paths
               if not os.path.lexists(p)]
    present = [p for p in paths if os.path.lexists(p)]
    files, problems = safeio.find_inputs(present)
    return files, missing + problems


def _fingerprint(lexicons, lm_dictionary) -> str:
    sources = [Path(__file__).parent, resource_dir(), lexicon_dir(), *_lexicon_paths(lexicons)]
    if lm_dictionary is not None and not hasattr(lm_dictionary, "counts"):
        sources.append(Path(lm_dictionary))
    digest = _cache.fingerprint(sources)
    if lm_dictionary is not None and hasattr(lm_dictionary, "counts"):
        digest = hashlib.sha256((digest + repr(lm_dictionary)).encode()).hexdigest()
    return digest


def _override(path: str, settings: _Settings) -> str:
    """The part of the settings that changes what the reader returns for this file."""
    manifest = settings.manifest
    entry = None
    if isinstance(manifest, dict):
        file = Path(path)
        # the forms the reader matches a manifest row by: as given, file name, stem, resolved
        for candidate in (path, file.as_posix(), file.name, file.stem, str(file.resolve())):
            if candidate in manifest:
                entry = manifest[candidate]
                break
    return repr((settings.company, entry))


def _load_manifest(manifest):
    if manifest is None or isinstance(manifest, dict):
        return manifest
    from topictrack.transcripts import load_manifest

    return load_manifest(manifest)


def _batches(tasks, size):
    batch = []
    for task in tasks:
        batch.append(task)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _stored_columns(data: dict[str, list]) -> list[str]:
    """Table columns of a stored call: its theme groups are those of the lexicons it was
    scored with (the cache fingerprint covers the lexicon files)."""
    themes = [name[len("conf_"):] for name in data if name.startswith("conf_")]
    return columns(themes, lm=LM_COLUMNS[0] in data)


class _Sink:
    """Collects scored calls: into memory, or into a Parquet file row group by row group."""

    def __init__(self, names: list[str], output: Path | None):
        self.names = names
        self.output = output
        self.rows = 0
        self._data = {name: [] for name in names}
        self._buffered = 0
        self._chars = 0
        self._writer = None
        self._temp = None
        if output is not None:
            import pyarrow as pa
            import pyarrow.parquet as pq

            self._schema = pa.Schema.from_pandas(_frame(self._data, names), preserve_index=False)
            with safeio.writing(output):
                output.parent.mkdir(parents=True, exist_ok=True)
                self._temp = safeio.private_temp(output)  # this run's own, never shared
                self._writer = pq.ParquetWriter(self._temp, self._schema)

    def add(self, data: dict[str, list]) -> None:
        for name in self.names:
            self._data[name].extend(data[name])
        n = len(data["turn"])
        self.rows += n
        self._buffered += n
        self._chars += sum(map(len, data["text"]))
        if self._writer is not None and (self._buffered >= _ROWS_PER_GROUP
                                         or self._chars >= _CHARS_PER_GROUP):
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self._buffered:
            frame = _frame(self._data, self.names)
            with safeio.writing(self.output):
                self._writer.write_table(pa.Table.from_pandas(frame, schema=self._schema,
                                                              preserve_index=False))
        self._data = {name: [] for name in self.names}
        self._buffered = 0
        self._chars = 0

    def close(self) -> pd.DataFrame | None:
        if self._writer is None:
            return _frame(self._data, self.names)
        try:
            self._flush()
            with safeio.writing(self.output):
                self._writer.close()
                os.replace(self._temp, self.output)
        except BaseException:
            self.abort()
            raise
        return None

    def abort(self) -> None:
        if self._writer is not None:
            try:
                self._writer.close()
            except OSError:
                pass
            safeio.discard(self._temp)


def run(paths, *, lexicons=None, manifest=None, company=None, jobs=None, cache=None,
        engine="local", scheduler=None, progress=False, lm_dictionary=None,
        output=None) -> ScoreResult:
    """Score every transcript under ``paths`` (files, or folders searched recursively).

    - ``jobs``: worker processes of the local engine (default: every core; 1 scores in this
      process).
    - ``cache``: a folder, ``True``/None for the default folder
      (:func:`topictrack.cache.default_cache_dir`), or ``False`` for no cache. Calls whose file,
      lexicons, model and code are unchanged are read from the cache instead of scored again;
      each call is stored as soon as it is scored, so an interrupted run resumes.
    - ``engine``: ``"local"`` or ``"dask"`` (with ``scheduler``: an address, a
      ``distributed.Client``, or None for a local cluster).
    - ``progress``: show a progress bar on stderr (only when stderr is a terminal).
    - ``output``: a ``.parquet`` path; rows are written there as they come, memory stays flat,
      and the result's ``table`` is None.

    A file that cannot be read or scored never stops the others: it is listed in
    ``failures`` with a one-line reason.
    """
    if engine not in engines.ENGINES:
        raise ConfigError(f"engine {engine!r} is unknown; expected one of: {', '.join(engines.ENGINES)}")
    runner = engines.make_engine(engine, jobs=jobs, scheduler=scheduler)
    lexicons = _lexicon_key(lexicons)
    with_lm = lm_dictionary is not None
    if isinstance(lm_dictionary, (str, os.PathLike)):
        _lm(lm_dictionary)  # a bad dictionary fails here, once, not once per file
        lm_dictionary = str(lm_dictionary)
    settings_manifest = _load_manifest(manifest)

    store = None
    if cache is not False:
        root = _cache.default_cache_dir() if cache in (None, True) else Path(cache)
        store = _cache.ScoreCache(root, _fingerprint(lexicons, lm_dictionary))
    settings = _Settings(
        lexicons=lexicons,
        manifest=settings_manifest,
        company=company,
        lm_dictionary=lm_dictionary,
        cache_root=str(store.root) if store is not None and engine == "local" else None,
        fingerprint=store.fingerprint if store is not None else "",
    )

    files, failures = _expand(paths)
    failures = list(failures)
    if manifest is not None and not isinstance(manifest, dict):  # the manifest is not a call
        files = [f for f in files if Path(f).resolve() != Path(manifest).resolve()]
    unwritable = None
    if store is not None:
        unwritable = safeio.writable_folder(store.root)
        if unwritable:  # said once here, not once per call
            logger.warning("cache folder %s cannot be written (%s): nothing is stored this run",
                           store.root, unwritable)
            settings = dataclasses.replace(settings, cache_root=None)
    plan = []  # (task, cached?) in input order; metadata only, never the text
    first_of = {}  # content digest -> first file with it
    duplicates = []
    for index, path in enumerate(files):
        path = str(path)
        try:
            digest = _cache.file_digest(path)
        except (OSError, TranscriptError) as exc:
            failures.append((path, _one_line(exc)))
            continue
        override = _override(path, settings)
        first = first_of.get(digest)
        # the same bytes again (a link, or a folder and one of its files) are scored once,
        # unless a manifest row of their own makes them another call
        if first is not None and override in (first[1], repr((settings.company, None))):
            duplicates.append((path, first[0]))
            logger.warning("%s has the same content as %s: scored once",
                           escape.terminal(path), escape.terminal(first[0]))
            continue
        first_of.setdefault(digest, (path, override))
        key = store.key(digest, Path(path).name, override) if store else None
        hit = key is not None and store.has(key)
        plan.append((_Task(index, path, digest, key), hit))

    misses = sum(not hit for _, hit in plan)
    if jobs is None and engine == "local" and misses < _SMALL_RUN:
        runner = engines.LocalEngine(1)  # a pool costs more than it saves on a few files
    # Columns come from the lexicons (which also checks them) when anything is to be scored;
    # on a run served from the cache, from the first stored call: the lexicons stay unread.
    names = columns(_themes_of(lexicons), lm=with_lm) if misses else None
    output = Path(output) if output is not None else None
    sink = None
    bar = _progress(len(plan) + len(failures), progress)
    bar.update(len(failures))
    n_calls = n_cached = 0
    work = _batches((task for task, hit in plan if not hit), _BATCH_FILES)
    mapped = runner.imap(functools.partial(_score_batch, settings), work,
                         initializer=_warm_up, initargs=(settings,), on_crash=_crashed_batch,
                         split=_split_batch, join=_join_batches)
    results = (item for batch in mapped for item in batch)
    try:
        for task, hit in plan:
            data = store.get(task.key) if hit else None
            if data is not None:
                n_cached += 1
            else:
                if hit:  # the entry vanished or is damaged: score it here
                    data, error = _score_file(settings, task)
                else:
                    data, error = next(results)
                if data is None:
                    failures.append((task.path, error))
                    bar.update(1)
                    continue
                if store is not None and settings.cache_root is None and not unwritable:
                    try:
                        store.put(task.key, data)
                    except OSError as exc:
                        logger.warning("could not write the cache entry of %s: %s", task.path, exc)
            if sink is None:
                sink = _Sink(names or _stored_columns(data), output)
            sink.add(_finish(data, task.path, task.digest))
            n_calls += 1
            bar.update(1)
    except BaseException:
        if sink is not None:
            sink.abort()
        raise
    finally:
        mapped.close()
        bar.close()
    if sink is None:
        sink = _Sink(columns(_themes_of(lexicons), lm=with_lm), output)
    table = sink.close()
    failures = [(escape.path_text(p), escape.path_text(e)) for p, e in failures]
    duplicates = [(escape.path_text(p), escape.path_text(s)) for p, s in duplicates]
    failed = pd.DataFrame(sorted(failures), columns=["path", "error"], dtype="str")
    return ScoreResult(table=table, failures=failed, n_calls=n_calls, n_rows=sink.rows,
                       n_cached=n_cached, output=output,
                       duplicates=pd.DataFrame(duplicates, columns=["path", "same_as"], dtype="str"))


def score(paths, *, lexicons=None, manifest=None, company=None, jobs=None, cache=None,
          engine="local", scheduler=None, progress=False, lm_dictionary=None) -> pd.DataFrame:
    """The scored turn table of every readable call under ``paths`` (see :func:`run`).

    Files that fail are left out and logged; use :func:`run` to get them as a table.
    """
    result = run(paths, lexicons=lexicons, manifest=manifest, company=company, jobs=jobs,
                 cache=cache, engine=engine, scheduler=scheduler, progress=progress,
                 lm_dictionary=lm_dictionary)
    for path, error in result.failures.itertuples(index=False):
        logger.warning("not scored: %s", error)
    return result.table


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="call", desc="scoring", file=sys.stderr, dynamic_ncols=True,
                disable=True if not enabled else None)

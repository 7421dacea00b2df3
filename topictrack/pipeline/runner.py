"""Scoring many calls: transcript files -> the scored turn table, in parallel, with a cache.

:func:`run` finds the files (:func:`topictrack.transcripts.expand_paths`), takes the calls it
has scored before from the cache (:mod:`.cache`), scores the others on an engine
(:mod:`.engines`) with :mod:`.call`, and collects the rows in a :class:`~.sink.Sink`. The
table's columns are described in :mod:`.schema`.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from topictrack import escape, safeio
from topictrack._resources import lexicon_dir, resource_dir, sample_calls
from topictrack.errors import ConfigError, NoCallsError, TranscriptError
from topictrack.pipeline import cache as _cache
from topictrack.pipeline import engines
from topictrack.pipeline.schema import columns, finish, stored_columns
from topictrack.pipeline.sink import Sink, read_scored
from topictrack.themes import regex_guard
from topictrack.transcripts import load_manifest, manifest_entry, read_transcript

logger = logging.getLogger(__name__)

_BATCH_FILES = 4          # files per task sent to a worker
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



def lexicon_key(lexicons):
    """A hashable, picklable form of the ``lexicons`` argument (a folder/file or a list)."""
    if lexicons is None:
        return None
    if isinstance(lexicons, (str, os.PathLike)):
        return str(lexicons)
    return tuple(str(item) for item in lexicons)


def lexicon_paths(lexicons) -> list[Path]:
    if lexicons is None:
        return []
    if isinstance(lexicons, str):
        return [Path(lexicons)]
    return [Path(item) for item in lexicons]


def _scoring():
    """The module that scores a call, imported on first use: a run served from the cache never
    loads the lexicons, the classifier or VADER."""
    from topictrack.pipeline import call

    return call


def _theme_names(lexicons) -> list[str]:
    from topictrack.themes import list_themes

    return list_themes(lexicons)


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
    """Read and score one file -> ``(columns, None, skipped)`` or ``(None, reason, ())``,
    ``skipped`` naming the user patterns this process has left out for their time (see
    :mod:`topictrack.themes.regex_guard`), which :func:`run` reports once. Never raises for a bad
    file; stores the result in the cache when one is configured and no pattern was left out."""
    try:
        with regex_guard.quiet():
            transcript = _read(task.path, settings)
            scoring = _scoring()
            tagger = scoring.tagger_for(settings.lexicons)
            data = scoring.score_columns(transcript, tagger, scoring.lm_for(settings.lm_dictionary))
    except Exception as exc:  # isolate every failure to its file
        logger.info("failed %s: %s", task.path, exc)
        return None, _one_line(exc), ()
    skipped = scoring.left_out(tagger)
    if task.key is not None and settings.cache_root is not None and not skipped:
        try:
            _cache.ScoreCache(settings.cache_root, settings.fingerprint).put(task.key, data)
        except OSError as exc:
            logger.warning("could not write the cache entry of %s: %s", task.path, exc)
    return data, None, skipped


def _score_batch(settings: _Settings, batch: list[_Task]):
    return [_score_file(settings, task) for task in batch]


def _crashed_batch(batch: list[_Task]):
    """The result of a file whose worker process died while scoring it (twice)."""
    return [(None, "the worker process scoring it died (killed, or out of memory)", ())] * len(batch)


def _split_batch(batch: list[_Task]):
    return [[task] for task in batch]


def _join_batches(results):
    return [item for part in results for item in part]


def _warm_up(settings: _Settings) -> None:
    """Load lexicons, model and sentiment once per worker process, before the first file."""
    try:
        scoring = _scoring()
        scoring.tagger_for(settings.lexicons)
        scoring.lm_for(settings.lm_dictionary)
        scoring.score_sentences(["Revenue grew."])
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
    sources = [Path(__file__).parents[1], resource_dir(), lexicon_dir(), *lexicon_paths(lexicons)]
    if lm_dictionary is not None and not hasattr(lm_dictionary, "counts"):
        sources.append(Path(lm_dictionary))
    digest = _cache.fingerprint(sources)
    if lm_dictionary is not None and hasattr(lm_dictionary, "counts"):
        digest = hashlib.sha256((digest + repr(lm_dictionary)).encode()).hexdigest()
    return digest


def _override(path: str, settings: _Settings) -> str:
    """The part of the settings that changes what the reader returns for this file."""
    entry = manifest_entry(settings.manifest, path) if isinstance(settings.manifest, dict) else None
    return repr((settings.company, entry or None))


def _load_manifest(manifest):
    if manifest is None or isinstance(manifest, dict):
        return manifest
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


def run(paths, *, lexicons=None, manifest=None, company=None, jobs=None, cache=None,
        engine="local", scheduler=None, progress=False, lm_dictionary=None,
        output=None) -> ScoreResult:
    """Score every transcript under ``paths`` (files, or folders searched recursively).

    - ``jobs``: worker processes of the local engine (default: every core; 1 scores in this
      process).
    - ``cache``: a folder, ``True``/None for the default folder
      (:func:`topictrack.pipeline.cache.default_cache_dir`), or ``False`` for no cache. Calls whose file,
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
    lexicons = lexicon_key(lexicons)
    with_lm = lm_dictionary is not None
    if isinstance(lm_dictionary, (str, os.PathLike)):
        _scoring().lm_for(lm_dictionary)  # a bad dictionary fails here, once, not once per file
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
    names = columns(_theme_names(lexicons), lm=with_lm) if misses else None
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
    reported = set()  # user patterns left out for their time, said once whichever worker found them
    try:
        for task, hit in plan:
            data = store.get(task.key) if hit else None
            if data is not None:
                n_cached += 1
            else:
                if hit:  # the entry vanished or is damaged: score it here
                    data, error, skipped = _score_file(settings, task)
                else:
                    data, error, skipped = next(results)
                for line in skipped:
                    if line not in reported:
                        reported.add(line)
                        logger.warning("%s", line)
                if data is None:
                    failures.append((task.path, error))
                    bar.update(1)
                    continue
                if store is not None and settings.cache_root is None and not unwritable and not skipped:
                    try:
                        store.put(task.key, data)
                    except OSError as exc:
                        logger.warning("could not write the cache entry of %s: %s", task.path, exc)
            if sink is None:
                sink = Sink(names or stored_columns(data), output)
            sink.add(finish(data, task.path, task.digest))
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
        sink = Sink(columns(_theme_names(lexicons), lm=with_lm), output)
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


def scored_calls(paths=None, *, company=None, manifest=None, lexicons=None, scored=None,
                 theme=None, cache=None, progress=False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The scored turn table to report on, and the files that failed (``path``, ``error``).

    Read from ``scored`` (a table saved by ``topictrack score``), or scored with :func:`run`
    from ``paths`` (default: the bundled calls). ``theme``, when given, must be a theme of the
    lexicons, checked before anything is scored. Raises :class:`~topictrack.errors.NoCallsError`
    when no call could be scored. ``cache`` and ``progress`` are passed to :func:`run`.
    """
    if scored is not None:
        if paths or company or manifest or lexicons:
            raise ConfigError("a saved scored table cannot be combined with paths, company, manifest "
                              "or lexicons")
        return read_scored(scored), pd.DataFrame(columns=["path", "error"], dtype="str")
    if theme is not None:
        known = _theme_names(lexicons)
        if theme not in known:
            raise ConfigError(f"unknown theme {theme!r}; known themes: {', '.join(sorted(known))}")
    inputs = list(paths) if paths else sample_calls()
    result = run(inputs, lexicons=lexicons, manifest=manifest, company=company, cache=cache,
                 progress=progress)
    if result.table.empty:
        if len(result.failures):
            raise NoCallsError(f"none of the {len(result.failures)} input file(s) could be read",
                               result.failures)
        raise NoCallsError("no transcript files found in " + ", ".join(str(Path(p)) for p in inputs))
    return result.table, result.failures


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="call", desc="scoring", file=sys.stderr, dynamic_ncols=True,
                disable=True if not enabled else None)


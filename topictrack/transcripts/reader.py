"""Transcript files -> calls with clean speaker turns and call metadata.

:func:`read_transcript` reads one file in any of the supported layouts (detected
automatically) and returns a :class:`Transcript`; :func:`read_transcripts` reads
many and never stops on a bad file: every input ends up read or listed in
``failures``.

The ``turns`` frame has one row per speaker turn:

==================  ==========================================================
``turn``            int, 0-based position in the call
``speaker``         name as written, ``"Operator"``, or None when unknown
``role``            ``operator`` | ``management`` | ``analyst`` | ``interpreter`` | ``unknown``
``section``         ``prepared`` (remarks) | ``qa`` (question-and-answer)
``text``            the turn's text, ASR loops collapsed
``language``        ``en`` | ``zh`` (CJK dominates) | ``mixed`` (a noticeable CJK part)
``boilerplate``     bool: operator turn, or mostly safe-harbour / housekeeping text
``duplicate_of``    Int64, on the half of an interpretation pair that is not counted:
                    the ``turn`` that counts in its place; <NA> otherwise
``interpretation``  str or None, on both halves of an interpretation pair: which half
                    counts and why
``loops_collapsed`` int, ASR loops collapsed in this turn
==================  ==========================================================
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from topictrack.errors import ConfigError, TranscriptError
from topictrack.safeio import find_inputs, read_regular
from topictrack.text import cjk_ratio, language
from topictrack.transcripts import cleaning as _cleaning
from topictrack.transcripts import formats as _formats
from topictrack.transcripts import metadata as _metadata
from topictrack.transcripts.decode import MAX_FILE_BYTES, read_text, text_of_bytes
from topictrack.transcripts.input_checks import manifest_rows

__all__ = [
    "MAX_FILE_BYTES",
    "CALL_COLUMNS",
    "TURN_COLUMNS",
    "ReadResult",
    "Transcript",
    "expand_paths",
    "load_manifest",
    "manifest_entry",
    "read_inputs",
    "read_transcript",
    "read_transcripts",
    "turns_table",
]

logger = logging.getLogger(__name__)

TURN_COLUMNS = [
    "turn", "speaker", "role", "section", "text", "language", "boilerplate", "duplicate_of",
    "interpretation", "loops_collapsed",
]


class Transcript:
    """One call: metadata plus a ``turns`` frame (columns in the module docstring).

    ``company`` is the key calls of one company share ("Alibaba"); ``company_name`` the
    name as the call states it ("Alibaba Group Holding Limited"). ``participants`` maps each name of the call's participant lists (where the layout has
    them) to ``(title, role)``.

    The reader keeps the turns as plain column lists and builds the ``turns`` DataFrame on
    first access; :meth:`turn_columns` gives the lists without building it.
    """

    __slots__ = ("path", "company", "period", "date", "kind", "source_format", "participants",
                 "company_name", "_turns", "_columns")

    def __init__(self, path: str, company: str | None, period: str | None, date: str | None, kind: str,
                 source_format: str, turns: pd.DataFrame | None = None, participants: dict | None = None,
                 company_name: str | None = None, *, columns: dict[str, list] | None = None):
        if turns is None and columns is None:
            raise TypeError("Transcript needs turns (a DataFrame) or columns (lists per turn column)")
        self.path = path
        self.company = company
        self.period = period
        self.date = date
        self.kind = kind
        self.source_format = source_format
        self.participants = {} if participants is None else participants
        self.company_name = company_name
        self._turns = turns
        self._columns = None if turns is not None else columns

    @property
    def turns(self) -> pd.DataFrame:
        if self._turns is None:
            self._turns = _frame(self._columns)
        return self._turns

    @turns.setter
    def turns(self, value: pd.DataFrame) -> None:
        self._turns = value
        self._columns = None

    def turn_columns(self) -> dict[str, list]:
        """The turn table as one list per column of :data:`TURN_COLUMNS` (missing values as
        ``None``), read from the ``turns`` frame when that has been built or given."""
        if self._turns is None:
            return self._columns
        turns = self._turns
        return {
            "turn": turns["turn"].astype("int64").tolist(),
            "speaker": [s if isinstance(s, str) else None for s in turns["speaker"].tolist()],
            "role": turns["role"].tolist(),
            "section": turns["section"].tolist(),
            "text": turns["text"].tolist(),
            "language": turns["language"].tolist(),
            "boilerplate": turns["boilerplate"].astype(bool).tolist(),
            "duplicate_of": [None if pd.isna(d) else int(d) for d in turns["duplicate_of"].tolist()],
            "interpretation": [s if isinstance(s, str) else None for s in turns["interpretation"].tolist()],
            "loops_collapsed": turns["loops_collapsed"].astype("int64").tolist(),
        }

    def _fields(self) -> tuple:
        return (self.path, self.company, self.period, self.date, self.kind, self.source_format,
                self.participants, self.company_name)

    def __eq__(self, other) -> bool:
        if not isinstance(other, Transcript):
            return NotImplemented
        return self._fields() == other._fields() and self.turns.equals(other.turns)

    __hash__ = None

    def __repr__(self) -> str:
        return (f"Transcript(path={self.path!r}, company={self.company!r}, period={self.period!r}, "
                f"date={self.date!r}, kind={self.kind!r}, source_format={self.source_format!r}, "
                f"turns=<{len(self.turn_columns()['turn'])} turns>, company_name={self.company_name!r})")

    def __getstate__(self):
        return {name: getattr(self, name) for name in self.__slots__}

    def __setstate__(self, state):
        for name, value in state.items():
            object.__setattr__(self, name, value)


def _frame(columns: dict[str, list]) -> pd.DataFrame:
    """The ``turns`` DataFrame of a call's turn column lists."""
    return pd.DataFrame(
        {
            "turn": np.asarray(columns["turn"], dtype="int64"),
            "speaker": columns["speaker"],
            "role": columns["role"],
            "section": columns["section"],
            "text": columns["text"],
            "language": columns["language"],
            "boilerplate": np.array(columns["boilerplate"], dtype=bool),
            "duplicate_of": pd.array(columns["duplicate_of"], dtype="Int64"),
            "interpretation": columns["interpretation"],
            "loops_collapsed": np.array(columns["loops_collapsed"], dtype="int64"),
        },
        columns=TURN_COLUMNS,
    )


@dataclass
class ReadResult:
    """Calls read, files that failed (``failures`` columns: ``path``, ``error``) and files left
    out because they hold the same bytes as a file read (``duplicates``: ``path``, ``same_as``)."""

    calls: list
    failures: pd.DataFrame
    duplicates: pd.DataFrame | None = None




def _interpreted(texts: list) -> bool:
    """The call gives statements twice: it holds Chinese text, or a speaker announces a translation."""
    for text in texts:
        if not text.isascii() and cjk_ratio(text) > 0:
            return True
    return any(_cleaning.announces_translation(text) for text in texts)


def _split_translations(raw_turns: list, texts: list, loops: list) -> tuple[list, list, list]:
    """Cut every turn that holds a statement and its interpretation into two turns of its speaker."""
    out_turns, out_texts, out_loops = [], [], []
    for raw, text, n in zip(raw_turns, texts, loops):
        halves = _cleaning.split_translation(text) if raw[1] != "operator" else None
        for k, half in enumerate(halves or (text,)):
            out_turns.append((*raw[:3], half))
            out_texts.append(half)
            out_loops.append(n if k == 0 else 0)
    return out_turns, out_texts, out_loops


def _turn_columns(raw_turns: list, kind: str) -> dict[str, list]:
    texts, loops = [], []
    for _, _, _, body in raw_turns:
        text, n = _cleaning.collapse_loops(body)
        texts.append(text)
        loops.append(n)
    interpreted = kind == "transcript" and _interpreted(texts)
    if interpreted:
        raw_turns, texts, loops = _split_translations(raw_turns, texts, loops)
    languages = [language(text) for text in texts]
    roles = [t[1] for t in raw_turns]
    if interpreted:
        speakers = [t[0] for t in raw_turns]
        found = _cleaning.pairs(texts, roles, languages, speakers)
        duplicates, notes = _cleaning.counted_halves(found, texts, roles, languages)
    else:
        duplicates, notes = [None] * len(texts), [None] * len(texts)
    boilerplate = [_cleaning.is_boilerplate(text, role) for text, role in zip(texts, roles)]
    return {
        "turn": list(range(len(raw_turns))),
        "speaker": [t[0] if isinstance(t[0], str) else None for t in raw_turns],
        "role": roles,
        "section": [t[2] for t in raw_turns],
        "text": texts,
        "language": languages,
        "boilerplate": [bool(b) for b in boilerplate],
        "duplicate_of": [None if d is None else int(d) for d in duplicates],
        "interpretation": notes,
        "loops_collapsed": [int(n) for n in loops],
    }


def read_transcript(path, *, company: str | None = None, manifest=None,
                    known_companies=()) -> Transcript:
    """Read one transcript file into a :class:`Transcript`.

    ``company`` overrides the company found in the text. ``manifest`` (a path to a
    CSV or a dict from :func:`load_manifest`) overrides company, period and date
    for the files it lists. ``known_companies`` are spellings to repair ASR-damaged
    names against. Raises a :class:`~topictrack.errors.TranscriptError` subclass
    whose message names the file when it cannot be read.
    """
    path = Path(path)
    if isinstance(manifest, (str, os.PathLike)):
        manifest = load_manifest(manifest)
    return _call_of_text(read_text(path), path, company, manifest, known_companies)


def _call_of_text(text: str, path: Path, company, manifest, known_companies=()) -> Transcript:
    """:func:`read_transcript` of the file ``path`` whose text is ``text``."""
    parsed = _formats.parse(text, path)
    body = "\n".join(t[3] for t in parsed.turns[:60])
    entry = manifest_entry(manifest, path) if manifest else {}
    known = list(known_companies) + [e["company"] for e in (manifest or {}).values() if e.get("company")]

    period = entry.get("period")
    if not period:
        period = (
            _metadata.period_from_text(parsed.header, body)
            or _metadata.period_from_name(path.stem)
            or _metadata.most_mentioned_period(body)
        )
    people = {t[0] for t in parsed.turns if isinstance(t[0], str)} | set(parsed.participants)
    found = _metadata.company_from_text(parsed.header, body, parsed.organisations + known, people)
    if found is None:
        found = _metadata.ticker_from_name(path.stem)
    elif known:
        found = _metadata.repair_company(found, known)
    call_company = company or entry.get("company") or found
    name = company or entry.get("company") or _metadata.stated_company(parsed.header) or found
    call_date = entry.get("date") or _metadata.date_from_header(parsed.header)
    return Transcript(
        path=str(path),
        company=call_company,
        period=period,
        date=call_date,
        kind=parsed.kind,
        source_format=parsed.source_format,
        columns=_turn_columns(parsed.turns, parsed.kind),
        participants=dict(parsed.participants),
        company_name=name,
    )


def read_transcripts(paths, *, company: str | None = None, manifest=None) -> ReadResult:
    """Read many transcripts (files or folders); bad files are listed, never fatal.

    Company spellings are repaired across the calls read: a name that is a close
    ASR-style variant of a name another call (or the manifest) uses is replaced by
    the more common spelling.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    skip = set()
    if isinstance(manifest, (str, os.PathLike)):
        skip.add(Path(manifest).resolve())  # a manifest kept in the calls folder is not a call
        manifest = load_manifest(manifest)
    calls, failures = [], []
    files, problems = find_inputs(paths)
    failures += [(path, f"{path}: {reason}") for path, reason in problems]
    first_of, duplicates = {}, []  # content digest -> first file with it: read once
    for path in files:
        if skip and path.resolve() in skip:
            continue
        try:
            data = read_regular(path, MAX_FILE_BYTES)  # read once: for the digest and the text
            digest = hashlib.sha256(data).hexdigest()
            entry = manifest_entry(manifest, path) if manifest else {}
            first = first_of.get(digest)
            if first is not None and (not entry or entry == first[1]):  # unless its own manifest row
                logger.warning("%s has the same content as %s: read once", path, first[0])
                duplicates.append((str(path), str(first[0])))
                continue
            first_of.setdefault(digest, (path, entry))
            calls.append(_call_of_text(text_of_bytes(data, path), path, company, manifest))
        except TranscriptError as exc:
            logger.warning("%s", exc)
            failures.append((str(path), str(exc)))
        except Exception as exc:  # a reader fault costs this file only, never the others
            logger.warning("%s: %s: %s", path, type(exc).__name__, exc)
            failures.append((str(path), f"{path}: {type(exc).__name__}: {exc}"))
    if company is None:
        _harmonise_companies(calls)
    return ReadResult(calls, pd.DataFrame(failures, columns=["path", "error"]),
                      pd.DataFrame(duplicates, columns=["path", "same_as"]))


def read_inputs(paths, *, company: str | None = None, manifest=None) -> ReadResult:
    """:func:`read_transcripts` of ``paths``, except that one file given alone that cannot be read
    raises its :class:`~topictrack.errors.TranscriptError` (what ``topictrack turns`` reports);
    :class:`~topictrack.errors.ConfigError` when the paths hold no file at all."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files, problems = find_inputs(paths)
    if not files and not problems:
        raise ConfigError("no transcript files found in " + ", ".join(map(str, paths)))
    if len(files) == 1 and not problems:
        call = read_transcript(files[0], company=company, manifest=manifest)
        return ReadResult([call], pd.DataFrame([], columns=["path", "error"]),
                          pd.DataFrame([], columns=["path", "same_as"]))
    return read_transcripts(paths, company=company, manifest=manifest)


def _harmonise_companies(calls: list) -> None:
    """Give the calls of one company one key
    (:func:`topictrack.transcripts.metadata.harmonised_companies`, also used when trends are built)."""
    keys = _metadata.harmonised_companies([call.company for call in calls], [call.path for call in calls])
    for call, key in zip(calls, keys):
        call.company = key


def expand_paths(paths) -> list[Path]:
    """Files as given; folders searched recursively; sorted; hidden files skipped."""
    return find_inputs(paths)[0]  # read_transcripts lists the entries left out as failures


def load_manifest(path) -> dict:
    """Read a manifest CSV (columns ``path,company,period,date``) into ``{path: entry}``.

    A file matches a row by its path as given, its absolute path (relative manifest
    paths are taken from the manifest's folder), its file name or its name without
    extension. Empty cells mean "take it from the text". Periods must look like
    ``2025Q1`` (``2025 Q1`` and ``FY2025Q1`` are read as ``2025Q1``).
    """
    path = Path(path)
    rows = manifest_rows(path)  # unreadable, non-UTF-8, unclosed quotes, repeats, bad dates
    if not rows or "path" not in rows[0]:
        raise ConfigError(f"manifest {path} needs a header row with a 'path' column "
                          "(path,company,period,date)")
    entries = {}
    for n, row in enumerate(rows, start=2):
        given = (row.get("period") or "").strip()
        period = _metadata.normalise_period(given)
        if given and period is None:
            raise ConfigError(f"manifest {path} line {n}: period {given.upper()!r} is invalid; "
                              "expected a year and quarter 1-4 like 2025Q1")
        entry = {
            "company": (row.get("company") or "").strip() or None,
            "period": period,
            "date": (row.get("date") or "").strip() or None,
        }
        key = (row.get("path") or "").strip()
        entries[key] = entry
        if key:  # also under the absolute path, relative paths taken from the manifest's folder
            entries.setdefault(str((path.parent / key).resolve()), entry)
    return entries


def manifest_entry(manifest: dict, path) -> dict:
    """The manifest row of the file ``path`` (``{}`` when none): looked up by the path as
    given, its absolute path, its POSIX form, its file name, then its name without extension."""
    path = Path(path)
    for key in (str(path), str(path.resolve()), path.as_posix(), path.name, path.stem):
        if key in manifest:
            return manifest[key]
    return {}


CALL_COLUMNS = ["path", "company", "company_name", "period", "date", "kind", "source_format"]


def turns_table(calls) -> pd.DataFrame:
    """All turns of ``calls`` in one frame: call columns (``CALL_COLUMNS``) then ``TURN_COLUMNS``."""
    if isinstance(calls, Transcript):
        calls = [calls]
    frames = []
    for call in calls:
        meta = {c: getattr(call, c) for c in CALL_COLUMNS}
        frames.append(call.turns.assign(**meta)[CALL_COLUMNS + TURN_COLUMNS])
    if not frames:
        return pd.DataFrame(columns=CALL_COLUMNS + TURN_COLUMNS)
    return pd.concat(frames, ignore_index=True)

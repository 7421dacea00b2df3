"""The data formats: JSON and CSV, every column, floats rounded so equal inputs give equal text."""

from __future__ import annotations

import json

import pandas as pd

from topictrack import escape
from topictrack.phrases import COLUMNS as PHRASE_COLUMNS
from topictrack.report.common import FLOAT_DIGITS, check, value_of
from topictrack.trends import COLUMNS, MOVER_COLUMNS, OVERVIEW_COLUMNS

CSV_COLUMNS = ["table", *COLUMNS, *[c for c in PHRASE_COLUMNS if c not in COLUMNS]]
"""Columns of the CSV report: ``table`` ("trends" or "new_phrases") names what a row is."""


def records(frame: pd.DataFrame | None, columns: list[str]) -> list[dict]:
    if frame is None:
        return []
    out = []
    for row in frame[columns].itertuples(index=False):
        record = {}
        for column, value in zip(columns, row):
            value = value_of(value)
            if isinstance(value, float):
                value = round(value, FLOAT_DIGITS)
            elif hasattr(value, "item"):  # numpy scalars
                value = value.item()
            record[column] = value
        out.append(record)
    return out


def to_json(table: pd.DataFrame, *, phrases: pd.DataFrame | None = None,
            overview: tuple | None = None) -> str:
    """A JSON object: ``trends``, a list of records, one per trends row with every column of
    :data:`topictrack.trends.COLUMNS`; ``new_phrases``, the records of :func:`topictrack.new_phrases`
    (empty without ``phrases``); ``overview`` with ``periods`` and ``movers``, the two tables of
    :func:`topictrack.trends.corpus_overview` (empty lists without ``overview``), and
    ``period_basis``: ``"calendar"`` when the overview's periods are calendar quarters from the call
    dates, ``"stated"`` when they are the quarters the calls state (null without ``overview``).

    Floats are rounded to 6 decimals and nulls are ``null``, so equal inputs give byte-identical text.
    """
    document = {
        "trends": records(check(table), COLUMNS),
        "new_phrases": records(phrases, PHRASE_COLUMNS),
        "overview": {"periods": records(overview[0], OVERVIEW_COLUMNS) if overview else [],
                     "movers": records(overview[1], MOVER_COLUMNS) if overview else [],
                     "period_basis": overview[0].attrs.get("periods") if overview else None},
    }
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def to_csv(table: pd.DataFrame, *, phrases: pd.DataFrame | None = None, overview=None) -> str:
    """One CSV of :data:`CSV_COLUMNS`: the trends rows (``table`` = "trends"), then the new-phrase
    rows ("new_phrases") when ``phrases`` is given; a column a row has no value for is empty.
    Floats are rounded to 6 decimals. (The corpus overview is in the JSON and the readable formats.)
    """
    rows = [{"table": "trends", **r} for r in records(check(table), COLUMNS)]
    rows += [{"table": "new_phrases", **r} for r in records(phrases, PHRASE_COLUMNS)]
    frame = pd.DataFrame(rows, columns=CSV_COLUMNS)
    for column in ("calls", "sentences", "words", "mentions", "toned", "rank", "count", "previous_count",
                   "previous_sentences"):
        frame[column] = frame[column].astype("Int64")
    return escape.csv_frame(frame).to_csv(index=False, lineterminator="\n")  # no formulas

"""The scored turn table: its columns, their types, and the one place the frame is built.

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

from pathlib import Path

import pandas as pd

from topictrack import escape
from topictrack.transcripts import TURN_COLUMNS

CALL_COLUMNS = ["call_id", "path", "company", "period", "date", "kind", "source_format"]
SCORE_COLUMNS = ["counted", "n_sentences", "n_words", "sentiment", "themes"]
THEME_PREFIXES = ("conf_", "mentions_", "toned_", "tone_", "quote_")
LM_COLUMNS = ["lm_positive", "lm_negative", "lm_uncertainty"]

_STR = {"call_id", "path", "company", "period", "date", "kind", "source_format", "speaker",
        "role", "section", "text", "language", "interpretation", "themes"}
_INT = {"turn", "loops_collapsed", "n_sentences", "n_words", *LM_COLUMNS}
_BOOL = {"boilerplate", "counted"}
# pandas 3 has a real string dtype (missing = NaN); pandas 2 keeps text as objects with None.
_TEXT = "str" if int(pd.__version__.split(".")[0]) >= 3 else object


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


def typed_frame(data: dict[str, list], names: list[str]) -> pd.DataFrame:
    """Build the typed table from column lists in one go."""
    return pd.DataFrame({name: pd.array(data[name], dtype=_dtype(name)) for name in names})


def stored_columns(data: dict[str, list]) -> list[str]:
    """Table columns of a stored call: its theme groups are those of the lexicons it was
    scored with (the cache fingerprint covers the lexicon files)."""
    themes = [name[len("conf_"):] for name in data if name.startswith("conf_")]
    return columns(themes, lm=LM_COLUMNS[0] in data)


def theme_names(scored: pd.DataFrame) -> list[str]:
    """The themes a scored turn table carries, in column order (from its ``mentions_T`` columns)."""
    return [c[len("mentions_"):] for c in scored.columns if c.startswith("mentions_")]


def call_id(name: str, digest: str) -> str:
    return f"{Path(name).stem}-{digest[:10]}"


def finish(data: dict[str, list], path: str, digest: str) -> dict[str, list]:
    n = len(data["turn"])
    path = escape.path_text(path)  # a file name that is not UTF-8 stays storable
    data["path"] = [path] * n
    data["call_id"] = [call_id(path, digest)] * n
    return data

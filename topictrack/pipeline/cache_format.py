"""The on-disk form of a cache entry: JSON naming its own key, checked before use.

An entry is ``{"format": ..., "key": KEY, "columns": {name: [values...]}}`` with values that
are text, numbers, true/false or null (NaN written as ``NaN``). Reading it runs no code, unlike
a pickle, and :func:`decode` accepts it only when it was written under the key asked for and
holds equal-length columns of plain values: an entry copied over another, truncated or foreign
is a miss and the call is scored again.
"""

from __future__ import annotations

import json
import math

FORMAT = "topictrack-scored-call-2"

_PLAIN_TYPES = frozenset((str, int, float, bool, type(None)))  # what json.loads makes of scalars


class EntryError(ValueError):
    """A cache entry is damaged, foreign or stored under another key."""


def encode(key: str, columns: dict) -> bytes:
    """The bytes of the entry holding ``columns`` under ``key``."""
    entry = {"format": FORMAT, "key": key, "columns": columns}
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode(key: str, raw: bytes) -> dict:
    """The columns stored in ``raw`` for ``key``; raise :class:`EntryError` otherwise."""
    try:
        entry = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise EntryError(f"not a cache entry ({type(exc).__name__})") from None
    if not isinstance(entry, dict) or entry.get("format") != FORMAT:
        raise EntryError("not a cache entry of this version")
    if entry.get("key") != key:
        raise EntryError("stored under another key (copied or renamed)")
    columns = entry.get("columns")
    if not isinstance(columns, dict) or not isinstance(columns.get("turn"), list):
        raise EntryError("holds no table of turns")
    rows = len(columns["turn"])
    for name, values in columns.items():
        if not isinstance(values, list) or len(values) != rows:
            raise EntryError(f"column {name!r} is not a list of {rows} values")
        if not _PLAIN_TYPES.issuperset(map(type, values)):
            raise EntryError(f"column {name!r} holds values that are not plain")
    return columns


def same(a: dict, b: dict) -> bool:
    """True when two column dicts hold the same values (NaN equal to NaN); for tests and checks."""
    if a.keys() != b.keys():
        return False
    for name in a:
        for x, y in zip(a[name], b[name]):
            if x != y and not (isinstance(x, float) and isinstance(y, float)
                               and math.isnan(x) and math.isnan(y)):
                return False
    return True

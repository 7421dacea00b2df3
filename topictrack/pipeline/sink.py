"""Where scored calls go: a table in memory, or a Parquet file written row group by row group;
and reading such a file back (:func:`read_scored`)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from topictrack import safeio
from topictrack.errors import ConfigError
from topictrack.pipeline.schema import theme_names, typed_frame

_ROWS_PER_GROUP = 50_000  # rows per Parquet row group when writing as we go
_CHARS_PER_GROUP = 4_000_000  # ... or this much turn text, whichever comes first


class Sink:
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

            self._schema = pa.Schema.from_pandas(typed_frame(self._data, names), preserve_index=False)
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
            frame = typed_frame(self._data, self.names)
            with safeio.writing(self.output):
                self._writer.write_table(pa.Table.from_pandas(frame, schema=self._schema,
                                                              preserve_index=False))
        self._data = {name: [] for name in self.names}
        self._buffered = 0
        self._chars = 0

    def close(self) -> pd.DataFrame | None:
        if self._writer is None:
            return typed_frame(self._data, self.names)
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


def read_scored(path) -> pd.DataFrame:
    """Read a scored turn table written by ``topictrack score -o FILE`` (Parquet, or CSV by suffix)."""
    path = Path(path)
    try:
        if path.suffix.lower() == ".csv":
            table = pd.read_csv(path)
        else:
            table = pd.read_parquet(path)
    except Exception as exc:  # pyarrow and pandas raise many types for a file that is not a table
        raise ConfigError(f"{path}: not a scored table ({type(exc).__name__}: "
                          f"{str(exc).splitlines()[0] if str(exc) else 'unreadable'})") from None
    missing = [c for c in ("call_id", "company", "period", "kind", "turn", "counted") if c not in table]
    if missing or not theme_names(table):
        raise ConfigError(f"{path}: not a scored table (missing column(s) "
                          + ", ".join(missing or ["mentions_<theme>"]) + ")")
    return table

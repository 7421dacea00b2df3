"""Reading transcripts: files -> calls with clean speaker turns and call metadata.

:mod:`.decode` turns bytes into text, :mod:`.formats` detects the layout and splits turns,
:mod:`.cleaning` collapses ASR loops and marks boilerplate and interpretation duplicates,
:mod:`.metadata` finds company, period and date, :mod:`.reader` puts them together.
"""

from topictrack.transcripts import reader as _reader
from topictrack.transcripts.metadata import normalise_period, parse_period
from topictrack.transcripts.reader import (
    CALL_COLUMNS,
    MAX_FILE_BYTES,
    TURN_COLUMNS,
    ReadResult,
    Transcript,
    expand_paths,
    load_manifest,
    manifest_entry,
    read_transcript,
    read_transcripts,
    turns_table,
)

__all__ = [*_reader.__all__, "normalise_period", "parse_period"]

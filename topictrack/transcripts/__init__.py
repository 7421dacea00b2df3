"""Reading transcripts: files -> calls with clean speaker turns and call metadata.

:mod:`.decode` turns bytes into text, :mod:`.formats` detects the layout and splits turns,
:mod:`.cleaning` collapses ASR loops and marks boilerplate and interpretation duplicates,
:mod:`.metadata` finds company, period and date, :mod:`.reader` puts them together.

The names below load their module on first use, so importing one light part of the stage (the
decoder, say) does not load pandas with the reader.
"""

from topictrack._lazy import lazy_names

_LAZY = {
    **{name: "topictrack.transcripts.reader" for name in (
        "MAX_FILE_BYTES", "CALL_COLUMNS", "TURN_COLUMNS", "ReadResult", "Transcript", "expand_paths",
        "load_manifest", "manifest_entry", "read_inputs", "read_transcript", "read_transcripts",
        "turns_table")},
    "normalise_period": "topictrack.transcripts.metadata",
    "parse_period": "topictrack.transcripts.metadata",
}

__all__ = list(_LAZY)

__getattr__, __dir__ = lazy_names(__name__, _LAZY)

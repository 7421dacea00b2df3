"""topictrack: themes and tone in earnings-call transcripts, quarter over quarter.

Importing the package does no work: lexicons, models and NLTK load on first use.
"""

from __future__ import annotations

from topictrack._lazy import lazy_names
import logging

from topictrack.errors import (
    ConfigError,
    LexiconError,
    ModelError,
    TopictrackError,
    TranscriptError,
)

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

# Public name -> module that defines it. Modules are imported on first access.
_LAZY = {
    "Transcript": "topictrack.transcripts",
    "read_transcript": "topictrack.transcripts",
    "read_transcripts": "topictrack.transcripts",
    "ReadResult": "topictrack.transcripts",
    "expand_paths": "topictrack.transcripts",
    "load_manifest": "topictrack.transcripts",
    "turns_table": "topictrack.transcripts",
    "sentences": "topictrack.text",
    "list_themes": "topictrack.themes",
    "load_lexicons": "topictrack.themes",
    "tag": "topictrack.themes",
    "explain": "topictrack.themes",
    "get_tagger": "topictrack.themes",
    "ThemeTagger": "topictrack.themes",
    "tag_turns": "topictrack.themes",
    "suggest": "topictrack.themes",
    "train": "topictrack.themes",
    "ThemeClassifier": "topictrack.themes",
    "tone": "topictrack.sentiment",
    "score_sentences": "topictrack.sentiment",
    "sentiment_label": "topictrack.sentiment",
    "explain_sentiment": "topictrack.sentiment",
    "theme_tones": "topictrack.sentiment",
    "score": "topictrack.pipeline",
    "theme_trends": "topictrack.trends",
    "new_phrases": "topictrack.phrases",
    "suggest_with_new_phrases": "topictrack.phrases",
    "corpus_overview": "topictrack.trends",
    "evidence": "topictrack.report",
    "trend_report": "topictrack.report",
}
# Stage modules, loaded on first access like the names above.
_MODULES = ("transcripts", "themes", "sentiment", "pipeline", "trends", "phrases", "report", "text", "cli")

__all__ = [
    "ConfigError",
    "LexiconError",
    "ModelError",
    "TopictrackError",
    "TranscriptError",
    "__version__",
    *_LAZY,
]


__getattr__, __dir__ = lazy_names(__name__, _LAZY, _MODULES)

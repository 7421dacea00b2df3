"""Theme tagging: text -> the themes it discusses, each with a confidence.

:mod:`.lexicon` reads lexicon files and matches them, :mod:`.classifier` is the TF-IDF
estimator, :mod:`.tagger` combines both, :mod:`.training` trains the estimator from the
lexicons and suggests new lexicon terms.
"""

from topictrack.themes.classifier import ThemeClassifier
from topictrack.themes.tagger import (
    METHODS,
    MODEL_FILE,
    TURN_THEME_COLUMNS,
    Explanation,
    SentenceEvidence,
    ThemeTagger,
    explain,
    explain_text_or_file,
    get_tagger,
    list_themes,
    load_lexicons,
    load_model,
    tag,
    tag_turns,
    themes,
)
from topictrack.themes.training import SUGGEST_COLUMNS, corpus_files, suggest, train, training_set
from topictrack.themes.turns import TaggedTurn, tag_call

__all__ = [
    "METHODS",
    "MODEL_FILE",
    "SUGGEST_COLUMNS",
    "TURN_THEME_COLUMNS",
    "Explanation",
    "SentenceEvidence",
    "TaggedTurn",
    "ThemeClassifier",
    "ThemeTagger",
    "corpus_files",
    "explain",
    "explain_text_or_file",
    "get_tagger",
    "list_themes",
    "load_lexicons",
    "load_model",
    "suggest",
    "tag",
    "tag_call",
    "tag_turns",
    "train",
    "training_set",
]

from topictrack._deprecated import keep_callable  # noqa: E402

keep_callable(__name__)

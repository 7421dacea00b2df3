"""Theme tagging: text -> the themes it discusses, each with a confidence.

:mod:`.lexicon` reads lexicon files and matches them, :mod:`.classifier` is the TF-IDF
estimator, :mod:`.tagger` combines both, :mod:`.training` trains the estimator from the
lexicons and suggests new lexicon terms.
"""

from topictrack._lazy import lazy_names
from topictrack.themes.model import ThemeModel
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

# Training (scikit-learn, pandas) and reading calls load on first use, so that tagging a
# sentence loads neither.
_LAZY = {
    "ThemeClassifier": "topictrack.themes.classifier",
    "SUGGEST_COLUMNS": "topictrack.themes.training",
    "corpus_files": "topictrack.themes.training",
    "suggest": "topictrack.themes.training",
    "train": "topictrack.themes.training",
    "training_set": "topictrack.themes.training",
    "TaggedTurn": "topictrack.themes.turns",
    "tag_call": "topictrack.themes.turns",
}

__all__ = [
    "METHODS",
    "MODEL_FILE",
    "SUGGEST_COLUMNS",
    "TURN_THEME_COLUMNS",
    "Explanation",
    "SentenceEvidence",
    "TaggedTurn",
    "ThemeClassifier",
    "ThemeModel",
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



__getattr__, __dir__ = lazy_names(__name__, _LAZY)


from topictrack._deprecated import keep_callable  # noqa: E402

keep_callable(__name__)

"""Finance-aware sentiment: text -> tone in [-1, 1].

:mod:`.lexicon` reads the finance layer (a TOML file you can extend), :mod:`.rules` holds the
phrase, cue and amount rules, :mod:`.scorer` scores one sentence (VADER plus the finance
layer), :mod:`.tone` holds the public functions, :mod:`.lm` counts Loughran-McDonald words.
The finance layer lives in ``topictrack/resources/finance_sentiment.toml``; pass your own
with ``finance_lexicon=PATH``.
"""

from topictrack.sentiment.lexicon import LABELS, FinanceLexicon, load_finance_lexicon
from topictrack.sentiment.lm import LMDictionary, load_lm_dictionary
from topictrack.sentiment.scorer import Contribution, SentenceExplanation, SentimentExplanation
from topictrack.sentiment.tone import (
    explain_sentiment,
    explain_text_or_file,
    score_label,
    score_sentences,
    sentiment,
    sentiment_label,
    theme_sentence_score,
    theme_tone,
    theme_tones,
    tone,
)

__all__ = [
    "Contribution",
    "FinanceLexicon",
    "LABELS",
    "LMDictionary",
    "SentenceExplanation",
    "SentimentExplanation",
    "explain_sentiment",
    "explain_text_or_file",
    "load_finance_lexicon",
    "load_lm_dictionary",
    "score_label",
    "score_sentences",
    "sentiment_label",
    "theme_sentence_score",
    "theme_tone",
    "theme_tones",
    "tone",
]

from topictrack._deprecated import keep_callable  # noqa: E402

keep_callable(__name__)

"""Finance-aware sentiment: each finance rule on sentences written for it, the public API,
user lexicon files, the Loughran-McDonald reader and determinism on the bundled calls."""

from __future__ import annotations

import math
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from topictrack import _resources
from topictrack.cli import main
from topictrack.errors import LexiconError
from topictrack.sentiment import (
    FinanceLexicon,
    LMDictionary,
    SentimentExplanation,
    explain_sentiment,
    load_finance_lexicon,
    load_lm_dictionary,
    score_label,
    score_sentences,
    sentiment_label,
    theme_sentence_score,
    theme_tone,
    theme_tones,
)
from topictrack.themes import get_tagger
from topictrack.sentiment import tone as sentiment
from topictrack.text import sentences as split_sentences

# -- sentences written for the rules -----------------------------------------------------

DIRECTION_CASES = [
    # (sentence, expected sign): direction of change x whether more of the metric is good
    ("Quarterly revenue rose 12% year over year.", 1),
    ("Net sales increased by 5% to EUR 20 mn.", 1),
    ("Gross profit more than doubled in the period.", 1),
    ("Revenue declined 8% on weaker volumes.", -1),
    ("Our operating margin fell to 9%.", -1),
    ("The net loss narrowed to USD 3 million.", 1),
    ("The operating loss widened to EUR 4 mn.", -1),
    ("Operating costs fell 6% in the quarter.", 1),
    ("Operating expenses rose sharply.", -1),
    ("Net debt was reduced by a third.", 1),
    ("Sales were up 4% on the quarter.", 1),
    ("EBIT was down from EUR 3 mn.", -1),
    ("We saw an increase in operating profit across regions.", 1),
    ("Lower costs supported the result.", 1),
    ("Higher costs held back the quarter.", -1),
    ("Operating profit went from EUR 8 mn to EUR 11 mn.", 1),
    ("Operating profit totalled EUR 5 mn compared with EUR 7 mn a year earlier.", -1),
    ("The operating loss improved to EUR 1 mn.", 1),
    ("Gross margin deteriorated in the second half.", -1),
    # state changes: the state reached, or a profit against an earlier loss
    ("The group swung to an operating loss of EUR 2 mn.", -1),
    ("The division returned to a net profit this year.", 1),
    ("Operating profit was EUR 4 mn, compared with a loss of EUR 1 mn a year earlier.", 1),
    ("The net loss was EUR 1 mn, compared with a loss of EUR 3 mn a year earlier.", 1),
    ("Free cash flow was EUR 6 mn, against a negative EUR 2 mn last year.", 1),
    # the direction word belongs to the metric after it ("competition reduced demand")
    ("Fiercer competition reduced demand for our older servers.", -1),
    # "margin, however, came under pressure" is one clause; "under pressure" is the change
    ("Gross margin, however, came under pressure in the quarter.", -1),
    # comparisons: a unit on one side only, signed amounts, a change of state
    ("Operating profit was EUR 8.3 mn, compared to EUR 8.4 a year earlier.", -1),
    ("The result before taxes was EUR -0.4 mn, compared to EUR -0.1 mn a year earlier.", -1),
    ("The operating loss was EUR 0.3 mn, down from a profit of EUR 5.1 mn.", -1),
    # the amount may come before the metric; "increase" after "to" is a verb
    ("The board proposed a EUR 1.10 dividend, compared with EUR 0.90 a year ago.", 1),
    ("EBIT is expected to increase next year.", 1),
    # the object of a direction verb, with one modifier between
    ("The low utilisation rate increases the fixed costs of each unit.", -1),
    # a direction without its own subject repeats the last metric
    ("The operating loss narrowed year on year but widened sharply in the fourth quarter.", -1),
    # a noun in apposition refers back to the metric
    ("The group reported net sales of EUR 41 mn for the half year, an increase of 11% from a year earlier.", 1),
]

NOT_A_CHANGE_OF_THE_METRIC = [
    # a growth noun far from the metric describes something else: no direction rule fires
    "Our cost structure is set by the plan we drew up for data centre growth.",
    # a comma ends the reach of a direction word placed before a metric
    "Prices were lower, and credit losses were booked as planned.",
    # "up" in a phrasal verb is not a rise
    "We set up a team to review costs in Europe.",
]

NEUTRAL_FINANCE_WORDS = "The liability, the tax charge, the capital base and the cost of funds are listed in note 4."

PHRASE_CASES = [
    ("Headwinds eased during the quarter.", 1),
    ("We expect no material impact on our results.", 1),
    ("Margin compression continued through the year.", -1),
    ("There is pressure on pricing in the server market.", -1),
    ("New export restrictions apply to our main supplier.", -1),
]

NEGATION_CASES = [
    # (negated sentence, its plain form): the negation must flip the sign
    ("We are not seeing pressure on pricing.", "We are seeing pressure on pricing."),
    ("Revenue did not decline in the quarter.", "Revenue declined in the quarter."),
    ("There was no price war in the region.", "There was a price war in the region."),
]

CONTRAST_CASES = [
    ("Revenue grew 10%, but margins declined sharply.", -1),
    ("Margins declined, but revenue grew 10% and operating profit rose.", 1),
    ("Revenue grew 10%. However, margins declined and costs rose.", None),  # two sentences, see test
]

TURN = (
    "AI revenue increased 50% year over year as demand for AI training and inference remained strong. "
    "The board met twice in the quarter. Our office in Beijing moved to a new building. "
    "Separately, export restrictions on chips constrained our supply of GPUs, "
    "and the shortage of chips delayed two deliveries."
)


def sign(x: float) -> int:
    return (x > 0) - (x < 0)


# -- finance rules ---------------------------------------------------------------------------


@pytest.mark.parametrize("text,expected", DIRECTION_CASES)
def test_direction_rule_multiplies_change_by_metric_polarity(text, expected):
    score = sentiment(text)
    assert sign(score) == expected, explain_sentiment(text)
    assert sentiment_label(text) == ("positive" if expected > 0 else "negative")
    rules = [c.rule for c in explain_sentiment(text).contributions]
    assert any(" x " in r for r in rules), rules


def test_the_earlier_state_of_a_comparison_adds_no_tone_of_its_own():
    text = "The company swung to a net profit of EUR 2 mn from a net loss of EUR 1 mn a year earlier."
    explained = explain_sentiment(text)
    assert [c.rule for c in explained.contributions] == ["more is good x state"]
    assert sentiment(text) > 0


@pytest.mark.parametrize("text", NOT_A_CHANGE_OF_THE_METRIC)
def test_direction_rule_does_not_reach_across_unrelated_words(text):
    rules = [c.rule for c in explain_sentiment(text).contributions]
    assert not any(" x " in r for r in rules), explain_sentiment(text)


def test_finance_nouns_are_not_sentiment_though_vader_reads_them_so():
    assert SentimentIntensityAnalyzer().polarity_scores(NEUTRAL_FINANCE_WORDS)["compound"] < -0.05
    assert sentiment(NEUTRAL_FINANCE_WORDS) == 0.0
    assert sentiment_label(NEUTRAL_FINANCE_WORDS) == "neutral"


@pytest.mark.parametrize("text,expected", PHRASE_CASES)
def test_finance_phrases(text, expected):
    assert sign(sentiment(text)) == expected, explain_sentiment(text)


@pytest.mark.parametrize("negated,plain", NEGATION_CASES)
def test_negation_flips_finance_rules_and_phrases(negated, plain):
    assert sentiment(plain) < 0
    assert sentiment(negated) > 0, explain_sentiment(negated)
    assert any(c.rule.startswith("negated") or c.valence > 0 for c in explain_sentiment(negated).contributions)


def test_contrast_weights_the_clause_after_the_cue():
    before_but, after_but = CONTRAST_CASES[0][0], CONTRAST_CASES[1][0]
    assert sentiment(before_but) < 0
    assert sentiment(after_but) > 0
    explained = explain_sentiment(before_but).sentences[0]
    weights = {c.term.split()[0].lower(): c.weight for c in explained.contributions}
    assert weights["revenue"] == pytest.approx(0.5)
    assert weights["margins"] == pytest.approx(1.5)
    assert any(m.startswith("contrast 'but'") for m in explained.modifiers)


def test_however_opens_contrast_in_its_own_sentence():
    text = CONTRAST_CASES[2][0]
    explained = explain_sentiment(text)
    assert len(explained.sentences) == 2
    assert explained.sentences[0].score > 0 > explained.sentences[1].score
    assert all(c.weight == pytest.approx(1.5) for c in explained.sentences[1].contributions)


@pytest.mark.parametrize("text", [
    "Not only did revenue rise, but also costs fell.",
    "The effect on revenue is not yet known, and margins improved.",
])
def test_not_only_but_also_and_not_yet_are_not_contrast(text):
    explained = explain_sentiment(text).sentences[0]
    assert not any(m.startswith("contrast") for m in explained.modifiers)
    assert all(c.weight == 1.0 for c in explained.contributions)


def test_concession_weakens_the_clause_it_opens():
    with_concession = "Although costs rose, revenue grew strongly."
    assert sentiment(with_concession) > 0
    weights = [c.weight for c in explain_sentiment(with_concession).contributions]
    assert weights[0] == pytest.approx(0.5) and weights[-1] == pytest.approx(1.0)


def test_hedge_scales_the_sentence_down():
    plain = "Revenue will rise next year."
    hedged = "Revenue may rise next year."
    assert 0 < sentiment(hedged) < sentiment(plain)


def test_question_is_damped():
    statement = "Gross margin improved."
    question = "Has gross margin improved?"
    assert 0 < sentiment(question) < sentiment(statement)


def test_capitalised_words_inside_a_sentence_are_names_except_in_headlines():
    assert sentiment("The game studio said that Resident Evil will be released on new phones later this year.") == 0.0
    assert sentiment("Strong Quarter As Cloud Revenue Beats Expectations") > 0


def test_sentence_without_finance_or_vader_terms_scores_zero():
    assert sentiment("The meeting takes place in Helsinki on Tuesday.") == 0.0
    assert sentiment("") == 0.0
    assert sentiment_label("") == "neutral"


# -- API shape -----------------------------------------------------------------------------


def test_labels_follow_documented_thresholds():
    lex = load_finance_lexicon()
    assert lex.thresholds == {"positive": 0.2, "negative": -0.2}
    assert score_label(0.2) == "positive"
    assert score_label(0.1999) == "neutral"
    assert score_label(-0.1999) == "neutral"
    assert score_label(-0.2) == "negative"


def test_explanation_adds_up_to_the_score():
    text = "Revenue grew 10%, but margins declined sharply. We may face pricing pressure."
    explained = explain_sentiment(text)
    assert isinstance(explained, SentimentExplanation)
    assert explained.score == pytest.approx(sentiment(text))
    assert explained.label == sentiment_label(text)
    for s in explained.sentences:
        total = s.total
        assert s.score == pytest.approx(total / math.sqrt(total * total + 15))
    frame = explained.to_frame()
    assert list(frame.columns) == ["sentence", "term", "rule", "valence", "weight", "contribution"]
    assert len(frame) == len(explained.contributions) > 0
    rendered = str(explained)
    assert "pricing pressure" in rendered and "hedge 'may'" in rendered


def test_score_sentences_equals_sentiment_per_sentence_and_rejects_a_bare_string():
    sents = [case for case, _ in DIRECTION_CASES + PHRASE_CASES]
    assert score_sentences(sents) == [sentiment(s) for s in sents]
    assert score_sentences([]) == []
    with pytest.raises(TypeError, match="list of sentences"):
        score_sentences("Revenue rose.")
    with pytest.raises(TypeError):
        sentiment(["Revenue rose."])


_WORDS = st.sampled_from(
    "revenue costs loss margin rose fell narrowed widened not no but however may 5% EUR mn from to "
    "compared with a an the up down strong weak headwinds pressure ? , . ! ; great terrible".split()
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_WORDS, max_size=30).map(" ".join))
def test_any_word_salad_scores_in_range_and_the_same_both_ways(text):
    score = sentiment(text)
    assert -1.0 <= score <= 1.0
    assert explain_sentiment(text).score == pytest.approx(score)
    parts = split_sentences(text)
    if len(parts) == 1:
        assert score_sentences(parts) == [score]


def test_an_unpunctuated_monologue_is_scored_in_pieces():
    piece = " ".join(["revenue rose"] + ["and the team met"] * 24)  # 98 words, one positive rule
    text = " ".join([piece, "xx xx", piece, "xx xx", "costs rose sharply " + " ".join(["again"] * 97)])
    assert len(text.split()) == 300
    explained = explain_sentiment(text).sentences[0]
    assert explained.modifiers[0] == "long text: mean of 3 pieces of 100 words"
    assert [c.rule for c in explained.contributions] == ["more is good x up"] * 2 + ["more is bad x up"]
    assert explained.score == pytest.approx(sentiment("Revenue rose.") / 3)


def test_scores_stay_in_range():
    extreme = " ".join(["Revenue soared and profit doubled."] * 3 + ["Excellent!!!"])
    for s in score_sentences([extreme, "Bankruptcy, fraud, losses widened, terrible collapse."]):
        assert -1.0 <= s <= 1.0


# -- user lexicon files ----------------------------------------------------------------------


def test_user_file_extends_the_shipped_lexicon(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        '[words]\nbacklog = 1.5\n\n[metrics]\nmore_is_good = ["arpu"]\n\n[thresholds]\npositive = 0.5\n',
        encoding="utf-8",
    )
    text = "The backlog is large."
    assert sentiment(text) == 0.0
    assert sentiment(text, finance_lexicon=path) > 0
    assert sentiment("ARPU rose 4%.") == 0.0
    assert sentiment("ARPU rose 4%.", finance_lexicon=path) > 0
    lex = load_finance_lexicon(path)
    assert isinstance(lex, FinanceLexicon)
    assert lex.thresholds["positive"] == 0.5 and lex.thresholds["negative"] == -0.2
    assert "revenue" in lex.more_is_good  # shipped entries kept
    assert sentiment("Revenue rose.", finance_lexicon=lex) == sentiment("Revenue rose.")


def test_user_file_can_replace_the_shipped_lists(tmp_path):
    path = tmp_path / "alone.toml"
    path.write_text('replace = true\n[metrics]\nmore_is_good = ["arpu"]\n[directions]\nup = ["rose"]\n',
                    encoding="utf-8")
    assert sentiment("ARPU rose.", finance_lexicon=path) > 0
    assert sentiment("Revenue rose.", finance_lexicon=path) == 0.0
    # VADER's own lexicon stays underneath
    assert sentiment("An excellent quarter.", finance_lexicon=path) > 0


@pytest.mark.parametrize(
    "content,message",
    [
        ("[words\nfoo = 1\n", "not valid TOML"),
        ("[colours]\nred = 1\n", "unknown section [colours]"),
        ('[words]\nfoo = "high"\n', "[words] 'foo' must be a number"),
        ('[metrics]\nmore_is_good = "revenue"\n', "[metrics] more_is_good must be a list of strings"),
        ("[weights]\nspeed = 2\n", "unknown [weights] entry 'speed'"),
        ("[thresholds]\npositive = -0.5\n", "negative must be below positive"),
    ],
)
def test_malformed_user_file_is_a_lexicon_error(tmp_path, content, message):
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        sentiment("Revenue rose.", finance_lexicon=path)
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_missing_user_file_is_a_lexicon_error(tmp_path):
    with pytest.raises(LexiconError, match="file not found"):
        load_finance_lexicon(tmp_path / "none.toml")


def test_shipped_finance_lexicon_loads_and_is_consistent():
    lex = load_finance_lexicon()
    assert lex.sources and lex.sources[0].endswith("finance_sentiment.toml")
    assert not set(lex.more_is_good) & set(lex.more_is_bad)
    assert all(-4 <= v <= 4 for v in [*lex.words.values(), *lex.phrases.values()])
    assert not set(lex.up) & set(lex.down)


# -- theme tone ------------------------------------------------------------------------------


def test_theme_tones_cover_exactly_the_tagged_themes():
    from topictrack.themes import tag

    tones = theme_tones(TURN)
    assert set(tones) == set(tag(TURN))
    assert {"ai_demand", "chip_supply"} <= set(tones)
    assert tones["chip_supply"] < 0
    assert tones["ai_demand"] > 0
    assert theme_tones("The meeting takes place in Helsinki on Tuesday.") == {}


def test_theme_tone_reads_the_toned_sentences_that_name_the_theme():
    # the naming sentences win over those tagged from context; neutral ones do not dilute
    assert theme_tone([0.5, -0.4, 0.0], [True, False, True]) == (0.5, 1)
    # no sentence names the theme: every carrying sentence is used
    assert theme_tone([0.3, -0.1, 0.0], [False, False, False]) == (pytest.approx(0.1), 2)
    # nothing toned: neutral, with no toned sentence
    assert theme_tone([0.0, 0.0], [True, False]) == (0.0, 0)
    assert theme_tone([], []) == (0.0, 0)


def test_sentences_tagged_from_context_do_not_set_the_tone_of_bundled_turns():
    from topictrack.text import language
    from topictrack.themes import get_tagger
    from topictrack.transcripts import read_transcript

    checked = 0
    for path in _resources.sample_calls():
        for body in read_transcript(path).turns["text"]:
            sents = [s for s in split_sentences(body) if language(s) == "en"]
            if len(sents) < 2:
                continue
            tags, named = get_tagger().tag_sentences(sents, return_named=True)
            for theme in set().union(*tags):
                table = get_tagger().lexicon(theme).tone
                scores = [theme_sentence_score(s, x, table) for s, x in zip(score_sentences(sents), sents)]
                naming = [s for s, n in zip(scores, named) if theme in n and s != 0]
                context = [s for s, t, n in zip(scores, tags, named) if theme in t and theme not in n and s != 0]
                if naming and context:
                    # the sentences tagged only through their neighbours are left out of the tone
                    assert theme_tones(body)[theme] == pytest.approx(sum(naming) / len(naming))
                    checked += 1
    assert checked >= 5


def test_theme_tone_of_a_theme_no_english_sentence_carries_is_the_toned_mean_of_the_text():
    # DeepSeek is named only in the Chinese sentence; the English ones give the tone
    text = "DeepSeek发布以后，我们的推理需求明显增长。 Revenue grew strongly. We met in Beijing."
    assert theme_tones(text) == {"deepseek": pytest.approx(sentiment("Revenue grew strongly."))}


# -- bundled calls -----------------------------------------------------------------------------


def _call_sentences():
    for path in _resources.sample_calls():
        yield path.name, split_sentences(path.read_text(encoding="utf-8"))


def test_every_bundled_call_scores_deterministically():
    fresh = FinanceLexicon(**{k: v for k, v in vars(load_finance_lexicon()).items() if k != "_scorer"})
    for name, sents in _call_sentences():
        first = score_sentences(sents)
        assert len(first) == len(sents) > 20, name
        assert score_sentences(sents) == first, name
        assert score_sentences(sents, finance_lexicon=fresh) == first, name
        assert all(-1 <= s <= 1 for s in first)
        assert any(s > 0 for s in first) and any(s < 0 for s in first), name


def test_bundled_call_scores_do_not_depend_on_the_process():
    code = (
        "from topictrack import _resources; from topictrack.text import sentences; "
        "from topictrack.sentiment import score_sentences; "
        "print(repr([sum(score_sentences(sentences(p.read_text(encoding='utf-8')))) "
        "for p in _resources.sample_calls()]))"
    )
    runs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
        runs.add(out.stdout.strip())
    here = repr([sum(score_sentences(s)) for _, s in _call_sentences()])
    assert runs == {here}


# -- Loughran-McDonald --------------------------------------------------------------------------

LM_TEXT = "Profitable growth was strong, but the litigation loss may be uncertain and adverse."


def _check_lm(lm: LMDictionary):
    assert lm.counts(LM_TEXT) == {"lm_positive": 2, "lm_negative": 3, "lm_uncertainty": 2}
    assert lm.counts("") == {"lm_positive": 0, "lm_negative": 0, "lm_uncertainty": 0}


def test_lm_folder_of_category_csvs(tmp_path):
    (tmp_path / "Tiny_Positive.csv").write_text("PROFITABLE,2009\r\nSTRONG,2009\r\n", encoding="ascii")
    (tmp_path / "Tiny_Negative.csv").write_text("LITIGATION,2009\r\nLOSS,2009\r\nADVERSE,2009\r\n", encoding="ascii")
    (tmp_path / "Tiny_Uncertainty.csv").write_text("MAY,2009\r\nUNCERTAIN,2009\r\n", encoding="ascii")
    (tmp_path / "Tiny_Litigious.csv").write_text("LITIGATION,2009\r\n", encoding="ascii")
    _check_lm(load_lm_dictionary(tmp_path))


def test_lm_wordstat_cat_file(tmp_path):
    path = tmp_path / "tiny.cat.txt"
    path.write_text(
        "NEGATIVE\r\n\tLITIGATION (1)\r\n\tLOSS (1)\r\n\tADVERSE (1)\r\nPOSITIVE\r\n\tPROFITABLE (1)\r\n"
        "\tSTRONG (1)\r\nUNCERTAINTY\r\n\tMAY (1)\r\n\tUNCERTAIN (1)\r\nLITIGIOUS\r\n\tLAWSUIT (1)\r\n",
        encoding="ascii",
    )
    _check_lm(load_lm_dictionary(path))


def test_lm_master_csv(tmp_path):
    path = tmp_path / "master.csv"
    path.write_text(
        "Word,Negative,Positive,Uncertainty,Litigious\n"
        "PROFITABLE,0,2009,0,0\nSTRONG,0,2009,0,0\nLITIGATION,2009,0,0,2009\nLOSS,2009,0,0,0\n"
        "ADVERSE,2009,0,0,0\nMAY,0,0,2009,0\nUNCERTAIN,0,0,2009,0\nTABLE,0,0,0,0\n",
        encoding="ascii",
    )
    _check_lm(load_lm_dictionary(path))


def test_lm_errors_name_the_problem(tmp_path):
    with pytest.raises(LexiconError, match="not found"):
        load_lm_dictionary(tmp_path / "missing.cat")
    (tmp_path / "Only_Positive.csv").write_text("GOOD,2009\n", encoding="ascii")
    with pytest.raises(LexiconError, match="no negative words found"):
        load_lm_dictionary(tmp_path)
    empty = tmp_path / "empty_dir"
    empty.mkdir()
    with pytest.raises(LexiconError, match="no Loughran-McDonald lists"):
        load_lm_dictionary(empty)


# -- CLI ---------------------------------------------------------------------------------------


def test_cli_sentiment_prints_score_label_and_explanation():
    result = CliRunner().invoke(main, ["sentiment", "The net loss narrowed to USD 3 million."])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"score {sentiment('The net loss narrowed to USD 3 million.'):+.3f}  label positive")
    assert "more is bad x down" in result.output


def test_cli_sentiment_reads_a_file(tmp_path):
    path = tmp_path / "turn.txt"
    path.write_text(TURN, encoding="utf-8")
    result = CliRunner().invoke(main, ["sentiment", "--brief", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{sentiment(TURN):+.3f} {sentiment_label(TURN)}\n"


def test_cli_sentiment_bad_lexicon_is_a_one_line_error(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[colours]\nred = 1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["sentiment", "--finance-lexicon", str(path), "Revenue rose."])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {path}: unknown section [colours]")


def test_theme_tone_comes_from_english_sentences_only():
    english = "AI revenue grew strongly on surging demand for GPU computing."
    mixed = english + " 我们的AI收入增长非常快。"
    assert "ai_demand" in theme_tones(english)
    assert theme_tones(mixed)["ai_demand"] == pytest.approx(theme_tones(english)["ai_demand"])
    ai_demand = get_tagger().lexicon("ai_demand").tone
    assert theme_tones(mixed)["ai_demand"] == pytest.approx(theme_sentence_score(sentiment(english), english, ai_demand))

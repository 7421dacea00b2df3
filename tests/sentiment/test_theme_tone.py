"""Theme tone: a theme's own direction words, questions and plain mentions."""

from __future__ import annotations

import pytest

from topictrack.errors import LexiconError
from topictrack.pipeline import score
from topictrack.sentiment import score_label, theme_sentence_score, theme_tones, tone
from topictrack.text import is_question
from topictrack.themes import get_tagger
from topictrack.themes.lexicon import parse_lexicon

PRICING = get_tagger().lexicon("pricing_pressure").tone


def label(text: str, theme: str) -> str:
    tones = theme_tones(text)
    assert theme in tones, f"{theme} not tagged in {text!r}"
    return score_label(tones[theme])


# -- the [tone] table of a lexicon file -----------------------------------------------------

def test_the_longest_direction_entry_wins_so_a_bought_input_rising_in_price_is_unfavourable():
    assert PRICING.direction("We took a price increase in March.") == 1.0
    assert PRICING.direction("Memory price increases hit our gross margin.") == -1.0
    assert PRICING.direction("Higher memory pricing is a risk.") == -1.0
    assert PRICING.direction("Price increases offset the price competition.") == 0.0
    assert PRICING.direction("Revenue was up 4%.") is None


def test_direction_entries_match_whole_words():
    table = parse_lexicon(
        'description = "d"\nterms = ["buyback*"]\n[tone]\nunfavourable = ["paused"]\nfavourable = ["ASP"]\n', "b.toml"
    ).tone
    assert table.direction("We paused the buyback.") == -1.0
    assert table.direction("The unpaused programme and every aspect of it.") is None


@pytest.mark.parametrize("body, problem", [
    ('[tone]\nfavorable = ["up"]\n', "[tone] has unknown key 'favorable'; valid keys are default, favourable, unfavourable"),
    ('[tone]\ndefault = 2\n', "[tone] default 2 is invalid; expected a number from -1 to 1"),
    ('[tone]\ndefault = "high"\n', "[tone] default 'high' is invalid; expected a number from -1 to 1"),
    ('[tone]\nunfavourable = "cut"\n', "'unfavourable' must be a list of strings"),
    ('tone = 1\n', "'tone' must be a table written [tone]"),
])
def test_a_malformed_tone_table_is_refused_with_its_line(body, problem):
    text = 'description = "d"\nterms = ["buyback*"]\n' + body
    with pytest.raises(LexiconError) as info:
        parse_lexicon(text, "b.toml")
    assert problem in str(info.value)
    assert str(info.value).startswith("b.toml:")


# -- what a theme's tone reads ----------------------------------------------------------------

def test_a_seasonal_decline_is_unfavourable_though_the_sentence_also_names_growth():
    sentence = ("Sequentially, we expect revenue to be down about 5%, driven by a seasonal decline in our "
                "gaming segment, partially offset by strong growth in data center.")
    assert label(sentence, "seasonality") == "negative"


def test_a_price_the_company_charges_and_a_price_it_pays_point_opposite_ways():
    assert label("The pricing increase we took in March held across our end markets.", "pricing_pressure") == "positive"
    assert label("Increased memory pricing could hurt PC demand next year.", "pricing_pressure") == "negative"
    assert label("Competitors cut prices again and we matched them.", "pricing_pressure") == "negative"


def test_tight_chip_supply_is_unfavourable_and_secured_supply_favourable():
    assert label("Supply of GPUs remains tight and we are sold out for the year.", "chip_supply") == "negative"
    assert label("We have secured supply of GPUs for the whole year.", "chip_supply") == "positive"


def test_a_question_takes_no_stance_even_without_a_question_mark():
    assert label("How should we think about the terrific pricing environment in the second half.",
                 "pricing_pressure") == "neutral"
    assert label("Could you talk about the strong seasonal uplift you usually see in the fourth quarter?",
                 "seasonality") == "neutral"


def test_a_plain_mention_of_ai_demand_reads_as_the_theme_table_default():
    sentence = "We delivered two more AI training clusters to internet customers."
    assert tone(sentence) == 0.0
    default = get_tagger().lexicon("ai_demand").tone.default
    assert default > 0
    assert theme_tones(sentence)["ai_demand"] == pytest.approx(default)


def test_theme_sentence_score_without_a_table_keeps_the_score_except_for_questions():
    assert theme_sentence_score(0.4, "Revenue grew strongly.") == 0.4
    assert theme_sentence_score(0.4, "Did revenue grow strongly?") == 0.0


@pytest.mark.parametrize("sentence, asks", [
    ("Is there a potential demand disruption in the PC market?", True),
    ("And so, how do you think about pricing into next year.", True),
    ("I was curious if Q3 is typically the biggest quarter.", True),
    ("Can you talk about the supply situation", True),
    ("What we saw was strong demand across regions.", False),
    ("How we price is consistent across products.", False),
    ("Revenue grew 5% on higher volumes.", False),
])
def test_questions_are_told_by_wording_as_well_as_by_punctuation(sentence, asks):
    assert is_question(sentence) is asks


def test_a_user_theme_tone_table_sets_the_tone_column_of_the_scored_table(tmp_path):
    lexicons = tmp_path / "lexicons"
    lexicons.mkdir()
    (lexicons / "buybacks.toml").write_text(
        'description = "Share repurchases."\nterms = ["buyback*", "repurchase*"]\n'
        '[tone]\nunfavourable = ["paused", "suspended"]\n', encoding="utf-8")
    call = tmp_path / "acme_q1_2025.txt"
    call.write_text("Jane Doe -- CFO\nWe paused the buyback this quarter. Revenue grew nicely.\n", encoding="utf-8")
    table = score([call], lexicons=lexicons, cache=False)
    row = table[table["mentions_buybacks"] > 0].iloc[0]
    assert row["toned_buybacks"] == 1
    assert row["tone_buybacks"] == pytest.approx(-0.5)  # DIRECTION_WEIGHT of -1, the sentence itself 0.0


def test_a_user_tone_pattern_that_backtracks_is_left_out_with_one_line(caplog):
    from topictrack.themes.lexicon import left_out

    table_file = 'description = "d"\nterms = ["buyback*"]\n[tone]\nunfavourable = [\'(a|aa)+$\', "paused"]\n'
    lexicon = parse_lexicon(table_file, "b.toml")
    hostile = "We paused the buyback " + "a" * 60 + "!"
    assert lexicon.tone.direction(hostile) == -1.0  # "paused" still counts
    assert lexicon.tone.direction("The buyback went on.") is None
    (line,) = left_out([lexicon])
    assert line.startswith("b.toml:4: unfavourable entry '(a|aa)+$' ran over its time budget")
    # the shipped tables run on re: nothing of theirs is ever left out
    assert left_out(get_tagger().lexicons) == ()

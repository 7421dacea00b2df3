"""Theme tagging: ASR variants, exclusions, context, explanations, the turn and suggestion helpers."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from topictrack._resources import sample_calls
from topictrack.themes.training import corpus_sentences
from topictrack.cli import main
from topictrack.errors import ConfigError
from topictrack.themes import explain, get_tagger, suggest, tag, tag_turns, list_themes as themes

# Spelling and speech-recognition variants named in the labelling guide, in context.
ASR_VARIANTS = [
    ("After DeepSeq released R1, inference requests rose.", "deepseek"),
    ("Dipsy has changed how customers think about training.", "deepseek"),
    ("We integrated the Divsig model last month.", "deepseek"),
    ("The DeepSync open model is cheap to run.", "deepseek"),
    ("Customers moved to the G-Seq model for inference.", "deepseek"),
    ("We keep shrinking the CDM business this year.", "cdn_downsizing"),
    ("The chip band limits what we can buy.", "chip_supply"),
    ("Deliveries slowed around the Spring Festival.", "seasonality"),
]

# Text that looks like a theme but is not.
EXCLUSIONS = [
    ("Our share price rose 10% after the results.", "pricing_pressure"),
    ("Could you chip in on the outlook for the year?", "chip_supply"),
    ("Season's greetings to everyone on the call.", "seasonality"),
    ("This season's results were the best in our history.", "seasonality"),
    ("G-Seq is our internal ticket system.", "deepseek"),
]

# General phrasing from other companies' calls (not Kingsoft Cloud).
GENERAL = [
    ("Data center revenue grew strongly on demand for our AI accelerators.", "ai_demand"),
    ("New export controls restrict shipments of our H20 chips to China.", "chip_supply"),
    ("Our delivery business continues to decline as we de-emphasize legacy CDN services.", "cdn_downsizing"),
    ("Average selling prices fell as competition intensified.", "pricing_pressure"),
    ("The first quarter is typically our seasonally weakest quarter.", "seasonality"),
]

# A small call: the theme of the third sentence is only clear from the second.
TURNS = pd.DataFrame(
    {
        "turn": [0, 1, 2],
        "text": [
            "Good morning and welcome to the call.",
            "Export restrictions limited our GPU procurement this year. "
            "So we deepened our cooperation with Made in China computing resources.",
            "Our share price is not something we comment on.",
        ],
    }
)


@pytest.mark.parametrize("text,theme", ASR_VARIANTS)
def test_asr_and_spelling_variants_are_tagged(text, theme):
    assert theme in tag(text)
    assert theme in tag(text, method="lexicon")


@pytest.mark.parametrize("text,theme", EXCLUSIONS)
def test_look_alikes_are_not_tagged(text, theme):
    assert theme not in tag(text)


@pytest.mark.parametrize("text,theme", GENERAL)
def test_general_phrasing_of_other_companies_is_tagged(text, theme):
    assert set(tag(text)) == {theme}


def test_tag_returns_confidences_in_the_unit_interval_and_empty_for_no_theme():
    tags = tag("AI revenue doubled. Price competition in GPU leasing is fierce.")
    assert set(tags) == {"ai_demand", "pricing_pressure"}
    assert all(0 < c <= 1 for c in tags.values())
    assert tag("Good morning, everyone, and welcome.") == {}
    assert tag("") == {}
    with pytest.raises(TypeError):
        tag(["AI revenue doubled."])


def test_tag_sentences_keeps_one_result_per_sentence_and_rejects_a_str():
    tagger = get_tagger()
    out = tagger.tag_sentences(["AI revenue doubled.", "Thank you.", "Prices fell."])
    assert [sorted(x) for x in out] == [["ai_demand"], [], ["pricing_pressure"]]
    assert tagger.tag_sentences([]) == []
    with pytest.raises(TypeError):
        tagger.tag_sentences("AI revenue doubled.")


def test_neighbours_give_context_only_within_a_group():
    sentences = [
        "Export restrictions limited our GPU procurement this year.",
        "So we deepened our cooperation with Made in China computing resources.",
    ]
    tagger = get_tagger()
    together = tagger.tag_sentences(sentences, groups=[1, 1])
    apart = tagger.tag_sentences(sentences, groups=[1, 2])
    assert "chip_supply" in together[1]
    assert "chip_supply" not in apart[1]
    assert get_tagger(method="lexicon").tag_sentences(sentences)[1] == {}


def test_classifier_catches_what_no_keyword_names_in_a_bundled_call():
    texts, groups = corpus_sentences([p for p in sample_calls() if p.name.startswith("003_")])
    wanted = {
        "Made in China Computing Resources": "chip_supply",
        "So the price is different.": "pricing_pressure",
        "distilled model, smaller models": "deepseek",
    }
    combined = get_tagger().tag_sentences(texts, groups=groups)
    lexicon_only = get_tagger(method="lexicon").tag_sentences(texts, groups=groups)
    for phrase, theme in wanted.items():
        row = next(i for i, t in enumerate(texts) if phrase in t)
        assert theme in combined[row], phrase
    assert not any(
        theme in lexicon_only[next(i for i, t in enumerate(texts) if phrase in t)]
        for phrase, theme in list(wanted.items())[:2]
    )


def test_a_neighbour_decides_only_a_sentence_that_holds_an_ambiguous_term():
    # "margin" is no ambiguous term of cdn_downsizing: the EBITDA sentence before the one on
    # business-structure adjustment stays untagged although the classifier leans to it
    texts, groups = corpus_sentences([p for p in sample_calls() if p.name.startswith("003_")])
    tags = get_tagger().tag_sentences(texts, groups=groups)
    ebitda = next(i for i, t in enumerate(texts) if t.startswith("Our non-GAAP EBITDA margin achieved 16.2%"))
    assert "cdn_downsizing" in tags[ebitda + 1]
    assert "cdn_downsizing" not in tags[ebitda]
    probability = get_tagger().model.predict_proba([texts[ebitda], texts[ebitda + 1]])
    assert probability[0][list(get_tagger().model.classes_).index("cdn_downsizing")] >= 0.4
    # a sentence on something else after a pricing sentence: no ambiguous term, no tag
    text = ["We cut the price of GPU rentals by a third this quarter.", "Our EBITDA margin reached 16%."]
    assert get_tagger().tag_sentences(text, groups=[0, 0])[1] == {}


def test_explain_names_terms_exclusions_features_and_sentences():
    text = "Our share price rose. Price competition in GPU leasing intensified. Thank you."
    result = explain(text, "pricing_pressure")
    assert result.theme == "pricing_pressure"
    assert result.confidence == tag(text)["pricing_pressure"]
    assert [s.index for s in result.sentences] == [1]
    assert "price competition" in result.terms
    assert result.sentences[0].probability is not None and result.features
    assert any(name == "competition" or "price" in name for name, _ in result.sentences[0].features)
    assert [s.excluded for s in result.near_misses if s.index == 0] == [["share price"]]
    report = str(result)
    assert "carried by" in report and "terms: price competition" in report and "excluded: share price" in report


def test_explain_of_an_absent_theme_and_an_unknown_theme():
    result = explain("Good morning.", "deepseek")
    assert result.confidence == 0.0 and result.sentences == []
    assert "no sentence carries this theme" in str(result)
    with pytest.raises(ConfigError, match="theme 'esg' is unknown; known themes: ai_demand"):
        explain("Good morning.", "esg")


def test_tag_turns_keeps_per_sentence_evidence():
    rows = tag_turns(TURNS)
    assert list(rows.columns) == ["turn", "sentence", "theme", "confidence", "text"]
    chip = rows[rows["theme"] == "chip_supply"]
    assert chip["turn"].tolist() == [1, 1]
    assert chip["sentence"].tolist() == [0, 1]
    assert set(rows["turn"]) == {1}  # turns give each other no context
    assert "pricing_pressure" not in rows["theme"].tolist()


def test_suggest_ranks_uncovered_terms_with_two_examples():
    table = suggest("chip_supply", n=10)
    assert list(table.columns) == ["term", "score", "sentences", "elsewhere", "example_1", "example_2"]
    assert len(table) == 10
    assert table["score"].is_monotonic_decreasing
    assert (table["sentences"] >= 2).all()
    for row in table.itertuples():
        assert row.example_1 and row.example_2 and row.example_1 != row.example_2
        assert row.term.split()[0] in row.example_1.lower()
    assert "export control" not in table["term"].tolist()


def test_unknown_method_is_a_config_error():
    with pytest.raises(ConfigError, match="method 'fancy' is invalid"):
        get_tagger(method="fancy")


def test_cli_tag_prints_turns_with_themes():
    path = str(sample_calls()[0])
    result = CliRunner().invoke(main, ["tag", path, "--evidence"])
    assert result.exit_code == 0, result.output
    assert "ai_demand" in result.output
    assert result.output.splitlines()[0].lstrip().startswith("0 ")


def test_cli_suggest_and_unknown_theme():
    result = CliRunner().invoke(main, ["suggest", "seasonality", "-n", "2"])
    assert result.exit_code == 0, result.output
    assert result.output.count("score=") == 2
    assert result.output.count("    - ") == 4
    bad = CliRunner().invoke(main, ["suggest", "esg"])
    assert bad.exit_code == 1
    assert bad.output.startswith("Error: theme 'esg' is unknown; known themes: ")


def test_themes_lists_the_defaults():
    assert themes() == ["ai_demand", "cdn_downsizing", "chip_supply", "deepseek", "pricing_pressure", "seasonality"]


# Sentences of other companies' calls that name no theme although they hold a theme's word.
NOT_A_THEME = [
    ("We looked at all aspects of the business.", "pricing_pressure"),
    ("Our EPYC processors continued to drive CPU server share gains in the quarter.", "cdn_downsizing"),
    ("Restructuring charges related to the downsizing of the Essen, Germany facility were $4 million.",
     "cdn_downsizing"),
    ("We continued to invest in our rural delivery network.", "cdn_downsizing"),
    ("Blackwell delivered record performance in pretraining and post-training.", "deepseek"),
    ("We sold our coal tar distillation facility in China.", "deepseek"),
    ("These actions reflect a more capital-efficient model.", "deepseek"),
    ("We are using AI to improve our product supply chain and inventory management.", "chip_supply"),
    ("We manage an annual R&D budget of about $2 billion.", "seasonality"),
    ("In Gaming, revenue grew on strong demand for AMD Radeon GPUs.", "ai_demand"),
    ("Offsetting these were higher loans held for sale yields on higher mortgage rates.", "cdn_downsizing"),
    ("We made strategic adjustments to our sales team in the quarter.", "cdn_downsizing"),
    ("We opened hotels in each of our clusters, and our model lets us staff efficiently in low demand.",
     "ai_demand"),
    ("Future office demand will come from life science fields where our markets have a clustering advantage.",
     "ai_demand"),
    ("Before the ban, Australia was exporting about 10% of the softwood logs imported by China.", "chip_supply"),
    ("Pork exports set a record in March due to African swine fever outbreaks in China.", "chip_supply"),
]

# Sentences of other companies' calls that do discuss a theme in their own words.
THEME_IN_OTHER_WORDS = [
    ("We expect supply constraints to be the headwind to Gaming.", "chip_supply"),
    ("We completed our business strategy adjustments in the first half. We now have a healthier business mix.",
     "cdn_downsizing"),
    ("We saw a major shift from the traditional IaaS business to the AI cloud.", "cdn_downsizing"),
    ("We expect tightness in the supply for our advanced architectures to persist.", "chip_supply"),
    ("Small amounts of H200 products for China-based customers were approved.", "chip_supply"),
    ("Supply is unable to keep up with demand for all of these components globally.", "chip_supply"),
    ("We expect the delivery revenue to decline in mid-single digits.", "cdn_downsizing"),
    ("We delivered several large GPU clusters to model developers this quarter.", "ai_demand"),
    ("New export controls on shipments to China require a licence for our H20.", "chip_supply"),
]


@pytest.mark.parametrize("text,theme", NOT_A_THEME)
def test_a_themes_word_in_another_sense_is_not_tagged(text, theme):
    assert tag(text) == {}, theme


@pytest.mark.parametrize("text,theme", THEME_IN_OTHER_WORDS)
def test_a_theme_said_in_other_words_is_tagged(text, theme):
    assert set(tag(text)) == {theme}
    assert set(tag(text, method="lexicon")) == {theme}


def test_asp_is_a_word_not_the_start_of_aspect():
    assert "pricing_pressure" not in tag("Every aspect of the quarter went well; we are aspiring to more.")
    assert "pricing_pressure" in tag("ASPs rose 8% as mix shifted to premium drives.", method="lexicon")
    # alone, "ASP" may be another abbreviation: it needs a price or change word beside it
    assert "pricing_pressure" not in tag("Our ASP partners resell the software.", method="lexicon")


def test_an_ambiguous_term_counts_only_with_its_context_in_reach():
    sentences = ["Supply constraints remain our main concern.", "We still cannot get enough GPUs."]
    tagger = get_tagger(method="lexicon")
    assert "chip_supply" in tagger.tag_sentences(sentences, groups=[1, 1])[0]
    assert "chip_supply" not in tagger.tag_sentences(sentences, groups=[1, 2])[0]
    assert tagger.tag_sentences(["Supply constraints remain our main concern."]) == [{}]
    result = explain(" ".join(sentences), "chip_supply")
    carrying = next(s for s in result.sentences if s.index == 0)
    assert any("(context)" in term and "GPU" in term for term in carrying.terms)


# One sentence names seasonality; the others only mention quarters.
QUARTER_TALK = [
    "We expect the fourth quarter to carry higher cash expense.",
    "Our Asian strip business will see its usual seasonal slowdown in the fourth quarter.",
    "We also expect a tax benefit of $7 million in the fourth quarter.",
    "Capacity should return to normal levels in the first quarter.",
]


def test_one_naming_sentence_does_not_make_a_run_of_neighbours_count():
    named = get_tagger(method="lexicon").tag_sentences(QUARTER_TALK)
    assert [("seasonality" in t) for t in named] == [False, True, False, False]
    tags = get_tagger().tag_sentences(QUARTER_TALK)
    assert "seasonality" in tags[1]
    assert sum("seasonality" in t for t in tags) <= 2  # the naming sentence and at most one it decides
    for sentences in (
        ["We raised prices by 5% in March.", "Volumes held up well in the quarter.", "We opened ten new stores.",
         "Our teams executed well.", "Inventory ended the quarter in good shape."],
        ["AI revenue doubled year over year.", "Gross margin was 45%.", "We repurchased $200 million of stock.",
         "Headcount was flat."],
    ):
        tags = get_tagger().tag_sentences(sentences)
        assert tags[0] and not any(tags[1:]), sentences

"""The TF-IDF theme classifier: estimator conventions, deterministic training, the shipped model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from sklearn.base import clone

from topictrack._resources import resource_dir
from topictrack.themes.classifier import ThemeClassifier, neighbour_matrix
from topictrack.themes.training import train, training_set
from topictrack.cli import main
from topictrack.errors import ModelError

SHIPPED = resource_dir() / "theme_model.json"

SENTENCES = [
    "AI revenue doubled on strong GPU demand.",
    "Inference demand from model makers kept growing.",
    "Prices for GPU leasing fell sharply.",
    "A price war among cloud vendors cut margins.",
    "Thank you for joining the call.",
    "Next question, please.",
]
LABELS = [["ai_demand"], ["ai_demand"], ["pricing_pressure"], ["pricing_pressure"], [], []]


def small_model(**params) -> ThemeClassifier:
    return ThemeClassifier(min_df=1, **params).fit(SENTENCES, LABELS)


def test_init_is_keyword_only_and_only_stores_parameters():
    with pytest.raises(TypeError):
        ThemeClassifier(["a"])  # noqa
    model = ThemeClassifier(C=-1.0, ngram_range=(3, 1))  # checked in fit, not here
    assert model.get_params()["C"] == -1.0
    assert not hasattr(model, "coef_")
    assert clone(model).get_params() == model.get_params()


def test_fit_sets_attributes_ending_in_underscore_and_feature_names():
    model = small_model()
    assert list(model.classes_) == ["ai_demand", "pricing_pressure"]
    names = model.get_feature_names_out()
    assert len(names) == len(model.vocabulary_) == model.coef_.shape[1] == len(model.idf_)
    assert "gpu" in names and "price war" in names
    assert model.coef_.shape == (2, len(names)) and model.intercept_.shape == (2,)


def test_predictions_are_multi_label_one_column_per_theme():
    model = small_model(context_weight=0.0)
    probs = model.predict_proba(["GPU demand for AI keeps growing.", "Prices fell in a price war.", "Thanks."])
    assert probs.shape == (3, 2)
    assert np.argmax(probs[0]) == 0 and np.argmax(probs[1]) == 1
    assert model.predict(["GPU demand for AI keeps growing."]).shape == (1, 2)


@pytest.mark.parametrize(
    "params,message",
    [
        ({"C": -1.0}, "C=-1.0 is invalid; expected a positive number"),
        ({"ngram_range": (2, 1)}, "ngram_range=(2, 1) is invalid"),
        ({"context_weight": 2.0}, "context_weight=2.0 is invalid; expected 0 to 1"),
        ({"threshold": 1.0}, "threshold=1.0 is invalid"),
    ],
)
def test_fit_validates_parameters(params, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ThemeClassifier(min_df=1, **params).fit(SENTENCES, LABELS)


def test_fit_validates_inputs():
    with pytest.raises(ValueError, match="an iterable over texts .* got a single str"):
        ThemeClassifier().fit("AI revenue doubled.", [["ai_demand"]])
    with pytest.raises(ValueError, match="Y has 1 label sets for 6 texts"):
        ThemeClassifier(min_df=1).fit(SENTENCES, [["ai_demand"]])
    with pytest.raises(ValueError, match="theme 'deepseek' has 0 positive sentences out of 6"):
        ThemeClassifier(min_df=1, classes=["ai_demand", "deepseek", "pricing_pressure"]).fit(SENTENCES, LABELS)
    with pytest.raises(ValueError, match="Y names themes not in classes: pricing_pressure"):
        ThemeClassifier(min_df=1, classes=["ai_demand"]).fit(SENTENCES, LABELS)


def test_unfitted_model_raises_model_error():
    with pytest.raises(ModelError, match="not fitted"):
        ThemeClassifier().predict_proba(["AI revenue doubled."])


def test_neighbour_matrix_respects_groups_and_window():
    near = neighbour_matrix(4, [1, 1, 1, 2], window=2, decay=0.5).toarray()
    assert near.tolist() == [
        [0.0, 1.0, 0.5, 0.0],
        [1.0, 0.0, 1.0, 0.0],
        [0.5, 1.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0],
    ]


def test_save_and_load_round_trip(tmp_path):
    model = small_model()
    path = model.save(tmp_path / "m.json")
    again = ThemeClassifier.load(path)
    assert again.get_params() == {**model.get_params(), "classes": ["ai_demand", "pricing_pressure"]}
    np.testing.assert_array_equal(again.predict_proba(SENTENCES), model.predict_proba(SENTENCES))


def test_malformed_model_files_raise_model_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="the theme model is not valid JSON"):
        ThemeClassifier.load(bad)
    bad.write_text(json.dumps({"format": "something else"}), encoding="utf-8")
    with pytest.raises(ModelError, match="not a topictrack theme model"):
        ThemeClassifier.load(bad)


def test_training_set_uses_lexicon_matches_and_examples():
    texts, labels, groups, weights = training_set()
    assert len(texts) == len(labels) == len(groups) == len(weights)
    row = texts.index("Export restrictions on advanced GPUs limited how many cards we could procure this quarter.")
    assert "chip_supply" in labels[row] and weights[row] > 1
    deepseq = next(i for i, t in enumerate(texts) if "DeepSeq" in t)
    assert "deepseek" in labels[deepseq] and weights[deepseq] == 1.0


def test_training_text_is_read_by_the_transcript_reader(tmp_path):
    from topictrack.themes.training import corpus_sentences

    fixture = Path(__file__).parents[1] / "fixtures" / "motley_fool_like.json"
    texts, groups = corpus_sentences([fixture])
    # the speeches, not the JSON around them; one group per turn
    assert not any('"speaker"' in t or '"speech"' in t or t.startswith("{") for t in texts)
    assert "Sales rose 9% to $610 million as packaging demand from e-commerce stayed strong." in texts
    assert groups == sorted(groups) and len(set(groups)) > 3
    # a file the reader rejects is skipped; the others still train
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert corpus_sentences([empty, fixture]) == (texts, groups)


def test_training_is_deterministic_and_reproduces_the_shipped_model(tmp_path):
    first = train().to_dict()
    second = train().to_dict()
    assert first == second
    path = ThemeClassifier.from_dict(first).save(tmp_path / "model.json")
    assert path.read_bytes() == SHIPPED.read_bytes()


def test_cli_train_writes_the_shipped_model(tmp_path):
    out = tmp_path / "model.json"
    result = CliRunner().invoke(main, ["train", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == SHIPPED.read_bytes()


def test_training_with_a_user_theme_and_using_it(tmp_path):
    folder = tmp_path / "lex"
    folder.mkdir()
    (folder / "esg.toml").write_text(
        'description = "Environmental topics."\nterms = ["carbon", "emissions"]\n'
        'examples = ["We cut carbon emissions by a fifth.", "Our emissions targets are on track."]\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["train", "--lexicons", str(folder), "-o", str(folder / "theme_model.json")])
    assert result.exit_code == 0, result.output
    model = ThemeClassifier.load(folder / "theme_model.json")
    assert "esg" in list(model.classes_)
    from topictrack.themes import get_tagger

    tagger = get_tagger(folder)
    assert tagger.model is not None and "esg" in list(tagger.model.classes_)
    assert "esg" in tagger.tag("Carbon emissions fell.")


def test_a_model_trained_for_a_users_theme_leaves_the_shipped_themes_tags_unchanged(tmp_path):
    from topictrack._resources import sample_calls
    from topictrack.themes.training import corpus_sentences
    from topictrack.themes import get_tagger

    folder = tmp_path / "lex"
    folder.mkdir()
    (folder / "esg.toml").write_text(
        'description = "Environmental topics."\nterms = ["carbon", "emissions", "renewable"]\n'
        'examples = ["We cut carbon emissions by a fifth.", "All our data centers run on renewable power."]\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["train", "--lexicons", str(folder), "-o", str(folder / "theme_model.json")])
    assert result.exit_code == 0, result.output
    texts, groups = corpus_sentences(sample_calls())
    shipped = get_tagger().tag_sentences(texts, groups=groups)
    with_user_theme = get_tagger(folder).tag_sentences(texts, groups=groups)
    assert [{t: c for t, c in tags.items() if t != "esg"} for tags in with_user_theme] == shipped
    assert get_tagger(folder).model_for("esg") is not None
    assert get_tagger(folder).model_for("ai_demand") is get_tagger().model_for("ai_demand")

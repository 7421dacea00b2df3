"""A theme model rewritten in place (``topictrack train -o DIR/theme_model.json`` run again) is
the model the next tagger uses, in the same process."""

from __future__ import annotations

import os
import shutil

import numpy as np

from topictrack import _resources
from topictrack.themes import MODEL_FILE, ThemeClassifier, get_tagger, load_model


def _save_shifted(source: ThemeClassifier, path, shift: float, stamp_ns: int) -> None:
    model = ThemeClassifier.from_dict(source.to_dict())
    model.intercept_ = model.intercept_ + shift
    model.save(path)
    os.utime(path, ns=(stamp_ns, stamp_ns))  # two saves within one clock tick still differ


def test_tagger_uses_the_model_saved_last_into_the_same_file(tmp_path):
    folder = tmp_path / "lexicons"
    shutil.copytree(_resources.lexicon_dir(), folder, ignore=shutil.ignore_patterns("__init__.py"))
    shipped = ThemeClassifier.load(_resources.resource_dir() / MODEL_FILE)
    model_path = folder / MODEL_FILE
    _save_shifted(shipped, model_path, 1.0, 1_000_000_000_000_000_000)
    first = get_tagger(folder).model
    assert np.allclose(first.intercept_, shipped.intercept_ + 1.0)

    _save_shifted(shipped, model_path, -2.0, 1_000_000_002_000_000_000)
    second = get_tagger(folder).model
    assert np.allclose(second.intercept_, shipped.intercept_ - 2.0)
    assert load_model(model_path) is second


def test_predicting_writes_nothing_onto_the_estimator():
    model = ThemeClassifier.load(_resources.resource_dir() / MODEL_FILE)
    before = set(vars(model))
    model.predict_proba(["GPU supply stays tight.", "Demand for AI servers doubled."])
    model.proba_and_own_evidence(["Prices fell again."])
    assert set(vars(model)) == before


def test_the_matchers_word_table_stays_bounded_and_tags_the_same(monkeypatch):
    from topictrack.themes import ThemeTagger, matcher

    texts = [f"Demand for AI servers rose in region{i} as GPU supply{i} stayed tight." for i in range(60)]
    shipped = get_tagger()
    unbounded = ThemeTagger(shipped.lexicons, shipped.model)
    wanted = [unbounded.tag_sentences([t]) for t in texts]
    monkeypatch.setattr(matcher.LexiconMatcher, "MAX_WORDS", 40)
    bounded = ThemeTagger(shipped.lexicons, shipped.model)
    assert [bounded.tag_sentences([t]) for t in texts] == wanted
    assert bounded._matcher.n_words <= 40 and bounded._matcher.generation > 0
    assert unbounded._matcher.n_words > 100

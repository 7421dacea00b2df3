"""The NumPy theme model gives the scikit-learn classifier's probabilities bit for bit, on
both of its routes (NumPy alone for small batches, SciPy's sparse products for large ones),
and tagging a first sentence loads neither scikit-learn nor SciPy."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from topictrack import _resources, text
from topictrack.themes import MODEL_FILE, ThemeClassifier, ThemeModel
from topictrack.themes import model as _model


@pytest.fixture(scope="module")
def calls():
    out = []
    for path in _resources.sample_calls():
        found = text.sentences(path.read_text(encoding="utf-8"))
        out.append((found, [i // 9 for i in range(len(found))]))
    return out


@pytest.mark.parametrize("route", ["numpy", "sparse"])
def test_both_routes_equal_the_classifier_exactly(calls, route, monkeypatch):
    path = _resources.resource_dir() / MODEL_FILE
    classifier = ThemeClassifier.load(path)
    model = ThemeModel.load(path)
    monkeypatch.setattr(_model, "SPARSE_FROM", 10**9 if route == "numpy" else 1)
    batches = [*calls, (calls[0][0][:5], None), (["Revenue grew."], None), ([], None),
               (["GPU supply is tight.", "So is DeepSeek demand.", "Thanks."], [1, 1, 2])]
    for sentences, groups in batches:
        want = classifier.proba_and_own_evidence(sentences, groups=groups)
        got = model.proba_and_own_evidence(sentences, groups=groups)
        assert got[0].shape == want[0].shape
        assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])


@pytest.mark.parametrize("share", [0.0, 0.05, 0.3, 1.0])
def test_scoring_only_the_wanted_sentences_gives_their_numbers_exactly(calls, share):
    model = ThemeModel.load(_resources.resource_dir() / MODEL_FILE)
    rng = np.random.default_rng(7)
    lone = ["GPU supply is tight.", "Chip supply and AI demand rose.", "Thanks."] * 20
    for sentences, groups in [*calls, (lone, None), (lone, [i // 2 for i in range(len(lone))]),
                              (["Thanks."] * 60, None)]:
        wanted = rng.random(len(sentences)) < share
        full = model.proba_and_own_evidence(sentences, groups=groups)
        part = model.proba_and_own_evidence(sentences, groups=groups, wanted=wanted)
        for a, b in zip(full, part):
            assert a.dtype == b.dtype and a.shape == b.shape
            assert np.array_equal(a[wanted], b[wanted])


def test_first_answers_load_no_scikit_learn_scipy_or_pandas():
    code = (
        "import sys, topictrack; "
        "themes = topictrack.tag('After DeepSeq R1 came out, inference demand jumped.'); "
        "label = topictrack.sentiment_label('Revenue rose.'); "
        "from topictrack.sentiment import explain_text_or_file; explain_text_or_file('Revenue rose.'); "
        "heavy = [m for m in ('sklearn', 'scipy', 'pandas') if m in sys.modules]; "
        "print(sorted(themes), label, ','.join(heavy) or '-')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["['ai_demand',", "'deepseek']", "positive", "-"]


def test_nltk_is_whole_when_imported_after_a_split():
    code = (
        "import sys; from topictrack import text; text.sentences('Mr. Lee spoke. Sales rose.'); "
        "print('nltk' in sys.modules); import nltk; print(callable(nltk.word_tokenize))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


@pytest.mark.parametrize("wanted_at", [slice(0, 5), slice(58, 62)])
def test_wanted_sentences_far_from_the_ones_that_set_the_order_get_their_numbers_exactly(wanted_at):
    model = ThemeModel.load(_resources.resource_dir() / MODEL_FILE)
    sentences = ["Thanks."] * 60 + ["GPU supply is tight.", "Chip supply and AI demand rose."]
    wanted = np.zeros(len(sentences), dtype=bool)
    wanted[wanted_at] = True
    for groups in (None, [i // 3 for i in range(len(sentences))]):
        full = model.proba_and_own_evidence(sentences, groups=groups)
        part = model.proba_and_own_evidence(sentences, groups=groups, wanted=wanted)
        for a, b in zip(full, part):
            assert np.array_equal(a[wanted], b[wanted])

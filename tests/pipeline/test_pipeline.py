"""Scoring: the scored turn table, its columns and values, the cache and the `score` command."""

from __future__ import annotations

import multiprocessing
import os
import shutil

import pandas as pd
import pytest
from click.testing import CliRunner

from topictrack import pipeline, text
from topictrack.pipeline import sink
from topictrack._resources import sample_calls
from topictrack.cli import main
from topictrack.themes import list_themes as themes
from topictrack.transcripts import read_transcript

# A short call in "Name: text" lines; the buyback sentences carry the user theme below.
BUYBACK_CALL = """\
Operator: Good morning and welcome to the Acme Robotics first quarter 2025 earnings call.
Jane Doe: Thank you. Revenue grew 20% year over year, driven by strong demand for AI servers.
Jane Doe: We also expanded our share buyback program by $500 million. The buyback will run through 2026.
John Smith: Thanks. Could you talk about pricing pressure from competitors?
Jane Doe: Pricing stayed stable this quarter and we see no material impact on margins.
"""

BUYBACK_LEXICON = """\
name = "buybacks"
description = "Share repurchases and capital returned to shareholders."
terms = ["buyback*", "share repurchase*"]
"""

LM_CSV = """\
Word,Negative,Positive,Uncertainty
GROWTH,0,2009,0
STRONG,0,2009,0
PRESSURE,2009,0,0
IMPACT,0,0,0
MAY,0,0,2009
"""


@pytest.fixture(scope="module")
def bundled():
    """The bundled calls scored once, in this process, without cache."""
    return pipeline.run(sample_calls(), jobs=1, cache=False)


@pytest.fixture()
def corpus(tmp_path):
    """A folder with two bundled calls (a transcript and a summary)."""
    folder = tmp_path / "calls"
    folder.mkdir()
    for path in sample_calls():
        if path.name.startswith(("003", "000")):
            shutil.copy(path, folder / path.name)
    return folder


def test_bundled_calls_score_without_failures_into_the_documented_columns(bundled):
    table = bundled.table
    assert bundled.failures.empty
    assert list(table.columns) == pipeline.columns(themes())
    assert bundled.n_calls == 4 and bundled.n_rows == len(table)
    for theme in themes():
        assert {f"conf_{theme}", f"mentions_{theme}", f"tone_{theme}", f"quote_{theme}"} <= set(table.columns)


def test_one_row_per_turn_in_input_order(bundled):
    table = bundled.table
    paths = [str(p) for p in sample_calls()]
    assert table["path"].drop_duplicates().tolist() == paths
    for path, rows in table.groupby("path", sort=False):
        turns = read_transcript(path).turns
        assert rows["turn"].tolist() == turns["turn"].tolist()
        assert rows["text"].tolist() == turns["text"].tolist()
        assert rows["role"].tolist() == turns["role"].tolist()
    # call_id: one per call, the same for every turn of it, and derived from the file's bytes
    assert table.groupby("path")["call_id"].nunique().eq(1).all()
    assert table["call_id"].nunique() == 4


def test_call_metadata_comes_from_the_reader(bundled):
    table = bundled.table
    by_call = table.drop_duplicates("path").set_index("path")
    for path in sample_calls():
        call = read_transcript(path)
        row = by_call.loc[str(path)]
        assert (row["company"], row["period"], row["kind"], row["source_format"]) == (
            call.company, call.period, call.kind, call.source_format)
    assert set(table["company"]) == {"Kingsoft Cloud"}
    assert set(table["period"]) == {"2024Q4", "2025Q1", "2025Q2"}


def test_dtypes_are_fixed(bundled):
    dtypes = bundled.table.dtypes
    assert dtypes["turn"] == "int64" and dtypes["n_sentences"] == "int64"
    assert str(dtypes["duplicate_of"]) == "Int64"
    assert dtypes["counted"] == bool and dtypes["boilerplate"] == bool
    assert dtypes["sentiment"] == "float64"
    for theme in themes():
        assert dtypes[f"mentions_{theme}"] == "int64"
        assert dtypes[f"conf_{theme}"] == "float64"


def test_counted_excludes_boilerplate_duplicates_and_chinese(bundled):
    table = bundled.table
    expected = ~table["boilerplate"] & table["duplicate_of"].isna() & (table["language"] != "zh")
    assert table["counted"].tolist() == expected.tolist()
    # the interpreted calls do have duplicates and boilerplate, so the rule is exercised
    assert table["duplicate_of"].notna().any() and table["boilerplate"].any()
    assert (table.loc[table["language"] == "zh", "n_sentences"] == 0).all()


def test_sentence_counts_and_words_follow_the_splitter(bundled):
    table = bundled.table
    english = table[table["language"] == "en"]
    for body, n, words in zip(english["text"], english["n_sentences"], english["n_words"]):
        found = text.sentences(body)
        assert n == len(found)
        assert words == sum(len(s.split()) for s in found)


def test_theme_columns_agree_with_each_other(bundled):
    table = bundled.table
    for theme in themes():
        mentions = table[f"mentions_{theme}"]
        has = mentions > 0
        assert (table.loc[has, f"conf_{theme}"] > 0).all() and (table.loc[has, f"conf_{theme}"] <= 1).all()
        assert (table.loc[~has, f"conf_{theme}"] == 0).all()
        assert table.loc[has, f"quote_{theme}"].notna().all()
        assert table.loc[~has, f"quote_{theme}"].isna().all()
        assert table.loc[~has, f"tone_{theme}"].isna().all()
        assert table.loc[has, f"tone_{theme}"].between(-1, 1).all()
        assert (mentions <= table["n_sentences"]).all()
        listed = table["themes"].str.split(";").apply(lambda names: theme in names)
        assert listed.tolist() == has.tolist()
        # every quote is one of the turn's sentences
        for body, quote in zip(table.loc[has, "text"], table.loc[has, f"quote_{theme}"]):
            assert quote in text.sentences(body)
        toned = table[f"toned_{theme}"]
        assert ((toned >= 0) & (toned <= mentions)).all()
        assert (table.loc[has & (toned == 0), f"tone_{theme}"] == 0).all()
    # the bundled calls are about AI demand: the theme must be found
    assert table["mentions_ai_demand"].sum() > 20


def test_turn_sentiment_is_the_mean_of_its_sentence_scores(bundled):
    from topictrack.sentiment import score_sentences

    table = bundled.table
    sample = table[table["n_sentences"] > 0].head(25)
    for body, value in zip(sample["text"], sample["sentiment"]):
        scores = score_sentences(text.sentences(body))
        assert value == pytest.approx(sum(scores) / len(scores))
    assert table.loc[table["n_sentences"] == 0, "sentiment"].isna().all()


def test_theme_tone_of_a_turn_follows_the_sentences_that_name_the_theme(bundled):
    from topictrack.sentiment import score_sentences, theme_sentence_score
    from topictrack.themes import get_tagger

    table = bundled.table
    turns = table[table["mentions_ai_demand"] > 0].head(30)
    assert len(turns) == 30
    tone_table = get_tagger().lexicon("ai_demand").tone
    for body, tone, toned in zip(turns["text"], turns["tone_ai_demand"], turns["toned_ai_demand"]):
        found = text.sentences(body)
        tags, named = get_tagger().tag_sentences(found, groups=[0] * len(found), return_named=True)
        scores = [theme_sentence_score(s, x, tone_table) for s, x in zip(score_sentences(found), found)]
        naming = [s for s, n in zip(scores, named) if "ai_demand" in n]
        carrying = [s for s, t in zip(scores, tags) if "ai_demand" in t]
        voiced = [s for s in (naming or carrying) if s != 0.0]
        assert toned == len(voiced)
        assert tone == pytest.approx(sum(voiced) / len(voiced) if voiced else 0.0)


def test_score_call_gives_the_rows_of_run(bundled):
    path = sample_calls()[2]
    one = pipeline.score_call(read_transcript(path))
    rows = bundled.table[bundled.table["path"] == str(path)].reset_index(drop=True)
    pd.testing.assert_frame_equal(one, rows)


def test_a_user_theme_gets_its_columns_and_is_found(tmp_path):
    lexicons = tmp_path / "lexicons"
    lexicons.mkdir()
    (lexicons / "buybacks.toml").write_text(BUYBACK_LEXICON, encoding="utf-8")
    call = tmp_path / "acme_q1_2025.txt"
    call.write_text(BUYBACK_CALL, encoding="utf-8")
    result = pipeline.run([call], lexicons=lexicons, jobs=1, cache=False)
    table = result.table
    assert result.failures.empty
    assert "mentions_buybacks" in table.columns and "quote_buybacks" in table.columns
    assert table["mentions_buybacks"].sum() == 2
    quotes = table["quote_buybacks"].dropna().tolist()
    assert quotes == ["We also expanded our share buyback program by $500 million."]
    for theme in themes():  # the shipped themes are still there
        assert f"mentions_{theme}" in table.columns


def test_lm_dictionary_adds_counts(tmp_path):
    lm = tmp_path / "lm.csv"
    lm.write_text(LM_CSV, encoding="utf-8")
    call = tmp_path / "acme_q1_2025.txt"
    call.write_text(BUYBACK_CALL, encoding="utf-8")
    table = pipeline.run([call], lm_dictionary=lm, jobs=1, cache=False).table
    assert list(table.columns[-3:]) == ["lm_positive", "lm_negative", "lm_uncertainty"]
    assert table["lm_positive"].sum() >= 1  # "strong"
    assert table["lm_negative"].sum() >= 1  # "pressure"
    assert (table[["lm_positive", "lm_negative", "lm_uncertainty"]].dtypes == "int64").all()


def test_score_command_takes_an_lm_folder_of_category_lists(tmp_path):
    folder = tmp_path / "lm"
    folder.mkdir()
    for category, words in (("Positive", "STRONG"), ("Negative", "PRESSURE"), ("Uncertainty", "MAY")):
        (folder / f"LM_{category}.csv").write_text(words + ",2009\n", encoding="ascii")
    call = tmp_path / "acme_q1_2025.txt"
    call.write_text(BUYBACK_CALL, encoding="utf-8")
    out = tmp_path / "scored.parquet"
    result = CliRunner().invoke(main, ["score", str(call), "-o", str(out), "--lm-dictionary",
                                       str(folder), "--no-cache", "-q", "-j", "1"])
    assert result.exit_code == 0, result.output
    table = pd.read_parquet(out)
    assert table["lm_positive"].sum() >= 1 and table["lm_negative"].sum() >= 1


def test_same_input_gives_an_identical_table_whatever_the_jobs(bundled, tmp_path):
    again = pipeline.run(sample_calls(), jobs=2, cache=False)
    pd.testing.assert_frame_equal(again.table, bundled.table)


def test_cache_serves_unchanged_files_and_rescores_changed_ones(corpus, tmp_path):
    cache = tmp_path / "cache"
    first = pipeline.run(corpus, jobs=1, cache=cache)
    assert (first.n_calls, first.n_cached) == (2, 0)
    second = pipeline.run(corpus, jobs=1, cache=cache)
    assert (second.n_calls, second.n_cached) == (2, 2)
    pd.testing.assert_frame_equal(second.table, first.table)

    changed = sorted(corpus.iterdir())[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nWe expect demand for AI to keep growing.\n",
                       encoding="utf-8")
    third = pipeline.run(corpus, jobs=1, cache=cache)
    assert (third.n_calls, third.n_cached) == (2, 1)
    new_rows = third.table[third.table["path"] == str(changed)]
    assert new_rows["text"].str.contains("keep growing").any()


def test_cache_is_keyed_by_overrides_and_lexicons(corpus, tmp_path):
    cache = tmp_path / "cache"
    pipeline.run(corpus, jobs=1, cache=cache)
    renamed = pipeline.run(corpus, jobs=1, cache=cache, company="Acme")
    assert renamed.n_cached == 0 and set(renamed.table["company"]) == {"Acme"}
    lexicons = tmp_path / "lexicons"
    lexicons.mkdir()
    (lexicons / "buybacks.toml").write_text(BUYBACK_LEXICON, encoding="utf-8")
    extra = pipeline.run(corpus, jobs=1, cache=cache, lexicons=lexicons)
    assert extra.n_cached == 0 and "mentions_buybacks" in extra.table.columns
    warm = pipeline.run(corpus, jobs=1, cache=cache, lexicons=lexicons)
    assert warm.n_cached == 2
    pd.testing.assert_frame_equal(warm.table, extra.table)


def test_a_damaged_cache_entry_is_scored_again(corpus, tmp_path):
    cache = tmp_path / "cache"
    first = pipeline.run(corpus, jobs=1, cache=cache)
    entries = sorted(cache.rglob("*.json"))
    assert len(entries) == 2
    entries[0].write_bytes(entries[0].read_bytes()[:20])
    second = pipeline.run(corpus, jobs=1, cache=cache)
    assert second.n_cached == 1
    pd.testing.assert_frame_equal(second.table, first.table)


def test_manifest_overrides_metadata(corpus, tmp_path):
    name = sorted(corpus.iterdir())[0].name
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(f"path,company,period,date\n{name},Acme Cloud,2023Q3,2023-10-01\n", encoding="utf-8")
    cache = tmp_path / "cache"
    pipeline.run(corpus, jobs=1, cache=cache)
    result = pipeline.run(corpus, manifest=manifest, jobs=1, cache=cache)
    assert result.n_cached == 1  # only the file the manifest names is read again
    table = result.table
    row = table[table["path"].str.endswith(name)].iloc[0]
    assert (row["company"], row["period"], row["date"]) == ("Acme Cloud", "2023Q3", "2023-10-01")
    other = table[~table["path"].str.endswith(name)].iloc[0]
    assert other["company"] == "Kingsoft Cloud"


def test_score_command_writes_parquet_that_round_trips(corpus, tmp_path):
    out = tmp_path / "scored.parquet"
    result = CliRunner().invoke(main, ["score", str(corpus), "-o", str(out), "--no-cache", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "Scored 2 call(s)" in result.output
    back = pd.read_parquet(out)
    expected = pipeline.run(corpus, jobs=1, cache=False).table
    pd.testing.assert_frame_equal(back, expected)


def test_report_reads_the_scored_parquet(corpus, tmp_path):
    out = tmp_path / "scored.parquet"
    assert CliRunner().invoke(main, ["score", str(corpus), "-o", str(out), "--no-cache", "-q"]).exit_code == 0
    result = CliRunner().invoke(main, ["report", "--from", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "ai_demand" in result.output


def test_parquet_written_in_several_row_groups_equals_the_table(corpus, tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    monkeypatch.setattr(sink, "_ROWS_PER_GROUP", 10)
    out = tmp_path / "scored.parquet"
    result = pipeline.run(corpus, jobs=1, cache=False, output=out)
    assert result.table is None and result.n_rows > 20
    assert pq.ParquetFile(out).num_row_groups > 1
    pd.testing.assert_frame_equal(pd.read_parquet(out), pipeline.run(corpus, jobs=1, cache=False).table)


def test_score_command_lists_failures_and_exits_1(corpus, tmp_path):
    (corpus / "empty.txt").write_bytes(b"")
    out = tmp_path / "scored.parquet"
    result = CliRunner().invoke(main, ["score", str(corpus), "-o", str(out), "--no-cache", "-j", "1"])
    assert result.exit_code == 1
    assert f"Failed: {corpus / 'empty.txt'}: " in result.output
    assert pd.read_parquet(out)["path"].nunique() == 2


def test_score_command_rejects_cache_with_no_cache(corpus, tmp_path):
    result = CliRunner().invoke(main, ["score", str(corpus), "-o", str(tmp_path / "x.parquet"),
                                       "--cache", str(tmp_path), "--no-cache"])
    assert result.exit_code == 2
    assert "--cache and --no-cache cannot be combined" in result.output


def test_scheduler_without_dask_engine_is_an_error(corpus, tmp_path):
    result = CliRunner().invoke(main, ["score", str(corpus), "-o", str(tmp_path / "x.parquet"),
                                       "--scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: --scheduler is for the dask engine; add --engine dask"


def test_missing_input_is_a_failure_not_a_crash(corpus, tmp_path):
    result = pipeline.run([corpus, tmp_path / "nope.txt"], jobs=1, cache=False)
    assert result.failures.values.tolist() == [[str(tmp_path / "nope.txt"), "no such file or directory"]]
    assert result.n_calls == 2


def test_score_returns_only_the_table(corpus):
    table = pipeline.score(corpus, jobs=1, cache=False)
    assert isinstance(table, pd.DataFrame) and table["path"].nunique() == 2
    assert list(table.columns) == pipeline.columns(themes())


def test_score_command_on_an_empty_folder_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(main, ["score", str(tmp_path / "empty"), "-o", str(tmp_path / "x.parquet")])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: no transcript files found in {tmp_path / 'empty'}"


_LOADED: list[int] = []


def _remember_process() -> None:
    _LOADED.append(os.getpid())


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                    reason="workers are forked only where the platform forks")
def test_forked_workers_start_with_what_the_parent_loaded():
    from topictrack.pipeline.engines import LocalEngine

    _LOADED.clear()
    assert list(LocalEngine(2).imap(abs, [-1, -2, 3], initializer=_remember_process)) == [1, 2, 3]
    assert _LOADED == [os.getpid()]  # run once, here; the workers' own runs happen in them

"""`topictrack report` and `topictrack evidence` through click's CliRunner: formats, options, errors."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from click.testing import CliRunner

from topictrack import _resources, pipeline
from topictrack.cli import main
from topictrack.report import CSV_COLUMNS
from topictrack.trends import COLUMNS

Q1_CALL = "003_c69c00136ce7fc6e.txt"
Q4_CALL = "004_2f1f5559a71d1853.txt"


def run(*args):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def bundled_json():
    result = run("report", "--format", "json")
    assert result.exit_code == 0, result.output
    return result.stdout


def sample(name):
    return next(p for p in _resources.sample_calls() if p.name == name)


def test_json_on_the_bundled_calls_is_a_list_of_records(bundled_json):
    records = json.loads(bundled_json)["trends"]
    assert isinstance(records, list) and len(records) == 24  # 2 series x 2 periods x 6 themes
    assert all(list(r) == COLUMNS for r in records)
    season = next(r for r in records if r["kind"] == "transcript" and r["period"] == "2025Q1"
                  and r["theme"] == "seasonality")
    assert season["trend"] == "new" and season["previous_period"] == "2024Q4"


def test_json_is_byte_identical_across_runs_cold_and_warm(bundled_json, tmp_path, monkeypatch):
    monkeypatch.setenv("TOPICTRACK_CACHE_DIR", str(tmp_path / "fresh"))  # cold: nothing cached
    cold = run("report", "--format", "json")
    warm = run("report", "--format", "json")
    assert cold.exit_code == warm.exit_code == 0
    assert cold.stdout_bytes == warm.stdout_bytes == bundled_json.encode("utf-8")


def test_default_format_is_a_table_for_a_100_column_terminal():
    result = run("report")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Kingsoft Cloud · call transcripts · 2024Q4 → 2025Q1"
    assert "Kingsoft Cloud · analyst summaries · 2025Q1 → 2025Q2" in lines
    assert max(len(line) for line in lines) <= 100
    assert "seasonality          0.0% –          3.8% -0.35  +" in lines  # + marks new
    assert "cdn_downsizing       2.9% +0.68      0.4% +0.51* ↓" in lines  # * marks a tone of < 3 sentences


def test_markdown_format():
    result = run("report", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Theme trends\n")
    assert "| Theme | 2024Q4 | 2025Q1 |" in result.stdout


def test_csv_format():
    result = run("report", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == CSV_COLUMNS and [r["table"] for r in rows].count("trends") == 24
    phrases = [r for r in rows if r["table"] == "new_phrases"]
    assert len(phrases) == 10 and {r["period"] for r in phrases} == {"2025Q1", "2025Q2"}  # 5 each
    assert all(r["phrase"] and r["quote"] and r["theme"] == "" for r in phrases)


def test_html_format_to_a_file(tmp_path):
    target = tmp_path / "report.html"
    result = run("report", "--format", "html", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"Wrote {target}\n"
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    for needle in ("<script src", "<link", "http://", "https://", "@import", "url("):
        assert needle not in page, needle


def test_paths_company_and_folders(tmp_path):
    folder = tmp_path / "calls" / "nested"
    folder.mkdir(parents=True)
    shutil.copy(sample(Q1_CALL), folder / Q1_CALL)
    shutil.copy(sample(Q4_CALL), tmp_path / "calls" / Q4_CALL)
    result = run("report", str(tmp_path / "calls"), "--set-company", "Acme Cloud", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert "## Acme Cloud — call transcripts" in result.stdout
    assert "analyst summaries" not in result.stdout


def test_manifest_sets_periods_and_calls_of_one_period_aggregate(tmp_path):
    for name in ("a.txt", "b.txt", "c.txt"):
        shutil.copy(sample(Q1_CALL), tmp_path / name)
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,company,period,date\na.txt,Kingsoft Cloud,2025Q1,\n"
                        "b.txt,Kingsoft Cloud,2025Q2,\nc.txt,Kingsoft Cloud,2025Q2,\n", encoding="utf-8")
    files = [str(tmp_path / n) for n in ("a.txt", "b.txt", "c.txt")]
    result = run("report", *files, "--manifest", str(manifest), "--format", "json")
    assert result.exit_code == 0, result.output
    records = [r for r in json.loads(result.stdout)["trends"] if r["period"] == "2025Q2"]
    assert {r["calls"] for r in records} == {2}
    # the same call twice: shares and tones unchanged, so every trend is steady (or absent)
    assert {r["trend"] for r in records} <= {"steady", "absent"}
    assert all(r["delta_share"] == 0.0 for r in records)


def test_report_from_a_scored_parquet_matches_scoring_the_calls(tmp_path, bundled_json):
    scored = pipeline.score(_resources.sample_calls(), cache=False, jobs=1)
    scored.to_parquet(tmp_path / "scored.parquet")
    result = run("report", "--from", str(tmp_path / "scored.parquet"), "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stdout == bundled_json


def test_unknown_format_is_a_usage_error():
    result = run("report", "--format", "pdf")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--format': 'pdf' is not one of "
        "'table', 'markdown', 'json', 'csv', 'html'.")


def test_empty_folder(tmp_path):
    result = run("report", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == f"Error: no transcript files found in {tmp_path}\n"
    assert result.stdout == ""


def test_missing_path():
    result = run("report", "no/such/folder")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '[PATHS]...': Path 'no/such/folder' does not exist.")


def test_from_cannot_be_combined_with_paths(tmp_path):
    (tmp_path / "scored.parquet").write_bytes(b"PAR1")
    result = run("report", str(tmp_path), "--from", str(tmp_path / "scored.parquet"))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: --from reads an already scored table; it cannot be combined with PATHS, "
        "--set-company, --manifest or --lexicons")


def test_from_a_file_that_is_not_a_scored_table(tmp_path):
    bad = tmp_path / "scored.parquet"
    bad.write_text("hello", encoding="utf-8")
    result = run("report", "--from", str(bad))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {bad}: not a scored table (")


def test_a_bad_file_is_listed_and_the_rest_reported(tmp_path):
    shutil.copy(sample(Q1_CALL), tmp_path / Q1_CALL)
    (tmp_path / "broken.txt").write_bytes(b"\x00\x01\x02\x03" * 64)
    result = run("report", str(tmp_path), "--format", "markdown")
    assert result.exit_code == 1
    assert "## Kingsoft Cloud — call transcripts" in result.stdout
    assert result.stderr.startswith(f"Failed: {tmp_path / 'broken.txt'}: ")


def test_only_bad_files(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    result = run("report", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "Error: none of the 1 input file(s) could be read"


def test_evidence_on_the_bundled_calls():
    result = run("evidence", "seasonality", "--period", "2025Q1")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("seasonality · Kingsoft Cloud · call transcripts · 2025Q1 (")
    assert "Henry Hu (management), prepared, turn " in text
    assert "seasonality · Kingsoft Cloud · analyst summaries · 2025Q1 (" in text
    assert "2024Q4" not in text


def test_evidence_unknown_theme():
    result = run("evidence", "buybacks")
    assert result.exit_code == 1
    assert result.stderr == ("Error: unknown theme 'buybacks'; known themes: ai_demand, "
                             "cdn_downsizing, chip_supply, deepseek, pricing_pressure, seasonality\n")


def test_evidence_bad_and_absent_periods():
    result = run("evidence", "deepseek", "--period", "Q5 2025")
    assert result.exit_code == 1
    assert result.stderr == ("Error: period 'Q5 2025' is invalid; expected a year and quarter "
                             "such as 2025Q1\n")
    result = run("evidence", "deepseek", "--period", "2023Q1")
    assert result.exit_code == 1
    assert result.stderr == ("Error: period '2023Q1' has no calls; periods present: "
                             "2024Q4, 2025Q1, 2025Q2\n")


def test_help_texts():
    for command in ("report", "evidence"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert "bundled sample calls" in " ".join(result.stdout.split())


XIAOMI_LEXICON = '''name = "xiaomi_ecosystem"
description = "Revenue and projects from the Xiaomi and Kingsoft ecosystem."
terms = ["Xiaomi", "Kingsoft ecosystem", "ecosystem revenue"]
'''


def test_a_user_lexicon_adds_a_theme_to_every_format(tmp_path):
    (tmp_path / "xiaomi_ecosystem.toml").write_text(XIAOMI_LEXICON, encoding="utf-8")
    result = run("report", "--lexicons", str(tmp_path), "--format", "json")
    assert result.exit_code == 0, result.output
    rows = [r for r in json.loads(result.stdout)["trends"] if r["theme"] == "xiaomi_ecosystem"]
    assert len(rows) == 4 and all(r["mentions"] > 0 for r in rows)
    assert any(r["quote"] and "Xiaomi" in r["quote"] for r in rows)
    shown = run("evidence", "xiaomi_ecosystem", "--lexicons", str(tmp_path), "--period", "2025Q1")
    assert shown.exit_code == 0 and "Xiaomi" in shown.stdout


def test_calls_without_a_company_are_reported_but_not_trended(tmp_path):
    (tmp_path / "a.txt").write_text(
        "Operator: Welcome to the second quarter 2024 earnings call.\n"
        "Jane Doe: Pricing pressure eased and our margins improved this quarter.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        "Operator: Welcome to the first quarter 2025 earnings call.\n"
        "Mary Major: A seasonal slowdown around Chinese New Year weighed on revenue.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["report", str(tmp_path), "--format", "markdown"])
    assert result.exit_code == 0, result.output
    assert "## Unknown company" in result.output
    assert "not trended" in result.output
    assert not any(word in result.output for word in ("**new**", "**gone**", "**absent**"))

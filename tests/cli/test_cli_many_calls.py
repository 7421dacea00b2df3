"""`report`, `evidence`, `explain` and `suggest` on many calls of several companies: filters, every
period, the overview, new phrases, progress, the cache options and the error cases."""

from __future__ import annotations

import json
import subprocess
import sys

import click.testing
import pytest
from click.testing import CliRunner

from topictrack.cli import main

_OPEN = "Operator: Good morning, and welcome to the {company} {quarter} earnings call. Please go ahead.\n"


def _quarter(period: str) -> str:
    return f"Q{period[-1]} {period[:4]}"
_STEADY = (
    "Martha Quill: Demand for AI servers grew strongly and customers expanded their clusters.\n"
    "Martha Quill: Our warehouse robots shipped on time and service revenue rose.\n"
    "Dev Anand: Could you talk about pricing in the warehouse robot market?\n"
    "Martha Quill: Prices held steady and our margins improved.\n"
)
_SHORTAGE = (
    "Martha Quill: A shortage of lidar sensors and of GPU chips held back shipments of our robots.\n"
    "Martha Quill: The lidar sensor shortage, like the GPU chip shortage, should ease next year.\n"
    "Dev Anand: How long will the lidar sensor shortage last?\n"
    "Martha Quill: GPU supply also remained tight and the chip shortage limited shipments.\n"
)
HARBOR = ["2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1"]
KESTREL = ["2025Q3", "2025Q4"]


@pytest.fixture(scope="module")
def calls(tmp_path_factory):
    """Five calls of Harbor Robotics (the third with a sensor shortage) and two of Kestrel Cloud."""
    folder = tmp_path_factory.mktemp("calls")
    rows = ["path,company,period,date"]
    for period in HARBOR:
        (folder / f"harbor_{period}.txt").write_text(
            _OPEN.format(company="Harbor Robotics", quarter=_quarter(period)) + _STEADY + (_SHORTAGE if period == "2025Q3" else ""), encoding="utf-8")
        rows.append(f"harbor_{period}.txt,Harbor Robotics,{period},")
    for period in KESTREL:
        (folder / f"kestrel_{period}.txt").write_text(
            _OPEN.format(company="Kestrel Cloud", quarter=_quarter(period)) + "Ann Lee: Demand for AI training clusters doubled and GPU supply stayed tight.\n"
            + ("Ann Lee: Price competition in GPU leasing intensified.\n" if period == "2025Q4" else ""),
            encoding="utf-8")
        rows.append(f"kestrel_{period}.txt,Kestrel Cloud,{period},")
    manifest = tmp_path_factory.mktemp("manifest") / "manifest.csv"
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder, manifest


def run(*args, **kwargs):
    return CliRunner().invoke(main, list(args), **kwargs)


def report(calls, *args):
    folder, manifest = calls
    return run("report", *sorted(str(p) for p in folder.glob("*.txt")), "--manifest", str(manifest), *args)


def test_company_filters_case_insensitively_and_is_repeatable(calls):
    one = report(calls, "--company", "harbor robotics", "--format", "json")
    assert one.exit_code == 0, one.output
    assert {r["company"] for r in json.loads(one.stdout)["trends"]} == {"Harbor Robotics"}
    both = report(calls, "--company", "HARBOR ROBOTICS", "--company", "kestrel cloud", "--format", "json")
    assert {r["company"] for r in json.loads(both.stdout)["trends"]} == {"Harbor Robotics", "Kestrel Cloud"}


def test_an_unknown_company_is_an_error_naming_those_present(calls):
    result = report(calls, "--company", "Acme")
    assert result.exit_code == 1
    assert result.stderr == ("Error: company 'Acme' is not in the calls; companies present: "
                             "Harbor Robotics, Kestrel Cloud\n")
    assert result.stdout == ""


def test_set_company_relabels_every_call(calls):
    result = report(calls, "--set-company", "Acme", "--format", "json", "--phrases", "0")
    assert result.exit_code == 0, result.output
    assert {r["company"] for r in json.loads(result.stdout)["trends"]} == {"Acme"}


def test_markdown_shows_every_period_oldest_first_with_the_trend_beside_each_change(calls):
    result = report(calls, "--company", "Harbor Robotics", "--format", "markdown")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "| Theme | 2025Q1 | 2025Q2 | 2025Q3 | 2025Q4 | 2026Q1 |" in lines
    chip = next(line for line in lines if line.startswith("| chip_supply |"))
    cells = chip.strip("|").split(" | ")[1:]
    assert cells[0] == "0.0% (no mentions)"  # the first period has no trend
    assert cells[1] == "0.0% (no mentions)<br>*absent*"
    assert cells[2].startswith("**") and "<br>*new* +" in cells[2]
    assert cells[3] == "0.0% (no mentions)<br>*gone* -37.5 pts [-69.4, +17.0]"
    assert "## All companies" not in result.stdout  # one company: no overview


def test_last_keeps_the_latest_periods_and_their_trends(calls):
    result = report(calls, "--company", "Harbor Robotics", "--format", "markdown", "--last", "2")
    assert result.exit_code == 0, result.output
    assert "| Theme | 2025Q4 | 2026Q1 |" in result.stdout.splitlines()
    chip = next(line for line in result.stdout.splitlines() if line.startswith("| chip_supply |"))
    assert chip.split(" | ")[1] == "0.0% (no mentions)<br>*gone* -37.5 pts [-69.4, +17.0]"
    bad = report(calls, "--last", "0")
    assert bad.exit_code == 2 and "Invalid value for '--last'" in bad.stderr


def test_the_overview_comes_first_for_several_companies(calls):
    result = report(calls, "--format", "markdown")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.index("## All companies — 7 call transcripts of 2 companies") < text.index("## Harbor Robotics")
    lines = text.splitlines()
    assert "| Theme | 2025Q1 | 2025Q2 | 2025Q3 | 2025Q4 | 2026Q1 |" in lines
    chip = next(line for line in lines if line.startswith("| chip_supply | "))
    assert chip.split(" | ")[3:5] == ["2/2 · 36.4%", "1/2 · 16.7%"]  # 2025Q3 and 2025Q4
    table = report(calls)
    assert table.stdout.startswith("All companies · call transcripts · 7 calls of 2 companies\n")


def test_new_phrases_in_every_format(calls):
    markdown = report(calls, "--company", "Harbor Robotics", "--format", "markdown").stdout
    row = next(line for line in markdown.splitlines() if line.startswith("| 2025Q3 | **lidar"))
    assert "| 3 (0 in 2025Q1–2025Q2) |" in row and "Martha Quill (management)" in row
    table = report(calls, "--company", "Harbor Robotics").stdout
    assert "New phrases 2025Q3 vs 2025Q1–2025Q2 (sentences using it: now / before):" in table
    document = json.loads(report(calls, "--format", "json").stdout)
    lidar = next(r for r in document["new_phrases"] if r["phrase"].startswith("lidar"))
    assert lidar["company"] == "Harbor Robotics" and lidar["period"] == "2025Q3" and lidar["count"] == 3
    assert "lidar" in lidar["quote"].lower()
    csv_text = report(calls, "--format", "csv").stdout
    assert any(line.startswith("new_phrases,Harbor Robotics,transcript,2025Q3,") and ",lidar" in line
               for line in csv_text.splitlines())
    page = report(calls, "--format", "html").stdout
    assert '<table class="phrases">' in page and ">lidar" in page
    assert '<a href="#harbor-robotics-transcript">Harbor Robotics</a>' in page  # contents of many series
    assert '<section class="series" id="harbor-robotics-transcript">' in page
    harbor = [r for r in document["new_phrases"] if r["company"] == "Harbor Robotics"]
    named = json.loads(report(calls, "--format", "json", "--company", "harbor robotics").stdout)
    assert named["new_phrases"] == harbor  # the prior is every call read, whichever are shown
    none = report(calls, "--format", "json", "--phrases", "0")
    assert json.loads(none.stdout)["new_phrases"] == []


def test_progress_bar_on_stderr_when_it_is_a_terminal(calls, monkeypatch, tmp_path):
    monkeypatch.setenv("TOPICTRACK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(click.testing._NamedTextIOWrapper, "isatty", lambda self: True, raising=False)
    shown = report(calls, "--format", "json")
    assert shown.exit_code == 0, shown.output
    assert "scoring: 100%" in shown.stderr and "7/7" in shown.stderr
    assert "new phrases: 100%" in shown.stderr
    quiet = report(calls, "--format", "json", "-q")
    assert quiet.stderr == ""
    assert quiet.stdout == shown.stdout


def test_no_cache_writes_no_cache_and_help_says_where_the_cache_is(calls, monkeypatch, tmp_path):
    cache = tmp_path / "cache"
    monkeypatch.setenv("TOPICTRACK_CACHE_DIR", str(cache))
    result = report(calls, "--format", "json", "--no-cache", "--phrases", "0")
    assert result.exit_code == 0, result.output
    assert not cache.exists()
    cached = report(calls, "--format", "json", "--phrases", "0")
    assert cached.stdout == result.stdout and cache.is_dir() and any(cache.rglob("*"))
    both = report(calls, "--no-cache", "--cache", str(tmp_path / "other"))
    assert both.exit_code == 2 and both.stderr.splitlines()[-1] == (
        "Error: --cache and --no-cache cannot be combined")
    for command in ("report", "evidence", "score"):
        text = " ".join(run(command, "--help").stdout.split())
        assert "--no-cache Score every file again; read and write no cache." in text, command
        assert ("(default: $TOPICTRACK_CACHE_DIR, else $XDG_CACHE_HOME/topictrack, else "
                "~/.cache/topictrack)") in text, command


def test_evidence_filters_companies_too(calls):
    folder, manifest = calls
    result = run("evidence", "chip_supply", str(folder), "--manifest", str(manifest),
                 "--company", "kestrel cloud", "--period", "2025Q4")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "chip_supply · Kestrel Cloud · call transcripts · 2025Q4 (1 turn)"


def test_explain_on_the_command_line_prints_what_python_returns(tmp_path):
    import topictrack

    sentence = "Price competition in GPU leasing intensified."
    result = run("explain", sentence, "--theme", "pricing_pressure")
    assert result.exit_code == 0, result.output
    assert result.stdout == str(topictrack.explain(sentence, "pricing_pressure")) + "\n"
    assert result.stdout.startswith("pricing_pressure: confidence ")
    path = tmp_path / "note.txt"
    path.write_text(sentence + "\n", encoding="utf-8")
    assert run("explain", str(path), "--theme", "pricing_pressure").stdout == result.stdout
    unknown = run("explain", sentence, "--theme", "esg")
    assert unknown.exit_code == 1 and unknown.stderr.startswith("Error: theme 'esg' is unknown")
    missing = run("explain", str(tmp_path / "none.txt"), "--theme", "pricing_pressure")
    assert missing.exit_code == 1 and missing.stderr == f"Error: {tmp_path / 'none.txt'}: no such file\n"
    no_theme = run("explain", sentence)
    assert no_theme.exit_code == 2 and "Missing option '--theme'" in no_theme.stderr


def test_python_m_topictrack_cli_runs_the_command():
    result = subprocess.run([sys.executable, "-m", "topictrack.cli", "report", "-q", "--phrases", "0"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Kingsoft Cloud · call transcripts · 2024Q4 → 2025Q1\n")


def test_score_of_a_missing_path_is_a_usage_error_and_writes_nothing(tmp_path):
    target = tmp_path / "x.parquet"
    result = run("score", str(tmp_path / "nonexistent"), "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: Invalid value for 'PATHS...': Path '{tmp_path / 'nonexistent'}' does not exist.")
    assert not target.exists()


def test_suggest_takes_new_phrases_that_carry_the_theme(calls):
    folder, _ = calls
    result = run("suggest", "chip_supply", str(folder), "-n", "3", "--new-phrases", "-q")
    assert result.exit_code == 0, result.output
    new = [line for line in result.stdout.splitlines() if "  new in " in line]
    assert new and all(line.split("  new in ")[1].startswith("Harbor ") for line in new), result.stdout
    assert any(line.startswith("lidar") for line in new)
    plain = run("suggest", "chip_supply", str(folder), "-n", "3")
    assert "new in" not in plain.stdout

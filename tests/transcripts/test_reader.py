"""Reading transcripts: every layout on real files, metadata, cleaning columns, bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from topictrack.transcripts import metadata as _metadata
from topictrack.transcripts.decode import MAX_FILE_BYTES
from topictrack._resources import sample_calls
from topictrack.cli import main
from topictrack.errors import (
    BinaryFileError,
    ConfigError,
    EmptyTranscriptError,
    EncodingError,
    FileTooLargeError,
    TranscriptError,
    UnknownFormatError,
)
from topictrack.transcripts import (
    TURN_COLUMNS,
    expand_paths,
    load_manifest,
    read_transcript,
    read_transcripts,
    turns_table,
)

FIXTURES = Path(__file__).parents[1] / "fixtures"
SEEDS = {p.name[:3]: p for p in sample_calls()}

# (seed prefix) -> (kind, source_format, period, date)
SEED_EXPECTED = {
    "000": ("summary", "summary", "2025Q2", None),
    "001": ("summary", "summary", "2025Q1", None),
    "003": ("transcript", "speaker_blocks", "2025Q1", None),
    "004": ("transcript", "unlabelled", "2024Q4", "2025-03-19"),
}

TRADITIONAL_CALL = (
    "主持人：歡迎參加金山雲二零二五年第一季度業績電話會議。\n"
    "管理層：本季度我們的人工智能業務收入同比增長超過百分之二百，公有雲收入達到十三點五億元。\n"
    "分析師：請問管理層如何看待明年的資本開支和晶片供應？謝謝。\n"
)
CHINESE_CALL = (
    "主持人：欢迎参加金山云二零二五年第一季度业绩电话会议。\n"
    "管理层：本季度我们的人工智能业务收入同比增长超过百分之二百，公有云收入达到十三点五亿元。\n"
    "分析师：请问管理层如何看待明年的资本开支和芯片供应？谢谢。\n"
)


@pytest.fixture(scope="module")
def seeds():
    return {key: read_transcript(path) for key, path in SEEDS.items()}


# ----------------------------------------------------------------- seeds (real calls)


@pytest.mark.parametrize("key", sorted(SEED_EXPECTED))
def test_seed_metadata(seeds, key):
    call = seeds[key]
    kind, fmt, period, date = SEED_EXPECTED[key]
    assert (call.company, call.kind, call.source_format, call.period, call.date) == (
        "Kingsoft Cloud", kind, fmt, period, date)


def test_seed_metadata_does_not_depend_on_file_names(tmp_path):
    copies = {}
    for i, (key, path) in enumerate(sorted(SEEDS.items())):
        copies[key] = tmp_path / f"call_{i}.txt"
        shutil.copyfile(path, copies[key])
    for key, path in copies.items():
        call = read_transcript(path)
        kind, fmt, period, _ = SEED_EXPECTED[key]
        assert (call.company, call.period, call.kind, call.source_format) == (
            "Kingsoft Cloud", period, kind, fmt), key


def test_turns_frame_has_documented_columns_and_types(seeds):
    for call in seeds.values():
        frame = call.turns
        assert list(frame.columns) == TURN_COLUMNS
        assert frame["turn"].tolist() == list(range(len(frame)))
        assert set(frame["role"]) <= {"operator", "management", "analyst", "interpreter", "unknown"}
        assert set(frame["section"]) <= {"prepared", "qa"}
        assert set(frame["language"]) <= {"en", "zh", "mixed"}
        assert frame["boilerplate"].dtype == bool
        assert str(frame["duplicate_of"].dtype) == "Int64"
        assert frame["loops_collapsed"].dtype == "int64"
        assert (frame["text"].str.len() > 0).all()


def test_speaker_blocks_speakers_roles_and_sections(seeds):
    turns = seeds["003"].turns
    first = turns.iloc[0]
    assert (first.speaker, first.role, first.section, first.boilerplate) == (
        "Operator", "operator", "prepared", True)
    roles = dict(zip(turns.speaker, turns.role))
    assert roles["Nicole Shan"] == "management"
    assert roles["Brian Gong"] == "analyst"
    assert roles["Conference Interpreter"] == "interpreter"
    # prepared remarks come first, then the Q&A, which starts with an operator turn
    sections = turns.section.tolist()
    qa_start = sections.index("qa")
    assert "qa" not in sections[:qa_start] and set(sections[qa_start:]) == {"qa"}
    assert turns.role[qa_start] == "operator"
    assert (turns.loc[turns.role == "analyst", "section"] == "qa").all()
    # a question asked in Chinese, then repeated in English by the analyst, is kept and marked
    assert turns.language[turns.text.str.startswith("晚上好")].tolist() == ["mixed"]


def test_asr_loop_is_collapsed_and_counted(seeds):
    turns = seeds["003"].turns
    phrase = "on the basis of stable improvement of the amount of AI large model customers"
    raw = SEEDS["003"].read_text(encoding="utf-8")
    assert raw.count(phrase) >= 10
    looped = turns[turns.text.str.contains(phrase, regex=False)]
    assert len(looped) == 1
    assert looped.text.iloc[0].count(phrase) == 1
    assert looped.loops_collapsed.iloc[0] == 1
    assert turns.loops_collapsed.sum() == 1


def test_interpretation_pairs_are_linked(seeds):
    for key, expected in (("003", {(2, 3), (4, 5), (6, 7), (10, 11)}),
                          ("004", {(3, 4), (5, 6), (12, 13), (14, 15), (16, 17)})):
        turns = seeds[key].turns
        linked = turns.dropna(subset=["duplicate_of"])
        pairs = {tuple(sorted(p)) for p in zip(linked.duplicate_of.astype(int), linked.turn)}
        assert expected <= pairs, key
        # the half that counts is never itself marked as a duplicate, and both halves say why
        assert not set(linked.duplicate_of.astype(int)) & set(linked.turn)
        for earlier, later in expected:
            assert turns.interpretation[earlier] and turns.interpretation[later]


def test_no_interpretation_pairs_in_a_call_without_interpretation():
    call = read_transcript(FIXTURES / "name_dash_titles.txt")
    assert call.turns.duplicate_of.isna().all()


def test_unlabelled_turns_from_discourse_cues(seeds):
    turns = seeds["004"].turns
    assert turns.role.iloc[0] == "unknown" and turns.boilerplate.iloc[0]  # the ASR disclaimer
    assert turns.role.iloc[1] == "operator"
    assert turns.speaker.iloc[2] == "Nicole Shan"  # named by the operator's hand-over
    # speakers who introduce themselves ("This is Henry.", "I am Zou Tao, CEO of ...") are named
    named = set(turns.speaker[turns.role == "management"].dropna())
    assert {"Nicole Shan", "Zou Tao", "Henry"} <= named
    analysts = turns[turns.role == "analyst"]
    assert {"Xie Danxiang", "Brian Gong", "Linlin Yang", "Wenting Yu"} <= set(analysts.speaker)
    assert (analysts.section == "qa").all()
    assert (turns.section[turns.text.str.startswith("Our first question")] == "qa").all()
    # the question after "Our first question comes from ..." is the analyst's, answers are management's
    first_q = turns.index[turns.text.str.startswith("Our first question")][0]
    # (the question holds its own interpretation, so it is cut in two turns of the analyst)
    assert list(turns.role[first_q + 1:first_q + 4]) == ["analyst", "analyst", "management"]
    # the announced interpretation counts; the question it restates points to it
    assert turns.duplicate_of[first_q + 1] == first_q + 2 and pd.isna(turns.duplicate_of[first_q + 2])
    # Chinese followed by its machine translation is kept and marked as mixed
    chinese = turns[turns.text.str.startswith("我先回答")]
    assert chinese.language.tolist() == ["mixed"]


def test_summaries_paragraphs_and_bullets_are_turns(seeds):
    for key in ("000", "001"):
        turns = seeds[key].turns
        raw = SEEDS[key].read_text(encoding="utf-8")
        bullets = [ln.strip().lstrip("-•").strip() for ln in raw.splitlines()
                   if ln.strip().startswith(("-", "•"))]
        assert len(bullets) >= 10
        assert set(bullets) <= set(turns.text)  # each bullet is a turn, marker removed
        assert not turns.text.str.match(r"^\s*[-•]").any()
        assert "Performance Analysis" not in set(turns.text)  # headings are not turns
        assert not turns.text.str.match(r"^\d\. ").any()  # numbered headings neither
        assert (turns.section == "prepared").all() and turns.duplicate_of.isna().all()
    quotes = seeds["001"].turns.dropna(subset=["speaker"])
    assert quotes.speaker.tolist() == ["Zhou Tao", "Henry Hu"]
    assert (quotes.role == "management").all()


# ----------------------------------------------------------------- the other layouts (fixtures)


def test_seeking_alpha_layout_with_glued_names():
    call = read_transcript(FIXTURES / "seeking_alpha_like.txt")
    assert (call.source_format, call.company, call.period, call.date) == (
        "seeking_alpha", "Cobalt Networks", "2025Q3", "2025-11-06")
    turns = call.turns
    assert turns.speaker.tolist() == ["Operator", "Irene Novak", "Samuel Ortega", "Helen Park",
                                      "Operator", "Victor Chan", "Samuel Ortega"]
    assert turns.role.tolist() == ["operator", "management", "management", "management",
                                   "operator", "analyst", "management"]
    assert turns.section.tolist() == ["prepared"] * 4 + ["qa"] * 3
    # a glued name is removed from the end of the paragraph it was glued to
    assert turns.text[0].endswith("Please go ahead.")
    assert turns.text[5] == "Thanks. Is the lower margin from pricing pressure or from mix?"
    assert turns.boilerplate.tolist()[:2] == [True, True]


def test_motley_fool_json():
    call = read_transcript(FIXTURES / "motley_fool_like.json")
    assert (call.source_format, call.company, call.period) == ("motley_fool_json", "Tidewater Paper", "2020Q4")
    turns = call.turns
    assert turns.section.tolist() == ["prepared"] * 3 + ["qa"] * 3
    assert turns.role.tolist() == ["operator", "management", "management", "operator", "analyst",
                                   "management"]
    assert "\n" in turns.text[2]  # paragraph breaks inside a speech are kept


def test_name_dash_title_headers():
    call = read_transcript(FIXTURES / "name_dash_titles.txt")
    assert (call.source_format, call.company, call.period) == ("name_colon", "Northwind Robotics", "2023Q2")
    turns = call.turns
    assert turns.speaker.tolist() == ["Operator", "Dana Whitfield", "Marcus Lee", "Operator",
                                      "Priya Raman", "Marcus Lee"]
    assert turns.role.tolist() == ["operator", "management", "management", "operator", "analyst",
                                   "management"]
    assert turns.section.tolist() == ["prepared"] * 3 + ["qa"] * 3
    assert turns.boilerplate.tolist() == [True, True, False, True, False, False]
    assert "Gross margin improved to 41%" in turns.text[2]


def test_name_colon_lines():
    call = read_transcript(FIXTURES / "name_colon_lines.txt")
    assert (call.source_format, call.company, call.period) == ("name_colon", "Bluefin Foods", "2024Q3")
    turns = call.turns
    roles = dict(zip(turns.speaker, turns.role))
    assert roles == {"Operator": "operator", "Tom Becker": "management", "Ana Ortiz": "management",
                     "Leo Hart": "analyst"}
    assert turns.section[turns.speaker == "Leo Hart"].tolist() == ["qa"]


def test_sentence_lines_take_the_period_from_the_file_name():
    call = read_transcript(FIXTURES / "AMBR_q2_2021.txt")
    assert (call.source_format, call.period, call.company) == ("sentence_lines", "2021Q2", "AMBR")
    turns = call.turns
    # the safe-harbour sentences form their own turn, flagged; the remarks around them are not
    assert turns.boilerplate.tolist() == [False, True, False, False]
    assert turns.text[1].startswith("Before we begin") and "differ materially" in turns.text[1]
    assert turns.text[3].startswith("Thanks, Mark.")  # a new speaker starts a new turn
    text = FIXTURES.joinpath("AMBR_q2_2021.txt").read_text(encoding="utf-8")
    assert " ".join(turns.text).split() == text.split()  # nothing lost, nothing added


# ----------------------------------------------------------------- metadata rules


@pytest.mark.parametrize(
    "sentence, period",
    [
        ("Welcome to the Acme first quarter 2025 earnings conference call.", "2025Q1"),
        ("Welcome to Kingsoft Cloud's fourth quarter and full year 2024 earnings call.", "2024Q4"),
        ("Good morning and welcome to the Q1 2025 results call.", "2025Q1"),
        ("Welcome to our Q3 FY2026 earnings call.", "2026Q3"),
        ("Thank you for joining us to discuss our second quarter of fiscal 2022 results.", "2022Q2"),
        ("Welcome to the fiscal 2021 third quarter conference call.", "2021Q3"),
        ("Revenue was up compared with the first quarter of 2020.", None),
        ("We plan to release our fourth quarter 2021 earnings results on February 3.", None),
        ("As we discussed on our Q4 2020 earnings call, retention matters.", None),
        ("Welcome to the Watsco First Quarter 2020 -- 2021 Earnings Call.", "2021Q1"),  # corrected year
        # a misspoken year that nothing else in the call supports is not trusted
        ("Welcome to the Third Quarter 2010 Earnings Call. Sales in 2020 rose. 2020 was strong.", None),
    ],
)
def test_period_from_text(sentence, period):
    assert _metadata.period_from_text("", sentence) == period


@pytest.mark.parametrize(
    "name, period",
    [("AAPL_q2_2021", "2021Q2"), ("BABA_1Q26", "2026Q1"), ("call_2025Q3", "2025Q3"), ("notes", None),
     ("003_c69c00136ce7fc6e", None)],
)
def test_period_from_file_name(name, period):
    assert _metadata.period_from_name(name) == period


def test_text_period_wins_over_the_file_name(tmp_path):
    path = tmp_path / "KC_q3_2023.txt"
    shutil.copyfile(SEEDS["003"], path)
    assert read_transcript(path).period == "2025Q1"


def test_no_period_anywhere_gives_none(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Operator: Welcome to the call. Please go ahead.\n"
                    "Jane Smith: Thank you. Revenue grew strongly and margins improved this year.\n"
                    "Jane Smith: We are pleased with demand across all of our regions.\n", encoding="utf-8")
    assert read_transcript(path).period is None


@pytest.mark.parametrize("damaged", ["Kings of Clouds", "Kingshark Cloud", "Kingsoft Club", "Kings of Cloud"])
def test_company_repaired_against_a_known_name(damaged):
    assert _metadata.repair_company(damaged, ["Kingsoft Cloud", "Kingsoft Office"]) == "Kingsoft Cloud"


def test_unrelated_company_is_not_repaired():
    assert _metadata.repair_company("Northwind Robotics", ["Kingsoft Cloud"]) == "Northwind Robotics"


def test_company_repaired_across_the_calls_read(tmp_path):
    text = SEEDS["004"].read_text(encoding="utf-8")
    damaged = text.replace("Kingsoft Cloud", "Kingshark Cloud")
    (tmp_path / "a.txt").write_text(damaged, encoding="utf-8")
    shutil.copyfile(SEEDS["004"], tmp_path / "b.txt")
    shutil.copyfile(SEEDS["003"], tmp_path / "c.txt")
    assert read_transcript(tmp_path / "a.txt").company == "Kingshark Cloud"  # alone, nothing to repair against
    result = read_transcripts([tmp_path])
    assert [c.company for c in result.calls] == ["Kingsoft Cloud"] * 3


def test_manifest_and_company_override(tmp_path):
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,company,period,date\n"
                        f"{SEEDS['003'].name},Kingsoft Cloud Holdings,2025Q2,2025-05-28\n", encoding="utf-8")
    call = read_transcript(SEEDS["003"], manifest=manifest)
    assert (call.company, call.period, call.date) == ("Kingsoft Cloud Holdings", "2025Q2", "2025-05-28")
    # not listed: taken from the text, the spelling repaired against the manifest's names
    other = read_transcript(SEEDS["004"], manifest=manifest)
    assert (other.company, other.period) == ("Kingsoft Cloud Holdings", "2024Q4")
    assert read_transcript(SEEDS["004"], company="KC").company == "KC"
    entries = load_manifest(manifest)
    assert entries[SEEDS["003"].name]["period"] == "2025Q2"


def test_manifest_with_bad_period_is_rejected(tmp_path):
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,company,period,date\nx.txt,Acme,Q5 2025,\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"period 'Q5 2025' is invalid; expected a year and quarter 1-4"):
        load_manifest(manifest)


def test_manifest_without_path_column_is_rejected(tmp_path):
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,company\nx.txt,Acme\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="'path' column"):
        load_manifest(manifest)


# ----------------------------------------------------------------- encodings that must read fine


def test_gbk_and_big5_chinese_decode(tmp_path):
    for encoding in ("gbk", "big5"):
        path = tmp_path / f"call_{encoding}.txt"
        text = CHINESE_CALL if encoding == "gbk" else TRADITIONAL_CALL
        path.write_bytes(text.encode(encoding))
        call = read_transcript(path)
        joined = "".join(call.turns.text)
        assert ("人工智能业务" if encoding == "gbk" else "業績電話會議") in joined, encoding
        assert set(call.turns.language) == {"zh"}


def test_latin1_and_cp1252_decode(tmp_path):
    text = (FIXTURES / "name_colon_lines.txt").read_text(encoding="utf-8")
    text = text.replace("Ana Ortiz", "Ana Muñoz").replace("frozen seafood", "frozen crème brûlée")
    path = tmp_path / "latin.txt"
    path.write_bytes(text.encode("latin-1"))
    call = read_transcript(path)
    assert "Ana Muñoz" in set(call.turns.speaker)
    assert any("crème brûlée" in t for t in call.turns.text)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_utf16_and_bom_decode(tmp_path, encoding):
    path = tmp_path / "wide.txt"
    path.write_bytes((FIXTURES / "seeking_alpha_like.txt").read_text(encoding="utf-8").encode(encoding))
    call = read_transcript(path)
    assert (call.company, call.period, len(call.turns)) == ("Cobalt Networks", "2025Q3", 7)


# ----------------------------------------------------------------- bad input


def _one_line(exc, path) -> None:
    message = str(exc)
    assert "\n" not in message
    assert str(path) in message


@pytest.mark.parametrize(
    "content, error, words",
    [
        (b"", EmptyTranscriptError, "empty"),
        (b"  \n\n\t \r\n", EmptyTranscriptError, "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, BinaryFileError, "binary"),
        (b"PK\x03\x04" + b"\x00\x01\x02\xff" * 500, BinaryFileError, "binary"),
        (b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" * 300, BinaryFileError, "binary"),
        (b'{"prepared_remarks": [', UnknownFormatError, "not valid JSON"),
        (b'{"rows": [1, 2, 3]}', UnknownFormatError, "prepared_remarks"),
        (b"ok\nno\nyes\n", UnknownFormatError, "no transcript"),
    ],
)
def test_bad_bytes_raise_the_right_error(tmp_path, content, error, words):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(error, match=words) as info:
        read_transcript(path)
    _one_line(info.value, path)


def test_spreadsheet_export_is_an_unknown_layout():
    path = FIXTURES / "spreadsheet_export.csv"
    with pytest.raises(UnknownFormatError, match="no sentences") as info:
        read_transcript(path)
    _one_line(info.value, path)


def test_bytes_in_no_supported_encoding(tmp_path):
    path = tmp_path / "mojibake.txt"
    # valid in no tried encoding: 0x81 0x8D 0x8F 0x90 0x9D are undefined in cp1252 and GBK/Big5 reject them
    path.write_bytes(b"Revenue grew. " * 20 + b"\x81\x8d\x8f\x90\x9d\x81\x8d" * 3)
    with pytest.raises(TranscriptError) as info:
        read_transcript(path)
    assert isinstance(info.value, (EncodingError, BinaryFileError))
    _one_line(info.value, path)


def test_huge_file_rejected_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: 100 MB on paper, nothing written
        handle.truncate(100 * 1024 * 1024)
    assert path.stat().st_size > MAX_FILE_BYTES
    with pytest.raises(FileTooLargeError, match=r"100\.0 MB; the reader accepts at most 10 MB") as info:
        read_transcript(path)
    _one_line(info.value, path)


def test_missing_file_is_a_transcript_error(tmp_path):
    path = tmp_path / "nope.txt"
    with pytest.raises(TranscriptError, match="cannot be read") as info:
        read_transcript(path)
    _one_line(info.value, path)


def test_read_transcripts_never_stops_on_a_bad_file(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.bin").write_bytes(b"\x00\x01\x02" * 100)
    shutil.copyfile(FIXTURES / "spreadsheet_export.csv", tmp_path / "sheet.csv")
    shutil.copyfile(SEEDS["003"], tmp_path / "good.txt")
    (tmp_path / ".hidden.txt").write_bytes(b"")
    (tmp_path / "sub").mkdir()
    shutil.copyfile(FIXTURES / "motley_fool_like.json", tmp_path / "sub" / "mf.json")
    inputs = expand_paths([tmp_path])
    assert [p.name for p in inputs] == ["binary.bin", "empty.txt", "good.txt", "sheet.csv", "mf.json"]
    result = read_transcripts([tmp_path])
    read = {Path(c.path).name for c in result.calls}
    failed = {Path(p).name for p in result.failures.path}
    assert read == {"good.txt", "mf.json"}
    assert failed == {"empty.txt", "binary.bin", "sheet.csv"}
    assert list(result.failures.columns) == ["path", "error"]


def test_reading_is_deterministic():
    first = read_transcript(SEEDS["004"]).turns
    second = read_transcript(SEEDS["004"]).turns
    pd.testing.assert_frame_equal(first, second)


def test_turns_table_carries_call_metadata(seeds):
    table = turns_table([seeds["003"], seeds["004"]])
    assert len(table) == len(seeds["003"].turns) + len(seeds["004"].turns)
    assert list(table.columns[:7]) == ["path", "company", "company_name", "period", "date", "kind",
                                       "source_format"]
    assert set(table.period) == {"2025Q1", "2024Q4"}


# ----------------------------------------------------------------- CLI


def test_cli_turns_table_and_formats():
    runner = CliRunner()
    result = runner.invoke(main, ["turns", str(SEEDS["004"])])
    assert result.exit_code == 0, result.output
    assert "company=Kingsoft Cloud  period=2024Q4  date=2025-03-19" in result.output
    csv_result = runner.invoke(main, ["turns", str(SEEDS["003"]), "--format", "csv"])
    assert csv_result.exit_code == 0
    assert csv_result.output.splitlines()[0] == ",".join(
        ["path", "company", "company_name", "period", "date", "kind", "source_format"] + TURN_COLUMNS)
    json_result = runner.invoke(main, ["turns", str(SEEDS["001"]), "--format", "json"])
    records = json.loads(json_result.output)
    assert records[0]["kind"] == "summary" and records[0]["period"] == "2025Q1"


def test_cli_company_and_manifest_options(tmp_path):
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"path,company,period,date\n{SEEDS['003'].name},,2030Q1,\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["turns", str(SEEDS["003"]), "--set-company", "KC",
                                       "--manifest", str(manifest)])
    assert result.exit_code == 0
    assert "company=KC  period=2030Q1" in result.output


def test_cli_bad_file_is_one_error_line_without_traceback(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = CliRunner().invoke(main, ["turns", str(path)])
    assert result.exit_code == 1
    assert result.output == f"Error: {path}: file is empty (no text in it)\n"
    assert "Traceback" not in result.output


def test_cli_many_files_lists_failures_and_exits_1(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    shutil.copyfile(SEEDS["004"], tmp_path / "good.txt")
    result = CliRunner().invoke(main, ["turns", str(tmp_path), "--format", "csv"])
    assert result.exit_code == 1
    assert "good.txt" in result.output
    assert f"Failed: {tmp_path / 'empty.txt'}: file is empty (no text in it)" in result.output


@pytest.mark.parametrize(
    "header, body, company",
    [
        ("Applied Widgets, Inc.\n(AWX) Q1 2026 Earnings Call February 12, 2026", "", "Applied Widgets"),
        ("Call Start: 9:00 January 1, 0000 10:01 AM ET\nOrbit Holding N.V. (NASDAQ:ORBT)\nQ4 2024 Earnings Call",
         "", "Orbit"),
        ("", "Good morning and welcome to the Brandywine Realty Trust First Quarter 2021 Earnings Call.",
         "Brandywine Realty Trust"),
        ("", "Welcome to Kingsoft Cloud's fourth quarter and full year 2024 earnings call.", "Kingsoft Cloud"),
        ("", "Sales rose in Korea. While Japan's fourth quarter was weak, we grew.", None),
    ],
)
def test_company_from_title_or_welcome(header, body, company):
    assert _metadata.company_from_text(header, body, []) == company


def test_company_spellings_that_extend_each_other_are_one_company():
    assert _metadata.same_company("Marvell", "Marvell Technology")
    assert not _metadata.same_company("Applied Materials", "Applied Digital")
    assert not _metadata.same_company("Kingsoft Cloud", "Kingsoft Office")


def test_manifest_paths_are_relative_to_the_manifest(tmp_path):
    (tmp_path / "calls" / "kc").mkdir(parents=True)
    shutil.copyfile(SEEDS["004"], tmp_path / "calls" / "kc" / "q4.txt")
    shutil.copyfile(SEEDS["003"], tmp_path / "calls" / "q4.txt")  # same name, other folder
    (tmp_path / "calls" / "manifest.csv").write_text("path,company,period,date\nkc/q4.txt,KC,,\n",
                                                     encoding="utf-8")
    result = read_transcripts([tmp_path / "calls"], manifest=tmp_path / "calls" / "manifest.csv")
    assert [(c.company, c.period) for c in result.calls] == [("KC", "2024Q4"), ("Kingsoft Cloud", "2025Q1")]
    assert result.failures.empty  # the manifest in the folder is not read as a call


def test_a_long_line_without_sentence_ends_is_rejected_not_stuck(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("on the basis of stable improvement of the amount " * 20000, encoding="utf-8")
    with pytest.raises(UnknownFormatError, match="no sentences"):
        read_transcript(path)


def test_a_transcript_on_one_line_is_read(tmp_path):
    path = tmp_path / "one_line.txt"
    path.write_text("Welcome to the Acme first quarter 2024 earnings call. " + "Revenue grew 10% in the quarter. " * 50,
                    encoding="utf-8")
    call = read_transcript(path)
    assert (call.source_format, call.period) == ("unlabelled", "2024Q1")


def test_interpretations_of_answers_link_to_the_answer_they_restate():
    # In the Q1 2025 call Zhou Tao's answers come twice in a row (machine translation,
    # then interpretation), and Rui Rong's answer is restated after "let me quickly translate".
    turns = read_transcript(SEEDS["003"]).turns.set_index("turn")
    # the interpretation counts; the machine-translated original points to it
    for original, restatement in [(19, 20), (26, 27), (40, 41), (42, 43)]:
        assert turns.loc[original, "duplicate_of"] == restatement
        assert pd.isna(turns.loc[restatement, "duplicate_of"])
    assert turns.loc[27, "interpretation"].endswith("announced interpretation")
    assert turns.loc[27, "text"].startswith("So let me quickly translate")
    # two different analysts' questions in a row are never a pair
    assert pd.isna(turns.loc[24, "duplicate_of"]) and turns.loc[38, "duplicate_of"] != 37
    # Wenting Yu's question holds its own interpretation: cut in two, the second half restating the first
    assert turns.loc[39, "text"].startswith("I will quickly translate my question.")
    assert turns.loc[38, "speaker"] == turns.loc[39, "speaker"] == "Wenting Yu"
    assert turns.loc[38, "duplicate_of"] == 39


def test_interpretations_in_the_unlabelled_q4_call_are_linked():
    turns = read_transcript(SEEDS["004"]).turns.set_index("turn")
    # questions that hold their own interpretation are cut in two at "translate my question"
    for first, second in [(23, 24), (44, 45)]:
        assert turns.loc[first, "speaker"] == turns.loc[second, "speaker"]
        assert turns.loc[first, "duplicate_of"] == second
        assert "translate" in turns.loc[second, "text"][:40]
    # two unnamed answers (CEO, then Liu Tao adding "two sentences") interpreted together in one turn
    assert turns.loc[26, "text"].startswith("Yes, I would like to add two sentences")
    assert turns.loc[25, "duplicate_of"] == turns.loc[26, "duplicate_of"] == 27
    # an answer that ends "Okay, allow me to very quickly translate." is restated by the next turn
    assert turns.loc[39, "text"].endswith("allow me to very quickly translate.")
    assert turns.loc[39, "duplicate_of"] == 40


INTERPRETED_CALL = """Operator: Welcome to the Acme first quarter 2025 earnings call. 本次会议有同声传译。
Ann Lee: 谢谢。 Thank you. Our revenue from cloud computing grew strongly this quarter, driven by demand from large model customers, internet platforms and public sector projects, and margins improved on better utilization of our computing clusters. OK, allow me to quickly translate. Thank you. Cloud computing revenue rose strongly in the quarter on demand from large model customers, internet platforms and public sector projects, and utilization of the computing clusters lifted margins.
Bob Roe: Thanks. My question is about pricing of inference services for enterprise customers in the second half, given the competition from other providers and the new domestic chips entering service at lower cost.
Ann Lee: We keep prices stable for enterprise customers and compete on service quality. Which we will translate into margin gains as the domestic chips come into service next year.
"""


def test_a_turn_holding_its_own_interpretation_is_cut_in_two(tmp_path):
    path = tmp_path / "acme_q1_2025.txt"
    path.write_text(INTERPRETED_CALL, encoding="utf-8")
    turns = read_transcript(path).turns
    assert list(turns.speaker) == ["Operator", "Ann Lee", "Ann Lee", "Bob Roe", "Ann Lee"]
    assert turns.text[1].endswith("utilization of our computing clusters.")
    assert turns.text[2].startswith("OK, allow me to quickly translate.")
    assert turns.duplicate_of[1] == 2
    # "will translate into margin" announces nothing: the last answer stays whole and unpaired
    assert turns.text[4].endswith("next year.") and turns.duplicate_of.isna()[3:].all()


def test_a_restatement_is_not_cut_without_an_interpreted_call(tmp_path):
    path = tmp_path / "acme_q1_2025.txt"
    english = INTERPRETED_CALL.replace("本次会议有同声传译。", "").replace("谢谢。 ", "")
    path.write_text(english.replace("allow me to quickly translate", "let me say that again"), encoding="utf-8")
    turns = read_transcript(path).turns
    assert len(turns) == 4 and turns.duplicate_of.isna().all()


@pytest.mark.parametrize(
    ("opening", "company"),
    [
        ("Welcome to the Acme first quarter 2025 earnings call.", "Acme"),
        ("Welcome to the Acme Inc. Q1 2025 earnings call.", "Acme"),
        ("Good morning and welcome to the Deere & Company Fourth Quarter Earnings Conference Call.", "Deere"),
        ("Welcome to the National Health Investors Third Quarter 2020 Conference Call.",
         "National Health Investors"),
        # the first welcome names no company; the second does
        ("Welcome to the Second Quarter 2020 Results Call. And welcome to the Zoetis Second Quarter "
         "2020 Earnings Call.", "Zoetis"),
        ("Welcome to ABM Industries' second quarter 2021 earnings call.", "ABM Industries"),
    ],
)
def test_company_from_the_operator_welcome(tmp_path, opening, company):
    path = tmp_path / "call.txt"
    path.write_text(f"Operator: {opening}\nJane Doe: Revenue grew 10% this quarter on strong demand.\n",
                    encoding="utf-8")
    assert read_transcript(path).company == company


def test_a_name_the_call_repeats_is_not_repaired_towards_a_similar_frequent_word():
    welcome = "Operator: Hello, and welcome to Darden's Fiscal Year 2021 First Quarter Earnings Call.\n"
    body = "".join(f"Gene Lee: Olive Garden sales rose {i}% and Darden margins held.\n" for i in range(6))
    assert _metadata.company_from_text("", welcome + body, []) == "Darden"

"""Commands that take a file report a missing or unreadable one in one line, exit status 1."""

from __future__ import annotations

from click.testing import CliRunner

from topictrack.cli import main


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_sentiment_of_a_missing_file_is_an_error(tmp_path):
    missing = tmp_path / "missing.txt"
    result = run("sentiment", str(missing))
    assert result.exit_code == 1
    assert result.output == f"Error: {missing}: no such file\n"


def test_sentiment_of_a_binary_file_is_an_error(tmp_path):
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"PK\x03\x04\x00\x00\x00binary\x00\x01\x02")
    result = run("sentiment", str(binary))
    assert result.exit_code == 1
    assert result.output == f"Error: {binary}: file is binary (contains zero bytes), not a text transcript\n"


def test_sentiment_of_a_file_scores_its_text(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("Revenue rose 12% year over year.", encoding="utf-8")
    assert run("sentiment", str(path), "--brief").output == run(
        "sentiment", "Revenue rose 12% year over year.", "--brief").output
    assert run("sentiment", str(path), "--brief").output.startswith("+")


def test_a_sentence_ending_in_an_abbreviation_is_text_not_a_file_name():
    result = run("sentiment", "Revenue rose 12% in the U.S.", "--brief")
    assert result.exit_code == 0 and result.output.startswith("+")


def test_every_lexicons_option_accepts_a_lexicon_file_and_a_folder():
    options = {name: next((p for p in command.params if p.name == "lexicons"), None)
               for name, command in main.commands.items()}
    declared = {name: (o.type.file_okay, o.type.dir_okay, o.help) for name, o in options.items() if o}
    assert set(declared) == {"report", "evidence", "explain", "score", "themes", "tag", "train", "suggest"}
    assert len(set(declared.values())) == 1 and next(iter(declared.values()))[:2] == (True, True)

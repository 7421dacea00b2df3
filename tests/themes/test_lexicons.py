"""Lexicon files: every shipped one loads, user folders add or replace themes, bad files fail clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from topictrack.themes import load_lexicons, tag, list_themes as themes
from topictrack._resources import lexicon_dir
from topictrack.cli import main
from topictrack.errors import LexiconError
from topictrack.themes.lexicon import load_folder, load_lexicon, parse_lexicon

DEFAULT_THEMES = ["ai_demand", "cdn_downsizing", "chip_supply", "deepseek", "pricing_pressure", "seasonality"]

ESG = '''name = "esg"
description = "Environmental, social and governance topics."
terms = ["carbon emission*", "renewable energy", "net zero"]
exclude = ["net zero-coupon"]
examples = ["We cut carbon emissions by a fifth and buy only renewable energy."]

[[pairs]]
terms = ["diversity"]
with = ["board", "workforce"]
'''

# A replacement for the shipped deepseek theme that only knows one word.
NARROW_DEEPSEEK = '''description = "Only the word 'Qwen'."
terms = ["Qwen"]
'''


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("path", sorted(lexicon_dir().glob("*.toml")), ids=lambda p: p.name)
def test_every_shipped_lexicon_loads(path):
    lex = load_lexicon(path)
    assert lex.name == path.stem
    assert lex.description and lex.n_entries >= 10
    assert len(lex.examples) >= 5
    assert lex.regexes.terms is not None and len(lex.regexes.slots.entries) >= lex.n_entries


def test_shipped_folder_holds_the_six_default_themes():
    lexicons, replace = load_folder(lexicon_dir())
    assert [lex.name for lex in lexicons] == DEFAULT_THEMES
    assert replace is False
    assert themes() == DEFAULT_THEMES


def test_user_theme_from_a_folder_is_added_to_the_defaults(tmp_path):
    write(tmp_path, "esg.toml", ESG)
    assert themes(lexicons=tmp_path) == sorted([*DEFAULT_THEMES, "esg"])
    tags = tag("This year we cut carbon emissions by 20%. AI revenue doubled.", lexicons=tmp_path)
    assert set(tags) == {"esg", "ai_demand"}
    assert tag("Board diversity improved this year.", lexicons=tmp_path) == {"esg": 0.8}
    assert "esg" not in tag("We expect net zero-coupon notes to mature.", lexicons=tmp_path)
    assert "esg" not in tag("This year we cut carbon emissions by 20%.")  # defaults untouched


def test_folder_theme_with_a_shipped_name_replaces_that_theme(tmp_path):
    write(tmp_path, "deepseek.toml", NARROW_DEEPSEEK)
    assert themes(lexicons=tmp_path) == DEFAULT_THEMES
    lex = next(x for x in load_lexicons(tmp_path) if x.name == "deepseek")
    assert lex.terms == ("Qwen",)
    assert "deepseek" in tag("Qwen released a new model.", lexicons=tmp_path, method="lexicon")
    assert tag("DeepSeek released a new model.", lexicons=tmp_path, method="lexicon") == {}


def test_settings_file_replaces_all_defaults(tmp_path):
    write(tmp_path, "esg.toml", ESG)
    write(tmp_path, "_settings.toml", "replace_defaults = true\n")
    assert themes(lexicons=tmp_path) == ["esg"]
    assert tag("AI revenue doubled and carbon emissions fell.", lexicons=tmp_path) == {"esg": 0.8}


def test_cli_themes_lists_a_user_theme(tmp_path):
    write(tmp_path, "esg.toml", ESG)
    result = CliRunner().invoke(main, ["themes", "--lexicons", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 7
    assert any(line.startswith("esg") and "Environmental, social" in line for line in lines)


MALFORMED = {
    "invalid_toml": (
        'description = "d"\nterms = ["a",\n  "b" "c"]\n',
        "{path}:3: invalid TOML: Unclosed array",
    ),
    "unknown_key": (
        'description = "d"\nterms = ["a"]\nterm = ["b"]\n',
        "{path}:3: unknown key 'term'; valid keys are context, description, examples, exclude, name, pairs, patterns, terms, tone",
    ),
    "bad_regex": (
        'description = "d"\nterms = ["a"]\npatterns = [\n  "(deep",\n]\n',
        "{path}:4: patterns entry '(deep' is not a valid regular expression: "
        "missing ), unterminated subpattern at position 0",
    ),
    "no_description": ('terms = ["a"]\n', "{path}: 'description' is missing; give a one-line description of the theme"),
    "no_terms": ('description = "d"\n', "{path}: the lexicon has no 'terms', 'patterns' or [[pairs]]; give at least one"),
    "terms_not_a_list": ('description = "d"\nterms = "a"\n', "{path}:2: 'terms' must be a list of strings"),
    "bad_name": (
        'name = "Bad Name"\ndescription = "d"\nterms = ["a"]\n',
        "{path}:1: theme name 'Bad Name' is invalid; expected lower-case letters, digits and '_', starting with a letter",
    ),
    "key_below_pairs": (
        'description = "d"\nterms = ["a"]\n\n[[pairs]]\nterms = ["x"]\nwith = ["y"]\nexamples = ["An example."]\n',
        "{path}:7: [[pairs]] table has unknown key 'examples'; a pair holds only 'terms' and 'with' "
        "(keys written below a [[pairs]] header belong to it: put other keys above the first one)",
    ),
    "pair_without_with": (
        'description = "d"\n\n[[pairs]]\nterms = ["x"]\n',
        "{path}:3: [[pairs]] table lacks 'with'; a pair needs both 'terms' and 'with'",
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_lexicon_names_file_line_and_problem(tmp_path, case):
    text, expected = MALFORMED[case]
    path = write(tmp_path, "broken.toml", text)
    with pytest.raises(LexiconError) as info:
        load_lexicon(path)
    assert str(info.value) == expected.format(path=path)


def test_non_utf8_lexicon_is_rejected_with_its_line(tmp_path):
    path = tmp_path / "latin.toml"
    path.write_bytes(b'description = "d"\nterms = ["caf\xe9"]\n')
    with pytest.raises(LexiconError) as info:
        load_lexicon(path)
    assert str(info.value) == f"{path}:2: the file is not UTF-8 text"


def test_two_files_defining_one_theme_are_rejected(tmp_path):
    write(tmp_path, "a.toml", 'name = "esg"\ndescription = "d"\nterms = ["x"]\n')
    second = write(tmp_path, "b.toml", 'name = "esg"\ndescription = "d"\nterms = ["y"]\n')
    with pytest.raises(LexiconError) as info:
        load_folder(tmp_path)
    assert str(info.value) == f"{second}: theme 'esg' is already defined in {tmp_path / 'a.toml'}"


def test_cli_reports_a_malformed_lexicon_in_one_line(tmp_path):
    path = write(tmp_path, "broken.toml", MALFORMED["unknown_key"][0])
    result = CliRunner().invoke(main, ["themes", "--lexicons", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: " + MALFORMED["unknown_key"][1].format(path=path)
    ]


def test_terms_match_whole_words_with_flexible_spacing_and_suffixes():
    lex = parse_lexicon(
        'description = "d"\nterms = ["export control*", "price war", "season\'s greetings"]\n', "t.toml"
    )
    from topictrack.themes.matcher import match_sentences

    hits = match_sentences(
        [lex],
        [
            "New export-controls were announced.",
            "A price  war broke out.",
            "Season’s greetings to all.",
            "The exporter controlled costs.",
            "Spring is the season.",
        ],
    )
    assert hits[:, 0].tolist() == [True, True, True, False, False]


CONTEXT_TABLE = '''description = "d"
terms = ["chip ban"]

[[context]]
terms = ["supply chain*"]
near = ["GPU*", "memory"]
'''


def test_context_tables_are_read_and_validated(tmp_path):
    lex = parse_lexicon(CONTEXT_TABLE, "c.toml")
    assert lex.context == ((("supply chain*",), ("GPU*", "memory")),)
    assert lex.n_entries == 2
    ambiguous, near = lex.context_lexicons()[0]
    assert ambiguous.terms == ("supply chain*",) and near.terms == ("GPU*", "memory")
    bad = write(tmp_path, "bad.toml", CONTEXT_TABLE.replace('near = ["GPU*", "memory"]', 'with = ["GPU*"]'))
    with pytest.raises(LexiconError) as info:
        load_lexicon(bad)
    assert str(info.value) == (
        f"{bad}:6: [[context]] table has unknown key 'with'; a context table holds only 'terms' and 'near' "
        "(keys written below a [[context]] header belong to it: put other keys above the first one)"
    )
    regex = write(tmp_path, "regex.toml", CONTEXT_TABLE.replace('"memory"', '"mem(ory)?"'))
    with pytest.raises(LexiconError, match=r"must be a plain term, not a regular expression"):
        load_lexicon(regex)

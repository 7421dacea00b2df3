"""Package-level guarantees: imports are free, bundled data is intact, every command is documented."""

from __future__ import annotations

import hashlib
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import topictrack
from topictrack import _resources
from topictrack.cli import main

ROOT = Path(__file__).resolve().parent.parent

# sha256 of the four sample calls as they were published; the bundled copies must stay byte-identical.
SAMPLE_SHA256 = {
    "000_899d4d4337e300b8.txt": "bd133e13e070e0204e90d444bca7c86dd30feb3e5d1dbb0e024cfa4a761d5725",
    "001_3ec5d33c1e7915b9.txt": "042035b69f5b6b50f4478d688af6568a3fdf3de21b1714b136038fe5ccf6a795",
    "003_c69c00136ce7fc6e.txt": "949a95547ffc0f89e3b9c115ba47620cc751ec344ffa42beb852f944997ce58b",
    "004_2f1f5559a71d1853.txt": "fa1481414115099532ec19b3c12e74bb1c63c14af5c6e05399a49f094faa11f4",
}


def test_import_loads_no_models_or_heavy_libraries():
    code = (
        "import sys, topictrack; "
        "heavy = [m for m in ('sklearn', 'nltk', 'vaderSentiment', 'pandas') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_public_api_names_resolve():
    for name in topictrack.__all__:
        assert getattr(topictrack, name) is not None, name


def test_unknown_attribute_raises_attribute_error():
    try:
        topictrack.no_such_function  # noqa: B018
    except AttributeError as exc:
        assert "no_such_function" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_bundled_sample_calls_are_byte_identical_to_the_published_ones():
    calls = _resources.sample_calls()
    assert [p.name for p in calls] == sorted(SAMPLE_SHA256)
    for path in calls:
        assert hashlib.sha256(path.read_bytes()).hexdigest() == SAMPLE_SHA256[path.name], path.name


def test_version_option():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"topictrack, version {topictrack.__version__}"


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = sorted(main.commands)
    assert {"turns", "themes", "tag", "train", "suggest", "score", "report", "evidence"} <= set(names)
    for name in names:
        command = main.commands[name]
        assert (command.help or "").strip(), f"command {name!r} has no help text"
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert re.search(rf"topictrack {name}\b", readme), f"README does not mention 'topictrack {name}'"


def test_old_stage_function_names_still_work_with_a_deprecation_warning():
    code = (
        "import topictrack.themes, topictrack.sentiment, topictrack.trends\nimport warnings\nwarnings.simplefilter('error')\nimport topictrack\n"
        "import pandas\n"
        "for old, args in (('themes', ()), ('sentiment', ('Costs fell sharply.',)),\n"
        "                  ('trends', (pandas.DataFrame(),))):\n"
        "    try:\n"
        "        getattr(topictrack, old)(*args)\n"
        "    except DeprecationWarning as warning:\n"
        "        print(old, str(warning).split('use ')[1])\n"
        "warnings.simplefilter('ignore')\n"
        "print(topictrack.themes()[0], topictrack.sentiment('Costs fell sharply.') > 0, "
        "topictrack.sentiment.sentiment('Costs fell sharply.') > 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == [
        "themes topictrack.list_themes()", "sentiment topictrack.tone()", "trends topictrack.theme_trends()",
        "ai_demand True True",
    ]


def test_public_functions_have_their_real_signatures():
    for name in ("tone", "list_themes", "theme_trends", "tag", "score", "trend_report", "theme_tones"):
        parameters = inspect.signature(getattr(topictrack, name)).parameters
        assert parameters and not any(p.kind is p.VAR_POSITIONAL for p in parameters.values()), name
    assert list(inspect.signature(topictrack.tone).parameters) == ["text", "finance_lexicon"]

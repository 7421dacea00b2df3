"""The shape of the package: stages import downward only, modules stay small, every public
name is importable and documented, and the source folder runs as it is."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
from pathlib import Path

import topictrack

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "topictrack"
MAX_LINES = 600
# Modules that are one concern each yet longer: they may not grow past these sizes.
LONGER: dict[str, int] = {}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Package modules that ``name`` imports anywhere in its code (module level or in functions)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            # "from pkg import submodule" imports the submodule; other names come from pkg itself
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        found.update(t for t in targets if t in known and t != name)
    return found


def test_no_import_cycle():
    modules = _modules()
    graph = {name: _imports(name, path, set(modules)) for name, path in modules.items()}
    # a package imports its own submodules in __init__ to name its API; a submodule importing its
    # parent package goes through that __init__, so only edges into other stages are followed there
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if node.startswith(nxt + "."):
                continue  # a module's own package: imported before the module in any case
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)


def test_no_module_is_long():
    sizes = {str(p.relative_to(PACKAGE)): len(p.read_text(encoding="utf-8").splitlines())
             for p in PACKAGE.rglob("*.py")}
    too_long = {m: n for m, n in sizes.items() if n > LONGER.get(m, MAX_LINES)}
    assert not too_long


def test_every_public_name_is_importable_and_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in topictrack.__all__:
        assert getattr(topictrack, name) is not None
        assert re.search(rf"\b{re.escape(name)}\b", readme), f"README does not mention {name}"


def test_each_stage_names_its_api():
    for stage in ("transcripts", "themes", "sentiment", "pipeline"):
        module = importlib.import_module(f"topictrack.{stage}")
        assert module.__all__ and all(hasattr(module, n) for n in module.__all__), stage


def test_the_source_folder_runs_without_install_time_mapping():
    # what `python -c "import topictrack; topictrack.tag(...)"` sees in the repository root after a
    # plain `pip install .`: the source folder, and no finder that maps folders into the package
    code = (
        "import sys\n"
        "sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in getattr(f, '__module__', '')]\n"
        "import topictrack\n"
        "print(topictrack.__file__)\n"
        "print(sorted(topictrack.tag('Demand for AI servers doubled this quarter.')))\n"
        "print(len(topictrack._resources.sample_calls()))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [str(PACKAGE / "__init__.py"), "['ai_demand']", "4"]


def test_the_wheel_lists_every_package_and_maps_the_top_level_folders():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    folders = {".".join(p.parent.relative_to(ROOT).parts) for p in PACKAGE.rglob("__init__.py")}
    assert folders == set(settings["packages"]) - {"topictrack.lexicons", "topictrack.data"}
    assert settings["package-dir"] == {"topictrack.lexicons": "lexicons", "topictrack.data": "data"}
    assert sorted(p.name for p in (ROOT / "lexicons").glob("*.toml")) == sorted(
        p.name for p in topictrack._resources.lexicon_dir().glob("*.toml"))
    assert not (PACKAGE / "lexicons").exists() and not (PACKAGE / "data").exists()

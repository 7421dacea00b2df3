"""Shared test set-up: every test scores into a private cache, never the user's, and finds the
fixture files and the bundled sample calls through the fixtures below."""

from __future__ import annotations

from pathlib import Path

import pytest

from topictrack import _resources

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def _session_cache(tmp_path_factory):
    """Module- and session-scoped fixtures that score calls use a cache of the test run."""
    patch = pytest.MonkeyPatch()
    patch.setenv("TOPICTRACK_CACHE_DIR", str(tmp_path_factory.mktemp("session-cache")))
    yield
    patch.undo()


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch) -> Path:
    """The cache folder of this test (``$TOPICTRACK_CACHE_DIR``), empty when the test starts."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("TOPICTRACK_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def fixtures_dir() -> Path:
    """``tests/fixtures``: small transcripts in each supported layout."""
    return FIXTURES


@pytest.fixture
def sample_calls() -> list[Path]:
    """The bundled sample calls, sorted by file name."""
    return _resources.sample_calls()

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    return RAW


@pytest.fixture(scope="session")
def seeds():
    """The seed corpus, prepared once for all tests (read-only use)."""
    from framing.pipeline import prepare

    return prepare(RAW)


@pytest.fixture(autouse=True)
def _no_shared_cache(monkeypatch):
    """Unit tests compute afresh (some patch the code they run); ``make test`` sets FRAMING_CACHE
    for the notebooks nbval runs, which this fixture does not reach."""
    from framing.pipeline import CACHE_ENV

    monkeypatch.delenv(CACHE_ENV, raising=False)

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

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


#: The body of :func:`two_article_corpus`'s articles.
BODY = ("Ketamine acts within hours for many patients. It can raise blood pressure. "
        "Infusions cost hundreds of dollars. The clinic monitors every patient for two hours. ")


def two_article_corpus(folder: Path) -> Path:
    """A folder of two short ketamine articles (repeated sentences, so that topics can be fitted), for build tests."""
    folder.mkdir()
    body = BODY
    (folder / "a.txt").write_text("Ketamine clinic\n\n" + body * 3)
    (folder / "b.txt").write_text("Esketamine spray\n\n" + body[::-1].capitalize() + " " + body)
    return folder

"""load_corpus: good files load, every broken file is named with its reason, nothing is written."""

import hashlib
import warnings

import pandas as pd
import pytest

from framing import CorpusError, load_corpus

GOOD_1 = "Ketamine for depression\n\nKetamine can act within hours.\n"
GOOD_2 = "Esketamine nasal spray\n\nIt is given in a clinic.\n"


def _snapshot(folder):
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


@pytest.fixture
def messy(tmp_path):
    """Two good articles (one with a BOM) and four broken files."""
    (tmp_path / "a_good.txt").write_text(GOOD_1, encoding="utf-8")
    (tmp_path / "b_bom.txt").write_bytes(b"\xef\xbb\xbf" + GOOD_2.encode("utf-8"))
    (tmp_path / "c_empty.txt").write_bytes(b"")
    (tmp_path / "d_blank.txt").write_bytes(b"  \n\t\n   \n")
    (tmp_path / "e_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")
    (tmp_path / "f_latin1.txt").write_bytes("Caf\u00e9 ketamine, na\u00efve patients".encode("latin-1"))
    (tmp_path / "notes.rtf").write_text("not an article ending", encoding="utf-8")
    return tmp_path


def test_raise_names_all_four_broken_files_with_reasons(messy):
    before = _snapshot(messy)
    with pytest.raises(CorpusError) as info:
        load_corpus(messy)
    err = info.value
    assert set(err.problems) == {"c_empty.txt", "d_blank.txt", "e_binary.txt", "f_latin1.txt"}
    message = str(err)
    for name in err.problems:
        assert name in message
    assert "empty" in err.problems["c_empty.txt"]
    assert "whitespace" in err.problems["d_blank.txt"]
    assert "binary" in err.problems["e_binary.txt"]
    # 'Caf' is three bytes, so the Latin-1 e-acute (0xe9) sits at byte offset 3
    assert "UTF-8" in err.problems["f_latin1.txt"] and "byte offset 3" in err.problems["f_latin1.txt"]
    assert "0xe9" in err.problems["f_latin1.txt"]
    assert _snapshot(messy) == before


def test_skip_returns_the_good_files_and_warns_with_the_list(messy):
    before = _snapshot(messy)
    with pytest.warns(UserWarning) as record:
        corpus = load_corpus(messy, on_error="skip")
    text = " ".join(str(w.message) for w in record)
    for name in ["c_empty.txt", "d_blank.txt", "e_binary.txt", "f_latin1.txt"]:
        assert name in text
    assert list(corpus["doc_id"]) == ["a_good", "b_bom"]
    assert list(corpus["title"]) == ["Ketamine for depression", "Esketamine nasal spray"]
    assert not corpus.loc[1, "text"].startswith("\ufeff"), "BOM must be stripped"
    assert corpus.loc[1, "text"] == GOOD_2
    assert corpus.loc[1, "sha256"] == hashlib.sha256(b"\xef\xbb\xbf" + GOOD_2.encode()).hexdigest()
    assert _snapshot(messy) == before


def test_on_error_must_be_known(tmp_path):
    with pytest.raises(ValueError, match="on_error"):
        load_corpus(tmp_path, on_error="ignore")


def test_missing_folder_is_a_corpus_error(tmp_path):
    with pytest.raises(CorpusError, match="not a folder"):
        load_corpus(tmp_path / "nope")


def test_manifest_supplies_metadata_and_checks_checksums(tmp_path):
    (tmp_path / "x.txt").write_text(GOOD_1, encoding="utf-8")
    (tmp_path / "y.txt").write_text(GOOD_2, encoding="utf-8")
    sha_x = hashlib.sha256(GOOD_1.encode()).hexdigest()
    pd.DataFrame({
        "file": ["x.txt", "y.txt"], "doc_id": ["X1", "Y1"], "outlet": ["Daily", ""],
        "title": ["Real title", ""], "sha256": [sha_x, ""], "url": ["http://a", "http://b"],
    }).to_csv(tmp_path / "manifest.csv", index=False)
    corpus = load_corpus(tmp_path)
    assert list(corpus["doc_id"]) == ["X1", "Y1"]
    assert list(corpus["title"]) == ["Real title", ""]
    assert list(corpus["url"]) == ["http://a", "http://b"]
    (tmp_path / "x.txt").write_text(GOOD_1 + "edited\n", encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        load_corpus(tmp_path)
    assert "x.txt" in info.value.problems and "sha256" in info.value.problems["x.txt"]


def test_manifest_listing_a_missing_file_is_reported(tmp_path):
    (tmp_path / "x.txt").write_text(GOOD_1, encoding="utf-8")
    pd.DataFrame({"file": ["x.txt", "gone.txt"]}).to_csv(tmp_path / "manifest.csv", index=False)
    with pytest.raises(CorpusError) as info:
        load_corpus(tmp_path)
    assert list(info.value.problems) == ["gone.txt"]


def test_exact_duplicates_are_reported(tmp_path):
    (tmp_path / "one.txt").write_text(GOOD_1, encoding="utf-8")
    (tmp_path / "two.txt").write_text(GOOD_1.replace("\n", "\r\n"), encoding="utf-8")
    (tmp_path / "three.txt").write_text(GOOD_2, encoding="utf-8")
    with pytest.warns(UserWarning, match="two duplicates one"):
        corpus = load_corpus(tmp_path)
    assert dict(zip(corpus["doc_id"], corpus["duplicate_of"])) == {"one": "", "three": "", "two": "one"}


def test_crlf_is_normalised_and_no_warning_for_clean_corpus(tmp_path):
    (tmp_path / "w.txt").write_bytes(b"Title\r\n\r\nBody text.\r\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        corpus = load_corpus(tmp_path)
    assert corpus.loc[0, "text"] == "Title\n\nBody text.\n"


def test_seed_corpus_loads_with_manifest(raw_dir):
    corpus = load_corpus(raw_dir)
    assert len(corpus) == 5
    assert corpus["doc_id"].is_monotonic_increasing
    assert (corpus["duplicate_of"] == "").all()
    assert corpus.loc[corpus["doc_id"].str.startswith("001"), "outlet"].item() == "Our Good Life"


def test_pages_without_article_prose_are_listed_with_the_unusable_files(tmp_path):
    """Navigation only (a .txt of menu words, a page of links), next to a broken file and a real article."""
    import warnings

    from framing.pipeline import PROSE_MIN_WORDS, prepare

    (tmp_path / "menu.txt").write_text("Home\nBlog\nAbout us\nContact\n")
    (tmp_path / "links.html").write_text(
        "<html><head><title>Clinic</title></head><body><nav><a href='/'>Home</a> <a href='/b'>Blog</a></nav>"
        "<ul><li>Services</li><li>Contact</li></ul></body></html>")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "short.txt").write_text("Ketamine update\n\nIt works fast.\n")  # three words: below the floor
    (tmp_path / "article.txt").write_text("Ketamine news\n\nKetamine is given in a clinic. Patients stay two hours.\n")
    assert PROSE_MIN_WORDS == 4
    with pytest.raises(CorpusError) as err:
        prepare(tmp_path)
    problems = err.value.problems
    assert set(problems) == {"menu.txt", "links.html", "empty.txt", "short.txt"}
    assert "no sentence of article prose" in problems["menu.txt"] and "About us" in problems["menu.txt"]
    assert "no sentence of article prose" in problems["links.html"]
    assert "empty file" in problems["empty.txt"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kept = prepare(tmp_path, on_error="skip")
    assert list(kept.corpus["doc_id"]) == ["article"] and set(kept.sentences["doc_id"]) == {"article"}
    assert set(kept.audit["doc_id"]) <= {"article"}
    assert any("menu.txt" in str(w.message) for w in caught)


def test_a_year_alone_is_shown_as_a_year_not_as_its_january(tmp_path):
    from framing.report import tables

    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text("Title\n\nKetamine is given in a clinic by trained staff.\n")
    (tmp_path / "manifest.csv").write_text("file,date\na.txt,2023\nb.txt,2024-05\nc.txt,\n")
    corpus = load_corpus(tmp_path)
    assert corpus["date_precision"].tolist() == ["year", "month", ""]
    assert tables.period_unit(corpus["date"], corpus["date_precision"]) == "Y"
    assert tables.period_unit(corpus["date"]) == "M"  # without the precision: months (a span under three years)
    monthly = corpus[corpus["date_precision"] == "month"]
    assert tables.period_unit(monthly["date"], monthly["date_precision"]) == "M"

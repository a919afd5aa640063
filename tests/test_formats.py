"""load_corpus on Markdown and saved web pages, one-article corpora, and manifest dates and urls."""

import hashlib

import pandas as pd
import pytest

from framing import CorpusError, load_corpus
from framing.io.corpus import markdown_to_text
from framing.pipeline import prepare

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Ketamine clinics promise fast relief | Health Daily</title>
<link rel="stylesheet" href="https://cdn.example.com/site.css">
<script src="https://cdn.example.com/app.js"></script></head>
<body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/health">Health</a></li>
<li><a href="/subscribe">Subscribe to our newsletter</a></li></ul></nav></header>
<main><article>
<h1>Ketamine clinics promise fast relief from depression</h1>
<p>Ketamine, an anaesthetic used for decades, is now offered in private clinics as a treatment
for depression that has not responded to other drugs. Some patients report relief within hours.</p>
<h2>What the trials show</h2>
<p>Randomised trials of esketamine nasal spray found a modest benefit over placebo when added to
an antidepressant. The effect on relapse was smaller than early reports suggested.</p>
<p>Side effects include dissociation, raised blood pressure and nausea, and patients must be
watched for two hours after each dose.</p>
</article></main>
<aside><h3>Related posts</h3><ul><li><a href="/a">Ten foods for better sleep tonight</a></li></ul></aside>
<footer><p>&copy; 2024 Health Daily. All rights reserved.</p><p><a href="/privacy">Privacy policy</a></p></footer>
</body></html>
"""

MARKDOWN = """---
title: front matter is not text
---
# Ketamine for *depression*

Ketamine can act
within hours ([a trial](https://example.org/trial)).

- **Fast** onset
- Risks: dissociation

![a chart](chart.png)

Esketamine is given in a clinic.
"""


def _snapshot(folder):
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_corpus_with_one_article_goes_through_the_pipeline(tmp_path):
    (tmp_path / "only.txt").write_text("Ketamine for depression\n\nIt can act within hours. It is not for everyone.\n")
    data = prepare(tmp_path)
    assert list(data.corpus["doc_id"]) == ["only"]
    assert data.corpus.loc[0, "title"] == "Ketamine for depression"
    assert list(data.sentences["text"]) == ["Ketamine for depression", "It can act within hours.", "It is not for everyone."]


def test_html_page_main_text_is_extracted_without_furniture(tmp_path):
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    before = _snapshot(tmp_path)
    corpus = load_corpus(tmp_path)
    assert _snapshot(tmp_path) == before
    row = corpus.iloc[0]
    assert row["doc_id"] == "page" and row["format"] == "html"
    assert row["title"] == "Ketamine clinics promise fast relief from depression"
    assert row["sha256"] == hashlib.sha256(PAGE.encode()).hexdigest()
    assert row["n_bytes"] == len(PAGE.encode())
    text = row["text"]
    assert "modest benefit over placebo" in text and "What the trials show" in text
    for furniture in ("Subscribe", "Related posts", "Ten foods", "All rights reserved", "Privacy", "cdn.example", "<p>"):
        assert furniture not in text
    paragraphs = text.strip().split("\n\n")
    assert "What the trials show" in paragraphs, "headings and paragraphs stay separate lines"
    assert any(p.startswith("Side effects include") for p in paragraphs)
    sentences = prepare(tmp_path).sentences
    assert (sentences["text"] == "Some patients report relief within hours.").any()


def test_htm_page_without_text_is_a_broken_file_with_a_reason(tmp_path):
    (tmp_path / "good.htm").write_text(PAGE, encoding="utf-8")
    (tmp_path / "shell.html").write_text(
        "<html><head><title>App</title><script src='app.js'></script></head><body><div id='root'></div></body></html>")
    (tmp_path / "zero.html").write_bytes(b"")
    with pytest.raises(CorpusError) as info:
        load_corpus(tmp_path)
    assert set(info.value.problems) == {"shell.html", "zero.html"}
    assert "no extractable" in info.value.problems["shell.html"]
    assert "shell.html" in str(info.value)
    with pytest.warns(UserWarning, match="shell.html"):
        corpus = load_corpus(tmp_path, on_error="skip")
    assert list(corpus["doc_id"]) == ["good"]


def test_markdown_markup_is_stripped_and_headings_kept_as_lines(tmp_path):
    (tmp_path / "note.md").write_text(MARKDOWN, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    row = corpus.iloc[0]
    assert row["format"] == "md"
    assert row["title"] == "Ketamine for depression"
    assert row["text"].split("\n\n") == [
        "Ketamine for depression",
        "Ketamine can act within hours (a trial).",
        "Fast onset",
        "Risks: dissociation",
        "Esketamine is given in a clinic.\n",
    ]
    for mark in ("#", "*", "](", "front matter", "chart", "https://"):
        assert mark not in row["text"]


def test_markdown_keeps_words_with_underscores_and_code_text():
    text = markdown_to_text("Setext title\n============\n\nUse `dose_mg` and snake_case_name, _not_ this.\n")
    assert text == "Setext title\n\nUse dose_mg and snake_case_name, not this.\n"


def test_manifest_dates_and_urls_are_carried_through(tmp_path):
    for name in ("a.txt", "b.md", "c.txt", "d.txt"):
        (tmp_path / name).write_text(f"Title {name}\n\nKetamine text of {name}.\n")
    pd.DataFrame({
        "file": ["a.txt", "b.md", "c.txt", "d.txt"],
        "url": ["https://a.example/x", "https://b.example/y", "", "https://d.example"],
        "date": ["2023-05-17", "2024-02", "", "2021"],
    }).to_csv(tmp_path / "manifest.csv", index=False)
    corpus = load_corpus(tmp_path)
    assert pd.api.types.is_datetime64_any_dtype(corpus["date"])
    dates = dict(zip(corpus["doc_id"], corpus["date"]))
    assert dates["a"] == pd.Timestamp("2023-05-17")
    assert dates["b"] == pd.Timestamp("2024-02-01")
    assert pd.isna(dates["c"])
    assert dates["d"] == pd.Timestamp("2021-01-01")
    assert list(corpus["url"]) == ["https://a.example/x", "https://b.example/y", "", "https://d.example"]
    assert corpus["date"].dt.to_period("M").astype(str).tolist()[:2] == ["2023-05", "2024-02"]


def test_a_bad_manifest_date_names_the_file(tmp_path):
    (tmp_path / "a.txt").write_text("Title\n\nText.\n")
    (tmp_path / "b.txt").write_text("Other\n\nMore text.\n")
    pd.DataFrame({"file": ["a.txt", "b.txt"], "date": ["2024-13-45", "last spring"]}).to_csv(
        tmp_path / "manifest.csv", index=False)
    with pytest.raises(CorpusError) as info:
        load_corpus(tmp_path)
    assert set(info.value.problems) == {"a.txt", "b.txt"}
    assert "last spring" in info.value.problems["b.txt"] and "date" in info.value.problems["b.txt"]
    assert "2024-13-45" in info.value.problems["a.txt"]


def test_many_pages_load_the_same_on_one_or_two_processes(tmp_path):
    for i in range(21):
        (tmp_path / f"page_{i:02d}.html").write_text(PAGE.replace("modest benefit", f"modest benefit ({i})"))
    (tmp_path / "note.md").write_text(MARKDOWN)
    one = load_corpus(tmp_path, n_jobs=1)
    two = load_corpus(tmp_path, n_jobs=2)
    pd.testing.assert_frame_equal(one, two)
    assert len(two) == 22 and two["text"].str.contains(r"modest benefit \(20\)").sum() == 1


def test_readme_module_table_names_every_module():
    """Every module of the package appears, by its dotted path, in the README's module table."""
    import re

    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = "\n".join(line.split(" | ")[0] for line in readme.splitlines() if line.startswith("| `framing."))
    named = set(re.findall(r"`(framing(?:\.\w+)+)`", table))
    package = ROOT / "lib" / "framing"
    modules = {"framing." + ".".join(p.relative_to(package).with_suffix("").parts)
               for p in package.rglob("*.py") if p.name != "__init__.py"}
    assert modules - named == set()

"""Exploration helpers: highlighting, filtering, and widgets whose controls change what is shown."""

import pandas as pd

from framing.measures import frames
from framing.report import explore


def _table():
    texts = [
        "Esketamine offers rapid relief but may cause dissociation.",
        "Ketamine is a breakthrough for depression.",
        "Patients are monitored for two hours after each dose.",
        "Depression affects millions of people <worldwide> & more.",
    ]
    labels = frames.label(texts, method="rules")  # fixed cue evidence for the highlighting tests
    table = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "text": texts, "sentiment": [0.4, 0.6, 0.0, -0.2]})
    for col in labels.columns:
        table[col] = labels[col].to_numpy()
    table["topic"] = [0, 0, 1, 1]
    table["topic_name"] = ["relief / hope", "relief / hope", "monitoring / dose", "monitoring / dose"]
    return table


def test_highlight_marks_fired_cues_and_escapes_html():
    text = "Esketamine offers rapid relief but may cause dissociation <b>."
    out = explore.highlight(text, {"promise": "rapid_relief", "risk": "dissociation", "hedge": "may"})
    assert "<mark" in out and "rapid relief</mark>" in out
    assert "dissociation</mark>" in out and ">may</mark>" in out
    assert "&lt;b&gt;" in out and "<b>" not in out
    # without cues: the text, escaped, and no marks
    assert explore.highlight("a < b", {}) == "a &lt; b"


def test_highlight_ignores_unknown_cue_names():
    assert explore.highlight("rapid relief", {"promise": "no_such_cue"}) == "rapid relief"


def test_filter_sentences_combines_filters():
    table = _table()
    assert len(explore.filter_sentences(table)) == 4
    assert list(explore.filter_sentences(table, source="b")["doc_id"]) == ["b", "b"]
    assert len(explore.filter_sentences(table, frame="mixed")) == 1
    assert len(explore.filter_sentences(table, subtheme="acute_effects")) == 1
    assert len(explore.filter_sentences(table, term="DEPRESSION")) == 2
    assert len(explore.filter_sentences(table, term="depress")) == 0, "terms match whole words"
    assert len(explore.filter_sentences(table, source="a", topic="monitoring / dose")) == 0


def test_sentences_html_lists_rows_with_counts():
    table = _table()
    out = explore.sentences_html(table, {"a": "Source A"}, limit=2)
    assert "<b>4</b> matching" in out and "first 2 shown" in out
    assert out.count("<tr>") == 3  # header + 2 rows
    assert "Source A" in out
    assert explore.sentences_html(table.iloc[:0]).startswith("<p><b>0</b>")


def test_sentence_browser_first_dropdown_changes_what_is_shown():
    table = _table()
    box = explore.sentence_browser(table, {"a": "Source A", "b": "Source B"})
    shown = box.children[-1]
    first = box.children[0].children[0]
    before = shown.value
    assert "<b>4</b> matching" in before
    first.value = "b"
    assert shown.value != before and "<b>2</b> matching" in shown.value
    assert "Source A" not in shown.value


def test_topic_browser_shows_the_chosen_topic():
    from framing.measures import topics

    texts = ["ketamine relief hope rapid"] * 3 + ["monitoring dose clinic hours"] * 3
    model = topics.fit(texts, 2, seed=0, min_df=1)
    table = pd.DataFrame({"doc_id": ["a"] * 3 + ["b"] * 3, "text": texts, "topic": model.topic})
    box = explore.topic_browser(model, table)
    dropdown, shown = box.children
    first = shown.value
    dropdown.value = 1
    assert shown.value != first
    summary = explore.topic_summary(model, table, 1)
    assert summary["name"] == model.names[1] and len(summary["sentences"]) == 3
    assert sorted(summary["share"].values()) == [0.0, 1.0]

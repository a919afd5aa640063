"""Interactive exploration of coded sentences (ipywidgets), and the pure functions behind it.

The widgets only wire controls to :func:`filter_sentences`, :func:`sentences_html` and
:func:`topic_summary`; those functions hold all the logic and are tested without a browser.
Output goes into ``ipywidgets.HTML`` values (not ``Output`` captures), so what a control
changes is plain data that tests and a static report can read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    from framing.measures.topics import TopicModel
    import ipywidgets

import html
import re
from functools import lru_cache

import pandas as pd

from framing.measures import frames

__all__ = ["ALL", "highlight", "filter_sentences", "sentences_html", "topic_summary", "topic_html",
           "sentence_browser", "topic_browser"]

#: The value of a dropdown that does not filter.
ALL = "(all)"

#: Highlight colours per cue kind (light tints of the frame colours).
MARK_COLORS = {"promise": "#C6DBEF", "risk": "#FDD0A2", "hype": "#FEE391", "hedge": "#E0E0E0", "boilerplate": "#EEEEEE"}

_CUE_COLUMNS = {"promise": "promise_cues", "risk": "risk_cues", "hype": "hype_cues", "hedge": "hedge_cues"}


@lru_cache(maxsize=1)
def _patterns() -> dict[tuple[str, str], re.Pattern]:
    table = frames.cue_lexicon()
    return {(kind, name): re.compile(pattern, re.I) for kind, name, pattern in zip(table["kind"], table["cue"], table["pattern"])}


def _split(cues: object) -> list[str]:
    if not isinstance(cues, str) or not cues.strip():
        return []
    return [c.strip() for c in cues.split(";") if c.strip()]


def highlight(text: str, cues: dict[str, str]) -> str:
    """HTML of ``text`` with the spans matched by the fired cues marked, one colour per kind.

    ``cues`` maps a kind (promise, risk, hype, hedge) to the '; '-joined cue names that fired,
    as in the columns of :func:`framing.measures.frames.label`. The text is HTML-escaped; overlapping
    spans keep the first mark.
    """
    spans = []
    patterns = _patterns()
    for kind, names in cues.items():
        for name in _split(names):
            pattern = patterns.get((kind, name))
            if pattern is None:
                continue
            spans += [(m.start(), m.end(), kind, name) for m in pattern.finditer(text) if m.end() > m.start()]
    spans.sort(key=lambda s: (s[0], -s[1]))
    out, pos = [], 0
    for start, end, kind, name in spans:
        if start < pos:
            continue
        out.append(html.escape(text[pos:start]))
        out.append(f'<mark style="background:{MARK_COLORS[kind]}" title="{kind}: {html.escape(name)}">'
                   f"{html.escape(text[start:end])}</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def filter_sentences(table: pd.DataFrame, source: str = ALL, frame: str = ALL, subtheme: str = ALL,
                     topic: str = ALL, term: str = "") -> pd.DataFrame:
    """Rows of a measured sentence table that match every given filter (ALL or "" = no filter).

    ``term`` matches whole words, case-insensitively.
    """
    keep = pd.Series(True, index=table.index)
    if source != ALL:
        keep &= table["doc_id"] == source
    if frame != ALL:
        keep &= table["frame"] == frame
    if subtheme != ALL:
        keep &= table[subtheme].astype(bool)
    if topic != ALL and "topic_name" in table:
        keep &= table["topic_name"] == topic
    if term.strip():
        keep &= table["text"].str.contains(rf"\b{re.escape(term.strip())}\b", case=False, regex=True)
    return table.loc[keep]


def sentences_html(rows: pd.DataFrame, labels: dict[str, str] | None = None, limit: int = 50) -> str:
    """An HTML table of sentences with source, frame, sentiment, topic and highlighted cues."""
    labels = labels or {}
    head = f"<p><b>{len(rows)}</b> matching sentence(s)" + (f", first {limit} shown" if len(rows) > limit else "") + "</p>"
    if rows.empty:
        return head
    body = []
    for row in rows.head(limit).itertuples():
        cues = {kind: getattr(row, col, "") for kind, col in _CUE_COLUMNS.items()}
        topic = getattr(row, "topic_name", "")
        body.append(
            "<tr>"
            f"<td>{html.escape(labels.get(row.doc_id, row.doc_id))}</td>"
            f"<td>{html.escape(row.frame)}</td>"
            f"<td style='text-align:right'>{row.sentiment:+.2f}</td>"
            f"<td>{html.escape(str(topic))}</td>"
            f"<td>{highlight(row.text, cues)}</td>"
            "</tr>"
        )
    return (head + "<table><thead><tr><th>source</th><th>frame</th><th>sentiment</th><th>topic</th>"
            "<th>sentence (cues marked)</th></tr></thead><tbody>" + "".join(body) + "</tbody></table>")


def topic_summary(model: TopicModel, table: pd.DataFrame, topic: int, labels: dict[str, str] | None = None, n: int = 3) -> dict:
    """Top terms, top sentences and share of each source's sentences for one topic."""
    labels = labels or {}
    terms = model.terms.loc[model.terms["topic"] == topic, "term"].tolist()
    weights = model.weights[:, topic]
    best = weights.argsort(kind="stable")[::-1][:n]
    sentences = [table["text"].iloc[i] for i in best if weights[i] > 0]
    shares = (table["topic"] == topic).groupby(table["doc_id"]).mean()
    return {
        "name": model.names[topic],
        "terms": terms,
        "sentences": sentences,
        "share": {labels.get(doc, doc): float(v) for doc, v in shares.items()},
    }


def topic_html(summary: dict) -> str:
    """HTML for :func:`topic_summary`."""
    shares = "".join(f"<li>{html.escape(s)}: {100 * v:.0f}%</li>" for s, v in summary["share"].items())
    sentences = "".join(f"<li>{html.escape(t)}</li>" for t in summary["sentences"])
    return (f"<h4>{html.escape(summary['name'])}</h4>"
            f"<p><b>Top terms:</b> {html.escape(', '.join(summary['terms']))}</p>"
            f"<p><b>Most typical sentences:</b></p><ol>{sentences}</ol>"
            f"<p><b>Share of each source's sentences:</b></p><ul>{shares}</ul>")


def sentence_browser(table: pd.DataFrame, labels: dict[str, str] | None = None, limit: int = 50) -> "ipywidgets.VBox":
    """Dropdowns (source first, then frame, risk sub-theme, topic) and a word box over the sentences.

    Returns an ``ipywidgets.VBox``; its last child is the ``HTML`` widget showing the matches.
    """
    import ipywidgets as w

    labels = labels or {}
    sources = [(ALL, ALL)] + [(labels.get(d, d), d) for d in sorted(table["doc_id"].unique())]
    source = w.Dropdown(options=sources, value=ALL, description="Source")
    frame = w.Dropdown(options=[ALL] + [f for f in frames.FRAMES if f in set(table["frame"])], value=ALL, description="Frame")
    subtheme = w.Dropdown(options=[ALL] + list(frames.SUBTHEMES), value=ALL, description="Risk")
    topic_names = sorted(set(table["topic_name"])) if "topic_name" in table else []
    topic = w.Dropdown(options=[ALL] + topic_names, value=ALL, description="Topic")
    term = w.Text(value="", description="Word", placeholder="e.g. dissociation")
    shown = w.HTML()

    def update(_: dict | None = None) -> None:
        rows = filter_sentences(table, source.value, frame.value, subtheme.value, topic.value, term.value)
        shown.value = sentences_html(rows, labels, limit)

    for control in (source, frame, subtheme, topic, term):
        control.observe(update, names="value")
    update()
    return w.VBox([w.HBox([source, frame]), w.HBox([subtheme, topic]), term, shown])


def topic_browser(model: TopicModel, table: pd.DataFrame, labels: dict[str, str] | None = None) -> "ipywidgets.VBox":
    """A topic dropdown and an ``HTML`` widget with its terms, sentences and shares per source."""
    import ipywidgets as w

    choose = w.Dropdown(options=[(name, i) for i, name in enumerate(model.names)], value=0, description="Topic")
    shown = w.HTML()

    def update(_: dict | None = None) -> None:
        shown.value = topic_html(topic_summary(model, table, choose.value, labels))

    choose.observe(update, names="value")
    update()
    return w.VBox([choose, shown])

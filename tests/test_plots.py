"""Aggregate figures of notebook 02: they draw what they are given, whatever the number of sources."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from framing.measures import passages, terms
from framing.views import plots


def test_short_label():
    assert plots.short_label("abc", 5) == "abc"
    assert plots.short_label("abcdefgh", 5) == "abcd…"


def test_term_panels_one_panel_per_group_shared_axis():
    table = pd.DataFrame([(g, r, f"t{g}{r}", 10.0 - r) for g in "abcde" for r in range(1, 4)],
                         columns=["group", "rank", "term", "z"])
    fig = plots.term_panels(table, list("abcde"), ncols=3)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 5 and len(fig.axes) == 6
    assert [ax.get_title() for ax in visible] == list("abcde")
    assert [t.get_text() for t in visible[0].get_yticklabels()] == ["ta3", "ta2", "ta1"]  # rank 1 on top
    plt.close(fig)


def test_likeness_overview_draws_all_pairs_and_top_pairs():
    rng = np.random.default_rng(1)
    words = [f"w{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(80)]
    texts = {f"s{i:02d}": " ".join(rng.choice(words, 40)) for i in range(30)}
    texts["s03"] += " the very same long sentence appears in these two sources"
    texts["s17"] += " the very same long sentence appears in these two sources"
    ids = sorted(texts)
    summary = terms.similarity_summary([texts[d] for d in ids], ids, top=5)
    found = passages.find_shared(texts, n=6, max_sources=10)
    top = passages.top_pairs(passages.shared_pairs(texts, n=6, max_sources=10), n=5)
    fig = plots.likeness_overview(summary.histogram, summary.nearest, found.coverage, top)
    ax1, ax2, ax3, ax4 = fig.axes
    assert sum(p.get_height() for p in ax1.patches) == 30 * 29 / 2
    assert sum(p.get_height() for p in ax2.patches) == 30
    assert sum(p.get_height() for p in ax3.patches) == 30
    assert [t.get_text() for t in ax4.get_yticklabels()] == ["s03 – s17"]
    plt.close(fig)


def test_topic_spread_one_box_per_topic():
    prev = pd.DataFrame({"a / b / c": [0.5, 0.2, 0.9], "d / e / f": [0.5, 0.8, 0.1]}, index=["x", "y", "z"])
    overall = pd.Series({"a / b / c": 0.4, "d / e / f": 0.6})
    fig = plots.topic_spread(prev, overall)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a / b / c", "d / e / f"]
    np.testing.assert_allclose(ax.collections[0].get_offsets()[:, 0], [0.4, 0.6])
    plt.close(fig)

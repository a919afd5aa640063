"""Views for many sources: top-N selection, outlet grouping, share of sources, drawing."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from framing.measures import compare, sources  # noqa: E402
from framing.views import plots_sources  # noqa: E402


def _summary(n=30, seed=0):
    rng = np.random.default_rng(seed)
    values = rng.uniform(-1, 1, n)
    index = [f"doc{i:03d}" for i in range(n)]
    return pd.DataFrame({"balance": values, "balance_low": values - 0.1, "balance_high": values + 0.1}, index=index)


def test_top_bottom_picks_the_extremes_in_order():
    table = _summary()
    picked = sources.top_bottom(table, "balance", n=5)
    assert len(picked) == 10
    ranked = table["balance"].sort_values(ascending=False)
    assert list(picked.index[:5]) == list(ranked.index[:5])
    assert list(picked.index[5:]) == list(ranked.index[-5:])
    assert picked["balance"].is_monotonic_decreasing
    assert (picked["end"] == ["highest"] * 5 + ["lowest"] * 5).all()


def test_top_bottom_drops_nan_breaks_ties_by_index_and_keeps_small_tables_whole():
    table = pd.DataFrame({"x": [1.0, np.nan, 1.0, 0.0, 1.0]}, index=["e", "d", "c", "b", "a"])
    picked = sources.top_bottom(table, "x", n=1)
    assert list(picked.index) == ["a", "b"]          # tie among a, c, e: a first
    whole = sources.top_bottom(table, "x", n=5)
    assert list(whole.index) == ["a", "c", "e", "b"]  # NaN left out, every other row kept
    assert list(whole["end"]) == ["highest", "highest", "lowest", "lowest"]
    with pytest.raises(ValueError):
        sources.top_bottom(table, "x", n=0)


def test_outlet_groups_only_for_a_readable_number_of_outlets():
    corpus = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "outlet": ["X", "Y", "", "X"]})
    groups = sources.outlet_groups(corpus)
    assert groups.to_dict() == {"a": "X", "b": "Y", "c": sources.NO_OUTLET, "d": "X"}
    assert sources.outlet_groups(corpus.assign(outlet="")) is None
    assert sources.outlet_groups(corpus.assign(outlet="Same")) is None
    assert sources.outlet_groups(corpus.drop(columns="outlet")) is None
    many = pd.DataFrame({"doc_id": [f"d{i}" for i in range(20)], "outlet": [f"o{i}" for i in range(20)]})
    assert sources.outlet_groups(many) is None
    assert sources.outlet_groups(many, max_outlets=20) is not None


def test_regroup_pools_sentences_so_per_source_functions_give_per_outlet_results():
    table = pd.DataFrame({
        "doc_id": ["a", "a", "b", "b", "c"],
        "frame": ["promise", "promise", "risk", "risk", "promise"],
        "hype": [True, False, False, False, True], "hedge": [False] * 5,
    })
    groups = pd.Series({"a": "X", "b": "X", "c": "Y"})
    pooled = sources.regroup(table, groups)
    assert list(pooled["doc_id"]) == ["X", "X", "X", "X", "Y"]
    summary = compare.source_summary(pooled, n_boot=200).set_index("doc_id")
    assert summary.loc["X", "balance"] == 0.0          # two promise, two risk pooled
    assert summary.loc["Y", "balance"] == 1.0
    assert summary.loc["X", "sentences"] == 4
    # a doc without a group is dropped, the input is not changed
    assert len(sources.regroup(table, groups.drop("c"))) == 4
    assert list(table["doc_id"]) == ["a", "a", "b", "b", "c"]


def test_share_of_sources_counts_sources_with_any_mention():
    counts = pd.DataFrame({"cost": [0, 0, 0, 0], "nausea": [3, 0, 1, 0], "dissociation": [1, 2, 1, 5]})
    shares = sources.share_of_sources(counts)
    assert shares.to_dict() == {"dissociation": 1.0, "nausea": 0.5, "cost": 0.0}
    assert list(shares.index) == ["dissociation", "nausea", "cost"]
    assert sources.share_of_sources(counts.astype(bool)).equals(shares)


def test_describe_sources_gives_quartiles_per_measure():
    table = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0, np.nan], "b": [0, 0, 0, 0, 10], "name": list("vwxyz")})
    out = sources.describe_sources(table)
    assert list(out.index) == ["a", "b"]
    assert out.loc["a", "sources"] == 4 and out.loc["a", "median"] == 2.5
    assert out.loc["b", "max"] == 10 and out.loc["b", "median"] == 0


def test_drawing_helpers_draw_one_mark_per_source():
    table = _summary(12)
    fig, axes = plt.subplots(1, 4)
    median = plots_sources.plot_distribution(axes[0], table["balance"], "balance")
    assert median == pytest.approx(table["balance"].median())
    assert sum(p.get_height() for p in axes[0].patches) == 12
    plots_sources.plot_intervals(axes[1], table, "balance", "balance_low", "balance_high")
    assert len(axes[1].lines) == 2 * 12
    assert [t.get_text() for t in axes[1].get_yticklabels()][0] == table.index[0]  # first row on top (y = n-1)
    plots_sources.plot_share_bars(axes[2], pd.Series({"x": 0.5, "y": 0.25}))
    assert [round(p.get_width(), 2) for p in axes[2].patches] == [0.5, 0.25]
    plots_sources.plot_box_by_column(axes[3], table[["balance", "balance_low"]])
    assert len(axes[3].get_xticklabels()) == 2
    plt.close(fig)


def test_top_bottom_tiebreak_puts_the_best_supported_sources_at_both_ends():
    table = pd.DataFrame({"balance": [1.0, 1.0, 1.0, -1.0, -1.0, -1.0, 0.0],
                          "sentences": [3, 40, 10, 5, 50, 1, 7]}, index=list("abcdefg"))
    picked = sources.top_bottom(table, "balance", n=2, tiebreak="sentences")
    assert list(picked.index) == ["b", "c", "d", "e"]   # +1: 40 then 10 sentences; -1: 5 then 50 (most at the very end)
    assert list(picked["end"]) == ["highest", "highest", "lowest", "lowest"]
    assert list(sources.top_bottom(table, "balance", n=2).index) == ["a", "b", "e", "f"]  # by index without tiebreak


def test_share_label_never_shows_zero_or_hundred_for_a_partial_share():
    assert [plots_sources.share_label(v) for v in [0, 0.001, 0.004, 0.005, 0.5, 0.996, 1]] == \
        ["0%", "<1%", "<1%", "<1%", "50%", ">99%", "100%"]

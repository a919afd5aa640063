"""The notebook figures in framing.views.figures: both views behind each call, titles computed from the data.

The notebooks draw the per-source view on the seeds (nbval compares those); these tests draw
the many-source view too, on a corpus of 40 articles made by splitting the seed articles.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from framing.measures import compare, frames, quality, sources  # noqa: E402
from framing.views import figures, style  # noqa: E402
from framing.measures.analysis import analysed  # noqa: E402


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """40 articles cut from the seeds' body text, with outlets and dates in a manifest."""
    from framing.pipeline import build, prepare

    seeds = prepare("data/raw")
    body = seeds.sentences.loc[~seeds.sentences["is_heading"], "text"].tolist()
    folder = tmp_path_factory.mktemp("many")
    rows = []
    for i in range(40):
        chunk = body[(i * 7) % len(body):(i * 7) % len(body) + 12] or body[:12]
        (folder / f"a{i:02d}.txt").write_text(f"Article {i} on ketamine\n\n" + " ".join(chunk) + "\n", encoding="utf-8")
        rows.append({"file": f"a{i:02d}.txt", "outlet": f"outlet {i % 3}", "date": f"202{i % 4}-0{1 + i % 9}-01"})
    pd.DataFrame(rows).to_csv(folder / "manifest.csv", index=False)
    return build(folder, n_jobs=1)


def _titles(fig):
    titles = [ax.get_title(loc) for ax in fig.axes for loc in ("left", "center", "right")]  # any title location style sets
    return " ".join([fig._suptitle.get_text() if fig._suptitle else ""] + titles)


@pytest.mark.slow
def test_every_view_draws_both_modes(many):
    corpus, body = many.corpus, analysed(many.measured)
    order, labels = list(corpus["doc_id"]), many.labels
    colors = style.source_colors(order)
    outlets = sources.outlet_groups(corpus)
    summary = compare.source_summary(body).set_index("doc_id").reindex(order)
    summary.index = [labels[d] for d in summary.index]
    shares = compare.frame_shares(body).reindex(order)
    shares.index = [labels[d] for d in shares.index]
    themes = list(frames.SUBTHEMES)
    grid = body.groupby("doc_id")[themes].sum().reindex(order, fill_value=0).astype(int)
    checklist = quality.checklist(many.measured, hype=many.measured["hype"])
    removed = many.audit.assign(n=many.audit["text"].str.len()).groupby("doc_id")["n"].sum()
    audit_summary = pd.DataFrame({"source": corpus["doc_id"].map(labels), "raw_chars": corpus["n_chars"],
                                  "chars_in_removed_lines": corpus["doc_id"].map(removed).fillna(0).astype(int)}
                                 ).set_index("source")
    audit_summary["share_removed_%"] = 100 * audit_summary["chars_in_removed_lines"] / audit_summary["raw_chars"]
    structure = pd.DataFrame({"sentences": body.groupby("doc_id").size().reindex(order, fill_value=0)})
    for mode in ("per_source", "many"):
        drawn = {
            "audit": figures.cleaning_audit(many.audit, corpus, audit_summary, labels, colors, mode),
            "lengths": figures.sentence_lengths(body, structure, corpus, labels, colors, mode),
            "shares": figures.frame_shares(shares, body, outlets, mode),
            "balance": figures.balance_hype_hedge(summary, body, order, labels, colors, outlets, mode),
            "sentiment": figures.sentiment_by_source(body, order, labels, colors, mode),
            "subthemes": figures.risk_subthemes(grid, themes, mode),
            "checklist": figures.checklist(checklist, labels, order, mode),
        }
        for name, fig in drawn.items():
            assert isinstance(fig, plt.Figure) and fig.axes, (mode, name)
        leaning = int((summary["balance_low"] > 0).sum())
        assert f"{leaning} of {len(summary)} sources lean to promise" in _titles(drawn["balance"])
        assert f"of {len(order)} sources" in _titles(drawn["sentiment"])
        if mode == "many":  # outlet panels appear with a few outlets named
            assert outlets is not None and "By outlet (3)" in _titles(drawn["balance"])
            assert "Pooled by outlet (3 outlets)" in _titles(drawn["shares"])
        plt.close("all")
    fig, by_period = figures.frames_over_time(body, corpus)
    assert by_period["n_articles"].sum() == corpus["date"].notna().sum()
    assert f"({len(corpus)} dated articles)" in _titles(fig)
    assert figures.frames_over_time(body, corpus.assign(date=pd.NaT)) == (None, None)
    plt.close("all")


def test_cleaning_audit_of_a_corpus_where_nothing_was_removed_says_so_without_warnings():
    """Both views with an empty audit: no empty image (matplotlib warns on one), panel b and the
    title say that no line was removed, not '0.0% ... 0 lines under 0 rules'."""
    import warnings

    from framing.io.clean import AUDIT_COLUMNS

    corpus = pd.DataFrame({"doc_id": ["a", "b"], "n_chars": [900, 400]})
    labels = {"a": "clinic", "b": "news"}
    summary = pd.DataFrame({"raw_chars": [900, 400], "chars_in_removed_lines": [0, 0], "share_removed_%": [0.0, 0.0]},
                           index=["clinic", "news"])
    audit = pd.DataFrame(columns=AUDIT_COLUMNS)
    for mode in ("per_source", "many"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fig = figures.cleaning_audit(audit, corpus, summary, labels, style.source_colors(["a", "b"]), mode)
        assert fig._suptitle.get_text() == "Cleaning removed no line: every line of every file is kept", mode
        plt.close(fig)


def test_commonest_error_names_the_largest_off_diagonal_cell_and_its_row_share():
    from framing.views import plots_validation as pv

    frames_ = ["promise", "risk", "neutral"]
    conf = pd.DataFrame([[50, 2, 8], [3, 30, 12], [1, 0, 90]], index=frames_, columns=frames_)  # rows: hand coding
    assert pv.commonest_error(conf) == "12 risk units coded neutral (27% of them)"
    assert pv.commonest_error(pd.DataFrame([[5, 0], [0, 7]], index=frames_[:2], columns=frames_[:2])) == "no errors"
    fig = pv.confusions([("a", conf), ("b", conf)], title="finding")
    assert fig._suptitle.get_text() == "finding" and len(fig.axes) == 2
    plt.close(fig)


def test_a_source_without_a_balance_is_marked_not_left_blank():
    """Per-source view: a source with fewer than one evaluative sentence gets a 'no balance' note
    in the balance panel instead of an empty row; hype and hedging are drawn for it as for the others."""
    nan = float("nan")
    summary = pd.DataFrame({"balance": [-0.3, nan], "balance_low": [-0.8, nan], "balance_high": [0.5, nan],
                            "hype_per_100": [0.0, 0.0], "hype_low": [0.0, 0.0], "hype_high": [30.0, 50.0],
                            "hedge_per_100": [20.0, 0.0], "hedge_low": [2.0, 0.0], "hedge_high": [60.0, 50.0],
                            "sentences": [5, 3]}, index=["story", "library"])
    order, labels = ["s", "l"], {"s": "story", "l": "library"}
    fig = figures.balance_hype_hedge(summary, pd.DataFrame(), order, labels, style.source_colors(order), None, "per_source")
    notes = [t.get_text() for t in fig.axes[0].texts]
    assert notes == ["no balance: no evaluative sentence"]
    assert len(fig.axes[0].lines) == 2 + 1 and len(fig.axes[1].lines) == 4  # one source's interval and dot (+ zero line)
    plt.close(fig)


def test_notebook_02_and_07_views_draw_on_many_sources_with_computed_titles(many):
    from framing.measures import groups, passages, terms, topics

    corpus = many.corpus
    doc_ids, texts = list(corpus["doc_id"]), list(corpus["clean_text"])
    words = [len(passages.tokenize(t)[0]) for t in texts]
    distinct = terms.distinctive(texts, doc_ids, words, corpus["outlet"].tolist(), many.labels, n=5)
    assert distinct.grouping == "outlet" and len(distinct.shown) == 3
    fig = figures.distinctive_terms(distinct, style.source_colors(doc_ids))
    assert "Most distinctive terms of the 3 outlets" in _titles(fig)
    plt.close(fig)
    alike = passages.likeness(texts, doc_ids, "many", n=6, top=5)
    fig = figures.likeness(alike, many.labels, style.source_colors(doc_ids))
    assert f"{len(doc_ids)} sources: mean pairwise cosine" in _titles(fig)
    plt.close(fig)
    model = many.topics
    prev = topics.prevalence(many.measured["doc_id"], model.topic, model.names).reindex(doc_ids, fill_value=0.0)
    fig = figures.topic_prevalence(prev, pd.Series(model.label(model.topic)).value_counts(normalize=True),
                                   many.labels, style.source_colors(doc_ids), "many")
    assert f"topics appear in every one of the {len(doc_ids)} sources" in _titles(fig)
    plt.close(fig)
    fig = figures.topic_k(many.k_table, model.k, topics.MIN_K, topics.MIN_SENTENCES_PER_TOPIC, 100, 200)
    assert f"k = {model.k} gives the most reproducible topics (chosen on 100 of 200 sentences)" in _titles(fig)
    plt.close(fig)
    body = analysed(many.measured)
    by = groups.groups_of(corpus, "outlet")
    summary = groups.group_summary(body, by)
    fig = figures.group_measures(summary, "outlet")
    lean = int((summary["balance_low"] > 0).sum())
    assert f"By outlet: {lean} of 3 groups lean to promise" in _titles(fig)
    plt.close(fig)
    fig = figures.group_frames(groups.group_frame_shares(body, by), groups.group_subthemes(body, by), "outlet")
    assert "Frames and risks by outlet" in _titles(fig)
    plt.close(fig)

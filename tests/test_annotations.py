"""The project's coded data: the size and shape the learned coder's issue asks for, read with checks."""

import pytest

from framing.io import annotations
from framing.measures import frames


@pytest.fixture(scope="module")
def units():
    return annotations.training_units()


def test_enough_coded_units_mostly_in_whole_articles(units):
    written = units[units["genre"] != "seed"]
    assert len(units) >= 3000
    sizes = written.groupby("article_id").size()
    assert len(sizes) >= 150 and sizes.between(8, 40).all()
    assert written.groupby("article_id")["title"].nunique().eq(1).all()
    assert (written["title"].str.strip() != "").all()
    assert written["genre"].nunique() >= 10


def test_every_subtheme_well_represented_and_a_realistic_class_mix(units):
    for theme in frames.SUBTHEMES:
        assert units[theme].sum() >= 60, theme
    shares = units["frame"].value_counts(normalize=True)
    for frame in frames.FRAMES:
        assert 0.04 <= shares[frame] <= 0.45, (frame, shares[frame])
    assert units["hype"].sum() >= 60 and units["hedge"].sum() >= 200


def test_written_articles_copy_no_seed_sentence(units):
    seed_texts = set(units.loc[units["genre"] == "seed", "text"].str.strip().str.lower())
    written = units.loc[units["genre"] != "seed", "text"].str.strip().str.lower()
    assert not (set(written) & seed_texts)


def test_second_coding_covers_at_least_600_units_blind_to_the_first(units):
    from framing.checks import validation

    merged = validation.second_coding(annotations.ANNOTATIONS / "second_coder.csv", units)
    assert len(merged) >= 600
    assert merged["article_id"].nunique() >= 25
    # whole articles were second-coded, so the coder could read each unit's context
    full = units.groupby("article_id").size()
    assert (merged.groupby("article_id").size() == full.loc[merged["article_id"].unique()]).all()


def test_bad_coding_file_is_refused_naming_the_file_and_lines(tmp_path):
    good = "article_id,genre,title,position,text,frame,hype,hedge,subthemes,note\n"
    rows = [f"x-1,news,T,{i},Unit number {i}.,neutral,false,false,," for i in range(8)]
    path = tmp_path / "bad.csv"
    path.write_text(good + "\n".join(rows[:3] + ["x-1,news,T,3,Risky unit.,neutral,false,false,acute_effects,"]
                                    + ["x-1,news,T,5,Skipped a position.,promize,maybe,false,,"]) + "\n")
    with pytest.raises(ValueError) as err:
        annotations.read_dev_coding(path)
    message = str(err.value)
    assert "bad.csv" in message and "unknown frame on lines [6]" in message
    assert "hype is not true/false on lines [6]" in message
    assert "sub-themes on a unit that is not risk or mixed on lines [5]" in message
    assert "positions are not 0..4 in order" in message
    path.write_text("text,frame\nA,promise\n")
    with pytest.raises(ValueError, match="bad.csv: columns are"):
        annotations.read_dev_coding(path)


def test_off_topic_articles_are_flagged_and_coded_neutral_except_passing_mentions(units):
    off = units[units["off_topic"]]
    assert off["article_id"].nunique() >= 40 and not units.loc[units["genre"] == "seed", "off_topic"].any()
    firsts = off[off["position"] == 0]
    assert firsts["note"].str.startswith(annotations.OFF_TOPIC_NOTE).all()
    # their own text is neutral, their furniture boilerplate; only a line naming ketamine may carry a frame
    framed = off[~off["frame"].isin(["neutral", "boilerplate"])]
    assert len(framed) <= 5 and framed["text"].map(frames.names_ketamine).all()
    assert not off["hype"].any() and off[list(frames.SUBTHEMES)].to_numpy().sum() <= 2 * len(framed)
    on = units[~units["off_topic"] & (units["genre"] != "seed")]
    assert on.groupby("article_id")["text"].apply(lambda t: t.map(frames.names_ketamine).any()).mean() > 0.95

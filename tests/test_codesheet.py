"""Coding sheets: the stratified sample, its checks, and matching coded sheets back to the corpus."""

import numpy as np
import pandas as pd
import pytest

from framing.io import codesheet as cs
from framing.measures.frames import FRAMES


@pytest.fixture(scope="module")
def built(raw_dir):
    from framing.pipeline import build

    return build(raw_dir)


def test_allocation_is_square_root_proportional_with_a_floor_and_never_exceeds_a_stratum():
    sizes = {"promise": 900, "risk": 100, "mixed": 3, "neutral": 1600, "boilerplate": 1}
    take = cs.allocate(sizes, 120)
    assert sum(take.values()) == 120
    assert all(take[h] <= sizes[h] for h in sizes)
    assert take["mixed"] >= 2 and take["boilerplate"] == 1  # the floor, capped by the stratum
    # sqrt(1600) : sqrt(900) : sqrt(100) = 4 : 3 : 1 among the large strata
    assert take["neutral"] / take["risk"] == pytest.approx(4, abs=0.5)
    assert take["promise"] / take["risk"] == pytest.approx(3, abs=0.5)
    assert cs.allocate({"a": 3, "b": 1}, 10) == {"a": 3, "b": 1}  # at most the population
    assert sum(cs.allocate({"a": 100, "b": 100, "c": 1}, 3).values()) == 3


def test_the_sample_is_seeded_stratified_by_the_automatic_frame_and_records_inclusion_probabilities(built):
    sheet = cs.draw(built, n=40, seed=3)
    assert list(sheet.columns) == cs.SHEET_COLUMNS
    assert sheet.equals(cs.draw(built, n=40, seed=3)) and not sheet.equals(cs.draw(built, n=40, seed=4))
    body = built.measured.loc[~built.measured["is_heading"]]
    assert len(sheet) == 40 and sheet["unit_id"].is_unique and set(sheet["unit_id"]) <= set(body["sentence_id"])
    frame = body.set_index("sentence_id")["frame"]
    assert (sheet["stratum"] == sheet["unit_id"].map(frame)).all()
    for h, rows in sheet.groupby("stratum"):
        assert (rows["stratum_size"] == (frame == h).sum()).all()
        assert rows["pi"].to_numpy() == pytest.approx(len(rows) / (frame == h).sum())
    assert not sheet["unit_id"].is_monotonic_increasing  # listed in a random order
    assert (sheet[cs.CODE_COLUMNS] == "").all().all()
    text = body.set_index("sentence_id")["text"]
    assert (sheet["text"] == sheet["unit_id"].map(text)).all()
    first = sheet.iloc[0]  # context: the neighbouring sentences of the same article
    ordered = built.measured.loc[built.measured["doc_id"] == first["doc_id"]].set_index("sentence")["text"]
    assert first["before"] == ordered.get(first["position"] - 1, "") and first["after"] == ordered.get(first["position"] + 1, "")


def _written(sheet, path):
    sheet.to_csv(path, index=False, lineterminator="\n")
    return path


def test_bad_sheets_are_refused_naming_the_file_and_the_lines(built, tmp_path):
    sheet = cs.draw(built, n=10)
    sheet.loc[1, ["frame", "hype", "hedge"]] = ["promise", "maybe", "false"]
    sheet.loc[2, ["frame", "hype", "hedge", "subthemes"]] = ["promise", "false", "false", "cost_access"]
    sheet.loc[3, ["frame", "hype", "hedge"]] = ["hopeful", "false", "false"]
    path = _written(sheet, tmp_path / "bad.csv")
    with pytest.raises(cs.SheetError) as err:
        cs.read_sheet(path)
    message = str(err.value)
    assert str(path) in message
    assert "hype is not true/false on coded lines [3]" in message
    assert "neither risk nor mixed on lines [4]" in message
    assert "frame is not one of" in message and "[5]" in message
    _written(sheet.drop(columns=["pi"]), tmp_path / "nopi.csv")
    with pytest.raises(cs.SheetError, match=r"nopi.csv: not a coding sheet, missing columns \['pi'\]"):
        cs.read_sheet(tmp_path / "nopi.csv")


def test_a_sheet_from_another_corpus_or_a_changed_corpus_is_refused(built, tmp_path):
    sheet = cs.draw(built, n=10)
    sheet.loc[0, ["frame", "hype", "hedge"]] = ["neutral", "false", "false"]
    changed = sheet.copy()
    changed.loc[0, "text"] = changed.loc[0, "text"] + " (edited)"
    with pytest.raises(cs.SheetError, match="text of units .* differs"):
        cs.design(built, cs.read_sheets(str(_written(changed, tmp_path / "changed.csv"))))
    other = sheet.copy()
    other["unit_id"] = [f"999_x:{i:04d}" for i in range(len(other))]
    with pytest.raises(cs.SheetError, match="not body sentences of this corpus"):
        cs.design(built, cs.read_sheets(str(_written(other, tmp_path / "other.csv"))))
    with pytest.raises(cs.SheetError, match="no unit of the sheets is coded"):
        cs.design(built, cs.read_sheets(str(_written(cs.draw(built, n=10), tmp_path / "blank.csv"))))


def test_several_sheets_combine_first_coder_first_and_must_share_the_blank_sheet(built, tmp_path):
    blank = cs.draw(built, n=12)
    a, b = blank.copy(), blank.copy()
    a.loc[:2, ["frame", "hype", "hedge", "coder"]] = ["neutral", "false", "false", "ann"]
    b.loc[:4, ["frame", "hype", "hedge", "coder"]] = ["promise", "true", "false", "bob"]
    sheets = cs.read_sheets(f"{_written(a, tmp_path / 'a.csv')},{_written(b, tmp_path / 'b.csv')}")
    assert [name for name, _ in sheets] == ["ann", "bob"]
    found = cs.design(built, sheets)
    assert len(found.hand) == 5 and found.prefix
    assert found.hand["coder"].tolist() == ["ann"] * 3 + ["bob"] * 2
    assert found.hand["frame"].tolist() == ["neutral"] * 3 + ["promise"] * 2
    assert (found.population["sentence_id"].to_numpy()[found.coded_index] == found.hand["unit_id"].to_numpy()).all()
    table = cs.strata_table(found)
    assert table["coded"].sum() == 5 and table["sentences"].sum() == len(found.population)
    assert table["in the sheet"].sum() == 12
    shuffled = blank.sample(frac=1, random_state=1)
    with pytest.raises(cs.SheetError, match="not a copy of the same blank sheet"):
        cs.read_sheets([_written(a, tmp_path / "a.csv"), _written(shuffled, tmp_path / "s.csv")])


def test_write_codesheet_refuses_a_folder_with_files_and_writes_sheet_notebook_and_codebook(raw_dir, tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "codes_ann.csv").write_text("keep me")
    with pytest.raises(cs.SheetError, match="not a new or empty folder"):
        cs.write_codesheet(raw_dir, tmp_path / "used", n=5)
    assert (tmp_path / "used" / "codes_ann.csv").read_text() == "keep me"
    path = cs.write_codesheet(raw_dir, tmp_path / "new", n=7)
    assert {p.name for p in (tmp_path / "new").iterdir()} == {"codesheet.csv", "coding.ipynb", "codebook.md"}
    assert len(cs.read_sheet(path)) == 7


def test_the_committed_seed_sheet_is_rebuilt_byte_for_byte(tmp_path):
    """data/annotations/seed_codesheet.csv is derived data: `make seedsheet` rebuilds it exactly."""
    cs._write_csv(cs.seed_sheet(), tmp_path / "seed.csv")
    assert (tmp_path / "seed.csv").read_bytes() == cs.SEED_SHEET.read_bytes()
    sheet = cs.read_sheet(cs.SEED_SHEET)
    assert len(sheet) == cs.SEED_SHEET_N and set(sheet["frame"]) <= set(FRAMES)
    coding = pd.read_csv(cs.SEED_SHEET.parent / "seed_sentences.csv", dtype=str, keep_default_na=False).set_index("id")
    assert (sheet["frame"].to_numpy() == coding.loc[sheet["unit_id"], "frame"].to_numpy()).all()
    assert np.isclose(cs.coded(sheet)["pi"], sheet["pi"]).all()

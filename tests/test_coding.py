"""The hand-coding app (framing.report.coding), driven in Python without a browser.

The sheet is hand-made with the columns and CSV conventions of ``framing.io.codesheet`` and
holds text that CSV round trips get wrong (commas, quotes, a line break inside a field,
"NA"/"nan", leading zeros, accents), so "every other byte identical" is a real check. The
browser test of the same app is in test_jupyterlab.py.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import ipywidgets as w
import pandas as pd
import pytest

from framing.io.codesheet import SHEET_COLUMNS, SheetError, coded, read_sheet
from framing.measures.frames import FRAMES, SUBTHEMES
from framing.report import coding
from framing.report.coding import CodingApp, coder_name, coder_sheet

NOTEBOOK = Path(coding.__file__).resolve().parents[1] / "data" / "coding.ipynb"
STRATA = ["promise", "risk", "neutral", "mixed", "boilerplate", "promise", "risk", "neutral"]


def _blank(n: int = 8, strata: list[str] | None = None) -> pd.DataFrame:
    strata = strata or STRATA[:n]
    texts = ['Ketamine, "a breakthrough", works fast.', "Side effects include dissociation.",
             "NA", "It may help, but risks remain.\nA second line inside the field.", "Share this article",
             "  leading spaces and café", "nan", "Long-term safety is unknown."]
    rows = []
    for i in range(n):
        rows.append({"unit_id": f"doc{i % 3}:{i:04d}", "doc_id": f"doc{i % 3}", "title": f"Title, {i} \u201cquoted\u201d",
                     "position": f"{i:03d}", "before": "" if i == 0 else f"Before {i}.", "text": texts[i % len(texts)],
                     "after": "" if i == n - 1 else f"After {i}, with a comma.", "stratum": strata[i],
                     "stratum_size": str(10 + FRAMES.index(strata[i]) if strata[i] in FRAMES else 10 + i),
                     "pi": "0.1111111111" if i % 2 else "0.5", "frame": "", "hype": "", "hedge": "",
                     "subthemes": "", "note": "", "coder": ""})
    return pd.DataFrame(rows, columns=SHEET_COLUMNS)


def _write(table: pd.DataFrame, path: Path) -> Path:
    table.to_csv(path, index=False, lineterminator="\n")
    return path


@pytest.fixture()
def sheet(tmp_path) -> Path:
    return _write(_blank(), tmp_path / "codesheet.csv")


def _records(path: Path) -> list[str]:
    """The file's CSV records as raw text (header first); a quoted line break stays inside its record."""
    records, current = [], ""
    for line in path.read_text(encoding="utf-8").split("\n")[:-1]:
        current = f"{current}\n{line}" if current else line
        if current.count('"') % 2 == 0:
            records.append(current)
            current = ""
    assert current == "" and path.read_bytes().endswith(b"\n")
    return records


def _code(app: CodingApp, frame: str, *toggles: str, note: str = "") -> bool:
    app.select_frame(frame)
    for name in toggles:
        app.toggle(name)
    app.set_note(note)
    return app.save_and_next()


def _strings(widget: w.Widget, seen: set | None = None) -> list[str]:
    """Every string a widget tree shows or holds: values, descriptions, tooltips, titles, options."""
    seen = set() if seen is None else seen
    if id(widget) in seen:
        return []
    seen.add(id(widget))
    found = []
    for name in widget.keys:
        value = getattr(widget, name)
        items = value if isinstance(value, (list, tuple)) else [value]
        for item in items:
            if isinstance(item, str):
                found.append(item)
            elif isinstance(item, w.Widget):
                found += _strings(item, seen)
    return found


def test_coder_name_is_sanitised_and_never_empty():
    assert coder_name("  Anna Müller ") == "Anna_Muller"
    assert coder_name("b.o/b") == "b_o_b"
    assert coder_name("x-y_1") == "x-y_1"
    for bad in ("", "   ", "../", "漢字"):
        with pytest.raises(ValueError, match="codes_<name>.csv"):
            coder_name(bad)


def test_coder_file_is_a_byte_copy_created_once_and_never_overwritten(sheet):
    path = coder_sheet(sheet, "Anna Müller")
    assert path == sheet.parent / "codes_Anna_Muller.csv"
    assert path.read_bytes() == sheet.read_bytes()
    app = CodingApp(sheet, coder="Anna Müller")
    _code(app, "promise")
    work = path.read_bytes()
    assert coder_sheet(sheet, "Anna Müller") == path and path.read_bytes() == work
    assert CodingApp(sheet, coder="Anna_Muller").path == path and path.read_bytes() == work
    other = coder_sheet(sheet, "bob")
    assert other.read_bytes() == sheet.read_bytes() != work
    assert sorted(p.name for p in sheet.parent.iterdir()) == ["codes_Anna_Muller.csv", "codes_bob.csv", "codesheet.csv"]
    with pytest.raises(SheetError, match="already holds codes"):
        coder_sheet(path, "carol")  # a coder's file with codes cannot seed another coder
    with pytest.raises(FileNotFoundError):
        coder_sheet(sheet.parent / "missing.csv", "dave")


def test_three_units_write_exactly_their_code_columns_and_every_other_byte_is_kept(sheet):
    app = CodingApp(sheet, coder="anna")
    blank = _records(sheet)
    wanted = [("promise", ("hype",), 'see "D4", hype'), ("risk", ("hedge", "acute_effects", "evidence_gaps"), ""),
              ("neutral", (), "")]
    for k, (frame, toggles, note) in enumerate(wanted, start=1):
        assert app.current_index == k - 1
        assert _code(app, frame, *toggles, note=note)
        on_disk = read_sheet(app.path)  # the file is on disk, complete, after every unit
        assert list(coded(on_disk)["unit_id"]) == list(on_disk["unit_id"][:k])
        assert not list(app.path.parent.glob(".*.tmp"))
    records = _records(app.path)
    assert len(records) == len(blank) and records[0] == blank[0]
    assert records[4:] == blank[4:]
    blank_codes = "," * len(coding.CODE_COLUMNS)
    expected = ['true,false,,"see ""D4"", hype",anna', "false,true,acute_effects;evidence_gaps,,anna",
                "false,false,,,anna"]
    for record, old, (frame, _, _), tail in zip(records[1:4], blank[1:4], wanted, expected):
        assert old.endswith(blank_codes)
        assert record == old[: -len(blank_codes)] + f",{frame},{tail}"
    done = coded(read_sheet(app.path))
    assert list(done["frame"]) == ["promise", "risk", "neutral"]
    assert list(done["hype"]) == [True, False, False] and list(done["hedge"]) == [False, True, False]
    assert done["acute_effects"].tolist() == [False, True, False] and done["evidence_gaps"].tolist() == [False, True, False]
    assert set(done["coder"]) == {"anna"}
    assert sheet.read_bytes().decode().count("anna") == 0  # the blank sheet is never written


def test_reopening_resumes_at_the_first_uncoded_unit(sheet):
    app = CodingApp(sheet, coder="anna")
    for frame in ("promise", "risk", "mixed"):
        _code(app, frame)
    again = CodingApp(sheet, coder="anna")
    assert again.current_index == 3 and again.n_coded == 3
    assert "unit 4 of 8" in again._progress.value
    assert "Resuming" in again.message
    assert CodingApp(sheet, coder="bob").current_index == 0  # another coder starts afresh


def test_back_then_saving_again_changes_that_row_only(sheet):
    app = CodingApp(sheet, coder="anna")
    for frame in ("promise", "risk", "neutral"):
        _code(app, frame)
    before = _records(app.path)
    assert app.back() and app.current_index == 2
    assert app.frame == "neutral"  # the saved codes are shown again
    assert app.back() and app.current_index == 1 and app.frame == "risk"
    app.select_frame("mixed")
    app.toggle("abuse_misuse")
    assert app.save_and_next() and app.current_index == 2
    after = _records(app.path)
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert changed == [2] and len(after) == len(before)
    assert ",mixed,false,false,abuse_misuse,,anna" in after[2]
    assert app.back() and app.back() and app.current_index == 0
    assert not app.back() and app.current_index == 0  # nothing before the first unit


def test_saving_without_a_frame_is_refused_and_writes_nothing(sheet):
    app = CodingApp(sheet, coder="anna")
    written = app.path.read_bytes()
    stamp = app.path.stat().st_mtime_ns
    app.toggle("hype")
    assert app.save_and_next() is False
    assert "Choose a frame" in app.message and app.current_index == 0
    app.select_frame("risk")
    app.select_frame("")  # pressing the chosen frame again clears it
    assert app.save_and_next() is False
    assert app.path.read_bytes() == written and app.path.stat().st_mtime_ns == stamp
    with pytest.raises(ValueError, match="not one of"):
        app.select_frame("positive")


def test_subthemes_are_only_kept_on_risk_or_mixed(sheet):
    app = CodingApp(sheet, coder="anna")
    with pytest.raises(ValueError, match="needs a risk or mixed frame"):
        app.toggle("acute_effects")
    app.select_frame("risk")
    assert app.toggle("acute_effects") and not app._themes["acute_effects"].disabled
    app.select_frame("promise")  # switching away clears and disables the sub-themes
    assert app._themes["acute_effects"].disabled and not app._themes["acute_effects"].value
    app._themes["cost_access"].value = True  # a value forced past the disabled button
    assert app.codes()["subthemes"] == ""
    assert app.save_and_next()
    row = read_sheet(app.path).iloc[0]
    assert (row["frame"], row["subthemes"]) == ("promise", "")


def test_automatic_frame_is_hidden_until_the_unit_is_saved(tmp_path):
    strata = [f"AUTO{i}LABEL" for i in range(8)]  # stand-ins that appear nowhere else
    path = _write(_blank(strata=strata), tmp_path / "codesheet.csv")
    app = CodingApp(path, coder="anna")
    for k in range(4):
        shown = "\n".join(_strings(app.widget))
        assert not [s for s in strata[k:] if s in shown], f"an automatic label shown before unit {k + 1} was coded"
        assert html.escape(app.table.at[k, "text"]) in shown  # the unit itself is shown
        _code(app, "neutral")
        shown = "\n".join(_strings(app.widget))
        assert f"the automatic coder said: {strata[k]}" in shown
        assert strata[k] in app.message
    app.select_frame("promise")  # the next edit clears the line
    assert not [s for s in strata if s in "\n".join(_strings(app.widget))]


def test_the_shown_unit_has_title_context_and_progress(sheet):
    app = CodingApp(sheet, coder="anna")
    _code(app, "promise")
    shown = app._unit.value
    assert html.escape(app.table.at[1, "title"]) in shown
    assert "Before 1." in shown and "After 1, with a comma." in shown
    assert "Side effects include dissociation." in shown
    assert "unit 2 of 8" in app._progress.value and "1 coded" in app._progress.value
    assert "<b>frame</b>" in "".join(_strings(app.widget))
    assert all(f"coding-frame-{f}" in app._frames[f]._dom_classes for f in FRAMES)
    assert all(f"coding-subtheme-{t}" in app._themes[t]._dom_classes for t in SUBTHEMES)
    assert "promise: the unit casts" in "".join(_strings(app.widget))  # the codebook is beside the unit


def test_login_then_all_units_coded(sheet):
    app = CodingApp(sheet)
    assert app.path is None and not list(sheet.parent.glob("codes_*"))
    app._name.value = "   "
    app._start.click()
    assert "empty" in app._login_status.value and app.path is None
    app._name.value = "Eve"
    app._start.click()
    assert app.path == sheet.parent / "codes_Eve.csv" and app.current_index == 0
    for frame in FRAMES + FRAMES[:3]:
        app._frames[frame].value = True  # as a click in the page
        app._save.click()
    assert app.done and app.current_index == 8
    shown = re.sub("<[^>]+>", "", app._unit.value)  # the text a reader sees
    assert "All 8 units coded; give this file to the report: make report" in shown
    assert shown.strip().endswith(f"CODES={app.path.resolve()}")
    assert app.save_and_next() is False and app._save.disabled
    assert len(coded(read_sheet(app.path))) == 8
    assert app.back() and app.current_index == 7 and app.frame == "mixed"
    assert isinstance(app.widget, w.Box) and app._repr_mimebundle_()


def test_a_damaged_or_changed_file_is_refused(sheet):
    app = CodingApp(sheet, coder="anna")
    table = pd.read_csv(app.path, dtype=str, keep_default_na=False)
    _write(table.iloc[::-1], app.path)  # rows reordered behind the app's back
    app.select_frame("promise")
    app._save.click()
    assert "changed on disk" in app.message and app.current_index == 0
    bad = table.assign(frame="positive")
    _write(bad, app.path)
    with pytest.raises(SheetError, match="frame is not one of"):
        CodingApp(sheet, coder="anna")
    with pytest.raises(FileNotFoundError):
        CodingApp(sheet.parent / "nothing.csv")


def test_the_notebook_is_clean_and_runs_the_app(sheet, monkeypatch):
    import nbformat

    text = NOTEBOOK.read_text(encoding="utf-8")
    nb = nbformat.reads(text, as_version=4)
    nbformat.validate(nb)
    assert text == json.dumps(json.loads(text), indent=1, ensure_ascii=False) + "\n"
    assert nb.nbformat == 4 and all(cell.get("id") for cell in nb.cells)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[-1].cell_type == "markdown"  # prose first, help below
    assert any("saved to disk after every unit" in c.source for c in nb.cells if c.cell_type == "markdown")
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.metadata.get("tags", []) for c in code] == [["parameters"], []]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert code[0].source == 'SHEET = "codesheet.csv"\nCODER = ""'
    monkeypatch.chdir(sheet.parent)
    space: dict = {}
    exec(code[0].source.replace('CODER = ""', 'CODER = "nb"'), space)
    exec(code[1].source.replace("CodingApp(SHEET", "app = CodingApp(SHEET"), space)
    assert space["app"].path == Path("codes_nb.csv") and os.path.exists("codes_nb.csv")

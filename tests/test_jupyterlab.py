"""Every notebook runs cleanly in JupyterLab in a real browser (headless Debian Chromium).

One JupyterLab server and one Chromium serve the whole session (see ``jupyterlab_driver``). For
each ``notebooks/[0-9]*.ipynb``: clear all outputs, Run All from the Run menu, then no error
output, every code cell executed, every figure the notebook writes is rendered inline, and in a
notebook with widgets the first dropdown/select changes what is shown. A screenshot per
notebook goes to ``build/screenshots/`` (git-ignored).

The driver is itself tested on notebooks generated here: a dropdown that filters a table (the
widget mechanism works before the exploration notebook exists), a dropdown wired to nothing,
and a deliberately broken notebook (the checks catch a raising cell and a figure that is saved
but never shown).

The hand-coding notebook (``lib/framing/data/coding.ipynb``, :mod:`framing.report.coding`) is
run on a real coding sheet of the seed corpus: a name typed, three units coded by clicking its
buttons, and the coder's CSV on disk holds exactly those codes.

Without Chromium the tests skip, except under CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

import jupyterlab_driver as driver

pytestmark = pytest.mark.slow  # a real browser and JupyterLab server: every test here takes over five seconds

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "build" / "screenshots"
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))


def _unavailable(reason: str):
    if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason}. Under CI the JupyterLab browser tests must run; "
                    ".ci/run installs Debian's chromium when it is missing.", pytrace=False)
    pytest.skip(f"{reason}: JupyterLab browser tests skipped (apt-get install chromium to run them)")


@pytest.fixture(scope="session")
def browser():
    chromium = driver.find_chromium()
    if chromium is None:
        where = os.environ.get("CHROMIUM") or " or ".join(driver.CHROMIUM_CANDIDATES)
        _unavailable(f"no Chromium at {where}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed (make setup installs it)")
    with sync_playwright() as p:
        b = driver.launch_browser(p, chromium)
        yield b
        b.close()


@pytest.fixture(scope="session")
def lab(browser):
    server = driver.LabServer(ROOT).start()
    yield server
    server.stop()


def _code(source: str, outputs=None) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": outputs or [],
            "source": source.strip("\n")}


def _write_notebook(path: Path, cells: list[dict]):
    nb = {"cells": cells, "nbformat": 4, "nbformat_minor": 5,
          "metadata": {"language_info": {"name": "python"}}}
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")


# What a saved, executed widget notebook carries; only its mime type matters to the driver.
_SAVED_WIDGET_VIEW = {"output_type": "display_data", "metadata": {},
                      "data": {driver.WIDGET_MIME: {"model_id": "0" * 32, "version_major": 2,
                                                    "version_minor": 0},
                               "text/plain": "VBox(children=(Dropdown(...), Output()))"}}

_WIDGET_SETUP = """
import ipywidgets as widgets
import pandas as pd
from IPython.display import display

articles = pd.DataFrame({
    "source": ["news", "news", "clinic", "blog", "clinic"],
    "title": ["Breakthrough", "Game-changer", "What to expect", "My story", "Side effects"],
    "n_sentences": [31, 40, 18, 25, 22],
})
"""

_WIDGET_FILTER = """
choice = widgets.Dropdown(options=sorted(articles["source"].unique()), description="source")
shown = widgets.Output()

def show(change=None):
    with shown:
        shown.clear_output(wait=True)
        display(articles[articles["source"] == choice.value])

choice.observe(show, names="value")
show()
widgets.VBox([choice, shown])
"""

_WIDGET_INERT = """
choice = widgets.Dropdown(options=["news", "clinic", "blog"], description="source")
display(articles)
choice
"""


def _check(run: driver.NotebookRun):
    found = driver.problems(run)
    assert not found, f"{run.name} in JupyterLab ({run.seconds:.1f} s):\n- " + "\n- ".join(found)


@pytest.mark.skipif(not NOTEBOOKS, reason="no notebooks/[0-9]*.ipynb yet")
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_clean_in_jupyterlab(browser, lab, name):
    run = driver.run_notebook(browser, lab, name, SCREENSHOTS / f"{Path(name).stem}.png")
    _check(run)
    assert run.screenshot.stat().st_size > 0
    assert run.n_code_cells > 0


def test_widget_dropdown_changes_the_shown_table(browser, lab):
    _write_notebook(lab.notebooks / "zz_widget_demo.ipynb",
                    [_code(_WIDGET_SETUP), _code(_WIDGET_FILTER, [_SAVED_WIDGET_VIEW])])
    run = driver.run_notebook(browser, lab, "zz_widget_demo.ipynb", SCREENSHOTS / "zz_widget_demo.png")
    assert run.has_widgets
    _check(run)
    assert run.widget_select_found and run.widget_output_changed, run.widget_detail
    assert run.widget_detail == "'blog' -> 'clinic'"


def test_widget_that_changes_nothing_is_reported(browser, lab):
    _write_notebook(lab.notebooks / "zz_widget_inert.ipynb",
                    [_code(_WIDGET_SETUP), _code(_WIDGET_INERT, [_SAVED_WIDGET_VIEW])])
    run = driver.run_notebook(browser, lab, "zz_widget_inert.ipynb")
    assert run.widget_select_found
    assert run.widget_output_changed is False
    assert any("widget interaction changed nothing" in p for p in driver.problems(run))
    with pytest.raises(AssertionError, match="changed nothing"):
        _check(run)


def test_broken_notebook_is_reported(browser, lab):
    """A raising cell, the cell after it left unexecuted, and a figure saved but never shown."""
    _write_notebook(lab.notebooks / "zz_broken.ipynb", [
        _code('import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([0, 1])\n'
              'fig.savefig("../figures/zz_broken.png")\nplt.close(fig)'),
        _code('raise ValueError("deliberately broken")'),
        _code('after = "never runs"'),
    ])
    run = driver.run_notebook(browser, lab, "zz_broken.ipynb", SCREENSHOTS / "zz_broken.png")
    found = driver.problems(run)
    assert any("ValueError: deliberately broken" in p for p in found), found
    assert run.unexecuted == [2], found
    assert run.figures_written == ["zz_broken.png"] and run.n_images == 0
    assert any("0 figure(s) rendered, expected at least 1" in p for p in found), found
    with pytest.raises(AssertionError, match="deliberately broken"):
        _check(run)


# Three units as clicked in the page: frame, the toggles pressed, and what the CSV must then hold.
_CLICKS = [
    ("promise", ["hype"], {"hype": True, "hedge": False, "subthemes": ""}),
    ("risk", ["acute_effects", "hedge"], {"hype": False, "hedge": True, "subthemes": "acute_effects"}),
    ("neutral", [], {"hype": False, "hedge": False, "subthemes": ""}),
]
_IN_OUTPUT = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output"


def _code_three_units(page, coder: str, seen: dict):
    """Type the coder's name, Start, then code three units with the buttons, as a coder would."""
    from playwright.sync_api import expect

    def widget(css: str):
        return page.locator(f"{_IN_OUTPUT} .{css}")

    widget("coding-coder-name").locator("input").fill(coder)
    widget("coding-start").click()
    progress = widget("coding-progress")
    expect(progress).to_contain_text("unit 1 of 12", timeout=driver.PAGE_TIMEOUT * 1000)
    seen["before_any_save"] = page.locator(_IN_OUTPUT).inner_text()
    for k, (frame, toggles, _) in enumerate(_CLICKS, start=1):
        pressed = [f"coding-frame-{frame}"] + [f"coding-{name}" if name in ("hype", "hedge")
                                               else f"coding-subtheme-{name}" for name in toggles]
        for css in pressed:
            widget(css).click()  # waits until the kernel has enabled a sub-theme on a risk unit
        for css in pressed:  # the kernel colours a pressed toggle: it has the click
            expect(widget(css)).to_have_class(re.compile(r"\bmod-info\b"))
        if k == 2:  # a unit with its codes chosen, before saving: how a coder sees it
            page.screenshot(path=str(SCREENSHOTS / "coding_unit.png"))
        widget("coding-save").click()
        expect(progress).to_contain_text(f"unit {k + 1} of 12", timeout=driver.PAGE_TIMEOUT * 1000)
    expect(widget("coding-status")).to_contain_text("the automatic coder said:")
    seen["progress"] = progress.inner_text()
    seen["status"] = widget("coding-status").inner_text()
    page.wait_for_function(driver._KERNEL_IDLE_JS)
    widget("coding-app").scroll_into_view_if_needed()


def test_coding_notebook_codes_three_units_in_the_browser(browser, lab):
    from framing.io.codesheet import coded, read_sheet, write_codesheet

    folder = lab.notebooks / "zz_coding"
    sheet = write_codesheet(lab.root / "data" / "raw", folder, n=12)
    blank = sheet.read_bytes()
    assert (folder / "coding.ipynb").is_file() and (folder / "codebook.md").is_file()
    seen: dict = {}
    run = driver.run_notebook(browser, lab, "zz_coding/coding.ipynb", SCREENSHOTS / "coding.png",
                              actions=lambda page: _code_three_units(page, "Browser Coder", seen))
    _check(run)
    assert "unit 1 of 12" in seen["before_any_save"] and "automatic coder said" not in seen["before_any_save"]
    assert "unit 4 of 12" in seen["progress"] and "3 coded" in seen["progress"]
    assert "Saved unit 3 as neutral" in seen["status"]
    assert sheet.read_bytes() == blank  # the blank sheet is never written
    table = read_sheet(folder / "codes_Browser_Coder.csv")
    done = coded(table)
    assert list(done["unit_id"]) == list(table["unit_id"][:3])
    assert list(done["frame"]) == [frame for frame, _, _ in _CLICKS]
    for column in ("hype", "hedge", "subthemes"):
        assert list(done[column]) == [want[column] for _, _, want in _CLICKS], column
    assert set(done["coder"]) == {"Browser_Coder"}

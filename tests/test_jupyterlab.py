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

Without Chromium the tests skip, except under CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import json
import os
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

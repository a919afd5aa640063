"""Widget ids in executed notebooks are renumbered so notebooks are byte-identical across runs."""

import json

from framing.report.nbtools import normalise_widgets


def _nb(ids):
    cells = [{"cell_type": "code", "source": "", "metadata": {}, "execution_count": 1, "outputs": [
        {"output_type": "display_data", "metadata": {},
         "data": {"text/plain": "VBox()", "application/vnd.jupyter.widget-view+json": {"model_id": i, "version_major": 2}}}
    ]} for i in ids]
    return {"cells": cells, "metadata": {"widgets": {"state": {i: {} for i in ids}}}, "nbformat": 4, "nbformat_minor": 5}


def test_two_runs_with_different_random_ids_become_identical(tmp_path):
    a, b = tmp_path / "a.ipynb", tmp_path / "b.ipynb"
    a.write_text(json.dumps(_nb(["f00d", "beef", "f00d"])))
    b.write_text(json.dumps(_nb(["1234", "9999", "1234"])))
    assert normalise_widgets(a) and normalise_widgets(b)
    assert a.read_bytes() == b.read_bytes()
    nb = json.loads(a.read_text())
    ids = [c["outputs"][0]["data"]["application/vnd.jupyter.widget-view+json"]["model_id"] for c in nb["cells"]]
    assert ids == [f"{1:032x}", f"{2:032x}", f"{1:032x}"], "the same widget keeps one id"
    assert "widgets" not in nb["metadata"]
    assert not normalise_widgets(a), "a normalised notebook is left as it is"

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


def test_run_details_are_dropped_and_the_rest_kept(tmp_path):
    import json

    from framing.report.nbtools import drop_run_details

    nb = {"cells": [{"cell_type": "code", "metadata": {"execution": {"iopub.status.busy": "2026-12-01T21:05:59Z"},
                                                        "papermill": {"duration": 1.0, "end_time": "x", "start_time": "y",
                                                                      "status": "completed"}, "tags": ["findings"]},
                     "outputs": [], "source": "1", "execution_count": 1},
                    {"cell_type": "code", "id": "5e3a9c1f", "metadata": {"tags": ["injected-parameters"]}, "outputs": [],
                     "source": "CORPUS = 'c'", "execution_count": 2}],
          "metadata": {"papermill": {"duration": 2.1, "start_time": "a", "end_time": "b", "parameters": {"CORPUS": "c"}}},
          "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps(nb))
    assert drop_run_details(path) is True
    cleaned = json.loads(path.read_text())
    assert cleaned["metadata"]["papermill"] == {"parameters": {"CORPUS": "c"}}
    assert cleaned["cells"][0]["metadata"] == {"papermill": {"status": "completed"}, "tags": ["findings"]}
    assert cleaned["cells"][1]["id"] == "injected-parameters"
    assert drop_run_details(path) is False  # nothing left to drop


def test_a_print_split_in_two_messages_is_saved_as_one_output(tmp_path):
    import json

    from framing.report.nbtools import merge_streams

    outputs = [{"name": "stdout", "output_type": "stream", "text": ["Wrong claims found: 1."]},
               {"name": "stdout", "output_type": "stream", "text": ["\n"]},
               {"data": {"text/plain": ["table"]}, "metadata": {}, "output_type": "display_data"},
               {"name": "stdout", "output_type": "stream", "text": ["after\n"]}]
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": outputs, "source": "", "execution_count": 1}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps(nb))
    assert merge_streams(path) is True
    merged = json.loads(path.read_text())["cells"][0]["outputs"]
    assert [o["output_type"] for o in merged] == ["stream", "display_data", "stream"]  # order kept
    assert merged[0]["text"] == ["Wrong claims found: 1.\n"]
    assert merge_streams(path) is False


def test_value_range_names_both_ends_or_says_all_equal():
    import pandas as pd

    from framing.report.prose import value_range

    assert value_range(pd.Series({"a": 2.0, "b": 28.6, "c": 5.0})) == "from 2.0 (a) to 28.6 (b)"
    assert value_range(pd.Series({"a": 0.0, "b": 0.0})) == "0.0 in every source"

"""Make executed notebooks reproducible byte for byte.

ipywidgets gives every widget a random model id, and nbclient stores the widgets' state in
the notebook metadata, so a notebook with widgets would differ on every run. After execution,
:func:`normalise_widgets` numbers the model ids in order of appearance and drops the stored
state. A saved notebook then shows "model not found" in place of a widget until it is run
again (as it would after any kernel restart); its static outputs are unaffected.

Command line: ``python -m framing.report.nbtools NOTEBOOK.ipynb ...``
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    import os

import json
import sys
from pathlib import Path

__all__ = ["normalise_widgets", "drop_run_details", "merge_streams"]

_VIEW = "application/vnd.jupyter.widget-view+json"


def _load(path: str | os.PathLike[str]) -> tuple[Path, str, dict]:
    """A notebook file's path, its text and its parsed JSON."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    return path, text, json.loads(text)


def _save(path: Path, text: str, nb: dict) -> bool:
    """Write ``nb`` back (sorted keys, one-space indent) if it differs from ``text``; True if it did."""
    new = json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    if new != text:
        path.write_text(new, encoding="utf-8")
        return True
    return False


#: Timing metadata papermill and nbclient write into an executed notebook (clock times, durations).
_TIMING = ("start_time", "end_time", "duration")


def drop_run_details(path: str | os.PathLike[str]) -> bool:
    """Remove execution clock times and durations (papermill's and nbclient's) and give papermill's
    injected parameter cell a fixed id (it draws a random one) in place; True if the file changed.
    The notebook keeps papermill's parameters and each cell's status."""
    path, text, nb = _load(path)
    for key in _TIMING:
        nb.get("metadata", {}).get("papermill", {}).pop(key, None)
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {})
        meta.pop("execution", None)
        if "injected-parameters" in meta.get("tags", []):
            cell["id"] = "injected-parameters"
        for key in _TIMING:
            meta.get("papermill", {}).pop(key, None)
    return _save(path, text, nb)


def merge_streams(path: str | os.PathLike[str]) -> bool:
    """Join adjacent stream outputs of the same stream (stdout, stderr) in place; True if changed.

    The kernel may send one print as one message or as two (the text, then its newline) when the
    machine is busy; joined, the saved notebook is the same either way.
    """
    path, text, nb = _load(path)
    for cell in nb.get("cells", []):
        merged = []
        for output in cell.get("outputs", []):
            previous = merged[-1] if merged else None
            if (output.get("output_type") == "stream" and previous is not None
                    and previous.get("output_type") == "stream" and previous.get("name") == output.get("name")):
                joined = "".join(previous["text"]) + "".join(output["text"])
                previous["text"] = joined.splitlines(keepends=True)
            else:
                merged.append(output)
        if "outputs" in cell:
            cell["outputs"] = merged
    return _save(path, text, nb)


def normalise_widgets(path: str | os.PathLike[str]) -> bool:
    """Renumber widget model ids and drop stored widget state in place; True if the file changed."""
    path, text, nb = _load(path)
    ids: dict[str, str] = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(_VIEW)
            if view and "model_id" in view:
                view["model_id"] = ids.setdefault(view["model_id"], f"{len(ids) + 1:032x}")
    nb.get("metadata", {}).pop("widgets", None)
    return _save(path, text, nb)


def main(argv: list[str] | None = None) -> int:
    """Normalise every notebook named on the command line."""
    for name in argv if argv is not None else sys.argv[1:]:
        merge_streams(name)
        normalise_widgets(name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

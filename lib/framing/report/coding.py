"""Hand coding of a coding sheet in JupyterLab, one unit at a time (ipywidgets).

Workflow:

1. ``make codesheet`` (:func:`framing.io.codesheet.write_codesheet`) writes the blank sheet
   ``codesheet.csv`` (a seeded random sample of the corpus's sentences), ``coding.ipynb`` and
   ``codebook.md`` into one folder.
2. Each coder opens ``coding.ipynb`` in JupyterLab and runs it. :class:`CodingApp` asks for the
   coder's name (unless the notebook's ``CODER`` parameter gives it) and codes into the coder's
   own file ``codes_<name>.csv`` beside the blank sheet (:func:`coder_sheet`: a byte copy of the
   blank sheet made once, never overwritten), so two coders never write to one file.
3. The app shows one unit at a time, in sheet order (a random order: a coder who stops early has
   still coded a random sample), starting at the first uncoded unit: the article title, the
   previous sentence and the next one in grey, the unit itself highlighted, "unit k of N", and the
   codebook in a column beside it. The coder picks a frame (required), hype, hedge, risk
   sub-themes (only on risk or mixed units) and may write a note. "Save and next" checks the codes,
   writes them into the unit's row and saves the whole file to disk at once (a temporary file in
   the same folder, then :func:`os.replace`: a crash never leaves half a file; every other row
   keeps its bytes). Closing the notebook loses at most the unit on screen; running it again
   resumes at the first uncoded unit. "Back" revisits the previous unit (its codes are shown and
   saving again replaces them).
4. The automatic coder's frame (the sheet's ``stratum`` column, used to stratify the sample) is
   never shown before a unit is coded; after "Save and next" the app says, for the unit just
   saved, what the automatic coder said.
5. When every unit is coded the app says which file to give the report
   (``make report ... CODES=<file>``, :mod:`framing.measures.corrected`).

All the logic is here; the notebook only calls ``CodingApp(SHEET, coder=CODER)``. The methods
(:meth:`CodingApp.start`, :meth:`CodingApp.select_frame`, :meth:`CodingApp.toggle`,
:meth:`CodingApp.set_note`, :meth:`CodingApp.save_and_next`, :meth:`CodingApp.back`) change the
same state the buttons change, so tests drive the app in Python without a browser. Every widget
carries a stable CSS class (``coding-frame-risk``, ``coding-save``, ... :data:`CSS`) for browser
tests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    from collections.abc import Callable

import html
import os
import re
import stat
import tempfile
import unicodedata
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import ipywidgets as w
import pandas as pd

from framing.io.codesheet import CODEBOOK, CODE_COLUMNS, SheetError, read_sheet
from framing.measures.frames import FRAMES, SUBTHEMES

__all__ = ["RISK_FRAMES", "CSS", "coder_name", "coder_sheet", "CodingApp"]

#: Frames on which risk sub-themes may be coded (codebook D17).
RISK_FRAMES = ("risk", "mixed")

#: CSS classes of the widgets, for browser tests (frame and sub-theme buttons add their name).
CSS = {
    "app": "coding-app", "coder_name": "coding-coder-name", "start": "coding-start",
    "progress": "coding-progress", "unit": "coding-unit", "frame": "coding-frame-",
    "hype": "coding-hype", "hedge": "coding-hedge", "subtheme": "coding-subtheme-",
    "note": "coding-note", "back": "coding-back", "save": "coding-save", "status": "coding-status",
    "codebook": "coding-codebook", "done": "coding-done",
}

_GREY = "#6b6b6b"
_ERROR = "#b00020"


def coder_name(name: str) -> str:
    """``name`` as it appears in file names and in the ``coder`` column: accents dropped, every run
    of characters other than ``A-Za-z0-9_-`` replaced by ``_``. Raises ValueError when nothing is left."""
    ascii_ = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii")
    clean = re.sub(r"[^A-Za-z0-9_-]+", "_", ascii_.strip()).strip("_")
    if not clean:
        raise ValueError(f"coder name {name!r} is empty: type a name with at least one letter or digit "
                         "(it names your file codes_<name>.csv)")
    return clean


def _read_raw(path: Path) -> pd.DataFrame:
    """The sheet as strings, exactly as written (no NA conversion), for byte-stable rewriting."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _coded_mask(table: pd.DataFrame) -> pd.Series:
    return table["frame"].astype(str).str.strip() != ""


def coder_sheet(sheet_path: str | os.PathLike[str], coder: str) -> Path:
    """The coder's own file ``codes_<coder>.csv`` beside the blank sheet ``sheet_path``: created as a
    byte copy of the blank sheet if absent, returned untouched if present (never overwritten).

    Raises ValueError for an empty coder name, FileNotFoundError for a missing sheet and
    :class:`~framing.io.codesheet.SheetError` for a sheet that is not a blank coding sheet (a coder's
    file holding codes cannot start another coder's file)."""
    sheet = Path(sheet_path)
    target = sheet.parent / f"codes_{coder_name(coder)}.csv"
    if target.exists():
        return target
    if not sheet.is_file():
        raise FileNotFoundError(f"{sheet}: no coding sheet there (make codesheet writes codesheet.csv)")
    data = sheet.read_bytes()
    if _coded_mask(read_sheet(sheet)).any():
        raise SheetError(f"{sheet}: already holds codes; start a coder's file from the blank sheet codesheet.csv")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp", dir=target.parent)
    try:
        os.chmod(tmp, stat.S_IMODE(sheet.stat().st_mode))  # readable like the blank sheet, not mkstemp's 0600
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        try:
            os.link(tmp, target)  # atomic and refuses to replace a file created meanwhile
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not target.exists():
                os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target


def _write_atomic(table: pd.DataFrame, path: Path) -> None:
    """Write ``table`` over ``path`` through a temporary file in the same folder and os.replace."""
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            table.to_csv(handle, index=False, lineterminator="\n")
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _codebook_html(sheet: Path) -> str:
    """codebook.md beside the sheet, else the repository's, as HTML. Rendered with mistune, the
    markdown converter nbconvert uses (imported in milliseconds where nbconvert takes seconds)."""
    source = next((p for p in (sheet.parent / "codebook.md", CODEBOOK) if p.is_file()), None)
    if source is None:
        return "<p><i>No codebook.md found beside the sheet.</i></p>"
    text = source.read_text(encoding="utf-8")
    try:
        import mistune
    except ImportError:  # pragma: no cover - nbconvert depends on mistune
        body = f"<pre style='white-space:pre-wrap'>{html.escape(text)}</pre>"
    else:
        body = mistune.create_markdown(escape=True, plugins=["table"])(text)
    style = ("<style>.coding-codebook-text h1{font-size:1.15em;margin:0.2em 0}"
             ".coding-codebook-text h2{font-size:1.05em;margin:0.8em 0 0.2em}"
             ".coding-codebook-text h3{font-size:1em;margin:0.6em 0 0.2em}"
             ".coding-codebook-text p,.coding-codebook-text li{margin:0.2em 0}"
             ".coding-codebook-text ul{padding-left:1.2em;margin:0.2em 0}</style>")
    return (f"{style}<div class='coding-codebook-text' style='line-height:1.4;font-size:0.85em'>"
            f"<div style='color:{_GREY}'>{html.escape(str(source))}</div>{body}</div>")


def _context(text: str, missing: str) -> str:
    shown = html.escape(text) if text.strip() else f"<i>({missing})</i>"
    return f"<div style='color:{_GREY};margin:0.4em 0;font-size:0.95em'>{shown}</div>"


def _unit_html(row: pd.Series) -> str:
    """The unit with its article title and neighbours; never the ``stratum``."""
    return ("<div style='line-height:1.45;white-space:normal'>"
            f"<div style='color:{_GREY};font-size:0.9em'>Article: <b>{html.escape(row['title'])}</b>"
            f" &middot; sentence {html.escape(row['position'])}</div>"
            + _context(row["before"], "start of the article")
            + "<div style='background:#fff3b0;border-left:5px solid #e0a800;padding:0.5em 0.8em;"
              f"font-size:1.15em;color:#111'>{html.escape(row['text'])}</div>"
            + _context(row["after"], "end of the article") + "</div>")


def _toggle(label: str, css: str, tooltip: str = "") -> w.ToggleButton:
    button = w.ToggleButton(value=False, description=label, tooltip=tooltip or label,
                            layout=w.Layout(width="auto"))
    button.add_class(css)

    def mark(change: dict) -> None:  # a pressed toggle is coloured, not only a shade darker
        button.button_style = "info" if change["new"] else ""

    button.observe(mark, names="value")
    return button


class CodingApp:
    """Code the units of a coding sheet one at a time; ``.widget`` is the ipywidgets container
    (displaying the app displays it). ``coder`` given: start coding at once, else ask for a name.

    State for tests: :attr:`path` (the coder's file, None before :meth:`start`),
    :attr:`current_index` (0-based row shown; ``n`` when every unit is coded), :attr:`frame`,
    :attr:`message` (the last status line, as text)."""

    def __init__(self, sheet_path: str | os.PathLike[str], coder: str = "") -> None:
        self.sheet_path = Path(sheet_path)
        if not self.sheet_path.is_file():
            raise FileNotFoundError(f"{self.sheet_path}: no coding sheet there (make codesheet writes codesheet.csv)")
        self.path: Path | None = None
        self.coder = ""
        self.table = pd.DataFrame(columns=CODE_COLUMNS)
        self.current_index = 0
        self.frame = ""
        self.message = ""
        self._syncing = False
        self._build()
        if str(coder).strip():
            self.start(coder)
        else:
            self.widget.children = [self._login]

    # --- widgets -------------------------------------------------------------------------------

    def _build(self) -> None:
        self._name = w.Text(placeholder="your name", description="Coder:", layout=w.Layout(width="320px"))
        self._name.add_class(CSS["coder_name"])
        self._start = w.Button(description="Start", button_style="primary", layout=w.Layout(width="auto"))
        self._start.add_class(CSS["start"])
        self._start.on_click(self._on_start)
        self._login_status = w.HTML()
        intro = w.HTML("<b>Hand coding.</b> Type your name and click Start: your codes go to your own file "
                       f"codes_&lt;name&gt;.csv beside {html.escape(self.sheet_path.name)} and are saved after every unit.")
        self._login = w.VBox([intro, w.HBox([self._name, self._start]), self._login_status])

        self._progress = w.HTML()
        self._progress.add_class(CSS["progress"])
        self._unit = w.HTML(layout=w.Layout(width="100%"))
        self._unit.add_class(CSS["unit"])
        self._frames = {f: _toggle(f, CSS["frame"] + f) for f in FRAMES}
        for name, button in self._frames.items():
            button.observe(lambda change, name=name: self._on_frame(name, change), names="value")
        self._flags = {"hype": _toggle("hype", CSS["hype"], "promotional or superlative wording"),
                       "hedge": _toggle("hedge", CSS["hedge"], "uncertainty or tentativeness")}
        self._themes = {t: _toggle(t.replace("_", " "), CSS["subtheme"] + t) for t in SUBTHEMES}
        self._note = w.Text(placeholder="note (optional)", layout=w.Layout(width="420px"))
        self._note.add_class(CSS["note"])
        for control in (*self._flags.values(), *self._themes.values(), self._note):
            control.observe(self._on_edit, names="value")
        self._back = w.Button(description="Back", icon="arrow-left", layout=w.Layout(width="auto"))
        self._back.add_class(CSS["back"])
        self._back.on_click(lambda _: self._guard(self.back))
        self._save = w.Button(description="Save and next", icon="check", button_style="success",
                              layout=w.Layout(width="auto"))
        self._save.add_class(CSS["save"])
        self._save.on_click(lambda _: self._guard(self.save_and_next))
        self._status = w.HTML()
        self._status.add_class(CSS["status"])

        def row(label: str, controls: list) -> w.HBox:
            head = w.HTML(f"<b>{label}</b>", layout=w.Layout(width="125px", flex="0 0 auto"))
            return w.HBox([head, w.HBox(controls, layout=w.Layout(flex_flow="row wrap"))])

        self._controls = w.VBox([
            row("frame", list(self._frames.values())),
            row("flags", list(self._flags.values())),
            row("risk sub-themes", list(self._themes.values())),
            row("note", [self._note]),
        ])
        nav = w.HBox([self._back, self._save], layout=w.Layout(margin="0.5em 0 0 0"))
        codebook = w.HTML(_codebook_html(self.sheet_path))
        codebook.add_class(CSS["codebook"])
        side = w.Accordion([w.Box([codebook], layout=w.Layout(max_height="640px", overflow="auto"))],
                           selected_index=0, layout=w.Layout(flex="2 1 0%", min_width="280px"))
        side.set_title(0, "Codebook")
        main = w.VBox([self._progress, self._unit, self._controls, nav, self._status],
                      layout=w.Layout(flex="3 1 0%", min_width="420px", padding="0 1em 0 0"))
        self._coding = w.HBox([main, side], layout=w.Layout(width="100%", align_items="flex-start"))
        self.widget = w.VBox([], layout=w.Layout(width="100%"))
        self.widget.add_class(CSS["app"])

    def _repr_mimebundle_(self, **kwargs: Any) -> dict | None:
        return self.widget._repr_mimebundle_(**kwargs)

    @contextmanager
    def _sync(self) -> Iterator[None]:
        """Set widget values without their observers acting as if the coder had clicked."""
        old, self._syncing = self._syncing, True
        try:
            yield
        finally:
            self._syncing = old

    def _say(self, text: str, error: bool = False) -> None:
        self.message = text
        color = _ERROR if error else "#1b5e20"
        self._status.value = f"<div style='color:{color};line-height:1.4'>{html.escape(text)}</div>" if text else ""

    def _guard(self, action: Callable[[], object]) -> None:
        """Run a button's action; show a failure (file changed, disk full...) instead of losing it."""
        try:
            action()
        except (OSError, SheetError, ValueError) as error:
            self._say(f"Not saved: {error}", error=True)

    # --- state ---------------------------------------------------------------------------------

    @property
    def n(self) -> int:
        """Units in the sheet."""
        return len(self.table)

    @property
    def n_coded(self) -> int:
        """Units coded so far (frame not empty)."""
        return int(_coded_mask(self.table).sum()) if self.n else 0

    @property
    def done(self) -> bool:
        """True when every unit is coded and the app shows the closing message."""
        return self.path is not None and self.current_index >= self.n

    def first_uncoded(self) -> int:
        """Index of the first row without a frame (``n`` when every row has one)."""
        todo = (~_coded_mask(self.table)).to_numpy().nonzero()[0]
        return int(todo[0]) if len(todo) else self.n

    def codes(self) -> dict[str, str]:
        """The codes on screen as they would be written: sub-themes only on risk or mixed."""
        themes = [t for t in SUBTHEMES if self._themes[t].value] if self.frame in RISK_FRAMES else []
        return {"frame": self.frame,
                "hype": "true" if self._flags["hype"].value else "false",
                "hedge": "true" if self._flags["hedge"].value else "false",
                "subthemes": ";".join(themes), "note": self._note.value.strip(), "coder": self.coder}

    # --- actions (the buttons call these) ---------------------------------------------------------

    def start(self, coder: str) -> Path:
        """Open (creating if needed) the coder's file and show its first uncoded unit."""
        name = coder_name(coder)
        path = coder_sheet(self.sheet_path, name)
        read_sheet(path)  # refuse a damaged file before coding into it
        self.coder, self.path, self.table = name, path, _read_raw(path)
        self.current_index = self.first_uncoded()
        self.widget.children = [self._coding]
        self._say(f"Coding into {path.name}: saved after every unit." if self.n_coded == 0 else
                  f"Resuming {path.name}: {self.n_coded} of {self.n} units already coded.")
        self._show()
        return path

    def select_frame(self, name: str) -> None:
        """Choose the frame (one of FRAMES; "" clears it); sub-themes are enabled on risk or mixed
        only and cleared otherwise."""
        if name not in ("", *FRAMES):
            raise ValueError(f"frame {name!r} is not one of {list(FRAMES)}")
        self.frame = name
        risky = name in RISK_FRAMES
        with self._sync():
            for frame, button in self._frames.items():
                button.value = frame == name
            for button in self._themes.values():
                button.disabled = not risky
                if not risky:
                    button.value = False
        self._on_edit()

    def toggle(self, name: str, value: bool | None = None) -> bool:
        """Flip (or set) ``hype``, ``hedge`` or a risk sub-theme; returns its new state. A sub-theme
        needs a risk or mixed frame (ValueError otherwise, as the disabled button refuses)."""
        button = self._flags.get(name) or self._themes.get(name)
        if button is None:
            raise ValueError(f"{name!r} is neither hype, hedge nor one of {list(SUBTHEMES)}")
        if name in self._themes and self.frame not in RISK_FRAMES:
            raise ValueError(f"sub-theme {name!r} needs a risk or mixed frame (frame is {self.frame or 'not chosen'})")
        button.value = (not button.value) if value is None else bool(value)
        return button.value

    def set_note(self, text: str) -> None:
        """The unit's note (free text, one line)."""
        self._note.value = str(text)

    def save_and_next(self) -> bool:
        """Validate the codes on screen, write them into the unit's row, save the file to disk and
        show the next unit. Returns False (and writes nothing) without a frame or when done."""
        if self.path is None or self.done:
            self._say("Every unit is coded: nothing to save." if self.done else "Start first.", error=True)
            return False
        if self.frame not in FRAMES:
            self._say("Choose a frame before saving (one of " + ", ".join(FRAMES) + ").", error=True)
            return False
        codes, saved = self.codes(), self.current_index
        self._write_row(saved, codes)
        self.current_index = saved + 1
        self._show()
        self._say(f"Saved unit {saved + 1} as {codes['frame']}; the automatic coder said: {self.table.at[saved, 'stratum']}.")
        return True

    def back(self) -> bool:
        """Show the previous unit with its saved codes; False on the first unit."""
        if self.path is None or self.current_index == 0:
            self._say("This is the first unit.", error=True)
            return False
        self.current_index = min(self.current_index, self.n) - 1
        self._show()
        self._say("")
        return True

    # --- internals -----------------------------------------------------------------------------

    def _on_start(self, _button: Any) -> None:
        try:
            self.start(self._name.value)
        except (OSError, ValueError) as error:  # SheetError is a ValueError
            self._login_status.value = f"<span style='color:{_ERROR}'>{html.escape(str(error))}</span>"

    def _on_frame(self, name: str, change: dict) -> None:
        if not self._syncing:
            self.select_frame(name if change["new"] else "")

    def _on_edit(self, _change: Any = None) -> None:
        """Any edit of the codes on screen clears the last status line (the automatic coder's frame
        of the unit saved before is shown only until the coder starts on the next one)."""
        if not self._syncing and self.message:
            self._say("")

    def _write_row(self, index: int, codes: dict[str, str]) -> None:
        """Re-read the file, set one row's codes, write it back atomically (other rows byte-stable)."""
        table = _read_raw(self.path)
        unit = self.table.at[index, "unit_id"]
        if len(table) != self.n or table.at[index, "unit_id"] != unit:
            raise SheetError(f"{self.path}: changed on disk since it was opened (row {index + 1} is no longer "
                             f"unit {unit}); run the notebook again")
        for column, value in codes.items():
            table.at[index, column] = value
        _write_atomic(table, self.path)
        self.table = table

    def _show(self) -> None:
        """Render the current unit with its saved codes, or the closing message when done."""
        if self.done:
            self._show_done()
            return
        row = self.table.iloc[self.current_index]
        self._progress.value = (f"<div style='font-size:1.05em'><b>unit {self.current_index + 1} of {self.n}</b>"
                                f" <span style='color:{_GREY}'>&middot; {self.n_coded} coded &middot; coder "
                                f"{html.escape(self.coder)} &middot; {html.escape(self.path.name)}</span></div>")
        self._unit.value = _unit_html(row)
        self._controls.layout.display = None
        self._save.disabled = False
        self._back.disabled = self.current_index == 0
        self._load(row)

    def _show_done(self) -> None:
        target = self.path.resolve()
        self._progress.value = f"<b>All {self.n} units coded</b>"
        self._unit.value = (f"<div class='{CSS['done']}' style='line-height:1.45;padding:0.5em 0'>"
                            f"All {self.n} units coded; give this file to the report: "
                            f"<code>make report CORPUS=... OUT=... CODES={html.escape(str(target))}</code></div>")
        self._controls.layout.display = "none"
        self._save.disabled = True
        self._back.disabled = self.n == 0
        self._load(None)

    def _load(self, row: pd.Series | None) -> None:
        """Put a row's saved codes (none for an uncoded row) on the controls."""
        frame = str(row["frame"]).strip() if row is not None else ""
        frame = frame if frame in FRAMES else ""
        themes = {t.strip() for t in str(row["subthemes"]).split(";")} if row is not None else set()
        with self._sync():
            self.select_frame(frame)
            for flag, button in self._flags.items():
                button.value = row is not None and str(row[flag]).strip().lower() == "true"
            for theme, button in self._themes.items():
                button.value = theme in themes and frame in RISK_FRAMES
            self._note.value = str(row["note"]) if row is not None else ""

"""Drive JupyterLab in headless Chromium: open a notebook, clear it, Run All, report what rendered.

Used by ``tests/test_jupyterlab.py``. Nothing here is a test by itself; :func:`problems` turns a
:class:`NotebookRun` into the list of things that are wrong with it (empty = the notebook ran
cleanly in the browser).

* :class:`LabServer` starts one ``jupyter lab`` on 127.0.0.1 (free port, random token) serving a
  temporary root that holds a COPY of ``notebooks/`` and ``data/`` (the notebooks read
  ``../data/raw`` and write ``../figures``), so autosave and figures never touch tracked files.
  Settings, workspaces, runtime and config live in that root too; the user's own Jupyter set-up
  is not read and not written. The kernel runs without ``MPLBACKEND`` (``make`` exports ``Agg``,
  which would hide inline figures) so figures render as they do for a reader.
* :func:`run_notebook` opens ``/lab/tree/<nb>?reset&token=T`` in a page of one shared Chromium
  (Debian's ``/usr/bin/chromium``, never a downloaded browser), waits for the kernel to be Idle
  in the status bar, clears every output from the Edit menu, runs all cells from the Run menu,
  waits until no cell shows ``[*]`` and the kernel is Idle again, collects errors, prompts and
  images, performs one widget interaction if the notebook has widgets, and saves a screenshot.

Widget convention (the exploration notebook must follow it): the FIRST dropdown or select
widget (``ipywidgets.Dropdown`` / ``Select``, rendered as an HTML ``<select>``) in the notebook
drives what is shown below it; choosing another option must change the visible output text (or
an image) of the notebook's output areas, e.g. a table or figure in an ``ipywidgets.Output`` or
an ``interact`` output.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
]
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
IMAGE_MIMES = ("image/png", "image/jpeg", "image/svg+xml")

# Upper bounds against hangs only; every wait ends as soon as its condition holds.
SERVER_START_TIMEOUT = 90
PAGE_TIMEOUT = 90
RUN_TIMEOUT = float(os.environ.get("JLAB_RUN_TIMEOUT", "600"))
WIDGET_RENDER_GRACE = 5  # seconds for a widget's new output to render after the kernel is idle


def find_chromium() -> str | None:
    """Debian's Chromium, or only the one named by $CHROMIUM if set; None if there is none."""
    candidates = [os.environ["CHROMIUM"]] if os.environ.get("CHROMIUM") else CHROMIUM_CANDIDATES
    return next((c for c in candidates if os.access(c, os.X_OK)), None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Settings for the server's own user-settings folder: start the default kernel without the
# "Select Kernel" dialog (the notebooks carry no kernelspec), and attach every cell to the DOM so
# outputs below the fold can be counted.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
        "autoStartDefaultKernel": True,
        "windowingMode": "none",
    },
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


class LabServer:
    """One JupyterLab server over a temporary copy of notebooks/ and data/."""

    def __init__(self, source_root: Path = ROOT):
        self.tmp = Path(tempfile.mkdtemp(prefix="jlab-test-"))
        self.root = self.tmp / "project"
        self.root.mkdir()
        for name in ("notebooks", "data"):
            shutil.copytree(source_root / name, self.root / name,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        (self.root / "figures").mkdir()
        self.token = secrets.token_hex(24)
        self.port = None
        self.proc = None
        self.log_path = self.tmp / "jupyterlab.log"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _env(self) -> dict:
        env = dict(os.environ)
        env.pop("MPLBACKEND", None)  # let the kernel use the inline backend, as for a reader
        jupyter = self.tmp / "jupyter"
        env.update(
            JUPYTER_CONFIG_DIR=str(jupyter / "config"),
            JUPYTER_DATA_DIR=str(jupyter / "data"),
            JUPYTER_RUNTIME_DIR=str(jupyter / "runtime"),
            IPYTHONDIR=str(jupyter / "ipython"),
        )
        return env

    def start(self) -> "LabServer":
        settings = self.tmp / "jupyter" / "lab-user-settings"
        for rel, value in LAB_SETTINGS.items():
            (settings / rel).parent.mkdir(parents=True, exist_ok=True)
            (settings / rel).write_text(json.dumps(value))
        last_error = None
        for _attempt in range(3):  # a free port can be taken between probe and bind
            self.port = _free_port()
            cmd = [
                sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
                f"--port={self.port}", "--port-retries=0", "--ServerApp.ip=127.0.0.1",
                f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={self.root}", "--LabApp.news_url=None",
                f"--LabApp.user_settings_dir={settings}",
                f"--LabApp.workspaces_dir={self.tmp / 'jupyter' / 'workspaces'}",
                "--LabApp.expose_app_in_browser=True",
            ]
            log = open(self.log_path, "ab")
            self.proc = subprocess.Popen(cmd, cwd=self.root, env=self._env(), stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
            log.close()
            try:
                self._wait_ready()
                return self
            except RuntimeError as exc:
                last_error = exc
                self._kill()
        raise RuntimeError(f"JupyterLab did not start: {last_error}\n{self.log_tail()}")

    def _wait_ready(self):
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}")
            try:
                self.api("GET", "/api/status")
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.2)
        raise RuntimeError(f"no answer on port {self.port} within {SERVER_START_TIMEOUT} s")

    def api(self, method: str, path: str):
        request = urllib.request.Request(self.base_url + path, method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self):
        """Stop every kernel (one notebook's kernel must not hold memory during the next)."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")
        for kernel in self.api("GET", "/api/kernels"):
            self.api("DELETE", f"/api/kernels/{kernel['id']}")

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def _kill(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        pgid = os.getpgid(self.proc.pid)
        os.killpg(pgid, signal.SIGTERM)  # the server's own process group: it and its kernels
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.proc.wait(timeout=15)

    def stop(self):
        self._kill()
        shutil.rmtree(self.tmp, ignore_errors=True)


def launch_browser(playwright, chromium: str):
    return playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)


@dataclass
class NotebookRun:
    """What the browser showed after Run All (and after the widget interaction, if any)."""

    name: str
    n_code_cells: int = 0
    unexecuted: list = field(default_factory=list)   # indices (among code cells) left without a number
    errors: list = field(default_factory=list)       # text of every error / traceback output
    n_images: int = 0                                # decoded <img> in output areas
    broken_images: int = 0                           # <img> that failed to decode
    saved_images: int = 0                            # image outputs in the saved .ipynb
    figures_written: list = field(default_factory=list)  # PNG files written to ../figures by the run
    has_widgets: bool = False
    widget_select_found: bool = False
    widget_output_changed: bool | None = None
    widget_detail: str = ""
    status: str = ""
    seconds: float = 0.0
    screenshot: Path | None = None


def saved_outputs(nb_path: Path) -> tuple[int, bool]:
    """(number of image outputs, has a widget view) in the notebook as saved on disk."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    images, widgets = 0, False
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = out.get("data", {})
            images += any(m in data for m in IMAGE_MIMES)
            widgets |= WIDGET_MIME in data
    return images, widgets


# --- JavaScript run in the page ------------------------------------------------------------

_STATUS_JS = "() => (document.querySelector('#jp-main-statusbar') || {innerText: ''}).innerText"

_KERNEL_IDLE_JS = """() => {
  const bar = document.querySelector('#jp-main-statusbar');
  return !!bar && /\\bIdle\\b/.test(bar.innerText);
}"""

_NO_OUTPUTS_JS = """() => {
  const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  if (!nb) return false;
  const prompts = [...nb.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map(p => p.innerText.trim());
  return nb.querySelectorAll('.jp-OutputArea-output').length === 0 && prompts.every(p => !/\\d/.test(p));
}"""

# Done: the first non-empty code cell got a number, no cell is pending ([*]) and the kernel is Idle.
_RUN_DONE_JS = """() => {
  const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  const bar = document.querySelector('#jp-main-statusbar');
  if (!nb || !bar) return false;
  const cells = [...nb.querySelectorAll('.jp-CodeCell')].filter(c => {
    const src = c.querySelector('.cm-content');
    return src && src.textContent.trim() !== '';
  });
  if (cells.length === 0) return /\\bIdle\\b/.test(bar.innerText);
  const prompts = cells.map(c => c.querySelector('.jp-InputArea-prompt').innerText.trim());
  return /\\[\\d+\\]/.test(prompts[0]) && prompts.every(p => !p.includes('*'))
         && /\\bIdle\\b/.test(bar.innerText);
}"""

_IMAGES_SETTLED_JS = """() => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output img')].every(i => i.complete)"""

_COLLECT_JS = """() => {
  const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  const codeCells = [...nb.querySelectorAll('.jp-CodeCell')];
  const unexecuted = [];
  codeCells.forEach((c, i) => {
    const src = c.querySelector('.cm-content');
    if (!src || src.textContent.trim() === '') return;  // JupyterLab does not number empty cells
    const prompt = c.querySelector('.jp-InputArea-prompt').innerText.trim();
    if (!/\\[\\d+\\]/.test(prompt)) unexecuted.push(i);
  });
  // Error outputs, read from the notebook model (output_type "error"), plus any rendered stderr
  // area showing a traceback (errors and stderr share the mime type in the DOM).
  const errors = [];
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  if (panel && panel.content && panel.content.model) {
    const cells = panel.content.model.cells;
    for (let i = 0; i < cells.length; i++) {
      const cell = cells.get(i);
      if (cell.type !== 'code') continue;
      const outs = cell.outputs;
      for (let j = 0; j < outs.length; j++) {
        const o = outs.get(j).toJSON();
        if (o.output_type === 'error') errors.push(`cell ${i}: ${o.ename}: ${o.evalue}`);
      }
    }
  }
  for (const el of nb.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')) {
    const text = el.innerText;
    if (/Traceback|^\\w*(Error|Exception)\\b/m.test(text)) errors.push('rendered: ' + text.slice(0, 2000));
  }
  const imgs = [...nb.querySelectorAll('.jp-OutputArea-output img')];
  return {
    n_code_cells: codeCells.length,
    unexecuted: unexecuted,
    errors: errors,
    n_images: imgs.filter(i => i.complete && i.naturalWidth > 0).length,
    broken_images: imgs.filter(i => !(i.complete && i.naturalWidth > 0)).length,
    has_app: !!app,
  };
}"""

# What the reader sees in the output areas: text (without the option lists of <select>s) and
# the sources of images, so a change of table, text or figure counts as a change.
_OUTPUT_SNAPSHOT_JS = """() => {
  const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  return [...nb.querySelectorAll('.jp-OutputArea-output')].map(el => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll('select, option').forEach(s => s.remove());
    const imgs = [...el.querySelectorAll('img')].map(i => i.src.slice(-200));
    return copy.textContent + '|' + imgs.join(',');
  }).join('\\n');
}"""

# Count kernel "idle" messages that close the handling of a comm message (a widget update).
_COUNT_COMM_IDLE_JS = """() => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  window.__commIdle = 0;
  kernel.iopubMessage.connect((_, msg) => {
    if (msg.header.msg_type === 'status' && msg.content.execution_state === 'idle'
        && msg.parent_header && msg.parent_header.msg_type === 'comm_msg') window.__commIdle += 1;
  });
}"""

_FIRST_SELECT = (".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output "
                 ":is(.widget-dropdown, .widget-select) select")


def _menu(page, menu: str, command: str):
    """Click a top menu by its label, then the item bound to `command` (Lumino marks it)."""
    page.locator(".lm-MenuBar-item", has_text=menu).first.click()
    item = page.locator(f'.lm-Menu li.lm-Menu-item[data-command="{command}"]')
    item.wait_for(state="visible", timeout=PAGE_TIMEOUT * 1000)
    item.click()


def run_notebook(browser, server: LabServer, rel: str, screenshot: Path | None = None,
                 interact: bool | None = None, actions: Callable | None = None) -> NotebookRun:
    """Open notebooks/<rel> in a fresh page, clear, Run All, inspect; never raises on notebook errors.

    ``actions(page)``, if given, runs after the inspection (and the widget interaction) and before
    the screenshot, with the kernel still alive: a test's own clicks in the notebook's widgets.

    Raises only when the browser cannot get that far (page not loading, kernel never Idle, run
    never finishing): those are failures of the run itself, with the server log attached. An
    exception raised by ``actions`` propagates (after the page is closed and the kernels stopped).
    """
    nb_path = server.notebooks / rel
    run = NotebookRun(name=rel)
    run.saved_images, run.has_widgets = saved_outputs(nb_path)
    figures = server.root / "figures"
    before = {p: p.stat().st_mtime_ns for p in figures.glob("*.png")}
    start = time.monotonic()
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(PAGE_TIMEOUT * 1000)
    try:
        page.goto(f"{server.base_url}/lab/tree/notebooks/{rel}?reset&token={server.token}")
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
        # The toolbar's kernel indicator says idle before the kernel is connected: trust the status bar.
        page.wait_for_function(_KERNEL_IDLE_JS)
        _menu(page, "Edit", "editmenu:clear-all")
        page.wait_for_function(_NO_OUTPUTS_JS)
        _menu(page, "Run", "runmenu:run-all")
        try:
            page.wait_for_function(_RUN_DONE_JS, timeout=RUN_TIMEOUT * 1000, polling=250)
        except Exception as exc:  # playwright TimeoutError
            raise RuntimeError(f"{rel}: Run All did not finish within {RUN_TIMEOUT:.0f} s "
                               f"(status bar: {page.evaluate(_STATUS_JS)!r})\n{server.log_tail()}") from exc
        page.wait_for_function(_IMAGES_SETTLED_JS)
        facts = page.evaluate(_COLLECT_JS)
        if not facts["has_app"]:
            raise RuntimeError("window.jupyterapp missing: server must run with expose_app_in_browser")
        run.n_code_cells = facts["n_code_cells"]
        run.unexecuted = facts["unexecuted"]
        run.errors = facts["errors"]
        run.n_images = facts["n_images"]
        run.broken_images = facts["broken_images"]
        run.figures_written = sorted(p.name for p in figures.glob("*.png")
                                     if before.get(p) != p.stat().st_mtime_ns)
        if interact is None:
            interact = run.has_widgets
        if interact:
            _interact(page, run)
        elif run.n_images:
            page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output img").first.scroll_into_view_if_needed()
        if actions is not None:
            actions(page)
        run.status = page.evaluate(_STATUS_JS)
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot))
            run.screenshot = screenshot
    finally:
        run.seconds = time.monotonic() - start
        page.close()
        server.shutdown_kernels()
    return run


def _interact(page, run: NotebookRun):
    """Choose another option in the first dropdown/select widget; record whether the output changed."""
    select = page.locator(_FIRST_SELECT).first
    try:
        select.wait_for(state="visible", timeout=PAGE_TIMEOUT * 1000)
    except Exception:
        run.widget_select_found = False
        run.widget_detail = "no dropdown/select widget rendered in an output area"
        return
    run.widget_select_found = True
    select.scroll_into_view_if_needed()
    options = select.locator("option").evaluate_all("os => os.map(o => o.value)")
    current = select.input_value()
    others = [o for o in options if o != current]
    if not others:
        run.widget_output_changed = False
        run.widget_detail = f"the first select has no other option than {current!r}"
        return
    page.evaluate(_COUNT_COMM_IDLE_JS)
    before = page.evaluate(_OUTPUT_SNAPSHOT_JS)
    select.select_option(others[0])
    run.widget_detail = f"{current!r} -> {others[0]!r}"
    # The kernel has handled the widget's update once it reports idle after a comm_msg; outputs
    # it produced arrive before that idle, so a short grace covers only their rendering.
    page.wait_for_function("() => window.__commIdle > 0", timeout=PAGE_TIMEOUT * 1000)
    page.wait_for_function(_KERNEL_IDLE_JS)
    try:
        page.wait_for_function(f"() => ({_OUTPUT_SNAPSHOT_JS})() !== {json.dumps(before)}",
                               timeout=WIDGET_RENDER_GRACE * 1000, polling=100)
        page.wait_for_function(_IMAGES_SETTLED_JS)
        run.widget_output_changed = True
    except Exception:  # playwright TimeoutError: nothing shown changed
        run.widget_output_changed = False
        run.widget_detail += " left every output area unchanged"
    # Put the interaction in view for the screenshot: the select and what it drives.
    select.scroll_into_view_if_needed()


def problems(run: NotebookRun) -> list[str]:
    """Everything wrong with a run; an empty list means the notebook ran cleanly in JupyterLab."""
    found = []
    found += [f"error output: {e}" for e in run.errors]
    if run.n_code_cells == 0:
        found.append("no code cell rendered")
    if run.unexecuted:
        found.append(f"code cells not executed (index among code cells): {run.unexecuted}")
    if run.broken_images:
        found.append(f"{run.broken_images} output image(s) failed to render")
    expected = max(run.saved_images, len(run.figures_written))
    if run.n_images < expected:
        found.append(f"{run.n_images} figure(s) rendered, expected at least {expected} "
                     f"({run.saved_images} image outputs saved in the notebook, "
                     f"{len(run.figures_written)} PNG written: {run.figures_written})")
    if run.has_widgets:
        if not run.widget_select_found:
            found.append(f"widget notebook without a usable dropdown/select: {run.widget_detail}")
        elif not run.widget_output_changed:
            found.append(f"widget interaction changed nothing: {run.widget_detail}")
    return found

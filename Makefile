# Two commands matter: `make report` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb))

# Same hash order and no stray threads in every run, so outputs are byte-identical.
export PYTHONHASHSEED := 0
export OMP_NUM_THREADS := 1
export JUPYTER_PLATFORM_DIRS := 1

.PHONY: setup report notebooks html test lock clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.txt
	$(PIP) install --no-deps --no-build-isolation -e .
	@touch $@

## report: run every notebook in place (figures/ rewritten), then HTML into reports/
report: notebooks html

notebooks: setup nyt
	@for nb in $(NOTEBOOKS); do \
	  echo "executing $$nb"; \
	  $(BIN)/jupyter nbconvert --to notebook --execute --inplace --log-level=WARN \
	    --ExecutePreprocessor.timeout=1200 --ExecutePreprocessor.record_timing=False \
	    --ClearMetadataPreprocessor.enabled=True \
	    --ClearMetadataPreprocessor.clear_notebook_metadata=False \
	    --ClearMetadataPreprocessor.preserve_cell_metadata_mask=tags "$$nb" || exit 1; \
	  $(BIN)/python -m framing.nbtools "$$nb" || exit 1; \
	done

html: setup
	@mkdir -p reports
	$(BIN)/jupyter nbconvert --to html --log-level=WARN --output-dir reports $(NOTEBOOKS)

## test: unit tests, then nbval re-runs every notebook and compares its saved outputs
test: setup nyt
	$(BIN)/python -m pytest --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg tests notebooks

## lock: re-resolve requirements.in into the fully pinned requirements.txt
lock:
	rm -rf build/lock && $(PYTHON) -m venv build/lock
	build/lock/bin/python -m pip install --quiet -r requirements.in
	{ echo "# Full pinned environment (pip freeze of requirements.in on Python 3.11). Regenerate with 'make lock'."; \
	  build/lock/bin/python -m pip freeze --all --exclude-editable | grep -v -E "^(pip|wheel)=="; } > requirements.txt

clean:
	rm -rf $(VENV) reports build

# ---------------------------------------------------------------------------------------------
## nyt: NYT editorial benchmark (Hutto & Gilbert 2014) into data/external/ (git-ignored).
## Fetched with the venv's pip from the vaderSentiment 3.3.2 sdist; only the ground-truth file is
## kept. Does nothing when the file is already there; on failure prints why and exits 0.
NYT_GROUND_TRUTH := data/external/nytEditorialSnippets_GroundTruth.txt

.PHONY: nyt
nyt: $(NYT_GROUND_TRUTH)

$(NYT_GROUND_TRUTH): | $(STAMP)
	@$(BIN)/python -m framing.benchmarks fetch-nyt $(dir $@)

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

.PHONY: setup report notebooks html own-report bench test lock clean model lexicon codesheet seedsheet

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.txt
	$(PIP) install --no-deps --no-build-isolation -e .
	@touch $@

## report: run every notebook in place (figures/ rewritten), then offline HTML and index.html into reports/
## report CORPUS=folder OUT=folder [GROUP=column]: run every notebook on your own corpus; writes into OUT only
## (GROUP: a manifest column whose values group the articles, compared in notebook 07;
##  CODES: coding sheets from make codesheet, hand-coded, for notebooks 04 and 08;
##  ENGINE=dask: build with Dask, on a LocalCluster or on SCHEDULER=address; Parquet tables in OUT/parquet)
ifneq ($(strip $(CORPUS)$(OUT)),)
report: own-report
else
report: notebooks html
endif

own-report: setup
	$(BIN)/python -m framing.report.runner --corpus "$(CORPUS)" --out "$(OUT)" --group "$(GROUP)" --codes "$(CODES)" \
	  --engine "$(or $(ENGINE),memory)" --scheduler "$(SCHEDULER)"

## codesheet CORPUS=folder OUT=folder [N=200] [SEED=0]: a stratified random sample of the corpus's sentences
## to hand-code (OUT/codesheet.csv) with the coding notebook (OUT/coding.ipynb, open it in JupyterLab);
## give the coded sheets back with make report CORPUS=... OUT=... CODES=sheet.csv[,sheet2.csv]
N    ?= 200
SEED ?= 0
codesheet: setup
	$(BIN)/python -m framing.io.codesheet --corpus "$(CORPUS)" --out "$(OUT)" --n "$(N)" --seed "$(SEED)"

## seedsheet: rebuild data/annotations/seed_codesheet.csv, a sample of the seeds coded from their hand
## coding (the "user's sheet" of the seed report's notebook 08); deterministic
seedsheet: setup
	$(BIN)/python -m framing.io.codesheet --seed-sheet

# Every notebook reads framing.pipeline.build's result from one cache, emptied first, so the
# corpus is measured and its topics fitted once per run (keyed by the files' and the code's checksums).
CACHE := $(CURDIR)/build/cache

# The seeds are built once into the cache, then the notebooks run in place two at a time
# (FRAMING_NOTEBOOK_JOBS; each reads the cache and writes its own figures, so the files are the
# same as one at a time); a kernel's start-up chatter is shown only when its notebook fails.
notebooks: setup nyt
	@rm -rf "$(CACHE)" && mkdir -p "$(CACHE)"
	@FRAMING_CACHE="$(CACHE)" $(BIN)/python -m framing.report.runner --in-place $(NOTEBOOKS)

html: setup
	$(BIN)/python -m framing.report.runner --html-only --corpus data/raw --out reports

## model: retrain the learned frame coder from data/annotations/ (dev/*.csv and the seed coding) into
## lib/framing/data/coder_model.zip, then store its held-out predictions (leave one genre out, five
## folds of sources) in coder_cv.zip for notebook 04; deterministic, so unchanged files stay byte-identical
model: setup
	$(BIN)/python -m framing.measures.coder

## lexicon: relearn the learned layer of the adapted VADER lexicon from the coded articles
## (data/annotations/dev/*.csv) into lib/framing/data/vader_learned.csv; deterministic
lexicon: setup
	$(BIN)/python -m framing.measures.sentiment

## bench: throughput, peak memory and linearity on generated corpora of 25 and 100 MB (not a test);
## BENCH_MB=1000 adds a 1 GB corpus; BENCH_ENGINE=dask times the Dask engine and its driver memory instead
BENCH_MB ?= 100
bench: setup
	$(BIN)/python -m framing.bench --mb $(BENCH_MB) $(if $(filter dask,$(BENCH_ENGINE)),--dask)

## test: ruff (lint), unit tests, then nbval re-runs every notebook and compares its saved outputs;
## on two workers (pytest-xdist), each test file (so each notebook) whole on one of them
test: setup nyt
	$(BIN)/ruff check lib tests
	@rm -rf "$(CACHE)-test"
	FRAMING_CACHE="$(CACHE)-test" $(BIN)/python -m pytest -n 2 --dist loadfile --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg tests notebooks

## lock: re-resolve requirements.in into the fully pinned requirements.txt
lock:
	rm -rf build/lock && $(PYTHON) -m venv build/lock
	build/lock/bin/python -m pip install --quiet -r requirements.in
	{ echo "# Full pinned environment (pip freeze of requirements.in on Python 3.11). Regenerate with 'make lock'."; \
	  build/lock/bin/python -m pip freeze --all --exclude-editable | grep -v -E "^(pip|wheel)==" \
	  | sed -E 's/^(hyperscan==[^ ]+)$$/\1 ; platform_machine == "x86_64"/'; } > requirements.txt

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
	@$(BIN)/python -m framing.checks.nyt fetch-nyt $(dir $@)

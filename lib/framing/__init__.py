"""framing: measure how web articles frame ketamine and esketamine for depression.

Public entry points (a stable contract):

* :func:`framing.load_corpus` and :class:`framing.CorpusError` -- read a folder of articles.
* :mod:`framing.io.clean` -- boilerplate removal with an audit of every removed line.
* :mod:`framing.io.segment` -- paragraphs and sentences with offsets into the clean text.
* :mod:`framing.pipeline` -- ``prepare(path)``: load, clean and split in one call.
* :mod:`framing.views.style` -- one figure style, colours per source, reproducible saving,
  and :func:`framing.views.style.view_mode` (per source up to 12 sources, else aggregate).
* :mod:`framing.measures.terms`, :mod:`framing.measures.passages`, :mod:`framing.measures.topics` -- distinctive terms (TF-IDF,
  log-odds z-scores), source similarity and shared passages, NMF topics with k chosen by stability.
* :mod:`framing.measures.frames` -- promise / risk / mixed / neutral / boilerplate, hype, hedge and risk
  sub-themes per sentence, following ``data/annotations/codebook.md`` (``label``: the learned
  coder by default, ``method="rules"`` for the rule coder, whose cues are kept as evidence).
* :mod:`framing.measures.coder` -- the learned coder: features, training (``python -m framing.measures.coder``,
  ``make model``), the byte-identical model file.
* :mod:`framing.io.annotations` -- coding units, the hand coding and the written coded articles.
* :mod:`framing.measures.analysis` -- ``measure(sentences)``: every per-sentence measure in one table.
* :mod:`framing.measures.compare` -- balance index, rates per 100 sentences, 95% intervals (Jeffreys prior).
* :mod:`framing.checks.validation` -- agreement with hand coding (kappa, alpha), leave-one-genre-out
  and by-source cross-validation of the learned coder, calibration; :mod:`framing.views.plots_validation`
  draws notebook 04's figures.
* :mod:`framing.measures.quality`, :mod:`framing.measures.facts` -- health-news quality checklist and fact check.
* :mod:`framing.measures.sentiment` -- VADER compound scores, domain-adapted by default (``score``, ``raw_and_adapted``, ``adaptations``).
* :mod:`framing.checks.nyt` -- the NYT editorial benchmark of Hutto & Gilbert 2014 (``fetch_nyt``, ``load_nyt``, ``nyt_agreement``).
* :mod:`framing.report.tables` -- the sentence and per-source tables behind a report (CSV).
* :mod:`framing.report.runner` -- ``python -m framing.report.runner``: every notebook on any corpus, offline HTML.
* :mod:`framing.bench` -- ``python -m framing.bench``: throughput, memory and linearity.
* :mod:`framing._progress`, :mod:`framing._parallel` -- quiet progress bars, ordered multi-core maps.
"""

import pandas as _pd

# pyarrow (installed for the Parquet cache) would make pandas keep strings in Arrow arrays, whose
# regular expressions run in RE2 rather than Python's re; the project's outputs are those of
# Python's string storage, so it stays the default wherever framing is imported.
_pd.set_option("mode.string_storage", "python")

from framing.io.corpus import CorpusError, load_corpus  # noqa: E402

__all__ = ["CorpusError", "load_corpus"]
__version__ = "0.1.0"

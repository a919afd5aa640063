"""framing: measure how web articles frame ketamine and esketamine for depression.

Public entry points (a stable contract):

* :func:`framing.load_corpus` and :class:`framing.CorpusError` -- read a folder of articles.
* :mod:`framing.clean` -- boilerplate removal with an audit of every removed line.
* :mod:`framing.segment` -- paragraphs and sentences with offsets into the clean text.
* :mod:`framing.pipeline` -- ``prepare(path)``: load, clean and split in one call.
* :mod:`framing.style` -- one figure style, colours per source, reproducible saving,
  and :func:`framing.style.view_mode` (per source up to 12 sources, else aggregate).
* :mod:`framing.terms`, :mod:`framing.shared`, :mod:`framing.topics` -- distinctive terms (TF-IDF,
  log-odds z-scores), source similarity and shared passages, NMF topics with k chosen by stability.
* :mod:`framing.frames` -- promise / risk / mixed / neutral / boilerplate, hype, hedge and risk
  sub-themes per sentence, following ``data/annotations/codebook.md`` (``label``: the learned
  coder by default, ``method="rules"`` for the rule coder, whose cues are kept as evidence).
* :mod:`framing.coder` -- the learned coder: features, training (``python -m framing.coder``,
  ``make model``), the byte-identical model file.
* :mod:`framing.annotations` -- coding units, the hand coding and the written coded articles.
* :mod:`framing.analysis` -- ``measure(sentences)``: every per-sentence measure in one table.
* :mod:`framing.compare` -- balance index, rates per 100 sentences, 95% intervals (Jeffreys prior).
* :mod:`framing.validation` -- agreement with hand coding (kappa, alpha), leave-one-genre-out
  and by-source cross-validation of the learned coder, calibration; :mod:`framing.plots_validation`
  draws notebook 04's figures.
* :mod:`framing.quality`, :mod:`framing.facts` -- health-news quality checklist and fact check.
* :mod:`framing.sentiment` -- VADER compound scores, domain-adapted by default (``score``, ``raw_and_adapted``, ``adaptations``).
* :mod:`framing.benchmarks` -- the NYT editorial benchmark of Hutto & Gilbert 2014 (``fetch_nyt``, ``load_nyt``, ``nyt_agreement``).
* :mod:`framing.tables` -- the sentence and per-source tables behind a report (CSV).
* :mod:`framing.report` -- ``python -m framing.report``: every notebook on any corpus, offline HTML.
* :mod:`framing.bench` -- ``python -m framing.bench``: throughput, memory and linearity.
* :mod:`framing.progress`, :mod:`framing.parallel` -- quiet progress bars, ordered multi-core maps.
"""

from .corpus import CorpusError, load_corpus

__all__ = ["CorpusError", "load_corpus"]
__version__ = "0.1.0"

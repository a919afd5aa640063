"""framing: measure how web articles frame ketamine and esketamine for depression.

Public entry points (a stable contract):

* :func:`framing.load_corpus` and :class:`framing.CorpusError` -- read a folder of articles.
* :mod:`framing.clean` -- boilerplate removal with an audit of every removed line.
* :mod:`framing.segment` -- paragraphs and sentences with offsets into the clean text.
* :mod:`framing.style` -- one figure style, colours per source, reproducible saving,
  and :func:`framing.style.view_mode` (per source up to 12 sources, else aggregate).
* :mod:`framing.tables` -- the sentence and per-source tables behind a report (CSV).
* :mod:`framing.report` -- ``python -m framing.report``: every notebook on any corpus, offline HTML.
* :mod:`framing.bench` -- ``python -m framing.bench``: throughput, memory and linearity.
* :mod:`framing.progress`, :mod:`framing.parallel` -- quiet progress bars, ordered multi-core maps.
"""

from .corpus import CorpusError, load_corpus

__all__ = ["CorpusError", "load_corpus"]
__version__ = "0.1.0"

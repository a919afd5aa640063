"""framing: measure how web articles frame ketamine and esketamine for depression.

Public entry points (a stable contract):

* :func:`framing.load_corpus` and :class:`framing.CorpusError` -- read a folder of articles.
* :mod:`framing.clean` -- boilerplate removal with an audit of every removed line.
* :mod:`framing.segment` -- paragraphs and sentences with offsets into the clean text.
* :mod:`framing.style` -- one figure style, colours per source, reproducible saving.
* :mod:`framing.sentiment` -- VADER compound scores, domain-adapted by default (``score``, ``raw_and_adapted``, ``adaptations``).
* :mod:`framing.benchmarks` -- the NYT editorial benchmark of Hutto & Gilbert 2014 (``fetch_nyt``, ``load_nyt``, ``nyt_agreement``).
"""

from .corpus import CorpusError, load_corpus

__all__ = ["CorpusError", "load_corpus"]
__version__ = "0.1.0"

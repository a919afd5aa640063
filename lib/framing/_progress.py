"""Progress bars for per-document work on long runs, silent unless asked for.

Bars are off by default so that notebooks executed for the repository (and
re-run by nbval) never carry a progress bar in their outputs. They are turned
on by the environment variable ``FRAMING_PROGRESS=1``, by ``enabled=True`` in a
call, or for a block of code with :func:`enabled`; the report runner uses the
latter for its own work. Bars go to stderr and only appear once a loop has run
for more than a second (tqdm's ``delay``), so short runs stay quiet anyway.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    from collections.abc import Iterable, Iterator

import os
import sys
from contextlib import contextmanager

from tqdm import tqdm

__all__ = ["track", "counter", "enabled", "is_enabled"]

_forced: bool | None = None


def is_enabled(flag: bool | None = None) -> bool:
    """Whether bars are shown: an explicit ``flag`` wins, then :func:`enabled`, then the env var."""
    if flag is not None:
        return bool(flag)
    if _forced is not None:
        return _forced
    return os.environ.get("FRAMING_PROGRESS", "").strip().lower() in {"1", "true", "yes", "on"}


@contextmanager
def enabled(flag: bool = True) -> Iterator[None]:
    """Turn bars on (or off) for the calls made inside the ``with`` block."""
    global _forced
    previous, _forced = _forced, bool(flag)
    try:
        yield
    finally:
        _forced = previous


def track(iterable: Iterable, desc: str = "", total: int | None = None, enabled: bool | None = None, unit: str = "doc",
          delay: float = 1.0) -> Iterable:
    """Iterate over ``iterable``, with a tqdm bar on stderr when progress is enabled.

    When disabled this returns ``iterable`` itself: no tqdm object, no output.
    The bar shows only after ``delay`` seconds.
    """
    if not is_enabled(enabled):
        return iterable
    if total is None:
        try:
            total = len(iterable)
        except TypeError:
            total = None
    return tqdm(iterable, desc=desc, total=total, unit=unit, file=sys.stderr, delay=delay,
                mininterval=0.5, dynamic_ncols=True, leave=False)


class _Silent:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


@contextmanager
def counter(total: int, desc: str = "", unit: str = "doc", enabled: bool | None = None,
            delay: float = 1.0) -> Iterator[tqdm | _Silent]:
    """A bar to advance by hand (``bar.update(n)``), for work done in chunks; silent unless enabled."""
    if not is_enabled(enabled):
        yield _Silent()
        return
    bar = tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, delay=delay, mininterval=0.5,
               dynamic_ncols=True, leave=False)
    try:
        yield bar
    finally:
        bar.close()

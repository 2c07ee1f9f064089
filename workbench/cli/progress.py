"""Progress bars for long commands: tqdm on stderr, only when stderr is a terminal and ``-q`` is not given.

The library reports progress through a ``progress(done, total)`` callback and never draws anything; a command
turns such callbacks into bars::

    add_quiet(parser)                          # -q/--quiet
    with Bars(args) as bars:
        tm.import_tmx(path, progress=bars.callback("import", unit="unit"))

A callback may be called with a new ``total`` (the bar follows; 0 means not known, shown as a counter) and
need not reach it (the bar is closed when the ``with`` block ends). Several callbacks give several bars, one
per label.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from tqdm import tqdm

Progress = Callable[[int, int], None]


def add_quiet(parser) -> None:
    """``-q/--quiet``: no progress bar."""
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar on stderr")


def enabled(args=None, stream=None) -> bool:
    """Bars are drawn when ``stream`` (default: stderr) is a terminal and ``args.quiet`` is not set."""
    stream = sys.stderr if stream is None else stream
    if getattr(args, "quiet", False):
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


class Bars:
    """One tqdm bar per label, created on the first report; all closed on exit."""

    def __init__(self, args=None, *, stream=None):
        self.stream = sys.stderr if stream is None else stream
        self.on = enabled(args, self.stream)
        self._bars: dict[str, tqdm] = {}

    def update(self, label: str, done: int, total: int, unit: str = "it") -> None:
        if not self.on:
            return
        bar = self._bars.get(label)
        if bar is None:
            bar = self._bars[label] = tqdm(total=total or None, desc=label, unit=unit, file=self.stream,
                                           leave=True, dynamic_ncols=True, unit_scale=unit == "B")
        if bar.total != (total or None):
            bar.total = total or None
            bar.refresh()
        bar.update(done - bar.n)
        if total and done >= total:
            bar.close()

    def callback(self, label: str, unit: str = "it") -> Progress | None:
        """A ``progress(done, total)`` callback for one bar; None when bars are off (the library then skips
        its progress reports entirely)."""
        if not self.on:
            return None
        return lambda done, total: self.update(label, done, total, unit)

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()
        self._bars.clear()

    def __enter__(self) -> Bars:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

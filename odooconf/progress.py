"""A progress bar on stderr for applies and reads that take more than a second.

The engine reports steps (:func:`update`); nothing is shown unless the command line installed a
:class:`Bar` (:func:`showing`), which it does only when stderr is a terminal and the ``CI``
variable is not set: CI logs and redirected output get no carriage returns. The bar appears
once a task has run for a second, so quick runs look as before.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TextIO

#: Seconds a task runs before its bar appears.
DELAY = 1.0
WIDTH = 24


class Bar:
    """One line redrawn in place: ``reading  [#######.........]  7/20``."""

    def __init__(
        self,
        stream: TextIO,
        clock: Callable[[], float] = time.monotonic,
        delay: float | None = None,
    ) -> None:
        self.stream = stream
        self.clock = clock
        self.delay = DELAY if delay is None else delay
        self._task: tuple[str, float] | None = None  # label, start
        self._drawn = 0  # characters on the line now

    def update(self, label: str, done: int, total: int) -> None:
        now = self.clock()
        if self._task is None or self._task[0] != label:
            self.end()
            self._task = (label, now)
        if now - self._task[1] < self.delay or total <= 0:
            return
        filled = WIDTH * min(done, total) // total
        line = f"{label:<9} [{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total}"
        self.stream.write("\r" + line.ljust(self._drawn))
        self.stream.flush()
        self._drawn = len(line)

    def end(self) -> None:
        """Clear the line, so that what is printed next starts on a clean one."""
        if self._drawn:
            self.stream.write("\r" + " " * self._drawn + "\r")
            self.stream.flush()
        self._task, self._drawn = None, 0


_bar: ContextVar[Bar | None] = ContextVar("odooconf_progress", default=None)


def terminal_bar(stream: TextIO) -> Bar | None:
    """A bar on ``stream`` when it is a terminal outside CI (``CI`` set: GitHub, GitLab...)."""
    return Bar(stream) if stream.isatty() and not os.environ.get("CI") else None


@contextmanager
def showing(bar: Bar) -> Iterator[Bar]:
    """Show the engine's progress on ``bar`` inside the block."""
    token = _bar.set(bar)
    try:
        yield bar
    finally:
        bar.end()
        _bar.reset(token)


def update(label: str, done: int, total: int) -> None:
    """Report ``done`` of ``total`` steps of the task ``label`` (a no-op without a bar)."""
    bar = _bar.get()
    if bar is not None:
        bar.update(label, done, total)


def end() -> None:
    """The task is over (or failed): clear its bar before anything else is printed."""
    bar = _bar.get()
    if bar is not None:
        bar.end()

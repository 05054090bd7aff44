"""The progress bar: drawn on a terminal once a task takes over a second, never otherwise."""

from __future__ import annotations

import io

import pytest

from odooconf import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_bar_appears_after_a_second_and_is_cleared_at_the_end() -> None:
    stream, clock = Terminal(), Clock()
    bar = progress.Bar(stream, clock)
    with progress.showing(bar):
        progress.update("reading", 0, 4)
        clock.now += 0.5
        progress.update("reading", 1, 4)
        assert stream.getvalue() == ""  # a quick task shows nothing
        clock.now += 0.6
        progress.update("reading", 2, 4)
        drawn = stream.getvalue()
        progress.end()

    assert drawn == "\rreading   [############............] 2/4"
    assert stream.getvalue() == drawn + "\r" + " " * (len(drawn) - 1) + "\r"


def test_each_task_has_its_own_second() -> None:
    stream, clock = Terminal(), Clock()
    with progress.showing(progress.Bar(stream, clock)):
        progress.update("reading", 0, 2)
        clock.now += 5
        progress.update("applying", 0, 3)

    assert stream.getvalue() == ""


def test_nothing_without_a_bar() -> None:
    progress.update("reading", 1, 2)  # the engine outside the command line: a no-op
    progress.end()


def test_only_a_terminal_outside_ci_gets_a_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)

    assert progress.terminal_bar(io.StringIO()) is None
    assert isinstance(progress.terminal_bar(Terminal()), progress.Bar)
    monkeypatch.setenv("CI", "true")
    assert progress.terminal_bar(Terminal()) is None

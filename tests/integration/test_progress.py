"""A progress bar for applies and reads on a terminal; none when stderr is not a terminal."""

from __future__ import annotations

import sys

import pytest

from odooconf import progress
from tests.integration.conftest import Project


def test_no_bar_when_the_output_is_not_a_terminal(
    example: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress, "DELAY", 0.0)  # however slow the run

    result = example.run("apply", "-e", "test", "--yes")

    assert result.code == 0, result.err
    assert "\r" not in result.out + result.err
    assert "applying" not in result.err


def test_a_terminal_gets_a_bar_for_reads_and_writes_and_ci_none(
    example: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(progress, "DELAY", 0.0)  # as if every task took over a second
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)

    result = example.run("apply", "-e", "test", "--yes")

    assert result.code == 0, result.err
    assert "\rreading   [" in result.err and "\rapplying  [" in result.err
    assert "Applied" in result.out or "applied" in result.out.lower()
    # The bar is cleared before the report: no line of the report starts behind a bar.
    assert "\r" not in result.out
    monkeypatch.setenv("CI", "true")
    assert "\r" not in example.run("plan", "-e", "test").err

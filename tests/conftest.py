"""Shared fixtures: blueprint/environment trees built from dicts of text."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

TreeBuilder = Callable[[dict[str, str]], Path]


@pytest.fixture
def tree(tmp_path: Path) -> TreeBuilder:
    """Write ``{relative path: text}`` under a temporary directory and return it."""

    def build(files: dict[str, str]) -> Path:
        for name, text in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return tmp_path

    return build

"""Fixtures: a fresh emulator per test, served on a free loopback port, and the reference data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import odoorpc
import pytest

from odooconf.testing import Emulator, RunningServer, serve_emulator

#: ``shared/`` lives beside the checkout (``<root>/main`` locally, another folder in CI).
REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "odoo-reference" / "18"


@pytest.fixture
def emulator() -> Emulator:
    return Emulator(database="demo", login="admin", password="admin")


@pytest.fixture
def server(emulator: Emulator) -> Iterator[RunningServer]:
    with serve_emulator(emulator, host="127.0.0.1", port=0) as running:
        yield running


@pytest.fixture
def odoo(server: RunningServer) -> Any:
    client = odoorpc.ODOO("127.0.0.1", port=server.port, timeout=10)
    client.login("demo", "admin", "admin")
    return client


@pytest.fixture(scope="session")
def reference() -> Path:
    if not REFERENCE.is_dir():
        pytest.skip(f"reference data not found at {REFERENCE}")
    return REFERENCE


@pytest.fixture(scope="session")
def experiments(reference: Path) -> dict[str, dict[str, Any]]:
    """side_effects.json experiments by label prefix (``"a1"``, ``"b2b"``...), first one wins."""
    data = json.loads((reference / "side_effects.json").read_text(encoding="utf-8"))
    by_label: dict[str, dict[str, Any]] = {}
    for experiment in data["experiments"]:
        by_label.setdefault(experiment["label"].split()[0], experiment)
    return by_label

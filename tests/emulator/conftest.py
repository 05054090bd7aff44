"""Fixtures: a fresh emulator per test, served on a free loopback port, and the reference data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import odoorpc
import pytest

from odooconf.testing import Emulator, RunningServer, serve_emulator

from .helpers import reference_dir, reference_root

REFERENCE_ROOT = reference_root(Path(__file__))
REFERENCE = REFERENCE_ROOT / "18"
REFERENCE_19 = REFERENCE_ROOT / "19"
REFERENCE_TIER = REFERENCE_ROOT / "18-tier"


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
    """Odoo 18.0 reference data (``shared/odoo-reference/18``)."""
    return reference_dir(REFERENCE)


@pytest.fixture(scope="session")
def reference_19() -> Path:
    """Odoo 19.0 reference data (``shared/odoo-reference/19``)."""
    return reference_dir(REFERENCE_19)


@pytest.fixture(scope="session")
def reference_tier() -> Path:
    """Odoo 18.0 plus OCA tier validation (``shared/odoo-reference/18-tier``)."""
    return reference_dir(REFERENCE_TIER)


@pytest.fixture(scope="session")
def experiments(reference: Path) -> dict[str, dict[str, Any]]:
    """side_effects.json experiments by label prefix (``"a1"``, ``"b2b"``...), first one wins."""
    data = json.loads((reference / "side_effects.json").read_text(encoding="utf-8"))
    by_label: dict[str, dict[str, Any]] = {}
    for experiment in data["experiments"]:
        by_label.setdefault(experiment["label"].split()[0], experiment)
    return by_label

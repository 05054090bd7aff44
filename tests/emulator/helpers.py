"""Helpers to compare emulator output with the captured Odoo 18 reference data."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from odooconf.testing import Emulator, OdooError

DATES = ("create_date", "write_date", "create_uid", "write_uid")


def reference_root(conftest: Path) -> Path:
    """``shared/odoo-reference`` beside the checkout holding ``<checkout>/tests/emulator/x.py``:
    the checkout's folder name does not matter (``main`` locally, another one in CI)."""
    return conftest.resolve().parents[3] / "shared" / "odoo-reference"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def reference_dir(path: Path) -> Path:
    """``path`` if the reference data is there; otherwise skip the test, or fail it in CI
    (``CI`` set), where a missing reference must not turn the reference tests into skips."""
    if path.is_dir():
        return path
    message = f"reference data not found at {path}"
    if in_ci():
        pytest.fail(f"{message} (required when CI is set)", pytrace=False)
    pytest.skip(message)


def reference_records(reference: Path, model: str) -> list[dict[str, Any]]:
    data = json.loads((reference / "records" / f"{model}.json").read_text(encoding="utf-8"))
    records: list[dict[str, Any]] = data["records"]
    return records


def without_dates(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in DATES}


def changed(experiment: dict[str, Any], table: str, kind: str = "created") -> list[dict[str, Any]]:
    """Rows an experiment created (or wrote) in ``table``, by id."""
    changes = experiment.get("db_changes", {})
    rows: list[dict[str, Any]] = changes.get(table, {}).get(f"{kind}_records", [])
    return sorted(rows, key=lambda r: r["id"])


#: Reference table name -> model, for the stock records the experiments track.
TABLES = {
    "stock_location": "stock.location",
    "stock_picking_type": "stock.picking.type",
    "ir_sequence": "ir.sequence",
    "stock_route": "stock.route",
    "stock_rule": "stock.rule",
    "stock_warehouse": "stock.warehouse",
    "res_groups": "res.groups",
}


def assert_rows_match(emulator: Emulator, experiment: dict[str, Any], kind: str) -> None:
    """Every row the experiment created/wrote reads back identically (same ids, same values)."""
    for table, model in TABLES.items():
        for expected in changed(experiment, table, kind):
            fields = [f for f in expected if f != "id"]
            got = emulator.execute(
                model, "read", [expected["id"]], fields, context={"active_test": False}
            )[0]
            assert got == expected, f"{model} {expected['id']}"


def assert_touched_rows(emulator: Emulator, experiment: dict[str, Any], label: str) -> None:
    """The last call created and wrote (a new write_date) exactly the rows the reference
    experiment records, table by table."""
    stamp = emulator.db.now
    for table, model in TABLES.items():
        rows = emulator.db.store.tables.get(model, {}).values()
        created = sorted(r["id"] for r in rows if r.get("create_date") == stamp)
        written = sorted(
            r["id"] for r in rows if r.get("write_date") == stamp and r.get("create_date") != stamp
        )
        expected = experiment["db_changes"].get(table, {})
        assert created == sorted(r["id"] for r in expected.get("created_records", [])), (
            label,
            model,
        )
        assert written == sorted(r["id"] for r in expected.get("written_records", [])), (
            label,
            model,
        )


def replay(
    label: str, experiment: Mapping[str, Any], call: Callable[[], Any], mismatches: list[str]
) -> tuple[bool, Any]:
    """Make one recorded call; where its outcome differs from Odoo's (a success, or the error
    text), say so in ``mismatches``. Returns whether it succeeded as Odoo's did, and its result."""
    try:
        result = call()
    except OdooError as exc:
        if experiment["ok"]:
            mismatches.append(f"{label}: refused ({exc.message[:80]}) where Odoo accepted")
        elif exc.message != experiment["error"]["data.message"]:
            mismatches.append(
                f"{label}: {exc.message!r} != {experiment['error']['data.message']!r}"
            )
        return False, None
    if not experiment["ok"]:
        message = experiment["error"]["data.message"]
        mismatches.append(f"{label}: accepted where Odoo said {message[:80]}")
        return False, result
    return True, result

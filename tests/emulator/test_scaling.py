"""The emulator's cost of an operation does not grow with the size of its tables (searches,
uniqueness checks, rollbacks use indexes; nothing rescans whole tables per created record).

Counted, not timed: the rows a warehouse's life cycle makes the emulator match against a domain
or scan, with few and with many warehouses already in the database."""

from __future__ import annotations

from typing import Any

import pytest

import odooconf.testing.domain as domains
from odooconf.testing import Emulator, OdooError


def warehouse_life_cycle(emulator: Emulator, code: str) -> None:
    """Create a warehouse, change its steps, archive and restore it, add a location in it."""
    wid = emulator.execute("stock.warehouse", "create", [{"name": code, "code": code}])[0]
    steps = {"reception_steps": "three_steps", "delivery_steps": "pick_pack_ship"}
    emulator.execute("stock.warehouse", "write", [wid], steps)
    emulator.execute("stock.warehouse", "write", [wid], {"active": False})
    emulator.execute("stock.warehouse", "write", [wid], {"active": True})
    stock = emulator.execute("stock.warehouse", "read", [wid], ["lot_stock_id"])[0]["lot_stock_id"]
    emulator.execute("stock.location", "create", [{"name": "Bin", "location_id": stock[0]}])


def rows_examined(monkeypatch: pytest.MonkeyPatch, existing: int) -> int:
    """Domain matches and table scans of one life cycle among ``existing`` other warehouses."""
    emulator = Emulator()
    for index in range(existing):
        emulator.execute("stock.warehouse", "create", [{"name": f"W{index}", "code": f"W{index}"}])
    warehouse_life_cycle(emulator, "WARM")  # indexes are built once, on first use
    matched = 0
    real_matches = domains.matches

    def counting_matches(*args: Any) -> bool:
        nonlocal matched
        matched += 1
        return real_matches(*args)

    scanned = emulator.db.store.rows_scanned
    with monkeypatch.context() as patch:
        patch.setattr(domains, "matches", counting_matches)
        warehouse_life_cycle(emulator, "PROBE")
    return matched + emulator.db.store.rows_scanned - scanned


def test_a_warehouse_costs_the_same_among_12_or_48_warehouses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    few, many = rows_examined(monkeypatch, 12), rows_examined(monkeypatch, 48)
    assert few > 0
    # Before indexes, each step rescanned the tables: 4x the warehouses cost ~3x the rows.
    assert many <= few * 1.1, f"{few} rows examined among 12 warehouses, {many} among 48"


def test_indexes_follow_changes_and_rollbacks(emulator: Emulator) -> None:
    def named(name: str) -> list[int]:
        ids: list[int] = emulator.execute(
            "stock.location", "search", [("name", "=", name)], context={"active_test": False}
        )
        return ids

    assert named("Aisle") == []  # builds the index of stock.location.name
    with pytest.raises(OdooError):  # the second location fails: the first one is rolled back
        emulator.execute(
            "stock.location", "create", [{"name": "Aisle"}, {"name": "Bad", "usage": "nope"}]
        )
    assert named("Aisle") == []
    aisle = emulator.execute("stock.location", "create", [{"name": "Aisle"}])[0]
    assert named("Aisle") == [aisle]
    emulator.execute("stock.location", "write", [aisle], {"name": "Row"})
    assert (named("Aisle"), named("Row")) == ([], [aisle])
    with pytest.raises(OdooError):  # a write rolled back restores the old value's entry
        emulator.execute("stock.location", "write", [aisle], {"name": "Shelf", "usage": "nope"})
    assert (named("Shelf"), named("Row")) == ([], [aisle])
    emulator.execute("stock.location", "unlink", [aisle])
    assert named("Row") == []
    # "in" and "|" use the same indexes.
    assert emulator.execute("stock.location", "search", [("name", "in", [])]) == []
    stock = emulator.execute("stock.location", "search", [("name", "in", ["Stock", "x"])])
    either = emulator.execute(
        "stock.location", "search", ["|", ("name", "=", "Stock"), ("id", "=", stock[0])]
    )
    assert (
        stock == either == [emulator.execute("stock.warehouse", "read", [1])[0]["lot_stock_id"][0]]
    )

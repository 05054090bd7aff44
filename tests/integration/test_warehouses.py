"""Warehouses end to end against the emulator: plan, apply, idempotency, adoption, drift."""

from __future__ import annotations

import json
from typing import Any

from odooconf.kinds import KINDS, LOOKUPS
from tests.integration.conftest import Odoo, Project


def _warehouses(odoo: Odoo) -> dict[str, dict[str, Any]]:
    rows: Any = odoo.execute(
        "stock.warehouse",
        "search_read",
        [],
        ["code", "name", "reception_steps", "delivery_steps", "resupply_wh_ids", "active"],
        context={"active_test": False},
    )
    return {row["code"]: row for row in rows}


def _xmlids(odoo: Odoo, model: str) -> dict[str, dict[str, Any]]:
    rows: Any = odoo.execute(
        "ir.model.data",
        "search_read",
        [("module", "=", "odooconf"), ("model", "=", model)],
        ["name", "res_id", "noupdate"],
    )
    return {row["name"]: row for row in rows}


def test_example_plans_applies_and_converges(example: Project) -> None:
    first = example.run("plan", "-e", "test", "--detailed-exitcode")
    assert first.code == 2, first.err
    assert "+ warehouse DC1" in first.out
    assert "* warehouse WH" in first.out  # Odoo's own warehouse is adopted, not duplicated
    applied = example.run("apply", "-e", "test", "--yes")
    assert applied.code == 0, applied.err
    assert "Apply complete" in applied.out

    warehouses = _warehouses(example.odoo)
    assert set(warehouses) == {"WH", "DC1", "RW1", "RW2"}
    dc1 = warehouses["DC1"]
    assert (dc1["reception_steps"], dc1["delivery_steps"]) == ("three_steps", "pick_pack_ship")
    assert warehouses["RW1"]["resupply_wh_ids"] == [dc1["id"]]

    again = example.run("plan", "-e", "test", "--detailed-exitcode")
    assert again.code == 0, again.out + again.err
    assert "No changes" in again.out


def test_second_apply_writes_nothing(example: Project) -> None:
    assert example.run("apply", "-e", "test", "--yes").code == 0
    example.odoo.reset_calls()
    result = example.run("apply", "-e", "test", "--yes")
    assert result.code == 0
    writes = [c for c in example.odoo.object_calls() if c[1] in {"create", "write", "unlink"}]
    assert writes == []


def test_existing_wh_is_adopted_with_a_noupdate_external_id(project: Project) -> None:
    project.write("wh.yaml", "warehouses:\n  - {code: WH, name: Main Warehouse}\n")
    before = _warehouses(project.odoo)["WH"]
    plan = project.run("plan", "-e", "test", "--format", "json")
    change = json.loads(plan.out)["changes"][0]
    assert change["action"] == "adopt"
    assert change["record_id"] == before["id"]
    assert change["fields"] == [{"field": "name", "old": "My Company", "new": "Main Warehouse"}]

    assert project.run("apply", "-e", "test", "--yes").code == 0
    after = _warehouses(project.odoo)
    assert list(after) == ["WH"]
    assert after["WH"]["name"] == "Main Warehouse"
    xmlid = _xmlids(project.odoo, "stock.warehouse")["warehouse_wh"]
    assert (xmlid["res_id"], xmlid["noupdate"]) == (before["id"], True)


def test_hand_edit_shows_in_plan_exactly_and_apply_restores_it(example: Project) -> None:
    assert example.run("apply", "-e", "test", "--yes").code == 0
    rw1 = _warehouses(example.odoo)["RW1"]
    example.odoo.execute("stock.warehouse", "write", [rw1["id"]], {"name": "Renamed by hand"})

    plan = json.loads(example.run("plan", "-e", "test", "--format", "json").out)
    pending = [c for c in plan["changes"] if c["action"] != "noop"]
    assert [(c["action"], c["key"]) for c in pending] == [("update", "RW1")]
    assert pending[0]["fields"] == [
        {"field": "name", "old": "Renamed by hand", "new": "My Company West"}
    ]

    example.odoo.reset_calls()
    assert example.run("apply", "-e", "test", "--yes").code == 0
    writes = [
        call
        for call in example.odoo.calls
        if call.service == "object" and call.model_method == "write"
    ]
    # Only the drifted field is written: rewriting steps would rebuild dozens of records.
    assert [(c.model, c.args[-1]) for c in writes] == [
        ("stock.warehouse", {"name": "My Company West"})
    ]
    assert _warehouses(example.odoo)["RW1"]["name"] == "My Company West"
    assert example.run("plan", "-e", "test", "--detailed-exitcode").code == 0


def test_steps_change_is_planned_field_by_field(example: Project) -> None:
    assert example.run("apply", "-e", "test", "--yes").code == 0
    dc1 = _warehouses(example.odoo)["DC1"]
    example.odoo.execute("stock.warehouse", "write", [dc1["id"]], {"reception_steps": "one_step"})
    plan = example.run("plan", "-e", "test")
    assert "~ warehouse DC1" in plan.out
    assert 'reception_steps: "one_step" → "three_steps"' in plan.out
    assert "Odoo rebuilds the warehouse's routes, rules and operation types" in plan.out
    assert example.run("apply", "-e", "test", "--yes").code == 0
    assert _warehouses(example.odoo)["DC1"]["reception_steps"] == "three_steps"


def test_sub_locations_are_created_under_generated_parents(example: Project) -> None:
    assert example.run("apply", "-e", "test", "--yes").code == 0
    rows: Any = example.odoo.execute(
        "stock.location",
        "search_read",
        [("complete_name", "like", "DC1/")],
        ["complete_name", "barcode", "usage", "location_id"],
        context={"active_test": False},
    )
    by_name = {row["complete_name"]: row for row in rows}
    assert {"DC1/Stock/Bulk", "DC1/Stock/Cold Room", "DC1/Stock/Cold Room/Freezer"} <= set(by_name)
    freezer = by_name["DC1/Stock/Cold Room/Freezer"]
    assert freezer["barcode"] == "T-FRZ"
    assert freezer["location_id"][0] == by_name["DC1/Stock/Cold Room"]["id"]
    assert set(_xmlids(example.odoo, "stock.location")) >= {
        "location_dc1_stock_bulk",
        "location_dc1_stock_cold_room_freezer",
    }


def test_plan_rpc_calls_do_not_grow_with_the_number_of_warehouses(project: Project) -> None:
    def plan_calls(count: int) -> int:
        items = "".join(
            f"  - {{code: W{i}, name: Warehouse {i}, locations: [Stock/A, Stock/B]}}\n"
            for i in range(count)
        )
        project.write("wh.yaml", "warehouses:\n" + items)
        project.odoo.reset_calls()
        assert project.run("plan", "-e", "test").code == 0
        return len(project.odoo.calls)

    assert plan_calls(2) == plan_calls(40)  # everything to create
    assert project.run("apply", "-e", "test", "--yes").code == 0
    # With 40 live warehouses and 80 sub-locations: nothing to create (so no rights check).
    assert plan_calls(40) == plan_calls(2)
    # One search_read per kind and per lookup at most, plus installed modules, models and ids.
    reads = [m for _model, m in project.odoo.object_calls()]
    assert reads.count("search_read") <= len(KINDS) + len(LOOKUPS) + 3


def test_apply_batches_creates(project: Project) -> None:
    items = "".join(f"  - {{code: W{i}, name: Warehouse {i}}}\n" for i in range(10))
    project.write("wh.yaml", "warehouses:\n" + items)
    project.odoo.reset_calls()
    assert project.run("apply", "-e", "test", "--yes").code == 0
    creates = [c for c in project.odoo.object_calls() if c[1] == "create"]
    lock = ("ir.config_parameter", "create")  # odooconf's lock on the instance, first
    assert creates == [lock, ("stock.warehouse", "create"), ("ir.model.data", "create")]


def test_natural_key_is_scoped_by_company(project: Project) -> None:
    other: Any = project.odoo.execute("res.company", "create", {"name": "Second Co"})
    project.odoo.execute(
        "stock.warehouse", "create", {"name": "Second WH", "code": "WH", "company_id": other}
    )
    project.write("wh.yaml", "warehouses:\n  - {code: WH, name: Main}\n")
    err = project.refused()
    assert "2 stock.warehouse records have the key 'WH'; declare company to tell them" in err

    project.write("wh.yaml", "warehouses:\n  - {code: WH, name: Main, company: Second Co}\n")
    plan = json.loads(project.run("plan", "-e", "test", "--format", "json").out)
    [change] = plan["changes"]
    assert (change["action"], change["fields"]) == (
        "adopt",
        [{"field": "name", "old": "Second WH", "new": "Main"}],
    )

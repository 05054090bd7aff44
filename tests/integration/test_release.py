"""Prune never destroys what odooconf did not create, nor what an active record still uses.

Adopted records (Odoo's own ``WH``, records made by hand) and records Odoo generated (a
warehouse's locations, operation types, routes) are *released* when they leave the blueprints:
odooconf's external id is removed and the record is left as it is. Records odooconf created are
archived only when no active record outside the archived set uses them.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tests.integration.conftest import Project


def _xmlids(project: Project) -> dict[str, tuple[int, bool]]:
    rows = project.odoo.read(
        "ir.model.data", [("module", "=", "odooconf")], ["name", "res_id", "noupdate"]
    )
    return {row["name"]: (row["res_id"], row["noupdate"]) for row in rows}


def _pending(project: Project) -> list[tuple[str, str, str]]:
    result = project.run("plan", "-e", "test", "--format", "json")
    assert result.code == 0, result.out + result.err
    plan: Any = json.loads(result.out)
    return [(c["action"], c["kind"], c["key"]) for c in plan["changes"] if c["action"] != "noop"]


def test_removing_the_override_of_an_odoo_generated_type_releases_it(example: Project) -> None:
    """The review's case: the example's override of DC1/PICK is removed with prune: archive."""
    example.environment(
        version=example.odoo.version,
        prune="archive",
        exclude='["stock/reordering.yaml", "commercial/price_checks.yaml",'
        ' "commercial/purchasing.yaml", "commercial/approvals.yaml"]',
    )
    example.apply_ok()
    routes = example.blueprints / "stock" / "routes.yaml"
    text = routes.read_text(encoding="utf-8")
    override = re.search(r"  # Odoo's own Pick type.*?reservation_method: at_confirm\n", text, re.S)
    assert override is not None
    routes.write_text(text.replace(override.group(0), ""), encoding="utf-8")

    assert _pending(example) == [("release", "operation_type", "DC1/PICK")]
    plan = example.run("plan", "-e", "test")
    assert "< operation_type DC1/PICK  (release #" in plan.out
    assert "its external id is removed and the record is left as it is" in plan.out
    example.apply_ok()

    [pick] = example.odoo.read(
        "stock.picking.type",
        [("sequence_code", "=", "PICK"), ("warehouse_id.code", "=", "DC1")],
        ["active", "reservation_method"],
    )
    assert pick["active"] is True
    assert pick["reservation_method"] == "at_confirm"  # left exactly as it was
    assert "operation_type_dc1_pick" not in _xmlids(example)
    example.converged()


def test_an_adopted_warehouse_is_released_never_archived(project: Project) -> None:
    project.environment(prune="archive")
    project.write(
        "w.yaml", "warehouses:\n  - {code: WH, name: Main}\n  - {code: RW1, name: West}\n"
    )
    project.apply_ok()
    ids = _xmlids(project)
    assert ids["warehouse_wh"][1] is True  # adopted: noupdate on
    assert ids["warehouse_rw1"][1] is False  # created: noupdate off, as a module's own data

    project.write("w.yaml", "warehouses: []\n")
    assert _pending(project) == [
        ("archive", "warehouse", "RW1"),
        ("release", "warehouse", "WH"),
    ]
    project.apply_ok()
    active = {
        row["code"]: row["active"]
        for row in project.odoo.read("stock.warehouse", [], ["code", "active"])
    }
    assert active == {"WH": True, "RW1": False}
    assert set(_xmlids(project)) == {"warehouse_rw1"}  # archived records stay identified
    project.converged()


def test_a_created_record_an_active_record_uses_is_kept_and_the_plan_says_why(
    project: Project,
) -> None:
    project.environment(prune="archive")
    project.write("l.yaml", "locations:\n  - {path: WH/Stock/Cage}\n")
    project.apply_ok()
    # Someone points an operation type they made by hand at the location.
    [cage] = project.odoo.read("stock.location", [("complete_name", "=", "WH/Stock/Cage")], ["id"])
    [wh] = project.odoo.read("stock.warehouse", [("code", "=", "WH")], ["id"])
    project.odoo.execute(
        "stock.picking.type",
        "create",
        [{"name": "Cage moves", "sequence_code": "CG", "code": "internal",
          "warehouse_id": wh["id"], "default_location_src_id": cage["id"],
          "default_location_dest_id": cage["id"]}],
    )  # fmt: skip

    project.write("l.yaml", "locations: []\n")
    plan = project.run("plan", "-e", "test", "--detailed-exitcode")
    assert plan.code == 0, plan.out + plan.err
    assert (
        "location WH/Stock/Cage (odooconf.location_wh_stock_cage) left the blueprints but is "
        "kept (prune: archive): the active operation_type WH/CG (#"
    ) in plan.out
    assert "uses location WH/Stock/Cage through default_location_src_id" in plan.out
    project.apply_ok()
    [cage] = project.odoo.read(
        "stock.location", [("complete_name", "=", "WH/Stock/Cage")], ["active"]
    )
    assert cage["active"] is True


def test_a_record_used_through_one_odoo_archives_with_it_is_kept(project: Project) -> None:
    """Archiving a warehouse archives its locations: a created warehouse whose stock location a
    rule made by hand uses is kept."""
    project.environment(prune="archive")
    project.write("w.yaml", "warehouses:\n  - {code: RW1, name: West}\n")
    project.apply_ok()
    [stock] = project.odoo.read("stock.location", [("complete_name", "=", "RW1/Stock")], ["id"])
    [dest] = project.odoo.read("stock.location", [("complete_name", "=", "WH/Stock")], ["id"])
    [internal] = project.odoo.read(
        "stock.picking.type",
        [("sequence_code", "=", "INT"), ("warehouse_id.code", "=", "WH")],
        ["id"],
    )
    route: Any = project.odoo.execute("stock.route", "create", [{"name": "By hand"}])
    project.odoo.execute(
        "stock.rule",
        "create",
        [{"name": "West to WH", "route_id": route[0] if isinstance(route, list) else route,
          "action": "pull", "location_src_id": stock["id"], "location_dest_id": dest["id"],
          "picking_type_id": internal["id"]}],
    )  # fmt: skip

    project.write("w.yaml", "warehouses: []\n")
    plan = project.run("plan", "-e", "test")
    assert plan.code == 0, plan.out + plan.err
    assert (
        "warehouse RW1 (odooconf.warehouse_rw1) left the blueprints but is kept (prune: "
        "archive): the active rule By hand | pull | RW1/Stock → WH/Stock (#"
    ) in plan.out
    assert "uses location RW1/Stock through location_src_id" in plan.out
    assert _pending(project) == []


def test_records_used_only_by_records_archived_with_them_are_archived(project: Project) -> None:
    project.environment(prune="archive")
    project.write(
        "w.yaml",
        "warehouses:\n  - {code: RW1, name: West, locations: [Stock/A, Stock/A/B]}\n",
    )
    project.apply_ok()
    project.write("w.yaml", "warehouses: []\n")
    pending = _pending(project)
    assert ("archive", "warehouse", "RW1") in pending
    assert ("archive", "location", "RW1/Stock/A") in pending
    assert ("archive", "location", "RW1/Stock/A/B") in pending
    project.apply_ok()
    rows = project.odoo.read(
        "stock.location", [("complete_name", "like", "RW1/Stock/A")], ["active"]
    )
    assert rows and not any(row["active"] for row in rows)
    project.converged()

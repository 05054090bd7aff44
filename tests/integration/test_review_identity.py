"""Review: identity of records across key changes, external ids and hand edits on the instance."""

from __future__ import annotations

from typing import Any

from tests.integration.conftest import Odoo, Project


def _read(odoo: Odoo, model: str, domain: list[Any], fields: list[str]) -> list[dict[str, Any]]:
    rows: Any = odoo.execute(model, "search_read", domain, fields, context={"active_test": False})
    return list(rows)


def _names(odoo: Odoo, model: str, prefix: str) -> list[str]:
    rows = _read(odoo, model, [("complete_name", "like", prefix)], ["complete_name"])
    return sorted(row["complete_name"] for row in rows)


def _apply(project: Project) -> None:
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 0, result.out + result.err


def _converged(project: Project) -> None:
    result = project.run("plan", "-e", "test", "--detailed-exitcode")
    assert result.code == 0, result.out + result.err


# --- renames ------------------------------------------------------------------------------------

DC = """\
warehouses:
  - id: central_dc
    code: {code}
    name: Central
    delivery_steps: pick_ship
    locations: [Stock/Bulk]
operation_types:
  - {{warehouse: {code}, sequence_code: PICK, reservation_method: manual}}
"""


def test_warehouse_code_rename_with_id_keeps_its_records(project: Project) -> None:
    project.write("wh.yaml", DC.format(code="DC1"))
    _apply(project)
    [bulk] = _read(project.odoo, "stock.location", [("name", "=", "Bulk")], ["id"])

    project.write("wh.yaml", DC.format(code="DC2"))
    result = project.run("apply", "-e", "test", "--yes")
    # Odoo renames the view location with the code: DC1/Stock/Bulk becomes DC2/Stock/Bulk and
    # DC1/PICK becomes DC2/PICK; nothing is generated and nothing may be duplicated.
    assert _names(project.odoo, "stock.location", "DC2/Stock/") == ["DC2/Stock/Bulk"]
    assert result.code == 0, result.err
    [moved] = _read(project.odoo, "stock.location", [("name", "=", "Bulk")], ["id"])
    assert moved["id"] == bulk["id"]
    _converged(project)


def test_warehouse_code_rename_with_ids_on_every_item_converges(project: Project) -> None:
    text = DC.replace("[Stock/Bulk]", "[{{path: Stock/Bulk, id: dc_bulk}}]").replace(
        "reservation_method: manual}}", "reservation_method: manual, id: dc_pick}}"
    )
    project.write("wh.yaml", text.format(code="DC1"))
    _apply(project)
    project.write("wh.yaml", text.format(code="DC2"))
    _apply(project)
    assert _names(project.odoo, "stock.location", "DC2/Stock/") == ["DC2/Stock/Bulk"]
    _converged(project)


def test_renamed_location_gets_a_new_child_in_the_same_apply(project: Project) -> None:
    project.write("l.yaml", "locations:\n  - {path: WH/Stock/A, id: zone_a}\n")
    _apply(project)
    project.write(
        "l.yaml", "locations:\n  - {path: WH/Stock/A2, id: zone_a}\n  - {path: WH/Stock/A2/New}\n"
    )
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 0, result.err
    assert _names(project.odoo, "stock.location", "WH/Stock/A") == [
        "WH/Stock/A2",
        "WH/Stock/A2/New",
    ]
    _converged(project)


def test_renamed_route_keeps_its_rules(project: Project) -> None:
    text = """\
    routes:
      - name: {name}
        id: my_route
        rules:
          - {{id: my_rule, action: pull, source: WH/Stock, destination: Partners/Customers,
              operation_type: WH/OUT, lead_time: 1}}
    """
    project.write("r.yaml", text.format(name="R1"))
    _apply(project)
    project.write("r.yaml", text.format(name="R2").replace("lead_time: 1", "lead_time: 2"))
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 0, result.err
    [rule] = _read(project.odoo, "stock.rule", [("route_id.name", "=", "R2")], ["delay"])
    assert rule["delay"] == 2
    _converged(project)


def test_location_moved_with_ids_converges_on_rerun(project: Project) -> None:
    project.write(
        "l.yaml",
        "locations:\n  - {path: WH/Stock/A, id: a}\n  - {path: WH/Stock/A/B, id: b}\n"
        "  - {path: WH/Stock/C}\n",
    )
    _apply(project)
    project.write(
        "l.yaml",
        "locations:\n  - {path: WH/Stock/C/A, id: a}\n  - {path: WH/Stock/C/A/B, id: b}\n"
        "  - {path: WH/Stock/C}\n",
    )
    project.run("apply", "-e", "test", "--yes")  # see test_renamed_location_gets_a_new_child...
    assert _names(project.odoo, "stock.location", "WH/Stock/") == [
        "WH/Stock/C",
        "WH/Stock/C/A",
        "WH/Stock/C/A/B",
    ]
    _converged(project)


# --- external ids -------------------------------------------------------------------------------


def test_unicode_names_get_distinct_external_ids(project: Project) -> None:
    project.write("l.yaml", "locations:\n  - path: WH/Stock/Zone Ä\n  - path: WH/Stock/Zone Ö\n")
    result = project.run("plan", "-e", "test")
    assert result.code == 0, result.err
    _apply(project)
    assert _names(project.odoo, "stock.location", "WH/Stock/Zone") == [
        "WH/Stock/Zone Ä",
        "WH/Stock/Zone Ö",
    ]
    _converged(project)


def test_unicode_name_round_trips(project: Project) -> None:
    project.write(
        "l.yaml",
        "warehouses:\n  - {code: KÖ1, name: Köln Zentrallager, locations: [Stock/Kühlraum ❄]}\n",
    )
    _apply(project)
    assert _names(project.odoo, "stock.location", "KÖ1/Stock/") == ["KÖ1/Stock/Kühlraum ❄"]
    _converged(project)


def test_reference_to_own_external_id_of_a_planned_record(project: Project) -> None:
    project.write(
        "l.yaml",
        """\
        locations:
          - {path: WH/Stock/Bulk, id: bulk}
        operation_types:
          - {warehouse: WH, sequence_code: INT, default_destination: {xmlid: odooconf.bulk}}
        """,
    )
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 0, result.err
    [internal] = _read(
        project.odoo,
        "stock.picking.type",
        [("sequence_code", "=", "INT")],
        ["default_location_dest_id"],
    )
    assert internal["default_location_dest_id"][1] == "WH/Stock/Bulk"


def test_same_record_referenced_by_key_and_by_external_id_converges(project: Project) -> None:
    project.write(
        "r.yaml",
        "routes: [{name: R, warehouses: [{xmlid: stock.warehouse0}, WH]}]\n"
        "product_categories:\n"
        "  - {path: All / X, routes: [{xmlid: stock.route_warehouse0_mto}, "
        "Replenish on Order (MTO)]}\n",
    )
    _apply(project)
    [route] = _read(project.odoo, "stock.route", [("name", "=", "R")], ["warehouse_ids"])
    assert route["warehouse_ids"] == [1]
    _converged(project)


# --- hand edits on the instance -----------------------------------------------------------------


def test_hand_deleted_record_whose_external_id_survives_is_recreated_and_repointed(
    project: Project,
) -> None:
    project.write("l.yaml", "locations:\n  - {path: WH/Stock/Bulk, barcode: BULK}\n")
    _apply(project)
    [old] = _read(project.odoo, "stock.location", [("complete_name", "=", "WH/Stock/Bulk")], ["id"])
    project.odoo.execute("stock.location", "unlink", [old["id"]])

    plan = project.run("plan", "-e", "test", "--detailed-exitcode")
    assert plan.code == 2
    assert "+ location WH/Stock/Bulk" in plan.out
    _apply(project)
    [new] = _read(project.odoo, "stock.location", [("complete_name", "=", "WH/Stock/Bulk")], ["id"])
    xmlids = _read(project.odoo, "ir.model.data", [("module", "=", "odooconf")], ["name", "res_id"])
    assert [(x["name"], x["res_id"]) for x in xmlids] == [("location_wh_stock_bulk", new["id"])]
    _converged(project)


def test_declared_record_archived_by_hand_is_planned_for_unarchive(project: Project) -> None:
    project.write("l.yaml", "locations:\n  - path: WH/Stock/Bulk\n")
    _apply(project)
    [bulk] = _read(
        project.odoo, "stock.location", [("complete_name", "=", "WH/Stock/Bulk")], ["id"]
    )
    project.odoo.execute("stock.location", "write", [bulk["id"]], {"active": False})
    plan = project.run("plan", "-e", "test", "--detailed-exitcode")
    assert plan.code == 2, plan.out
    assert "active: false → true" in plan.out


def test_declared_active_true_restores_a_record_archived_by_hand(project: Project) -> None:
    project.write("l.yaml", "locations:\n  - {path: WH/Stock/Bulk, active: true}\n")
    _apply(project)
    [bulk] = _read(
        project.odoo, "stock.location", [("complete_name", "=", "WH/Stock/Bulk")], ["id"]
    )
    project.odoo.execute("stock.location", "write", [bulk["id"]], {"active": False})
    plan = project.run("plan", "-e", "test", "--detailed-exitcode")
    assert plan.code == 2
    assert "active: false → true" in plan.out
    _apply(project)
    [row] = _read(project.odoo, "stock.location", [("id", "=", bulk["id"])], ["active"])
    assert row["active"] is True

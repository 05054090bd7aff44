"""Review: identity of records across key changes, external ids and hand edits on the instance."""

from __future__ import annotations

from tests.integration.conftest import Odoo, Project


def _names(odoo: Odoo, model: str, prefix: str) -> list[str]:
    rows = odoo.read(model, [("complete_name", "like", prefix)], ["complete_name"])
    return sorted(row["complete_name"] for row in rows)


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
    project.apply_ok()
    [bulk] = project.odoo.read("stock.location", [("name", "=", "Bulk")], ["id"])

    project.write("wh.yaml", DC.format(code="DC2"))
    result = project.run("apply", "-e", "test", "--yes")
    # Odoo renames the view location with the code: DC1/Stock/Bulk becomes DC2/Stock/Bulk and
    # DC1/PICK becomes DC2/PICK; nothing is generated and nothing may be duplicated.
    assert _names(project.odoo, "stock.location", "DC2/Stock/") == ["DC2/Stock/Bulk"]
    assert result.code == 0, result.err
    [moved] = project.odoo.read("stock.location", [("name", "=", "Bulk")], ["id"])
    assert moved["id"] == bulk["id"]
    project.converged()


def test_warehouse_code_rename_with_ids_on_every_item_converges(project: Project) -> None:
    text = DC.replace("[Stock/Bulk]", "[{{path: Stock/Bulk, id: dc_bulk}}]").replace(
        "reservation_method: manual}}", "reservation_method: manual, id: dc_pick}}"
    )
    project.write("wh.yaml", text.format(code="DC1"))
    project.apply_ok()
    project.write("wh.yaml", text.format(code="DC2"))
    project.apply_ok()
    assert _names(project.odoo, "stock.location", "DC2/Stock/") == ["DC2/Stock/Bulk"]
    project.converged()


def test_renamed_location_gets_a_new_child_in_the_same_apply(project: Project) -> None:
    project.write("l.yaml", "locations:\n  - {path: WH/Stock/A, id: zone_a}\n")
    project.apply_ok()
    project.write(
        "l.yaml", "locations:\n  - {path: WH/Stock/A2, id: zone_a}\n  - {path: WH/Stock/A2/New}\n"
    )
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 0, result.err
    assert _names(project.odoo, "stock.location", "WH/Stock/A") == [
        "WH/Stock/A2",
        "WH/Stock/A2/New",
    ]
    project.converged()


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
    project.apply_ok()
    project.write("r.yaml", text.format(name="R2").replace("lead_time: 1", "lead_time: 2"))
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 0, result.err
    [rule] = project.odoo.read("stock.rule", [("route_id.name", "=", "R2")], ["delay"])
    assert rule["delay"] == 2
    project.converged()


def test_location_moved_with_ids_converges_on_rerun(project: Project) -> None:
    project.write(
        "l.yaml",
        "locations:\n  - {path: WH/Stock/A, id: a}\n  - {path: WH/Stock/A/B, id: b}\n"
        "  - {path: WH/Stock/C}\n",
    )
    project.apply_ok()
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
    project.converged()


# --- external ids -------------------------------------------------------------------------------


def test_unicode_names_get_distinct_external_ids(project: Project) -> None:
    project.write("l.yaml", "locations:\n  - path: WH/Stock/Zone Ä\n  - path: WH/Stock/Zone Ö\n")
    result = project.run("plan", "-e", "test")
    assert result.code == 0, result.err
    project.apply_ok()
    assert _names(project.odoo, "stock.location", "WH/Stock/Zone") == [
        "WH/Stock/Zone Ä",
        "WH/Stock/Zone Ö",
    ]
    project.converged()


def test_unicode_name_round_trips(project: Project) -> None:
    project.write(
        "l.yaml",
        "warehouses:\n  - {code: KÖ1, name: Köln Zentrallager, locations: [Stock/Kühlraum ❄]}\n",
    )
    project.apply_ok()
    assert _names(project.odoo, "stock.location", "KÖ1/Stock/") == ["KÖ1/Stock/Kühlraum ❄"]
    project.converged()


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
    [internal] = project.odoo.read(
        "stock.picking.type",
        [("sequence_code", "=", "INT")],
        ["default_location_dest_id"],
    )
    assert internal["default_location_dest_id"][1] == "WH/Stock/Bulk"


def test_same_record_referenced_by_key_and_by_external_id_converges(project: Project) -> None:
    facts = project.odoo.facts
    project.write(
        "r.yaml",
        "routes: [{name: R, warehouses: [{xmlid: stock.warehouse0}, WH]},\n"
        f"         {{name: {facts.mto_route}, selectable: {{product_categories: true}}}}]\n"
        "product_categories:\n"
        f"  - {{path: {facts.top} / X, routes: [{{xmlid: stock.route_warehouse0_mto}}, "
        f"{facts.mto_route}]}}\n",
    )
    project.apply_ok()
    [route] = project.odoo.read("stock.route", [("name", "=", "R")], ["warehouse_ids"])
    assert route["warehouse_ids"] == [1]
    project.converged()


# --- hand edits on the instance -----------------------------------------------------------------


def test_hand_deleted_record_whose_external_id_survives_is_recreated_and_repointed(
    project: Project,
) -> None:
    project.write("l.yaml", "locations:\n  - {path: WH/Stock/Bulk, barcode: BULK}\n")
    project.apply_ok()
    [old] = project.odoo.read("stock.location", [("complete_name", "=", "WH/Stock/Bulk")], ["id"])
    project.odoo.execute("stock.location", "unlink", [old["id"]])

    plan = project.run("plan", "-e", "test", "--detailed-exitcode")
    assert plan.code == 2
    assert "+ location WH/Stock/Bulk" in plan.out
    project.apply_ok()
    [new] = project.odoo.read("stock.location", [("complete_name", "=", "WH/Stock/Bulk")], ["id"])
    xmlids = project.odoo.read("ir.model.data", [("module", "=", "odooconf")], ["name", "res_id"])
    assert [(x["name"], x["res_id"]) for x in xmlids] == [("location_wh_stock_bulk", new["id"])]
    project.converged()


def test_declared_record_archived_by_hand_is_planned_for_unarchive(project: Project) -> None:
    project.write("l.yaml", "locations:\n  - path: WH/Stock/Bulk\n")
    project.apply_ok()
    [bulk] = project.odoo.read("stock.location", [("complete_name", "=", "WH/Stock/Bulk")], ["id"])
    project.odoo.execute("stock.location", "write", [bulk["id"]], {"active": False})
    plan = project.run("plan", "-e", "test", "--detailed-exitcode")
    assert plan.code == 2, plan.out
    assert "active: false → true" in plan.out


def test_declared_active_true_restores_a_record_archived_by_hand(project: Project) -> None:
    project.write("l.yaml", "locations:\n  - {path: WH/Stock/Bulk, active: true}\n")
    project.apply_ok()
    [bulk] = project.odoo.read("stock.location", [("complete_name", "=", "WH/Stock/Bulk")], ["id"])
    project.odoo.execute("stock.location", "write", [bulk["id"]], {"active": False})
    plan = project.run("plan", "-e", "test", "--detailed-exitcode")
    assert plan.code == 2
    assert "active: false → true" in plan.out
    project.apply_ok()
    [row] = project.odoo.read("stock.location", [("id", "=", bulk["id"])], ["active"])
    assert row["active"] is True

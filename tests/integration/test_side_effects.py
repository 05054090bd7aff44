"""Review: records Odoo generates or rebuilds (routes, rules, operation types) and pruning."""

from __future__ import annotations

import pytest

from tests.integration.conftest import Project

# --- warehouse steps rebuild rules ---------------------------------------------------------------

STEPS = """\
warehouses:
  - {{code: WH, name: My Company, delivery_steps: {steps}}}
rules:
  - {{route: WH/delivery, action: pull, source: {source}, destination: Partners/Customers,
     operation_type: WH/{type}, lead_time: 3}}
"""


def test_managed_rule_rebuilt_by_a_steps_change_keeps_its_values(project: Project) -> None:
    facts = project.odoo.facts
    project.write("w.yaml", STEPS.format(steps="ship_only", source="WH/Stock", type="OUT"))
    project.apply_ok()
    # In three steps, 18 and 19 deliver with a rule Stock → Customers of the Pick type (pushed
    # on); 16 and 17 pull through the Output location: their last rule is Output → Customers.
    source, kind, name = (
        ("WH/Stock", "PICK", "Pick")
        if facts.major >= 18
        else ("WH/Output", "OUT", "Delivery Orders")
    )
    project.write("w.yaml", STEPS.format(steps="pick_pack_ship", source=source, type=kind))
    project.apply_ok()
    active = project.odoo.read(
        "stock.rule",
        [
            ("route_id", "=", 3),
            ("action", "=", "pull"),
            ("location_dest_id.complete_name", "=", facts.customers),
            ("active", "=", True),
        ],
        ["delay", "picking_type_id"],
    )
    # The rule Odoo uses now (the active one) must carry the declared lead time.
    assert [(rule["delay"], rule["picking_type_id"][1]) for rule in active] == [
        (3, f"My Company: {name}")
    ]
    project.converged()


# --- operation types ------------------------------------------------------------------------------


def test_operation_types_that_are_each_others_return_type(project: Project) -> None:
    # This is exactly how Odoo 18 configures a warehouse's Receipts and Delivery Orders: a
    # reference cycle between existing records is no dependency cycle, and nothing is written.
    if "RET" in project.odoo.facts.operation_types:
        pytest.skip("Odoo 16's Delivery Orders return to its Returns type, not to the Receipts")
    project.write(
        "o.yaml",
        """\
        operation_types:
          - {warehouse: WH, sequence_code: IN, return_type: WH/OUT}
          - {warehouse: WH, sequence_code: OUT, return_type: WH/IN}
        """,
    )
    fields = ["sequence_code", "return_picking_type_id"]
    before = project.odoo.read("stock.picking.type", [("warehouse_id.code", "=", "WH")], fields)
    plan = project.run("plan", "-e", "test", "--detailed-exitcode")
    assert plan.code == 2, plan.out + plan.err
    assert "* operation_type WH/IN  (adopt #1, found by key" in plan.out
    assert "* operation_type WH/OUT  (adopt #2, found by key" in plan.out
    assert "return" not in plan.out  # both already point to each other
    assert "Plan: 0 to create, 0 to update, 2 to adopt, 0 to archive" in plan.out
    project.apply_ok()
    after = project.odoo.read("stock.picking.type", [("warehouse_id.code", "=", "WH")], fields)
    assert after == before  # no type created, none rewritten
    returns = {row["sequence_code"]: row["return_picking_type_id"] for row in after}
    assert returns["IN"] == [2, "My Company: Delivery Orders"]
    assert returns["OUT"] == [1, "My Company: Receipts"]
    xmlids = project.odoo.read(
        "ir.model.data", [("module", "=", "odooconf")], ["name", "model", "res_id"]
    )
    assert sorted((x["name"], x["model"], x["res_id"]) for x in xmlids) == [
        ("operation_type_wh_in", "stock.picking.type", 1),
        ("operation_type_wh_out", "stock.picking.type", 2),
    ]
    project.converged()


def test_new_warehouse_with_new_return_type_in_one_apply(project: Project) -> None:
    project.write(
        "o.yaml",
        """\
        warehouses:
          - {code: DC1, name: Central}
        operation_types:
          - {warehouse: DC1, sequence_code: RET, name: Returns, type: incoming}
          - {warehouse: DC1, sequence_code: OUT, return_type: DC1/RET}
          - {warehouse: DC1, sequence_code: SHP, name: Ship, type: outgoing,
             return_type: DC1/RET, default_source: DC1/Stock}
        """,
    )
    project.apply_ok()
    types = {
        row["sequence_code"]: row
        for row in project.odoo.read(
            "stock.picking.type",
            [("warehouse_id.code", "=", "DC1")],
            ["sequence_code", "return_picking_type_id", "default_location_src_id"],
        )
    }
    # Odoo's own (16's RET among them: adopted), RET and SHP: none duplicated.
    made = project.odoo.facts.operation_types
    assert len(types) == len(made) + (1 if "RET" in made else 2)
    assert types["OUT"]["return_picking_type_id"][0] == types["RET"]["id"]
    assert types["SHP"]["return_picking_type_id"][0] == types["RET"]["id"]
    assert types["SHP"]["default_location_src_id"][1] == "DC1/Stock"
    project.converged()


# --- routes Odoo generates, by alias and by name --------------------------------------------------


def test_generated_route_declared_by_alias_keeps_its_name(project: Project) -> None:
    project.write("r.yaml", "routes:\n  - {name: WH/delivery, sequence: 5}\n")
    plan = project.run("plan", "-e", "test")
    assert plan.code == 0, plan.err
    assert '"WH/delivery"' not in plan.out  # the alias is a key, not a value to write
    project.apply_ok()
    [route] = project.odoo.read("stock.route", [("id", "=", 3)], ["name", "sequence"])
    assert (route["name"], route["sequence"]) == ("My Company: Deliver in 1 step (ship)", 5)
    project.converged()


def test_generated_route_declared_by_its_name_is_not_duplicated(project: Project) -> None:
    # Odoo's own delivery route, declared by the name Odoo gave it, is adopted, never twinned.
    name = "My Company: Deliver in 1 step (ship)"
    project.write("r.yaml", f"routes:\n  - {{name: '{name}', sequence: 5}}\n")
    plan = project.run("plan", "-e", "test", "--detailed-exitcode")
    assert plan.code == 2, plan.out + plan.err
    assert f"* route {name}  (adopt #3, found by key" in plan.out
    assert f"sequence: {project.odoo.facts.delivery_route_sequence} → 5" in plan.out
    assert "Plan: 0 to create, 0 to update, 1 to adopt, 0 to archive" in plan.out
    assert "+ route" not in plan.out
    project.apply_ok()
    routes = project.odoo.read("stock.route", [("name", "=", name)], ["sequence", "active"])
    assert routes == [{"id": 3, "sequence": 5, "active": True}]
    [xmlid] = project.odoo.read(
        "ir.model.data", [("module", "=", "odooconf"), ("model", "=", "stock.route")], ["res_id"]
    )
    assert xmlid["res_id"] == 3
    project.converged()


def test_rule_on_a_resupply_route_and_category_routes_by_alias(project: Project) -> None:
    facts = project.odoo.facts
    project.write(
        "a.yaml",
        f"""\
        warehouses:
          - {{code: DC1, name: Central, resupply_from: [WH]}}
        rules:
          - {{route: DC1/resupply/WH, action: pull,
             source: {facts.transit}, destination: DC1/Stock,
             operation_type: DC1/IN, lead_time: 2}}
        product_categories:
          - {{path: {facts.top} / X, routes: [DC1/resupply/WH, DC1/reception]}}
        """,
    )
    plan = project.run("plan", "-e", "test")
    assert "adopted instead if Odoo generates it when creating warehouse DC1" in plan.out
    project.apply_ok()
    rules = project.odoo.read(
        "stock.rule",
        [("location_dest_id.complete_name", "=", "DC1/Stock"), ("action", "=", "pull")],
        ["delay", "route_id"],
    )
    assert [rule["delay"] for rule in rules] == [2]  # Odoo's rule adopted, not duplicated
    project.converged()


# --- route rules: reorder, remove, change a key field ---


def test_route_rules_reordered_removed_and_rekeyed_with_prune_archive(project: Project) -> None:
    project.write(
        "r.yaml",
        """\
        routes:
          - name: R1
            rules:
              - {action: pull, source: WH/Stock, destination: Partners/Customers,
                 operation_type: WH/OUT}
              - {action: push, source: WH/Stock, destination: WH/Output, operation_type: WH/INT}
              - {action: pull, source: WH/Output, destination: Partners/Customers,
                 operation_type: WH/OUT}
        """,
    )
    project.apply_ok()
    project.environment(prune="archive")
    project.write(
        "r.yaml",
        """\
        routes:
          - name: R1
            rules:
              - {action: pull, source: WH/Output, destination: Partners/Customers,
                 operation_type: WH/OUT}
              - {action: pull, source: WH/Stock, destination: Partners/Vendors,
                 operation_type: WH/OUT}
        """,
    )
    plan = project.run("plan", "-e", "test")
    assert "~ rule R1 | pull | WH/Output → Customers" in plan.out
    assert "sequence: 30 → 10" in plan.out
    assert "+ rule R1 | pull | WH/Stock → Vendors" in plan.out
    assert "- rule R1 | pull | WH/Stock → Customers" in plan.out
    assert "- rule R1 | push | WH/Stock → WH/Output" in plan.out
    project.apply_ok()
    rules = project.odoo.read(
        "stock.rule",
        [("route_id.name", "=", "R1")],
        ["location_src_id", "location_dest_id", "sequence", "active"],
    )
    active = sorted(
        (r["sequence"], r["location_src_id"][1], r["location_dest_id"][1])
        for r in rules
        if r["active"]
    )
    facts = project.odoo.facts
    assert active == [(10, "WH/Output", facts.customers), (20, "WH/Stock", facts.vendors)]
    assert len(rules) == 4  # the two removed rules are archived, never deleted
    project.converged()


# --- pruning ---


def test_prune_archives_a_warehouse_and_its_managed_locations_together(project: Project) -> None:
    project.write(
        "w.yaml",
        """\
        warehouses:
          - {code: DC1, name: Central, locations: [Stock/Bulk]}
        locations:
          - {path: DC1/Stock, barcode: DC1-STOCK}
        operation_types:
          - {warehouse: DC1, sequence_code: PICK, reservation_method: manual}
        """,
    )
    project.apply_ok()
    project.write("w.yaml", "warehouses: []\n")
    project.environment(prune="archive")
    plan = project.run("plan", "-e", "test", "--detailed-exitcode")
    assert plan.code == 2
    assert "Plan: 0 to create, 0 to update, 0 to adopt, 2 to archive, 2 to release" in plan.out
    project.apply_ok()
    [dc1] = project.odoo.read("stock.warehouse", [("code", "=", "DC1")], ["active"])
    assert dc1["active"] is False
    locations = project.odoo.read("stock.location", [("complete_name", "like", "DC1")], ["active"])
    assert locations and not any(row["active"] for row in locations)
    project.converged()


def test_adopting_a_non_internal_location_leaves_its_usage_alone(project: Project) -> None:
    path = project.odoo.facts.transit
    project.write("l.yaml", f"locations:\n  - {{path: {path}, barcode: TRANSIT}}\n")
    plan = project.run("plan", "-e", "test")
    assert plan.code == 0, plan.err
    assert "usage" not in plan.out  # README: only the fields a blueprint declares are managed
    project.apply_ok()
    [transit] = project.odoo.read(
        "stock.location",
        [("complete_name", "=", path)],
        ["usage", "barcode"],
    )
    assert (transit["usage"], transit["barcode"]) == ("transit", "TRANSIT")

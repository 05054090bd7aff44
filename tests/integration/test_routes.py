"""Operation types, routes and rules end to end, including Odoo-generated records."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration.conftest import Project


def _pending(project: Project) -> list[tuple[str, str, str]]:
    plan = json.loads(project.run("plan", "-e", "test", "--format", "json").out)
    return [(c["action"], c["kind"], c["key"]) for c in plan["changes"] if c["action"] != "noop"]


def test_example_with_routes_converges_and_resolves_generated_records(example: Project) -> None:
    first = example.run("apply", "-e", "test", "--yes")
    assert first.code == 0, first.out + first.err
    second = example.run("plan", "-e", "test", "--detailed-exitcode")
    assert second.code == 0, second.out + second.err

    [route] = example.odoo.read("stock.route", [("name", "=", "DC1 Cross-Dock")], ["rule_ids"])
    rules = example.odoo.read(
        "stock.rule",
        [("route_id", "=", route["id"])],
        ["action", "picking_type_id", "procure_method", "sequence", "name"],
    )
    ordered = sorted(rules, key=lambda r: r["sequence"])
    assert [(r["action"], r["procure_method"]) for r in ordered] == [
        ("buy", "make_to_stock"),
        ("pull", "make_to_order"),
        ("pull", "make_to_order"),
    ]
    # The template picks the cross-dock type of the environment's version (18's Cross Dock;
    # 16 and 17 cross-dock with the Internal Transfers type).
    crossdock = "Cross Dock" if example.odoo.facts.crossdock_type else "Internal Transfers"
    types = [r["picking_type_id"][1].removeprefix("My Company Central DC: ") for r in ordered]
    assert types == ["Receipts", crossdock, "Delivery Orders"]
    [hold] = example.odoo.read(
        "stock.picking.type",
        [("sequence_code", "=", "QH")],
        ["name", "code", "default_location_dest_id", "sequence_id", "warehouse_id"],
    )
    assert hold["name"] == "Quality Hold"
    assert hold["default_location_dest_id"][1] == "DC1/Stock/Quality Hold"
    assert hold["sequence_id"], "Odoo creates the sequence of a new operation type"


def test_generated_operation_type_is_managed_not_duplicated(project: Project) -> None:
    project.write(
        "ops.yaml",
        """\
        warehouses:
          - {code: DC1, name: Central, delivery_steps: pick_pack_ship}
        operation_types:
          - {warehouse: DC1, sequence_code: PICK, reservation_method: manual}
        """,
    )
    assert project.run("apply", "-e", "test", "--yes").code == 0
    picks = project.odoo.read(
        "stock.picking.type",
        [("sequence_code", "=", "PICK"), ("warehouse_id.code", "=", "DC1")],
        ["reservation_method"],
    )
    assert [p["reservation_method"] for p in picks] == ["manual"]
    assert _pending(project) == []


def test_operation_type_that_must_be_created_needs_name_and_type(project: Project) -> None:
    project.write("ops.yaml", "operation_types:\n  - {warehouse: WH, sequence_code: NEW}\n")
    err = project.refused()
    assert "no operation_type 'WH/NEW' exists on the instance; creating it needs name, type" in (
        err
    )


def test_rule_on_a_generated_route_is_adopted(project: Project) -> None:
    project.write(
        "rules.yaml",
        """\
        rules:
          - route: WH/delivery
            action: pull
            source: WH/Stock
            destination: Partners/Customers
            operation_type: WH/OUT
            lead_time: 3
        """,
    )
    assert _pending(project) == [("adopt", "rule", "WH/delivery | pull | WH/Stock → Customers")]
    assert project.run("apply", "-e", "test", "--yes").code == 0
    [rule] = project.odoo.read("stock.rule",
        [("location_src_id.complete_name", "=", "WH/Stock"), ("action", "=", "pull"),
         ("route_id.name", "like", "Deliver")],
        ["delay"],
    )  # fmt: skip
    assert rule["delay"] == 3
    assert _pending(project) == []


def test_ambiguous_rule_key_in_blueprint_is_rejected(project: Project) -> None:
    rule = (
        "      - {action: pull, source: WH/Stock, destination: Partners/Customers, "
        "operation_type: WH/OUT}\n"
    )
    project.write("r.yaml", "routes:\n  - name: Twice\n    rules:\n" + rule + rule)
    result = project.run("validate")
    assert result.code == 1
    assert "rule Twice | pull | WH/Stock → Customers is declared twice" in result.err


def test_hand_edited_rule_shows_in_plan_and_is_restored(example: Project) -> None:
    assert example.run("apply", "-e", "test", "--yes").code == 0
    [rule] = example.odoo.read("stock.rule",
        [("route_id.name", "=", "DC1 Cross-Dock"), ("action", "=", "pull"),
         ("location_dest_id.complete_name", "=", example.odoo.facts.customers)],
        ["propagate_carrier"],
    )  # fmt: skip
    example.odoo.execute("stock.rule", "write", [rule["id"]], {"propagate_carrier": False})
    assert _pending(example) == [
        ("update", "rule", "DC1 Cross-Dock | pull | DC1/Output → Customers")
    ]
    assert example.run("apply", "-e", "test", "--yes").code == 0
    assert _pending(example) == []


def test_manufacture_action_needs_mrp(project: Project) -> None:
    project.write(
        "r.yaml",
        """\
        routes:
          - name: Make
            rules:
              - {action: manufacture, destination: WH/Stock, operation_type: WH/IN}
        """,
    )
    err = project.refused()
    version = project.odoo.version
    assert f"action 'manufacture' is not available on this Odoo {version} instance" in err


@pytest.mark.emulator_only("removes a field (drop_field)")
def test_field_absent_in_this_version_is_named(project: Project) -> None:
    # An instance without the field (as Odoo 19 has no group_propagation_option on rules).
    if project.odoo.facts.major < 19:
        project.odoo.emulator.drop_field("stock.rule", "group_propagation_option")
    project.write(
        "r.yaml",
        """\
        rules:
          - route: WH/delivery
            action: pull
            source: WH/Stock
            destination: Partners/Customers
            operation_type: WH/OUT
            group_propagation: fixed
        """,
    )
    err = project.refused()
    assert (
        "'group_propagation' needs field stock.rule.group_propagation_option, which this Odoo "
        f"{project.odoo.version} instance does not have" in err
    )


def test_global_and_generated_routes_are_referenced_and_adopted(project: Project) -> None:
    facts = project.odoo.facts
    [buy_id] = [r["id"] for r in project.odoo.read("stock.route", [("name", "=", "Buy")], ["id"])]
    project.write(
        "r.yaml",
        f"""\
        warehouses:
          - {{code: DC9, name: New DC, reception_steps: two_steps}}
        routes:
          - name: Buy                 # Odoo's global route (purchase_stock), adopted by name
            sequence: 7
            selectable: {{product_categories: true}}   # or Odoo would hide it on the category
          - name: {facts.mto_route}
            selectable: {{product_categories: true}}
        product_categories:
          - path: {facts.top} / Imported
            routes: [DC9/reception, {{xmlid: stock.route_warehouse0_mto}}, Buy]
        """,
    )
    plan = _pending(project)
    assert ("adopt", "route", "Buy") in plan
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 0, result.out + result.err
    [category] = project.odoo.read("product.category", [("name", "=", "Imported")], ["route_ids"])
    [dc9] = project.odoo.read("stock.warehouse", [("code", "=", "DC9")], ["reception_route_id"])
    routes = project.odoo.read("stock.route", [("id", "in", category["route_ids"])], ["name"])
    assert {r["id"] for r in routes} == {dc9["reception_route_id"][0], 1, buy_id}  # MTO is 1
    [buy] = project.odoo.read("stock.route", [("id", "=", buy_id)], ["sequence"])
    assert buy["sequence"] == 7
    assert _pending(project) == []


def test_generated_route_alias_survives_a_steps_change(project: Project) -> None:
    """Odoo renames a warehouse's reception route when its steps change; the alias holds."""
    text = """\
        warehouses:
          - {{code: DC9, name: New DC, reception_steps: {steps}}}
        product_categories:
          - {{path: {top} / Imported, routes: [DC9/reception]}}
        """
    top = project.odoo.facts.top
    project.write("r.yaml", text.format(steps="one_step", top=top))
    assert project.run("apply", "-e", "test", "--yes").code == 0
    project.write("r.yaml", text.format(steps="three_steps", top=top))
    assert _pending(project) == [("update", "warehouse", "DC9")]
    assert project.run("apply", "-e", "test", "--yes").code == 0
    assert _pending(project) == []


@pytest.mark.parametrize(
    ("model", "domain", "field", "value", "attr"),
    [
        ("stock.location", [("barcode", "=", "T-FRZ")], "barcode", "X", "barcode"),
        ("stock.picking.type", [("barcode", "=", "T-DC1-QH")], "use_existing_lots", False,
         "use_existing_lots"),
        ("stock.picking.type", [("barcode", "=", "T-DC1-QH")], "name", "Hold", "name"),
        ("stock.route", [("name", "=", "DC1 Cross-Dock")], "sequence", 99, "sequence"),
        ("stock.route", [("name", "=", "DC1 Cross-Dock")], "product_selectable", False,
         "selectable.products"),
        ("stock.rule", [("route_id.name", "=", "DC1 Cross-Dock"), ("action", "=", "buy")],
         "sequence", 77, "sequence"),
    ],
)  # fmt: skip
def test_hand_edit_of_a_managed_field_is_planned_and_restored(
    example: Project, model: str, domain: list[Any], field: str, value: Any, attr: str
) -> None:
    example.apply_ok()
    [record] = example.odoo.read(model, domain, [field])
    example.odoo.execute(model, "write", [record["id"]], {field: value})
    pending = json.loads(example.run("plan", "-e", "test", "--format", "json").out)["changes"]
    [change] = [c for c in pending if c["action"] != "noop"]
    assert [f["field"] for f in change["fields"]] == [attr]
    example.apply_ok()
    example.converged()
    [restored] = example.odoo.read(model, [("id", "=", record["id"])], [field])
    assert restored[field] == record[field]


def test_a_route_not_selectable_on_categories_is_refused_on_a_category(project: Project) -> None:
    """Odoo reads a category's routes through their domain: MTO (not selectable on categories
    up to 18; Buy on 19) would be linked and never read back, and the plan would never converge
    (real Odoo 18)."""
    facts = project.odoo.facts
    route = facts.route_not_on_categories
    project.write(
        "c.yaml", f"product_categories:\n  - {{path: {facts.top} / Made, routes: [{route}]}}\n"
    )
    err = project.refused()
    assert (
        f"product_categories[0] ({facts.top} / Made) › routes: route '{route}' is not "
        "selectable on product categories"
    ) in err
    assert "[OC-X090]" in err
    assert not project.odoo.read("product.category", [("name", "=", "Made")], ["id"])

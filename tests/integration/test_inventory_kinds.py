"""Product categories, putaway rules and reordering rules end to end against the emulator."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration.conftest import Facts, Odoo, Project


def _categories(facts: Facts) -> str:
    """Two categories under Odoo's saleable one; the automated one has the stock accounts its
    version has (19 has no input account)."""
    accounts = "stock_valuation: 110100" + (
        ", stock_input: 110200" if facts.stock_io_accounts else ""
    )
    return (
        "product_categories:\n"
        f"  - path: {facts.saleable} / Frozen\n"
        "    costing_method: fifo\n"
        "    valuation: real_time\n"
        f"    accounts: {{{accounts}}}\n"
        f"  - path: {facts.saleable} / Dry\n"
        "    costing_method: average\n"
    )


PRODUCTS = {
    "FRZ-PEAS-1KG": "Frozen peas 1 kg",
    "DRY-RICE-5KG": "Rice 5 kg",
    "DRY-OIL-1L": "Sunflower oil 1 l",
}


def _id(odoo: Odoo, model: str, field: str, value: str) -> int:
    (row,) = odoo.read(model, [(field, "=", value)], ["id"])
    return int(row["id"])


def _category(odoo: Odoo, path: str) -> dict[str, Any]:
    fields = [
        "name",
        "parent_id",
        "property_cost_method",
        "property_valuation",
        "property_stock_valuation_account_id",
        "removal_strategy_id",
    ]
    if odoo.facts.stock_io_accounts:
        fields.append("property_stock_account_input_categ_id")
    (row,) = odoo.read("product.category", [("complete_name", "=", path)], fields)
    return row


#: Sales prices blueprints/commercial/price_checks.yaml expects.
LIST_PRICES = {"DRY-RICE-5KG": 9.0, "DRY-OIL-1L": 4.0}


def _create_products(odoo: Odoo, *codes: str) -> dict[str, int]:
    ids = {}
    for code in codes:
        values = {"name": PRODUCTS.get(code, code), "default_code": code, **odoo.facts.storable}
        values["list_price"] = LIST_PRICES.get(code, 1.0)
        created: Any = odoo.execute("product.product", "create", values)
        ids[code] = int(created)
    return ids


def _plan(project: Project) -> list[dict[str, Any]]:
    """The plan's pending changes (JSON format)."""
    result = project.run("plan", "-e", "test", "--format", "json")
    assert result.code == 0, result.err
    return [c for c in json.loads(result.out)["changes"] if c["action"] != "noop"]


def _writes(odoo: Odoo) -> list[tuple[str | None, Any]]:
    return [
        (call.model, call.args[-1])
        for call in odoo.calls
        if call.service == "object" and call.model_method == "write"
    ]


# --- the shipped example --------------------------------------------------------------------


def test_example_with_products_applies_in_one_go(example: Project) -> None:
    # Every blueprint file but the two-level approval matrix, which needs tier validation
    # (tests/integration/test_approvals.py plans it on both backends).
    example.environment(version=example.odoo.version, exclude='["commercial/approvals.yaml"]')
    _create_products(example.odoo, *PRODUCTS)
    for vendor in ("Acme Foods", "Nordic Frost"):  # blueprints/commercial/purchasing.yaml
        example.odoo.execute("res.partner", "create", {"name": vendor, "is_company": True})
    # Before the pricelists exist, plan prices every check as the apply will make it.
    result = example.run("plan", "-e", "test", "--format", "json")
    checks = json.loads(result.out)["checks"]
    assert len(checks) == 11
    assert all(c["holds_after"] and abs(c["planned"] - c["expected"]) < 0.005 for c in checks)
    assert "Key Accounts · DRY-OIL-1L × 240: none → 3.23 (expected 3.23: PASS)" in [
        c["text"] for c in checks
    ]
    example.apply_ok()
    example.converged()
    frozen = _category(example.odoo, f"{example.odoo.facts.saleable} / Frozen")
    assert (frozen["property_cost_method"], frozen["property_valuation"]) == ("fifo", "real_time")
    rules = example.odoo.read("stock.warehouse.orderpoint", [], ["location_id"])
    assert sorted(r["location_id"][1] for r in rules) == 3 * ["RW1/Stock"] + 3 * ["RW2/Stock"]
    assert len(example.odoo.read("product.supplierinfo", [], ["id"])) == 5


def test_example_without_the_reordering_file_needs_no_products(example: Project) -> None:
    # As environments/demo.yaml does for a database without the products.
    example.environment(
        version=example.odoo.version,
        exclude='["stock/reordering.yaml", "commercial/price_checks.yaml",'
        ' "commercial/purchasing.yaml", "commercial/approvals.yaml"]',
    )
    example.apply_ok()
    example.converged()
    [rule] = example.odoo.read(
        "stock.putaway.rule",
        [("category_id.name", "=", "Dry")],
        ["location_in_id", "location_out_id"],
    )
    assert (rule["location_in_id"][1], rule["location_out_id"][1]) == (
        "DC1/Stock",
        "DC1/Stock/Bulk",
    )
    assert example.odoo.read("stock.warehouse.orderpoint", [], ["id"]) == []


# --- product categories ---------------------------------------------------------------------


def _account_id(odoo: Odoo, code: str) -> int:
    """An account by code (19 displays accounts without it: compare ids)."""
    return _id(odoo, "account.account", "code", code)


def test_categories_are_created_under_odoo_s_saleable_category(project: Project) -> None:
    facts = project.odoo.facts
    project.write("c.yaml", _categories(facts))
    plan = project.run("plan", "-e", "test")
    assert f"+ product_category {facts.saleable} / Frozen" in plan.out
    project.apply_ok()
    frozen = _category(project.odoo, f"{facts.saleable} / Frozen")
    assert frozen["name"] == "Frozen"
    saleable = _id(project.odoo, "product.category", "complete_name", facts.saleable)
    assert frozen["parent_id"][0] == saleable
    assert (frozen["property_cost_method"], frozen["property_valuation"]) == ("fifo", "real_time")
    valuation = frozen["property_stock_valuation_account_id"][0]
    assert valuation == _account_id(project.odoo, "110100")
    if facts.stock_io_accounts:
        stock_input = frozen["property_stock_account_input_categ_id"][0]
        assert stock_input == _account_id(project.odoo, "110200")
    dry = _category(project.odoo, f"{facts.saleable} / Dry")
    assert dry["property_cost_method"] == "average"
    project.converged()


@pytest.mark.parametrize(
    ("field", "value", "attr", "old", "new"),
    [
        ("property_cost_method", "standard", "costing_method", "standard", "fifo"),
        ("property_valuation", "manual_periodic", "valuation", "manual_periodic", "real_time"),
        ("property_stock_valuation_account_id", "110400", "accounts.stock_valuation", "110400",
         "110100"),
        # Moved under another of Odoo's categories ({other}), back under {saleable}.
        ("parent_id", "{other}", "parent", "{other}", "{saleable}"),
    ],
)  # fmt: skip
def test_hand_edited_category_shows_that_field_and_is_restored(
    project: Project, field: str, value: str, attr: str, old: str, new: str
) -> None:
    facts = project.odoo.facts
    if value == "manual_periodic" and facts.major >= 19:
        value = old = "periodic"  # 19's key of manual valuation
    names = {"other": facts.other, "saleable": facts.saleable}
    value, old, new = (text.format(**names) for text in (value, old, new))
    project.write("c.yaml", _categories(facts))
    project.apply_ok()
    frozen = _category(project.odoo, f"{facts.saleable} / Frozen")
    if field.endswith("_account_id"):
        written: object = _id(project.odoo, "account.account", "code", value)
    elif field == "parent_id":
        written = _id(project.odoo, "product.category", "complete_name", value)
    else:
        written = value
    project.odoo.execute("product.category", "write", [frozen["id"]], {field: written})

    (change,) = _plan(project)
    # Found by its external id even when the edit changed its complete name (its key).
    assert (change["action"], change["key"]) == ("update", f"{facts.saleable} / Frozen")
    assert change["fields"] == [{"field": attr, "old": old, "new": new}]
    project.odoo.reset_calls()
    project.apply_ok()
    restored = _category(project.odoo, f"{facts.saleable} / Frozen")
    assert [(model, list(vals)) for model, vals in _writes(project.odoo)] == [
        ("product.category", [field])
    ]
    assert restored[field] == frozen[field]
    project.converged()


def test_renamed_category_keeps_its_identity_and_its_children_follow(project: Project) -> None:
    top = project.odoo.facts.top
    project.write(
        "c.yaml", f"product_categories: [{{path: {top} / Frozen}}, {{path: {top} / Frozen / Peas}}]"
    )
    project.apply_ok()
    ids = {
        path: _category(project.odoo, f"{top} / {path}")["id"]
        for path in ("Frozen", "Frozen / Peas")
    }
    # The external ids keep the records; the child's new path only exists once its parent is
    # renamed, and the putaway rule resolves it in the same apply.
    slug = top.lower()
    project.write(
        "c.yaml",
        f"""\
        product_categories:
          - {{path: {top} / Frozen Goods, id: product_category_{slug}_frozen}}
          - {{path: {top} / Frozen Goods / Peas, id: product_category_{slug}_frozen_peas}}
        putaway_rules:
          - {{location_in: WH/Stock, category: {top} / Frozen Goods / Peas, location_out: WH/Stock}}
        """,
    )
    project.apply_ok()
    assert _category(project.odoo, f"{top} / Frozen Goods")["id"] == ids["Frozen"]
    assert _category(project.odoo, f"{top} / Frozen Goods / Peas")["id"] == ids["Frozen / Peas"]
    [rule] = project.odoo.read("stock.putaway.rule", [], ["category_id"])
    assert rule["category_id"][0] == ids["Frozen / Peas"]
    project.converged()


def test_odoo_s_saleable_category_is_adopted(project: Project) -> None:
    path = project.odoo.facts.saleable
    project.write("c.yaml", f"product_categories: [{{path: {path}, costing_method: fifo}}]")
    saleable = _id(project.odoo, "product.category", "complete_name", path)
    (change,) = _plan(project)
    assert (change["action"], change["record_id"]) == ("adopt", saleable)
    assert change["fields"] == [{"field": "costing_method", "old": "standard", "new": "fifo"}]
    project.apply_ok()
    assert len(project.odoo.read("product.category", [], ["id"])) == 3  # Odoo's three
    assert _category(project.odoo, path)["property_cost_method"] == "fifo"
    [xmlid] = project.odoo.read(
        "ir.model.data",
        [("module", "=", "odooconf"), ("model", "=", "product.category")],
        ["name", "res_id", "noupdate"],
    )
    assert (xmlid["name"], xmlid["res_id"], xmlid["noupdate"]) == (
        "product_category_" + path.lower().replace(" / ", "_"),
        saleable,
        True,
    )
    project.converged()


def test_removal_strategy_is_referenced_by_method(project: Project) -> None:
    path = f"{project.odoo.facts.top} / Bulk"
    project.write("c.yaml", f"product_categories: [{{path: {path}, removal_strategy: lifo}}]")
    project.apply_ok()
    removal = _category(project.odoo, path)["removal_strategy_id"]
    assert removal and removal[0] == _id(project.odoo, "product.removal", "method", "lifo")
    project.converged()


def test_removal_strategy_of_a_module_the_instance_lacks(project: Project) -> None:
    # fefo comes with the product_expiry module, which the fresh database does not have.
    path = f"{project.odoo.facts.top} / Fresh"
    project.write("c.yaml", f"product_categories: [{{path: {path}, removal_strategy: fefo}}]")
    err = project.refused()
    assert f"c.yaml:1: product_categories[0] ({path}) › removal_strategy" in err
    assert "removal 'fefo' (by method) is not on the instance" in err
    assert "FEFO comes with the product_expiry module" in err


def test_valuation_key_of_another_odoo_version_is_refused(project: Project) -> None:
    # Odoo 19 calls manual valuation 'periodic'; Odoo 16 to 18 offer 'manual_periodic'.
    facts = project.odoo.facts
    manual, other = (
        ("periodic", "manual_periodic") if facts.major >= 19 else ("manual_periodic", "periodic")
    )
    project.write("c.yaml", f"product_categories: [{{path: {facts.saleable}, valuation: {other}}}]")
    err = project.refused()
    assert (
        f"valuation '{other}' is not available on this Odoo {project.odoo.version} instance "
        f"(it offers '{manual}', 'real_time'" in err
    )


def test_unknown_account_code_is_a_located_plan_error(project: Project) -> None:
    saleable = project.odoo.facts.saleable
    if project.odoo.facts.stock_io_accounts:
        accounts = "{stock_valuation: 999999, stock_output: 110399}"
        text = f"  - path: {saleable}\n    accounts: {accounts}\n"
        where = f"c.yaml:3: product_categories[0] ({saleable}) › accounts.stock_output"
    else:  # 19 has only the valuation account of these: the unknown code is a second category's
        text = (
            f"  - path: {saleable}\n    accounts: {{stock_valuation: 999999}}\n"
            f"  - path: {saleable} / Sub\n    accounts: {{stock_valuation: 110399}}\n"
        )
        where = f"c.yaml:5: product_categories[1] ({saleable} / Sub) › accounts.stock_valuation"
    project.write("c.yaml", "product_categories:\n" + text)
    err = project.refused()
    assert where in err
    assert "account '110399' is neither declared nor on the instance" in err
    assert "999999" not in err  # the generic chart's undistributed profits account exists


# --- putaway rules --------------------------------------------------------------------------


def test_putaway_rule_into_a_sub_location_declared_in_the_same_blueprint(project: Project) -> None:
    frozen = f"{project.odoo.facts.saleable} / Frozen"
    project.write(
        "p.yaml",
        f"""\
        warehouses:
          - {{code: DC1, name: Central, locations: [Stock/Cold Room]}}
        product_categories:
          - {{path: {frozen}}}
        putaway_rules:
          - location_in: DC1/Stock
            category: {frozen}
            location_out: DC1/Stock/Cold Room
            sequence: 10
        """,
    )
    key = f"DC1/Stock | category:{frozen} → DC1/Stock/Cold Room"
    assert f"+ putaway_rule {key}" in project.run("plan", "-e", "test").out
    project.apply_ok()
    fields = ["location_in_id", "category_id", "product_id", "location_out_id", "sequence"]
    [rule] = project.odoo.read("stock.putaway.rule", [], fields)
    assert rule["location_in_id"][0] == _id(
        project.odoo, "stock.location", "complete_name", "DC1/Stock"
    )
    cold_room = _id(project.odoo, "stock.location", "complete_name", "DC1/Stock/Cold Room")
    assert rule["location_out_id"][0] == cold_room
    assert rule["category_id"][1] == frozen
    assert (rule["product_id"], rule["sequence"]) == (False, 10)
    project.converged()

    project.odoo.execute(
        "stock.putaway.rule", "write", [rule["id"]], {"location_out_id": rule["location_in_id"][0]}
    )
    (change,) = _plan(project)
    assert (change["action"], change["kind"], change["key"]) == ("update", "putaway_rule", key)
    assert change["fields"] == [
        {"field": "location_out", "old": "DC1/Stock", "new": "DC1/Stock/Cold Room"}
    ]
    project.odoo.reset_calls()
    project.apply_ok()
    assert _writes(project.odoo) == [("stock.putaway.rule", {"location_out_id": cold_room})]
    project.converged()


def test_putaway_rule_for_a_product_made_by_hand_is_adopted(project: Project) -> None:
    product = _create_products(project.odoo, "FRZ-PEAS-1KG")["FRZ-PEAS-1KG"]
    stock = _id(project.odoo, "stock.location", "complete_name", "WH/Stock")
    shelf = project.odoo.execute(
        "stock.location", "create", {"name": "Shelf", "location_id": stock}
    )
    rule = project.odoo.execute(
        "stock.putaway.rule",
        "create",
        {"location_in_id": stock, "product_id": product, "location_out_id": shelf},
    )
    project.write(
        "p.yaml",
        """\
        putaway_rules:
          - {location_in: WH/Stock, product: FRZ-PEAS-1KG, location_out: WH/Stock/Shelf,
             sequence: 3}
        """,
    )
    (change,) = _plan(project)
    assert (change["action"], change["record_id"]) == ("adopt", rule)
    assert change["key"] == "WH/Stock | product:FRZ-PEAS-1KG → WH/Stock/Shelf"
    assert change["fields"] == [{"field": "sequence", "old": 0, "new": 3}]
    project.apply_ok()
    assert len(project.odoo.read("stock.putaway.rule", [], ["id"])) == 1
    project.converged()


# --- reordering rules -----------------------------------------------------------------------


def _reordering(facts: Facts) -> str:
    """A reordering rule; with a multiple where the version has one (19 has not)."""
    multiple = " multiple: 5," if facts.multiple else ""
    return (
        "reordering_rules:\n"
        f"  - {{product: DRY-RICE-5KG, location: WH/Stock, min: 10, max: 50,{multiple}"
        " trigger: manual}\n"
    )


def _orderpoints(odoo: Odoo) -> list[dict[str, Any]]:
    fields = [
        "name",
        "product_id",
        "location_id",
        "warehouse_id",
        "product_min_qty",
        "product_max_qty",
        "trigger",
        *(["qty_multiple"] if odoo.facts.multiple else []),
    ]
    return odoo.read("stock.warehouse.orderpoint", [], fields)


def test_reordering_rule_for_a_product_created_first(project: Project) -> None:
    product = _create_products(project.odoo, "DRY-RICE-5KG")["DRY-RICE-5KG"]
    project.write("r.yaml", _reordering(project.odoo.facts))
    assert "+ reordering_rule DRY-RICE-5KG @ WH/Stock" in project.run("plan", "-e", "test").out
    project.apply_ok()
    [rule] = _orderpoints(project.odoo)
    assert (rule["product_id"][0], rule["location_id"][1]) == (product, "WH/Stock")
    # Odoo derives the warehouse from the location.
    assert rule["warehouse_id"][0] == _id(project.odoo, "stock.warehouse", "code", "WH")
    assert rule["name"], "Odoo names it from its sequence"
    quantities = (rule["product_min_qty"], rule["product_max_qty"], rule.get("qty_multiple", 5))
    assert (quantities, rule["trigger"]) == ((10, 50, 5), "manual")
    project.converged()

    project.odoo.execute(
        "stock.warehouse.orderpoint", "write", [rule["id"]], {"product_max_qty": 99.0}
    )
    (change,) = _plan(project)
    assert (change["action"], change["key"]) == ("update", "DRY-RICE-5KG @ WH/Stock")
    assert change["fields"] == [{"field": "max", "old": 99.0, "new": 50.0}]
    project.odoo.reset_calls()
    project.apply_ok()
    # min goes with max: Odoo recomputes a min it is not given from the new max.
    assert _writes(project.odoo) == [
        ("stock.warehouse.orderpoint", {"product_max_qty": 50.0, "product_min_qty": 10.0})
    ]
    project.converged()


def test_existing_reordering_rule_is_adopted_by_product_and_location(project: Project) -> None:
    product = _create_products(project.odoo, "DRY-RICE-5KG")["DRY-RICE-5KG"]
    stock = _id(project.odoo, "stock.location", "complete_name", "WH/Stock")
    existing = project.odoo.execute(
        "stock.warehouse.orderpoint",
        "create",
        {"product_id": product, "location_id": stock, "product_min_qty": 10, "product_max_qty": 40},
    )
    project.write("r.yaml", _reordering(project.odoo.facts))
    (change,) = _plan(project)
    assert (change["action"], change["record_id"]) == ("adopt", existing)
    changed = ["max", "multiple", "trigger"] if project.odoo.facts.multiple else ["max", "trigger"]
    assert [f["field"] for f in change["fields"]] == changed
    project.apply_ok()
    assert len(_orderpoints(project.odoo)) == 1
    project.converged()


def test_unknown_product_is_a_located_plan_error(project: Project) -> None:
    _create_products(project.odoo, "DRY-RICE-5KG")
    project.write(
        "r.yaml",
        """\
        reordering_rules:
          - {product: DRY-RICE-5KG, location: WH/Stock, min: 1, max: 2}
          - {product: NO-SUCH-SKU, location: WH/Stock, min: 1, max: 2}
        """,
    )
    err = project.refused()
    assert "r.yaml:3: reordering_rules[1] (NO-SUCH-SKU) › product" in err
    assert "product 'NO-SUCH-SKU' (by default_code) is not on the instance" in err
    assert "DRY-RICE-5KG'" not in err
    assert "1 error(s); nothing was changed in Odoo" in err


@pytest.mark.emulator_only("removes a field (drop_field)")
def test_multiple_needs_a_field_odoo_19_lacks(project: Project) -> None:
    _create_products(project.odoo, "DRY-RICE-5KG")
    if project.odoo.facts.multiple:
        project.odoo.emulator.drop_field("stock.warehouse.orderpoint", "qty_multiple")
    project.write(
        "r.yaml",
        "reordering_rules:\n"
        "  - {product: DRY-RICE-5KG, location: WH/Stock, min: 10, max: 50, multiple: 5}\n",
    )
    assert (
        "'multiple' needs field stock.warehouse.orderpoint.qty_multiple, which this Odoo "
        f"{project.odoo.version} instance does not have" in project.refused()
    )


def test_putaway_rule_with_package_types_capacity_and_sublocation(project: Project) -> None:
    pallet = project.odoo.execute("stock.package.type", "create", {"name": "Pallet"})
    cold = project.odoo.execute(
        "stock.storage.category", "create", {"name": "Cold racks", "allow_new_product": "mixed"}
    )
    text = f"""\
        putaway_rules:
          - location_in: WH/Stock
            category: {project.odoo.facts.saleable}
            location_out: WH/Stock
            package_types: [Pallet]
            storage_category: Cold racks
            sublocation: closest_location
        """
    project.write("p.yaml", text)
    fields: Any = project.odoo.execute("stock.putaway.rule", "fields_get", [], ["type"])
    if "sublocation" not in fields:  # new in 18
        assert (
            "'sublocation' needs field stock.putaway.rule.sublocation, which this Odoo "
            f"{project.odoo.version} instance does not have" in project.refused()
        )
        project.write("p.yaml", text.replace("sublocation: closest_location", ""))
    project.apply_ok()
    [rule] = project.odoo.read(
        "stock.putaway.rule",
        [],
        [
            "package_type_ids",
            "storage_category_id",
            *(["sublocation"] if "sublocation" in fields else []),
        ],
    )
    assert rule["package_type_ids"] == [pallet]
    assert rule["storage_category_id"][0] == cold
    assert rule.get("sublocation", "closest_location") == "closest_location"
    project.converged()


def test_unknown_package_type_is_a_plan_error(project: Project) -> None:
    project.write(
        "p.yaml",
        f"putaway_rules:\n  - {{location_in: WH/Stock, category: {project.odoo.facts.top},"
        " location_out: WH/Stock,"
        " package_types: [Crate]}\n",
    )
    assert "package_type 'Crate' (by name) is not on the instance" in project.refused()


def test_replenishment_uom_is_odoo_19s_own_field_never_a_translated_multiple(
    project: Project,
) -> None:
    """19 replaced the multiple by a unit of measure or packaging: a blueprint says which it
    means; where the instance lacks the field, plan names it."""
    _create_products(project.odoo, "DRY-RICE-5KG")
    project.write(
        "r.yaml",
        "reordering_rules:\n"
        "  - {product: DRY-RICE-5KG, location: WH/Stock, min: 10, max: 50,"
        " replenishment_uom: Units}\n",
    )
    fields: Any = project.odoo.execute("stock.warehouse.orderpoint", "fields_get", [], ["type"])
    if "replenishment_uom_id" not in fields:
        error = project.refused()
        assert (
            "'replenishment_uom' needs field stock.warehouse.orderpoint.replenishment_uom_id, "
            "which this Odoo "
        ) in error
        assert "instance does not have" in error
        return
    project.apply_ok()
    [rule] = project.odoo.read("stock.warehouse.orderpoint", [], ["replenishment_uom_id"])
    assert rule["replenishment_uom_id"][1] == "Units"
    project.converged()

"""Odoo 18 fields computed from other fields (stored, writable) and constraints that odooconf's
"write only what differs" meets: writing one field alone makes Odoo recompute another.

What a user should get: one apply reaches the declared state and the next plan is clean.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.conftest import Project


def _only(project: Project, model: str, fields: list[str]) -> dict[str, Any]:
    rows: Any = project.odoo.execute(model, "search_read", [], fields)
    (row,) = rows
    return dict(row)


RULE = "reordering_rules:\n  - {{product: RICE, location: WH/Stock, min: {min}, max: {max}}}\n"


@pytest.fixture
def rice(project: Project) -> Project:
    project.odoo.execute("product.product", "create", {"name": "Rice", "default_code": "RICE"})
    return project


def test_reordering_quantities_are_planned_at_odoo_s_precision(rice: Project) -> None:
    """fields_get gives digits (16, 2) for the quantities; Odoo stores them rounded."""
    rice.write("r.yaml", RULE.format(min=2.555, max=10.004))
    rice.apply_ok()
    row = _only(rice, "stock.warehouse.orderpoint", ["product_min_qty", "product_max_qty"])
    assert (row["product_min_qty"], row["product_max_qty"]) == (2.56, 10.0)
    rice.converged()


def test_raising_max_of_a_rule_with_zero_min(rice: Project) -> None:
    rice.write("r.yaml", RULE.format(min=0, max=10))
    rice.apply_ok()
    rice.write("r.yaml", RULE.format(min=0, max=20))
    rice.apply_ok()
    row = _only(rice, "stock.warehouse.orderpoint", ["product_min_qty", "product_max_qty"])
    assert (row["product_min_qty"], row["product_max_qty"]) == (0.0, 20.0)
    rice.converged()


def test_lowering_max_below_min_in_one_apply(rice: Project) -> None:
    rice.write("r.yaml", RULE.format(min=5, max=10))
    rice.apply_ok()
    rice.write("r.yaml", RULE.format(min=1, max=3))
    rice.apply_ok()
    row = _only(rice, "stock.warehouse.orderpoint", ["product_min_qty", "product_max_qty"])
    assert (row["product_min_qty"], row["product_max_qty"]) == (1.0, 3.0)
    rice.converged()


OPERATION_TYPE = """\
operation_types:
  - warehouse: WH
    sequence_code: XDK
    name: Cross dock
    type: {type}
    default_source: WH/Stock
    default_destination: WH/Stock
    create_lots: false
"""


def test_changing_an_operation_type_s_type_keeps_its_declared_fields(project: Project) -> None:
    project.write("t.yaml", OPERATION_TYPE.format(type="internal"))
    project.apply_ok()
    project.write("t.yaml", OPERATION_TYPE.format(type="incoming"))
    project.apply_ok()
    # Odoo recomputes the default locations and lots flag from the new code: the declared
    # values must survive that.
    [row] = project.odoo.read(
        "stock.picking.type",
        [("sequence_code", "=", "XDK")],
        ["code", "default_location_src_id", "default_location_dest_id", "use_create_lots"],
    )
    assert (
        row["code"],
        row["default_location_src_id"][1],
        row["default_location_dest_id"][1],
        row["use_create_lots"],
    ) == ("incoming", "WH/Stock", "WH/Stock", False)
    project.converged()


PUTAWAY = """\
putaway_rules:
  - {{location_in: WH/Stock, category: All / Saleable, location_out: WH/Stock,
     storage_category: Pallets, sublocation: {sublocation}}}
"""


def plan_error(project: Project, file: str, line: int, breadcrumb: str, message: str) -> None:
    """``plan`` fails (exit 1) with exactly this one error on stderr, and prints no plan."""
    result = project.run("plan", "-e", "test")
    assert (result.code, result.out) == (1, ""), result.out + result.err
    assert result.err == (
        f"error: {project.blueprints / file}:{line}: {breadcrumb}: {message}\n"
        "1 error(s); nothing was changed in Odoo.\n"
    )


def test_putaway_storage_category_needs_closest_location(project: Project) -> None:
    project.odoo.execute(
        "stock.storage.category", "create", {"name": "Pallets", "allow_new_product": "mixed"}
    )
    project.write("p.yaml", PUTAWAY.format(sublocation="last_used"))
    plan_error(
        project,
        "p.yaml",
        2,
        "putaway_rules[0] (WH/Stock)",
        "a storage_category needs sublocation: closest_location [OC-V010]",
    )
    assert project.odoo.read("stock.putaway.rule", [], ["id"]) == []


def _categories(project: Project) -> list[str]:
    rows = project.odoo.read("product.category", [], ["complete_name"])
    return sorted(row["complete_name"] for row in rows)


#: Odoo's own categories of a fresh database up to 18 (product/data/product_data.xml).
ODOO_CATEGORIES = ["All", "All / Expenses", "All / Saleable"]


def test_valuation_account_equal_to_the_output_account_is_a_plan_error(project: Project) -> None:
    if not project.odoo.facts.stock_io_accounts:
        pytest.skip("Odoo 19 has no stock output account on categories (a stock variation one)")
    project.write(
        "c.yaml",
        "product_categories:\n  - path: All / Saleable / Frozen\n    valuation: real_time\n"
        "    accounts: {stock_valuation: 110300}\n",  # the company's default output account
    )
    before = _categories(project)
    plan_error(
        project,
        "c.yaml",
        2,
        "product_categories[0] (All / Saleable / Frozen)",
        "Odoo would refuse this: accounts.stock_valuation '110300' is also "
        "accounts.stock_output [OC-X050]",
    )
    assert _categories(project) == before == ODOO_CATEGORIES


def test_automated_valuation_without_an_account_is_refused_where_odoo_refuses_it(
    project: Project,
) -> None:
    facts = project.odoo.facts
    if not facts.stock_io_accounts:
        # Odoo 19 accepts an automated category without accounts (19/side_effects.md).
        project.write(
            "c.yaml", "product_categories:\n  - path: Goods / Frozen\n    valuation: real_time\n"
        )
        project.apply_ok()
        [row] = project.odoo.read(
            "product.category", [("complete_name", "=", "Goods / Frozen")], ["property_valuation"]
        )
        assert row["property_valuation"] == "real_time"
        project.converged()
        return
    project.write(
        "c.yaml",
        "product_categories:\n  - path: All / Saleable / Frozen\n    valuation: real_time\n"
        "    accounts: {stock_input: null}\n",
    )
    plan_error(
        project,
        "c.yaml",
        2,
        "product_categories[0] (All / Saleable / Frozen)",
        "Odoo would refuse this: automated (real_time) valuation needs accounts.stock_input "
        "[OC-X050]",
    )
    assert _categories(project) == ODOO_CATEGORIES

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
    project.converged()


PUTAWAY = """\
putaway_rules:
  - {{location_in: WH/Stock, category: All / Saleable, location_out: WH/Stock,
     storage_category: Pallets, sublocation: {sublocation}}}
"""


def test_putaway_storage_category_needs_closest_location(project: Project) -> None:
    project.odoo.execute(
        "stock.storage.category", "create", {"name": "Pallets", "allow_new_product": "mixed"}
    )
    project.write("p.yaml", PUTAWAY.format(sublocation="last_used"))
    result = project.run("plan", "-e", "test")
    assert result.code == 1 and "closest_location" in result.err, result.out + result.err


CATEGORY = """\
product_categories:
  - path: All / Saleable / Frozen
    valuation: real_time
    accounts: {stock_valuation: 110300}
"""


def test_valuation_account_equal_to_the_output_account_is_a_plan_error(project: Project) -> None:
    project.write("c.yaml", CATEGORY)  # 110300 is the company's default output account
    result = project.run("plan", "-e", "test")
    assert result.code == 1, result.out + result.err
    assert "Stock Valuation" in result.err or "stock_valuation" in result.err


def test_automated_valuation_without_an_account_is_a_plan_error(project: Project) -> None:
    project.write(
        "c.yaml",
        "product_categories:\n  - path: All / Saleable / Frozen\n    valuation: real_time\n"
        "    accounts: {stock_input: null}\n",
    )
    result = project.run("plan", "-e", "test")
    assert result.code == 1, result.out + result.err

"""Odoo 18 behaviours found by reading the stock, stock_account and ORM sources (each test names
the model file and method it follows)."""

from __future__ import annotations

from typing import Any

import pytest

from odooconf.testing import Emulator, OdooError

ALL = {"active_test": False}


@pytest.fixture
def other(emulator: Emulator) -> dict[str, int]:
    """A second company with its own warehouse (OTH)."""
    company: int = emulator.execute("res.company", "create", {"name": "Other Co"})
    wid: int = emulator.execute(
        "stock.warehouse", "create", {"name": "Other WH", "code": "OTH", "company_id": company}
    )
    row = emulator.execute("stock.warehouse", "read", [wid], ["lot_stock_id", "in_type_id"])[0]
    return {
        "company": company,
        "warehouse": wid,
        "stock": row["lot_stock_id"][0],
        "in_type": row["in_type_id"][0],
    }


def _product(emulator: Emulator, code: str = "P-1") -> int:
    template = emulator.execute("product.template", "create", {"name": code, "default_code": code})
    variant = emulator.execute("product.template", "read", [template], ["product_variant_id"])
    return int(variant[0]["product_variant_id"][0])


# --- float digits (stock/models/stock_orderpoint.py: digits='Product Unit of Measure') --------


def test_orderpoint_quantities_have_uom_digits_and_are_stored_rounded(emulator: Emulator) -> None:
    fields = emulator.execute(
        "stock.warehouse.orderpoint",
        "fields_get",
        ["product_min_qty", "product_max_qty", "qty_multiple"],
        ["type", "digits"],
    )
    assert {name: desc["digits"] for name, desc in fields.items()} == {
        "product_min_qty": [16, 2],
        "product_max_qty": [16, 2],
        "qty_multiple": [16, 2],
    }
    plain = emulator.execute("stock.rule", "fields_get", ["delay"], ["type", "digits"])
    assert plain == {"delay": {"type": "integer"}}, "no digits key for fields without them"
    op = emulator.execute(
        "stock.warehouse.orderpoint",
        "create",
        {"product_id": _product(emulator), "product_min_qty": 2.555, "product_max_qty": 10.004},
    )
    row = emulator.execute(
        "stock.warehouse.orderpoint", "read", [op], ["product_min_qty", "product_max_qty"]
    )[0]
    assert (row["product_min_qty"], row["product_max_qty"]) == (2.56, 10.0)


# --- min/max computed from each other (StockWarehouseOrderpoint._compute_product_min_qty,
# --- _compute_product_max_qty, _check_min_max_qty) --------------------------------------------


def test_orderpoint_min_follows_max_written_alone_when_zero_or_above(emulator: Emulator) -> None:
    model = "stock.warehouse.orderpoint"
    op = emulator.execute(
        model,
        "create",
        {"product_id": _product(emulator), "product_min_qty": 0, "product_max_qty": 10},
    )

    def quantities() -> tuple[float, float]:
        row = emulator.execute(model, "read", [op], ["product_min_qty", "product_max_qty"])[0]
        return row["product_min_qty"], row["product_max_qty"]

    assert quantities() == (0.0, 10.0), "values given on create are kept"
    emulator.execute(model, "write", [op], {"product_max_qty": 20})
    assert quantities() == (20.0, 20.0), "a zero min follows the max"
    emulator.execute(model, "write", [op], {"product_min_qty": 5, "product_max_qty": 20})
    emulator.execute(model, "write", [op], {"product_max_qty": 3})
    assert quantities() == (3.0, 3.0), "a min above the new max follows it"
    emulator.execute(model, "write", [op], {"product_min_qty": 8})
    assert quantities() == (8.0, 8.0), "a max below the new min follows it (no error)"
    emulator.execute(model, "write", [op], {"product_min_qty": 2})
    assert quantities() == (2.0, 8.0)
    with pytest.raises(OdooError, match="minimum quantity must be less than or equal"):
        emulator.execute(model, "write", [op], {"product_min_qty": 9, "product_max_qty": 4})


# --- company consistency (ORM _check_company, check_company=True fields) ----------------------


def test_location_under_another_company_s_location_is_refused(
    emulator: Emulator, other: dict[str, int]
) -> None:
    with pytest.raises(OdooError) as caught:
        emulator.execute(
            "stock.location", "create", {"name": "Bulk", "location_id": other["stock"]}
        )
    assert caught.value.name == "odoo.exceptions.UserError"
    assert caught.value.message == (
        "Uh-oh! You\u2019ve got some company inconsistencies here:\n"
        "- \u201cOTH/Stock/Bulk\u201d belongs to company \u201cMy Company\u201d while "
        "\u201cParent Location\u201d (location_id: 'OTH/Stock') belongs to another company.\n"
        "To avoid a mess, no company crossover is allowed!"
    )
    assert not emulator.execute("stock.location", "search", [("name", "=", "Bulk")])
    created = emulator.execute(
        "stock.location",
        "create",
        {"name": "Bulk", "location_id": other["stock"], "company_id": other["company"]},
    )
    shared = emulator.execute("stock.location", "create", {"name": "Shared", "company_id": False})
    with pytest.raises(OdooError, match="company inconsistencies"):
        emulator.execute("stock.location", "write", [shared], {"location_id": created})


def test_operation_type_and_rule_of_another_company_s_warehouse(
    emulator: Emulator, other: dict[str, int]
) -> None:
    with pytest.raises(OdooError, match=r"\(warehouse_id: 'Other WH'\)"):
        emulator.execute(
            "stock.picking.type",
            "create",
            {
                "name": "X",
                "code": "internal",
                "sequence_code": "X",
                "warehouse_id": other["warehouse"],
            },
        )
    route = emulator.execute("stock.route", "create", {"name": "R", "company_id": False})
    with pytest.raises(OdooError, match="location_dest_id: 'OTH/Stock'"):
        emulator.execute(
            "stock.rule",
            "create",
            {
                "name": "r",
                "route_id": route,
                "location_dest_id": other["stock"],
                "picking_type_id": other["in_type"],
            },
        )


def test_rule_and_route_company_consistency(emulator: Emulator, other: dict[str, int]) -> None:
    """stock/models/stock_rule.py and stock_location.py: _check_company_consistency."""
    route = emulator.execute("stock.route", "create", {"name": "R", "company_id": other["company"]})
    rule_vals = {"name": "r", "route_id": route, "location_dest_id": 8, "picking_type_id": 1}
    with pytest.raises(OdooError) as caught:
        emulator.execute("stock.rule", "create", rule_vals)  # company: the current one
    assert caught.value.name == "odoo.exceptions.ValidationError"
    assert caught.value.message == (
        "Rule r belongs to My Company while the route belongs to Other Co."
    )
    rule = emulator.execute(
        "stock.rule",
        "create",
        {
            **rule_vals,
            "company_id": other["company"],
            "location_dest_id": other["stock"],
            "picking_type_id": other["in_type"],
        },
    )
    shared = emulator.execute("stock.route", "create", {"name": "S", "company_id": False})
    emulator.execute("stock.rule", "write", [rule], {"route_id": shared})
    with pytest.raises(OdooError, match="Rule r belongs to Other Co while the route belongs to My"):
        emulator.execute("stock.route", "write", [shared], {"company_id": 1})


# --- picking type fields computed from the code (stock/models/stock_picking.py PickingType) ----


def test_changing_the_type_of_operation_recomputes_its_dependents(emulator: Emulator) -> None:
    model = "stock.picking.type"
    input_location = emulator.execute(
        "stock.location", "search", [("complete_name", "=", "WH/Input")], context=ALL
    )[0]
    tid = emulator.execute(
        model,
        "create",
        {
            "name": "XD",
            "code": "internal",
            "sequence_code": "XDX",
            "warehouse_id": 1,
            "default_location_src_id": input_location,
            "default_location_dest_id": input_location,
            "use_create_lots": False,
        },
    )
    fields = [
        "default_location_src_id",
        "default_location_dest_id",
        "use_create_lots",
        "print_label",
    ]

    def read() -> tuple[Any, ...]:
        row = emulator.execute(model, "read", [tid], fields)[0]
        return tuple(v[1] if isinstance(v, list) else v for v in (row[f] for f in fields))

    assert read() == ("WH/Input", "WH/Input", False, False)
    emulator.execute(model, "write", [tid], {"code": "incoming"})
    assert read() == ("Partners/Vendors", "WH/Stock", True, False)
    emulator.execute(
        model, "write", [tid], {"code": "outgoing", "default_location_src_id": input_location}
    )
    assert read() == ("WH/Input", "Partners/Customers", True, True)


# --- putaway storage category computed from the sublocation strategy (product_strategy.py) ----


def test_putaway_storage_category_is_reset_by_a_sublocation_write(emulator: Emulator) -> None:
    category = emulator.execute("stock.storage.category", "create", {"name": "Pallets"})
    rule = emulator.execute(
        "stock.putaway.rule",
        "create",
        {"location_in_id": 8, "location_out_id": 8, "storage_category_id": category},
    )

    def stored() -> Any:
        return emulator.execute("stock.putaway.rule", "read", [rule], ["storage_category_id"])[0][
            "storage_category_id"
        ]

    assert stored() == [category, "Pallets"], "given on create, it is kept"
    emulator.execute("stock.putaway.rule", "write", [rule], {"sublocation": "last_used"})
    assert stored() is False
    emulator.execute(
        "stock.putaway.rule",
        "write",
        [rule],
        {"sublocation": "no", "storage_category_id": category},
    )
    assert stored() == [category, "Pallets"], "given with the sublocation, it is kept"


# --- stock accounts of categories (stock_account/models/product.py _check_valuation_accounts) --


def test_automated_valuation_needs_the_stock_accounts(emulator: Emulator) -> None:
    category = emulator.execute("product.category", "create", {"name": "Frozen"})
    emulator.execute("product.category", "write", [category], {"property_valuation": "real_time"})
    with pytest.raises(OdooError) as caught:
        emulator.execute(
            "product.category",
            "write",
            [category],
            {"property_stock_account_input_categ_id": False},
        )
    assert caught.value.message == (
        "The stock accounts should be set in order to use the automatic valuation."
    )
    emulator.execute(
        "product.category", "write", [category], {"property_valuation": "manual_periodic"}
    )
    emulator.execute(
        "product.category", "write", [category], {"property_stock_account_input_categ_id": False}
    )


def test_valuation_account_must_differ_from_input_and_output(emulator: Emulator) -> None:
    output = emulator.execute("account.account", "search", [("code", "=", "110300")])[0]
    with pytest.raises(OdooError, match="cannot be the same as the Stock Valuation account"):
        emulator.execute(
            "product.category", "write", [1], {"property_stock_valuation_account_id": output}
        )


def test_default_get_gives_company_dependent_fallbacks() -> None:
    emulator = Emulator(database="d", login="admin", password="pw")
    fields = ["property_stock_account_output_categ_id", "property_cost_method"]
    defaults: Any = emulator.execute("product.category", "default_get", fields)
    rows: Any = emulator.execute("product.category", "search_read", [("name", "=", "All")], fields)
    root = rows[0]
    assert defaults["property_stock_account_output_categ_id"] == root[fields[0]][0]
    assert defaults["property_cost_method"] == "standard"

"""Behaviours a real Odoo 18.0 showed when the integration tests ran against it (fresh database:
base, stock, sale_management, purchase, account, no demo data), which the emulator now follows.
Each test quotes what the server answered."""

from __future__ import annotations

from typing import Any

import odoorpc
import pytest

from odooconf.testing import Emulator, RunningServer

ALL = {"active_test": False}
MTO, RECEIVE, BUY = 1, 2, 5  # ids of a fresh 18.0 database (MTO archived)


# --- many2many fields read back through their domain (odoo/fields.py, Many2many.read) ----------


def test_category_routes_keep_only_routes_selectable_on_categories_when_read(
    emulator: Emulator,
) -> None:
    # Real 18.0: product.category create {route_ids: [(6, 0, [1, 2, 5])]} then read route_ids
    # (active_test False) gave [2]; stock.route read categ_ids of 1, 2 and 5 gave the category
    # for each: the link is stored, the read applies [('product_categ_selectable', '=', True)].
    category: int = emulator.execute(
        "product.category",
        "create",
        {"name": "X", "parent_id": 1, "route_ids": [(6, 0, [MTO, RECEIVE, BUY])]},
    )
    [row] = emulator.execute("product.category", "read", [category], ["route_ids"], context=ALL)
    assert row["route_ids"] == [RECEIVE]
    routes = emulator.execute(
        "stock.route", "read", [MTO, RECEIVE, BUY], ["categ_ids"], context=ALL
    )
    assert [r["categ_ids"] for r in routes] == [[category]] * 3
    # Real 18.0: adding route 3 with (4, 3) then reading gave [2, 3].
    emulator.execute("product.category", "write", [category], {"route_ids": [(4, 3)]})
    [row] = emulator.execute("product.category", "read", [category], ["route_ids"], context=ALL)
    assert row["route_ids"] == [RECEIVE, 3]


def test_product_routes_keep_only_routes_selectable_on_products_when_read(
    emulator: Emulator,
) -> None:
    # Real 18.0: product.template create {route_ids: [(6, 0, [1, 2, 5])]} read back [1, 5] on the
    # template and on its variant ([('product_selectable', '=', True)]).
    template: int = emulator.execute(
        "product.template", "create", {"name": "P", "route_ids": [(6, 0, [MTO, RECEIVE, BUY])]}
    )
    [row] = emulator.execute(
        "product.template", "read", [template], ["route_ids", "product_variant_id"], context=ALL
    )
    assert row["route_ids"] == [MTO, BUY]
    variant = row["product_variant_id"][0]
    [product] = emulator.execute("product.product", "read", [variant], ["route_ids"], context=ALL)
    assert product["route_ids"] == [MTO, BUY]


def test_warehouse_routes_domain_is_a_string_and_not_applied(emulator: Emulator) -> None:
    # Real 18.0: stock.warehouse.route_ids has a string domain, which Many2many.read ignores.
    emulator.execute("stock.warehouse", "write", [1], {"route_ids": [(4, MTO)]})
    [row] = emulator.execute("stock.warehouse", "read", [1], ["route_ids"], context=ALL)
    assert MTO in row["route_ids"]


# --- read access rights of a plain internal user (ir.model.access) -----------------------------


@pytest.fixture
def viewer(emulator: Emulator, server: RunningServer) -> Any:
    """odoorpc logged in as an internal user with no other group."""
    emulator.add_user(login="viewer", password="viewer-secret", readonly=True)
    client = odoorpc.ODOO("127.0.0.1", port=server.port, timeout=10)
    client.login("demo", "viewer", "viewer-secret")
    return client


def _refusal(client: Any, model: str) -> str:
    with pytest.raises(odoorpc.error.RPCError) as caught:
        client.execute_kw(model, "search_read", [[]], {"fields": ["id"], "limit": 1})
    info: Any = caught.value.info
    assert info["data"]["name"] == "odoo.exceptions.AccessError"
    return str(info["data"]["message"])


@pytest.mark.parametrize(
    ("model", "description", "groups"),
    [
        ("ir.model", "Models", ["Administration/Access Rights"]),
        ("ir.model.data", "Model Data", ["Administration/Access Rights"]),
        (
            "stock.warehouse.orderpoint",
            "Minimum Inventory Rule",
            [
                "Inventory/Administrator",
                "Inventory/User",
                "Purchase/Administrator",
                "Purchase/User",
                "Sales/User: Own Documents Only",
            ],
        ),
        (
            "stock.package.type",
            "Stock package type",
            ["Inventory/Administrator", "Inventory/User", "Sales/User: Own Documents Only"],
        ),
    ],
)
def test_internal_user_may_not_read_what_odoo_reserves_to_groups(
    viewer: Any, model: str, description: str, groups: list[str]
) -> None:
    # Real 18.0, search_read as a user whose only group is base.group_user, e.g. on ir.model:
    # AccessError "You are not allowed to access 'Models' (ir.model) records.\n\nThis operation
    # is allowed for the following groups:\n\t- Administration/Access Rights\n\nContact your
    # administrator to request access if necessary."
    listed = "".join(f"\n\t- {group}" for group in groups)
    assert _refusal(viewer, model) == (
        f"You are not allowed to access '{description}' ({model}) records.\n\n"
        f"This operation is allowed for the following groups:{listed}\n\n"
        "Contact your administrator to request access if necessary."
    )


def test_internal_user_reads_stock_configuration_and_installed_modules(viewer: Any) -> None:
    # Real 18.0: the same user read res.company, stock.warehouse, stock.location, stock.route,
    # stock.rule, stock.picking.type, product.category, product.product, stock.putaway.rule,
    # account.account, product.removal, ir.module.module and fields_get of ir.model.
    for model in ("res.company", "stock.warehouse", "stock.route", "ir.module.module"):
        rows = viewer.execute_kw(model, "search_read", [[]], {"fields": ["id"], "limit": 1})
        assert isinstance(rows, list), model  # no AccessError
    assert "model" in viewer.execute_kw("ir.model", "fields_get", [], {"attributes": ["type"]})


# --- vendor prices (product/models/product_supplierinfo.py, _sanitize_vals) ------------------


def test_writing_a_vendor_price_s_variant_moves_it_to_the_variant_s_template(
    emulator: Emulator,
) -> None:
    # Real 18.0: a vendor price of template Rice, written {product_id: <Peas variant>}, read
    # product_tmpl_id [2, '[PEAS] Peas'] and product_id [2, '[PEAS] Peas'].
    rice = emulator.execute("product.template", "create", {"name": "Rice", "default_code": "RICE"})
    peas = emulator.execute("product.template", "create", {"name": "Peas", "default_code": "PEAS"})
    [row] = emulator.execute("product.template", "read", [peas], ["product_variant_id"])
    variant = row["product_variant_id"][0]
    partner = emulator.execute("res.partner", "create", {"name": "Vendor"})
    line = emulator.execute(
        "product.supplierinfo", "create", {"partner_id": partner, "product_tmpl_id": rice}
    )
    emulator.execute("product.supplierinfo", "write", [line], {"product_id": variant})
    [row] = emulator.execute(
        "product.supplierinfo", "read", [line], ["product_tmpl_id", "product_id"]
    )
    assert (row["product_tmpl_id"][0], row["product_id"][0]) == (peas, variant)

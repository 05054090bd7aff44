"""Picking types, locations, rules, putaway and reordering rules, products."""

from __future__ import annotations

from typing import Any

import pytest

from odooconf.testing import Emulator, OdooError

ALL = {"active_test": False}


@pytest.fixture
def tst(emulator: Emulator) -> int:
    """A second warehouse, TST, as in the reference experiments."""
    wid: int = emulator.execute("stock.warehouse", "create", {"name": "Test WH", "code": "TST"})
    return wid


def test_picking_type_requires_sequence_code(
    emulator: Emulator, experiments: dict[str, Any], tst: int
) -> None:
    for label in ("b3", "b3b", "b3c", "b3e"):
        call = experiments[label]["call"]
        with pytest.raises(OdooError) as caught:
            emulator.execute(call["model"], call["method"], *call["args"])
        assert caught.value.message == experiments[label]["error"]["data.message"]


def test_picking_type_defaults_and_sequence(emulator: Emulator, tst: int) -> None:
    def create(code: str, seq: str) -> dict[str, Any]:
        tid = emulator.execute(
            "stock.picking.type",
            "create",
            {"name": f"OC {code}", "code": code, "sequence_code": seq, "warehouse_id": tst},
        )
        row: dict[str, Any] = emulator.execute(
            "stock.picking.type",
            "read",
            [tid],
            [
                "default_location_src_id",
                "default_location_dest_id",
                "sequence_id",
                "display_name",
                "sequence",
                "company_id",
                "print_label",
            ],
        )[0]
        return row

    incoming, outgoing, internal = (
        create("incoming", "OCI"),
        create("outgoing", "OCO"),
        create("internal", "OCT"),
    )
    assert incoming["default_location_src_id"][1] == "Partners/Vendors"
    assert incoming["default_location_dest_id"][1] == "TST/Stock"
    assert outgoing["default_location_src_id"][1] == "TST/Stock"
    assert outgoing["default_location_dest_id"][1] == "Partners/Customers"
    assert outgoing["print_label"] is True and internal["print_label"] is False
    assert internal["default_location_src_id"] == internal["default_location_dest_id"]
    assert internal["display_name"] == "Test WH: OC internal" and internal["sequence"] == 0
    sequence = emulator.execute(
        "ir.sequence", "read", [internal["sequence_id"][0]], ["name", "prefix", "padding", "code"]
    )[0]
    assert sequence == {
        "id": sequence["id"],
        "name": "Test WH Sequence OCT",
        "prefix": "TST/OCT/",
        "padding": 5,
        "code": False,
    }
    emulator.execute("stock.picking.type", "write", [internal["id"]], {"sequence_code": "NEW"})
    renamed = emulator.execute("ir.sequence", "read", [sequence["id"]], ["name", "prefix"])[0]
    assert (renamed["name"], renamed["prefix"]) == ("Test WH Sequence NEW", "TST/NEW/")


def test_picking_type_without_warehouse_gets_the_first_one(emulator: Emulator) -> None:
    tid = emulator.execute(
        "stock.picking.type",
        "create",
        {"name": "Loose", "code": "internal", "sequence_code": "LOO"},
    )
    row = emulator.execute(
        "stock.picking.type",
        "read",
        [tid],
        ["warehouse_id", "sequence_id", "default_location_src_id"],
    )[0]
    assert row["warehouse_id"] == [1, "My Company"]
    assert row["default_location_src_id"][1] == "WH/Stock"
    assert row["sequence_id"][1] == "Sequence LOO", "named without warehouse: it was not given"


def test_locations(emulator: Emulator, tst: int) -> None:
    shelf = emulator.execute("stock.location", "create", {"name": "Shelf 1", "location_id": 18})
    bin_ = emulator.execute(
        "stock.location", "create", {"name": "Bin A", "location_id": shelf, "barcode": "TST-BIN-A"}
    )
    row = emulator.execute(
        "stock.location", "read", [bin_], ["complete_name", "warehouse_id", "display_name"]
    )[0]
    assert row["complete_name"] == row["display_name"] == "TST/Stock/Shelf 1/Bin A"
    assert row["warehouse_id"] == [tst, "Test WH"]
    with pytest.raises(OdooError, match="barcode for a location must be unique per company"):
        emulator.execute(
            "stock.location",
            "create",
            {"name": "Bin B", "location_id": shelf, "barcode": "TST-BIN-A"},
        )
    emulator.execute("stock.location", "write", [shelf], {"name": "Shelf 9"})
    assert (
        emulator.execute("stock.location", "read", [bin_], ["complete_name"])[0]["complete_name"]
        == "TST/Stock/Shelf 9/Bin A"
    )
    emulator.execute("stock.location", "write", [shelf], {"active": False})
    assert emulator.execute("stock.location", "search", [("id", "in", [shelf, bin_])]) == []
    with pytest.raises(OdooError) as caught:
        emulator.execute("stock.location", "write", [18], {"active": False})
    assert caught.value.message == (
        "You cannot archive location TST/Stock because it is used by warehouse Test WH"
    )
    partner = emulator.execute(
        "stock.location", "create", {"name": "Dropship", "location_id": 2, "usage": "customer"}
    )
    assert emulator.execute("stock.location", "read", [partner], ["complete_name", "warehouse_id"])[
        0
    ] == {"id": partner, "complete_name": "Partners/Dropship", "warehouse_id": False}


def test_rules_and_routes(emulator: Emulator) -> None:
    route = emulator.execute(
        "stock.route", "create", {"name": "Custom", "product_selectable": True}
    )
    rule = emulator.execute(
        "stock.rule",
        "create",
        {
            "name": "Custom pull",
            "route_id": route,
            "picking_type_id": 1,
            "location_src_id": 4,
            "location_dest_id": 8,
        },
    )
    row = emulator.execute(
        "stock.rule",
        "read",
        [rule],
        [
            "action",
            "procure_method",
            "auto",
            "sequence",
            "company_id",
            "group_propagation_option",
            "route_sequence",
            "display_name",
        ],
    )[0]
    assert row == {
        "id": rule,
        "action": "pull",
        "procure_method": "make_to_stock",
        "auto": "manual",
        "sequence": 20,
        "company_id": [1, "My Company"],
        "group_propagation_option": "propagate",
        "route_sequence": 0,
        "display_name": "Custom pull",
    }
    with pytest.raises(OdooError, match=r"Wrong value for stock\.rule\.action: 'teleport'"):
        emulator.execute("stock.rule", "write", [rule], {"action": "teleport"})
    emulator.execute("stock.route", "toggle_active", [route])
    assert emulator.execute("stock.rule", "search", [("id", "=", rule)]) == []
    emulator.execute("stock.route", "action_unarchive", [route])
    assert emulator.execute("stock.rule", "search", [("id", "=", rule)]) == []


def test_putaway_and_orderpoints(emulator: Emulator) -> None:
    product = emulator.execute(
        "product.product", "create", {"name": "Bolt", "default_code": "B1", "is_storable": True}
    )
    shelf = emulator.execute("stock.location", "create", {"name": "Shelf", "location_id": 8})
    putaway = emulator.execute(
        "stock.putaway.rule",
        "create",
        {"location_in_id": 8, "location_out_id": shelf, "product_id": product},
    )
    assert emulator.execute(
        "stock.putaway.rule", "read", [putaway], ["company_id", "sublocation", "active"]
    )[0] == {"id": putaway, "company_id": [1, "My Company"], "sublocation": "no", "active": True}
    orderpoint = emulator.execute(
        "stock.warehouse.orderpoint",
        "create",
        {"product_id": product, "product_min_qty": 5, "product_max_qty": 20},
    )
    row = emulator.execute(
        "stock.warehouse.orderpoint",
        "read",
        [orderpoint],
        ["name", "warehouse_id", "location_id", "trigger", "qty_multiple"],
    )[0]
    assert row == {
        "id": orderpoint,
        "name": "OP/00001",
        "warehouse_id": [1, "My Company"],
        "location_id": [8, "WH/Stock"],
        "trigger": "auto",
        "qty_multiple": 1.0,
    }
    with pytest.raises(OdooError) as caught:
        emulator.execute("stock.warehouse.orderpoint", "create", {"product_id": product})
    assert caught.value.message == (
        "The operation cannot be completed: A replenishment rule "
        "already exists for this product on this location."
    )
    with pytest.raises(OdooError, match="minimum quantity must be less than or equal"):
        emulator.execute(
            "stock.warehouse.orderpoint",
            "write",
            [orderpoint],
            {"product_min_qty": 50, "product_max_qty": 40},
        )


def test_products_template_and_variant(emulator: Emulator) -> None:
    template = emulator.execute(
        "product.template", "create", {"name": "Widget", "default_code": "W-1"}
    )
    variant = emulator.execute(
        "product.template",
        "read",
        [template],
        ["product_variant_ids", "categ_id", "uom_id", "type", "display_name"],
    )[0]
    assert variant["categ_id"] == [1, "All"] and variant["uom_id"] == [1, "Units"]
    assert variant["type"] == "consu" and variant["display_name"] == "[W-1] Widget"
    [product] = variant["product_variant_ids"]
    assert emulator.execute("product.product", "read", [product], ["default_code", "name"])[0] == {
        "id": product,
        "default_code": "W-1",
        "name": "Widget",
    }
    direct = emulator.execute(
        "product.product", "create", {"name": "Gadget", "default_code": "G-1"}
    )
    parent = emulator.execute("product.product", "read", [direct], ["product_tmpl_id"])[0]
    assert emulator.execute(
        "product.template",
        "read",
        [parent["product_tmpl_id"][0]],
        ["default_code", "name", "product_variant_ids"],
    )[0] == {
        "id": parent["product_tmpl_id"][0],
        "default_code": "G-1",
        "name": "Gadget",
        "product_variant_ids": [direct],
    }
    emulator.execute(
        "product.product", "write", [direct], {"default_code": "G-2", "name": "Gadget 2"}
    )
    assert emulator.execute(
        "product.template", "search_read", [("default_code", "=", "G-2")], ["name"]
    ) == [{"id": parent["product_tmpl_id"][0], "name": "Gadget 2"}]
    emulator.execute("product.template", "write", [template], {"active": False})
    assert emulator.execute("product.product", "search", [("id", "=", product)]) == []
    emulator.execute("product.product", "unlink", [direct])
    assert (
        emulator.execute(
            "product.template", "search", [("id", "=", parent["product_tmpl_id"][0])], context=ALL
        )
        == []
    )


def test_groups_and_categories(emulator: Emulator, experiments: dict[str, Any]) -> None:
    call = experiments["b6b"]["call"]
    gid = emulator.execute(call["model"], call["method"], *call["args"])
    assert emulator.execute("res.groups", "read", [gid], ["full_name"])[0]["full_name"] == (
        "Inventory / OC Inventory Auditor"
    )
    with pytest.raises(OdooError, match="You cannot delete the All product category"):
        emulator.execute("product.category", "unlink", [1])
    child = emulator.execute("product.category", "create", {"name": "Child", "parent_id": 2})
    with pytest.raises(OdooError, match="recursive categories"):
        emulator.execute("product.category", "write", [2], {"parent_id": child})

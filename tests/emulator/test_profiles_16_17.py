"""The emulator's Odoo 16.0 and 17.0 profiles: the fields and generated records of those versions.

No database of 16 or 17 was captured: each fact is checked against Odoo's own source of the
branch, cited as

- [S16] ``addons/stock/models/stock_warehouse.py`` of 16.0 (odoo/odoo @ 005507b8);
- [S17] the same file of 17.0 (UmmeHani-SCI/Odoo17-UH_Hospital_Management @ 02f3b73a);
- [P] ``addons/purchase_stock/models/stock.py`` (16/17: ``get_rules_dict`` takes
  ``_get_receive_rules_dict``, the Buy rule leads to ``in_type_id.default_location_dest_id``);
- [U17] / [U18] OpenUpgrade ``openupgrade_scripts/scripts/stock/{17,18}.0.1.1/
  upgrade_analysis.txt`` (the stored fields each version added or removed);
- [M] ``odoo-reference/MODELS.md`` (section given).
"""

from __future__ import annotations

import re
from typing import Any

import odoorpc
import pytest

from odooconf.testing import Emulator, OdooError, serve_emulator

ALL = {"active_test": False}
VERSIONS = ("16.0", "17.0")


@pytest.fixture(params=VERSIONS)
def emu(request: pytest.FixtureRequest) -> Emulator:
    return Emulator(version=str(request.param))


def fields(emu: Emulator, model: str) -> dict[str, Any]:
    result: dict[str, Any] = emu.execute(model, "fields_get")
    return result


def names(emu: Emulator, model: str, ids: list[int]) -> list[str]:
    return [r["name"] for r in emu.execute(model, "read", ids, ["name"], context=ALL)]


def warehouse(emu: Emulator, wid: int, *fnames: str) -> dict[str, Any]:
    [row] = emu.execute("stock.warehouse", "read", [wid], list(fnames))
    return dict(row)


def route_rules(emu: Emulator, route_id: int) -> list[tuple[str, str, str, str, str]]:
    """Active rules of a route: (source, destination, operation type, action, procure method)."""
    rules = emu.execute(
        "stock.rule",
        "search_read",
        [("route_id", "=", route_id)],
        ["location_src_id", "location_dest_id", "picking_type_id", "action", "procure_method"],
    )
    return sorted(
        (
            r["location_src_id"][1].split("/")[-1] if r["location_src_id"] else "",
            r["location_dest_id"][1].split("/")[-1],
            r["picking_type_id"][1].split(": ")[-1],
            r["action"],
            r["procure_method"],
        )
        for r in rules
    )


# --- version and protocol -------------------------------------------------------------------------


def test_unknown_version_is_refused() -> None:
    with pytest.raises(ValueError, match=re.escape("16.0, 17.0, 18.0, 19.0")):
        Emulator(version="15.0")


def test_version_over_json_rpc_and_error_code_200(emu: Emulator) -> None:
    """odoorpc sees the version; JSON-RPC errors carry code 200 up to 18 ([M] 8.3)."""
    with serve_emulator(emu, host="127.0.0.1", port=0) as server:
        client = odoorpc.ODOO("127.0.0.1", port=server.port, timeout=10)
        assert client.version == emu.version
        client.login("demo", "admin", "admin")
        with pytest.raises(odoorpc.error.RPCError) as caught:
            client.execute_kw("stock.warehouse", "write", [[1], {"reception_steps": "bogus"}])
        assert caught.value.info["code"] == 200
    assert emu.execute("res.users", "context_get")["uid"] == 2
    assert not emu.crashes


def test_installed_modules_report_the_series(emu: Emulator) -> None:
    """A module's version is ``<series>.<module version>`` (``16.0.1.3``), as Odoo's
    ``ir.module.module`` shows it; the module versions themselves are 18's (not captured)."""
    rows = emu.execute("ir.module.module", "search_read", [("state", "=", "installed")],
                       ["name", "latest_version"])  # fmt: skip
    assert {row["name"] for row in rows} >= {"base", "stock", "purchase"}
    assert all(row["latest_version"].startswith(f"{emu.version}.") for row in rows)


# --- fields ---------------------------------------------------------------------------------------


def test_stock_route_is_the_route_model(emu: Emulator) -> None:
    """[S16] ``route_ids = fields.Many2many('stock.route', ...)``: 16 already names it
    stock.route ([M] 2.1: the rename from stock.location.route happened in 15.0)."""
    assert fields(emu, "stock.warehouse")["route_ids"]["relation"] == "stock.route"
    with pytest.raises(OdooError, match=re.escape("Object stock.location.route doesn't exist")):
        emu.execute("stock.location.route", "search", [])


def test_warehouse_fields(emu: Emulator) -> None:
    """[U18] qc_type_id, store_type_id, xdock_type_id are new in 18; [U17] return_type_id
    was removed in 17 ([S16] declares it); [S16]/[S17] the step labels before 18's."""
    got = fields(emu, "stock.warehouse")
    assert not {"qc_type_id", "store_type_id", "xdock_type_id"} & got.keys()
    assert ("return_type_id" in got) is (emu.version == "16.0")
    assert "crossdock_route_id" in got
    assert got["reception_steps"]["selection"][0] == ["one_step", "Receive goods directly (1 step)"]
    assert got["delivery_steps"]["selection"][2] == [
        "pick_pack_ship",
        "Pack goods, send goods in output and then deliver (3 steps)",
    ]


def test_operation_rule_and_replenishment_fields(emu: Emulator) -> None:
    """[U18]: 18 added move_type and favorites to picking types and dropped show_reserved
    (and default_location_return_id, which [U17] added in 17); made the default locations
    required; added the rule's location_dest_from_rule and push_domain, the putaway
    sublocation and the orderpoint's manual quantity. [U17]: 17 added the auto-print flags."""
    types = fields(emu, "stock.picking.type")
    assert "show_reserved" in types and "move_type" not in types
    assert ("default_location_return_id" in types) is (emu.version == "17.0")
    assert ("auto_print_delivery_slip" in types) is (emu.version == "17.0")
    assert types["default_location_src_id"]["required"] is False
    rule = fields(emu, "stock.rule")
    assert not {"location_dest_from_rule", "push_domain"} & rule.keys()
    assert {"group_propagation_option", "propagate_warehouse_id"} <= rule.keys()
    assert "sublocation" not in fields(emu, "stock.putaway.rule")
    orderpoint = fields(emu, "stock.warehouse.orderpoint")
    assert "qty_multiple" in orderpoint and "qty_to_order_manual" not in orderpoint
    assert "return_location" in fields(emu, "stock.location")


def test_product_and_pricelist_fields(emu: Emulator) -> None:
    """[U18] 18 replaced the storable product type by is_storable; [M] 4.1 discount_policy
    exists up to 17, 4.2 display_applied_on and price_markup are 18's, 4.3 the vendor price
    discount is 17's."""
    template = fields(emu, "product.template")
    assert "is_storable" not in template
    assert [k for k, _label in template["type"]["selection"]] == ["consu", "service", "product"]
    assert fields(emu, "product.pricelist")["discount_policy"]["required"] is True
    pricelist = emu.execute("product.pricelist", "create", {"name": "Defaults"})
    [row] = emu.execute("product.pricelist", "read", [pricelist], ["discount_policy"])
    assert row["discount_policy"] == "with_discount"
    assert not {"display_applied_on", "price_markup"} & fields(emu, "product.pricelist.item").keys()
    assert ("discount" in fields(emu, "product.supplierinfo")) is (emu.version == "17.0")
    with pytest.raises(OdooError, match=re.escape("Invalid field 'is_storable' on model")):
        emu.execute("product.template", "create", {"name": "X", "is_storable": True})
    tid = emu.execute("product.template", "create", {"name": "Stored", "type": "product"})
    assert emu.execute("product.template", "read", [tid], ["type"])[0]["type"] == "product"


def test_least_packages_removal_strategy_is_17s(emu: Emulator) -> None:
    """[U17] NEW product.removal: stock.removal_least_packages."""
    methods = {r["method"] for r in emu.execute("product.removal", "search_read", [], ["method"])}
    assert ("least_packages" in methods) is (emu.version == "17.0")
    assert {"fifo", "lifo", "closest"} <= methods


# --- the fresh database's main warehouse ----------------------------------------------------------


def test_fresh_main_warehouse_has_the_old_operation_types(emu: Emulator) -> None:
    """[S16]/[S17] ``_get_picking_type_update_values``: five types, barcodes WH-RECEIPTS...;
    16 also a Returns type returning deliveries, sequence code RET (odoo/odoo#186462; IN before
    Nov. 2024)."""
    ids = emu.execute("stock.picking.type", "search", [("warehouse_id", "=", 1)], context=ALL)
    rows = emu.execute(
        "stock.picking.type", "read", ids, ["name", "sequence_code", "barcode"], context=ALL
    )
    got = {(r["name"], r["sequence_code"], r["barcode"]) for r in rows}
    expected = {
        ("Receipts", "IN", "WH-RECEIPTS"),
        ("Delivery Orders", "OUT", "WH-DELIVERY"),
        ("Pick", "PICK", "WH-PICK"),
        ("Pack", "PACK", "WH-PACK"),
        ("Internal Transfers", "INT", "WH-INTERNAL"),
    }
    if emu.version == "16.0":
        expected.add(("Returns", "RET", "WH-RETURNS"))
        main = warehouse(emu, 1, "return_type_id", "out_type_id")
        [out] = emu.execute(
            "stock.picking.type", "read", [main["out_type_id"][0]], ["return_picking_type_id"]
        )
        assert out["return_picking_type_id"] == main["return_type_id"]
    assert got == expected
    locations = emu.execute(
        "stock.location", "search_read", [("warehouse_id", "=", 1)], ["barcode"], context=ALL
    )
    assert {r["barcode"] for r in locations} - {False} == {
        "WH-STOCK",
        "WH-INPUT",
        "WH-QUALITY",
        "WH-OUTPUT",
        "WH-PACKING",
    }


def test_fresh_mto_rule_and_cross_dock_route(emu: Emulator) -> None:
    """[S16] ``_get_global_route_rules_values`` / [S17] ``_generate_global_route_rules_values``:
    the MTO rule is mts_else_mto, in "Make To Order" (16) or "Replenish on Order (MTO)" (17);
    ``_get_routes_values``: the cross-dock route Input → Output → Customers, archived, selectable
    on products and categories."""
    main = warehouse(emu, 1, "mto_pull_id", "crossdock_route_id")
    [mto] = emu.execute(
        "stock.rule", "read", [main["mto_pull_id"][0]], ["procure_method", "route_id"]
    )
    assert mto["procure_method"] == "mts_else_mto"
    route_name = "Make To Order" if emu.version == "16.0" else "Replenish on Order (MTO)"
    assert mto["route_id"][1] == route_name
    route_id = main["crossdock_route_id"][0]
    [route] = emu.execute(
        "stock.route",
        "read",
        [route_id],
        ["active", "product_selectable", "product_categ_selectable"],
        context=ALL,
    )
    assert (route["active"], route["product_selectable"], route["product_categ_selectable"]) == (
        False,
        True,
        True,
    )
    assert route_rules(emu, route_id) == [
        ("Input", "Output", "Internal Transfers", "pull", "make_to_order"),
        ("Output", "Customers", "Delivery Orders", "pull", "make_to_order"),
    ]


# --- a new warehouse ------------------------------------------------------------------------------


def test_new_warehouse_generates_16_17_records(emu: Emulator) -> None:
    """[S16]/[S17] ``create``: five types (six with 16's Returns) with fixed-prefix sequences
    (``_get_sequence_values``), dashed barcodes (``_get_locations_values``), routes with
    sequences 9, 10 and 20 (``_get_routes_values``), the MTS-else-MTO rule and the Buy rule."""
    wid = emu.execute("stock.warehouse", "create", {"name": "Test WH", "code": "TST"})
    ids = emu.execute("stock.picking.type", "search", [("warehouse_id", "=", wid)], context=ALL)
    types = emu.execute(
        "stock.picking.type", "read", ids, ["sequence_code", "barcode", "sequence_id"], context=ALL
    )
    sequences = {
        t["barcode"]: emu.execute("ir.sequence", "read", [t["sequence_id"][0]], ["name", "prefix"])[
            0
        ]
        for t in types
    }
    expected = {
        "TST-RECEIPTS": ("Test WH Sequence in", "TST/IN/"),
        "TST-DELIVERY": ("Test WH Sequence out", "TST/OUT/"),
        "TST-PICK": ("Test WH Sequence picking", "TST/PICK/"),
        "TST-PACK": ("Test WH Sequence packing", "TST/PACK/"),
        "TST-INTERNAL": ("Test WH Sequence internal", "TST/INT/"),
    }
    if emu.version == "16.0":
        expected["TST-RETURNS"] = ("Test WH Sequence return", "TST/RET/")
    assert {k: (v["name"], v["prefix"]) for k, v in sequences.items()} == expected
    locations = emu.execute(
        "stock.location", "search_read", [("warehouse_id", "=", wid)], ["barcode"], context=ALL
    )
    assert "TST-STOCK" in {r["barcode"] for r in locations}
    wh = warehouse(
        emu,
        wid,
        "reception_route_id",
        "delivery_route_id",
        "crossdock_route_id",
        "mto_pull_id",
        "buy_pull_id",
        "route_ids",
    )
    sequences_of = {
        r["id"]: r["sequence"]
        for r in emu.execute(
            "stock.route",
            "read",
            [wh[f][0] for f in ("reception_route_id", "delivery_route_id", "crossdock_route_id")],
            ["sequence"],
            context=ALL,
        )
    }
    assert sorted(sequences_of.values()) == [9, 10, 20]
    assert names(emu, "stock.rule", [wh["mto_pull_id"][0], wh["buy_pull_id"][0]]) == [
        "TST: Stock → Customers (MTO)",
        "TST: Stock (Buy)",
    ]
    assert route_rules(emu, wh["reception_route_id"][0]) == []
    assert route_rules(emu, wh["delivery_route_id"][0]) == [
        ("Stock", "Customers", "Delivery Orders", "pull", "make_to_stock")
    ]
    assert not emu.crashes


#: [S16]/[S17] ``get_rules_dict`` with [P] ``_get_receive_rules_dict``: reception rules without
#: the initial pull, ``pull_push`` on the Internal type and make-to-order
#: (``_get_receive_routes_values``); delivery rules all ``pull``.
LAYOUTS_16_17 = {
    "one_step": [],
    "two_steps": [("Input", "Stock", "Internal Transfers", "pull_push", "make_to_order")],
    "three_steps": [
        ("Input", "Quality Control", "Internal Transfers", "pull_push", "make_to_order"),
        ("Quality Control", "Stock", "Internal Transfers", "pull_push", "make_to_order"),
    ],
    "ship_only": [("Stock", "Customers", "Delivery Orders", "pull", "make_to_stock")],
    "pick_ship": [
        ("Output", "Customers", "Delivery Orders", "pull", "make_to_order"),
        ("Stock", "Output", "Pick", "pull", "make_to_stock"),
    ],
    "pick_pack_ship": [
        ("Output", "Customers", "Delivery Orders", "pull", "make_to_order"),
        ("Packing Zone", "Output", "Pack", "pull", "make_to_order"),
        ("Stock", "Packing Zone", "Pick", "pull", "make_to_stock"),
    ],
}


@pytest.mark.parametrize(
    ("field", "value"),
    [("reception_steps", v) for v in ("two_steps", "three_steps", "one_step")]
    + [("delivery_steps", v) for v in ("pick_ship", "pick_pack_ship", "ship_only")],
)
def test_steps_give_16_17_pull_chains(emu: Emulator, field: str, value: str) -> None:
    wid = emu.execute("stock.warehouse", "create", {"name": "Steps WH", "code": "STP"})
    emu.execute("stock.warehouse", "write", [wid], {field: value})
    route_field = "reception_route_id" if field == "reception_steps" else "delivery_route_id"
    route_id = warehouse(emu, wid, route_field)[route_field][0]
    assert route_rules(emu, route_id) == sorted(LAYOUTS_16_17[value])
    assert not emu.crashes


def test_buy_rule_follows_the_receipts_destination(emu: Emulator) -> None:
    """[P] the Buy rule's destination is the Receipts type's default destination: Input once
    reception has several steps (18 keeps Stock)."""
    wid = emu.execute("stock.warehouse", "create", {"name": "Buy WH", "code": "BUY"})
    emu.execute("stock.warehouse", "write", [wid], {"reception_steps": "two_steps"})
    buy = warehouse(emu, wid, "buy_pull_id")["buy_pull_id"][0]
    [rule] = emu.execute("stock.rule", "read", [buy], ["name", "location_dest_id"])
    assert (rule["name"], rule["location_dest_id"][1]) == ("BUY: Input (Buy)", "BUY/Input")


def test_cross_dock_route_activates_with_multi_step_flows(emu: Emulator) -> None:
    """[S16]/[S17] ``_get_routes_values``: the cross-dock route is active when both reception
    and delivery have several steps."""
    wid = emu.execute("stock.warehouse", "create", {"name": "XD WH", "code": "XDW"})
    emu.execute(
        "stock.warehouse",
        "write",
        [wid],
        {"reception_steps": "two_steps", "delivery_steps": "pick_ship"},
    )
    route = warehouse(emu, wid, "crossdock_route_id")["crossdock_route_id"][0]
    assert emu.execute("stock.route", "read", [route], ["active"])[0]["active"] is True
    assert route_rules(emu, route) == [
        ("Input", "Output", "Internal Transfers", "pull", "make_to_order"),
        ("Output", "Customers", "Delivery Orders", "pull", "make_to_order"),
    ]


def test_second_warehouse_and_internal_transfers(emu: Emulator) -> None:
    """[S17] ``_check_multiwarehouse_group`` runs res.config.settings for storage locations,
    which activates the Internal Transfers types; [S16] only implies the groups."""
    emu.execute("stock.warehouse", "create", {"name": "Second", "code": "SEC"})
    int_type = warehouse(emu, 1, "int_type_id")["int_type_id"][0]
    [row] = emu.execute("stock.picking.type", "read", [int_type], ["active"], context=ALL)
    assert row["active"] is (emu.version == "17.0")


def test_resupply_rules_lead_to_the_supplied_input(emu: Emulator) -> None:
    """[S16]/[S17] ``create_resupply_routes``: supplier Stock → transit, transit → the supplied
    warehouse's input location (Stock in one step); no Stock → Output rule (18's)."""
    wid = emu.execute(
        "stock.warehouse",
        "create",
        {"name": "Supplied", "code": "SUP", "reception_steps": "two_steps"},
    )
    emu.execute("stock.warehouse", "write", [wid], {"resupply_wh_ids": [(6, 0, [1])]})
    [route] = emu.execute("stock.route", "search", [("supplied_wh_id", "=", wid)])
    got = [(src.split("/")[-1], dst) for src, dst, *_rest in route_rules(emu, route)]
    transit = "Inter-warehouse transit"
    assert sorted(got) == sorted([(transit, "Input"), ("Stock", transit)])
    assert not emu.crashes

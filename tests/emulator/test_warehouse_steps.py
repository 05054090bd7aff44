"""Writing steps, name, code, active and resupply warehouses; unlinking warehouses."""

from __future__ import annotations

import itertools
from typing import Any

import odoorpc
import pytest

from odooconf.testing import Emulator, OdooError, database

from .helpers import assert_rows_match, assert_touched_rows

ALL = {"active_test": False}
#: Every experiment of side_effects.json that calls the server, in the order they were run.
SEQUENCE = (
    "a1", "b1", "b1b", "b1c", "b2", "b2b", "b2c", "b2d", "b3", "b3b", "b3c", "b3d", "b3e",
    "b4", "b4b", "b4c", "b4d", "b5a", "b5", "b5c", "b5d", "b6", "b6b", "b6c", "b6d",
    "b7", "b7b", "b7c", "b8", "b8b", "b8c", "b8d", "b8e", "c1", "c2", "c3", "c4",
)  # fmt: skip


def test_replay_reference_experiments(emulator: Emulator, experiments: dict[str, Any]) -> None:
    """Replaying the recorded session gives the same results, errors and rows (ids included)."""
    for label in SEQUENCE:
        experiment = experiments[label]
        call = experiment["call"]
        if "error" in experiment:
            with pytest.raises(OdooError) as caught:
                emulator.execute(call["model"], call["method"], *call["args"], **call["kwargs"])
            assert caught.value.name == experiment["error"]["data.name"], label
            assert caught.value.message == experiment["error"]["data.message"], label
            continue
        result = emulator.execute(call["model"], call["method"], *call["args"], **call["kwargs"])
        assert result == experiment["result"], label
        assert_rows_match(emulator, experiment, "created")
        assert_rows_match(emulator, experiment, "written")


def test_replay_touches_exactly_the_reference_rows(
    experiments: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each call creates and writes (new write_date) exactly the rows Odoo 18 did, no more.

    This pins that rewriting the same steps is not a no-op and that archiving touches the
    sequences on unarchive only, among others.
    """
    clock = itertools.count()
    monkeypatch.setattr(database, "_timestamp", lambda: f"2030-01-01 {next(clock):08d}")
    emulator = Emulator()
    for label in SEQUENCE:
        experiment = experiments[label]
        call = experiment["call"]
        try:
            emulator.execute(call["model"], call["method"], *call["args"], **call["kwargs"])
        except OdooError:
            continue
        if "db_changes" not in experiment:
            continue
        assert_touched_rows(emulator, experiment, label)


def test_unlink_is_refused_and_deletes_nothing(odoo: Any, experiments: dict[str, Any]) -> None:
    wid = odoo.execute_kw("stock.warehouse", "create", [{"name": "Del WH", "code": "DEL"}])
    counts = {
        m: odoo.execute_kw(m, "search_count", [[]], {"context": ALL})
        for m in ("stock.location", "stock.picking.type", "stock.rule", "stock.route")
    }
    for target in (wid, 1):
        with pytest.raises(odoorpc.error.RPCError) as caught:
            odoo.execute_kw("stock.warehouse", "unlink", [[target]])
        assert caught.value.info["data"]["name"] == experiments["b5"]["error"]["data.name"]
        assert str(caught.value) == experiments["b5"]["error"]["data.message"]
    assert odoo.execute_kw("stock.warehouse", "search", [[("id", "=", wid)]]) == [wid]
    for model, count in counts.items():
        assert odoo.execute_kw(model, "search_count", [[]], {"context": ALL}) == count


ROUTE_NAMES = {
    "one_step": "Receive in 1 step (stock)",
    "two_steps": "Receive in 2 steps (input + stock)",
    "three_steps": "Receive in 3 steps (input + quality + stock)",
    "ship_only": "Deliver in 1 step (ship)",
    "pick_ship": "Deliver in 2 steps (pick + ship)",
    "pick_pack_ship": "Deliver in 3 steps (pick + pack + ship)",
}
#: Active rules of the reception/delivery route per step (Odoo 18 + purchase_stock), as
#: (source, destination, picking type, action, procure method).
LAYOUTS = {
    "one_step": [],
    "two_steps": [("Input", "Stock", "Storage", "push", "make_to_order")],
    "three_steps": [
        ("Input", "Quality Control", "Quality Control", "push", "make_to_order"),
        ("Quality Control", "Stock", "Storage", "push", "make_to_order"),
    ],
    "ship_only": [("Stock", "Customers", "Delivery Orders", "pull", "make_to_stock")],
    "pick_ship": [
        ("Stock", "Customers", "Pick", "pull", "make_to_stock"),
        ("Output", "Customers", "Delivery Orders", "push", "make_to_order"),
    ],
    "pick_pack_ship": [
        ("Stock", "Customers", "Pick", "pull", "make_to_stock"),
        ("Packing Zone", "Output", "Pack", "push", "make_to_order"),
        ("Output", "Customers", "Delivery Orders", "push", "make_to_order"),
    ],
}


def route_layout(emulator: Emulator, route_id: int) -> list[tuple[str, ...]]:
    rules = emulator.execute(
        "stock.rule",
        "search_read",
        [("route_id", "=", route_id)],
        ["location_src_id", "location_dest_id", "picking_type_id", "action", "procure_method"],
    )
    return sorted(
        (
            r["location_src_id"][1].split("/")[-1],
            r["location_dest_id"][1].split("/")[-1],
            r["picking_type_id"][1].split(": ")[-1],
            r["action"],
            r["procure_method"],
        )
        for r in rules
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("reception_steps", v) for v in ("two_steps", "three_steps", "one_step")]
    + [("delivery_steps", v) for v in ("pick_ship", "pick_pack_ship", "ship_only")],
)
def test_steps_rename_routes_and_rebuild_rules(emulator: Emulator, field: str, value: str) -> None:
    wid = emulator.execute("stock.warehouse", "create", {"name": "Test WH", "code": "TST"})
    start = "three_steps" if field == "reception_steps" else "pick_pack_ship"
    emulator.execute("stock.warehouse", "write", [wid], {field: start})
    emulator.execute("stock.warehouse", "write", [wid], {field: value})
    route_field = "reception_route_id" if field == "reception_steps" else "delivery_route_id"
    route = emulator.execute("stock.warehouse", "read", [wid], [route_field])[0][route_field]
    assert route[1] == f"Test WH: {ROUTE_NAMES[value]}"
    assert route_layout(emulator, route[0]) == sorted(LAYOUTS[value])
    archived = emulator.execute(
        "stock.rule", "search_count", [("route_id", "=", route[0]), ("active", "=", False)]
    )
    total = emulator.execute(
        "stock.rule", "search_count", [("route_id", "=", route[0])], context=ALL
    )
    assert total == archived + len(LAYOUTS[value]), "rules are archived, never deleted"


def test_locations_and_types_follow_the_steps(emulator: Emulator) -> None:
    wid = emulator.execute("stock.warehouse", "create", {"name": "Test WH", "code": "TST"})
    emulator.execute(
        "stock.warehouse",
        "write",
        [wid],
        {"reception_steps": "two_steps", "delivery_steps": "pick_ship"},
    )
    locations = emulator.execute(
        "stock.location",
        "search_read",
        [("warehouse_id", "=", wid)],
        ["name", "active"],
        context=ALL,
    )
    assert {r["name"]: r["active"] for r in locations} == {
        "TST": True,
        "Stock": True,
        "Input": True,
        "Quality Control": False,
        "Output": True,
        "Packing Zone": False,
    }
    types = emulator.execute(
        "stock.picking.type",
        "search_read",
        [("warehouse_id", "=", wid)],
        ["sequence_code", "active", "default_location_src_id", "default_location_dest_id"],
        context=ALL,
    )
    by_code = {t["sequence_code"]: t for t in types}
    assert {c: t["active"] for c, t in by_code.items()} == {
        "IN": True,
        "OUT": True,
        "INT": True,
        "PICK": True,
        "PACK": False,
        "QC": False,
        "STOR": True,
        "XD": True,
    }
    assert by_code["IN"]["default_location_dest_id"][1] == "TST/Input"
    assert by_code["STOR"]["default_location_src_id"][1] == "TST/Input"
    assert by_code["PICK"]["default_location_dest_id"][1] == "TST/Output"
    assert by_code["OUT"]["default_location_src_id"][1] == "TST/Output"
    mto = emulator.execute("stock.warehouse", "read", [wid], ["mto_pull_id"])[0]["mto_pull_id"]
    rule = emulator.execute("stock.rule", "read", [mto[0]], ["picking_type_id"])[0]
    assert rule["picking_type_id"][1] == "Test WH: Pick"


def test_rename_warehouse_and_code(emulator: Emulator) -> None:
    wid = emulator.execute("stock.warehouse", "create", {"name": "Test WH", "code": "TST"})
    emulator.execute("stock.warehouse", "write", [wid], {"name": "Main", "code": "MAIN"})
    wh = emulator.execute(
        "stock.warehouse",
        "read",
        [wid],
        [
            "view_location_id",
            "lot_stock_id",
            "reception_route_id",
            "delivery_route_id",
            "crossdock_route_id",
            "in_type_id",
        ],
    )[0]
    assert wh["view_location_id"][1] == "MAIN" and wh["lot_stock_id"][1] == "MAIN/Stock"
    assert wh["reception_route_id"][1] == "Main: Receive in 1 step (stock)"
    assert wh["delivery_route_id"][1] == "Main: Deliver in 1 step (ship)"
    # Quirks of Odoo 18: the cross-dock route is not in route_ids so it keeps the old name,
    # and rule names carry the code, which is not rewritten.
    assert wh["crossdock_route_id"][1] == "Test WH: Cross-Dock"
    assert wh["in_type_id"][1] == "Main: Receipts"
    sequences = emulator.execute(
        "ir.sequence", "search_read", [("name", "like", "Main Sequence")], ["name", "prefix"]
    )
    assert {s["name"]: s["prefix"] for s in sequences}["Main Sequence in"] == "MAIN/IN/"
    assert len(sequences) == 8
    barcodes = emulator.execute(
        "stock.picking.type", "search_read", [("warehouse_id", "=", wid)], ["barcode"], context=ALL
    )
    assert sorted(b["barcode"] for b in barcodes)[0] == "MAININ"


def test_archive_cascades_and_unarchive_restores(emulator: Emulator) -> None:
    wid = emulator.execute("stock.warehouse", "create", {"name": "Test WH", "code": "TST"})
    custom = emulator.execute(
        "stock.picking.type",
        "create",
        {"name": "OC Type", "code": "internal", "sequence_code": "OCT", "warehouse_id": wid},
    )
    emulator.execute("stock.warehouse", "write", [wid], {"active": False})
    assert emulator.execute("stock.picking.type", "search", [("warehouse_id", "=", wid)]) == []
    assert emulator.execute("stock.location", "search", [("warehouse_id", "=", wid)]) == []
    assert emulator.execute("stock.rule", "search", [("warehouse_id", "=", wid)]) == []
    crossdock = emulator.execute("stock.warehouse", "read", [wid], ["crossdock_route_id"])[0]
    emulator.execute("stock.warehouse", "write", [wid], {"active": True})
    active_types = emulator.execute(
        "stock.picking.type", "search_read", [("warehouse_id", "=", wid)], ["sequence_code"]
    )
    assert sorted(t["sequence_code"] for t in active_types) == ["IN", "INT", "OCT", "OUT"]
    assert custom in [t["id"] for t in active_types]
    assert sorted(
        r["name"]
        for r in emulator.execute(
            "stock.location", "search_read", [("warehouse_id", "=", wid)], ["name"]
        )
    ) == ["Stock", "TST"]
    assert (
        emulator.execute("stock.route", "read", [crossdock["crossdock_route_id"][0]], ["active"])[
            0
        ]["active"]
        is False
    )


def test_resupply_routes(emulator: Emulator) -> None:
    wid = emulator.execute("stock.warehouse", "create", {"name": "Shop", "code": "SHOP"})
    emulator.execute("stock.warehouse", "write", [wid], {"resupply_wh_ids": [(6, 0, [1])]})
    routes = emulator.execute(
        "stock.route",
        "search_read",
        [("supplied_wh_id", "=", wid)],
        ["name", "supplier_wh_id", "warehouse_selectable", "rule_ids"],
    )
    assert len(routes) == 1
    route = routes[0]
    assert route["name"] == "Shop: Supply Product from My Company"
    assert route["supplier_wh_id"][0] == 1 and route["warehouse_selectable"] is True
    rules = emulator.execute(
        "stock.rule",
        "read",
        route["rule_ids"],
        ["name", "procure_method", "location_src_id", "location_dest_id"],
    )
    assert [r["name"] for r in rules] == [
        "WH: Stock → Inter-warehouse transit",
        "SHOP: Inter-warehouse transit → Stock",
    ]
    assert [r["procure_method"] for r in rules] == ["make_to_stock", "make_to_order"]
    transit = emulator.execute(
        "stock.location", "read", [rules[0]["location_dest_id"][0]], ["active", "usage"]
    )[0]
    assert transit == {"id": transit["id"], "active": True, "usage": "transit"}
    wh = emulator.execute("stock.warehouse", "read", [wid], ["resupply_route_ids"])[0]
    assert wh["resupply_route_ids"] == [route["id"]]
    emulator.execute("stock.warehouse", "write", [wid], {"resupply_wh_ids": [(3, 1)]})
    assert emulator.execute("stock.route", "search", [("supplied_wh_id", "=", wid)]) == []
    assert (
        emulator.execute("stock.route", "search_count", [("supplied_wh_id", "=", wid)], context=ALL)
        == 1
    ), "the route is archived, not deleted"
    emulator.execute("stock.warehouse", "write", [wid], {"resupply_wh_ids": [(4, 1)]})
    assert emulator.execute("stock.route", "search", [("supplied_wh_id", "=", wid)]) == [
        route["id"]
    ], "re-adding the supplier restores the archived route"


def test_company_cannot_change(emulator: Emulator) -> None:
    company = emulator.execute("res.company", "create", {"name": "Other Co"})
    with pytest.raises(OdooError, match="Changing the company of this record is forbidden"):
        emulator.execute("stock.warehouse", "write", [1], {"company_id": company})

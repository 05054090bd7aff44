"""Creating a warehouse creates what Odoo 18 created in the reference experiments."""

from __future__ import annotations

import contextlib
from collections import Counter
from pathlib import Path
from typing import Any

import odoorpc
import pytest

from odooconf.testing import Emulator, OdooError

from .helpers import TABLES, assert_rows_match, changed, reference_records, without_dates

ALL = {"active_test": False}


def test_seeded_warehouse_reads_like_reference(odoo: Any, reference: Path) -> None:
    expected = without_dates(reference_records(reference, "stock.warehouse")[0])
    fields = [f for f in expected if f != "id"]
    got = odoo.execute_kw("stock.warehouse", "read", [[1], fields])[0]
    assert without_dates(got) == expected


@pytest.mark.parametrize(
    "model", ["stock.location", "stock.picking.type", "stock.route", "stock.rule"]
)
def test_seeded_stock_records_read_like_reference(
    emulator: Emulator, reference: Path, model: str
) -> None:
    for expected in reference_records(reference, model):
        keep = {
            "id",
            "name",
            "active",
            "display_name",
            "complete_name",
            "company_id",
            "barcode",
            "location_id",
            "usage",
            "warehouse_id",
            "sequence_code",
            "sequence_id",
            "default_location_src_id",
            "default_location_dest_id",
            "route_id",
            "action",
            "procure_method",
            "picking_type_id",
            "location_src_id",
            "location_dest_id",
            "warehouse_selectable",
            "product_selectable",
            "sequence",
            "replenish_location",
        }
        fields = [f for f in expected if f in keep and f != "id"]
        got = emulator.execute(model, "read", [expected["id"]], fields, context=ALL)[0]
        assert got == {k: expected[k] for k in ["id", *fields]}


def test_create_warehouse_matches_experiment_a1(
    odoo: Any, emulator: Emulator, experiments: dict[str, Any]
) -> None:
    experiment = experiments["a1"]
    call = experiment["call"]
    assert odoo.execute_kw(call["model"], call["method"], call["args"]) == experiment["result"] == 2
    for table, model in TABLES.items():
        created = changed(experiment, table)
        ids = emulator.execute(
            model, "search", [("id", "in", [r["id"] for r in created])], context=ALL
        )
        assert sorted(ids) == [r["id"] for r in created], table
    assert_rows_match(emulator, experiment, "created")
    assert_rows_match(emulator, experiment, "written")
    read_back = experiments["a1b"]["result"][0]
    fields = [f for f in read_back if f != "id"]
    assert odoo.execute_kw("stock.warehouse", "read", [[2], fields])[0] == read_back


def test_created_records_summary(emulator: Emulator) -> None:
    """The counts and flags of side_effects.md (a), independently of ids."""
    emulator.execute("stock.warehouse", "create", {"name": "Test WH", "code": "TST"})
    locations = emulator.execute(
        "stock.location",
        "search_read",
        [("warehouse_id.code", "=", "TST")],
        ["complete_name", "active"],
        context=ALL,
    )
    assert {r["complete_name"]: r["active"] for r in locations} == {
        "TST": True,
        "TST/Stock": True,
        "TST/Input": False,
        "TST/Quality Control": False,
        "TST/Output": False,
        "TST/Packing Zone": False,
    }
    types = emulator.execute(
        "stock.picking.type",
        "search_read",
        [("warehouse_id", "=", 2)],
        ["sequence_code", "active"],
        context=ALL,
    )
    assert {t["sequence_code"]: t["active"] for t in types} == {
        "IN": True,
        "OUT": True,
        "INT": True,
        "PICK": False,
        "PACK": False,
        "QC": False,
        "STOR": False,
        "XD": False,
    }
    rules = emulator.execute(
        "stock.rule", "search_read", [("warehouse_id", "=", 2)], ["name", "route_id"], context=ALL
    )
    assert Counter(r["route_id"][1] for r in rules) == Counter(
        {
            "Test WH: Deliver in 1 step (ship)": 1,
            "Test WH: Cross-Dock": 2,
            "Replenish on Order (MTO)": 1,
            "Buy": 1,
        }
    )
    xmlids = emulator.execute(
        "ir.model.data", "search_count", [("model", "like", "stock."), ("res_id", ">", 16)]
    )
    assert xmlids == 0, "created records get no external id"
    main_int = emulator.execute("stock.picking.type", "read", [7], ["active"])[0]
    assert main_int["active"] is True, "the 2nd warehouse turns on internal transfers of WH"


def test_long_code_is_cut_to_five_characters(
    emulator: Emulator, experiments: dict[str, Any]
) -> None:
    for label in ("a1", "b1", "b1b"):
        call = experiments[label]["call"]
        # b1 and b1b fail by design: what matters is the ids their attempts consume.
        with contextlib.suppress(OdooError):
            emulator.execute(call["model"], call["method"], *call["args"])
    experiment = experiments["b1c"]
    call = experiment["call"]
    assert emulator.execute(call["model"], call["method"], *call["args"]) == experiment["result"]
    assert_rows_match(emulator, experiment, "created")


@pytest.mark.parametrize("label", ["b1", "b1b"])
def test_uniqueness_per_company(odoo: Any, experiments: dict[str, Any], label: str) -> None:
    odoo.execute_kw("stock.warehouse", "create", [{"name": "Test WH", "code": "TST"}])
    expected = experiments[label]
    with pytest.raises(odoorpc.error.RPCError) as caught:
        odoo.execute_kw("stock.warehouse", "create", expected["call"]["args"])
    assert caught.value.info["data"]["name"] == expected["error"]["data.name"]
    assert str(caught.value) == expected["error"]["data.message"]


def test_failed_create_leaves_nothing_behind(emulator: Emulator) -> None:
    before = emulator.execute("stock.location", "search_count", [], context=ALL)
    emulator.execute("stock.warehouse", "create", {"name": "Test WH", "code": "TST"})
    middle = emulator.execute("stock.location", "search_count", [], context=ALL)
    with pytest.raises(Exception, match="short name of the warehouse must be unique"):
        emulator.execute("stock.warehouse", "create", {"name": "Other", "code": "TST"})
    assert emulator.execute("stock.location", "search_count", [], context=ALL) == middle
    assert middle == before + 6


def test_create_with_steps_equals_create_then_write(emulator: Emulator) -> None:
    steps = {"reception_steps": "three_steps", "delivery_steps": "pick_pack_ship"}
    direct = emulator.execute(
        "stock.warehouse", "create", {"name": "Direct", "code": "DIR", **steps}
    )
    later = emulator.execute("stock.warehouse", "create", {"name": "Later", "code": "LAT"})
    emulator.execute("stock.warehouse", "write", [later], steps)

    def shape(wid: int) -> dict[str, Any]:
        code = emulator.execute("stock.warehouse", "read", [wid], ["code", "name"])[0]

        def norm(text: Any) -> Any:
            if not isinstance(text, str):
                return text
            return text.replace(code["name"], "<WH>").replace(code["code"], "<CODE>")

        locations = emulator.execute(
            "stock.location",
            "search_read",
            [("warehouse_id", "=", wid)],
            ["complete_name", "active", "barcode"],
            context=ALL,
        )
        types = emulator.execute(
            "stock.picking.type",
            "search_read",
            [("warehouse_id", "=", wid)],
            ["sequence_code", "active", "default_location_src_id", "default_location_dest_id"],
            context=ALL,
        )
        rules = emulator.execute(
            "stock.rule",
            "search_read",
            [("warehouse_id", "=", wid), ("active", "=", True)],
            ["name", "action", "procure_method", "route_id", "picking_type_id", "propagate_cancel"],
        )
        routes = emulator.execute(
            "stock.route",
            "search_read",
            [("id", "in", [r["route_id"][0] for r in rules])],
            ["name", "active"],
            context=ALL,
        )
        return {
            "locations": sorted(
                (norm(r["complete_name"]), r["active"], norm(r["barcode"])) for r in locations
            ),
            "types": sorted(
                (
                    t["sequence_code"],
                    t["active"],
                    norm(t["default_location_src_id"][1]),
                    norm(t["default_location_dest_id"][1]),
                )
                for t in types
            ),
            "rules": sorted(
                (
                    norm(r["name"]),
                    r["action"],
                    r["procure_method"],
                    norm(r["route_id"][1]),
                    norm(r["picking_type_id"][1]),
                    r["propagate_cancel"],
                )
                for r in rules
            ),
            "routes": sorted((norm(r["name"]), r["active"]) for r in routes),
        }

    assert shape(direct) == shape(later)
    assert ("<WH>: Cross-Dock", True) in shape(direct)["routes"]

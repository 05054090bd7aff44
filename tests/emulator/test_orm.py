"""The generic ORM every emulated model gets: search, read, create, write, unlink, fields_get."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import odoorpc
import pytest

from odooconf.testing import Emulator, OdooError

ALL = {"active_test": False}


def names(emulator: Emulator, model: str, domain: list[Any], **kwargs: Any) -> list[str]:
    rows = emulator.execute(model, "search_read", domain, ["name"], **kwargs)
    return [r["name"] for r in rows]


def test_odoorpc_model_proxies_work(odoo: Any) -> None:
    assert "stock.warehouse" in odoo.env
    assert "x.no.such.model" not in odoo.env
    warehouse = odoo.env["stock.warehouse"].browse(1)
    assert warehouse.name == "My Company"
    assert warehouse.lot_stock_id.complete_name == "WH/Stock"
    assert odoo.env.ref("stock.warehouse0").id == 1
    assert odoo.env.ref("stock.stock_location_stock").name == "Stock"
    with pytest.raises(odoorpc.error.RPCError) as caught:
        odoo.env.ref("stock.no_such_xmlid")
    assert caught.value.info["data"]["name"] == "builtins.ValueError"
    assert str(caught.value) == "External ID not found in the system: stock.no_such_xmlid"


def test_domain_operators(emulator: Emulator) -> None:
    loc = "stock.location"
    assert names(emulator, loc, [("name", "=", "Stock")]) == ["Stock"]
    assert names(emulator, loc, [("name", "ilike", "virtual")]) == ["Virtual Locations"]
    assert names(emulator, loc, [("name", "like", "virtual")]) == []
    assert names(emulator, loc, [("name", "=like", "Pa%")]) == ["Partners"]
    assert names(emulator, loc, [("name", "=ilike", "pa%")]) == ["Partners"]
    assert names(emulator, loc, [("location_id", "=", 2)]) == ["Customers", "Vendors"]
    assert names(emulator, loc, [("location_id", "=", "Partners")]) == ["Customers", "Vendors"]
    assert names(emulator, loc, [("location_id", "ilike", "partn")]) == ["Customers", "Vendors"]
    assert names(emulator, loc, [("location_id.name", "=", "WH")]) == ["Stock"]
    assert names(emulator, loc, [("location_id", "child_of", 3)]) == [
        "Inventory adjustment",
        "Production",
        "Scrap",
    ]
    assert names(emulator, loc, [("id", "child_of", 2)]) == ["Partners", "Customers", "Vendors"]
    assert names(emulator, loc, [("id", "parent_of", 8)]) == ["Physical Locations", "WH", "Stock"]
    assert names(emulator, loc, ["|", ("name", "=", "Stock"), ("name", "=", "WH")]) == [
        "WH",
        "Stock",
    ]
    assert names(emulator, loc, ["!", ("usage", "!=", "supplier")]) == ["Vendors"]
    assert names(emulator, loc, [("usage", "in", ["customer", "supplier"])]) == [
        "Customers",
        "Vendors",
    ]
    assert len(names(emulator, loc, [("usage", "not in", ["view", "internal"])])) == 5
    assert names(emulator, loc, [("barcode", "!=", False)]) == ["Stock"]
    assert len(names(emulator, loc, [("barcode", "=", False)])) == 9
    assert names(emulator, "stock.picking.type", [("sequence", ">", 1), ("sequence", "<=", 7)]) == [
        "Delivery Orders"
    ]
    assert emulator.execute("stock.route", "search", [("rule_ids", "=", False)]) == [2]
    assert emulator.execute("stock.warehouse", "search", [("route_ids", "in", [3])]) == [1]


def test_active_test_and_order(emulator: Emulator) -> None:
    active = emulator.execute("stock.location", "search", [("location_id", "=", 7)])
    everything = emulator.execute(
        "stock.location", "search", [("location_id", "=", 7)], context=ALL
    )
    assert active == [8] and sorted(everything) == [8, 9, 10, 11, 12]
    archived = emulator.execute("stock.location", "search", [("active", "=", False)])
    assert archived == [13, 6, 9, 11, 12, 10], "a domain on active disables active_test"
    ordered = emulator.execute(
        "stock.picking.type", "search", [], order="sequence desc", context=ALL
    )
    assert ordered == [8, 2, 4, 3, 7, 6, 5, 1]
    page = emulator.execute("stock.location", "search_read", [], ["id"], offset=1, limit=2)
    assert [r["id"] for r in page] == [5, 4]
    assert emulator.execute("stock.location", "search_count", []) == 10


def test_read_formats(emulator: Emulator) -> None:
    row = emulator.execute("stock.warehouse", "read", [1], ["lot_stock_id", "route_ids"])[0]
    assert row == {"id": 1, "lot_stock_id": [8, "WH/Stock"], "route_ids": [2, 3]}
    raw = emulator.execute("stock.warehouse", "read", [1], ["lot_stock_id"], load="_classic_write")
    assert raw == [{"id": 1, "lot_stock_id": 8}]
    full = emulator.execute("stock.warehouse", "read", [1])[0]
    assert set(full) == set(emulator.execute("stock.warehouse", "fields_get"))
    with pytest.raises(OdooError) as caught:
        emulator.execute("stock.warehouse", "read", [99], ["name"])
    assert caught.value.name == "odoo.exceptions.MissingError"
    with pytest.raises(OdooError, match=r"Invalid field 'nope' on model 'stock\.warehouse'"):
        emulator.execute("stock.warehouse", "read", [1], ["nope"])
    with pytest.raises(OdooError, match=r"Invalid field 'nope' on model 'stock\.warehouse'"):
        emulator.execute("stock.warehouse", "search", [("nope", "=", 1)])


def test_create_returns_id_or_ids_and_sets_log_fields(odoo: Any) -> None:
    single = odoo.execute_kw("stock.location", "create", [{"name": "A", "location_id": 8}])
    many = odoo.execute_kw(
        "stock.location",
        "create",
        [[{"name": "B", "location_id": 8}, {"name": "C", "location_id": 8}]],
    )
    assert isinstance(single, int) and many == [single + 1, single + 2]
    row = odoo.execute_kw(
        "stock.location",
        "read",
        [[single]],
        {
            "fields": [
                "create_uid",
                "write_uid",
                "create_date",
                "complete_name",
                "company_id",
                "active",
                "usage",
            ]
        },
    )[0]
    assert row["create_uid"] == [2, "Administrator"] and row["write_uid"][0] == 2
    assert row["create_date"][:2] == "20" and row["complete_name"] == "WH/Stock/A"
    assert row["company_id"] == [1, "My Company"] and row["active"] is True
    assert row["usage"] == "internal"


def test_validation_errors(emulator: Emulator) -> None:
    with pytest.raises(OdooError) as caught:
        emulator.execute("stock.location", "create", {"name": "X", "usage": "bogus"})
    assert caught.value.message == "Wrong value for stock.location.usage: 'bogus'"
    with pytest.raises(OdooError) as caught:
        emulator.execute("stock.route", "create", {"sequence": 3})
    assert caught.value.name == "odoo.exceptions.ValidationError"
    assert caught.value.message.endswith(
        "Model: Inventory Routes (stock.route)\nField: Route (name)\n"
    )
    with pytest.raises(OdooError) as caught:
        emulator.execute(
            "stock.rule",
            "create",
            {"name": "R", "route_id": 999, "picking_type_id": 1, "location_dest_id": 8},
        )
    assert "Constraint: stock_rule_route_id_fkey" in caught.value.message
    with pytest.raises(OdooError, match=r"Invalid field 'bogus' on model 'stock\.route'"):
        emulator.execute("stock.route", "create", {"name": "R", "bogus": 1})


def test_x2many_commands_and_shared_many2many(emulator: Emulator) -> None:
    route = emulator.execute(
        "stock.route",
        "create",
        {
            "name": "Custom",
            "warehouse_selectable": True,
            "warehouse_ids": [(6, 0, [1])],
            "rule_ids": [
                (
                    0,
                    0,
                    {
                        "name": "R1",
                        "picking_type_id": 1,
                        "location_dest_id": 8,
                        "location_src_id": 4,
                    },
                )
            ],
        },
    )
    assert route in emulator.execute("stock.warehouse", "read", [1], ["route_ids"])[0]["route_ids"]
    rules = emulator.execute("stock.route", "read", [route], ["rule_ids"])[0]["rule_ids"]
    assert len(rules) == 1
    rule = emulator.execute("stock.rule", "read", rules, ["route_id", "action", "sequence"])[0]
    assert rule["route_id"][0] == route and rule["action"] == "pull" and rule["sequence"] == 20
    emulator.execute("stock.warehouse", "write", [1], {"route_ids": [(3, route)]})
    assert emulator.execute("stock.route", "read", [route], ["warehouse_ids"])[0] == {
        "id": route,
        "warehouse_ids": [],
    }
    emulator.execute("stock.route", "write", [route], {"warehouse_ids": [1]})
    # x2many values come in the comodel's order (routes: sequence, id).
    assert emulator.execute("stock.warehouse", "read", [1], ["route_ids"])[0]["route_ids"] == [
        route,
        2,
        3,
    ]
    emulator.execute("stock.route", "write", [route], {"rule_ids": [(2, rules[0])]})
    assert emulator.execute("stock.rule", "search", [("id", "=", rules[0])], context=ALL) == []
    emulator.execute("stock.route", "write", [route], {"warehouse_ids": [(5,)]})
    assert emulator.execute("stock.warehouse", "read", [1], ["route_ids"])[0]["route_ids"] == [2, 3]


def test_unlink_cascades_and_restricts(emulator: Emulator) -> None:
    route = emulator.execute(
        "stock.route",
        "create",
        {
            "name": "Tmp",
            "rule_ids": [(0, 0, {"name": "R", "picking_type_id": 1, "location_dest_id": 8})],
        },
    )
    rule = emulator.execute("stock.route", "read", [route], ["rule_ids"])[0]["rule_ids"][0]
    assert emulator.execute("stock.route", "unlink", [route]) is True
    assert emulator.execute("stock.rule", "search", [("id", "=", rule)], context=ALL) == []
    with pytest.raises(OdooError) as caught:
        emulator.execute("stock.location", "unlink", [8])
    assert caught.value.name == "odoo.exceptions.ValidationError"
    assert "another model requires the record being deleted" in caught.value.message
    assert emulator.execute("stock.location", "search", [("id", "=", 8)]) == [8]


def test_char_size_and_fields_get_attributes(emulator: Emulator) -> None:
    fields = emulator.execute(
        "stock.warehouse",
        "fields_get",
        ["code", "reception_steps"],
        ["string", "type", "selection"],
    )
    assert fields["code"] == {"string": "Short Name", "type": "char"}
    assert fields["reception_steps"]["selection"][0] == ["one_step", "Receive and Store (1 step)"]
    all_fields = emulator.execute("stock.warehouse", "fields_get")
    assert all_fields["company_id"]["required"] is True and "help" in all_fields["code"]


def test_name_search_and_default_get(emulator: Emulator) -> None:
    assert emulator.execute("stock.location", "name_search", "WH/St") == [[8, "WH/Stock"]]
    found = emulator.execute("stock.picking.type", "name_search", "Receipts")
    assert found == [[1, "My Company: Receipts"]]
    defaults = emulator.execute(
        "stock.warehouse",
        "default_get",
        ["reception_steps", "delivery_steps", "company_id", "name"],
    )
    assert defaults == {
        "reception_steps": "one_step",
        "delivery_steps": "ship_only",
        "company_id": 1,
        "name": "My Company - warehouse # 2",
    }


def test_external_ids(emulator: Emulator) -> None:
    xid = emulator.execute(
        "ir.model.data",
        "create",
        {
            "module": "odooconf",
            "name": "wh_main",
            "model": "stock.warehouse",
            "res_id": 1,
            "noupdate": True,
        },
    )
    assert emulator.execute("ir.model.data", "check_object_reference", "odooconf", "wh_main") == [
        "stock.warehouse",
        1,
    ]
    row = emulator.execute("ir.model.data", "read", [xid], ["complete_name", "module"])[0]
    assert row["complete_name"] == "odooconf.wh_main"
    with pytest.raises(OdooError, match="duplicate key value"):
        emulator.execute(
            "ir.model.data",
            "create",
            {"module": "odooconf", "name": "wh_main", "model": "stock.warehouse", "res_id": 1},
        )
    emulator.execute("ir.model.data", "unlink", [xid])
    with pytest.raises(OdooError) as caught:
        emulator.execute("ir.model.data", "check_object_reference", "odooconf", "wh_main")
    assert caught.value.name == "builtins.ValueError"


def test_company_dependent_fields_are_per_company(emulator: Emulator) -> None:
    categ = emulator.execute("product.category", "create", {"name": "Goods", "parent_id": 1})
    first = emulator.execute(
        "product.category",
        "read",
        [categ],
        [
            "complete_name",
            "property_cost_method",
            "property_valuation",
            "property_stock_valuation_account_id",
        ],
    )[0]
    assert first["complete_name"] == "All / Goods"
    assert first["property_cost_method"] == "standard"
    assert first["property_valuation"] == "manual_periodic"
    assert first["property_stock_valuation_account_id"] == [2, "110100 Stock Valuation"]
    other = emulator.execute("res.company", "create", {"name": "Other Co"})
    emulator.execute(
        "product.category",
        "write",
        [categ],
        {"property_cost_method": "fifo"},
        context={"allowed_company_ids": [other]},
    )
    mine = emulator.execute("product.category", "read", [categ], ["property_cost_method"])[0]
    theirs = emulator.execute(
        "product.category",
        "read",
        [categ],
        ["property_cost_method", "property_stock_valuation_account_id"],
        context={"allowed_company_ids": [other]},
    )[0]
    assert mine["property_cost_method"] == "standard"
    assert theirs["property_cost_method"] == "fifo"
    assert theirs["property_stock_valuation_account_id"] is False


def test_dump_and_load_round_trip(emulator: Emulator, tmp_path: Path) -> None:
    wid = emulator.execute("stock.warehouse", "create", {"name": "Test WH", "code": "TST"})
    state = tmp_path / "state.json"
    emulator.dump(state)
    restored = Emulator.load(state, login="admin", password="secret")
    assert restored.database == "demo"
    assert restored.execute("stock.warehouse", "read", [wid], ["code", "lot_stock_id"]) == [
        {"id": wid, "code": "TST", "lot_stock_id": [18, "TST/Stock"]}
    ]
    assert restored.execute("stock.warehouse", "create", {"name": "B", "code": "B"}) == wid + 1
    assert restored.db.passwords[2] == "secret"


def test_drop_field_emulates_a_version_without_it(emulator: Emulator) -> None:
    emulator.drop_field("stock.rule", "group_propagation_option")
    assert "group_propagation_option" not in emulator.execute("stock.rule", "fields_get")
    assert "group_propagation_option" not in emulator.execute("stock.rule", "read", [2])[0]
    with pytest.raises(OdooError) as caught:
        emulator.execute("stock.rule", "write", [2], {"group_propagation_option": "fixed"})
    assert caught.value.message == (
        "Invalid field 'group_propagation_option' on model 'stock.rule'"
    )


def test_drop_model_emulates_a_missing_module() -> None:
    emulator = Emulator(database="d", login="admin", password="pw")
    emulator.drop_model("stock.putaway.rule")
    found = emulator.execute("ir.model", "search_read", [("model", "=", "stock.putaway.rule")], [])
    assert found == []
    with pytest.raises(OdooError, match=r"Object stock\.putaway\.rule doesn't exist"):
        emulator.execute("stock.putaway.rule", "search_read", [], [])


@pytest.mark.parametrize("version", ["18.0", "19.0"])
def test_config_parameter_keys_are_unique_and_each_database_has_its_identity(version: str) -> None:
    """ir_config_parameter.py: ``key_uniq``; ``database.uuid`` and ``database.secret`` per
    database."""
    first, second = Emulator(version=version), Emulator(version=version)
    domain = [("key", "=", "database.uuid")]
    uuids = [
        e.execute("ir.config_parameter", "search_read", domain, ["value"]) for e in (first, second)
    ]
    assert uuids[0][0]["value"] != uuids[1][0]["value"]
    first.execute("ir.config_parameter", "create", {"key": "a.lock", "value": "1"})
    with pytest.raises(OdooError, match=r"Key must be unique\."):
        first.execute("ir.config_parameter", "create", {"key": "a.lock", "value": "2"})


@pytest.mark.parametrize("version", ["18.0", "19.0"])
def test_message_post_keeps_html_only_when_told_and_attaches_text(version: str) -> None:
    """mail_thread.py (18): ``body`` escaped unless ``body_is_html``; ``attachments`` as
    ``[name, content]``; the message's id is returned."""
    emulator = Emulator(version=version)
    html = "<p><b>done</b></p>"
    escaped = emulator.execute("res.company", "message_post", [1], body=html)
    kept = emulator.execute(
        "res.company", "message_post", [1], body=html, body_is_html=True,
        attachments=[["plan.json", '{"a": 1}']],
    )  # fmt: skip
    rows = emulator.execute(
        "mail.message", "read", [escaped, kept], ["body", "model", "res_id", "attachment_ids"]
    )
    assert rows[0]["body"] == "&lt;p&gt;&lt;b&gt;done&lt;/b&gt;&lt;/p&gt;"
    assert rows[1]["body"] == html and (rows[1]["model"], rows[1]["res_id"]) == ("res.company", 1)
    [attachment] = emulator.execute("ir.attachment", "read", rows[1]["attachment_ids"], ["datas"])
    assert attachment["datas"] == "eyJhIjogMX0="
    with pytest.raises(OdooError, match="Expected singleton"):
        emulator.execute("res.company", "message_post", [1, 2], body="x")

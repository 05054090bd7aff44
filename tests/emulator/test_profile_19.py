"""The emulator's Odoo 19.0 profile against what a real 19.0 did (``odoo-reference/19``).

The 85 experiments of ``19/side_effects.json`` are replayed against ``Emulator(version="19.0")``
the way ``test_warehouse_steps.py`` replays 18's: same results, errors and rows (ids included),
and each call creates and writes exactly the rows 19 did.
"""

from __future__ import annotations

import itertools
import json
import signal
from pathlib import Path
from typing import Any

import odoorpc
import pytest

from odooconf.testing import Emulator, OdooError, RunningServer, database, serve_emulator
from odooconf.testing.seed_build import DROPPED_FIELDS, SUPPLEMENTS

from .helpers import assert_rows_match, assert_touched_rows, reference_records
from .test_cli import free_port, running

ALL = {"active_test": False}
#: Every experiment of 19/side_effects.json that calls the server, in the order they were run
#: (c5/c6 go through the protocol, f*/e3/g2 are reads). d3 recorded odoorpc's exception for
#: b1's call made again: its failed create consumed a warehouse id and six location ids.
SEQUENCE = (
    "a1", "a1b", "b1", "b1b", "b1c", "b2", "b2b", "b2c", "b2d", "b3", "b3b", "b3c", "b3d", "b3e",
    "b4", "b4b", "b4c", "b4d", "b5a", "b5", "b5c", "b5d", "b6", "b6b", "b6c", "b6d",
    "b7", "b7b", "b7c", "b8", "b8b", "b8c", "b8d", "b8e", "c1", "c2", "c3", "c4", "d3",
    "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e7b", "e8", "e9", "e9b", "e10", "e10b", "e11",
    "g1", "g2", "g3", "g3b", "g4", "g5", "g5b", "g5c", "g6", "g7", "g8", "g8b", "g9", "g10",
    "g11", "g12", "g12b", "g13", "g13b", "g14", "g14b", "g15", "g16", "f3",
)  # fmt: skip
#: Reads recorded without a call (what a key of their result holds, or the model of a list).
READS = {
    "company_internal_transit_location": "stock.location",
    "routes": "stock.route",
    "rules_of_routes": "stock.rule",
    "warehouse": "stock.warehouse",
    "categories": "product.category",
    "category": "product.category",
    "g6": "account.account",
    "valuation_account": "account.account",
    "locations_without_warehouse": "stock.location",
    "g12b": "stock.warehouse.orderpoint",
    "g13b": "stock.warehouse.orderpoint",
    "g14b": "stock.warehouse.orderpoint",
}


@pytest.fixture
def emulator_19() -> Emulator:
    return Emulator(database="demo", login="admin", password="admin", version="19.0")


#: Experiments recorded without their call, which is the one of another experiment.
SAME_CALL = {"d3": "b1"}
#: res.groups fields listing records the emulator does not seed (menus, record rules) or
#: orders by a comodel order it does not model (access rights by model name).
UNSEEDED = {"res.groups": ("menu_access", "model_access", "rule_groups")}


@pytest.fixture(scope="module")
def experiments_19(reference_19: Path) -> dict[str, dict[str, Any]]:
    data = json.loads((reference_19 / "side_effects.json").read_text(encoding="utf-8"))
    by_label: dict[str, dict[str, Any]] = {}
    for experiment in data["experiments"]:
        by_label.setdefault(experiment["label"].split()[0], experiment)
    for label, source in SAME_CALL.items():
        by_label[label] = {**by_label[source], **by_label[label]}
    for experiment in by_label.values():
        for table in experiment.get("db_changes", {}).values():
            for kind in ("created_records", "written_records"):
                for record in table.get(kind, []):
                    for fname in UNSEEDED.get(table.get("model", ""), ()):
                        record.pop(fname, None)
    return by_label


def _run(emulator: Emulator, experiment: dict[str, Any]) -> Any:
    call = experiment["call"]
    return emulator.execute(call["model"], call["method"], *call["args"], **call["kwargs"])


def assert_reads_match(emulator: Emulator, label: str, result: Any) -> None:
    """The records a read experiment recorded read back identically (same ids and values);
    g1 recorded fields_get of product.category's valuation fields."""
    if label == "g1":
        # 19/fields/ was captured without the ``related`` attribute g1 shows.
        expected = {
            name: {k: v for k, v in attrs.items() if k != "related"}
            for name, attrs in result.items()
        }
        got = emulator.execute("product.category", "fields_get", list(result))
        assert {name: {k: got[name].get(k) for k in attrs} for name, attrs in expected.items()} == (
            expected
        )
        return
    groups = {label: result} if isinstance(result, list) else result
    checked = 0
    for key, records in groups.items():
        model = READS.get(key)
        if model is None:
            continue
        for record in records:
            expected = {k: v for k, v in record.items() if k != "xmlids"}
            fields = [f for f in expected if f != "id"]
            [got] = emulator.execute(model, "read", [expected["id"]], fields)
            assert got == expected, (label, model, expected["id"])
            checked += 1
    assert checked, label


def test_replay_reference_experiments_19(
    emulator_19: Emulator, experiments_19: dict[str, Any]
) -> None:
    """Replaying 19's recorded session gives the same results, errors and rows (ids included),
    and the reads recorded on the way (resupply routes, categories, orderpoints) match."""
    for label in SEQUENCE:
        experiment = experiments_19[label]
        if "call" not in experiment:
            assert_reads_match(emulator_19, label, experiment["result"])
            continue
        if "error" in experiment:
            with pytest.raises(OdooError) as caught:
                _run(emulator_19, experiment)
            assert caught.value.name == experiment["error"]["data.name"], label
            assert caught.value.message == experiment["error"]["data.message"], label
            continue
        result = _run(emulator_19, experiment)
        assert result == experiment["result"], label
        assert_rows_match(emulator_19, experiment, "created")
        assert_rows_match(emulator_19, experiment, "written")
    assert not emulator_19.crashes


def test_replay_touches_exactly_the_reference_rows_19(
    experiments_19: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each call creates and writes (new write_date) exactly the rows Odoo 19 did: the Buy
    route is written by every warehouse create and steps write (difference 8)."""
    clock = itertools.count()
    monkeypatch.setattr(database, "_timestamp", lambda: f"2030-01-01 {next(clock):08d}")
    emulator = Emulator(version="19.0")
    for label in SEQUENCE:
        experiment = experiments_19[label]
        if "call" not in experiment:
            continue
        try:
            _run(emulator, experiment)
        except OdooError:
            continue
        if "db_changes" not in experiment:
            continue
        assert_touched_rows(emulator, experiment, label)


def test_fresh_19_database_has_19s_own_locations(
    emulator_19: Emulator, experiments_19: dict[str, Any]
) -> None:
    """f1: no Physical Locations / Partners / Virtual Locations parents, no Scrap, the
    Inter-warehouse transit archived (difference 4); the xmlids are 19's."""
    result = experiments_19["f1"]["result"]
    assert_reads_match(emulator_19, "f1", result)
    for record in result["locations_without_warehouse"]:
        for xmlid in record["xmlids"]:
            module, name = xmlid.split(".")
            found = emulator_19.execute("ir.model.data", "check_object_reference", module, name)
            assert found == ["stock.location", record["id"]]
    scrap = emulator_19.execute("stock.location", "search", [("name", "=", "Scrap")], context=ALL)
    assert scrap == []
    assert "scrap_location" not in emulator_19.execute("stock.location", "fields_get")


def test_fresh_19_categories_and_valuation_keys(emulator_19: Emulator) -> None:
    """Differences 16, 17, 22: Goods, Expenses, Services; periodic / real_time; no stock
    input/output accounts; a product created without category has none."""
    categories = emulator_19.execute("product.category", "search_read", [], ["complete_name"])
    assert [c["complete_name"] for c in categories] == ["Expenses", "Goods", "Services"]
    fields = emulator_19.execute("product.category", "fields_get")
    assert [key for key, _label in fields["property_valuation"]["selection"]] == [
        "periodic",
        "real_time",
    ]
    assert "property_stock_account_input_categ_id" not in fields
    template = emulator_19.execute("product.template", "create", {"name": "No category"})
    [read] = emulator_19.execute("product.template", "read", [template], ["categ_id"])
    assert read["categ_id"] is False


def test_fields_get_is_19s(emulator_19: Emulator, reference_19: Path) -> None:
    """Every captured model answers fields_get exactly as 19 did."""
    checked = 0
    for path in sorted((reference_19 / "fields").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["model"] in ("mail.message", "ir.attachment"):
            continue  # not seeded: nothing odooconf or the emulator uses
        got = emulator_19.execute(data["model"], "fields_get")
        expected = {**SUPPLEMENTS.get(data["model"], {}), **data["fields"]}
        assert got.keys() == expected.keys(), data["model"]
        checked += 1
    assert checked >= 40


def test_fresh_19_records_are_19s(emulator_19: Emulator, reference_19: Path) -> None:
    """The main warehouse, its routes (Buy among them, difference 8) and groups are 19's."""
    for model in ("stock.warehouse", "stock.route", "stock.rule", "stock.picking.type"):
        for expected in reference_records(reference_19, model):
            fields = [f for f in expected if f not in ("id", "create_date", "write_date")]
            fields = [f for f in fields if f in emulator_19.db.schemas[model].fields]
            fields = [f for f in fields if f not in COMPUTED_HELPERS]
            # Read like the capture: x2many fields list active records only.
            [got] = emulator_19.execute(model, "read", [expected["id"]], fields)
            assert got == {k: expected[k] for k in ["id", *fields]}, (model, expected["id"])
    [warehouse] = emulator_19.execute("stock.warehouse", "read", [1], ["route_ids"])
    assert warehouse["route_ids"] == [4, 2, 3]


#: Non-stored helper fields the emulator does not compute (UI domains, messages).
COMPUTED_HELPERS = ("warehouse_domain_ids", *DROPPED_FIELDS)


@pytest.fixture
def server_19(emulator_19: Emulator) -> Any:
    with serve_emulator(emulator_19, host="127.0.0.1", port=0) as running:
        yield running


def test_version_and_error_shape_over_json_rpc(
    server_19: RunningServer, emulator_19: Emulator, experiments_19: dict[str, Any]
) -> None:
    """odoorpc sees a 19.0 server; errors carry ``code`` 0 (difference 1) as d2/d3 recorded."""
    client = odoorpc.ODOO("127.0.0.1", port=server_19.port, timeout=10)
    assert client.version == "19.0"
    client.login("demo", "admin", "admin")
    for label, call in (
        ("d2", ("stock.warehouse", "write", [[1], {"reception_steps": "bogus"}])),
        ("d3", ("stock.warehouse", "create", [{"name": "Test WH 2", "code": "WH"}])),
    ):
        expected = experiments_19[label]
        with pytest.raises(odoorpc.error.RPCError) as caught:
            client.execute_kw(*call)
        info = {k: v for k, v in caught.value.info.items() if k != "data"}
        data = {k: v for k, v in caught.value.info["data"].items() if k != "debug"}
        assert {**info, "data": data}["code"] == expected["info_without_debug"]["code"] == 0
        assert data["name"] == expected["info_without_debug"]["data"]["name"], label
        if label == "d2":
            assert {**info, "data": data} == expected["info_without_debug"]
            assert str(caught.value) == expected["str"]
    assert not emulator_19.crashes


def test_groups_and_users_use_19s_fields(emulator_19: Emulator) -> None:
    """res.users.group_ids and res.groups.user_ids/privilege_id (MODELS.md 6.1, 6.2): a user
    added by the test helper is in base.group_user, and 18's names are invalid fields."""
    uid = emulator_19.add_user("reader", "pw")
    [user] = emulator_19.execute("res.users", "read", [uid], ["group_ids"])
    group_user = emulator_19.execute(
        "ir.model.data", "check_object_reference", "base", "group_user"
    )
    assert group_user[1] in user["group_ids"]
    with pytest.raises(OdooError, match=r"Invalid field 'groups_id' in 'res\.users'"):
        emulator_19.execute("res.users", "write", [uid], {"groups_id": []})


def test_serve_odoo_version_and_state_keep_the_version(tmp_path: Path) -> None:
    """``serve --odoo-version 19.0`` presents 19.0 and says so; a ``--state`` file saved by it
    reloads as 19.0 (``Emulator.load``)."""
    port, state = free_port(), tmp_path / "state.json"
    args = ("--port", str(port), "--database", "lab", "--password-env", "EMU_PW",
            "--state", str(state), "--odoo-version", "19.0")  # fmt: skip
    with running(*args, env={"EMU_PW": "pw"}) as (process, line):
        assert line.endswith("database=lab version=19.0")
        client = odoorpc.ODOO("127.0.0.1", port=port)
        assert client.version == "19.0"
        client.login("lab", "admin", "pw")
        client.execute_kw("stock.warehouse", "create", [{"name": "Kept WH", "code": "KEPT"}])
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    reloaded = Emulator.load(state)
    assert reloaded.version == "19.0"
    assert "crossdock_route_id" not in reloaded.execute("stock.warehouse", "fields_get")


def test_group_closures_19(emulator_19: Emulator, reference_19: Path) -> None:
    """19's computed closures (MODELS.md 6.1-6.2): a login's groups and the members of a group
    include what implied groups give; searching them finds the admin in Settings."""
    system = emulator_19.execute("ir.model.data", "check_object_reference", "base", "group_system")
    found = emulator_19.execute("res.groups", "search", [("all_user_ids", "in", [2])])
    assert system[1] in found
    [admin] = emulator_19.execute("res.users", "read", [2], ["all_group_ids"])
    [captured] = [u for u in reference_records(reference_19, "res.users") if u["id"] == 2]
    # 19 also counts "Receive notifications in Odoo", given by the notification setting, not
    # by an implied group: the emulator does not model that.
    notifications = {g["id"] for g in reference_records(reference_19, "res.groups")
                     if g["name"] == "Receive notifications in Odoo"}  # fmt: skip
    assert set(admin["all_group_ids"]) == set(captured["all_group_ids"]) - notifications


def test_drop_field_of_a_field_19_lacks_is_a_no_op(emulator_19: Emulator) -> None:
    """Tests that emulate 19 on 18 by dropping a field run unchanged on the 19 profile."""
    emulator_19.drop_field("stock.rule", "group_propagation_option")
    assert "group_propagation_option" not in emulator_19.execute("stock.rule", "fields_get")
    emulator_19.drop_field("stock.rule", "route_id")
    assert "route_id" not in emulator_19.execute("stock.rule", "fields_get")

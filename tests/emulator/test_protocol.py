"""The JSON-RPC surface as odoorpc uses it: version, login, error shapes, hostile input."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import odoorpc
import pytest

from odooconf.testing import Emulator, RpcCall, RunningServer


def post(server: RunningServer, path: str, body: bytes) -> tuple[int, bytes]:
    request = urllib.request.Request(
        server.url + path, data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def rpc(server: RunningServer, service: str, method: str, *args: Any) -> dict[str, Any]:
    body = {
        "jsonrpc": "2.0",
        "method": "call",
        "id": 7,
        "params": {"service": service, "method": method, "args": list(args)},
    }
    status, payload = post(server, "/jsonrpc", json.dumps(body).encode())
    assert status == 200
    result: dict[str, Any] = json.loads(payload)
    assert result["jsonrpc"] == "2.0" and result["id"] == 7
    return result


def test_version_info_matches_reference(server: RunningServer, reference: Path) -> None:
    version = json.loads((reference / "version.json").read_text(encoding="utf-8"))
    expected = version["version_info"]
    assert expected["server_serie"] == "18.0"  # the reference is the version emulated
    status, payload = post(server, "/web/webclient/version_info", b'{"jsonrpc":"2.0","id":1}')
    assert status == 200
    assert json.loads(payload)["result"] == expected
    assert rpc(server, "common", "version")["result"] == expected


def test_odoorpc_login_and_context(odoo: Any, emulator: Emulator) -> None:
    assert odoo.env.uid == 2
    assert odoo.version == "18.0"
    assert odoo.env.context["lang"] == "en_US"
    assert [c.service for c in emulator.calls[:3]] == ["web", "common", "object"]
    assert emulator.calls[2] == RpcCall("object", "execute", "res.users", "context_get", [], {})


def test_wrong_password_login_returns_false_not_an_error(
    server: RunningServer, experiments: dict[str, Any]
) -> None:
    expected = {k: v for k, v in experiments["c6"]["result"].items() if k != "id"}
    assert expected == {"jsonrpc": "2.0", "result": False}
    reply = rpc(server, "common", "login", "demo", "admin", "wrong")
    assert reply == {**expected, "id": 7}
    assert rpc(server, "common", "authenticate", "demo", "admin", "admin", {})["result"] == 2
    client = odoorpc.ODOO("127.0.0.1", port=server.port)
    with pytest.raises(odoorpc.error.RPCError, match="Wrong login ID or password"):
        client.login("demo", "admin", "wrong")


def assert_error_matches(error: dict[str, Any], expected: dict[str, Any]) -> None:
    """A JSON-RPC ``error`` object equals a side_effects.json one (whose traceback is cut)."""
    assert (error["code"], error["message"]) == (expected["code"], expected["message"])
    data = error["data"]
    assert sorted(data) == expected["data_keys"]
    assert data["name"] == expected["data.name"]
    assert data["message"] == expected["data.message"]
    assert data["arguments"] == expected["data.arguments"]
    assert data["context"] == expected["data.context"]
    assert data["debug"].startswith("Traceback (most recent call last):\n")
    last_lines = expected["data.debug_last_lines"]
    assert data["debug"].rstrip("\n").split("\n")[-len(last_lines) :] == last_lines


def test_error_shape_is_odoo_18s(server: RunningServer, experiments: dict[str, Any]) -> None:
    """The whole JSON-RPC error object of experiment b2 (a wrong selection value), as Odoo 18
    sent it: code, message, data keys, name, message, arguments, context, traceback's end."""
    experiment = experiments["b2"]
    call = experiment["call"]
    assert (call["model"], call["method"]) == ("stock.warehouse", "write")
    # b2 wrote the reference's 2nd warehouse; the seeded database has only WH (id 1).
    [_ids, values] = call["args"]
    args = ("stock.warehouse", "write", [[1], values])
    reply = rpc(server, "object", "execute_kw", "demo", 2, "admin", *args)
    assert "result" not in reply
    assert_error_matches(reply["error"], experiment["error"])


@pytest.mark.parametrize("label", ["c1", "c2", "c3", "c4"])
def test_errors_match_reference(
    server: RunningServer, experiments: dict[str, Any], label: str
) -> None:
    """Unknown model, method, field and a private method: the call the reference made gets
    the error object Odoo 18 answered."""
    call = experiments[label]["call"]
    reply = rpc(
        server,
        "object",
        "execute_kw",
        "demo",
        2,
        "admin",
        call["model"],
        call["method"],
        call["args"],
        call["kwargs"],
    )
    assert "result" not in reply
    assert_error_matches(reply["error"], experiments[label]["error"])


def test_wrong_password_on_execute_kw(server: RunningServer, experiments: dict[str, Any]) -> None:
    expected = experiments["c5"]["error"]
    assert expected["data.name"] == "odoo.exceptions.AccessDenied"
    reply = rpc(server, "object", "execute_kw", "demo", 2, "nope", "res.partner", "search", [[]])
    assert_error_matches(reply["error"], expected)
    unknown_uid = rpc(server, "object", "execute", "demo", 99, "admin", "res.partner", "search", [])
    assert_error_matches(unknown_uid["error"], expected)


def test_unknown_database(server: RunningServer) -> None:
    for reply in (
        rpc(server, "common", "login", "nodb", "admin", "admin"),
        rpc(server, "object", "execute_kw", "nodb", 2, "admin", "res.partner", "search", [[]]),
    ):
        assert reply["error"]["data"]["name"] == "psycopg2.OperationalError"
        assert reply["error"]["data"]["message"] == 'FATAL:  database "nodb" does not exist\n'


def test_odoorpc_raises_rpcerror_with_odoo_info(odoo: Any, experiments: dict[str, Any]) -> None:
    expected = experiments["d3"]
    odoo.execute_kw("stock.warehouse", "create", [{"name": "Test WH", "code": "TST"}])
    with pytest.raises(odoorpc.error.RPCError) as caught:
        odoo.execute_kw("stock.warehouse", "create", [{"name": "Test WH 2", "code": "TST"}])
    assert str(caught.value) == expected["str"]
    info = dict(caught.value.info)
    info["data"] = {k: v for k, v in info["data"].items() if k != "debug"}
    assert info == expected["info_without_debug"]


def test_hostile_input_never_crashes_the_server(server: RunningServer) -> None:
    assert post(server, "/jsonrpc", b"{not json")[0] == 400
    assert post(server, "/jsonrpc", "\udcff".encode("utf-8", "surrogatepass"))[0] == 400
    assert post(server, "/nope", b"{}")[0] == 404
    assert post(server, "/jsonrpc", b"[" * 100_000)[0] == 400
    bodies: tuple[Any, ...] = (
        [],
        {"params": []},
        {
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": ["demo", "2", {}, [], None],
            }
        },
        {
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": ["demo", 2, "admin", "res.partner", "read", "x", 5],
            }
        },
        {
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": ["demo", 2, "admin", "res.partner", "search", [5]],
            }
        },
        {"params": {"service": "nope", "method": "x", "args": []}},
    )
    for body in bodies:
        status, payload = post(server, "/jsonrpc", json.dumps(body).encode())
        assert status == 200
        assert set(json.loads(payload)["error"]["data"]) == {
            "name",
            "message",
            "arguments",
            "context",
            "debug",
        }
    assert rpc(server, "common", "version")["result"]["server_serie"] == "18.0"


def test_calls_are_recorded_and_execute_is_not(emulator: Emulator, odoo: Any) -> None:
    emulator.reset_calls()
    emulator.execute("res.partner", "search", [])
    assert emulator.calls == []
    odoo.execute_kw("res.partner", "search_read", [[("id", "=", 1)]], {"fields": ["name"]})
    assert emulator.calls == [
        RpcCall(
            "object",
            "execute_kw",
            "res.partner",
            "search_read",
            [[["id", "=", 1]]],
            {"fields": ["name"]},
        )
    ]


def test_fail_next_injects_one_odoo_error(emulator: Emulator, odoo: Any) -> None:
    emulator.fail_next("stock.location", "create", message="disk full")
    with pytest.raises(odoorpc.error.RPCError) as caught:
        odoo.execute_kw("stock.location", "create", [{"name": "Shelf", "location_id": 8}])
    assert caught.value.info["data"]["name"] == "odoo.exceptions.UserError"
    assert str(caught.value) == "disk full"
    assert odoo.execute_kw("stock.location", "create", [{"name": "Shelf", "location_id": 8}])


def test_readonly_user_reads_but_cannot_write(emulator: Emulator, server: RunningServer) -> None:
    uid = emulator.add_user(login="viewer", password="pw", readonly=True)
    client = odoorpc.ODOO("127.0.0.1", port=server.port)
    client.login("demo", "viewer", "pw")
    assert client.env.uid == uid
    assert client.execute_kw("stock.warehouse", "search", [[]]) == [1]
    for method, args in (
        ("create", [{"name": "X", "code": "X"}]),
        ("write", [[1], {"name": "X"}]),
        ("unlink", [[1]]),
    ):
        with pytest.raises(odoorpc.error.RPCError) as caught:
            client.execute_kw("stock.warehouse", method, args)
        assert caught.value.info["data"]["name"] == "odoo.exceptions.AccessError"


def test_concurrent_requests_are_serialized(emulator: Emulator, server: RunningServer) -> None:
    errors: list[BaseException] = []

    def create(index: int) -> None:
        try:
            client = odoorpc.ODOO("127.0.0.1", port=server.port)
            client.login("demo", "admin", "admin")
            for step in range(5):
                client.execute_kw(
                    "stock.location", "create", [{"name": f"Bin {index}-{step}", "location_id": 8}]
                )
        except BaseException as exc:  # collected for the main thread
            errors.append(exc)

    threads = [threading.Thread(target=create, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    bins = emulator.execute("stock.location", "search_read", [("name", "like", "Bin ")], ["name"])
    assert len(bins) == 40 and len({b["id"] for b in bins}) == 40

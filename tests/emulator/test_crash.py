"""A crash of the emulator's own code is never shaped like an Odoo error: it is an HTTP 500 that
no JSON-RPC client decodes, and it is recorded in ``Emulator.crashes`` for the fixtures."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import odoorpc
import pytest

from odooconf.testing import Emulator, EmulatorCrash, RunningServer
from odooconf.testing.orm import Model


def _bug(self: Model, *args: Any, **kwargs: Any) -> int:
    return 1 // 0  # stands for any bug in the emulator


@pytest.fixture
def buggy_search_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Model, "search_count", _bug)


def post(server: RunningServer, model: str, method: str, *args: Any) -> tuple[int, bytes]:
    body = {
        "jsonrpc": "2.0",
        "method": "call",
        "id": 7,
        "params": {
            "service": "object",
            "method": "execute_kw",
            "args": ["demo", 2, "admin", model, method, list(args)],
        },
    }
    request = urllib.request.Request(
        server.url + "/jsonrpc",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return int(reply.status), bytes(reply.read())
    except urllib.error.HTTPError as error:
        return int(error.code), bytes(error.read())


@pytest.mark.usefixtures("buggy_search_count")
def test_a_crash_is_an_http_500_and_is_recorded(emulator: Emulator, server: RunningServer) -> None:
    status, body = post(server, "stock.warehouse", "search_count", [])
    assert status == 500
    assert body.startswith(b"odooconf.testing.EmulatorCrash: stock.warehouse.search_count crashed")
    with pytest.raises(ValueError):
        json.loads(body)  # not JSON-RPC: no client reads it as an Odoo error
    assert len(emulator.crashes) == 1
    assert "stock.warehouse.search_count crashed the emulator" in emulator.crashes[0]
    assert "ZeroDivisionError: integer division or modulo by zero" in emulator.crashes[0]


@pytest.mark.usefixtures("buggy_search_count")
def test_odoorpc_cannot_take_a_crash_for_an_odoo_error(emulator: Emulator, odoo: Any) -> None:
    with pytest.raises(urllib.error.HTTPError) as crashed:
        odoo.execute_kw("stock.warehouse", "search_count", [[]])
    assert crashed.value.code == 500
    assert not isinstance(crashed.value, odoorpc.error.RPCError)
    # A failure Odoo itself would report stays an Odoo error, and is no crash.
    emulator.fail_next("stock.warehouse", "search", message="Planned")
    with pytest.raises(odoorpc.error.RPCError) as refused:
        odoo.execute_kw("stock.warehouse", "search", [[]])
    assert refused.value.info["data"]["name"] == "odoo.exceptions.UserError"
    assert len(emulator.crashes) == 1


@pytest.mark.usefixtures("buggy_search_count")
def test_in_process_jsonrpc_raises_the_crash(emulator: Emulator) -> None:
    request = {
        "id": 1,
        "params": {
            "service": "object",
            "method": "execute_kw",
            "args": ["demo", 2, "admin", "stock.location", "search_count", [[]]],
        },
    }
    with pytest.raises(EmulatorCrash, match=r"stock\.location\.search_count crashed"):
        emulator.jsonrpc(request)
    assert len(emulator.crashes) == 1


def test_no_crash_recorded_for_odoo_errors(emulator: Emulator, odoo: Any) -> None:
    with pytest.raises(odoorpc.error.RPCError):
        odoo.execute_kw("stock.warehouse", "read", [[999]], {"fields": ["no_such_field"]})
    with pytest.raises(odoorpc.error.RPCError):
        odoo.execute_kw("x.no.such.model", "search", [[]])
    assert emulator.crashes == []

"""The gateway's members are written once, over one ``_call``; a transport only sends.

Each transport keeps its login, its way of sending a call and the mapping of its faults. What a
call becomes on the wire is checked here offline: JSON-RPC passes the method's arguments by
position (the records first), JSON-2 by name (``ids`` for the records).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from odooconf.odoo.gateway import FIELD_ATTRIBUTES, BaseGateway, ServerInfo
from odooconf.odoo.json2 import Json2Gateway
from odooconf.odoo.rpc import RpcGateway

#: The members every gateway offers (``gateway.Gateway``), besides ``server`` and ``call_count``.
MEMBERS = (
    "existing_models",
    "fields",
    "search_read",
    "default_get",
    "create",
    "write",
    "unlink",
    "contextual_price",
    "post_message",
    "server",
    "call_count",
    "_company_id",
)


@pytest.mark.parametrize("transport", [RpcGateway, Json2Gateway])
def test_a_transport_writes_none_of_the_members(transport: type[BaseGateway]) -> None:
    assert issubclass(transport, BaseGateway)
    assert [name for name in MEMBERS if name in vars(transport)] == []


class _Recorder(BaseGateway):
    """A transport that answers ``answer`` and remembers what it was asked to send."""

    def __init__(self, answer: Any = None, context: Mapping[str, Any] | None = None) -> None:
        super().__init__("http://odoo.test", 5.0)
        self._server = ServerInfo("http://odoo.test", "db", "admin", "18.0", (18, 0), 2)
        self._context = dict(context or {})
        self.answer = answer
        self.sent: list[tuple[str, str, Any, dict[str, Any], dict[str, Any]]] = []

    def _send(
        self,
        model: str,
        method: str,
        ids: list[int] | None,
        args: dict[str, Any],
        kwargs: dict[str, Any],
    ) -> Any:
        self.sent.append((model, method, ids, args, kwargs))
        return self.answer


def test_each_member_is_one_call_with_named_arguments() -> None:
    gateway = _Recorder(answer=[], context={"allowed_company_ids": [1]})
    gateway.search_read("stock.location", [("usage", "=", "internal")], ["name"])
    gateway.write("stock.location", [4, 5], {"name": "Bulk"})
    gateway.unlink("stock.location", [])  # nothing to delete: no call
    gateway.default_get("stock.location", ["usage"])
    gateway.fields("stock.location")
    gateway.fields("stock.location")  # once per run
    company = {"context": {"allowed_company_ids": [1]}}
    assert gateway.sent == [
        (
            "stock.location",
            "search_read",
            None,
            {"domain": [("usage", "=", "internal")]},
            {"fields": ["name"], "context": {"allowed_company_ids": [1], "active_test": False}},
        ),
        ("stock.location", "write", [4, 5], {"vals": {"name": "Bulk"}}, company),
        ("stock.location", "default_get", None, {"fields": ["usage"]}, company),
        (
            "stock.location",
            "fields_get",
            None,
            {},
            {"attributes": list(FIELD_ATTRIBUTES), **company},
        ),
    ]
    assert gateway.call_count == 4


def test_create_answers_a_list_of_ids_and_a_price_a_float() -> None:
    assert _Recorder(answer=7).create("stock.location", [{"name": "A"}]) == [7]
    assert _Recorder(answer=[7, 8]).create("stock.location", [{}, {}]) == [7, 8]
    assert _Recorder().create("stock.location", []) == []
    assert _Recorder(answer=12).contextual_price(3, {"quantity": 2.0}) == 12.0


def test_post_message_keeps_the_html_and_answers_the_message_id() -> None:
    gateway = _Recorder(answer=[41])
    attachments = [["plan.json", "{}"]]
    assert gateway.post_message("res.company", 1, "Applied", "<p>ok</p>", attachments) == 41
    assert gateway.sent == [
        (
            "res.company",
            "message_post",
            [1],
            {},
            {"subject": "Applied", "body": "<p>ok</p>", "body_is_html": True,
             "attachments": attachments},
        )
    ]  # fmt: skip


def test_jsonrpc_passes_arguments_by_position_and_json2_by_name() -> None:
    args, kwargs = {"vals": {"name": "Bulk"}}, {"context": {"lang": "en_US"}}
    assert RpcGateway.encode([4], args, kwargs) == ([[4], {"name": "Bulk"}], kwargs)
    assert RpcGateway.encode(None, {"domain": []}, {}) == ([[]], {})
    assert Json2Gateway.encode([4], args, kwargs) == {
        "ids": [4],
        "vals": {"name": "Bulk"},
        "context": {"lang": "en_US"},
    }
    assert Json2Gateway.encode(None, {"fields": ["a"]}, {}) == {"fields": ["a"]}

"""What odooconf needs from an Odoo server, independent of the transport.

``rpc.RpcGateway`` implements it over odoorpc's JSON-RPC (``/jsonrpc``, Odoo 16 to 21),
``json2.Json2Gateway`` over Odoo 19's JSON-2 API; ``connect.connect`` picks one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

#: Attributes of ``fields_get`` odooconf relies on (asking for fewer keeps the call cheap).
FIELD_ATTRIBUTES = (
    "type",
    "relation",
    "required",
    "readonly",
    "selection",
    "company_dependent",
    "digits",
)


@dataclass(frozen=True)
class ServerInfo:
    """Who we are talking to. Never holds the password."""

    url: str
    database: str
    login: str
    version: str
    #: ``(major, minor)`` parsed from ``server_version_info``.
    release: tuple[int, int]
    #: Database id of the login (``res.users``).
    uid: int = 0
    #: How odooconf talks to it: ``jsonrpc`` (odoorpc, ``/jsonrpc``) or ``json2`` (``/json/2``).
    transport: str = "jsonrpc"


class Gateway(Protocol):
    """Batched access to one Odoo database as one user."""

    @property
    def server(self) -> ServerInfo: ...

    @property
    def call_count(self) -> int:
        """RPC calls made so far (tests and benchmarks count them)."""
        ...

    def existing_models(self, models: Sequence[str]) -> set[str]:
        """Which of ``models`` exist on the instance (one call)."""
        ...

    def fields(self, model: str) -> Mapping[str, Mapping[str, Any]]:
        """``fields_get`` of ``model``, fetched once per run."""
        ...

    def search_read(
        self, model: str, domain: list[Any], fields: Sequence[str]
    ) -> list[dict[str, Any]]:
        """All matching records, archived ones included (``active_test: False``)."""
        ...

    def default_get(self, model: str, fields: Sequence[str]) -> dict[str, Any]:
        """The values a new record of ``model`` would get for ``fields``."""
        ...

    def create(self, model: str, values: list[dict[str, Any]]) -> list[int]:
        """Create several records in one call; returns their ids in order."""
        ...

    def write(self, model: str, ids: list[int], values: dict[str, Any]) -> None:
        """Write the same values on several records in one call."""
        ...

    def unlink(self, model: str, ids: list[int]) -> None:
        """Delete several records in one call."""
        ...

    def contextual_price(self, product_id: int, context: Mapping[str, Any]) -> float:
        """The price Odoo computes for one product variant with ``context`` (``pricelist``,
        ``quantity``, ``date``): ``product.product.get_contextual_price``, one call."""
        ...

    def post_message(
        self, model: str, record_id: int, subject: str, html: str, attachments: list[list[str]]
    ) -> int:
        """Post a message in a record's chatter (``mail.thread.message_post``, the HTML kept as
        HTML with ``body_is_html``), with text attachments ``[name, content]``; one call, the
        message's id."""
        ...


def release_of(version: str) -> tuple[int, int]:
    """``(major, minor)`` of a ``server_version`` such as ``18.0``, ``saas~18.3`` or ``19.0+e``."""
    digits = [int(part) for part in version.replace("saas~", "").split(".")[:2] if part.isdigit()]
    major, minor, *_ = [*digits, 0, 0]
    return major, minor

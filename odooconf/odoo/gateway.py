"""What odooconf needs from an Odoo server, independent of the transport.

``rpc.RpcGateway`` implements it over odoorpc's JSON-RPC (``/jsonrpc``, Odoo 16 to 21),
``json2.Json2Gateway`` over Odoo 19's JSON-2 API; ``connect.connect`` picks one. Both derive
from :class:`BaseGateway`, which writes every member once over a single ``_call``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from odooconf.errors import UserError

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


#: Read archived records too: a plan must see what it would otherwise recreate.
_NO_ARCHIVE_FILTER = {"active_test": False}


class BaseGateway:
    """The members of :class:`Gateway`, each one :meth:`_call`. A transport logs in on
    construction (setting ``_server``, and ``_context`` through :meth:`_company_id`), sends
    calls (:meth:`_send`) and maps its faults to odooconf's errors.

    A call names the method's arguments: ``ids`` (the records a method runs on, None for a
    model method), ``args`` (the method's positional arguments by their names, in order) and
    keyword arguments. JSON-RPC sends ``ids`` and ``args`` by position, JSON-2 all by name.
    """

    _server: ServerInfo

    def __init__(self, url: str, timeout: float) -> None:
        self._url = url
        self._timeout = timeout
        self._calls = 0
        self._fields: dict[str, Mapping[str, Mapping[str, Any]]] = {}
        self._context: dict[str, Any] = {}

    def _send(
        self,
        model: str,
        method: str,
        ids: list[int] | None,
        args: dict[str, Any],
        kwargs: dict[str, Any],
    ) -> Any:
        """One call on the wire; raises odooconf's errors (``faults``) when it fails."""
        raise NotImplementedError

    def _call(
        self,
        model: str,
        method: str,
        *,
        ids: list[int] | None = None,
        args: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        self._calls += 1
        merged = {**self._context, **(context or {})}
        if merged:
            kwargs["context"] = merged
        return self._send(model, method, ids, dict(args or {}), kwargs)

    def _company_id(self, name: str) -> int:
        """The id of the company ``odoo.company`` names, which every later call acts in."""
        rows = self._call(
            "res.company", "search_read", args={"domain": [("name", "=", name)]}, fields=["id"]
        )
        if len(rows) != 1:
            raise UserError(
                f"company {name!r} (odoo.company) matches {len(rows)} companies that "
                f"{self._server.login!r} can see on {self._url}"
            )
        return int(rows[0]["id"])

    @property
    def server(self) -> ServerInfo:
        return self._server

    @property
    def call_count(self) -> int:
        return self._calls

    def existing_models(self, models: Sequence[str]) -> set[str]:
        domain = [("model", "in", list(models))]
        rows = self._call("ir.model", "search_read", args={"domain": domain}, fields=["model"])
        return {row["model"] for row in rows}

    def fields(self, model: str) -> Mapping[str, Mapping[str, Any]]:
        if model not in self._fields:
            self._fields[model] = self._call(model, "fields_get", attributes=list(FIELD_ATTRIBUTES))
        return self._fields[model]

    def search_read(
        self, model: str, domain: list[Any], fields: Sequence[str]
    ) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call(
            model,
            "search_read",
            args={"domain": domain},
            fields=list(fields),
            context=_NO_ARCHIVE_FILTER,
        )
        return result

    def default_get(self, model: str, fields: Sequence[str]) -> dict[str, Any]:
        result: dict[str, Any] = self._call(model, "default_get", args={"fields": list(fields)})
        return result

    def create(self, model: str, values: list[dict[str, Any]]) -> list[int]:
        if not values:
            return []
        ids = self._call(model, "create", args={"vals_list": values})
        return [ids] if isinstance(ids, int) else list(ids)

    def write(self, model: str, ids: list[int], values: dict[str, Any]) -> None:
        if ids:
            self._call(model, "write", ids=ids, args={"vals": values})

    def unlink(self, model: str, ids: list[int]) -> None:
        if ids:
            self._call(model, "unlink", ids=ids)

    def contextual_price(self, product_id: int, context: Mapping[str, Any]) -> float:
        price = self._call(
            "product.product", "get_contextual_price", ids=[product_id], context=context
        )
        return float(price)

    def post_message(
        self, model: str, record_id: int, subject: str, html: str, attachments: list[list[str]]
    ) -> int:
        message = self._call(
            model, "message_post", ids=[record_id],
            subject=subject, body=html, body_is_html=True, attachments=attachments,
        )  # fmt: skip
        return int(message[0] if isinstance(message, list) else message)


def release_of(version: str) -> tuple[int, int]:
    """``(major, minor)`` of a ``server_version`` such as ``18.0``, ``saas~18.3`` or ``19.0+e``."""
    digits = [int(part) for part in version.replace("saas~", "").split(".")[:2] if part.isdigit()]
    major, minor, *_ = [*digits, 0, 0]
    return major, minor

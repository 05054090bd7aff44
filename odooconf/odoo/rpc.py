"""The odoorpc (JSON-RPC ``/jsonrpc``) implementation of the gateway; the only odoorpc importer."""

from __future__ import annotations

import http.client
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import odoorpc

from odooconf.deadline import deadline
from odooconf.errors import UserError
from odooconf.odoo import faults
from odooconf.odoo.gateway import FIELD_ATTRIBUTES, ServerInfo, release_of

_NO_ARCHIVE_FILTER = {"active_test": False}
_MASK = "*****"


class _Redact(logging.Filter):
    """odoorpc logs every request at DEBUG and masks only ``params['password']``, but the
    password also travels in ``args`` (``common.login``, every ``execute_kw``): a program that
    turns DEBUG logging on around odooconf would write it to its logs. This filter replaces the
    secrets of this process's gateways in each record before any handler sees it."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets and record.args:
            record.args = _scrub(record.args, self.secrets)
        return True


def _scrub(value: Any, secrets: set[str]) -> Any:
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, _MASK)
        return value
    if isinstance(value, dict):
        return {key: _scrub(item, secrets) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_scrub(item, secrets) for item in value)
    return value


_REDACT = _Redact()
logging.getLogger("odoorpc.rpc.jsonrpclib").addFilter(_REDACT)


class RpcGateway:
    """Connects and logs in on construction; every failure becomes a one-paragraph error."""

    def __init__(
        self,
        url: str,
        database: str,
        login: str,
        password: str,
        timeout: float = 120.0,
        company: str | None = None,
    ) -> None:
        _REDACT.secrets.add(password)
        parts = faults.parse_url(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        protocol = "jsonrpc+ssl" if parts.scheme == "https" else "jsonrpc"
        self._url = url
        self._calls = 0
        self._fields: dict[str, Mapping[str, Mapping[str, Any]]] = {}
        self._context: dict[str, Any] = {}
        self._timeout = timeout
        try:
            self._calls += 1  # odoorpc reads /web/webclient/version_info on connect
            host = str(parts.hostname)
            with deadline(timeout):
                self._odoo = odoorpc.ODOO(host, protocol=protocol, port=port, timeout=timeout)
            self._calls += 2  # common.login, then res.users.context_get
            with deadline(2 * timeout):
                self._odoo.login(database, login, password)
            version = str(self._odoo.version)
            uid = int(self._odoo.env.uid)
        except odoorpc.error.RPCError as exc:
            raise faults.login_error(_fault(exc), url, database, login) from None
        except (OSError, http.client.HTTPException, ValueError, *faults.MALFORMED) as exc:
            raise faults.unreachable(url, faults.network_reason(exc)) from None
        self._server = ServerInfo(url, database, login, version, release_of(version), uid)
        if company is not None:
            self._context = {"allowed_company_ids": [self._company_id(company)]}

    def _company_id(self, name: str) -> int:
        rows = self._execute("res.company", "search_read", [("name", "=", name)], fields=["id"])
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

    def _execute(self, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        self._calls += 1
        context = {**self._context, **kwargs.pop("context", {})}
        if context:
            kwargs["context"] = context
        try:
            with deadline(self._timeout):
                return self._odoo.execute_kw(model, method, list(args), kwargs)
        except odoorpc.error.RPCError as exc:
            raise faults.call_error(_fault(exc), model, method, self._server.login) from None
        except (OSError, http.client.HTTPException, ValueError, *faults.MALFORMED) as exc:
            reason = faults.network_reason(exc)
            raise faults.lost_contact(self._url, model, method, reason) from None

    def existing_models(self, models: Sequence[str]) -> set[str]:
        rows = self._execute(
            "ir.model", "search_read", [("model", "in", list(models))], fields=["model"]
        )
        return {row["model"] for row in rows}

    def fields(self, model: str) -> Mapping[str, Mapping[str, Any]]:
        if model not in self._fields:
            self._fields[model] = self._execute(
                model, "fields_get", attributes=list(FIELD_ATTRIBUTES)
            )
        return self._fields[model]

    def search_read(
        self, model: str, domain: list[Any], fields: Sequence[str]
    ) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._execute(
            model, "search_read", domain, fields=list(fields), context=_NO_ARCHIVE_FILTER
        )
        return result

    def default_get(self, model: str, fields: Sequence[str]) -> dict[str, Any]:
        result: dict[str, Any] = self._execute(model, "default_get", list(fields))
        return result

    def create(self, model: str, values: list[dict[str, Any]]) -> list[int]:
        if not values:
            return []
        ids = self._execute(model, "create", values)
        return [ids] if isinstance(ids, int) else list(ids)

    def write(self, model: str, ids: list[int], values: dict[str, Any]) -> None:
        if ids:
            self._execute(model, "write", ids, values)

    def unlink(self, model: str, ids: list[int]) -> None:
        if ids:
            self._execute(model, "unlink", ids)

    def contextual_price(self, product_id: int, context: Mapping[str, Any]) -> float:
        price = self._execute(
            "product.product", "get_contextual_price", [product_id], context=dict(context)
        )
        return float(price)

    def post_message(
        self, model: str, record_id: int, subject: str, html: str, attachments: list[list[str]]
    ) -> int:
        message = self._execute(
            model, "message_post", [record_id],
            subject=subject, body=html, body_is_html=True, attachments=attachments,
        )  # fmt: skip
        return int(message[0] if isinstance(message, list) else message)


def _fault(exc: odoorpc.error.RPCError) -> faults.Fault:
    info = getattr(exc, "info", None)
    data = (info.get("data") if isinstance(info, dict) else None) or {}
    return faults.Fault(str(data.get("name", "")), str(data.get("message") or exc))

"""The odoorpc (JSON-RPC ``/jsonrpc``) implementation of the gateway; the only odoorpc importer."""

from __future__ import annotations

import http.client
import logging
from typing import Any

import odoorpc

from odooconf.deadline import deadline
from odooconf.odoo import faults
from odooconf.odoo.gateway import BaseGateway, ServerInfo, release_of

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


class RpcGateway(BaseGateway):
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
        super().__init__(url, timeout)
        parts = faults.parse_url(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        protocol = "jsonrpc+ssl" if parts.scheme == "https" else "jsonrpc"
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

    @staticmethod
    def encode(
        ids: list[int] | None, args: dict[str, Any], kwargs: dict[str, Any]
    ) -> tuple[list[Any], dict[str, Any]]:
        """``execute_kw``'s positional and keyword arguments: the records first, then the
        method's arguments in order."""
        return [*([ids] if ids is not None else []), *args.values()], kwargs

    def _send(
        self,
        model: str,
        method: str,
        ids: list[int] | None,
        args: dict[str, Any],
        kwargs: dict[str, Any],
    ) -> Any:
        positional, named = self.encode(ids, args, kwargs)
        try:
            with deadline(self._timeout):
                return self._odoo.execute_kw(model, method, positional, named)
        except odoorpc.error.RPCError as exc:
            raise faults.call_error(_fault(exc), model, method, self._server.login) from None
        except (OSError, http.client.HTTPException, ValueError, *faults.MALFORMED) as exc:
            reason = faults.network_reason(exc)
            raise faults.lost_contact(self._url, model, method, reason) from None


def _fault(exc: odoorpc.error.RPCError) -> faults.Fault:
    info = getattr(exc, "info", None)
    data = (info.get("data") if isinstance(info, dict) else None) or {}
    return faults.Fault(str(data.get("name", "")), str(data.get("message") or exc))

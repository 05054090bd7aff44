"""The odoorpc (JSON-RPC ``/jsonrpc``) implementation of the gateway; the only odoorpc importer."""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import urllib.error
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import odoorpc

from odooconf.errors import RemoteError, UserError
from odooconf.odoo.gateway import FIELD_ATTRIBUTES, ServerInfo

_NO_ARCHIVE_FILTER = {"active_test": False}
#: Odoo error classes (``error.data.name``) that mean "you may not", not "this is broken".
_ACCESS_ERRORS = {"odoo.exceptions.AccessError", "odoo.exceptions.AccessDenied"}


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
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UserError(f"Odoo URL {url!r} must look like http(s)://host[:port]")
        if parts.username or parts.password:
            raise UserError("the Odoo URL must not contain credentials; use password_env")
        if parts.path not in ("", "/"):
            raise UserError(f"Odoo URL {url!r} must not have a path (odoorpc talks to the root)")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        protocol = "jsonrpc+ssl" if parts.scheme == "https" else "jsonrpc"
        self._url = url
        self._calls = 0
        self._fields: dict[str, Mapping[str, Mapping[str, Any]]] = {}
        self._context: dict[str, Any] = {}
        where = f"Odoo at {url}"
        try:
            self._calls += 1  # odoorpc reads /web/webclient/version_info on connect
            self._odoo = odoorpc.ODOO(parts.hostname, protocol=protocol, port=port, timeout=timeout)
            self._calls += 2  # common.login, then res.users.context_get
            self._odoo.login(database, login, password)
        except odoorpc.error.RPCError as exc:
            raise _login_error(exc, url, database, login) from None
        except (OSError, http.client.HTTPException, ValueError) as exc:
            raise UserError(f"cannot reach {where}: {_network_reason(exc)}") from None
        version = str(self._odoo.version)
        uid = int(self._odoo.env.uid)
        self._server = ServerInfo(url, database, login, version, _release(version), uid)
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
            return self._odoo.execute_kw(model, method, list(args), kwargs)
        except odoorpc.error.RPCError as exc:
            raise _remote_error(exc, model, method, self._server.login) from None
        except (OSError, http.client.HTTPException, ValueError) as exc:
            reason = _network_reason(exc)
            raise RemoteError(
                f"lost contact with Odoo at {self._url} during {model}.{method}: {reason}",
                model=model,
                method=method,
            ) from None

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


def _release(version: str) -> tuple[int, int]:
    digits = [int(part) for part in version.replace("saas~", "").split(".")[:2] if part.isdigit()]
    major, minor, *_ = [*digits, 0, 0]
    return major, minor


def _odoo_error(exc: odoorpc.error.RPCError) -> tuple[str, str]:
    info = getattr(exc, "info", None)
    data = (info.get("data") if isinstance(info, dict) else None) or {}
    return str(data.get("name", "")), str(data.get("message") or exc)


def _login_error(exc: odoorpc.error.RPCError, url: str, database: str, login: str) -> UserError:
    name, message = _odoo_error(exc)
    if "does not exist" in message and ("database" in message or "psycopg2" in name):
        return UserError(f"database {database!r} does not exist on the Odoo server at {url}")
    if name in _ACCESS_ERRORS or "Wrong login" in message or not name:
        return UserError(
            f"login as {login!r} on database {database!r} at {url} was refused: wrong login or "
            "password/API key (check the variable named by password_env)"
        )
    return UserError(f"login on {url} failed: {message} ({name})")


def _remote_error(exc: odoorpc.error.RPCError, model: str, method: str, login: str) -> RemoteError:
    name, message = _odoo_error(exc)
    short = name.rsplit(".", 1)[-1] or "error"
    if name in _ACCESS_ERRORS:
        text = f"Odoo denied {login!r} access for {model}.{method}: {message}"
    else:
        text = f"Odoo refused {model}.{method} ({short}): {message}"
    return RemoteError(" ".join(text.split()), model=model, method=method, odoo_error=name)


def _network_reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason} (is this an Odoo server?)"
    if isinstance(exc, urllib.error.URLError):
        return (
            _network_reason(exc.reason)
            if isinstance(exc.reason, BaseException)
            else str(exc.reason)
        )
    if isinstance(exc, socket.timeout | TimeoutError):
        return "timed out"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error: {exc.reason or exc}"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused (is the server running and the port right?)"
    if isinstance(exc, json.JSONDecodeError | ValueError):
        return "the answer is not JSON-RPC (is this an Odoo server?)"
    return str(exc) or type(exc).__name__

"""Odoo 19's JSON-2 API as a gateway: ``POST /json/2/<model>/<method>`` over httpx.

Every call is one HTTP request whose JSON body holds the method's arguments by name (``ids``,
``context`` and the method's own keyword arguments), authenticated by an API key
(``Authorization: Bearer``) on the database named by ``X-Odoo-Database``. Odoo answers the bare
result with status 200, or an error object ``{name, message, arguments, context, debug}`` with a
real HTTP status (401, 403, 404, 422, 500...).

Connecting costs three requests, as odoorpc's login does: ``GET /web/version`` (the server
version; Odoo 19's ``rpc`` module serves it next to ``/json/2``), ``res.users/context_get`` (the
API key's user) and ``res.users/read`` of that user's login, which must be the environment's.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from odooconf import __version__
from odooconf.deadline import Expired, deadline
from odooconf.errors import RemoteError, UserError
from odooconf.odoo import faults
from odooconf.odoo.gateway import FIELD_ATTRIBUTES, ServerInfo, release_of

VERSION_PATH = "/web/version"
_NO_ARCHIVE_FILTER = {"active_test": False}
#: What Odoo's 404 page says when ``X-Odoo-Database`` names a database it does not serve.
_NO_DATABASE = "No database is selected"


class _NoAnswer(Exception):
    """No usable answer: the network failed, or what answered is not Odoo's JSON-2 API."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _NoDatabase(Exception):
    """The server does not serve the database named in ``X-Odoo-Database``."""


class _Refused(Exception):
    """Odoo answered an error object."""

    def __init__(self, status: int, fault: faults.Fault) -> None:
        super().__init__(fault.message)
        self.status = status
        self.fault = fault


def _reason(exc: httpx.HTTPError) -> str:
    """Why httpx got no answer, worded as for any transport (``faults.network_reason``)."""
    if isinstance(exc, httpx.TimeoutException):
        return faults.TIMED_OUT
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, OSError | ssl.SSLError):
            return faults.network_reason(cause)
        cause = cause.__cause__ or cause.__context__
    return str(exc) or type(exc).__name__


def _client(url: str, timeout: float, headers: Mapping[str, str] | None = None) -> httpx.Client:
    return httpx.Client(
        base_url=url.rstrip("/"),
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": f"odooconf/{__version__}", **(headers or {})},
        follow_redirects=False,
    )


def _server_version(client: httpx.Client, url: str, timeout: float) -> str | None:
    """``GET /web/version``: the server's version, or None when it has no such route (before
    Odoo 19). Raises :class:`UserError` when nothing usable answers."""
    try:
        with deadline(timeout):
            response = client.get(VERSION_PATH)
    except Expired:
        raise faults.unreachable(url, faults.TIMED_OUT) from None
    except httpx.HTTPError as exc:
        raise faults.unreachable(url, _reason(exc)) from None
    if response.status_code == 404:
        return None
    if response.status_code != 200:
        reason = faults.http_reason(response.status_code, response.reason_phrase)
        raise faults.unreachable(url, reason)
    try:
        data = response.json()
    except ValueError:
        raise faults.unreachable(url, faults.NOT_ODOO) from None
    version = data.get("version") if isinstance(data, dict) else None
    if not isinstance(version, str) or not isinstance(data.get("version_info"), list):
        raise faults.unreachable(url, faults.NOT_ODOO)
    return version


def probe_version(url: str, timeout: float = 120.0) -> str | None:
    """The version of the Odoo at ``url`` when it serves the JSON-2 API (it answers
    ``GET /web/version``: Odoo 19 and later), None when it does not."""
    faults.parse_url(url)
    with _client(url, timeout) as client:
        return _server_version(client, url, timeout)


class Json2Gateway:
    """Connects on construction; every failure becomes a one-paragraph error.

    ``api_key`` is an Odoo API key of ``login`` (JSON-2 accepts no password). ``version`` is the
    answer of ``GET /web/version`` when the caller already asked (:func:`probe_version`): that
    request then counts as this gateway's first call.
    """

    def __init__(
        self,
        url: str,
        database: str,
        login: str,
        api_key: str,
        timeout: float = 120.0,
        company: str | None = None,
        *,
        version: str | None = None,
    ) -> None:
        faults.parse_url(url)
        self._url = url
        self._database = database
        self._login = login
        self._timeout = timeout
        self._calls = 1  # GET /web/version, here or by the caller
        self._fields: dict[str, Mapping[str, Mapping[str, Any]]] = {}
        self._context: dict[str, Any] = {}
        self._client = _client(
            url,
            timeout,
            {"Authorization": f"Bearer {api_key}", "X-Odoo-Database": database},
        )
        if version is None:
            version = _server_version(self._client, url, timeout)
            if version is None:
                raise faults.no_json2(url, f"GET {VERSION_PATH} answered HTTP 404")
        uid = self._login_uid()
        release = release_of(version)
        self._server = ServerInfo(url, database, login, version, release, uid, "json2")
        if company is not None:
            self._context = {"allowed_company_ids": [self._company_id(company)]}

    def _login_uid(self) -> int:
        """The API key's user, which must be the environment's login."""
        try:
            self._calls += 1
            context = self._request("res.users", "context_get", {})
            uid = context.get("uid") if isinstance(context, dict) else None
            if not isinstance(uid, int) or isinstance(uid, bool):
                raise _NoAnswer(faults.NOT_ODOO)
            self._calls += 1
            rows = self._request("res.users", "read", {"ids": [uid], "fields": ["login"]})
        except _NoDatabase:
            raise faults.unknown_database(self._url, self._database) from None
        except _NoAnswer as exc:
            raise faults.unreachable(self._url, exc.reason) from None
        except _Refused as exc:
            fault = faults.Fault(faults.ACCESS_DENIED, "Access Denied")
            if exc.status != 401:
                fault = exc.fault
            raise faults.login_error(
                fault, self._url, self._database, self._login, json2=True
            ) from None
        owner = rows[0].get("login") if isinstance(rows, list) and rows else None
        if not isinstance(owner, str):
            raise faults.unreachable(self._url, faults.NOT_ODOO)
        if owner != self._login:
            raise faults.key_of_another_user(self._url, self._database, self._login, owner)
        return uid

    def _company_id(self, name: str) -> int:
        rows = self._execute(
            "res.company", "search_read", domain=[("name", "=", name)], fields=["id"]
        )
        if len(rows) != 1:
            raise UserError(
                f"company {name!r} (odoo.company) matches {len(rows)} companies that "
                f"{self._login!r} can see on {self._url}"
            )
        return int(rows[0]["id"])

    def close(self) -> None:
        """Close the HTTP connections (the gateway is unusable afterwards)."""
        self._client.close()

    @property
    def server(self) -> ServerInfo:
        return self._server

    @property
    def call_count(self) -> int:
        return self._calls

    def _request(self, model: str, method: str, body: dict[str, Any]) -> Any:
        """One JSON-2 request; raises :class:`_NoAnswer`, :class:`_NoDatabase` or
        :class:`_Refused`."""
        try:
            with deadline(self._timeout):
                response = self._client.post(f"/json/2/{model}/{method}", json=body)
                try:
                    data = response.json()
                except ValueError:
                    data = None
        except Expired:
            raise _NoAnswer(faults.TIMED_OUT) from None
        except httpx.HTTPError as exc:
            raise _NoAnswer(_reason(exc)) from None
        if response.status_code == 200:
            if data is None and response.content.strip() != b"null":
                raise _NoAnswer(faults.NOT_ODOO)
            return data
        if isinstance(data, dict) and isinstance(data.get("name"), str):
            raise _Refused(response.status_code, faults.Fault(data["name"], str(data["message"])))
        if response.status_code == 404 and _NO_DATABASE in response.text:
            raise _NoDatabase
        raise _NoAnswer(faults.http_reason(response.status_code, response.reason_phrase))

    def _execute(self, model: str, method: str, **body: Any) -> Any:
        self._calls += 1
        context = {**self._context, **body.pop("context", {})}
        if context:
            body["context"] = context
        try:
            return self._request(model, method, body)
        except _Refused as exc:
            fault = exc.fault
            if exc.status == 401:  # the key was revoked meanwhile: as JSON-RPC says it
                fault = faults.Fault(faults.ACCESS_DENIED, "Access Denied")
            raise faults.call_error(fault, model, method, self._login) from None
        except _NoAnswer as exc:
            raise faults.lost_contact(self._url, model, method, exc.reason) from None
        except _NoDatabase:
            text = str(faults.unknown_database(self._url, self._database))
            raise RemoteError(text, model=model, method=method) from None

    def existing_models(self, models: Sequence[str]) -> set[str]:
        rows = self._execute(
            "ir.model", "search_read", domain=[("model", "in", list(models))], fields=["model"]
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
            model, "search_read", domain=domain, fields=list(fields), context=_NO_ARCHIVE_FILTER
        )
        return result

    def default_get(self, model: str, fields: Sequence[str]) -> dict[str, Any]:
        result: dict[str, Any] = self._execute(model, "default_get", fields=list(fields))
        return result

    def create(self, model: str, values: list[dict[str, Any]]) -> list[int]:
        if not values:
            return []
        ids = self._execute(model, "create", vals_list=values)
        return [ids] if isinstance(ids, int) else list(ids)

    def write(self, model: str, ids: list[int], values: dict[str, Any]) -> None:
        if ids:
            self._execute(model, "write", ids=ids, vals=values)

    def unlink(self, model: str, ids: list[int]) -> None:
        if ids:
            self._execute(model, "unlink", ids=ids)

    def contextual_price(self, product_id: int, context: Mapping[str, Any]) -> float:
        price = self._execute(
            "product.product", "get_contextual_price", ids=[product_id], context=dict(context)
        )
        return float(price)

    def post_message(
        self, model: str, record_id: int, subject: str, html: str, attachments: list[list[str]]
    ) -> int:
        message = self._execute(
            model, "message_post", ids=[record_id],
            subject=subject, body=html, body_is_html=True, attachments=attachments,
        )  # fmt: skip
        return int(message[0] if isinstance(message, list) else message)

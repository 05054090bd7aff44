"""Which transport talks to an Odoo server: the one place that chooses.

- ``json2``: Odoo 19's JSON-2 API (:class:`~odooconf.odoo.json2.Json2Gateway`), with an API key;
- ``jsonrpc``: the ``/jsonrpc`` endpoint through odoorpc (:class:`~odooconf.odoo.rpc.RpcGateway`),
  Odoo 16 to 21 (deprecated from 19), with a password or an API key;
- ``auto`` (the default): JSON-2 when the server has it (it answers ``GET /web/version``, which
  Odoo 19's ``rpc`` module serves next to ``/json/2``), JSON-RPC otherwise.
"""

from __future__ import annotations

from typing import Literal

from odooconf.odoo.gateway import Gateway

Transport = Literal["auto", "jsonrpc", "json2"]
TRANSPORTS: tuple[Transport, ...] = ("auto", "jsonrpc", "json2")


def connect(
    url: str,
    database: str,
    login: str,
    secret: str,
    *,
    timeout: float = 120.0,
    company: str | None = None,
    transport: Transport = "auto",
) -> Gateway:
    """A logged-in gateway; every failure is a one-paragraph :class:`~odooconf.errors.UserError`.

    ``secret`` is the password or API key (JSON-2 takes an API key only). With ``auto``, asking
    the server's version is the JSON-2 gateway's first call; an older server costs that one
    request more before JSON-RPC's. Each transport's client library (odoorpc, httpx) is
    imported when it is used.
    """
    from odooconf.odoo.rpc import RpcGateway  # noqa: PLC0415

    if transport == "jsonrpc":
        return RpcGateway(url, database, login, secret, timeout, company)
    from odooconf.odoo import json2  # noqa: PLC0415

    if transport == "json2":
        return json2.Json2Gateway(url, database, login, secret, timeout, company)
    version = json2.probe_version(url, timeout)
    if version is None:
        return RpcGateway(url, database, login, secret, timeout, company)
    return json2.Json2Gateway(url, database, login, secret, timeout, company, version=version)

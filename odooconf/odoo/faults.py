"""What odooconf says when Odoo or the network fails, whatever the transport.

Each transport turns what it received into a :class:`Fault` (the error class Odoo named and its
message) or an exception of the network layer; this module is the one place that words them, so
a wrong password over JSON-RPC and a wrong API key over JSON-2 read the same.
"""

from __future__ import annotations

import json
import re
import socket
import ssl
import urllib.error
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from odooconf.errors import RemoteError, UserError

#: Odoo error classes that mean "you may not", not "this is broken".
ACCESS_ERRORS = frozenset({"odoo.exceptions.AccessError", "odoo.exceptions.AccessDenied"})
ACCESS_DENIED = "odoo.exceptions.AccessDenied"
#: The model is unknown: JSON-RPC's ``call_kw`` (16-19) and JSON-2's controller (19) wordings.
_MISSING_MODEL = (
    re.compile(r"Object (\S+) doesn't exist"),
    re.compile(r"the model '([^']+)' does not exist"),
)
#: The method is unknown (``get_public_method``), the same text on both transports.
_MISSING_METHOD = re.compile(r"The method '([^']+)' does not exist")

TIMED_OUT = "timed out"
CONNECTION_REFUSED = "connection refused (is the server running and the port right?)"
NOT_ODOO = "the answer is not Odoo's JSON (is this an Odoo server?)"


@dataclass(frozen=True)
class Fault:
    """An error object Odoo answered: ``error.data`` over JSON-RPC, the body over JSON-2."""

    #: Dotted class of the server-side exception (``odoo.exceptions.ValidationError``).
    name: str
    message: str

    @property
    def short(self) -> str:
        return self.name.rsplit(".", 1)[-1] or "error"


def url_problem(url: str) -> str:
    """What is wrong with an environment's ``odoo.url`` ("" when nothing): odooconf talks to
    the server's root, and the password is never in the URL (nor echoed, when it is)."""
    if "@" in url.partition("?")[0].partition("#")[0]:
        return "the Odoo URL must not contain credentials; use password_env"
    shape = f"Odoo URL {url!r} must look like http(s)://host[:port]"
    try:
        parts = urlsplit(url)
        port = parts.port  # raises for a port that is not a number from 0 to 65535
    except ValueError as exc:  # an unclosed IPv6 address, a port out of range
        return f"{shape} ({exc})"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return shape
    if port == 0:
        return f"{shape} (port 0)"
    if parts.path not in ("", "/"):
        return f"Odoo URL {url!r} must not have a path (odooconf talks to the server's root)"
    return ""


def parse_url(url: str) -> SplitResult:
    """Check an environment's ``odoo.url`` (``url_problem``) and split it."""
    problem = url_problem(url)
    if problem:
        raise UserError(problem)
    return urlsplit(url)


# --- connecting ----------------------------------------------------------------------------------


def unreachable(url: str, reason: str) -> UserError:
    return UserError(f"cannot reach Odoo at {url}: {reason}")


def unknown_database(url: str, database: str) -> UserError:
    return UserError(f"database {database!r} does not exist on the Odoo server at {url}")


#: Why JSON-2 may refuse a secret that JSON-RPC accepts: Odoo 19's default transport.
JSON2_LOGIN = (
    "; this server speaks JSON-2, which takes an API key, never a password: put an API key "
    "of the login (Preferences › Account Security › New API Key) in that variable, or set "
    "odoo.transport: jsonrpc, which accepts the password"
)


def login_refused(url: str, database: str, login: str, json2: bool = False) -> UserError:
    return UserError(
        f"login as {login!r} on database {database!r} at {url} was refused: wrong login or "
        "password/API key (check the variable named by password_env)"
        + (JSON2_LOGIN if json2 else "")
    )


def is_unknown_database(fault: Fault) -> bool:
    return "does not exist" in fault.message and (
        "database" in fault.message or "psycopg2" in fault.name
    )


def login_error(
    fault: Fault, url: str, database: str, login: str, json2: bool = False
) -> UserError:
    """What a failed login (or the first call of the login's session) means."""
    if is_unknown_database(fault):
        return unknown_database(url, database)
    if fault.name in ACCESS_ERRORS or "Wrong login" in fault.message or not fault.name:
        return login_refused(url, database, login, json2)
    return UserError(f"login on {url} failed: {fault.message} ({fault.name})")


def key_of_another_user(url: str, database: str, login: str, owner: str) -> UserError:
    """An API key identifies its user by itself: it must be the environment's login's."""
    return UserError(
        f"the API key for {login!r} on database {database!r} at {url} belongs to {owner!r}: "
        f"give {login!r}'s key, or set odoo.login to {owner!r}"
    )


def no_json2(url: str, reason: str) -> UserError:
    return UserError(
        f"Odoo at {url} has no JSON-2 API ({reason}): it needs Odoo 19 or later; "
        "set odoo.transport to jsonrpc (or auto) for this server"
    )


# --- calls ---------------------------------------------------------------------------------------


def call_error(fault: Fault, model: str, method: str, login: str) -> RemoteError:
    """Odoo refused ``model.method``: access, a constraint, a missing model, method or field."""
    where = f"{model}.{method}"
    if any(pattern.fullmatch(fault.message.strip()) for pattern in _MISSING_MODEL):
        text = (
            f"Odoo refused {where}: model {model!r} does not exist on this instance "
            "(is the module providing it installed?)"
        )
    elif _MISSING_METHOD.fullmatch(fault.message.strip()):
        text = f"Odoo refused {where}: the method {where} does not exist on this instance"
    elif fault.name in ACCESS_ERRORS:
        text = f"Odoo denied {login!r} access for {where}: {fault.message}"
    else:
        text = f"Odoo refused {where} ({fault.short}): {fault.message}"
    return RemoteError(" ".join(text.split()), model=model, method=method, odoo_error=fault.name)


def lost_contact(url: str, model: str, method: str, reason: str) -> RemoteError:
    return RemoteError(
        f"lost contact with Odoo at {url} during {model}.{method}: {reason}",
        model=model,
        method=method,
    )


# --- the network ---------------------------------------------------------------------------------


def http_reason(status: int, phrase: str) -> str:
    """An HTTP status that no Odoo API answers with such a body."""
    return f"HTTP {status} {phrase} (is this an Odoo server?)".replace("  ", " ")


#: What odoorpc raises reading JSON that is not a JSON-RPC answer (no ``result``, a result of
#: the wrong shape): the server is not an Odoo, whatever it is.
MALFORMED = (TypeError, AttributeError, KeyError)


def network_reason(exc: BaseException) -> str:
    """Why a request got no usable answer, from the exception the HTTP layer raised."""
    if isinstance(exc, urllib.error.HTTPError):
        return http_reason(exc.code, str(exc.reason))
    if isinstance(exc, urllib.error.URLError):
        return (
            network_reason(exc.reason) if isinstance(exc.reason, BaseException) else str(exc.reason)
        )
    if isinstance(exc, socket.timeout | TimeoutError):
        return TIMED_OUT
    if isinstance(exc, ssl.SSLError):
        return f"TLS error: {exc.reason or exc}"
    if isinstance(exc, ConnectionRefusedError):
        return CONNECTION_REFUSED
    if isinstance(exc, (json.JSONDecodeError, ValueError, *MALFORMED)):
        return NOT_ODOO
    return str(exc) or type(exc).__name__

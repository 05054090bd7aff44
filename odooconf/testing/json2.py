"""Odoo 19's JSON-2 API for the emulator: ``POST /json/2/<model>/<method>``.

What a real 19.0 answers, request by request (``odoo-reference/19/api.md``; where it is silent,
Odoo 19's ``addons/rpc/controllers/json2.py``, ``odoo/http.py`` ``Json2Dispatcher`` and
``ir_http._auth_method_bearer``), in the order Odoo checks:

1. ``X-Odoo-Database`` naming another database: 404, Odoo's HTML page for "no database";
2. a body that is not ``application/json``: 415, werkzeug's HTML page;
3. the bearer API key (the rpc route only): 401 with ``WWW-Authenticate: Bearer``;
4. the body: 400 when it is not JSON;
5. any other path or verb under ``/json/2``: 404 "Did you mean POST /json/2/<model>/<method>?";
6. the model (404), the method (403 private, 404 unknown), ``ids`` given to a model method (422),
   the arguments bound to the method's signature (422);
7. the call, in its own transaction: the bare result with 200, or the error object with the
   exception's status (``UserError`` 422, ``AccessError`` 403, ``MissingError`` 404, other 500).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import errors
from .errors import OdooError
from .models import mail
from .orm import REQUIRED, Env, Signature
from .rpc import ORM_METHODS

if TYPE_CHECKING:
    from .emulator import Emulator

ADMIN_UID = 2

JSON = "application/json; charset=utf-8"
HTML = "text/html; charset=utf-8"
RPC_ROUTE = "/json/2/<__model__>/<__method__>"
CATCH_ALL_ROUTE = "/json/2"
#: Verbs of the catch-all route ``/json/2/<path:subpath>``.
VERBS = ("GET", "POST", "PUT", "DELETE", "PATCH")
_RPC_PATH = re.compile(r"/json/2/([^/]+)/([^/]+)")
_BEARER = re.compile(r"^bearer\s+(.+)$", re.IGNORECASE)

#: Odoo 19's own page when no database is selected (``odoo/http.py`` ``NOT_FOUND_NODB``).
NOT_FOUND_NODB = """\
<!DOCTYPE html>
<title>404 Not Found</title>
<h1>Not Found</h1>
<p>No database is selected and the requested URL was not found in the server-wide controllers.</p>
<p>Please verify the hostname, <a href=/web/login>login</a> and try again.</p>

<!-- Alternatively, use the X-Odoo-Database header. -->
"""
NO_KEY = "User not authenticated, use an API Key with a Bearer Authorization header."
INVALID_KEY = "Invalid apikey"
DID_YOU_MEAN = "Did you mean POST /json/2/<model>/<method>?"

#: HTTP status of Odoo exceptions (``http_status`` in Odoo 19's ``odoo/exceptions.py``).
STATUS = {
    errors.USER_ERROR: 422,
    errors.VALIDATION_ERROR: 422,
    errors.ACCESS_ERROR: 403,
    errors.ACCESS_DENIED: 403,
    errors.MISSING_ERROR: 404,
}
_WERKZEUG = {
    400: "BadRequest",
    401: "Unauthorized",
    404: "NotFound",
    415: "UnsupportedMediaType",
    422: "UnprocessableEntity",
}
_PHRASES = {
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    415: "Unsupported Media Type",
    422: "Unprocessable Entity",
}
#: Parameters Odoo 19 names differently from the emulator's (18) signatures.
_RENAMED = {("default_get", "fields_list"): "fields"}
#: ``search_read(..., **read_kwargs)`` passes them on to ``_read_format(fnames, load)``.
_READ_KWARGS = frozenset({"load"})


@dataclass(frozen=True)
class HttpAnswer:
    """An HTTP response of the emulated server."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


class _HttpError(Exception):
    def __init__(self, answer: HttpAnswer) -> None:
        super().__init__(answer.status)
        self.answer = answer


def _error_body(name: str, message: str, arguments: list[Any], last_line: str) -> bytes:
    body = {
        "name": name,
        "message": message,
        "arguments": arguments,
        "context": {},
        "debug": (
            "Traceback (most recent call last):\n"
            '  File "odooconf-emulator", line 1, in <module>\n'
            f"{last_line}\n"
        ),
    }
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def werkzeug_error(status: int, description: str, *headers: tuple[str, str]) -> HttpAnswer:
    """A werkzeug HTTP exception as the JSON-2 dispatcher serializes it."""
    name = f"werkzeug.exceptions.{_WERKZEUG[status]}"
    last = f"{name}: {status} {_PHRASES[status]}: {description}"
    body = _error_body(name, description, [description, status], last)
    return HttpAnswer(status, JSON, body, headers)


def odoo_error(error: OdooError) -> HttpAnswer:
    """An exception raised by the called method: Odoo's own carry their HTTP status."""
    status = STATUS.get(error.name, 500)
    last = f"{error.short_class}: {error.message}"
    return HttpAnswer(status, JSON, _error_body(error.name, error.message, [error.message], last))


def _escape(text: str) -> str:
    """markupsafe's escaping, as werkzeug's pages use it."""
    for char, entity in (
        ("&", "&amp;"),
        ("<", "&lt;"),
        (">", "&gt;"),
        ("'", "&#39;"),
        ('"', "&#34;"),
    ):
        text = text.replace(char, entity)
    return text


def _html(status: int, description: str) -> bytes:
    """werkzeug's HTML page of an HTTP exception."""
    text = _escape(description).replace("\n", "<br>")
    return (
        f"<!doctype html>\n<html lang=en>\n<title>{status} {_PHRASES[status]}</title>\n"
        f"<h1>{_PHRASES[status]}</h1>\n<p>{text}</p>\n"
    ).encode()


def _unsupported_media(mimetype: str, route: str) -> HttpAnswer:
    compatible = ["http"] + (["jsonrpc"] if mimetype == "application/json-rpc" else [])
    description = (
        f"Request inferred type is compatible with {compatible!r} but {route!r} is "
        "type='json2'.\n\nPlease verify the Content-Type request header and try again."
    )
    return HttpAnswer(415, HTML, _html(415, description), (("Accept", "application/json"),))


def answer(
    emulator: Emulator, verb: str, path: str, headers: Mapping[str, str], body: bytes
) -> HttpAnswer:
    """Answer one HTTP request under ``/json/2``; ``headers`` by lower-case name."""
    try:
        return _answer(emulator, verb, path.split("?", 1)[0], headers, body)
    except _HttpError as exc:
        return exc.answer


def _answer(
    emulator: Emulator, verb: str, path: str, headers: Mapping[str, str], body: bytes
) -> HttpAnswer:
    database = headers.get("x-odoo-database")
    if database is not None and database != emulator.database:
        return HttpAnswer(404, HTML, NOT_FOUND_NODB.encode())
    match = _RPC_PATH.fullmatch(path)
    rpc = match is not None and verb == "POST"
    mimetype = (headers.get("content-type") or "").split(";", 1)[0].strip().lower()
    if body and mimetype != "application/json":
        return _unsupported_media(mimetype, RPC_ROUTE if rpc else CATCH_ALL_ROUTE)
    if not rpc or match is None:
        emulator.log_json2(None, None, {})
        _parse(body)
        return werkzeug_error(404, DID_YOU_MEAN)
    model, method = match.group(1), match.group(2)
    emulator.log_json2(model, method, _loggable(body))
    uid = _bearer_uid(emulator, headers.get("authorization"))
    data = _parse(body)
    params = dict(data) if isinstance(data, dict) else {}
    for name in ("__model__", "__method__"):
        params.pop(name, None)
    return _call(emulator, uid, model, method, params)


def _loggable(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body.decode("utf-8", "replace")) if body else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _bearer_uid(emulator: Emulator, authorization: str | None) -> int:
    match = _BEARER.match(authorization or "")
    challenge = ("WWW-Authenticate", "Bearer ")
    if match is None:
        raise _HttpError(werkzeug_error(401, NO_KEY, challenge))
    uid = emulator.api_key_uid(match.group(1))
    if uid is None:
        raise _HttpError(werkzeug_error(401, INVALID_KEY, challenge))
    return uid


def _parse(body: bytes) -> Any:
    if not body:
        return None
    try:
        return json.loads(body.decode("utf-8", "replace"))
    except ValueError as exc:
        description = f"could not parse the body as json: {exc.args[0]}"
        raise _HttpError(werkzeug_error(400, description)) from None


def _call(
    emulator: Emulator, uid: int, model: str, method: str, params: dict[str, Any]
) -> HttpAnswer:
    ids = params.pop("ids", None) or []
    context = params.pop("context", None) or {}
    if model not in emulator.db.schemas:
        return werkzeug_error(404, f"the model {model!r} does not exist")
    if method.startswith("_"):
        message = f"Private methods (such as '{model}.{method}') cannot be called remotely."
        return odoo_error(OdooError(errors.ACCESS_ERROR, message))
    signature = _signature(emulator, model, method)
    if signature is None:
        return werkzeug_error(404, f"The method '{model}.{method}' does not exist")
    if not signature.records and ids:
        return werkzeug_error(422, f"cannot call {model}.{method} with ids")
    kwargs, refused = _bind(method, signature, params)
    args: list[Any] = [ids] if signature.records else []
    try:
        result = emulator._object_call(uid, model, method, args, {**kwargs, "context": context})
        if refused:  # search_read searched, then _read_format() refuses the keyword
            message = f"BaseModel._read_format() got an unexpected keyword argument {refused[0]!r}"
            raise OdooError(errors.TYPE_ERROR, message)
    except OdooError as error:
        return odoo_error(error)
    if method == "create" and isinstance(result, int):
        result = [result]  # a recordset comes back as its ids
    return HttpAnswer(200, JSON, json.dumps(result, ensure_ascii=False, default=str).encode())


def _signature(emulator: Emulator, model: str, method: str) -> Signature | None:
    instance = Env(emulator.db, ADMIN_UID)[model]
    if method == "message_post" and mail.is_thread(instance):
        return mail.MESSAGE_POST
    return ORM_METHODS.get(method) or type(instance).public_methods.get(method)


def _bind(
    method: str, signature: Signature, params: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Bind named arguments as ``inspect.Signature.bind`` does in Odoo 19's controller (a
    mismatch is a 422): the arguments under the emulator's parameter names, and the keyword
    arguments ``search_read`` accepts but ``_read_format`` will refuse."""
    names: dict[str, str] = {}
    for emulated, default in signature.params:
        name = _RENAMED.get((method, emulated), emulated)
        names[name] = emulated
        if default is REQUIRED and name not in params:
            raise _HttpError(werkzeug_error(422, f"missing a required argument: {name!r}"))
    unexpected = [name for name in params if name not in names]
    if method == "search_read":  # **read_kwargs
        return {names[n]: v for n, v in params.items() if n in names}, [
            n for n in unexpected if n not in _READ_KWARGS
        ]
    if unexpected:
        description = f"got an unexpected keyword argument {unexpected[0]!r}"
        raise _HttpError(werkzeug_error(422, description))
    return {names[name]: value for name, value in params.items()}, []

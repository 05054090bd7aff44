"""The emulator object: one database, its users, the call log and the JSON-RPC services."""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import errors, models, seed
from . import json2 as json2_api
from .database import Database
from .errors import OdooError
from .models import tier
from .orm import Env
from .rpc import call_kw
from .store import Store

ADMIN_UID = 2
_STATE_FORMAT = "odooconf-emulator-state"

models.load()


@dataclass(frozen=True)
class RpcCall:
    """One request received over HTTP, as the test suite inspects it."""

    service: str
    method: str
    model: str | None
    model_method: str | None
    args: Any
    kwargs: Any


class EmulatorCrash(Exception):
    """The emulator's own code failed. Never shaped like an Odoo error: over HTTP it is a
    ``500`` whose plain-text body starts with ``odooconf.testing.EmulatorCrash``; it is also
    recorded in :attr:`Emulator.crashes`."""

    #: What the HTTP body starts with.
    NAME = "odooconf.testing.EmulatorCrash"


@dataclass
class _Injected:
    model: str
    method: str
    name: str
    message: str


class Emulator:
    """An in-memory stand-in for an Odoo server's external API (it is not Odoo).

    ``version`` chooses the Odoo version presented: its fields, the records of a fresh database
    and the behaviour recorded for it (``"18.0"`` by default; ``"16.0"``, ``"17.0"``,
    ``"19.0"``; see ``odooconf.testing.seed``).
    """

    def __init__(
        self,
        database: str = "demo",
        login: str = "admin",
        password: str = "admin",
        *,
        store: Store | None = None,
        instance: str | None = None,
        version: str = seed.DEFAULT_VERSION,
        json2: bool | None = None,
        api_key: str | None = None,
        modules: tuple[str, ...] = (),
    ) -> None:
        self.db = Database(database, store, version)
        # Optional modules installed on top of the seed (OCA tier validation: models/tier.py).
        for module in modules:
            tier.install(self.db, module)
        #: Optional modules installed (kept by :meth:`dump` and :meth:`load`).
        self.modules = tuple(modules)
        #: Identifies this emulator among whatever may listen on a port (``GET /odooconf/emulator``
        #: answers it): a client that started it can check it talks to it and not to another one.
        self.instance = instance or secrets.token_hex(16)
        self.calls: list[RpcCall] = []
        #: Crashes of the emulator's own code (a bug in the emulator, never an Odoo error): one
        #: entry per failed request, the call then the Python traceback. Tests should end with
        #: ``assert not emulator.crashes``.
        self.crashes: list[str] = []
        self.state_path: Path | None = None
        self._injected: list[_Injected] = []
        #: Seconds each HTTP request waits before it is handled (a distant or loaded server):
        #: tests of concurrent clients use it to keep their runs overlapping.
        self.latency = 0.0
        with self.db.transaction():
            self.db.store.update("res.users", ADMIN_UID, {"login": login})
        self.db.passwords[ADMIN_UID] = password
        #: Whether the JSON-2 API (``/json/2/<model>/<method>``, ``GET /web/version``) is served:
        #: by default as the version presented does (Odoo 19 and later).
        self.serves_json2 = self.db.major >= 19 if json2 is None else json2
        #: API keys (``res.users.apikeys``) by key: the user they authenticate.
        self._api_keys: dict[str, int] = {}
        if api_key is not None:
            self._api_keys[api_key] = ADMIN_UID

    @property
    def database(self) -> str:
        return self.db.name

    @property
    def version(self) -> str:
        """The Odoo version presented (``server_serie``), e.g. ``"18.0"``."""
        return self.db.version

    # ------------------------------------------------------------------ test helpers
    def add_user(self, login: str, password: str, readonly: bool = False, name: str = "") -> int:
        """Create an internal user; a ``readonly`` one gets AccessError on every change."""
        group_user = Env(self.db, ADMIN_UID).ref("base.group_user")
        uid = int(
            self.execute(
                "res.users",
                "create",
                {
                    "login": login,
                    "name": name or login,
                    self._groups_field: [(6, 0, [group_user])],
                },
            )
        )
        self.db.passwords[uid] = password
        if readonly:
            self.db.readonly_uids.add(uid)
        return uid

    @property
    def _groups_field(self) -> str:
        """A user's groups: ``groups_id`` up to 18, ``group_ids`` from 19."""
        return "groups_id" if "groups_id" in self.db.schemas["res.users"].fields else "group_ids"

    def add_api_key(self, uid: int = ADMIN_UID) -> str:
        """Mint an API key of user ``uid`` (40 hexadecimal characters, as Odoo's), valid for
        JSON-2's bearer authentication and in place of the password over JSON-RPC."""
        key = secrets.token_hex(20)
        self._api_keys[key] = uid
        return key

    def api_key_uid(self, key: str) -> int | None:
        """The active user an API key authenticates, if any."""
        uid = self._api_keys.get(key)
        if uid is None:
            return None
        with self.db.lock:
            row = self.db.store.get("res.users", uid)
        return uid if row is not None and row.get("active") else None

    def reset_calls(self) -> None:
        self.calls.clear()

    def drop_field(self, model: str, field: str) -> None:
        """Remove a field, to emulate a server version without it (e.g. 19 has no
        ``stock.rule.group_propagation_option``): fields_get omits it, using it is an error.
        A field the version presented already lacks stays absent."""
        with self.db.lock:
            self.db.schemas[model].fields.pop(field, None)
            for row in self.db.store.table(model).values():
                row.pop(field, None)
            self.db.store.invalidate(model)

    def drop_model(self, model: str) -> None:
        """Remove a model, to emulate an instance without the module providing it: it leaves
        ``ir.model`` and any call on it fails as on Odoo (``Object x doesn't exist``)."""
        with self.db.lock:
            del self.db.schemas[model]
            self.db.store.tables.pop(model, None)
            self.db.store.invalidate(model)
            models = self.db.store.table("ir.model")
            for rid in [rid for rid, row in models.items() if row.get("model") == model]:
                del models[rid]
            self.db.store.invalidate("ir.model")

    def fail_next(
        self,
        model: str,
        method: str,
        name: str = errors.USER_ERROR,
        message: str = "Injected failure",
    ) -> None:
        """Make the next RPC call of ``model.method`` fail with the given Odoo error."""
        self._injected.append(_Injected(model, method, name, message))

    def execute(self, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        """Call a model method as admin, in-process and without logging it in :attr:`calls`."""
        return self._object_call(ADMIN_UID, model, method, list(args), kwargs, inject=False)

    # ------------------------------------------------------------------ persistence
    def dump(self, path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
        """The whole store as JSON data; also written to ``path`` when given."""
        with self.db.lock:
            data = {
                "format": _STATE_FORMAT,
                "database": self.db.name,
                "version": self.db.version,
                "modules": list(self.modules),
                "store": self.db.store.to_json(),
            }
            if path is not None:
                _write_atomically(Path(path), data)
        return data

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str],
        login: str = "admin",
        password: str = "admin",
        *,
        instance: str | None = None,
    ) -> Emulator:
        """An emulator whose store is read from a file written by :meth:`dump`."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != _STATE_FORMAT:
            raise ValueError(f"{path}: not an odooconf emulator state file")
        store = Store.from_json(data["store"])
        version = data.get("version", seed.DEFAULT_VERSION)
        modules = tuple(str(module) for module in data.get("modules", ()))
        return cls(
            data["database"], login, password, store=store, instance=instance, version=version,
            modules=modules,
        )  # fmt: skip

    def instance_info(self) -> dict[str, Any]:
        """Answer ``GET /odooconf/emulator`` (no Odoo has it): which emulator process this is."""
        return {
            "emulator": "odooconf.testing",
            "instance": self.instance,
            "pid": os.getpid(),
            "database": self.db.name,
        }

    # ------------------------------------------------------------------ JSON-2 (Odoo 19)
    def web_version(self) -> dict[str, Any]:
        """Answer ``GET /web/version`` (and ``/json/version``), served next to JSON-2."""
        self.calls.append(RpcCall("web", "version", None, None, [], {}))
        info = seed.version_info(self.db.version)
        return {"version_info": info["server_version_info"], "version": info["server_version"]}

    def json2(
        self, verb: str, path: str, headers: Mapping[str, str], body: bytes
    ) -> json2_api.HttpAnswer:
        """Answer an HTTP request under ``/json/2`` (headers by lower-case name; see
        :mod:`odooconf.testing.json2`)."""
        try:
            return json2_api.answer(self, verb, path, headers, body)
        except Exception as exc:
            raise self.record_crash(exc) from exc

    def log_json2(self, model: str | None, method: str | None, body: dict[str, Any]) -> None:
        """Record a JSON-2 request: a call of ``model.method`` is an ``object`` call (method
        ``json2``) whose ``args`` are the ``ids`` and ``kwargs`` the rest of the body."""
        if model is None:
            self.calls.append(RpcCall("json2", "not_found", None, None, [], {}))
            return
        kwargs = {key: value for key, value in body.items() if key != "ids"}
        self.calls.append(RpcCall("object", "json2", model, method, body.get("ids", []), kwargs))

    # ------------------------------------------------------------------ JSON-RPC services
    def version_info(self, request: Any = None) -> dict[str, Any]:
        """Answer ``POST /web/webclient/version_info``."""
        self.calls.append(RpcCall("web", "version_info", None, None, [], {}))
        return _response(request, result=dict(seed.version_info(self.db.version)))

    def jsonrpc(self, request: Any) -> dict[str, Any]:
        """Answer a ``POST /jsonrpc`` body (already decoded from JSON)."""
        try:
            params = request.get("params") if isinstance(request, dict) else None
            if not isinstance(params, dict):
                raise errors.OdooError(errors.KEY_ERROR, "'params'")
            service, method, args = params.get("service"), params.get("method"), params.get("args")
            if not isinstance(args, list):
                args = []
            self._log(str(service), str(method), args)
            result = self._dispatch(str(service), str(method), args)
        except OdooError as error:
            return _response(request, error=error, code=self.error_code)
        except Exception as exc:
            raise self.record_crash(exc) from exc
        return _response(request, result=result)

    @property
    def error_code(self) -> int:
        """``error.code`` of a JSON-RPC error: 200 up to 18, 0 on 19 (19/side_effects.md,
        difference 1; MODELS.md 8.3 for 16 and 17)."""
        return 0 if self.db.major >= 19 else 200

    def record_crash(self, exc: BaseException) -> EmulatorCrash:
        """Record an exception of the emulator's own code; the server answers HTTP 500."""
        call = self.calls[-1] if self.calls else None
        where = (
            f"{call.model}.{call.model_method}"
            if call is not None and call.model is not None
            else f"{call.service}.{call.method}"
            if call is not None
            else "request"
        )
        report = (
            f"{where} crashed the emulator (a bug in odooconf.testing, not an Odoo error):\n"
            + "".join(traceback.format_exception(exc))
        )
        self.crashes.append(report)
        return EmulatorCrash(report)

    def _log(self, service: str, method: str, args: list[Any]) -> None:
        if service == "object" and method in ("execute", "execute_kw") and len(args) >= 5:
            model_args: Any = (
                args[5:] if method == "execute" else (args[5] if len(args) > 5 else [])
            )
            kwargs: Any = args[6] if method == "execute_kw" and len(args) > 6 else {}
            self.calls.append(RpcCall(service, method, args[3], args[4], model_args, kwargs))
        else:
            self.calls.append(RpcCall(service, method, None, None, args, {}))

    def _dispatch(self, service: str, method: str, args: list[Any]) -> Any:
        if service == "common":
            return self._common(method, args)
        if service == "object" and method in ("execute", "execute_kw"):
            if len(args) < 5:
                raise errors.OdooError(errors.TYPE_ERROR, f"{method}() missing arguments")
            db, uid, password, model, model_method = args[:5]
            self._check_database(db)
            uid = self._authenticated_uid(uid, password)
            if method == "execute":
                call_args: Any = list(args[5:])
                call_kwargs: Any = {}
            else:
                call_args = args[5] if len(args) > 5 else []
                call_kwargs = args[6] if len(args) > 6 else {}
                if not isinstance(call_args, list) or not isinstance(call_kwargs, dict):
                    raise errors.OdooError(errors.TYPE_ERROR, "execute_kw: invalid arguments")
            return self._object_call(uid, str(model), str(model_method), call_args, call_kwargs)
        if service == "db" and method == "list":
            return [self.db.name]
        if service == "db" and method == "server_version":
            return seed.version_info(self.db.version)["server_version"]
        if service == "object":
            raise errors.OdooError(errors.NAME_ERROR, f"Method not available {method}")
        raise errors.OdooError(errors.KEY_ERROR, repr(f"exp_{method}"))

    def _common(self, method: str, args: list[Any]) -> Any:
        if method == "version":
            return dict(seed.version_info(self.db.version))
        if method in ("login", "authenticate"):
            if len(args) < 3:
                raise errors.OdooError(errors.TYPE_ERROR, f"{method}() missing arguments")
            db, login, password = args[:3]
            self._check_database(db)
            with self.db.lock:
                for rid, row in self.db.store.table("res.users").items():
                    if row.get("login") == login and row.get("active"):
                        if self.db.passwords.get(rid) == password:
                            return rid
                        if self.api_key_uid(str(password)) == rid:  # in place of the password
                            return rid
                        return False
            return False
        raise errors.OdooError(errors.KEY_ERROR, repr(f"exp_{method}"))

    def _check_database(self, db: Any) -> None:
        if db != self.db.name:
            raise errors.unknown_database(str(db))

    def _authenticated_uid(self, uid: Any, password: Any) -> int:
        if not isinstance(uid, int) or isinstance(uid, bool):
            raise errors.access_denied()
        with self.db.lock:
            row = self.db.store.get("res.users", uid)
            if row is None or not row.get("active"):
                raise errors.access_denied()
            if self.db.passwords.get(uid) != password and self.api_key_uid(str(password)) != uid:
                raise errors.access_denied()
        return uid

    def _object_call(
        self,
        uid: int,
        model: str,
        method: str,
        args: list[Any],
        kwargs: dict[str, Any],
        inject: bool = True,
    ) -> Any:
        with self.db.transaction():
            if inject:
                self._raise_injected(model, method)
            result = call_kw(Env(self.db, uid), model, method, args, kwargs)
            changed = bool(self.db.store.pending)
        if changed and self.state_path is not None:
            self.dump(self.state_path)
        return result

    def _raise_injected(self, model: str, method: str) -> None:
        for index, injected in enumerate(self._injected):
            if injected.model == model and injected.method == method:
                del self._injected[index]
                raise OdooError(injected.name, injected.message)


def _response(
    request: Any, result: Any = None, error: OdooError | None = None, code: int = 200
) -> dict[str, Any]:
    request_id = request.get("id") if isinstance(request, dict) else None
    if error is not None:
        return {"jsonrpc": "2.0", "id": request_id, "error": error.to_jsonrpc(code)}
    return {"jsonrpc": "2.0", "id": request_id, "result": result}


def _write_atomically(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, separators=(",", ":"))
    os.replace(tmp, path)

"""Snapshots: an instance's configuration in one JSON file, and a gateway that serves it.

A snapshot holds two things. ``configuration`` is the evidence an auditor reads and keeps: every
kind's records by natural key, references as natural keys or external ids, the Odoo version,
the field metadata used, a hash of ``database.uuid``, and when and by whom it was taken.
``tables`` is what lets validate, plan and drift run against the snapshot offline: the rows the
read stage and the plan's checks ask for, each record named by an external id or by its place
in its table (never a database id), references written as those names. ``SnapshotGateway``
gives the rows synthetic ids again and answers the same calls a server would, making none.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from odooconf import __version__
from odooconf.drift.normal import Configuration, Record, read_configuration
from odooconf.errors import UserError
from odooconf.kinds import KINDS, LOOKUPS
from odooconf.odoo.gateway import Gateway, ServerInfo

FORMAT = "odooconf-snapshot"
VERSION = 1
#: Rows other stages of a plan read besides the kinds and lookups (the access review, the
#: checks before apply, the approval backends), by model: the fields they ask for.
AUXILIARY: dict[str, tuple[str, ...]] = {
    "res.users": ("login", "name", "active", "share", "company_id", "groups_id", "group_ids",
                  "all_group_ids"),
    "res.groups": ("name", "full_name", "category_id", "privilege_id", "implied_ids", "users",
                   "all_user_ids", "comment"),
    "ir.model.access": ("group_id", "model_id", "active", "perm_read", "perm_write",
                        "perm_create", "perm_unlink"),
    "ir.model": ("model", "name"),
    "res.company": ("name", "currency_id"),
    "res.currency": ("name",),
}  # fmt: skip
#: Models whose relational values are not ids of the table they name.
_XMLID_MODEL = "ir.model.data"
_MODULES = "ir.module.module"
_RELATIONAL = ("many2one", "many2many", "one2many")


def take_snapshot(gateway: Gateway, namespace: str, environment: str) -> dict[str, Any]:
    """The snapshot document of the instance behind ``gateway`` (reads only)."""
    config, live = read_configuration(gateway, namespace)
    server = gateway.server
    models = sorted({kind.model for kind in KINDS.values() if kind.model} | set(AUXILIARY))
    models += sorted({lookup.model for lookup in LOOKUPS.values()} - set(models))
    existing = gateway.existing_models([*models, _MODULES, "ir.config_parameter"])
    wanted: dict[str, set[str]] = {}
    for kind in KINDS.values():
        if kind.model in live.fields:
            fields = {*kind.key_fields, *(a.odoo for a in kind.attrs), "active"}
            wanted.setdefault(kind.model, set()).update(
                fields | {a.also for a in kind.attrs if a.also}
            )
    for lookup in LOOKUPS.values():
        wanted.setdefault(lookup.model, set()).update(lookup.key_fields)
    for model, extra in AUXILIARY.items():
        wanted.setdefault(model, set()).update(extra)
    tables: dict[str, tuple[dict[str, Any], list[dict[str, Any]]]] = {}
    for model in sorted(wanted):
        if model not in existing:
            continue
        info = gateway.fields(model)
        names = sorted(field for field in wanted[model] if field in info and field != "id")
        rows = gateway.search_read(model, [], names)
        tables[model] = ({name: dict(info[name]) for name in names}, rows)
    if _MODULES in existing:
        info = gateway.fields(_MODULES)
        rows = gateway.search_read(_MODULES, [("state", "=", "installed")], ["name", "state"])
        tables[_MODULES] = ({f: dict(info[f]) for f in ("name", "state") if f in info}, rows)
    domain: list[Any] = [("model", "in", sorted(tables))]
    xmlid_fields = ["module", "name", "model", "res_id", "noupdate"]
    xmlid_rows = gateway.search_read(_XMLID_MODEL, domain, xmlid_fields)
    defaults = {}
    for kind in KINDS.values():
        names = [a.odoo for a in kind.attrs if a.name in kind.defaults_for]
        names = [name for name in names if name in live.fields.get(kind.model, {})]
        if names:
            defaults[kind.model] = gateway.default_get(kind.model, names)
    handles = _handles(tables, xmlid_rows, namespace)
    return {
        "format": FORMAT,
        "version": VERSION,
        "tool_version": __version__,
        "taken": {
            "at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
            "by": server.login,
            "environment": environment,
        },
        "odoo": {
            "version": server.version,
            "release": list(server.release),
            "database_uuid_sha256": _uuid_hash(gateway, existing),
        },
        "namespace": namespace,
        "configuration": {
            kind: {identity: record.as_json() for identity, record in records.items()}
            for kind, records in config.kinds.items()
        },
        "fields": config.fields,
        "tables": {
            model: {
                "fields": info,
                "rows": [_encode(model, row, info, handles) for row in _by_id(rows)],
            }
            for model, (info, rows) in sorted(tables.items())
        },
        "xmlids": sorted(
            [
                row["module"],
                row["name"],
                row["model"],
                handles[row["model"]][row["res_id"]],
                row["noupdate"],
            ]
            for row in xmlid_rows
            if row["res_id"] in handles.get(row["model"], {})
        ),
        "defaults": {
            model: _encode(model, values, tables[model][0], handles)
            for model, values in sorted(defaults.items())
        },
        "login": handles.get("res.users", {}).get(server.uid),
    }


def _uuid_hash(gateway: Gateway, existing: set[str]) -> str | None:
    """SHA-256 of the database's ``database.uuid`` (which instance it was), never the value."""
    if "ir.config_parameter" not in existing:
        return None
    domain: list[Any] = [("key", "=", "database.uuid")]
    rows = gateway.search_read("ir.config_parameter", domain, ["value"])
    return hashlib.sha256(str(rows[0]["value"]).encode()).hexdigest() if rows else None


def _by_id(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows in id order (Odoo breaks ties by id: the order is kept, the ids are not)."""
    return sorted(rows, key=lambda row: int(row["id"]))


def _handles(
    tables: Mapping[str, tuple[Any, list[dict[str, Any]]]],
    xmlid_rows: list[dict[str, Any]],
    namespace: str,
) -> dict[str, dict[int, str]]:
    """A name for every row: its external id (odooconf's first, then the first by name), or
    ``model#n``, its place in its table."""
    named: dict[tuple[str, int], str] = {}
    for row in sorted(xmlid_rows, key=lambda r: (r["module"] != namespace, r["module"], r["name"])):
        named.setdefault((row["model"], row["res_id"]), f"{row['module']}.{row['name']}")
    out: dict[str, dict[int, str]] = {}
    for model, (_info, rows) in tables.items():
        out[model] = {
            int(row["id"]): named.get((model, int(row["id"])), f"{model}#{place}")
            for place, row in enumerate(_by_id(rows), start=1)
        }
    return out


def _encode(
    model: str, row: Mapping[str, Any], info: Mapping[str, Any], handles: Mapping[str, Any]
) -> dict[str, Any]:
    """A row with its id and its references replaced by names."""
    out: dict[str, Any] = {}
    if row.get("id"):
        out["@"] = handles[model].get(int(row["id"]))
    for name, value in row.items():
        meta = info.get(name)
        if name == "id" or meta is None:
            continue
        kind, relation = meta.get("type"), meta.get("relation")
        names = handles.get(relation, {})
        if kind not in _RELATIONAL or not value:
            out[name] = value
        elif kind == "many2one":
            rid = value[0] if isinstance(value, list) else int(value)
            label = value[1] if isinstance(value, list) and len(value) > 1 else None
            out[name] = [names.get(rid, f"{relation}#?"), label]
        else:
            out[name] = [names[rid] for rid in value if rid in names]
    return out


def write_snapshot(document: Mapping[str, Any], path: Path) -> None:
    """Write the document (sorted keys, one stable text for the same instance)."""
    text = json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False, default=str)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write snapshot {path}: {exc.strerror or exc}") from None


def load_snapshot(path: Path) -> dict[str, Any]:
    """Read and check a snapshot file; a located error when it is not one."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UserError(f"cannot read snapshot {path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"{path}: not a snapshot (invalid JSON: {exc})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise UserError(f'{path}: not an odooconf snapshot (no "format": "{FORMAT}")')
    if document.get("version") != VERSION:
        raise UserError(
            f"{path}: snapshot version {document.get('version')!r}; this odooconf reads version "
            f"{VERSION}: take the snapshot again"
        )
    return document


def configuration_of(document: Mapping[str, Any]) -> Configuration:
    """The configuration a snapshot records."""
    return Configuration(
        kinds={
            kind: {identity: Record.from_json(data) for identity, data in records.items()}
            for kind, records in document["configuration"].items()
        },
        fields=document.get("fields", {}),
    )


class SnapshotGateway:
    """A ``Gateway`` over a snapshot: it answers the reads of validate, plan and drift from the
    snapshot's tables, with synthetic ids, and refuses every write."""

    def __init__(self, document: Mapping[str, Any], path: Path) -> None:
        self.path = path
        self._fields: dict[str, dict[str, dict[str, Any]]] = {}
        self._rows: dict[str, list[dict[str, Any]]] = {}
        ids: dict[str, int] = {}
        tables = document["tables"]
        for table in tables.values():
            for place, row in enumerate(table["rows"], start=1):
                ids[row["@"]] = place
        self._ids = ids
        for model, table in tables.items():
            info = table["fields"]
            self._fields[model] = {"id": {"type": "integer"}, **info}
            self._rows[model] = [
                {"id": ids[row["@"]], **self._decode(row, info)} for row in table["rows"]
            ]
        self._fields.setdefault(_XMLID_MODEL, {})
        self._rows[_XMLID_MODEL] = [
            {"id": number, "module": module, "name": name, "model": model,
             "res_id": ids[handle], "noupdate": noupdate}
            for number, (module, name, model, handle, noupdate) in enumerate(document["xmlids"], 1)
        ]  # fmt: skip
        self._defaults = {
            model: {
                name: value[0] if isinstance(value, list) and value and
                tables[model]["fields"].get(name, {}).get("type") == "many2one" else value
                for name, value in self._decode(values, tables[model]["fields"]).items()
            }
            for model, values in document.get("defaults", {}).items()
        }  # fmt: skip
        odoo = document["odoo"]
        taken = document["taken"]
        self._server = ServerInfo(
            url=f"snapshot {path}",
            database=str(taken.get("environment", "")),
            login=str(taken.get("by", "")),
            version=str(odoo["version"]),
            release=(int(odoo["release"][0]), int(odoo["release"][1])),
            uid=ids.get(str(document.get("login")), 0),
            transport="snapshot",
        )

    def _decode(self, row: Mapping[str, Any], info: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in row.items():
            if name == "@":
                continue
            kind = info.get(name, {}).get("type")
            if kind not in _RELATIONAL or not value:
                out[name] = value
            elif kind == "many2one":
                rid = self._ids.get(value[0])
                out[name] = [rid, value[1]] if rid else False
            else:
                out[name] = [self._ids[handle] for handle in value if handle in self._ids]
        return out

    @property
    def server(self) -> ServerInfo:
        return self._server

    @property
    def call_count(self) -> int:
        return 0

    def existing_models(self, models: Sequence[str]) -> set[str]:
        return {model for model in models if model in self._rows}

    def fields(self, model: str) -> Mapping[str, Mapping[str, Any]]:
        if model not in self._fields:
            raise self._absent(model)
        return self._fields[model]

    def search_read(
        self, model: str, domain: list[Any], fields: Sequence[str]
    ) -> list[dict[str, Any]]:
        if model not in self._rows:
            raise self._absent(model)
        wanted = ["id", *fields]
        return [
            {name: row.get(name, False) for name in wanted}
            for row in self._rows[model]
            if matches(row, domain)
        ]

    def default_get(self, model: str, fields: Sequence[str]) -> dict[str, Any]:
        defaults = self._defaults.get(model, {})
        return {name: defaults[name] for name in fields if name in defaults}

    def create(self, model: str, values: list[dict[str, Any]]) -> list[int]:
        raise self._read_only()

    def write(self, model: str, ids: list[int], values: dict[str, Any]) -> None:
        raise self._read_only()

    def unlink(self, model: str, ids: list[int]) -> None:
        raise self._read_only()

    def post_message(
        self, model: str, record_id: int, subject: str, html: str, attachments: list[list[str]]
    ) -> int:
        raise self._read_only()

    def contextual_price(self, product_id: int, context: Mapping[str, Any]) -> float:
        raise UserError(
            f"the snapshot {self.path} cannot compute prices (only Odoo can): run the price "
            "checks against the server"
        )

    def _absent(self, model: str) -> UserError:
        return UserError(
            f"the snapshot {self.path} holds no {model} records, which this command needs: "
            "run it against the server"
        )

    def _read_only(self) -> UserError:
        return UserError(f"{self.path} is a snapshot: nothing can be applied to it")


def matches(row: Mapping[str, Any], domain: Iterable[Any]) -> bool:
    """Whether a row satisfies a search domain (Odoo's prefix notation; the operators the
    engine uses: ``=``, ``!=``, ``in``, ``not in``)."""
    stack: list[bool] = []
    for term in reversed(list(domain)):
        if term == "!":
            stack.append(not stack.pop())
        elif term in ("&", "|"):
            first, second = stack.pop(), stack.pop()
            stack.append(first and second if term == "&" else first or second)
        else:
            stack.append(_term(row, *term))
    return all(stack)


def _term(row: Mapping[str, Any], name: str, operator: str, value: Any) -> bool:
    held = row.get(name, False)
    if isinstance(held, list) and len(held) == 2 and isinstance(held[1], str):
        held = held[0]  # a many2one: its id
    values = set(held) if isinstance(held, list) else {held}
    if operator == "=":
        return value in values if isinstance(held, list) else held == value
    if operator in ("!=", "<>"):
        return not (held == value or (value is False and held in (False, None, [])))
    if operator == "in":
        return bool(values & set(value))
    if operator == "not in":
        return not values & set(value)
    raise UserError(f"a snapshot cannot answer a search with operator {operator!r}")

"""One emulated database: the seeded store, the schemas and the transaction/lock discipline."""

from __future__ import annotations

import copy
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from . import seed
from .schema import ModelSchema, load_schemas
from .store import Row, Store

if TYPE_CHECKING:
    from .orm import Env


class Database:
    """Schemas and rows of one database, guarded by a lock; changes happen in transactions."""

    def __init__(
        self, name: str, store: Store | None = None, version: str = seed.DEFAULT_VERSION
    ) -> None:
        self.name = name
        #: The Odoo version presented (``server_serie``, e.g. ``"19.0"``) and its major number.
        self.version = seed.check_version(version)
        self.major = int(version.split(".", maxsplit=1)[0])
        descriptions = {
            r["model"]: r["name"]
            for r in seed.records(version)["ir.model"]["records"]
            if "model" in r
        }
        self.schemas: dict[str, ModelSchema] = load_schemas(descriptions, version)
        self.store = store if store is not None else self._seeded_store()
        self.property_defaults = self._property_defaults()
        self.lock = threading.RLock()
        #: Passwords by user id, and the users refused every mutating call.
        self.passwords: dict[int, str] = {}
        self.readonly_uids: set[int] = set()
        self.now = _timestamp()

    # ------------------------------------------------------------------ transactions
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run a block atomically: every change is undone if it raises."""
        with self.lock:
            self.now = _timestamp()
            self.store.begin()
            try:
                yield
            except BaseException:
                self.store.rollback()
                raise
            self.store.commit()

    # ------------------------------------------------------------------ lookups
    def xmlid_lookup(self, xmlid: str) -> tuple[str, int] | None:
        """``(model, res_id)`` of ``module.name``, or None."""
        module, _, name = xmlid.partition(".")
        table = self.store.table("ir.model.data")
        for rid in sorted(self.store.lookup("ir.model.data", "name", name)):
            row = table[rid]
            if row.get("module") == module and row.get("name") == name:
                return str(row["model"]), int(row["res_id"])
        return None

    def display_name(self, model: str, rid: int, env: Env) -> str:
        if model in self.schemas and rid in self.store.tables.get(model, {}):
            return env[model].display_name(rid)
        return self.store.foreign_names.get(model, {}).get(rid, f"{model},{rid}")

    # ------------------------------------------------------------------ seeding
    def _seeded_store(self) -> Store:
        store = Store()
        seeded = seed.records(self.version)
        for model, data in seeded.items():
            schema = self.schemas[model]
            for record in data["records"]:
                store.insert(model, self._seed_row(store, schema, record, seeded))
            for xml in data["xmlids"]:
                xid, module, name, res_id, noupdate = xml
                store.insert(
                    "ir.model.data",
                    {
                        "id": xid,
                        "module": module,
                        "name": name,
                        "model": model,
                        "res_id": res_id,
                        "noupdate": noupdate,
                    },
                )
        self._seed_mirrors(store)
        if "ir.config_parameter" in self.schemas:
            # Odoo gives every database its own (ir_config_parameter.py, _default_parameters).
            for key, value in (
                ("database.uuid", str(uuid.uuid1())),
                ("database.secret", str(uuid.uuid4())),
            ):
                rid = store.new_id("ir.config_parameter")
                store.insert("ir.config_parameter", {"id": rid, "key": key, "value": value})
        return store

    def _seed_row(
        self,
        store: Store,
        schema: ModelSchema,
        record: dict[str, Any],
        seeded: dict[str, dict[str, Any]],
    ) -> Row:
        row: Row = {"id": record["id"]}
        for fname, value in record.items():
            fld = schema.field(fname)
            if fld is None or fname == "display_name":
                continue
            if fld.type in ("one2many", "many2many") and (fld.inverse or not fld.store):
                continue
            stored = copy.deepcopy(value)
            if fld.type == "many2one" and isinstance(value, list):
                target, label = value
                relation = fld.relation or ""
                known = {r["id"] for r in seeded.get(relation, {}).get("records", [])}
                if target not in known:
                    store.foreign_names.setdefault(relation, {})[target] = label
                stored = target
            row[fname] = {"1": stored} if fld.company_dependent else stored
        return row

    def _seed_mirrors(self, store: Store) -> None:
        for schema in self.schemas.values():
            for fname, (other_model, other_field) in schema.mirrors.items():
                for rid, row in store.tables.get(schema.name, {}).items():
                    for target in row.get(fname) or []:
                        other = store.get(other_model, target)
                        if other is not None and rid not in (other.get(other_field) or []):
                            other[other_field] = [*(other.get(other_field) or []), rid]

    def _property_defaults(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Company-dependent fallbacks: a value all seeded records share is the company default."""
        result: dict[tuple[str, str], dict[str, Any]] = {}
        for model, data in seed.records(self.version).items():
            schema = self.schemas[model]
            for fld in schema.fields.values():
                values = [
                    r[fld.name] for r in data["records"] if fld.company_dependent and fld.name in r
                ]
                values = [v[0] if isinstance(v, list) and v else v for v in values]
                if values and all(v == values[0] for v in values):
                    result[(model, fld.name)] = {"1": values[0]}
        return result


def _timestamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")

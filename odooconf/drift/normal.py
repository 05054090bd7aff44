"""The normalised configuration of an instance: per kind, its records by natural key, their
values with references written as natural keys or external ids, and no database id.

It is made from a ``LiveState`` and the kinds' declarations only (``Kind.attrs``,
``Kind.live_key``, ``Kind.from_odoo``): two instances holding the same configuration give equal
configurations, whatever their ids, creation order or write dates.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from odooconf.engine.read import read_live_state, read_needs
from odooconf.kinds import KINDS, TARGETS, Kind
from odooconf.model.live import LiveState, search
from odooconf.odoo.gateway import Gateway

#: A reference whose record has neither a natural key nor an external id.
UNKNOWN = "?"


@dataclass(frozen=True)
class Record:
    """One live record of a kind, normalised."""

    key: str
    values: dict[str, Any]
    #: Name of odooconf's external id (without its namespace, which may differ per instance).
    xmlid: str | None = None
    #: An installed module's external id of the record (``stock.stock_location_stock``).
    owner: str | None = None
    #: Odoo generated it for another record (a warehouse's routes, locations, types).
    generated: bool = False

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key}
        out |= {"xmlid": self.xmlid} if self.xmlid else {}
        out |= {"owner": self.owner} if self.owner else {}
        out |= {"generated": True} if self.generated else {}
        return {**out, "values": self.values}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Record:
        return cls(
            key=str(data["key"]),
            values=dict(data.get("values") or {}),
            xmlid=data.get("xmlid"),
            owner=data.get("owner"),
            generated=bool(data.get("generated", False)),
        )


@dataclass
class Configuration:
    """Records per kind by identity (the natural key; ``key (2)`` for a second record with the
    same key), and the instance's field metadata the values were read with."""

    kinds: dict[str, dict[str, Record]] = field(default_factory=dict)
    #: ``fields_get`` attributes of the fields read, per model.
    fields: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)


def readable_kinds(names: Iterable[str] = ()) -> list[Kind]:
    """The kinds stored on a model of their own (not ``sod_policies`` or ``approvals``, which
    are checked or planned onto others), in registry order; only ``names`` when given."""
    wanted = set(names)
    return [
        kind
        for kind in KINDS.values()
        if kind.model and kind.attrs and (not wanted or kind.name in wanted)
    ]


def read_configuration(
    gateway: Gateway, namespace: str, kinds: Iterable[str] = ()
) -> tuple[Configuration, LiveState]:
    """Read every record of the kinds (all when none named) and normalise them."""
    names = tuple(kind.name for kind in readable_kinds(kinds))
    live = read_live_state(gateway, [], namespace, also=names)
    owners = module_xmlids(gateway, live, namespace)
    return normalise(live, names, owners), live


def module_xmlids(gateway: Gateway, live: LiveState, namespace: str) -> dict[tuple[str, int], str]:
    """External ids of installed modules on the records read (one call): the first by name
    when a record has several. They name records that have no natural key, and tell which
    records a module owns. Asked of the read stage, as every read of the instance."""
    models = sorted({live.models[target] for target in live.records})
    domain: list[Any] = [("model", "in", models), ("module", "!=", namespace)]
    query = search("ir.model.data", domain, ["module", "name", "model", "res_id"])
    read_needs(gateway, live, lambda _live: [query])
    rows = live.rows(query)
    owners: dict[tuple[str, int], str] = {}
    for row in sorted(rows, key=lambda r: (r["module"], r["name"])):
        owners.setdefault((row["model"], row["res_id"]), f"{row['module']}.{row['name']}")
    return owners


def normalise(
    live: LiveState, names: Iterable[str], owners: Mapping[tuple[str, int], str]
) -> Configuration:
    """The configuration of the kinds ``names`` in ``live``."""
    prefix = f"{live.namespace}."

    def keyer(target: str, record_id: int) -> str | None:
        key = live.key_of(target, record_id)
        if key is not None:
            return key
        owner = owners.get((TARGETS[target].model, record_id))
        return f"xmlid:{owner}" if owner else UNKNOWN

    config = Configuration()
    for name in names:
        kind = KINDS[name]
        if kind.model not in live.fields:
            continue
        info = live.fields[kind.model]
        types = {field: str(meta.get("type", "")) for field, meta in info.items()}
        generated = set(live.aliases.get(name, {}))
        attrs = _distinct(kind)
        found: list[Record] = []
        for record_id, row in live.records.get(name, {}).items():
            values = kind.from_odoo(row, keyer, types)
            xmlid = live.owner(kind.model, record_id)
            owner = owners.get((kind.model, record_id))
            key = live.key_of(name, record_id) or (f"xmlid:{owner}" if owner else None)
            if key is None:
                key = f"xmlid:{xmlid}" if xmlid else UNKNOWN
            found.append(
                Record(
                    key=key,
                    values={attr: values[attr] for attr in attrs if attr in values},
                    xmlid=xmlid.removeprefix(prefix) if xmlid else None,
                    owner=owner,
                    generated=record_id in generated,
                )
            )
        records: dict[str, Record] = {}
        # Records with the same key in an order that does not depend on their ids.
        for record in sorted(found, key=lambda r: (r.key, json.dumps(r.as_json(), default=str))):
            identity, count = record.key, 1
            while identity in records:
                count += 1
                identity = f"{record.key} ({count})"
            records[identity] = record
        config.kinds[name] = records
        used = {kind.attr(attr).field_in(info) for attr in attrs} | set(kind.key_fields)
        config.fields[kind.model] = {f: dict(info[f]) for f in sorted(used) if f in info}
    _mark_generated(config, live)
    return config


def _mark_generated(config: Configuration, live: LiveState) -> None:
    """Mark the records Odoo generates for others (``Kind.generated``: a warehouse's
    locations, operation types and routes)."""
    for name, records in config.kinds.items():
        kind = KINDS[name]
        for record in list(records.values()):
            made = kind.generated(record.key, record.values, live.fields.get(kind.model))
            for target, keys in made.items():
                owned = config.kinds.get(target, {})
                for key in keys:
                    if key in owned and not owned[key].generated:
                        owned[key] = replace(owned[key], generated=True)


def _distinct(kind: Kind) -> list[str]:
    """The kind's attributes, one per Odoo field (a user's ``revoked`` roles are its roles)."""
    seen: set[str] = set()
    out = []
    for attr in kind.attrs:
        if attr.odoo not in seen:
            seen.add(attr.odoo)
            out.append(attr.name)
    return out

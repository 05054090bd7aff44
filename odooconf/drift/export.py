"""``odooconf export``: idiomatic blueprints for an instance, from its normalised configuration.

Generic over the registry: each exported item is the inverse of ``Kind.values`` found from the
kind's spec and attributes (a spec field named like an attribute takes its value; a kind states
the few others in ``Kind.exported_from`` and ``Kind.exported_values``), and is kept only when it
gives back the record: its key and every value it declares equal the instance's. What Odoo
generated for another record (a warehouse's locations, operation types, routes and the rules of
those routes) and what an installed module's external id names are left implied. A record or a
reference that cannot be written is a counted ``# unresolved`` comment, never dropped silently.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticUndefined

from odooconf.drift.normal import UNKNOWN, Configuration, Record, readable_kinds
from odooconf.kinds import KINDS, Kind
from odooconf.kinds._base import slug
from odooconf.model.live import LiveState
from odooconf.model.resource import XmlidRef
from odooconf.odoo.gateway import Gateway

#: Per kind, the key-space values Odoo gives a new record.
Defaults = dict[str, dict[str, Any]]

#: Prefix of a reference the configuration writes by external id (``xmlid:stock.route_x``).
XMLID = "xmlid:"
#: At most this many optional fields are dropped together to find an item that gives back its
#: record (a variant item's template, which Odoo fills in and a blueprint does not write).
MAX_DROPPED = 3


@dataclass
class Exported:
    """The blueprint files (name → text), and what was left implied or could not be written."""

    files: dict[str, str] = field(default_factory=dict)
    records: int = 0
    #: Records Odoo generated or a module owns, left implied.
    implied: int = 0
    #: Records and references written as ``# unresolved`` comments.
    unresolved: int = 0


def exportable_kinds(names: Iterable[str] = ()) -> list[Kind]:
    """The kinds read from a model of their own that have a blueprint section."""
    return [kind for kind in readable_kinds(names) if kind.section]


def odoo_defaults(gateway: Gateway, live: LiveState, kinds: Iterable[str]) -> Defaults:
    """What Odoo gives a new record of each kind (``default_get``, a read: one call per kind),
    in key space: an exported value equal to it is left out."""
    out: Defaults = {}
    for kind in exportable_kinds(kinds):
        info = live.fields.get(kind.model)
        if not info:
            continue
        fields = sorted({attr.field_in(info) for attr in kind.attrs} & set(info))
        row = {
            name: value
            for name, value in gateway.default_get(kind.model, fields).items()
            if not isinstance(value, list) or all(isinstance(v, int) for v in value)
        }
        types = {name: str(meta.get("type", "")) for name, meta in info.items()}
        out[kind.name] = kind.from_odoo(row, live.key_of, types)
    return out


def export_configuration(
    config: Configuration, source: str, defaults: Defaults | None = None
) -> Exported:
    """One blueprint file per kind of ``config`` (``source`` names the instance in a header),
    leaving out the values equal to Odoo's ``defaults``."""
    out = Exported()
    implied = _implied(config)
    for kind in exportable_kinds(config.kinds):
        fields = config.fields.get(kind.model, {})
        items: list[tuple[str, dict[str, Any] | None, list[str]]] = []
        records = config.kinds.get(kind.name, {})
        shared = {r.key for identity, r in records.items() if identity != r.key}
        for identity, record in sorted(records.items()):
            if (kind.name, identity) in implied:
                out.implied += 1
                continue
            if record.key in shared or record.key == UNKNOWN or record.key.startswith(XMLID):
                why = (
                    "no natural key odooconf can write"
                    if record.key == UNKNOWN or record.key.startswith(XMLID)
                    else "several records have this key (a plan refuses it: archive the duplicates)"
                )
                items.append((identity, None, [f"{kind.name} {identity}: {why}"]))
                continue
            item, notes = export_record(kind, record, fields, (defaults or {}).get(kind.name, {}))
            items.append((identity, item, notes))
        if not items:
            continue
        out.records += sum(item is not None for _key, item, _notes in items)
        out.unresolved += sum(len(notes) for _key, _item, notes in items)
        out.files[f"{kind.section}.yaml"] = _render(kind, items, source)
    return out


def _implied(config: Configuration) -> set[tuple[str, str]]:
    """Records left implied: generated by Odoo, owned by a module, or in a container that is
    (the rules Odoo makes on a warehouse's routes and on its own Buy and MTO routes, the access
    rights of Odoo's groups)."""
    out = {
        (name, identity)
        for name, records in config.kinds.items()
        for identity, record in records.items()
        if record.generated or record.owner
    }
    generated = set(out)
    for name, records in config.kinds.items():
        container = KINDS[name].container
        if container is None:
            continue
        target = KINDS[name].attr(container).target or ""
        for identity, record in records.items():
            if (target, str(record.values.get(container))) in generated:
                out.add((name, identity))
    return out


def export_record(
    kind: Kind, record: Record, fields: Mapping[str, Any], defaults: Mapping[str, Any]
) -> tuple[dict[str, Any] | None, list[str]]:
    """The blueprint item of ``record`` (None when none gives it back), and the notes on what
    could not be written."""
    notes: list[str] = []
    candidate = _candidate(kind, record, fields, defaults, notes)
    item = _settle(kind, record, candidate)
    if item is None:
        return None, [f"{kind.name} {record.key}: no blueprint item gives back this record"]
    default_id = f"{kind.name}_{slug(record.key)}"
    if record.xmlid and record.xmlid != default_id:
        item = {"id": record.xmlid, **item}
    return item, notes


def _candidate(
    kind: Kind,
    record: Record,
    fields: Mapping[str, Any],
    defaults: Mapping[str, Any],
    notes: list[str],
) -> dict[str, Any]:
    """Every spec field the record's values give (nested mappings flattened to dotted names),
    without those equal to the field's default or to Odoo's."""
    out: dict[str, Any] = {}
    if kind.identity in kind.spec.model_fields and not _is_attr(kind, kind.identity):
        out[kind.identity] = record.key  # a location's path, a category's: the key itself
    for path, default in _spec_fields(kind.spec):
        if path in out:
            continue
        name = kind.exported_from.get(path, path)
        if not _is_attr(kind, name) or name not in record.values:
            continue
        attr = kind.attr(name)
        if fields and attr.field_in(fields) not in fields:
            continue  # a field this version lacks (read as a fallback by ``from_odoo``)
        if (
            name in defaults
            and default is not _REQUIRED
            and _same(defaults[name], record.values[name])
        ):
            continue
        value = record.values[name]
        if path in kind.exported_values and not isinstance(value, list):
            value = kind.exported_values[path].get(value, value)
        if attr.target is not None:
            value = _reference(kind, record, path, value, attr.many, notes)
            if value is _UNWRITABLE:
                continue
        if value == default or (value is None and default is None):
            continue
        out[path] = value
    return out


_UNWRITABLE = object()


def _reference(
    kind: Kind, record: Record, path: str, value: Any, many: bool, notes: list[str]
) -> Any:
    """A reference as a blueprint writes it: the key, or ``{xmlid: ...}``."""
    values = value if many else [value]
    if value is None:
        return None
    bad = [str(v) for v in values if v in (None, UNKNOWN) or str(v).startswith("#")]
    if bad:
        notes.append(f"{kind.name} {record.key} › {path}: a record without a key or external id")
        return _UNWRITABLE
    written = [
        {"xmlid": str(v).removeprefix(XMLID)} if str(v).startswith(XMLID) else v for v in values
    ]
    return written if many else written[0]


def _is_attr(kind: Kind, name: str) -> bool:
    return any(attr.name == name for attr in kind.attrs)


def _spec_fields(spec: type[BaseModel], prefix: str = "") -> list[tuple[str, Any]]:
    """``(dotted name, default)`` of the spec's fields, nested models' fields included (their
    own default is then None: a mapping left out)."""
    out: list[tuple[str, Any]] = []
    for name, info in spec.model_fields.items():
        if name == "id" and not prefix:
            continue
        nested = _nested_model(info.annotation)
        if nested is not None:
            out += _spec_fields(nested, f"{prefix}{name}.")
            continue
        default = info.default
        if default is PydanticUndefined:
            default = info.default_factory() if info.default_factory else _REQUIRED  # type: ignore[call-arg]
        out.append((f"{prefix}{name}", default))
    return out


_REQUIRED = object()


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model of a nested mapping field (``SelectableSpec | None``), else None."""
    options = getattr(annotation, "__args__", (annotation,))
    for option in options:
        if isinstance(option, type) and issubclass(option, BaseModel) and option.__module__:
            if not option.__name__.startswith("Xmlid"):
                return option
    return None


def _nest(flat: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, value in flat.items():
        head, _, name = path.rpartition(".")
        (out.setdefault(head, {}) if head else out)[name] = value
    return out


def _settle(kind: Kind, record: Record, candidate: dict[str, Any]) -> dict[str, Any] | None:
    """The smallest item that gives back the record: the candidate, else the candidate without
    one or two optional fields (falsy ones first); then without every field whose absence the
    kind's values do not see (a group's end prefix that is its start)."""
    optional = [p for p in candidate if p != kind.identity and not _required(kind, p)]
    optional.sort(key=lambda p: bool(candidate[p]))
    found: tuple[dict[str, Any], dict[str, Any]] | None = None
    for size in range(MAX_DROPPED + 1):
        for dropped in itertools.combinations(optional, size):
            item = {p: v for p, v in candidate.items() if p not in dropped}
            values = _gives_back(kind, record, item)
            if values is not None:
                found = item, values
                break
        if found:
            break
    if found is None:
        return None
    item, values = found
    for path in [p for p in item if p in optional]:
        fewer = {p: v for p, v in item.items() if p != path}
        if _gives_back(kind, record, fewer) == values:
            item = fewer
    return _nest(item)


def _required(kind: Kind, path: str) -> bool:
    head = path.split(".", 1)[0]
    info = kind.spec.model_fields.get(head)
    return info is not None and info.is_required() and "." not in path


def _gives_back(kind: Kind, record: Record, item: Mapping[str, Any]) -> dict[str, Any] | None:
    """The values of the item when it validates, has the record's key and declares nothing
    else than the record holds; else None."""
    try:
        spec = kind.spec.model_validate(_nest(item))
        values = kind.values(spec)
        key = kind.key(spec)
    except (ValidationError, ValueError, AssertionError, KeyError, TypeError):
        return None
    if key != record.key:
        return None
    for name, value in values.items():
        if name in record.values and not _same(value, record.values[name]):
            return None
    return values


def _same(declared: Any, live: Any) -> bool:
    """Whether a declared value is what the instance holds, as the plan compares them (a
    boolean written as null is false; floats at the precision they are read with)."""
    declared, live = _plain(declared), _plain(live)
    if isinstance(declared, list) and isinstance(live, list):
        return sorted(map(str, declared)) == sorted(map(str, live))
    if isinstance(declared, bool) or isinstance(live, bool):
        return bool(declared) == bool(live) and {declared, live} <= {True, False, None}
    if isinstance(declared, int | float) and isinstance(live, int | float):
        return abs(float(declared) - float(live)) < 1e-6
    return bool(declared == live)


def _plain(value: Any) -> Any:
    if isinstance(value, XmlidRef):
        return f"{XMLID}{value.xmlid}"
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _render(kind: Kind, items: list[tuple[str, dict[str, Any] | None, list[str]]], source: str) -> str:
    lines = [
        f"# {kind.section}: exported from {source} by odooconf export.",
        f"{kind.section}:",
    ]
    for _key, item, notes in items:
        lines += [f"  # unresolved: {note}" for note in notes]
        if item is None:
            continue
        text = yaml.safe_dump(
            [item], sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
        )
        lines += [f"  {line}" for line in text.splitlines()]
    if lines[-1].endswith(":"):
        lines[-1] += " []"
    return "\n".join(lines) + "\n"

"""Stage 6: read the live state — one ``search_read`` per model, one for external ids."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from odooconf import progress
from odooconf.engine.resolve import references
from odooconf.errors import BlueprintError, RemoteError, UserError
from odooconf.kinds import KINDS, LOOKUPS, TARGETS, Kind
from odooconf.model.diagnostics import Diagnostic
from odooconf.model.live import LiveState, Query
from odooconf.model.resource import DesiredResource, XmlidRef
from odooconf.odoo.gateway import Gateway


def read_live_state(
    gateway: Gateway,
    resources: list[DesiredResource],
    namespace: str,
    prune: str = "never",
    also: tuple[str, ...] = (),
    live: LiveState | None = None,
) -> LiveState:
    """Read the kinds the plan needs (and the kinds ``also`` names) and the lookups it
    references; check the instance can take them. One call for external ids, then one
    ``fields_get`` and one ``search_read`` per kind. ``live``: the state the earlier reads
    (``read_needs``) answered into, filled in."""
    existing = gateway.existing_models(sorted({target.model for target in TARGETS.values()}))
    _check_models(gateway, resources, existing)
    live = live or new_live_state(namespace)
    _read_xmlids(gateway, live, resources, namespace, existing)
    diagnostics: list[Diagnostic] = []
    by_kind: dict[str, list[DesiredResource]] = {}
    for resource in resources:
        by_kind.setdefault(resource.kind, []).append(resource)
    kinds = _kinds_to_read(resources, live, prune, also)
    for done, kind in enumerate(kinds):
        progress.update("reading", done, len(kinds))
        if kind.model not in existing:
            continue
        fields = gateway.fields(kind.model)
        live.fields[kind.model] = fields
        diagnostics.extend(_missing_fields(gateway, kind.name, fields, by_kind.get(kind.name, [])))
        read_kind(gateway, live, kind.name)
    progress.end()
    if diagnostics:
        raise BlueprintError(diagnostics)
    collect_aliases(live)
    _read_defaults(gateway, live, resources)
    _read_lookups(gateway, live, resources, existing)
    return live


def new_live_state(namespace: str) -> LiveState:
    """An empty live state, for the reads that come before the kinds' records."""
    live = LiveState(
        fields={},
        models={name: target.model for name, target in TARGETS.items()},
        records={},
        xmlids={},
        key_function=lambda target, record: TARGETS[target].live_key(record, live.key_of),
        namespace=namespace,
    )
    return live


def read_needs(
    gateway: Gateway, live: LiveState, needs: Callable[[LiveState], Iterable[Query]]
) -> None:
    """Answer the reads ``needs`` declares into ``live.answers``, in rounds until it asks for
    nothing new: a read may depend on the answer to another (the group an external id names)."""
    while todo := sorted({q for q in needs(live) if q not in live.answers}, key=str):
        for query in todo:
            live.answers[query] = _ask(gateway, query)


def _ask(gateway: Gateway, query: Query) -> Any:
    if query.what == "models":
        return gateway.existing_models(list(query.fields))
    if query.what == "defaults":
        return gateway.default_get(query.model, list(query.fields))
    if query.what == "fields":
        try:
            return gateway.fields(query.model)
        except RemoteError:  # listed in ir.model but not served
            return None
    return gateway.search_read(query.model, query.odoo_domain, list(query.fields))


def _kinds_to_read(
    resources: list[DesiredResource], live: LiveState, prune: str, also: tuple[str, ...] = ()
) -> list[Kind]:
    """The kinds a plan needs, in registry order: those declared and those odooconf manages
    records of (to note or prune them), those Odoo changes when declared ones are written, and,
    transitively, the kinds their references name (a rule's key names its route). With
    ``prune: archive`` (or ``delete``) and a managed record no longer declared, every kind: any
    of them may use a record that would be archived."""
    prefix = f"{live.namespace}."
    by_model = {kind.model: kind.name for kind in KINDS.values()}
    claimed = {resource.xmlid for resource in resources}
    managed = {
        xmlid: by_model[model]
        for xmlid, (model, _res_id) in live.xmlids.items()
        if xmlid.startswith(prefix) and model in by_model
    }
    if prune != "never" and set(managed) - claimed:
        return list(KINDS.values())
    declared = {resource.kind for resource in resources} | set(also)
    wanted = declared | set(managed.values())
    wanted |= {effect for name in declared for effect in KINDS[name].side_effects}
    # A declared container that writes its list of children has exactly those (a pricelist's
    # items): the others are removed or named.
    wanted |= {child for resource in resources for child in resource.lists}
    todo = list(wanted)
    while todo:
        for attr in KINDS[todo.pop()].attrs:
            if attr.target in KINDS and attr.target not in wanted:
                wanted.add(attr.target)
                todo.append(attr.target)
    return [kind for kind in KINDS.values() if kind.name in wanted]


def read_kind(gateway: Gateway, live: LiveState, name: str) -> None:
    """(Re-)read every record of one kind, archived included, with only the fields it maps."""
    kind = KINDS[name]
    fields = live.fields[kind.model]
    wanted = {*kind.key_fields, *(attr.odoo for attr in kind.attrs), "active"}
    wanted |= {attr.also for attr in kind.attrs if attr.also}
    rows = gateway.search_read(kind.model, [], sorted(f for f in wanted if f in fields))
    records = {row["id"]: row for row in rows}
    kind.annotate(records)
    live.replace(name, records)


def key_space(kind: Kind, record: Mapping[str, Any], live: LiveState) -> dict[str, Any]:
    """A record's attributes in key space (references as natural keys)."""
    return kind.from_odoo(record, live.key_of, live.types(kind.model))


def live_values(kind: Kind, record_id: int, live: LiveState) -> dict[str, Any]:
    """A live record's attributes in key space."""
    return key_space(kind, live.records[kind.name][record_id], live)


def collect_aliases(live: LiveState) -> None:
    """Let each kind name the records Odoo generated for its live records."""
    aliases: dict[str, dict[int, str]] = {}
    live.set_aliases({})
    for kind in KINDS.values():
        for record in live.records.get(kind.name, {}).values():
            for target, alias, record_id in kind.aliases(record, live.key_of):
                aliases.setdefault(target, {})[record_id] = alias
    live.set_aliases(aliases)


def _read_defaults(gateway: Gateway, live: LiveState, resources: list[DesiredResource]) -> None:
    """Defaults a new record gets (a category's stock accounts come from the company), for the
    kinds whose checks need them and that the blueprints use: one call per such kind."""
    for name in sorted({resource.kind for resource in resources}):
        kind = KINDS[name]
        fields = [a.odoo for a in kind.attrs if a.name in kind.defaults_for]
        fields = [field for field in fields if field in live.fields.get(kind.model, {})]
        if fields:
            live.defaults[name] = {"id": 0, **gateway.default_get(kind.model, fields)}


def _check_models(gateway: Gateway, resources: list[DesiredResource], existing: set[str]) -> None:
    """Every kind the blueprints use must exist on the instance (its module installed)."""
    kinds = {KINDS[resource.kind] for resource in resources}
    missing = sorted(
        f"{kind.section or kind.name} need model {kind.model} "
        f"({kind.absent or f'module {kind.module!r} is not installed'})"
        for kind in kinds
        if kind.model not in existing
    )
    if missing:
        raise UserError(
            f"this Odoo {gateway.server.version} instance cannot hold the blueprints: "
            + "; ".join(missing)
        )


def _missing_fields(
    gateway: Gateway, kind_name: str, fields: Mapping[str, Any], resources: list[DesiredResource]
) -> list[Diagnostic]:
    """Declared attributes of the kind's ``resources`` this instance's version or modules
    cannot store."""
    kind = KINDS[kind_name]
    version = gateway.server.version
    out = []
    for resource in resources:
        for attr in kind.attrs:
            if attr.name not in resource.values:
                continue
            info = fields.get(attr.field_in(fields))
            value = resource.values[attr.name]
            if info is None:
                message = (
                    f"{attr.name!r} needs field {kind.model}.{attr.odoo}, which this Odoo "
                    f"{version} instance does not have"
                )
            elif info.get("type") == "selection" and attr.target is None and value is not None:
                allowed = [str(option[0]) for option in info.get("selection") or []]
                if value in allowed:
                    continue
                message = (
                    f"{attr.name} {value!r} is not available on this Odoo {version} instance "
                    f"(it offers {', '.join(map(repr, allowed))}; a module may be missing)"
                )
            else:
                continue
            out.append(Diagnostic("OC-X030", message, resource.source, resource.path))
    return out


def _read_lookups(
    gateway: Gateway, live: LiveState, resources: list[DesiredResource], existing: set[str]
) -> None:
    """Lookups are read narrowly: the keys the blueprints name and the ids live records use."""
    named: dict[str, set[str]] = {}  # lookup → keys the blueprints name (one pass over them)
    by_xmlid: dict[str, set[str]] = {}  # lookup → external ids the blueprints name
    for resource in resources:
        for _attr, target, ref in references(resource):
            if isinstance(ref, str):
                named.setdefault(target, set()).add(ref)
            else:
                by_xmlid.setdefault(target, set()).add(ref.xmlid)
    for lookup in LOOKUPS.values():
        if lookup.model not in existing:
            continue
        keys = sorted(named.get(lookup.name, set()))
        ids: set[int] = set()
        for kind in KINDS.values():
            for attr in kind.attrs:
                if attr.target != lookup.name:
                    continue
                rows = [*live.records.get(kind.name, {}).values()]
                rows += [live.defaults[kind.name]] if kind.name in live.defaults else []
                for row in rows:
                    value = row.get(attr.odoo)
                    if isinstance(value, list) and value and attr.many:
                        ids.update(value)
                    elif isinstance(value, list) and value:
                        ids.add(value[0])
                    elif isinstance(value, int) and not isinstance(value, bool) and value:
                        ids.add(value)  # default_get gives a many2one as its id
        xmlid_names = by_xmlid.get(lookup.name, set())
        # The records the blueprints name by external id (read before the lookups).
        ids.update(
            hit[1]
            for name in xmlid_names
            if (hit := live.xmlids.get(name)) is not None and hit[0] == lookup.model
        )
        if not (keys or ids or xmlid_names):
            continue
        key_field = lookup.key_fields[0]
        domain: list[Any] = ["|", (key_field, "in", keys), ("id", "in", sorted(ids))]
        rows = gateway.search_read(lookup.model, domain, ["id", *lookup.key_fields])
        live.records[lookup.name] = {row["id"]: row for row in rows}


def _xmlid_names(resources: list[DesiredResource]) -> set[str]:
    return {
        ref.xmlid
        for resource in resources
        for _attr, _target, ref in references(resource)
        if isinstance(ref, XmlidRef)
    }


def _read_xmlids(
    gateway: Gateway,
    live: LiveState,
    resources: list[DesiredResource],
    namespace: str,
    existing: set[str],
) -> None:
    """odooconf's external ids and those the blueprints reference, on every model odooconf
    knows (which kinds to read depends on them)."""
    referenced = _xmlid_names(resources)
    models = sorted({target.model for target in TARGETS.values() if target.model in existing})
    names = sorted({xmlid.split(".", 1)[1] for xmlid in referenced})
    domain: list[Any] = [("model", "in", models), "|", ("module", "=", namespace)]
    domain.append(("name", "in", names))
    fields = ["module", "name", "model", "res_id", "noupdate"]
    for row in gateway.search_read("ir.model.data", domain, fields):
        xmlid = f"{row['module']}.{row['name']}"
        if row["module"] == namespace or xmlid in referenced:
            live.xmlids[xmlid] = (row["model"], row["res_id"])
            live.xmlid_rows[xmlid] = row["id"]
            if row["module"] == namespace and row.get("noupdate") is False:
                live.created.add(xmlid)

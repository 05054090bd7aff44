"""Stage 7: resolve references against the live state, match records, diff declared fields.

Records are matched by odooconf's external id first, natural key second (adoption). Only the
fields a blueprint declares are compared; everything else on the instance is left alone.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from odooconf.engine.absent import plan_absent, referenced
from odooconf.engine.prune import has_active, odoo_generated
from odooconf.engine.prune import prune as prune_records
from odooconf.engine.read import key_space, live_values
from odooconf.engine.resolve import cycles, depending, generated_by, levels, references
from odooconf.kinds import KINDS, LOOKUPS, TARGETS, Kind
from odooconf.kinds._base import compared
from odooconf.model.diagnostics import Diagnostic
from odooconf.model.live import LiveState
from odooconf.model.plan import Action, Change, FieldChange, PlanNote, PlanWarning
from odooconf.model.resource import Address, DesiredResource, Ref, XmlidRef
from odooconf.policies import registry


@dataclass
class Diff:
    changes: list[Change] = field(default_factory=list)
    notes: list[PlanNote] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: What a reviewer must read besides the changes (the policies run with the diff).
    warnings: list[PlanWarning] = field(default_factory=list)
    #: The resources as planned: references by external id or secondary key resolved to the
    #: keys of the instance, and ordered behind the records that leave their keys (new
    #: objects where they differ from those given, which are left as they were).
    resources: list[DesiredResource] = field(default_factory=list)


def diff_resources(
    resources: Sequence[DesiredResource],
    live: LiveState,
    policy: str,
    absent: Sequence[DesiredResource] = (),
    kept: set[str] | None = None,
) -> Diff:
    """Compare desired resources with the live state; the result is ordered for apply. The
    records of ``absent`` items are removed (``engine.absent``); ``kept``: external ids of
    declared resources a targeted plan leaves out, which are neither taken nor pruned."""
    result = Diff(diagnostics=referenced(absent, resources))
    declared = {resource.address for resource in resources}
    generated = generated_by(resources, live.fields)
    own = {resource.xmlid: resource.address for resource in resources}
    planned = declared | set(generated)
    for resource in resources:
        resolved, problems = _resolve_live(resource, live, planned, own)
        result.resources.append(resolved)
        result.diagnostics.extend(problems)
    if result.diagnostics:
        return result
    result.resources, moving_away = _order_behind_moves(result.resources, live)
    resources = result.resources

    def exists(address: Address) -> bool:
        """Already on the instance under this key: nothing needs to come before it."""
        resource = by_address[address]
        kind = KINDS[resource.kind]
        record_id = live.xmlid_record(resource.xmlid, kind.model)
        if record_id is not None:
            return live.key_of(kind.name, record_id) == resource.key
        return bool(live.matches(kind.name, resource.key))

    by_address = {resource.address: resource for resource in resources}
    result.diagnostics.extend(cycles(resources, exists))
    if result.diagnostics:
        return result
    level_of = levels(resources, exists)
    claimed = {resource.xmlid for resource in resources} | (kept or set())
    odoo_made = set(generated) | _generated_on_instance(live)
    for resource in resources:
        change, problem = _compare(
            resource,
            live,
            claimed,
            moving_away,
            level_of[resource.address],
            resource.address in generated and not live.matches(resource.kind, resource.key),
            _keeps_active(resource, odoo_made, live),
        )
        if problem:
            result.diagnostics.append(problem)
        if change:
            result.changes.append(change)
            result.diagnostics.extend(_refusals(resource, change, live))
    _predict_takeovers(live, claimed, result.changes)
    claimed |= {change.previous_xmlid for change in result.changes if change.previous_xmlid}
    _note_possible_adoptions(generated, result.changes, resources)
    removal = plan_absent(absent, live, claimed)
    result.changes.extend(removal.changes)
    result.notes.extend(removal.notes)
    result.diagnostics.extend(removal.diagnostics)
    claimed |= removal.claimed
    pruning = prune_records(live, claimed, policy, resources, odoo_made)
    result.changes.extend(pruning.changes)
    result.notes.extend(pruning.notes)
    result.diagnostics.extend(pruning.diagnostics)
    _written_through_together(result)
    order = {name: index for index, name in enumerate(KINDS)}
    result.changes.sort(key=lambda c: (stage(c), c.level, order[c.kind], c.key))
    _review(resources, live, result)
    return result


def _review(resources: list[DesiredResource], live: LiveState, result: Diff) -> None:
    """Each kind's sentences for its changes, and what the policies of the diff stage find
    (``odooconf.policies.registry``)."""
    result.changes = [
        replace(change, sentence=sentence)
        if (sentence := KINDS[change.kind].sentence(change))
        else change
        for change in result.changes
    ]
    found = registry.run("diff", resources, live, result.changes)
    result.diagnostics.extend(found.diagnostics)
    result.warnings.extend(found.warnings)


def stage(change: Change) -> int:
    """Apply order of a change's action (``Action.closing``), except that a record written
    through its container (``Kind.through``: a tax's lines) is deleted in the same batch as the
    others of its kind are created and changed: Odoo checks them only together."""
    if change.action is Action.DELETE and KINDS[change.kind].through:
        return 0
    return change.action.closing


def _written_through_together(result: Diff) -> None:
    """Put every change of a kind written through its container at one level (the highest of
    them), so that apply makes one batch, and one write per container, of them."""
    through = {c.kind for c in result.changes if KINDS[c.kind].through}
    for name in through:
        level = max(c.level for c in result.changes if c.kind == name)
        result.changes = [
            replace(c, level=level) if c.kind == name and stage(c) == 0 else c
            for c in result.changes
        ]


def _order_behind_moves(
    resources: list[DesiredResource], live: LiveState
) -> tuple[list[DesiredResource], set[str]]:
    """The resources, a resource declared at a key a declared record leaves in this apply
    coming after that move (depending on the moving resource); and the external ids of the
    records that move."""
    by_xmlid = {resource.xmlid: resource for resource in resources}
    moving: set[str] = set()
    out: list[DesiredResource] = []
    for resource in resources:
        kind = KINDS[resource.kind]
        behind: set[Address] = set()
        for record_id in live.matches(kind.name, resource.key):
            holder = by_xmlid.get(live.owner(kind.model, record_id) or "")
            if holder is not None and holder is not resource and holder.key != resource.key:
                behind.add(holder.address)
                moving.add(holder.xmlid)
        out.append(depending(resource, behind))
    return out, moving


def _generated_on_instance(live: LiveState) -> set[Address]:
    """Records Odoo generated for live records (every warehouse's locations, types, routes)."""
    out: set[Address] = set()
    for kind in KINDS.values():
        if type(kind).generated is Kind.generated:
            continue  # generates nothing
        for record_id in live.records.get(kind.name, {}):
            key = live.key_of(kind.name, record_id)
            if key is None:
                continue
            values = live_values(kind, record_id, live)
            for target, keys in kind.generated(key, values, live.fields.get(kind.model)).items():
                out.update(Address(target, generated) for generated in keys)
    return out


def _keeps_active(resource: DesiredResource, odoo_made: set[Address], live: LiveState) -> bool:
    """Whether a declared resource that does not say ``active`` must be active: yes, unless Odoo
    generated it (or its container), as Odoo archives and restores those itself when a
    warehouse's steps change, or the instance's model has no ``active`` (an account up to 18)."""
    kind = KINDS[resource.kind]
    if "active" in resource.values or not any(a.name == "active" for a in kind.attrs):
        return False
    if not has_active(kind, live):
        return False
    container = resource.values.get(kind.container) if kind.container else None
    return not odoo_generated(kind, resource.key, container, odoo_made)


def _resolve_live(
    resource: DesiredResource, live: LiveState, planned: set[Address], own: dict[str, Address]
) -> tuple[DesiredResource, list[Diagnostic]]:
    """The resource with its external-id references replaced by natural keys (itself when it
    has none); and the references that go nowhere."""
    out: list[Diagnostic] = []
    kind = KINDS[resource.kind]
    values = resource.values
    for attr_name, target, ref in references(resource):
        where = f"{resource.path} › {attr_name}"
        source = resource.source_of(attr_name)
        if isinstance(ref, XmlidRef):
            key, problem = _xmlid_key(ref, target, live, own)
            if problem:
                out.append(Diagnostic("OC-X002", problem, source, where))
            else:
                values = _substitute(values, kind.attr(attr_name).many, attr_name, ref, key)
            continue
        if Address(target, ref) in planned:
            continue
        matches = live.matches(target, ref)
        if len(matches) == 1 and live.key_of(target, matches[0]) not in (None, ref):
            # Found by a secondary key (a generated route by its name): use its canonical key,
            # the one live records are compared in.
            canonical = str(live.key_of(target, matches[0]))
            values = _substitute(values, kind.attr(attr_name).many, attr_name, ref, canonical)
        if len(matches) > 1:
            message = (
                f"{target} {ref!r} is ambiguous: {len(matches)} records on the instance "
                "have that key"
            )
            out.append(Diagnostic("OC-X003", message, source, where))
        elif not matches:
            known = [*live.ids_by_key(target), *(a.key for a in planned if a.kind == target)]
            known = list(dict.fromkeys(k for k in known if Address(target, k) != resource.address))
            hint = difflib.get_close_matches(ref, known, n=3)
            suggestion = f"; did you mean {', '.join(map(repr, hint))}?" if hint else ""
            if target in LOOKUPS:  # master data (products, accounts...): only ever looked up
                field = LOOKUPS[target].key_fields[0]
                message = f"{target} {ref!r} (by {field}) is not on the instance{suggestion}"
            else:
                message = f"{target} {ref!r} is neither declared nor on the instance{suggestion}"
            if ref in TARGETS[target].hints:
                message += f" ({TARGETS[target].hints[ref]})"
            out.append(Diagnostic("OC-X001", message, source, where))
    return (resource if values is resource.values else replace(resource, values=values)), out


def _xmlid_key(
    ref: XmlidRef, target: str, live: LiveState, own: dict[str, Address]
) -> tuple[str, str]:
    """The key of the ``target`` record an external id names, or why there is none."""
    target_model = TARGETS[target].model
    hit = live.xmlids.get(ref.xmlid)
    key = live.key_of(target, hit[1]) if hit and hit[0] == target_model else None
    if ref.xmlid in own and own[ref.xmlid].kind == target:
        key = own[ref.xmlid].key  # odooconf's own id of a declared resource
    if key is not None:
        return key, ""
    if hit and hit[0] == target_model:  # the id outlived its record
        return "", (
            f"external id {ref.xmlid!r} names {target_model} #{hit[1]}, which is "
            "not on the instance (the record was deleted)"
        )
    found = f"a {hit[0]} record" if hit else "nothing"
    return "", (
        f"external id {ref.xmlid!r} names {found} on the instance, not a {target_model} record"
    )


def _substitute(
    values: dict[str, Any], many: bool, attr: str, ref: Ref, key: str
) -> dict[str, Any]:
    """``values`` with ``ref`` replaced by ``key`` in ``attr`` (a new dictionary)."""
    value = values[attr]
    return {**values, attr: [key if item == ref else item for item in value] if many else key}


def _compare(
    resource: DesiredResource,
    live: LiveState,
    claimed: set[str],
    moving_away: set[str],
    level: int,
    generated: bool,
    keeps_active: bool,
) -> tuple[Change | None, Diagnostic | None]:
    kind = KINDS[resource.kind]
    desired = _canonical(resource, live)

    def change(action: Action, record_id: int | None, note: str = "", previous: str = "") -> Change:
        return _change(resource, live, desired, level, keeps_active, action, record_id, note,
                       previous)  # fmt: skip

    record_id = live.xmlid_record(resource.xmlid, kind.model)
    if record_id is not None:
        replacement = superseding(live, kind, record_id, resource.key, desired, claimed)
        if replacement is None:
            return change(Action.UPDATE, record_id), None
        note = f"Odoo archived #{record_id} and made this record in its place"
        return change(Action.ADOPT, replacement, note), None
    if generated:
        # Odoo will create this record as a side effect of another planned change (a warehouse's
        # Pick type): adopt it then, writing whatever differs at that moment.
        return change(Action.ADOPT, None), None
    candidates = _in_scope(kind, live.matches(kind.name, resource.key), desired, live)
    if len(candidates) > 1:
        scope = (
            f"declare {' or '.join(kind.scope)} to tell them apart"
            if kind.scope
            else "archive the duplicates"
            if kind.can_archive
            else "change or delete the duplicates in Odoo"  # records without ``active``
        )
        message = f"{len(candidates)} {kind.model} records have the key {resource.key!r}; {scope}"
        return None, Diagnostic("OC-X004", message, resource.source, resource.path)
    if not candidates:
        missing = [name for name in kind.create_requires if desired.get(name) is None]
        if missing:
            message = (
                f"no {kind.name} {resource.key!r} exists on the instance; creating it needs "
                f"{', '.join(missing)}"
            )
            return None, Diagnostic("OC-X040", message, resource.source, resource.path)
        return change(Action.CREATE, None), None
    return _match_by_key(resource, live, candidates[0], claimed, moving_away, change)


def _match_by_key(
    resource: DesiredResource,
    live: LiveState,
    record_id: int,
    claimed: set[str],
    moving_away: set[str],
    change: Callable[..., Change],
) -> tuple[Change | None, Diagnostic | None]:
    """The change of a resource whose key matches one live record without its external id."""
    owner = live.owner(KINDS[resource.kind].model, record_id)
    if owner in moving_away:
        # Another declared resource moves that record to another key in this apply (ordered
        # before this one): this key is then free for a new record.
        return change(Action.CREATE, None), None
    if owner in claimed:
        message = (
            f"the instance's {resource.kind} {resource.key!r} is already managed as {owner}, "
            "which another resource of the blueprints declares"
        )
        return None, Diagnostic("OC-X005", message, resource.source, resource.path)
    # A record odooconf manages under an id no longer declared (its key changed with a
    # parent's, e.g. a location of a renamed warehouse): take it over under the new id.
    return change(Action.ADOPT, record_id, previous=owner or ""), None


def _change(
    resource: DesiredResource,
    live: LiveState,
    desired: dict[str, Any],
    level: int,
    keeps_active: bool,
    action: Action,
    record_id: int | None,
    note: str = "",
    previous: str = "",
) -> Change:
    """What apply does to ``resource``: create it, or write what differs on ``record_id``."""
    kind = KINDS[resource.kind]
    if record_id is not None and keeps_active:
        desired["active"] = True  # an existing record archived by hand is restored
    if record_id is not None and live.aliases.get(kind.name, {}).get(record_id) == resource.key:
        # Declared by its alias (``WH/delivery``): the alias is a key, not a name to write.
        desired.pop(kind.identity, None)
    fields = (
        field_changes(kind, record_id, desired, live)
        if record_id is not None
        else tuple(FieldChange(name, None, value) for name, value in desired.items())
    )
    if action is Action.UPDATE and not fields:
        action = Action.NOOP
    if record_id is not None:
        impacts = dict.fromkeys(kind.impacts[f.field] for f in fields if f.field in kind.impacts)
        note = "; ".join([*([note] if note else []), *impacts])
    return Change(
        action, kind.name, resource.key, kind.model, resource.xmlid, record_id, fields,
        level, str(resource.source), note, desired, previous,
    )  # fmt: skip


def _refusals(resource: DesiredResource, change: Change, live: LiveState) -> list[Diagnostic]:
    """What Odoo would refuse in the record as the change leaves it (declared values over the
    live record's, or over the defaults a new record gets)."""
    if change.action is Action.NOOP:
        return []
    kind = KINDS[change.kind]
    record_id = change.record_id
    base = live_values(kind, record_id, live) if record_id is not None else _defaults(kind, live)
    fields = live.fields.get(kind.model, {})
    already = kind.problems(base, fields) if record_id is not None else []
    return [
        Diagnostic("OC-X050", f"Odoo would refuse this: {problem}", resource.source, resource.path)
        for problem in kind.problems({**base, **change.after}, fields)
        if problem not in already  # only what this change brings: Odoo checks what is written
    ]


def _defaults(kind: Kind, live: LiveState) -> dict[str, Any]:
    """What a new record would hold, in key space, for the fields whose defaults were read."""
    defaults = live.defaults.get(kind.name)
    return {} if defaults is None else key_space(kind, defaults, live)


def superseding(
    live: LiveState,
    kind: Kind,
    record_id: int,
    key: str,
    desired: dict[str, Any],
    claimed: set[str],
) -> int | None:
    """The active record Odoo made in place of a managed one it archived (a rule rebuilt when
    its warehouse's steps changed), if there is exactly one nobody else manages."""
    record = live.records.get(kind.name, {}).get(record_id, {})
    if record.get("active") is not False or desired.get("active") is False:
        return None
    others = [
        other
        for other in live.ids_by_key(kind.name).get(key, [])
        if other != record_id
        and live.records[kind.name][other].get("active") is not False
        and live.owner(kind.model, other) not in claimed
    ]
    return others[0] if len(others) == 1 else None


def unmanaged_match(
    live: LiveState, kind: Kind, key: str, after: dict[str, Any], xmlid: str, claimed: set[str]
) -> int | None:
    """The one live record with this key, in the declared scope (a warehouse's company), that no
    other declared resource manages."""
    free = [
        record_id
        for record_id in _in_scope(kind, live.matches(kind.name, key), after, live)
        if live.owner(kind.model, record_id) in (None, xmlid)
        or live.owner(kind.model, record_id) not in claimed
    ]
    return free[0] if len(free) == 1 else None


def _in_scope(kind: Kind, ids: list[int], desired: dict[str, Any], live: LiveState) -> list[int]:
    """Live records with the key that also match the declared scope (a warehouse code is unique
    per company: with ``company`` declared, another company's warehouse is not a candidate)."""
    scope = [name for name in kind.scope if desired.get(name) is not None]
    if not scope:
        return ids
    return [
        record_id
        for record_id in ids
        if all(live_values(kind, record_id, live).get(name) == desired[name] for name in scope)
    ]


def _canonical(resource: DesiredResource, live: LiveState) -> dict[str, Any]:
    """Declared values in the shape ``Kind.from_odoo`` gives: many2many as sorted keys, false
    for a boolean written as null (Odoo has no third state), floats at the field's precision."""
    kind = KINDS[resource.kind]
    fields = live.fields.get(kind.model, {})
    out: dict[str, Any] = {}
    for name, value in resource.values.items():
        attr = kind.attr(name)
        if attr.many:
            out[name] = sorted(set(map(str, value)))
        elif value is None and fields.get(attr.field_in(fields), {}).get("type") == "boolean":
            out[name] = False
        else:
            out[name] = stored_value(value, fields.get(attr.field_in(fields), {}))
    return out


def stored_value(value: Any, info: Mapping[str, Any]) -> Any:
    """The value as Odoo stores it: a float rounded (half up) to the field's decimals, e.g. a
    quantity to its unit of measure's precision, so that the plan converges."""
    digits = info.get("digits")
    if info.get("type") != "float" or not isinstance(value, int | float) or not digits:
        return value
    if isinstance(digits, list | tuple) and len(digits) == 2 and isinstance(digits[1], int):
        exponent = Decimal(1).scaleb(-digits[1])
        return float(Decimal(str(value)).quantize(exponent, rounding=ROUND_HALF_UP))
    return value


def field_changes(
    kind: Kind, record_id: int, desired: dict[str, Any], live: LiveState
) -> tuple[FieldChange, ...]:
    """Declared fields whose live value differs, as old → new (both in key space)."""
    live_side = compared(kind, live_values(kind, record_id, live), desired)
    if live_side == desired:
        return ()  # the common case, at a fraction of DeepDiff's cost
    from deepdiff import DeepDiff  # noqa: PLC0415 (a heavy import only differences need)

    delta = DeepDiff(live_side, desired, ignore_order=True, ignore_numeric_type_changes=True)
    changed = {str(key) for key in delta.affected_root_keys}
    return tuple(
        FieldChange(name, live_side.get(name), value)
        for name, value in desired.items()
        if name in changed
    )


def _note_possible_adoptions(
    generated: dict[Address, DesiredResource],
    changes: list[Change],
    resources: list[DesiredResource],
) -> None:
    """Flag creates Odoo may pre-empt: a rule in a route that Odoo generates in this apply (a
    warehouse's resupply route) may be generated with it; apply then adopts that record instead
    of duplicating it."""
    created = {Address(c.kind, c.key) for c in changes if c.action is Action.CREATE}
    by_address = {resource.address: resource for resource in resources}
    for index, change in enumerate(changes):
        kind = KINDS[change.kind]
        if change.action is not Action.CREATE or kind.container is None:
            continue
        attr = kind.attr(kind.container)
        container = by_address[Address(change.kind, change.key)].values.get(attr.name)
        owner = generated.get(Address(str(attr.target), str(container)))
        if owner is not None and owner.address in created:
            note = f"adopted instead if Odoo generates it when creating {owner.address}"
            changes[index] = replace(change, note=note)


def _predict_takeovers(live: LiveState, claimed: set[str], changes: list[Change]) -> None:
    """Records whose keys embed a key this plan changes follow it (a warehouse's code changes:
    ``DC1/Stock/Bulk`` becomes ``DC2/Stock/Bulk`` in Odoo). A create of the record under its
    new key is really the record odooconf already manages under an id no longer declared: the
    plan adopts it (renaming that id) instead of creating a twin and pruning the original."""
    renames = [
        (str(live.key_of(c.kind, c.record_id)), c.key)
        for c in changes
        if c.record_id is not None and live.key_of(c.kind, c.record_id) not in (None, c.key)
    ]
    if not renames:
        return
    # Every changed key at once (longest first), each only as a whole part of a key.
    new_key = dict(renames)
    alternatives = "|".join(re.escape(old) for old in sorted(new_key, key=len, reverse=True))
    pattern = re.compile(rf"(?<![^\s/|])(?:{alternatives})(?=[\s/|]|$)")
    pending = {(c.kind, c.key): i for i, c in enumerate(changes) if c.record_id is None}
    prefix = f"{live.namespace}."
    for xmlid, (model, res_id) in sorted(live.xmlids.items()):
        kind = next((k for k in KINDS.values() if k.model == model), None)
        key = live.key_of(kind.name, res_id) if kind else None
        if kind is None or key is None or not xmlid.startswith(prefix) or xmlid in claimed:
            continue
        renamed = pattern.sub(lambda match: new_key[match.group(0)], key)
        index = pending.get((kind.name, renamed))
        if renamed != key and index is not None:
            change = changes[index]
            note = f"was {key} ({xmlid}): its key changes with the keys it contains"
            changes[index] = replace(
                change, action=Action.ADOPT, record_id=res_id, note=note, previous_xmlid=xmlid,
                fields=field_changes(kind, res_id, change.after, live),
            )  # fmt: skip

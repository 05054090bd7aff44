"""Stage 9: execute a plan — batched per dependency level and kind, only what differs.

Each RPC call is one transaction in Odoo. Apply records every change as soon as the call that
made it returned, so when a call fails the result says exactly what was applied, what failed
and what was not attempted; a re-run converges (records are found by key and adopted).

Odoo changes records as side effects (a warehouse's steps rebuild its rules), so each change is
compared again with the instance as it is when its batch runs: only what still differs is
written, and a record Odoo replaced by a new one with the same key is followed to it.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from odooconf import progress
from odooconf.engine.diff import field_changes, stage, superseding, unmanaged_match
from odooconf.engine.read import collect_aliases, read_kind
from odooconf.errors import ApplyFailed, Interrupted, OdooconfError, UserError
from odooconf.kinds import KINDS, Kind
from odooconf.model.live import LiveState
from odooconf.model.plan import Action, ApplyResult, Change, FieldChange, Plan
from odooconf.odoo.gateway import Gateway


def apply_plan(plan: Plan, gateway: Gateway, live: LiveState) -> ApplyResult:
    """Make the instance match the plan; raise ``ApplyFailed`` with the partial result."""
    result = ApplyResult(plan.environment)
    start_calls = gateway.call_count
    claimed = {change.xmlid for change in plan.changes}
    groups = list(_groups(plan))
    for index, group in enumerate(groups):
        progress.update("applying", sum(map(len, groups[:index])), sum(map(len, groups)))
        done: list[Change] = []
        try:
            _apply_group(group, gateway, live, claimed, done)
            if index + 1 < len(groups) and done:
                _refresh(KINDS[group[0].kind], gateway, live)
        except (OdooconfError, KeyboardInterrupt) as exc:
            cause = exc if isinstance(exc, OdooconfError) else Interrupted()
            # A call that failed may still have been committed (the answer was lost), and the
            # calls before it in this batch were: what exists now is read back, not assumed.
            finished = [c for c in done if c.note != _UNBOUND]
            unsure = [c for c in done if c.note == _UNBOUND]
            unsure_ids = {c.xmlid for c in done}
            unsure += [c for c in group if c.xmlid not in unsure_ids and _pending(c)]
            if isinstance(cause, Interrupted):
                result.applied.extend(finished)
                result.unknown = unsure  # the person wants out: no further calls
            else:
                settled = _read_back(unsure, KINDS[group[0].kind], gateway, live, claimed)
                result.applied.extend([*finished, *settled.applied])
                result.failed, result.unknown = settled.failed, settled.unknown
            result.not_attempted = [
                c for later in groups[index + 1 :] for c in later if _pending(c)
            ]
            result.error = str(cause)
            result.rpc_calls = gateway.call_count - start_calls
            raise ApplyFailed(result, cause) from None
        result.applied.extend(done)
    progress.end()
    result.rpc_calls = gateway.call_count - start_calls
    return result


@dataclass
class _Settled:
    applied: list[Change] = field(default_factory=list)
    failed: list[Change] = field(default_factory=list)
    unknown: list[Change] = field(default_factory=list)


def _read_back(
    changes: list[Change], kind: Kind, gateway: Gateway, live: LiveState, claimed: set[str]
) -> _Settled:
    """After a failed call, what each change of the batch left on the instance: applied (its
    record and declared values are there; the note says when its external id is not), failed
    (they are not), or unknown (the instance cannot be read either)."""
    out = _Settled()
    if not changes:
        return out
    try:
        if kind.model in live.fields:
            read_kind(gateway, live, kind.name)
            collect_aliases(live)
        module = live.namespace
        names = sorted(c.xmlid.split(".", 1)[1] for c in changes)
        rows = gateway.search_read(
            "ir.model.data", [("module", "=", module), ("name", "in", names)], ["name", "res_id"]
        )
    except OdooconfError:
        out.unknown = list(changes)
        return out
    bound = {f"{module}.{row['name']}": row["res_id"] for row in rows}
    for change in changes:
        record_id = change.record_id
        if record_id is None:
            record_id = bound.get(change.xmlid) or unmanaged_match(
                live, kind, change.key, change.after, change.xmlid, claimed
            )
        record = live.records.get(kind.name, {}).get(record_id or 0)
        if change.action is Action.RELEASE:
            done = change.xmlid not in bound
        elif change.action is Action.DELETE:
            done = record is None
        elif change.action is Action.ARCHIVE:
            done = record is not None and record.get("active") is False
        elif change.action is Action.ADOPT and not change.fields:
            done = record_id is not None and bound.get(change.xmlid) == record_id  # only the id
        else:
            done = record is not None and not field_changes(kind, record["id"], change.after, live)
        if not done:
            out.failed.append(change)
        elif change.action in (Action.ARCHIVE, Action.RELEASE, Action.DELETE) or bound.get(
            change.xmlid
        ):
            out.applied.append(replace(change, record_id=record_id, note=""))
        else:
            out.applied.append(replace(change, record_id=record_id, note=_UNBOUND))
    return out


#: Note of a change made on the instance whose external id is not recorded yet (if apply stops
#: there, the next plan finds the record by its key and adopts it).
_UNBOUND = "done, but its external id is not recorded: the next plan adopts it"


def _pending(change: Change) -> bool:
    return change.action is not Action.NOOP


def _groups(plan: Plan) -> Iterator[list[Change]]:
    """Consecutive changes of one kind at one level (the plan is already ordered).

    Unchanged resources are re-checked when an earlier change may alter them as a side effect.
    """
    touched = {c.kind for c in plan.changes if _pending(c)}
    affected = touched | {name for kind in touched for name in KINDS[kind].side_effects}
    changes = [c for c in plan.changes if _pending(c) or c.kind in affected]
    for _key, group in itertools.groupby(
        changes,
        # Releases only remove external ids: one batch whatever their kinds.
        key=lambda c: (stage(c), c.level, "" if c.action is Action.RELEASE else c.kind),
    ):
        yield list(group)


def _apply_group(
    group: list[Change], gateway: Gateway, live: LiveState, claimed: set[str], done: list[Change]
) -> None:
    """Apply one batch, appending each change to ``done`` once the call that made it returned."""
    kind = KINDS[group[0].kind]
    if group[0].action is Action.RELEASE:
        _release(group, gateway, live, done)
        return
    id_of = _resolver(live)
    if kind.through:
        _write_through(group, kind, gateway, live, claimed, done)
        return
    if group[0].action is Action.DELETE:
        _delete(group, kind, gateway, live, done)
        return
    current = [_against_instance(change, kind, live, claimed) for change in group]
    creates = [change for change in current if change.action is Action.CREATE]
    if creates:
        values = [
            {
                **_inherited_company(kind, c.after, live, id_of),
                **_named(
                    kind,
                    kind.to_odoo({**kind.create_defaults(c.key, c.after), **c.after}, id_of),
                    live,
                ),
            }
            for c in creates
        ]
        new_ids = gateway.create(kind.model, values)
        for change, new_id in zip(creates, new_ids, strict=True):
            live.add(kind.name, new_id, change.key, {"id": new_id})
            done.append(replace(change, record_id=new_id, note=_UNBOUND))
    writes: dict[str, tuple[dict[str, Any], list[Change]]] = {}
    for change in current:
        if change.action is Action.CREATE or not change.fields:
            continue
        vals = _named(kind, kind.to_odoo(change.values(), id_of), live)
        writes.setdefault(json.dumps(vals, sort_keys=True, default=str), (vals, []))[1].append(
            change
        )
    for vals, changes in _write_order(list(writes.values()), kind, live):
        gateway.write(kind.model, sorted(int(c.record_id or 0) for c in changes), vals)
        done.extend(replace(c, note=_UNBOUND) if c.action is Action.ADOPT else c for c in changes)
    written = {c.xmlid for c in done}
    done.extend(
        replace(c, note=_UNBOUND)
        for c in current
        if c.action is Action.ADOPT and c.xmlid not in written
    )
    _bind_xmlids([c for c in done if c.note == _UNBOUND], gateway, live)
    done[:] = [replace(c, note="") if c.note == _UNBOUND else c for c in done]


def _resolver(live: LiveState) -> Callable[[str, str], int]:
    """The live record id of a target's key (exactly one record, or the apply stops)."""

    def id_of(target: str, key: str) -> int:
        ids = live.matches(target, key)
        if len(ids) != 1:
            raise UserError(f"cannot resolve {target} {key!r} on the instance ({len(ids)} found)")
        return ids[0]

    return id_of


def _write_through(
    group: list[Change],
    kind: Kind,
    gateway: Gateway,
    live: LiveState,
    claimed: set[str],
    done: list[Change],
) -> None:
    """Create, change and delete records of a kind written through its container
    (``Kind.through``: a tax's lines): one write of one2many commands per container, so that
    Odoo checks the container's records as a whole, as it does only then."""
    attr = kind.attr(str(kind.through))
    id_of = _resolver(live)
    records = live.records.get(kind.name, {})
    writes: dict[int, tuple[dict[str, list[Any]], list[Change]]] = {}
    for planned in group:
        if planned.action is Action.DELETE:
            if planned.record_id not in records:
                continue
            change, values = planned, planned.after
        else:
            change = _against_instance(planned, kind, live, claimed)
            values = change.after
        field, vals = kind.one2many(values)
        if change.action is Action.DELETE:
            command: tuple[Any, ...] = (2, change.record_id)
        elif change.action is Action.CREATE:
            command = (0, 0, kind.to_odoo(vals, id_of))
        elif change.fields:
            written = {name: value for name, value in change.values().items() if name in vals}
            command = (1, change.record_id, kind.to_odoo(written, id_of))
        else:
            if change.action is Action.ADOPT:
                done.append(replace(change, note=_UNBOUND))  # only its external id to record
            continue
        container = id_of(str(attr.target), str(values[attr.name]))
        commands, changes = writes.setdefault(container, ({}, []))
        commands.setdefault(field, []).append(command)
        changes.append(change)
    container_model = KINDS[str(attr.target)].model
    for container, (commands, changes) in sorted(writes.items()):
        gateway.write(container_model, [container], commands)
        done.extend(
            c
            if c.action is Action.DELETE or c.action is Action.UPDATE
            else replace(c, note=_UNBOUND)
            for c in changes
        )
    if any(c.action is Action.CREATE for _commands, changes in writes.values() for c in changes):
        read_kind(gateway, live, kind.name)  # the ids of the records made through the container
        for index, change in enumerate(done):
            if change.action is Action.CREATE and change.record_id is None:
                found = unmanaged_match(live, kind, change.key, change.after, change.xmlid, claimed)
                done[index] = replace(change, record_id=found)
    for change in done:
        if change.action is Action.DELETE:
            live.xmlid_rows.pop(change.xmlid, None)
            live.unbind(change.xmlid)
    _bind_xmlids([c for c in done if c.note == _UNBOUND], gateway, live)
    done[:] = [replace(c, note="") if c.note == _UNBOUND else c for c in done]


def _named(kind: Kind, vals: dict[str, Any], live: LiveState) -> dict[str, Any]:
    """Values under the field names this instance has (``Attr.also``: a field renamed in a
    later version)."""
    fields = live.fields.get(kind.model, {})
    renamed = {attr.odoo: attr.field_in(fields) for attr in kind.attrs if attr.also}
    return {renamed.get(name, name): value for name, value in vals.items()}


Batch = tuple[dict[str, Any], list[Change]]


def _write_order(batches: list[Batch], kind: Kind, live: LiveState) -> list[Batch]:
    """Writes that move a record onto a key another record of the batch still holds come after
    that record moved away (renaming DC2 to DC3, then DC1 to DC2: codes are unique)."""

    def current(change: Change) -> str | None:
        return live.key_of(kind.name, int(change.record_id or 0))

    wanted = [{c.key for c in changes if current(c) != c.key} for _vals, changes in batches]
    if not any(wanted):
        return batches
    holder = {
        str(current(c)): index for index, (_vals, changes) in enumerate(batches) for c in changes
    }
    waits_for = [
        {holder[key] for key in keys if holder.get(key, index) != index}
        for index, keys in enumerate(wanted)
    ]
    ordered: list[int] = []
    waiting = list(range(len(batches)))
    while waiting:
        done = set(ordered)
        ready = next((i for i in waiting if waits_for[i] <= done), waiting[0])  # a swap cannot
        ordered.append(ready)  # be ordered: Odoo will refuse it and say so
        waiting.remove(ready)
    return [batches[index] for index in ordered]


def _inherited_company(
    kind: Kind, after: dict[str, Any], live: LiveState, id_of: Callable[[str, str], int]
) -> dict[str, Any]:
    """``company_id`` of the record a new one belongs to, when the blueprint names none."""
    if kind.company_from is None or after.get("company") is not None:
        return {}
    attr = kind.attr(kind.company_from)
    if after.get(attr.name) is None or attr.target is None:
        return {}
    record = live.records.get(attr.target, {}).get(id_of(attr.target, after[attr.name]), {})
    company = record.get("company_id")
    return {"company_id": company[0]} if company else {}


def _against_instance(change: Change, kind: Kind, live: LiveState, claimed: set[str]) -> Change:
    """The change as it stands now: its record (followed if Odoo replaced it, found if Odoo
    generated it) and the fields that still differ."""
    if change.action is Action.ARCHIVE:
        # Taken over under a new id earlier in this apply (its key changed with a parent's).
        if not change.xmlid or change.xmlid in live.xmlids:  # no id: a record state: absent names
            return change
        return replace(change, action=Action.NOOP, fields=())
    record_id, action, previous = change.record_id, change.action, change.previous_xmlid
    if record_id is not None:
        replacement = superseding(live, kind, record_id, change.key, change.after, claimed)
        if replacement is not None:
            record_id, action = replacement, Action.ADOPT
    else:
        record_id = unmanaged_match(live, kind, change.key, change.after, change.xmlid, claimed)
        if record_id is None and action is Action.ADOPT:
            raise UserError(f"Odoo did not generate {change.address} as expected")
        if record_id is not None:
            # Odoo made this record earlier in this apply (a warehouse's Pick type, a resupply
            # route's rules, a location renamed with its warehouse): adopt it, never duplicate.
            action = Action.ADOPT
            previous = previous or live.owner(kind.model, record_id) or ""
    if record_id is None:
        return change
    fields = _with_companions(kind, field_changes(kind, record_id, change.after, live), change)
    if action in (Action.UPDATE, Action.NOOP):
        action = Action.UPDATE if fields else Action.NOOP
    return replace(
        change, action=action, record_id=record_id, fields=fields, previous_xmlid=previous
    )


def _with_companions(
    kind: Kind, fields: tuple[FieldChange, ...], change: Change
) -> tuple[FieldChange, ...]:
    """Add the declared fields Odoo would recompute from a changed one (``write_together``)."""
    changed = {field.field for field in fields}
    extra = [
        FieldChange(name, change.after[name], change.after[name])
        for group in kind.write_together
        if changed & set(group)
        for name in group
        if name in change.after and name not in changed
    ]
    return (*fields, *extra)


def _release(group: list[Change], gateway: Gateway, live: LiveState, done: list[Change]) -> None:
    """Remove odooconf's external ids of records it no longer manages (one call)."""
    released = [c for c in group if c.xmlid in live.xmlid_rows]
    gateway.unlink("ir.model.data", sorted(live.xmlid_rows[c.xmlid] for c in released))
    for change in released:
        live.xmlid_rows.pop(change.xmlid)
        live.unbind(change.xmlid)
    done.extend(released)


def _delete(
    group: list[Change], kind: Kind, gateway: Gateway, live: LiveState, done: list[Change]
) -> None:
    """Delete records a declared container no longer lists (one call). Odoo removes their
    external ids with them."""
    records = live.records.get(kind.name, {})
    doomed = [c for c in group if c.record_id in records]
    gateway.unlink(kind.model, sorted(int(c.record_id or 0) for c in doomed))
    gone = {c.record_id for c in doomed}
    live.replace(kind.name, {rid: row for rid, row in records.items() if rid not in gone})
    for change in doomed:
        live.xmlid_rows.pop(change.xmlid, None)
        live.unbind(change.xmlid)
    done.extend(doomed)


def _bind_xmlids(changes: list[Change], gateway: Gateway, live: LiveState) -> None:
    """Give created and adopted records odooconf's external id.

    The row's ``noupdate`` says how odooconf came to manage the record, as it does for a
    module's data: off for a record odooconf created (it owns it: prune may archive it), on for
    one it adopted (it manages its fields, and only ever releases it). A record re-identified
    under a new id keeps what its old id said.

    Ids to repoint (one that outlived its record, or one a record had under its old key) are
    replaced: their rows are removed and created anew with the others, two calls in all, so no
    record carries two of odooconf's ids.
    """
    stale: list[int] = []
    rows = []
    for change in changes:
        module, name = change.xmlid.split(".", 1)
        res_id = int(change.record_id or 0)
        created = change.action is Action.CREATE or change.previous_xmlid in live.created
        for old in {change.previous_xmlid, change.xmlid} - {""}:
            if old in live.xmlid_rows:
                stale.append(live.xmlid_rows.pop(old))
                live.unbind(old)
        row = {"module": module, "name": name, "model": change.model, "res_id": res_id}
        rows.append({**row, "noupdate": not created})
        live.bind(change.xmlid, change.model, res_id, created)
    if stale:
        gateway.unlink("ir.model.data", stale)
    gateway.create("ir.model.data", rows)


def _refresh(kind: Kind, gateway: Gateway, live: LiveState) -> None:
    """Re-read this kind and those Odoo changes as a side effect of writing it: new records
    carry links to what Odoo generated for them, renamed ones have new keys (and so have the
    records whose keys include theirs)."""
    for name in dict.fromkeys((kind.name, *kind.side_effects)):
        if KINDS[name].model in live.fields:
            read_kind(gateway, live, name)
    collect_aliases(live)

"""Stage 9: execute a plan — batched per dependency level and kind, only what differs.

One RPC call is one transaction in Odoo, so a failed batch changed nothing; the result says
exactly which changes were applied before it, which failed and which were not attempted.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from odooconf.engine.diff import field_changes
from odooconf.engine.read import collect_aliases, read_kind
from odooconf.errors import ApplyFailed, Interrupted, OdooconfError, UserError
from odooconf.kinds import KINDS, Kind
from odooconf.model.live import LiveState
from odooconf.model.plan import Action, ApplyResult, Change, Plan
from odooconf.odoo.gateway import Gateway


def apply_plan(plan: Plan, gateway: Gateway, live: LiveState) -> ApplyResult:
    """Make the instance match the plan; raise ``ApplyFailed`` with the partial result."""
    result = ApplyResult(plan.environment)
    start_calls = gateway.call_count
    groups = list(_groups(plan))
    for index, group in enumerate(groups):
        try:
            done = _apply_group(group, gateway, live)
        except (OdooconfError, KeyboardInterrupt) as exc:
            cause = exc if isinstance(exc, OdooconfError) else Interrupted()
            result.failed = list(group)
            result.not_attempted = [change for later in groups[index + 1 :] for change in later]
            result.error = str(cause)
            result.rpc_calls = gateway.call_count - start_calls
            raise ApplyFailed(result, cause) from None
        result.applied.extend(done)
        if index + 1 < len(groups):
            _refresh_side_effects(group, gateway, live)
    result.rpc_calls = gateway.call_count - start_calls
    return result


def _groups(plan: Plan) -> Iterator[list[Change]]:
    """Consecutive pending changes of one kind at one level (the plan is already ordered)."""
    pending = [change for change in plan.changes if change.action is not Action.NOOP]
    for _key, group in itertools.groupby(
        pending, key=lambda c: (c.action is Action.ARCHIVE, c.level, c.kind)
    ):
        yield list(group)


def _apply_group(group: list[Change], gateway: Gateway, live: LiveState) -> list[Change]:
    """Apply one batch; return its changes as done (a create may have become an adoption)."""
    kind = KINDS[group[0].kind]

    def id_of(target: str, key: str) -> int:
        ids = live.matches(target, key)
        if len(ids) != 1:
            raise UserError(f"cannot resolve {target} {key!r} on the instance ({len(ids)} found)")
        return ids[0]

    done: list[Change] = []
    creates: list[Change] = []
    for planned in group:
        if planned.record_id is not None:
            done.append(planned)
            continue
        existing = _generated(live, kind, planned)
        if existing is None:
            if planned.action is Action.ADOPT:
                raise UserError(f"Odoo did not generate {planned.address} as expected")
            creates.append(planned)
            continue
        # Odoo generated this record earlier in this apply (a warehouse's Pick type, a resupply
        # route's rules): adopt it and write only what differs, never duplicate it.
        fields = field_changes(kind, existing, planned.values(), live)
        done.append(replace(planned, action=Action.ADOPT, record_id=existing, fields=fields))
    if creates:
        values = [
            kind.to_odoo({**kind.create_defaults(c.key, c.values()), **c.values()}, id_of)
            for c in creates
        ]
        new_ids = gateway.create(kind.model, values)
        for change, new_id in zip(creates, new_ids, strict=True):
            live.add(kind.name, new_id, change.key, {"id": new_id})
            done.append(replace(change, record_id=new_id))
    writes: dict[str, tuple[dict[str, Any], list[int]]] = {}
    for change in done:
        if change.action in (Action.CREATE, Action.NOOP) or not change.fields:
            continue
        vals = kind.to_odoo(change.values(), id_of)
        signature = json.dumps(vals, sort_keys=True, default=str)
        writes.setdefault(signature, (vals, []))[1].append(int(change.record_id or 0))
    for vals, ids in writes.values():
        gateway.write(kind.model, sorted(ids), vals)
    _bind_xmlids([c for c in done if c.action in (Action.CREATE, Action.ADOPT)], gateway, live)
    return done


def _generated(live: LiveState, kind: Kind, change: Change) -> int | None:
    """The unmanaged live record that now has this change's key, if exactly one does."""
    ids = live.matches(kind.name, change.key)
    namespace = change.xmlid.split(".", 1)[0] + "."
    owned = {
        res_id
        for xmlid, (model, res_id) in live.xmlids.items()
        if model == kind.model and xmlid.startswith(namespace)
    }
    free = [record_id for record_id in ids if record_id not in owned]
    return free[0] if len(ids) == 1 and free else None


def _bind_xmlids(changes: list[Change], gateway: Gateway, live: LiveState) -> None:
    """Give created and adopted records odooconf's external id (``noupdate``: no module owns it)."""
    rows = []
    for change in changes:
        module, name = change.xmlid.split(".", 1)
        res_id = int(change.record_id or 0)
        row_id = live.xmlid_rows.get(change.xmlid)
        if row_id is not None:  # the id survived its record: point it at the new one
            gateway.write("ir.model.data", [row_id], {"res_id": res_id})
        else:
            row = {"module": module, "name": name, "model": change.model, "res_id": res_id}
            rows.append({**row, "noupdate": True})
        live.xmlids[change.xmlid] = (change.model, res_id)
    gateway.create("ir.model.data", rows)


def _refresh_side_effects(group: list[Change], gateway: Gateway, live: LiveState) -> None:
    """Re-read kinds whose records Odoo created or renamed as a side effect of this group.

    The group's own kind is re-read too: the records it created now carry the links to what
    Odoo generated for them (a warehouse's routes), which name those records.
    """
    kind = KINDS[group[0].kind]
    if kind.side_effects and any(change.action is not Action.ARCHIVE for change in group):
        for name in dict.fromkeys((kind.name, *kind.side_effects)):
            if KINDS[name].model in live.fields:
                read_kind(gateway, live, name)
        collect_aliases(live)

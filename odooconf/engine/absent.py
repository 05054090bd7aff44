"""Items that say ``state: absent``: the record they name is removed, not declared.

An absent item names a record by its external id (odooconf's, from its ``id`` or its key) or,
when odooconf does not manage it, by its natural key: the record is archived where its model has
``active`` (``Kind.can_archive``), deleted where it has none and the kind may delete
(``Kind.can_delete``), and otherwise the item is an error. An item that matches no record, or an
archived one, is a no-op the plan notes. A declared resource that references an absent item is
an error: it would reference a record this plan removes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from odooconf.engine.prune import Pruning, has_active
from odooconf.engine.resolve import references
from odooconf.kinds import KINDS, Kind
from odooconf.model.diagnostics import Diagnostic
from odooconf.model.live import LiveState
from odooconf.model.plan import Action, Change, FieldChange, PlanNote
from odooconf.model.resource import Address, DesiredResource, XmlidRef


def take_absent(resources: list[DesiredResource]) -> list[DesiredResource]:
    """Remove the absent items from ``resources`` (they are removed, not planned); return
    them."""
    absent = [resource for resource in resources if resource.absent]
    resources[:] = [resource for resource in resources if not resource.absent]
    return absent


def offline_problem(kind: Kind) -> str | None:
    """Why an item of this kind cannot say ``state: absent`` (validate), or None."""
    if not kind.model:
        return f"{kind.name} is not a record odooconf could remove: leave the item out instead"
    if not (kind.can_archive or kind.can_delete):
        return (
            f"odooconf never archives or deletes a {kind.name} (see the README's table \"What "
            'odooconf may take away"): remove it in Odoo'
        )
    return None


@dataclass
class Removal(Pruning):
    #: odooconf's external ids of the removed records: prune must not see them as orphans.
    claimed: set[str] = field(default_factory=set)


def referenced(
    absent: Sequence[DesiredResource], declared: Sequence[DesiredResource]
) -> list[Diagnostic]:
    """Every reference of a declared resource to an absent item, located at the reference."""
    by_address = {item.address: item for item in absent}
    by_xmlid = {item.xmlid: item for item in absent}
    out: list[Diagnostic] = []
    for resource in declared:
        for attr, target, ref in references(resource):
            if isinstance(ref, XmlidRef):
                item = by_xmlid.get(ref.xmlid)
                item = item if item is not None and item.kind == target else None
            else:
                item = by_address.get(Address(target, ref))
            if item is not None:
                message = (
                    f"references {item.address}, which is declared state: absent (at "
                    f"{item.source} {item.path}): this plan removes it"
                )
                where = f"{resource.path} › {attr}"
                out.append(Diagnostic("OC-X080", message, resource.source_of(attr), where))
    return out


def plan_absent(absent: Sequence[DesiredResource], live: LiveState, claimed: set[str]) -> Removal:
    """The removal of each absent item's record (``claimed``: the declared resources' external
    ids, which an absent item must not take from them)."""
    out = Removal()
    for item in absent:
        kind = KINDS[item.kind]
        record_id = live.xmlid_record(item.xmlid, kind.model)
        if record_id is None:
            found = live.matches(kind.name, item.key)
            if len(found) > 1:
                message = (
                    f"state: absent names {len(found)} {kind.model} records with the key "
                    f"{item.key!r} ({', '.join(f'#{i}' for i in found)}): remove them in Odoo"
                )
                out.diagnostics.append(Diagnostic("OC-X081", message, item.source, item.path))
                continue
            record_id = found[0] if found else None
        if record_id is None:
            out.notes.append(_note(item, "no such record on the instance: nothing to remove"))
            continue
        owner = live.owner(kind.model, record_id)
        if owner in claimed:
            message = (
                f"state: absent names {kind.name} {item.key!r} (#{record_id}), which is managed "
                f"as {owner}, and another resource of the blueprints declares it"
            )
            out.diagnostics.append(Diagnostic("OC-X005", message, item.source, item.path))
            continue
        record = live.records[kind.name][record_id]
        if has_active(kind, live) and kind.can_archive:
            action = Action.ARCHIVE
        elif not has_active(kind, live) and kind.can_delete:
            action = Action.DELETE
        else:
            message = (
                f"state: absent: {kind.model} on this instance cannot be archived (it has no "
                f"active field), and odooconf never deletes a {kind.name}"
            )
            out.diagnostics.append(Diagnostic("OC-X082", message, item.source, item.path))
            continue
        if owner is not None:
            out.claimed.add(owner)
        if action is Action.ARCHIVE and record.get("active") is False:
            out.notes.append(_note(item, f"#{record_id} is archived already: nothing to do"))
            continue
        how = (
            "odooconf created it"
            if owner in live.created
            else "odooconf adopted it"
            if owner
            else "odooconf does not manage it"
        )
        fields = (FieldChange("active", True, False),) if action is Action.ARCHIVE else ()
        out.changes.append(
            Change(
                action, kind.name, item.key, kind.model, owner or "", record_id, fields,
                source=str(item.source), note=f"state: absent in the blueprints; {how}",
            )
        )  # fmt: skip
    return out


def _note(item: DesiredResource, why: str) -> PlanNote:
    return PlanNote("absent", item.kind, item.key, f"{item.address} is state: absent: {why}")

"""Records odooconf manages that the blueprints no longer declare: removed, released, archived
or kept.

A child of a declared container that writes its list (a pricelist's ``items``, a tax's lines, a
fiscal position's mappings, a role's ``access_rights``: ``Kind.owned_by_container``) is exactly
what that list says: a child odooconf manages (created or adopted) that leaves the list is
removed — archived where it has ``active``, else deleted — whatever ``prune`` says, and children
no blueprint manages are named (``odooconf.policies.unmanaged``), never removed. A container
that leaves its list out does not manage it: its children follow the rules below like any
record.

Otherwise a tool trusted with production never destroys what it did not create. So:

* a record odooconf *adopted* (its external id has ``noupdate`` on: Odoo's own ``WH``, a record
  made by hand) or one Odoo *generated* (a warehouse's locations, operation types and routes,
  and the rules of those routes) is **released**: odooconf's external id is removed and the
  record is left exactly as it is;
* a record odooconf *created* (``noupdate`` off, as a module's own data) is archived when the
  environment says ``prune: archive`` — unless an active record still uses it, or uses a record
  Odoo would archive with it (a warehouse's locations): then it is kept, and the plan says which
  record uses it, through which field;
* ``prune: delete`` archives the same records, and deletes a record odooconf created whose model
  has no ``active`` (a vendor price, an account group) when its kind declares it may
  (``Kind.can_delete``) and no record uses it, archived ones included (Odoo would refuse, or
  delete them too).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from odooconf.engine.read import live_values
from odooconf.engine.resolve import references
from odooconf.kinds import KINDS, Kind
from odooconf.model.diagnostics import Diagnostic
from odooconf.model.live import LiveState
from odooconf.model.plan import Action, Change, FieldChange, PlanNote
from odooconf.model.resource import Address, DesiredResource
from odooconf.policies.unmanaged import plural

#: A live record: (target name, record id).
Record = tuple[str, int]
#: Per record, the records that reference it, through which Odoo field, and whether active.
Uses = dict[Record, list[tuple[Record, str, bool]]]


@dataclass
class Pruning:
    changes: list[Change] = field(default_factory=list)
    notes: list[PlanNote] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass(frozen=True)
class Orphan:
    """A live record under one of odooconf's external ids that no declared resource claims."""

    kind: Kind
    xmlid: str
    record_id: int
    key: str

    @property
    def record(self) -> Record:
        return self.kind.name, self.record_id

    def change(
        self, action: Action, note: str = "", after: dict[str, object] | None = None
    ) -> Change:
        fields = (FieldChange("active", True, False),) if action is Action.ARCHIVE else ()
        return Change(
            action, self.kind.name, self.key, self.kind.model, self.xmlid, self.record_id, fields,
            note=note, after=after or {},
        )  # fmt: skip


def odoo_generated(kind: Kind, key: str, container: str | None, odoo_made: set[Address]) -> bool:
    """Whether Odoo generated this record, or the record it belongs to (a rule of a warehouse's
    route): Odoo creates, archives and restores those itself."""
    if Address(kind.name, key) in odoo_made:
        return True
    if kind.container and container is not None:
        return Address(str(kind.attr(kind.container).target), container) in odoo_made
    return False


def prune(
    live: LiveState,
    claimed: set[str],
    policy: str,
    resources: list[DesiredResource],
    odoo_made: set[Address],
) -> Pruning:
    """What happens to the records odooconf manages under ids no declared resource claims."""
    out = Pruning()
    users = {
        (target, str(ref)): resource
        for resource in resources
        for _attr, target, ref in references(resource)
    }
    candidates: list[Orphan] = []
    listing = {resource.address: resource.lists for resource in resources}
    for orphan in orphans(live, claimed):
        kind, key = orphan.kind, orphan.key
        record = live.records[kind.name][orphan.record_id]
        values = live_values(kind, orphan.record_id, live)
        container = values.get(kind.container) if kind.container else None
        removal = _removal(kind, live) if _listed(kind, container, listing) else None
        if removal is not None:
            if record.get("active") is not False:  # an archived one was removed before
                note = _removal_note(orphan, live, removal)
                out.changes.append(orphan.change(removal, note, values))
            continue
        released = orphan.xmlid not in live.created or odoo_generated(
            kind, key, container, odoo_made
        )
        if policy != "never" and released:
            why = "Odoo generated it" if orphan.xmlid in live.created else "odooconf adopted it"
            note = f"{why}; its external id is removed and the record is left as it is"
            out.changes.append(orphan.change(Action.RELEASE, note))
        elif record.get("active") is False:
            continue
        elif (action := pruned_by(kind, live, policy)) is None:
            out.notes.append(
                PlanNote(
                    "left_alone",
                    kind.name,
                    key,
                    f"{kind.name} {key} ({orphan.xmlid}) is managed by odooconf but no longer in "
                    f"the blueprints; left alone (prune: {policy})",
                )
            )
        elif (user := users.get((kind.name, key))) is not None:
            message = (
                f"{kind.name} {key} ({orphan.xmlid}) left the blueprints and would be "
                f"{_done(action)} (prune: {policy}), but {user.address} still uses it"
            )
            out.diagnostics.append(Diagnostic("OC-X060", message, user.source, user.path))
        else:
            candidates.append(orphan)
    archived, kept = _unused(candidates, live, policy)
    out.changes.extend(orphan.change(_pruned(orphan, live, policy)) for orphan in archived)
    out.notes.extend(kept)
    return out


def pruned_by(kind: Kind, live: LiveState, policy: str) -> Action | None:
    """What ``prune`` does to a record odooconf created that left the blueprints: archive it
    (``archive`` or ``delete``, where the model has ``active``), delete it (``delete``, a model
    without ``active`` whose kind may delete), or nothing (None: noted, left alone)."""
    if policy == "never":
        return None
    if has_active(kind, live):
        return Action.ARCHIVE if kind.can_archive else None
    return Action.DELETE if policy == "delete" and kind.can_delete else None


def _pruned(orphan: Orphan, live: LiveState, policy: str) -> Action:
    return pruned_by(orphan.kind, live, policy) or Action.ARCHIVE


def _done(action: Action) -> str:
    return "deleted" if action is Action.DELETE else "archived"


def has_active(kind: Kind, live: LiveState) -> bool:
    """Whether the instance's model can archive (Odoo 18's accounts have no ``active``)."""
    return "active" in live.fields.get(kind.model, {"active": {}})


def _listed(kind: Kind, container: object, listing: dict[Address, frozenset[str]]) -> bool:
    """Whether the record belongs to a declared container that writes its list of them."""
    if not kind.owned_by_container or kind.container is None or container is None:
        return False
    address = Address(str(kind.attr(kind.container).target), str(container))
    return kind.name in listing.get(address, frozenset())


def _removal(kind: Kind, live: LiveState) -> Action | None:
    """How a child that leaves its container's list goes: archived where it can be, else
    deleted (None: neither, as a kind that declares neither keeps it)."""
    if kind.can_archive and has_active(kind, live):
        return Action.ARCHIVE
    return Action.DELETE if kind.can_delete else None


def _removal_note(orphan: Orphan, live: LiveState, action: Action) -> str:
    container = orphan.kind.container or "container"
    how = (
        "odooconf created it"
        if orphan.xmlid in live.created
        else "odooconf adopted it (it did not create it)"
    )
    done = "archived" if action is Action.ARCHIVE else "deleted"
    return (
        f"{how}; its {container} is declared and lists exactly its declared "
        f"{plural(orphan.kind)}, so it is {done} (whatever prune says)"
    )


def orphans(live: LiveState, claimed: set[str]) -> Iterator[Orphan]:
    """The records odooconf manages under ids not in ``claimed`` (archived ones included)."""
    prefix = f"{live.namespace}."
    by_model = {kind.model: kind for kind in KINDS.values()}
    for xmlid, (model, res_id) in sorted(live.xmlids.items()):
        kind = by_model.get(model)
        if not xmlid.startswith(prefix) or xmlid in claimed or kind is None:
            continue
        if res_id in live.records.get(kind.name, {}):
            yield Orphan(kind, xmlid, res_id, live.key_of(kind.name, res_id) or f"#{res_id}")


def _unused(
    candidates: list[Orphan], live: LiveState, policy: str
) -> tuple[list[Orphan], list[PlanNote]]:
    """The candidates no active record outside the archived set uses (directly, or through a
    record Odoo archives with them), and a note for each one kept. A record to delete is kept
    when any record uses it, an archived one too."""
    uses, members = _links(live)
    deleted = {c.xmlid for c in candidates if _pruned(c, live, policy) is Action.DELETE}
    cascade = {c.xmlid: _archived_with(c, live, members) for c in candidates}
    kept: dict[str, PlanNote] = {}
    while True:
        remaining = [c for c in candidates if c.xmlid not in kept]
        archived = set().union(*(cascade[c.xmlid] for c in remaining))
        newly = {
            orphan.xmlid: use
            for orphan in remaining
            if (
                use := _first_use(
                    cascade[orphan.xmlid], archived, uses, live, orphan.xmlid in deleted
                )
            )
            is not None
        }
        if not newly:
            return remaining, [kept[c.xmlid] for c in candidates if c.xmlid in kept]
        for orphan in remaining:
            if orphan.xmlid in newly:
                kept[orphan.xmlid] = PlanNote(
                    "kept",
                    orphan.kind.name,
                    orphan.key,
                    f"{orphan.kind.name} {orphan.key} ({orphan.xmlid}) left the blueprints but "
                    f"is kept (prune: {policy}): {newly[orphan.xmlid]}; archive or change that "
                    "record first",
                )


def _links(live: LiveState) -> tuple[Uses, dict[Record, list[Record]]]:
    """Every reference between live records, read once: which active records use each record
    (and through which field), and which records belong to each (``Kind.archived_with``)."""
    uses: Uses = {}
    members: dict[Record, list[Record]] = {}
    for kind in KINDS.values():
        for record_id, record in sorted(live.records.get(kind.name, {}).items()):
            for attr in kind.attrs:
                value = record.get(attr.odoo)
                if attr.target not in KINDS or not isinstance(value, list) or not value:
                    continue
                for target_id in value if attr.many else value[:1]:
                    used = (str(attr.target), int(target_id))
                    if attr.name in kind.archived_with:
                        members.setdefault(used, []).append((kind.name, record_id))
                    # A many2many link (a route's warehouses, Odoo 19's Buy route lists every
                    # one) survives the archive of one target and keeps working with the others.
                    if not attr.many:
                        use = ((kind.name, record_id), attr.odoo, record.get("active") is not False)
                        uses.setdefault(used, []).append(use)
    return uses, members


def _archived_with(
    orphan: Orphan, live: LiveState, members: dict[Record, list[Record]]
) -> set[Record]:
    """The record and those Odoo archives with it: the records it generated (a warehouse's
    locations, types and routes), and transitively those that belong to one of them
    (``Kind.archived_with``: a location's sublocations, a warehouse's rules)."""
    todo = [orphan.record]
    values = live_values(orphan.kind, orphan.record_id, live)
    fields = live.fields.get(orphan.kind.model)
    for target, keys in orphan.kind.generated(orphan.key, values, fields).items():
        for key in keys:
            todo.extend((target, record_id) for record_id in live.matches(target, key))
    out: set[Record] = set()
    while todo:
        record = todo.pop()
        if record not in out:
            out.add(record)
            todo.extend(members.get(record, []))
    return out


def _first_use(
    records: set[Record],
    archived: set[Record],
    uses: Uses,
    live: LiveState,
    strict: bool = False,
) -> str | None:
    """An active record (any record when ``strict``) outside ``archived`` that references one
    of ``records``, described."""
    for used in sorted(records):
        for (kind_name, record_id), field_name, active in uses.get(used, []):
            if (kind_name, record_id) in archived or not (active or strict):
                continue
            target, used_id = used
            user = live.key_of(kind_name, record_id) or f"#{record_id}"
            what = live.key_of(target, used_id) or f"#{used_id}"
            state = "active" if active else "archived"
            return (
                f"the {state} {kind_name} {user} (#{record_id}) uses {target} {what} "
                f"through {field_name}"
            )
    return None

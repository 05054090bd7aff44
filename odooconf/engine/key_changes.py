"""Key changes that would replace a record: a create beside an orphan whose other values match.

A blueprint item is found by its external id, named after its key unless it says ``id:``. So
renaming account ``612000`` to ``612001`` without ``id:`` plans a new account, and the old one
is archived, released, deleted or left alone: journal items, partners and documents stay on
it. Nothing in the plan is wrong as such, so this is a warning, shown beside the changes in
every view, that names the ``id:`` keeping the record (its key then changes in place).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from odooconf.engine.read import live_values
from odooconf.kinds import KINDS, Kind
from odooconf.model.live import LiveState
from odooconf.model.plan import Action, Change, PlanWarning


@dataclass(frozen=True)
class _Orphan:
    """A live record odooconf manages that no planned change claims."""

    kind: Kind
    xmlid: str
    record_id: int
    key: str
    #: What the plan does to it (``archived``, ``released``, ``deleted``, or stays).
    fate: str
    #: Its attributes, in key space.
    values: dict[str, Any]


def key_changes(changes: list[Change], live: LiveState) -> list[PlanWarning]:
    """A ``key_change`` warning for each create that pairs with exactly one orphan of its kind
    (and that orphan with no other create) whose live values match the create's declared values
    outside the key. A pair whose keys differ only by a key another pair changes (a renamed
    warehouse's locations) is not repeated: with that ``id:``, its records follow."""
    orphans = list(_orphans(changes, live))
    order = {name: index for index, name in enumerate(KINDS)}
    creates = sorted(
        (change for change in changes if change.action is Action.CREATE),
        key=lambda change: order[change.kind],
    )
    matches = [[orphan for orphan in orphans if _same_but_key(c, orphan)] for c in creates]
    claims = Counter(orphan.xmlid for found in matches for orphan in found)
    renamed: list[tuple[str, str]] = []
    out = []
    for create, found in zip(creates, matches, strict=True):
        if len(found) != 1 or claims[found[0].xmlid] != 1:
            continue
        orphan = found[0]
        if not any(old in orphan.key and new in create.key for old, new in renamed):
            out.append(_warning(create, orphan))
        renamed.append((orphan.key, create.key))
    return out


def _orphans(changes: list[Change], live: LiveState) -> Iterator[_Orphan]:
    """Active records under odooconf's external ids that no declared resource claims."""
    claimed = {c.xmlid for c in changes if not c.action.closing}
    claimed |= {c.previous_xmlid for c in changes if c.previous_xmlid}
    fates = {
        (c.kind, c.record_id): f"is {c.action.value}d" if c.action is not Action.RELEASE else
        "is released (its external id is removed)"
        for c in changes
        if c.action.closing
    }  # fmt: skip
    by_model = {kind.model: kind for kind in KINDS.values()}
    prefix = f"{live.namespace}."
    for xmlid, (model, record_id) in sorted(live.xmlids.items()):
        kind = by_model.get(model)
        if kind is None or not xmlid.startswith(prefix) or xmlid in claimed:
            continue
        record = live.records.get(kind.name, {}).get(record_id)
        key = live.key_of(kind.name, record_id)
        if record is None or key is None or record.get("active") is False:
            continue
        fate = fates.get((kind.name, record_id), "stays, no longer managed")
        yield _Orphan(kind, xmlid, record_id, key, fate, live_values(kind, record_id, live))


def _same_but_key(create: Change, orphan: _Orphan) -> bool:
    """Whether the orphan is of the create's kind and holds every value the create declares
    outside its key (both in key space, as the diff compares them: a plain comparison, as a
    plan may pair many creates with many orphans)."""
    kind = orphan.kind
    if kind.name != create.kind or orphan.key == create.key:
        return False
    keyed = {attr.name for attr in kind.attrs if attr.odoo in kind.key_fields}
    if "complete_name" in kind.key_fields:  # a path: the record's name under its parent
        keyed |= {"name", "parent"}
    others = {name: value for name, value in create.after.items() if name not in keyed}
    return kind.compared(orphan.values, others) == others


def _warning(create: Change, orphan: _Orphan) -> PlanWarning:
    name = orphan.xmlid.split(".", 1)[1]
    message = (
        f"{create.address} is created while {orphan.kind.name} {orphan.key} "
        f"(#{orphan.record_id}, {orphan.xmlid}) {orphan.fate}, and its other declared values "
        "match: this looks like a key change. What points at the old record (documents, "
        "partners, journal items) would stay on it. To change the key of that record "
        f"instead, give {create.address} 'id: {name}' in the blueprint"
    )
    return PlanWarning(
        "key_change",
        message,
        (create.address, f"{orphan.kind.name} {orphan.key}"),
        create.source,
    )

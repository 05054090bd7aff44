"""Key changes that would replace a record: a create beside an orphan whose other values match.

A blueprint item is found by its external id, named after its key unless it says ``id:``. So
renaming account ``612000`` to ``612001`` without ``id:`` plans a new account, and the old one
is archived, released, deleted or left alone: journal items, partners and documents stay on
it. Nothing in the plan is wrong as such, so this is a warning, shown beside the changes in
every view, that names the ``id:`` keeping the record (its key then changes in place).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from odooconf.engine.prune import Orphan, orphans
from odooconf.engine.read import live_values
from odooconf.kinds import KINDS
from odooconf.kinds._base import compared
from odooconf.model.live import LiveState
from odooconf.model.plan import Action, Change, PlanWarning

#: Where a key splits into parts: a path's ``/``, a composite key's `` | ``.
_PARTS = re.compile(r"\s*[/|]\s*")
#: What the plan does to a managed record that left the blueprints.
_FATES = {
    Action.ARCHIVE: "is archived",
    Action.RELEASE: "is released (its external id is removed)",
    Action.DELETE: "is deleted",
}


@dataclass(frozen=True)
class _Candidate:
    """An active orphan, with what the plan does to it and its attributes (key space)."""

    orphan: Orphan
    #: ``is archived``, ``is released (...)``, ``is deleted``, or ``stays, no longer managed``.
    fate: str
    values: dict[str, Any]


def key_changes(changes: list[Change], live: LiveState) -> list[PlanWarning]:
    """A ``key_change`` warning for each create that pairs with exactly one orphan of its kind
    (and that orphan with no other create): its key differs from the create's in one part
    (``WH/Stock/Zone`` → ``WH/Stock/Zone 2``), and its live values match the create's declared
    values outside the key. A pair whose keys differ by the part another pair changes (a renamed
    zone's sublocations, a renamed warehouse's locations) is not named again: with that pair's
    ``id:``, its records follow."""
    order = {name: index for index, name in enumerate(KINDS)}
    creates = sorted(
        (change for change in changes if change.action is Action.CREATE),
        key=lambda change: (order[change.kind], len(_PARTS.split(change.key))),
    )
    candidates = list(_candidates(changes, live, {create.kind for create in creates}))
    matches = [[o for o in candidates if _same_but_key(c, o)] for c in creates]
    claims = Counter(found.orphan.xmlid for each in matches for found in each)
    renamed: set[tuple[str, str] | None] = set()
    out = []
    for create, found in zip(creates, matches, strict=True):
        if len(found) != 1 or claims[found[0].orphan.xmlid] != 1:
            continue
        renaming = _renaming(found[0].orphan.key, create.key)
        if renaming not in renamed:
            out.append(_warning(create, found[0]))
            renamed.add(renaming)
    return out


def _renaming(old: str, new: str) -> tuple[str, str] | None:
    """The one part of a key that changes (``DC9`` → ``DC8`` in ``DC9/Stock/Bulk``), or None
    when the keys differ in more parts, or in their number."""
    before, after = _PARTS.split(old), _PARTS.split(new)
    if len(before) != len(after):
        return None
    changed = [(part, other) for part, other in zip(before, after, strict=True) if part != other]
    return changed[0] if len(changed) == 1 else None


def _candidates(changes: list[Change], live: LiveState, kinds: set[str]) -> Iterator[_Candidate]:
    """The active records of these kinds odooconf manages that no planned change claims."""
    claimed = {c.xmlid for c in changes if not c.action.closing}
    claimed |= {c.previous_xmlid for c in changes if c.previous_xmlid}
    fates = {(c.kind, c.record_id): _FATES[c.action] for c in changes if c.action in _FATES}
    for orphan in orphans(live, claimed):
        kind, record_id = orphan.kind, orphan.record_id
        if kind.name not in kinds or live.records[kind.name][record_id].get("active") is False:
            continue
        fate = fates.get((kind.name, record_id), "stays, no longer managed")
        yield _Candidate(orphan, fate, live_values(kind, record_id, live))


def _same_but_key(create: Change, candidate: _Candidate) -> bool:
    """Whether the orphan is of the create's kind, its key differs in one part, and it holds
    every value the create declares outside its key (both in key space, compared plainly: a
    plan may pair many creates with many orphans)."""
    kind, key = candidate.orphan.kind, candidate.orphan.key
    if kind.name != create.kind or _renaming(key, create.key) is None:
        return False
    keyed = {attr.name for attr in kind.attrs if attr.odoo in kind.key_fields}
    if "complete_name" in kind.key_fields:  # a path: the record's name under its parent
        keyed |= {"name", "parent"}
    others = {name: value for name, value in create.after.items() if name not in keyed}
    return compared(kind, candidate.values, others) == others


def _warning(create: Change, candidate: _Candidate) -> PlanWarning:
    orphan = candidate.orphan
    name = orphan.xmlid.split(".", 1)[1]
    message = (
        f"{create.address} is created while {orphan.kind.name} {orphan.key} "
        f"(#{orphan.record_id}, {orphan.xmlid}), which holds the same values outside its key, "
        f"{candidate.fate}: this looks like a key change. What points at the old record "
        "(documents, partners, journal items) would stay on it. To change the key of that "
        f"record instead, give {create.address} 'id: {name}' in the blueprint"
    )
    return PlanWarning(
        "key_change",
        message,
        (create.address, f"{orphan.kind.name} {orphan.key}"),
        create.source,
    )

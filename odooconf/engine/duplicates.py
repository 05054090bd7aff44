"""Declared keys that several live records share: a plan error naming every one of them.

A record odooconf manages is found by its external id, so a second live record with the same
key (made by two applies that ran at once, or by hand) would go unnoticed, and the plan would
say "No changes" while Odoo uses either record. Adoption already refuses a key several records
match (``OC-X004``); this check covers every planned record, however it was found, for every
kind. It is an error, not a warning: which record the configuration stands for is ambiguous,
and apply cannot settle it (it never merges nor deletes a record it did not create), so apply
is refused until a person archives, merges or deletes the extras.
"""

from __future__ import annotations

from odooconf.engine.prune import has_active
from odooconf.engine.read import live_values
from odooconf.kinds import KINDS, Kind
from odooconf.model.diagnostics import Diagnostic
from odooconf.model.live import LiveState
from odooconf.model.plan import Action, Change
from odooconf.model.resource import Address, DesiredResource


def duplicates(
    resources: list[DesiredResource], changes: list[Change], live: LiveState
) -> list[Diagnostic]:
    """An ``OC-X006`` error for each declared resource whose record has live twins: active
    records with its key, in the same scope (a warehouse code's company), that no other change
    of the plan accounts for (a record moving to another key, one archived or deleted)."""
    by_address = {resource.address: resource for resource in resources}
    accounted: dict[str, set[int]] = {}
    for change in changes:
        if change.record_id is not None and change.action is not Action.RELEASE:
            accounted.setdefault(change.kind, set()).add(change.record_id)
    out = []
    for change in changes:
        resource = by_address.get(Address(change.kind, change.key))
        if resource is None or change.record_id is None or change.action.closing:
            continue
        kind = KINDS[change.kind]
        twins = [
            record_id
            for record_id in live.ids_by_key(kind.name).get(change.key, [])
            if record_id not in accounted.get(kind.name, set())
            and _live(kind, record_id, live)
            and _same_scope(kind, record_id, change.record_id, live)
        ]
        if twins:
            message = _message(kind, change, twins, live)
            out.append(Diagnostic("OC-X006", message, resource.source, resource.path))
    return out


def _live(kind: Kind, record_id: int, live: LiveState) -> bool:
    """Whether the record is active (an archived twin is what Odoo leaves when it replaces a
    record, e.g. a rule rebuilt with new steps: not a duplicate)."""
    return live.records.get(kind.name, {}).get(record_id, {}).get("active") is not False


def _same_scope(kind: Kind, record_id: int, managed: int, live: LiveState) -> bool:
    """Whether two records share the scope their key is unique in (a pricelist name is unique
    per company: another company's ``Promo`` is another record's key)."""
    if not kind.scope:
        return True
    one, other = live_values(kind, record_id, live), live_values(kind, managed, live)
    return all(one.get(name) == other.get(name) for name in kind.scope)


def _message(kind: Kind, change: Change, twins: list[int], live: LiveState) -> str:
    xmlid = live.owner(kind.model, change.record_id or 0) or change.xmlid
    others = ", ".join(f"#{record_id}" for record_id in sorted(twins))
    fix = (
        "archive or merge the others by hand"
        if kind.can_archive and has_active(kind, live)
        else "delete the others by hand, or change their key"
    )
    renamed = live.key_of(kind.name, change.record_id or 0) != change.key
    return (
        f"{len(twins) + 1} {kind.model} records {'would have' if renamed else 'have'} the key "
        f"{change.key!r}: "
        f"#{change.record_id} ({xmlid}, the one odooconf manages) and {others}; odooconf cannot "
        f"tell which one the blueprints mean, and will not plan until only one is left: {fix} "
        f"(to keep one of the others instead, move external id {xmlid} to it first), then "
        "plan again"
    )

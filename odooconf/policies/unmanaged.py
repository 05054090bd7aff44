"""Children no blueprint manages in a list a declared container writes (warning ``unmanaged``).

A declared container that writes its list of children (a pricelist's ``items``, a tax's lines:
``Kind.owned_by_container``) lists exactly the children odooconf manages; a live child made by
hand and never declared is left as it is (odooconf removes only what it manages), so it stays in
effect though the list does not name it. The plan names them, one warning per container.
"""

from __future__ import annotations

from collections.abc import Sequence

from odooconf.engine.read import live_values
from odooconf.kinds import KINDS, Kind
from odooconf.kinds._base import Review
from odooconf.model.live import LiveState
from odooconf.model.plan import Change, PlanWarning
from odooconf.model.resource import Address, DesiredResource


def plural(kind: Kind) -> str:
    """The kind's name as a plural noun (``pricelist items``, ``taxes``)."""
    noun = kind.name.replace("_", " ")
    return f"{noun}es" if noun.endswith("x") else f"{noun}s"


def unmanaged_children(
    resources: Sequence[DesiredResource], live: LiveState, changes: Sequence[Change]
) -> Review:
    """Live children of a declared container that writes their list, which no blueprint
    declares and odooconf does not manage (made by hand, never declared): left as they are,
    so the list is not all there is; one warning per container and list names them."""
    holders = {resource.address: resource for resource in resources if resource.lists}
    planned = {(c.kind, c.record_id) for c in changes if c.record_id is not None}
    out: list[PlanWarning] = []
    for kind in KINDS.values():
        if not kind.owned_by_container or kind.container is None:
            continue
        target = str(kind.attr(kind.container).target)
        found: dict[Address, list[str]] = {}
        for record_id, record in sorted(live.records.get(kind.name, {}).items()):
            if record.get("active") is False or (kind.name, record_id) in planned:
                continue
            if live.owner(kind.model, record_id) is not None:
                continue
            container = live_values(kind, record_id, live).get(kind.container)
            address = Address(target, str(container))
            if kind.name in getattr(holders.get(address), "lists", ()):
                key = live.key_of(kind.name, record_id) or f"#{record_id}"
                found.setdefault(address, []).append(f"#{record_id} ({key})")
        for address, named in found.items():
            holder = holders[address]
            attrs = KINDS[target].lists[kind.name]
            what = (
                f"{len(named)} {plural(kind)}"
                if len(named) > 1
                else f"a {kind.name.replace('_', ' ')}"
            )
            message = (
                f"{address} has {what} that the blueprints do not declare and odooconf does "
                f"not manage, left as is (still in effect): {', '.join(named)}; declare it in "
                f"its {' and '.join(attrs)} (it is then adopted) or remove it in Odoo"
            )
            subjects = tuple(f"{kind.name} {entry}" for entry in named)
            out.append(PlanWarning("unmanaged", message, subjects, str(holder.source_of(attrs[0]))))
    return Review(warnings=out)

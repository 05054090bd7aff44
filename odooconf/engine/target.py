"""``--target KIND[:KEY]``: a plan limited to some resources and what they depend on.

The selection is the declared resources a target names (every one of its kind without a key),
their inline children, and, transitively, what they depend on: the declared resources they
reference (by key or external id, or the declared record that makes Odoo generate the one they
reference) and the container they are declared in. House rules and segregation-of-duties
policies are always kept: they are checked on whatever is planned. The rest is still declared:
its external ids are not orphans, so a targeted plan prunes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from odooconf.engine.resolve import generated_by, references
from odooconf.errors import UserError
from odooconf.kinds import KINDS
from odooconf.kinds.house_rule import HouseRule
from odooconf.kinds.sod_policy import SodPolicy
from odooconf.model.resource import Address, DesiredResource, XmlidRef

#: Kinds checked on the plan, not planned: kept whatever the targets.
_CHECKED = frozenset({HouseRule.name, SodPolicy.name})


@dataclass(frozen=True)
class Target:
    """One ``--target``: a kind, and a key (None: every resource of that kind)."""

    kind: str
    key: str | None = None

    def __str__(self) -> str:
        return self.kind if self.key is None else f"{self.kind}:{self.key}"

    def names(self, resource: DesiredResource) -> bool:
        return resource.kind == self.kind and self.key in (None, resource.key)


def parse_target(text: str) -> Target:
    """``KIND[:KEY]``, the kind by name or section (``location:WH/Stock``, ``warehouses``)."""
    kind, _, key = text.partition(":")
    by_section = {k.section: k.name for k in KINDS.values() if k.section}
    name = by_section.get(kind.strip(), kind.strip())
    if name not in KINDS or name in _CHECKED:
        known = ", ".join(sorted(by_section.keys() - {HouseRule.section, SodPolicy.section}))
        raise ValueError(f"no kind {kind!r} to target (KIND[:KEY], kinds: {known})")
    return Target(name, key.strip() or None)


def select(
    resources: list[DesiredResource], targets: tuple[Target, ...]
) -> tuple[list[DesiredResource], set[str]]:
    """The resources the targets select, in declaration order, and the external ids of the
    declared resources left out (still declared: never pruned). Raises when a target names no
    declared resource."""
    unmatched = [str(t) for t in targets if not any(t.names(r) for r in resources)]
    if unmatched:
        raise UserError(
            f"--target {', '.join(unmatched)} names no resource the blueprints declare for this "
            "environment: nothing to plan for it"
        )
    by_address = {r.address: r for r in resources}
    by_xmlid = {r.xmlid: r for r in resources}
    makers = generated_by(resources)
    named = [r for r in resources if any(t.names(r) for t in targets)]
    # With their inline children: declared inside them (``warehouses[0] (DC1) › locations[1]``).
    chosen = {
        r.address
        for r in resources
        for item in named
        if r is item or (r.source.file == item.source.file and r.path.startswith(f"{item.path} › "))
    }
    todo = list(chosen)
    while todo:
        resource = by_address[todo.pop()]
        needed = set(resource.depends_on)
        for _attr, target, ref in references(resource):
            if isinstance(ref, XmlidRef):
                hit = by_xmlid.get(ref.xmlid)
                needed |= {hit.address} if hit is not None else set()
            else:
                address = Address(target, ref)
                maker = makers.get(address)
                needed |= {address} if address in by_address else set()
                needed |= {maker.address} if maker is not None else set()
        for address in needed - chosen:
            if address in by_address:
                chosen.add(address)
                todo.append(address)
    selected = [r for r in resources if r.address in chosen or r.kind in _CHECKED]
    kept = {r.xmlid for r in resources if r.address not in chosen and r.kind not in _CHECKED}
    return selected, kept


def saved_targets(
    path: Path, document: Mapping[str, Any], given: tuple[Target, ...]
) -> tuple[Target, ...]:
    """The targets a saved plan was made with, which its apply uses: ``--target`` given to
    that apply must be the same (or left out)."""
    recorded = tuple(parse_target(str(text)) for text in document["plan"].get("targets") or ())
    if given and given != recorded:
        made = ", ".join(map(str, recorded)) or "no --target"
        raise UserError(
            f"{path} was saved with {made}; apply it without --target (it applies the targets "
            "it was made with) or plan again with these; nothing was applied"
        )
    return recorded

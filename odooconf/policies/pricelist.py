"""Pricelist analysers over (desired, live, changes): what Odoo accepts and then gets wrong.

* ``base_cycles`` (``OC-X080``, an error): pricelists based on each other, directly or through
  others. Odoo saves such items and then fails every price computation on those pricelists with
  a RecursionError.
* ``precedence`` (warnings ``shadowed`` and ``ambiguous``): items of one pricelist with the same
  target and minimum quantity whose dates overlap. Odoo orders such items by creation only (the
  newer wins), so one whose dates lie within a newer one's never applies.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from odooconf.kinds._base import Review
from odooconf.model.diagnostics import Diagnostic
from odooconf.model.live import LiveState
from odooconf.model.plan import Change, PlanWarning
from odooconf.model.resource import DesiredResource


def base_cycles(
    resources: Sequence[DesiredResource], live: LiveState, changes: Sequence[Change]
) -> Review:
    """Two pricelists based on each other (directly or through others): Odoo saves them and then
    fails every price computation with a RecursionError. The graph is the declared
    items plus the live items of the pricelists the blueprints do not declare."""
    declared = {r.key for r in resources if r.kind == "pricelist"}
    edges: dict[str, dict[str, Any]] = {}
    for resource in resources:
        if resource.kind != "pricelist_item":
            continue
        base = resource.values.get("base_pricelist")
        if base is not None and resource.values.get("based_on") == "pricelist":
            edges.setdefault(str(resource.values["pricelist"]), {}).setdefault(str(base), resource)
    for record in live.records.get("pricelist_item", {}).values():
        pricelist, base = record.get("pricelist_id"), record.get("base_pricelist_id")
        if not (pricelist and base) or record.get("base") != "pricelist":
            continue
        owner = live.key_of("pricelist", pricelist[0])
        if owner is None or owner in declared:
            continue
        edges.setdefault(owner, {}).setdefault(str(live.key_of("pricelist", base[0])), None)
    diagnostics: list[Diagnostic] = []
    reported: set[frozenset[str]] = set()
    for start in sorted(edges):
        trail = _cycle_from(start, edges)
        if trail is None or frozenset(trail) in reported:
            continue
        reported.add(frozenset(trail))
        item = edges[trail[0]][trail[1]] or next(
            (edges[a][b] for a, b in itertools.pairwise(trail) if edges[a][b] is not None), None
        )
        path = " → ".join(trail)
        message = (
            f"pricelists based on each other: {path}; Odoo saves such items and then fails "
            "every price computation on these pricelists (RecursionError)"
        )
        if trail[0] == trail[1]:
            message = f"pricelist {trail[0]} is based on itself (Odoo refuses it)"
        diagnostics.append(
            Diagnostic(
                "OC-X080",
                message,
                item.source if item is not None else None,
                item.path if item is not None else "",
            )
        )
    return Review(diagnostics=diagnostics)


def _cycle_from(start: str, edges: Mapping[str, Mapping[str, Any]]) -> list[str] | None:
    """The first cycle through ``start`` (``[start, ..., start]``), if any."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, trail = stack.pop()
        for nxt in sorted(edges.get(node, {})):
            if nxt == start:
                return [*trail, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*trail, nxt]))
    return None


@dataclass(frozen=True)
class _Item:
    address: str
    key: str
    values: Mapping[str, Any]
    #: Creation rank: live ids first, then the records this plan creates, in apply order.
    rank: tuple[int, int]
    source: str


def _window(item: _Item) -> tuple[str, str]:
    return (item.values.get("date_start") or "", item.values.get("date_end") or "\uffff")


def _overlap(a: _Item, b: _Item) -> bool:
    (a_start, a_end), (b_start, b_end) = _window(a), _window(b)
    return a_start <= b_end and b_start <= a_end


def _inside(inner: _Item, outer: _Item) -> bool:
    (i_start, i_end), (o_start, o_end) = _window(inner), _window(outer)
    return o_start <= i_start and i_end <= o_end


def precedence(
    resources: Sequence[DesiredResource], live: LiveState, changes: Sequence[Change]
) -> Review:
    """The ``shadowed`` and ``ambiguous`` warnings of ``precedence_warnings``."""
    return Review(warnings=precedence_warnings(resources, changes))


def precedence_warnings(
    resources: Sequence[DesiredResource], changes: Sequence[Change]
) -> list[PlanWarning]:
    """Items of one pricelist whose precedence Odoo decides by creation order: same target,
    same minimum quantity, overlapping dates — the newer wins. When the older one's dates lie
    within the newer one's, the older one can never apply."""
    by_key = {(c.kind, c.key): (index, c) for index, c in enumerate(changes)}
    items: list[_Item] = []
    for resource in resources:
        if resource.kind != "pricelist_item" or ("pricelist_item", resource.key) not in by_key:
            continue
        index, change = by_key[("pricelist_item", resource.key)]
        # Existing items by id; new ones after them, in the order apply creates them.
        rank = (0, change.record_id) if change.record_id is not None else (1, index)
        items.append(
            _Item(str(resource.address), resource.key, resource.values, rank, str(resource.source))
        )
    groups: dict[tuple[Any, ...], list[_Item]] = {}
    for item in items:
        v = item.values
        group = (
            v.get("pricelist"), v.get("applied_on"), v.get("category"), v.get("product"),
            v.get("variant"), float(v.get("min_quantity") or 0),
        )  # fmt: skip
        groups.setdefault(group, []).append(item)
    out: list[PlanWarning] = []
    for members in groups.values():
        for first, second in itertools.combinations(sorted(members, key=lambda i: i.key), 2):
            if _overlap(first, second):
                out.append(_precedence(first, second))
    return out


def _precedence(first: _Item, second: _Item) -> PlanWarning:
    newer, older = (first, second) if first.rank > second.rank else (second, first)
    subjects = (older.address, newer.address)
    if _inside(older, newer):
        message = (
            f"item {older.key} can never apply: item {newer.key} is newer and applies whenever "
            "it does (between two such items Odoo takes the newer one); remove one, or give them "
            "other dates or another minimum quantity"
        )
        return PlanWarning("shadowed", message, subjects, older.source)
    when = "on the instance" if older.rank[0] == newer.rank[0] == 0 else "after this apply"
    message = (
        f"items {older.key} and {newer.key} both apply on their common dates, where Odoo decides "
        f"by creation order which one gives the price ({when}: {newer.key}, the newer); make "
        "their dates disjoint or their minimum quantities differ"
    )
    return PlanWarning("ambiguous", message, subjects, older.source)

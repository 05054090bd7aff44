"""Desired resources (what the blueprints declare) and references between them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from odooconf.model.diagnostics import SourceRef


@dataclass(frozen=True)
class XmlidRef:
    """A reference written as an external id (``{xmlid: stock.route_warehouse0_mto}``)."""

    xmlid: str

    def __str__(self) -> str:
        return f"xmlid {self.xmlid}"


#: A reference as written in a blueprint: the target's natural key, or an external id.
Ref = str | XmlidRef


@dataclass(frozen=True)
class Address:
    """A resource's identity inside odooconf: its kind and natural key."""

    kind: str
    key: str

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


@dataclass
class DesiredResource:
    """One validated resource, before and after reference resolution.

    ``values`` holds only the attributes the blueprint declares, in *key space*: references are
    natural keys of their targets (never database ids), so they can be compared with live state
    read the same way and planned before the targets exist.
    """

    address: Address
    values: dict[str, Any]
    source: SourceRef
    #: Breadcrumb of the blueprint item, e.g. ``warehouses[0] (DC1)``.
    path: str
    #: Full external id (``module.name``) that identifies the record on every instance.
    xmlid: str
    #: Addresses of other *declared* resources this one must come after.
    depends_on: set[Address] = field(default_factory=set)
    #: Line of each attribute written in the item, for diagnostics about that attribute.
    lines: dict[str, int] = field(default_factory=dict)
    #: Child kinds whose list the item writes (``Kind.lists``): exactly these children.
    lists: frozenset[str] = frozenset()
    #: The item says ``state: absent``: its record is removed (``engine.absent``), not declared.
    absent: bool = False

    def source_of(self, attr: str) -> SourceRef:
        """Where an attribute is written (``accounts.stock_input`` is under ``accounts``)."""
        line = self.lines.get(attr.split(".", 1)[0])
        return SourceRef(self.source.file, line) if line else self.source

    @property
    def kind(self) -> str:
        return self.address.kind

    @property
    def key(self) -> str:
        return self.address.key

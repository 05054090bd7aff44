"""Routes (``stock.route``) and their ordered rules, keyed by route name.

Routes Odoo generates per warehouse are referenced by stable aliases (``DC1/reception``,
``DC1/delivery``, ``DC1/crossdock``; resupply routes ``RW1/resupply/DC1``) because Odoo renames
them when the warehouse's steps change. Global routes (MTO, Buy) are found by name or xmlid.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from odooconf.kinds._base import Attr, Inline, Keyer, Kind, RefSpec, Spec
from odooconf.kinds.rule import InlineRuleSpec, RuleSpec

#: Blueprint name of each "selectable on" flag → Odoo field.
SELECTABLE = {
    "products": "product_selectable",
    "product_categories": "product_categ_selectable",
    "warehouses": "warehouse_selectable",
    "sale_order_lines": "sale_selectable",
}


class SelectableSpec(BaseModel):
    """Where users may pick the route; an omitted flag is left as it is on the instance."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    products: bool | None = None
    product_categories: bool | None = None
    warehouses: bool | None = None
    sale_order_lines: bool | None = None


class RouteSpec(Spec):
    name: str = Field(min_length=1)
    sequence: int | None = None
    selectable: SelectableSpec | None = None
    warehouses: list[RefSpec] = Field(default_factory=list)
    company: RefSpec | None = None
    active: bool = True
    #: The route's rules, in order (each rule's sequence follows its position unless given).
    rules: list[InlineRuleSpec] = Field(default_factory=list)


class Route(Kind):
    name = "route"
    can_archive = True
    can_delete = False
    revokes = ""
    owned_by_container = False
    section = "routes"
    model = "stock.route"
    module = "stock"
    spec = RouteSpec
    identity = "name"
    key_fields = ("name", "supplied_wh_id", "supplier_wh_id")
    attrs = (
        Attr("name", "name"),
        Attr("sequence", "sequence"),
        *(Attr(f"selectable.{name}", field) for name, field in SELECTABLE.items()),
        Attr("warehouses", "warehouse_ids", target="warehouse", many=True),
        Attr("company", "company_id", target="company"),
        Attr("active", "active"),
    )

    def expand(self, spec: Spec) -> Iterable[Inline]:
        assert isinstance(spec, RouteSpec)
        for index, rule in enumerate(spec.rules):
            data = rule.model_dump(exclude_unset=True)
            data.setdefault("sequence", (index + 1) * 10)
            rule_spec = RuleSpec(route=spec.name, **data)
            local = f"{rule_spec.action} {rule_spec.source or ''} {rule_spec.destination}"
            yield Inline("rule", rule_spec, ("rules", index), local)

    def aliases(self, record: Mapping[str, Any], keyer: Keyer) -> Iterable[tuple[str, str, int]]:
        supplied, supplier = record.get("supplied_wh_id"), record.get("supplier_wh_id")
        if supplied and supplier:
            alias = f"{keyer('warehouse', supplied[0])}/resupply/{keyer('warehouse', supplier[0])}"
            yield "route", alias, record["id"]

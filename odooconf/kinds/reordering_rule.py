"""Reordering rules (``stock.warehouse.orderpoint``), keyed ``<product> @ <location>``
(``DRY-RICE-5KG @ RW1/Stock``, the product by default code): Odoo allows one rule per product,
location and company.

``min`` and ``max`` are required, since they are what a rule is for. Odoo fills in what else
a blueprint leaves out: the rule's name from the ``stock.orderpoint`` sequence (the name is
read-only, so it is not managed), the warehouse from the location, trigger ``auto`` and
multiple 1. Odoo 19 has no ``qty_multiple``: a blueprint that declares ``multiple`` is reported
as needing a field that instance lacks. Odoo refuses to change a rule's company: archive the
rule and declare a new one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, model_validator

from odooconf.kinds._base import Attr, Keyer, Kind, RefSpec, Spec, linked_key
from odooconf.kinds.location import LocationKey
from odooconf.kinds.lookups import CodeKey


class ReorderingRuleSpec(Spec):
    product: CodeKey
    location: LocationKey
    warehouse: RefSpec | None = None
    #: Below this forecast quantity, Odoo orders up to ``max``.
    min: float = Field(ge=0)
    max: float = Field(ge=0)
    #: Odoo 16-18: order quantities are rounded up to a multiple of this (0: no rounding).
    multiple: float = Field(default=1, ge=0)
    #: Odoo 19: order quantities are rounded up to a multiple of this unit of measure or
    #: packaging, by name (``Pack of 6``). Not a translation of ``multiple``: say which one the
    #: blueprint means on each version (``{% if odoo_major >= 19 %}``).
    replenishment_uom: RefSpec | None = None
    #: Preferred route (``{xmlid: purchase_stock.route_warehouse0_buy}``, a route's name...).
    route: RefSpec | None = None
    trigger: Literal["auto", "manual"] = "auto"
    company: RefSpec | None = None
    active: bool = True

    @model_validator(mode="after")
    def _min_not_above_max(self) -> ReorderingRuleSpec:
        if self.min > self.max:
            raise ValueError(f"min ({self.min:g}) must not be greater than max ({self.max:g})")
        return self


def reordering_key(product: str, location: str) -> str:
    return f"{product} @ {location}"


class ReorderingRule(Kind):
    name = "reordering_rule"
    can_archive = True
    can_delete = False
    revokes = ""
    owned_by_container = False
    section = "reordering_rules"
    model = "stock.warehouse.orderpoint"
    module = "stock"
    spec = ReorderingRuleSpec
    identity = "product"
    key_fields = ("product_id", "location_id")
    company_from = "location"
    # Odoo recomputes a zero or crossed min from max (and max from min) when one is written alone.
    write_together = (("min", "max"),)
    attrs = (
        Attr("product", "product_id", target="product"),
        Attr("warehouse", "warehouse_id", target="warehouse"),
        Attr("location", "location_id", target="location"),
        Attr("min", "product_min_qty"),
        Attr("max", "product_max_qty"),
        Attr("multiple", "qty_multiple"),
        Attr("replenishment_uom", "replenishment_uom_id", target="uom"),
        Attr("route", "route_id", target="route"),
        Attr("trigger", "trigger"),
        Attr("company", "company_id", target="company"),
        Attr("active", "active"),
    )

    def key(self, spec: Spec) -> str:
        assert isinstance(spec, ReorderingRuleSpec)
        return reordering_key(spec.product, spec.location)

    def live_key(self, record: Mapping[str, Any], keyer: Keyer) -> str | None:
        product_key = linked_key(record, "product_id", "product", keyer)
        location_key = linked_key(record, "location_id", "location", keyer)
        if not (product_key and location_key):
            return None
        return reordering_key(product_key, location_key)

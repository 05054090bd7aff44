"""Putaway rules (``stock.putaway.rule``): where goods arriving in a location are stored.

Odoo gives them no unique key, so odooconf defines one from what a rule matches: the arrival
location, the product (by default code) or the category (by path), and the storage location,
``DC1/Stock | category:All / Saleable / Frozen → DC1/Stock/Cold Room``. Each rule here names
exactly one product or one category (Odoo also allows rules on package types only, and rules
on both: odooconf leaves those alone). Odoo refuses to change a rule's company: archive the rule
and declare a new one. Package types and the storage category (capacity) are referenced by name;
``sublocation`` exists from Odoo 18 on (the version check reports it on older servers).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from odooconf.kinds._base import Attr, Keyer, KeyRef, Kind, RefSpec, Spec, linked_key
from odooconf.kinds.location import LocationKey
from odooconf.kinds.lookups import CodeKey
from odooconf.kinds.product_category import check_category_path


class PutawayRuleSpec(Spec):
    #: The location goods arrive in (``DC1/Stock``).
    location_in: LocationKey
    #: A product by default code, or ...
    product: CodeKey | None = None
    #: ... a category by path (``All / Saleable / Frozen``).
    category: KeyRef | None = None
    #: Where they are stored: the arrival location or one inside it.
    location_out: LocationKey
    sequence: int = 0
    #: Only packages of these types (by name) follow the rule.
    package_types: list[RefSpec] = Field(default_factory=list)
    #: Storage category (capacity rules) of the locations the rule may choose, by name.
    storage_category: RefSpec | None = None
    #: Odoo 18+: no, last_used or closest_location.
    sublocation: Literal["no", "last_used", "closest_location"] | None = None
    company: RefSpec | None = None
    active: bool = True

    @field_validator("category")
    @classmethod
    def _category_path(cls, value: Any) -> Any:
        return check_category_path(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _product_or_category(self) -> PutawayRuleSpec:
        if (self.product is None) == (self.category is None):
            raise ValueError("give either 'product' or 'category' (exactly one of them)")
        if self.storage_category is not None and self.sublocation not in (
            None,
            "closest_location",
        ):
            # Odoo empties the storage category of any other strategy.
            raise ValueError("a storage_category needs sublocation: closest_location")
        return self


def putaway_key(location_in: str, matched: str, location_out: str) -> str:
    """``matched`` is ``product:<code>`` or ``category:<path>``."""
    return f"{location_in} | {matched} → {location_out}"


class PutawayRule(Kind):
    name = "putaway_rule"
    can_archive = True
    can_delete = False
    revokes = ""
    owned_by_container = False
    section = "putaway_rules"
    model = "stock.putaway.rule"
    module = "stock"
    spec = PutawayRuleSpec
    identity = "location_out"
    key_fields = ("location_in_id", "product_id", "category_id", "location_out_id")
    company_from = "location_in"
    write_together = (("sublocation", "storage_category"),)
    attrs = (
        Attr("location_in", "location_in_id", target="location"),
        Attr("product", "product_id", target="product"),
        Attr("category", "category_id", target="product_category"),
        Attr("location_out", "location_out_id", target="location"),
        Attr("sequence", "sequence"),
        Attr("package_types", "package_type_ids", target="package_type", many=True),
        Attr("storage_category", "storage_category_id", target="storage_category"),
        Attr("sublocation", "sublocation"),
        Attr("company", "company_id", target="company"),
        Attr("active", "active"),
    )

    def key(self, spec: Spec) -> str:
        assert isinstance(spec, PutawayRuleSpec)
        if spec.product is not None:
            matched = f"product:{spec.product}"
        else:
            matched = f"category:{spec.category}"
        return putaway_key(spec.location_in, matched, spec.location_out)

    def live_key(self, record: Mapping[str, Any], keyer: Keyer) -> str | None:
        if record.get("product_id") and record.get("category_id"):
            return None  # a rule on both cannot be written in a blueprint
        product = linked_key(record, "product_id", "product", keyer)
        category = linked_key(record, "category_id", "product_category", keyer)
        matched = f"product:{product}" if product else f"category:{category}" if category else None
        location_in = linked_key(record, "location_in_id", "location", keyer)
        location_out = linked_key(record, "location_out_id", "location", keyer)
        if not (matched and location_in and location_out):
            return None
        return putaway_key(location_in, matched, location_out)

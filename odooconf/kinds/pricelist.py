"""Customer pricelists (``product.pricelist``) and their items (``product.pricelist.item``).

A pricelist is keyed by its name (per company when one is declared). Its items have no key in
Odoo and no sequence: Odoo orders them itself (variant, product, category, then global items;
higher minimum quantity first; then the category by complete name, descending, so a
subcategory before its parent; then the newer item) and the first
applicable one gives the price. So odooconf keys an item inside its pricelist by what it applies
to, its minimum quantity and its validity dates (``Wholesale | category All / Saleable | ≥ 50``):
where an item is written in the blueprint means nothing, and moving it changes nothing.

A pricelist that writes its ``items`` lists exactly those: an item odooconf manages that leaves
the list is deleted (items have no ``active``; ``Kind.owned_by_container``). Odoo accepts, then
breaks on, an item without a pricelist, a negative rounding and two pricelists based on each
other: the first two are refused by the schema, the cycle by the plan
(``odooconf.policies.pricelist``, which also warns of items Odoo orders by creation alone). How
items are keyed and described is ``odooconf.kinds.pricelist_words``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from odooconf.kinds._base import (
    Attr,
    Inline,
    Keyer,
    KeyRef,
    Kind,
    Moment,
    PercentOff,
    RefSpec,
    Spec,
)
from odooconf.kinds.lookups import CodeKey
from odooconf.kinds.pricelist_words import item_key, item_sentence
from odooconf.model.plan import Change

#: Blueprint name of a base price → Odoo's ``base`` selection value.
BASES = {"sales_price": "list_price", "cost": "standard_price", "pricelist": "pricelist"}
#: Odoo's ``applied_on`` per blueprint target attribute (none of them: ``3_global``).
APPLIED_ON = {
    "variant": "0_product_variant",
    "product": "1_product",
    "category": "2_product_category",
}
#: Words of the formula attributes in sentences and errors.
FORMULA_FIELDS = ("discount", "surcharge", "rounding", "min_margin", "max_margin")


def odoo_datetime(value: Moment | None) -> str | None:
    """A validity date as Odoo stores a Datetime (a date is midnight)."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    return value.strftime("%Y-%m-%d %H:%M:%S")


class FormulaSpec(BaseModel):
    """A price computed from the base price: discount (%), then rounding, then surcharge, then
    bounded by the margins (amounts over the base price)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Percent off the base price; negative is a markup.
    discount: PercentOff = 0.0
    #: Amount added after the discount and the rounding.
    surcharge: float = 0.0
    #: The price becomes a multiple of this. Odoo saves a negative rounding and then fails to
    #: show the item (18/side_effects_finance_security.md, C1t), so it is refused here.
    rounding: float = Field(default=0.0, ge=0)
    min_margin: float = 0.0
    max_margin: float = 0.0

    @model_validator(mode="after")
    def _margins(self) -> FormulaSpec:
        if self.max_margin and self.min_margin > self.max_margin:
            raise ValueError("min_margin must not exceed max_margin (Odoo refuses it)")
        return self


class InlineItemSpec(Spec):
    """A pricelist item written inside its pricelist. It applies to all products unless it names
    a product category (by path), a product (template, by internal reference) or a variant (by
    internal reference); it gives a fixed price, a percentage off, or a formula."""

    category: KeyRef | None = None
    product: CodeKey | None = None
    variant: CodeKey | None = None
    min_quantity: float = Field(default=0.0, ge=0)
    #: Validity (inclusive), a date or a date and time (UTC, as Odoo stores them).
    start: Moment | None = None
    end: Moment | None = None
    fixed_price: float | None = None
    #: Percent off the base price (negative: a markup).
    percentage: PercentOff | None = None
    formula: FormulaSpec | None = None
    #: What the percentage or formula starts from.
    base: Literal["sales_price", "cost", "pricelist"] | None = None
    #: The pricelist a ``base: pricelist`` item starts from, by name (implies that base).
    base_pricelist: KeyRef | None = None

    @model_validator(mode="after")
    def _coherent(self) -> InlineItemSpec:
        targets = [name for name in APPLIED_ON if getattr(self, name) is not None]
        if len(targets) > 1:
            raise ValueError(f"an item applies to one thing: {' or '.join(targets)}, not both")
        prices = [
            name
            for name in ("fixed_price", "percentage", "formula")
            if getattr(self, name) is not None
        ]
        if len(prices) != 1:
            raise ValueError("an item gives exactly one of fixed_price, percentage or formula")
        if self.fixed_price is not None and (self.base or self.base_pricelist):
            raise ValueError("a fixed price has no base")
        if self.base == "pricelist" and self.base_pricelist is None:
            raise ValueError("base: pricelist needs base_pricelist (its name)")
        if self.base_pricelist is not None and self.base not in (None, "pricelist"):
            raise ValueError(f"base_pricelist contradicts base: {self.base}")
        start, end = odoo_datetime(self.start), odoo_datetime(self.end)
        if start and end and start >= end:
            raise ValueError("end must be after start (Odoo refuses an equal or earlier end)")
        return self


class PricelistItemSpec(InlineItemSpec):
    """An item in the ``pricelist_items`` section names its pricelist: Odoo would attach an item
    without one to the company's first pricelist (C1y), so it is required."""

    pricelist: KeyRef


class PricelistSpec(Spec):
    name: str = Field(min_length=1)
    #: ISO code (``USD``); the company's currency when not given.
    currency: RefSpec | None = None
    company: RefSpec | None = None
    active: bool = True
    country_groups: list[RefSpec] = Field(default_factory=list)
    sequence: int | None = None
    #: Every item of the pricelist, in any order: Odoo orders them itself. Left out, the
    #: pricelist's items are not managed.
    items: list[InlineItemSpec] = Field(default_factory=list)


class Pricelist(Kind):
    name = "pricelist"
    can_archive = True
    can_delete = False
    revokes = ""
    owned_by_container = False
    section = "pricelists"
    model = "product.pricelist"
    module = "product"
    spec = PricelistSpec
    identity = "name"
    scope = ("company",)
    key_fields = ("name",)
    lists = {"pricelist_item": ("items",)}
    attrs = (
        Attr("name", "name"),
        Attr("currency", "currency_id", target="currency"),
        Attr("company", "company_id", target="company"),
        Attr("active", "active"),
        Attr("country_groups", "country_group_ids", target="country_group", many=True),
        Attr("sequence", "sequence"),
    )

    def expand(self, spec: Spec) -> Iterable[Inline]:
        assert isinstance(spec, PricelistSpec)
        for index, item in enumerate(spec.items):
            data = item.model_dump(exclude_unset=True)
            item_spec = PricelistItemSpec(pricelist=spec.name, **data)
            local = PRICELIST_ITEM.key(item_spec).split(" | ", 1)[1]
            yield Inline("pricelist_item", item_spec, ("items", index), local)


class PricelistItem(Kind):
    name = "pricelist_item"
    can_delete = True
    revokes = ""
    section = "pricelist_items"
    model = "product.pricelist.item"
    module = "product"
    spec = PricelistItemSpec
    identity = "pricelist"
    container = "pricelist"
    #: Items go with their pricelist: archiving it does not wait for them.
    archived_with = ("pricelist",)
    can_archive = False
    owned_by_container = True
    key_fields = (
        "pricelist_id", "applied_on", "categ_id", "product_tmpl_id", "product_id",
        "min_quantity", "date_start", "date_end",
    )  # fmt: skip
    attrs = (
        Attr("pricelist", "pricelist_id", target="pricelist"),
        Attr("applied_on", "applied_on"),
        Attr("category", "categ_id", target="product_category"),
        Attr("product", "product_tmpl_id", target="product_template"),
        Attr("variant", "product_id", target="product"),
        Attr("min_quantity", "min_quantity"),
        Attr("date_start", "date_start"),
        Attr("date_end", "date_end"),
        Attr("compute_price", "compute_price"),
        Attr("fixed_price", "fixed_price"),
        Attr("percent_price", "percent_price"),
        Attr("based_on", "base"),
        Attr("base_pricelist", "base_pricelist_id", target="pricelist"),
        # Odoo 18 and 19 compute price_markup from price_discount (and the other way round):
        # only the discount is written, or the two would fight.
        Attr("discount", "price_discount"),
        Attr("surcharge", "price_surcharge"),
        Attr("rounding", "price_round"),
        Attr("min_margin", "price_min_margin"),
        Attr("max_margin", "price_max_margin"),
    )
    exported_from = {
        "start": "date_start",
        "end": "date_end",
        "percentage": "percent_price",
        "base": "based_on",
        **{f"formula.{name}": name for name in FORMULA_FIELDS},
    }
    exported_values = {"base": {odoo: name for name, odoo in BASES.items()}}

    def key(self, spec: Spec) -> str:
        assert isinstance(spec, PricelistItemSpec)
        return item_key(spec.pricelist, self.values(spec))

    def live_key(self, record: Mapping[str, Any], keyer: Keyer) -> str | None:
        pricelist = record.get("pricelist_id")
        name = keyer("pricelist", pricelist[0]) if pricelist else None
        if name is None:
            return None
        applied_on = str(record.get("applied_on") or "3_global")
        values: dict[str, Any] = {
            "applied_on": applied_on,
            "min_quantity": record.get("min_quantity") or 0.0,
            "date_start": record.get("date_start") or None,
            "date_end": record.get("date_end") or None,
        }
        for attr_name, field, target in (
            ("category", "categ_id", "product_category"),
            ("product", "product_tmpl_id", "product_template"),
            ("variant", "product_id", "product"),
        ):
            value = record.get(field)
            values[attr_name] = (keyer(target, value[0]) or f"#{value[0]}") if value else None
        return item_key(name, values)

    def values(self, spec: Spec) -> dict[str, Any]:
        """Every field that makes the item's price is declared (an item is what it says, all of
        it): a hand edit of any of them is restored."""
        assert isinstance(spec, InlineItemSpec)
        applied_on = next(
            (code for name, code in APPLIED_ON.items() if getattr(spec, name) is not None),
            "3_global",
        )
        out: dict[str, Any] = {}
        if isinstance(spec, PricelistItemSpec):
            out["pricelist"] = spec.pricelist
        out["applied_on"] = applied_on
        # The target the item names; the others are empty (Odoo clears them too), except a
        # variant item's template, which Odoo fills in itself.
        out["category"] = spec.category
        if applied_on != "0_product_variant":
            out["product"] = spec.product
        out["variant"] = spec.variant
        out["min_quantity"] = float(spec.min_quantity)
        out["date_start"] = odoo_datetime(spec.start)
        out["date_end"] = odoo_datetime(spec.end)
        if spec.fixed_price is not None:
            out["compute_price"] = "fixed"
            out["fixed_price"] = float(spec.fixed_price)
            return out
        base = "pricelist" if spec.base_pricelist else (spec.base or "sales_price")
        out["based_on"] = BASES[base]
        out["base_pricelist"] = spec.base_pricelist
        if spec.percentage is not None:
            out["compute_price"] = "percentage"
            out["percent_price"] = float(spec.percentage)
            return out
        assert spec.formula is not None
        out["compute_price"] = "formula"
        for name in FORMULA_FIELDS:
            out[name] = float(getattr(spec.formula, name))
        return out

    def sentence(self, change: Change) -> str:
        return item_sentence(change)


PRICELIST_ITEM = PricelistItem()

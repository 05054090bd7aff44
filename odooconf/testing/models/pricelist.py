"""Pricelists, their items and the price Odoo computes with them (get_contextual_price).

What a real Odoo 18 does is recorded in ``odoo-reference/18/side_effects_finance_security.md``,
part C (experiment labels C1a-C4m are cited where each behaviour is reproduced). Computing
prices here stands in for Odoo: the client never does it.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any, ClassVar

from .. import errors
from ..orm import Model, Signature, register
from ..store import Row
from .base import ProductPricelist as _BasePricelist
from .product import ProductPricelistItem as _BaseItem
from .product import ProductProduct as _BaseProduct
from .product import ProductTemplate as _BaseTemplate

#: Item order of ``product.pricelist.item`` (MODELS.md §4.2): applied_on, min_quantity desc,
#: categ_id desc, id desc. A many2one is ordered by its model's ``_order``: for categories their
#: complete name (product_category.py), so a subcategory's item comes before its parent's
#: (seen on a real Odoo 18: ``Top / Sub`` 20 % wins over ``Top`` 5 %, whatever was created first).
_TARGET_FIELDS = ("categ_id", "product_tmpl_id", "product_id")
#: Fields each ``applied_on`` keeps; the others are cleared on create and write (C1w, C1x).
_KEEPS = {
    "3_global": (),
    "2_product_category": ("categ_id",),
    "1_product": ("product_tmpl_id",),
    "0_product_variant": ("product_id", "product_tmpl_id"),
}
#: Past this depth of "based on another pricelist", Odoo's Python stack overflows (C4m).
_MAX_DEPTH = 64


def _order_key(row: Row, category_name: str) -> tuple[Any, ...]:
    # Descending by name: negated code points, and a name before any longer one it starts.
    descending_name = (*(-ord(char) for char in category_name), 1)
    return (
        str(row.get("applied_on") or "3_global"),
        -float(row.get("min_quantity") or 0.0),
        descending_name,
        -int(row["id"]),
    )


def _moment(value: Any) -> datetime | None:
    if not value:
        return None
    text = str(value)
    return datetime.strptime(
        text[:19] if len(text) > 10 else text, "%Y-%m-%d %H:%M:%S" if len(text) > 10 else "%Y-%m-%d"
    )


def _locale(moment: datetime) -> str:
    """``Feb 1, 2026, 12:00:00 AM`` (babel's medium format, en_US), as in C1p."""
    hour = moment.hour % 12 or 12
    half = "AM" if moment.hour < 12 else "PM"
    return (
        f"{moment.strftime('%b')} {moment.day}, {moment.year}, "
        f"{hour}:{moment.minute:02d}:{moment.second:02d} {half}"
    )


@register
class ProductPricelistItem(_BaseItem):
    """Items: applied_on inference and clean-up, the company's first pricelist for an item
    without one, price_markup mirroring price_discount, and Odoo's checks on save."""

    _name = "product.pricelist.item"

    def default_values(self, vals: dict[str, Any]) -> None:
        if "applied_on" not in vals:
            # C1u, C1v: inferred from the target given (a variant first).
            if vals.get("product_id"):
                vals["applied_on"] = "0_product_variant"
            elif vals.get("product_tmpl_id"):
                vals["applied_on"] = "1_product"
            elif vals.get("categ_id"):
                vals["applied_on"] = "2_product_category"
        super().default_values(vals)
        if not vals.get("pricelist_id"):
            # C1y: attached to the company's first pricelist instead of failing.
            company = self.env.company_id
            domain = [("company_id", "in", [company, False])]
            first = self.env["product.pricelist"].search(domain, limit=1, order="sequence, id")
            if first:
                vals["pricelist_id"] = first[0]

    def create(self, vals_list: list[dict[str, Any]]) -> list[int]:
        prepared = [self._sanitize(dict(vals)) for vals in vals_list]
        return super().create(prepared)

    def write(self, ids: list[int], vals: dict[str, Any]) -> None:
        super().write(ids, self._sanitize(dict(vals)))

    def _sanitize(self, vals: dict[str, Any]) -> dict[str, Any]:
        """Odoo's ``_sanitize_vals`` and the markup inverse."""
        if vals.get("product_id") and not vals.get("product_tmpl_id"):
            variant = self.env.db.store.get("product.product", int(vals["product_id"])) or {}
            vals["product_tmpl_id"] = variant.get("product_tmpl_id") or False  # C1v
        applied_on = vals.get("applied_on")
        if applied_on in _KEEPS:
            for fname in _TARGET_FIELDS:
                if fname not in _KEEPS[applied_on]:
                    vals[fname] = False  # C1w, C1x
        # C1g-C1l: price_markup and price_discount mirror each other; the markup wins.
        if "price_markup" in vals and "price_markup" in self.schema.fields:
            vals["price_discount"] = -float(vals["price_markup"] or 0.0)
        elif "price_discount" in vals and "price_markup" in self.schema.fields:
            vals["price_markup"] = -float(vals["price_discount"] or 0.0)
        return vals

    def item_name(self, row: Row) -> str:
        """The computed ``name`` (C1c): ``All Products``, ``Category: …``, the product."""
        applied_on = row.get("applied_on")
        db = self.env.db
        if applied_on == "2_product_category" and row.get("categ_id"):
            return f"Category: {db.display_name('product.category', row['categ_id'], self.env)}"
        if applied_on == "1_product" and row.get("product_tmpl_id"):
            return str(db.display_name("product.template", row["product_tmpl_id"], self.env))
        if applied_on == "0_product_variant" and row.get("product_id"):
            return f"Variant: {db.display_name('product.product', row['product_id'], self.env)}"
        return "All Products"

    def compute(self, row: Row, fname: str) -> Any:
        if fname == "name":
            return self.item_name(row)
        if fname == "rule_tip" and row.get("compute_price") == "formula":
            rounding = float(row.get("price_round") or 0.0)
            if rounding < 0:
                # C1t2: a negative rounding is saved, then reading the tip fails.
                raise errors.OdooError(
                    "builtins.AssertionError",
                    f"precision_rounding must be positive, got {rounding}",
                )
        return super().compute(row, fname)

    def check(self, ids: list[int]) -> None:
        super().check(ids)
        for row in self.rows(ids):
            if (
                row.get("base") == "pricelist"
                and row.get("base_pricelist_id")
                and (row.get("base_pricelist_id") == row.get("pricelist_id"))
            ):
                # C1m, C1n: only a direct self-reference is refused (C1z2b: cycles are not).
                raise errors.validation(
                    "You cannot assign the Main Pricelist as Other Pricelist in PriceList Item"
                )
            start, end = _moment(row.get("date_start")), _moment(row.get("date_end"))
            if start and end and start >= end:
                # C1p, C1q: an equal end is refused too.
                raise errors.validation(
                    f"{self.item_name(row)}: end date ({_locale(end)}) should be after start "
                    f"date ({_locale(start)})"
                )

    def unlink(self, ids: list[int]) -> None:
        _forget_external_ids(self, ids)
        super().unlink(ids)

    # ------------------------------------------------------------------ prices
    def applicable(self, row: Row, variant: Row, quantity: float, moment: datetime) -> bool:
        """Odoo's ``_is_applicable_for`` (MODELS.md §4.2)."""
        if quantity < float(row.get("min_quantity") or 0.0):
            return False
        start, end = _moment(row.get("date_start")), _moment(row.get("date_end"))
        if (start and moment < start) or (end and moment > end):
            return False
        applied_on = row.get("applied_on")
        if applied_on == "0_product_variant":
            return bool(row.get("product_id") == variant["id"])
        if applied_on == "1_product":
            return bool(row.get("product_tmpl_id") == variant.get("product_tmpl_id"))
        if applied_on == "2_product_category":
            template = self.env.db.store.get(
                "product.template", variant.get("product_tmpl_id") or 0
            )
            categ = (template or {}).get("categ_id")
            while categ:
                if categ == row.get("categ_id"):
                    return True
                categ = (self.env.db.store.get("product.category", categ) or {}).get("parent_id")
            return False
        return True


def _forget_external_ids(model: Model, ids: list[int]) -> None:
    """Odoo's unlink removes the records' ``ir.model.data`` rows."""
    store = model.env.db.store
    doomed = [
        rid
        for res_id in ids
        for rid in store.lookup("ir.model.data", "res_id", res_id)
        if (store.get("ir.model.data", rid) or {}).get("model") == model.name
    ]
    for rid in sorted(set(doomed)):
        store.delete("ir.model.data", rid)


@register
class ProductPricelist(_BasePricelist):
    """A pricelist used as another's base cannot be deleted (C1z3); archiving it is accepted."""

    _name = "product.pricelist"

    def default_values(self, vals: dict[str, Any]) -> None:
        super().default_values(vals)
        if self.env.db.major >= 17:
            # C1a, C1b: the current company by default from 17 (none in 16; MODELS.md §4.1).
            vals.setdefault("company_id", self.env.company_id)
        if "discount_policy" in self.schema.fields:
            # 16 and 17 only (MODELS.md §4.1): required, "with_discount" by default.
            vals.setdefault("discount_policy", "with_discount")

    def unlink(self, ids: list[int]) -> None:
        items = self.env.with_context(active_test=False)["product.pricelist.item"]
        users = sorted(
            {
                int(row["pricelist_id"])
                for rid in ids
                for row in items.rows(items.referencing("base_pricelist_id", rid))
                if row.get("pricelist_id") and row["pricelist_id"] not in ids
            }
        )
        if users:
            names = "\n".join(self.display_name(rid) for rid in ids)
            using = "\n".join(self.display_name(rid) for rid in users)
            raise errors.user_error(
                f"You cannot delete pricelist(s):\n({names})\nThey are used within "
                f"pricelist(s):\n{using}"
            )
        _forget_external_ids(self, ids)
        super().unlink(ids)

    def price(
        self, pricelist_id: int, variant: Row, quantity: float, moment: datetime, depth: int = 0
    ) -> float:
        """The price of a variant on this pricelist: the first applicable item in Odoo's order
        (C4d, C4e, C4h), else the sales price; a base pricelist is priced the same way, and
        pricelists based on each other exhaust the stack (C4m)."""
        if depth > _MAX_DEPTH:
            raise errors.OdooError(
                "builtins.RecursionError",
                "maximum recursion depth exceeded while calling a Python object",
            )
        items = self.env.with_context(active_test=False)["product.pricelist.item"]
        assert isinstance(items, ProductPricelistItem)
        store = self.env.db.store

        def category_name(row: Row) -> str:
            category = store.get("product.category", int(row.get("categ_id") or 0)) or {}
            return str(category.get("complete_name") or "")

        pricelist = self.row(pricelist_id) or {}
        company = pricelist.get("company_id")
        visible = not company or company == self.env.company_id  # the multi-company rule
        rows = sorted(
            items.rows(items.referencing("pricelist_id", pricelist_id)) if visible else [],
            key=lambda row: _order_key(row, category_name(row)),
        )
        rule = next((r for r in rows if items.applicable(r, variant, quantity, moment)), None)
        template = (
            self.env.db.store.get("product.template", variant.get("product_tmpl_id") or 0) or {}
        )
        sales_price = float(template.get("list_price") or 0.0)
        if rule is None:
            return sales_price
        if rule.get("compute_price") == "fixed":
            return float(rule.get("fixed_price") or 0.0)
        base = rule.get("base")
        if base == "standard_price":
            products = self.env["product.product"]
            base_price = float(products.value(variant, "standard_price") or 0.0)
        elif base == "pricelist" and rule.get("base_pricelist_id"):
            base_price = self.price(
                int(rule["base_pricelist_id"]), variant, quantity, moment, depth + 1
            )
        else:
            base_price = sales_price
        if rule.get("compute_price") == "percentage":
            return base_price - base_price * float(rule.get("percent_price") or 0.0) / 100
        price = base_price - base_price * float(rule.get("price_discount") or 0.0) / 100
        rounding = float(rule.get("price_round") or 0.0)
        if rounding:
            if rounding < 0:
                raise errors.OdooError(
                    "builtins.AssertionError",
                    f"precision_rounding must be positive, got {rounding}",
                )
            price = _float_round(price, rounding, self.env.db.major)
        price += float(rule.get("price_surcharge") or 0.0)
        if rule.get("price_min_margin"):
            price = max(price, base_price + float(rule["price_min_margin"]))
        if rule.get("price_max_margin"):
            price = min(price, base_price + float(rule["price_max_margin"]))
        return price


def _py2_round(value: float) -> float:
    """Half away from zero (``odoo.tools.float_utils.round``)."""
    whole = round(value)
    if round(value + 1) - whole != 1:
        return value + math.copysign(0.5, value)
    return math.copysign(whole, value)


_EXACT_INVERSES = {
    float(f"{head}e-{digits}"): float(f"{inverse}e{digits - (head != 1)}")
    for digits in range(1, 11)
    for head, inverse in ((1, 1), (2, 5), (5, 2))
}


def _float_round(value: float, rounding: float, major: int) -> float:
    """``float_round(value, precision_rounding=rounding)``, HALF-UP: up to 17 the value is
    divided by the rounding with an epsilon of 2**-52 of its magnitude; from 18 a rounding
    below 1 is inverted (exactly for 1, 2 and 5 times a power of ten) and the epsilon is
    2**-50 (``odoo/tools/float_utils.py``)."""
    if value == 0:
        return 0.0
    if major <= 17:
        scaled = value / rounding
        nudge = math.copysign(2 ** (math.log(abs(scaled), 2) - 52), scaled)
        return _py2_round(scaled + nudge) * rounding
    inverse = None
    if rounding < 1:
        inverse = _EXACT_INVERSES.get(rounding)
        if inverse is None:
            mantissa, exponent = f"{rounding:.15e}".split("e")
            inverse = float(f"{mantissa}e{-int(exponent)}") / float(mantissa) ** 2
    scaled = value * inverse if inverse is not None else value / rounding
    result = _py2_round(scaled + math.copysign(2 ** (math.log2(abs(scaled)) - 50), scaled))
    return result / inverse if inverse is not None else result * rounding


def _contextual_price(model: Model, variant: Row) -> float:
    """``_get_contextual_price``: the pricelist, quantity and date of the context (C4d-C4g)."""
    context = model.env.context
    pricelist_id = context.get("pricelist")
    template = model.env.db.store.get("product.template", variant.get("product_tmpl_id") or 0) or {}
    if not pricelist_id:
        return float(template.get("list_price") or 0.0)  # C4g
    pricelists = model.env.with_context(active_test=False)["product.pricelist"]
    assert isinstance(pricelists, ProductPricelist)
    if pricelists.row(int(pricelist_id)) is None:
        return float(template.get("list_price") or 0.0)
    quantity = float(context.get("quantity") or 1.0)
    moment = _moment(context.get("date")) or datetime.now().replace(microsecond=0)
    return round(pricelists.price(int(pricelist_id), variant, quantity, moment), 10)


def _singleton(model: Model, ids: list[int]) -> None:
    if len(ids) != 1:
        # C4i
        listed = ", ".join(map(str, ids)) + ("," if len(ids) == 1 else "")
        raise errors.value_error(f"Expected singleton: {model.name}({listed})")


@register
class ProductProduct(_BaseProduct):
    _name = "product.product"
    public_methods: ClassVar[dict[str, Signature]] = {
        **_BaseProduct.public_methods,
        "get_contextual_price": Signature.of(records=True),
    }

    def get_contextual_price(self, ids: list[int]) -> float:
        _singleton(self, ids)
        return _contextual_price(self, self.rows(ids)[0])


@register
class ProductTemplate(_BaseTemplate):
    _name = "product.template"
    public_methods: ClassVar[dict[str, Signature]] = {
        **_BaseTemplate.public_methods,
        "get_contextual_price": Signature.of(records=True),
    }

    def get_contextual_price(self, ids: list[int]) -> float:
        _singleton(self, ids)
        variants = self.variants(ids[0])
        products = self.env.with_context(active_test=False)["product.product"]
        if not variants:
            return 0.0
        return _contextual_price(self, products.rows(variants[:1])[0])

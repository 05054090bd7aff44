"""Prices as Odoo computes them, from data read in batch: no RPC per price.

The rules are those of ``product.pricelist._compute_price_rule`` / ``_get_applicable_rules`` and
``product.pricelist.item._is_applicable_for`` / ``_compute_price`` / ``_compute_base_price``
(``addons/product/models/``), read in Odoo 16, 17, 18 and 19 (written here in odooconf's own
terms; no Odoo code):

- the items searched are the pricelist's whose category is none or a parent of the product's
  (or the product's own), whose template and variant are none or the product's, and whose
  validity contains the moment (``date_start <= moment <= date_end``, both optional); Odoo
  orders them by ``applied_on``, minimum quantity descending, category complete name descending
  (a many2one sorts by its model's ``_order``), then id descending (the newer first), and the
  first whose minimum quantity the quantity reaches gives the price;
- items of a pricelist of another company than the login's are invisible (the multi-company
  record rule of ``product.pricelist.item``): the price is then the sales price;
- a fixed price is the price; a percentage takes that percent off the base; a formula takes
  ``price_discount`` percent off, rounds to a multiple of ``price_round`` (``float_round``,
  half away from zero), adds the surcharge, then keeps the price between the base plus the
  minimum margin and the base plus the maximum margin (each only when not zero);
- the base is the sales price (the template's ``list_price`` plus the variant's ``price_extra``)
  in the product's currency, the cost in the cost currency, or the price on another pricelist
  (computed the same way, with the same quantity and moment) in that pricelist's currency,
  converted to the pricelist's currency at the rates of the login's company on that day
  (``res.currency._get_rates``: the latest rate on or before the day, the company's before the
  shared ones; Odoo 17+ then fall back to the earliest rate, 16 to 1);
- with no applicable item, the price is the sales price, converted the same way.

Quantities are in the product's unit of measure (a price check's quantity is): Odoo converts
only when a sale line's unit differs, so the unit's factor never applies here.
"""

from __future__ import annotations

import builtins
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

#: Past this many pricelists based on each other, Odoo fails (RecursionError); so does this.
MAX_DEPTH = 64
#: The values of ``compute_price`` and ``base`` odooconf knows; a module adding others changes
#: prices in ways it cannot follow.
COMPUTES = frozenset({"fixed", "percentage", "formula"})
BASES = frozenset({"list_price", "standard_price", "pricelist"})


class Unpriceable(Exception):
    """odooconf cannot compute this price the way the instance does (the message says why)."""


@dataclass(frozen=True)
class Category:
    id: int
    parent: int | None
    complete_name: str


@dataclass(frozen=True)
class Product:
    """A product variant with what its prices start from."""

    id: int
    template: int
    category: int | None
    #: The template's sales price plus the variant's attribute extras (``price_extra``).
    sales_price: float
    cost: float
    currency: int | None
    cost_currency: int | None


@dataclass(frozen=True)
class Item:
    """A pricelist item, with ``product.pricelist.item``'s field names. ``pricelist`` and
    ``base_pricelist`` name pricelists of the ``World``; ``rank`` orders items as their ids do
    (a planned item gets one above every existing id)."""

    pricelist: str
    rank: int
    applied_on: str = "3_global"
    categ_id: int | None = None
    product_tmpl_id: int | None = None
    product_id: int | None = None
    min_quantity: float = 0.0
    date_start: datetime | None = None
    date_end: datetime | None = None
    compute_price: str = "fixed"
    fixed_price: float = 0.0
    percent_price: float = 0.0
    base: str = "list_price"
    base_pricelist: str | None = None
    price_discount: float = 0.0
    price_surcharge: float = 0.0
    price_round: float = 0.0
    price_min_margin: float = 0.0
    price_max_margin: float = 0.0


@dataclass(frozen=True)
class Pricelist:
    currency: int | None
    company: int | None


@dataclass(frozen=True)
class Rate:
    currency: int
    day: date
    rate: float
    company: int | None = None


@dataclass
class World:
    """Everything a price depends on, read once."""

    major: int
    pricelists: dict[str, Pricelist]
    items: Sequence[Item]
    categories: Mapping[int, Category]
    #: The login's current company and its currency.
    company: int | None = None
    company_currency: int | None = None
    rates: Sequence[Rate] = ()
    _by_pricelist: dict[str, list[Item]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for item in self.items:
            self._by_pricelist.setdefault(item.pricelist, []).append(item)

    def price(self, pricelist: str, product: Product, quantity: float, moment: datetime) -> float:
        """``product.product.get_contextual_price`` with this pricelist, quantity and moment."""
        return self._price(pricelist, product, quantity, moment, 0)

    def _price(
        self, pricelist: str, product: Product, quantity: float, moment: datetime, depth: int
    ) -> float:
        if depth > MAX_DEPTH:
            raise Unpriceable("pricelists based on each other: Odoo fails (RecursionError)")
        info = self.pricelists.get(pricelist)
        if info is None:
            raise Unpriceable(f"pricelist {pricelist!r} is not known")
        currency = info.currency or self.company_currency
        rule = self.rule(pricelist, product, quantity, moment)
        if rule is None:
            return self._convert(product.sales_price, product.currency, currency, moment)
        if rule.compute_price not in COMPUTES or rule.base not in BASES:
            raise Unpriceable(
                f"an item computes with {rule.compute_price!r} on {rule.base!r}, which a module "
                "adds: odooconf cannot compute it"
            )
        if rule.compute_price == "fixed":
            return rule.fixed_price
        base = self._base(rule, product, quantity, moment, currency, depth)
        if rule.compute_price == "percentage":
            return (base - base * (rule.percent_price / 100)) or 0.0
        price = (base - base * (rule.price_discount / 100)) or 0.0
        if rule.price_round:
            price = float_round(price, rule.price_round, self.major)
        if rule.price_surcharge:
            price += rule.price_surcharge
        if rule.price_min_margin:
            price = max(price, base + rule.price_min_margin)
        if rule.price_max_margin:
            price = min(price, base + rule.price_max_margin)
        return price

    def _base(
        self,
        rule: Item,
        product: Product,
        quantity: float,
        moment: datetime,
        currency: int | None,
        depth: int,
    ) -> float:
        if rule.base == "pricelist" and rule.base_pricelist:
            price = self._price(rule.base_pricelist, product, quantity, moment, depth + 1)
            based = self.pricelists[rule.base_pricelist]
            source = based.currency or self.company_currency
        elif rule.base == "standard_price":
            price, source = product.cost, product.cost_currency
        else:
            price, source = product.sales_price, product.currency
        return self._convert(price, source, currency, moment)

    def rule(
        self, pricelist: str, product: Product, quantity: float, moment: datetime
    ) -> Item | None:
        """The item that gives the price, or None (the sales price)."""
        info = self.pricelists[pricelist]
        if info.company is not None and self.company is not None and info.company != self.company:
            return None  # the items are not visible to the login
        parents = self._lineage(product.category)
        candidates = [
            item
            for item in self._by_pricelist.get(pricelist, [])
            if (item.categ_id is None or item.categ_id in parents)
            and (item.product_tmpl_id is None or item.product_tmpl_id == product.template)
            and (item.product_id is None or item.product_id == product.id)
            and (item.date_start is None or item.date_start <= moment)
            and (item.date_end is None or item.date_end >= moment)
        ]
        candidates.sort(key=self._order)
        return next((item for item in candidates if self._applies(item, product, quantity)), None)

    def _order(self, item: Item) -> tuple[object, ...]:
        category = self.categories.get(item.categ_id) if item.categ_id is not None else None
        name = category.complete_name if category is not None else ""
        # Descending by name: a name sorts after every name it starts.
        descending = (*(-ord(char) for char in name), 1)
        return (item.applied_on, -item.min_quantity, descending, -item.rank)

    def _applies(self, item: Item, product: Product, quantity: float) -> bool:
        """``_is_applicable_for`` on a variant."""
        if item.min_quantity and quantity < item.min_quantity:
            return False
        if item.applied_on == "2_product_category":
            return item.categ_id in self._lineage(product.category)
        if item.applied_on == "1_product":
            return item.product_tmpl_id == product.template
        if item.applied_on == "0_product_variant":
            return item.product_id == product.id
        return True

    def _lineage(self, category: int | None) -> set[int]:
        """A category and its parents (the product's category is ``parent_of``-searched, and
        ``_is_applicable_for`` compares parent paths)."""
        seen: set[int] = set()
        while category is not None and category not in seen:
            seen.add(category)
            known = self.categories.get(category)
            category = known.parent if known is not None else None
        return seen

    def _convert(
        self, amount: float, source: int | None, target: int | None, moment: datetime
    ) -> float:
        """``res.currency._convert`` without rounding."""
        if source == target or source is None or target is None:
            return amount
        return amount * self._rate(target, moment.date()) / self._rate(source, moment.date())

    def _rate(self, currency: int, day: date) -> float:
        # The company's rates before the shared ones, then the latest day first.
        own = [r for r in self.rates if r.currency == currency]
        own.sort(key=lambda r: (r.company is None, r.company or 0))
        dated = [r for r in own if r.day <= day]
        if dated:
            first = dated[0].company
            return max((r for r in dated if r.company == first), key=lambda r: r.day).rate
        if own and self.major >= 17:
            first = own[0].company
            return min((r for r in own if r.company == first), key=lambda r: r.day).rate
        return 1.0


def _round_away(value: float) -> float:
    """Half away from zero, as Python 2's round (Odoo's ``float_utils.round``)."""
    rounded = builtins.round(value)
    if builtins.round(value + 1) - rounded != 1:  # a tie Python 3 rounded to even
        return value + math.copysign(0.5, value)
    return math.copysign(rounded, value)


def float_round(value: float, rounding: float, major: int) -> float:
    """``odoo.tools.float_round(value, precision_rounding=rounding)`` (HALF-UP) of that major
    version: 16 and 17 divide by the rounding and add an epsilon of 2**-52 of the magnitude; 18
    and 19 multiply by the rounding's accurate inverse when it is below 1 and add 2**-50."""
    if rounding <= 0:
        raise Unpriceable(
            f"rounding {rounding:g}: Odoo fails (precision_rounding must be positive)"
        )
    if value == 0:
        return 0.0
    if major < 18:
        normalized = value / rounding
        epsilon = 2 ** (math.log(abs(normalized), 2) - 52)
        return _round_away(normalized + math.copysign(epsilon, normalized)) * rounding
    if rounding < 1:
        inverse = _invert(rounding)
        normalized = value * inverse
    else:
        normalized = value / rounding
    epsilon = 2 ** (math.log2(abs(normalized)) - 50)
    result = _round_away(normalized + math.copysign(epsilon, normalized))
    return result / inverse if rounding < 1 else result * rounding


def _invert(value: float) -> float:
    """An accurate ``1 / value``: exact for 1, 2 and 5 times a power of ten, otherwise the
    inverse of its 16 significant digits."""
    for digits in range(1, 11):
        for head, inverse in ((1.0, 1.0), (2.0, 5.0), (5.0, 2.0)):
            if value == float(f"{head:g}e-{digits}"):
                return float(f"{inverse:g}e{digits if head == 1.0 else digits - 1}")
    coefficient, exponent = f"{value:.15e}".split("e")
    return float(f"{coefficient}e{-int(exponent)}") / float(coefficient) ** 2


def moment_of(day: date | None, now: datetime) -> datetime:
    """The moment a price is computed for: a day is its midnight (Odoo compares the context's
    date string with the items' datetimes), no day is now (UTC)."""
    if day is None:
        return now
    return datetime(day.year, day.month, day.day)


def parse_moment(value: object) -> datetime | None:
    """A Datetime as Odoo returns it (``2026-01-01 00:00:00``), or None."""
    if not value:
        return None
    text = str(value)
    if len(text) <= 10:
        return datetime.strptime(text, "%Y-%m-%d")
    return datetime.strptime(text[:19], "%Y-%m-%d %H:%M:%S")

"""The price checks once the plan is applied: ``odooconf.pricing`` on the planned pricelists.

Read in batch, whatever the number of checks: the pricelists and their items, the categories,
the products the checks name (sales price, attribute extras, cost, currencies), the login's
company and, when a conversion is needed, the currency rates. The plan's pricelist and item
changes are laid over the items read: an update or an adoption replaces the item's fields, a
deletion removes it, a creation adds an item newer than every existing one (in apply order).

odooconf first recomputes each check on the instance as it is and compares with what Odoo
computed: where they differ, something on the instance changes prices in a way odooconf cannot
follow (a module overriding the computation), and the planned price is not guessed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from odooconf.engine.checks import TOLERANCE, PriceCheck
from odooconf.model.live import LiveState
from odooconf.model.plan import Action, Change, PriceCheckResult
from odooconf.odoo.gateway import Gateway
from odooconf.pricing import (
    Category,
    Item,
    Pricelist,
    Product,
    Rate,
    Unpriceable,
    World,
    moment_of,
    parse_moment,
)

#: Fields of ``product.pricelist.item`` a price depends on.
ITEM_FIELDS = (
    "pricelist_id", "applied_on", "categ_id", "product_tmpl_id", "product_id", "min_quantity",
    "date_start", "date_end", "compute_price", "fixed_price", "percent_price", "base",
    "base_pricelist_id", "price_discount", "price_surcharge", "price_round", "price_min_margin",
    "price_max_margin",
)  # fmt: skip
#: Blueprint attribute → item field (``PricelistItem.attrs``), for the plain values.
_PLAIN = {
    "applied_on": "applied_on", "min_quantity": "min_quantity", "compute_price": "compute_price",
    "fixed_price": "fixed_price", "percent_price": "percent_price", "based_on": "base",
    "discount": "price_discount", "surcharge": "price_surcharge", "rounding": "price_round",
    "min_margin": "price_min_margin", "max_margin": "price_max_margin",
}  # fmt: skip
#: A relative difference below this is float noise, not another computation.
_NOISE = 1e-9


def _id(value: Any) -> int | None:
    """A many2one as ``search_read`` returns it (``[id, name]`` or False)."""
    if isinstance(value, (list, tuple)) and value:
        return int(value[0])
    if isinstance(value, int) and not isinstance(value, bool) and value:
        return value
    return None


def _pid(record_id: int) -> str:
    return f"#{record_id}"


class _Reader:
    """The instance's pricing data, read once."""

    def __init__(self, gateway: Gateway, checks: Sequence[PriceCheck], live: LiveState) -> None:
        self.gateway = gateway
        self.live = live
        self.major = gateway.server.release[0]
        codes = sorted({check.spec.product for check in checks})
        product_fields = gateway.fields("product.product")
        wanted = ["default_code", "product_tmpl_id", "categ_id", "list_price", "standard_price"]
        wanted += [
            f for f in ("price_extra", "currency_id", "cost_currency_id") if f in product_fields
        ]
        self.products: dict[str, list[dict[str, Any]]] = {}
        for row in gateway.search_read("product.product", [("default_code", "in", codes)], wanted):
            self.products.setdefault(str(row["default_code"]), []).append(row)
        self.pricelists = {
            int(row["id"]): row
            for row in gateway.search_read(
                "product.pricelist", [], ["name", "currency_id", "company_id", "active"]
            )
        }
        self.items = {
            int(row["id"]): row
            for row in gateway.search_read("product.pricelist.item", [], list(ITEM_FIELDS))
        }
        self.categories = {
            int(row["id"]): Category(
                int(row["id"]), _id(row.get("parent_id")), str(row.get("complete_name") or "")
            )
            for row in gateway.search_read("product.category", [], ["parent_id", "complete_name"])
        }
        server = gateway.server
        (user,) = gateway.search_read("res.users", [("id", "=", server.uid)], ["company_id"])
        self.company = _id(user.get("company_id"))
        self.company_currency: int | None = None
        if self.company is not None:
            rows = gateway.search_read("res.company", [("id", "=", self.company)], ["currency_id"])
            self.company_currency = _id(rows[0].get("currency_id")) if rows else None

    def rates(self, currencies: set[int]) -> list[Rate]:
        if len(currencies) < 2:
            return []
        rows = self.gateway.search_read(
            "res.currency.rate",
            [("currency_id", "in", sorted(currencies))],
            ["currency_id", "name", "rate", "company_id"],
        )
        return [
            Rate(
                int(_id(row["currency_id"]) or 0),
                datetime.strptime(str(row["name"])[:10], "%Y-%m-%d").date(),
                float(row["rate"]),
                _id(row.get("company_id")),
            )
            for row in rows
        ]

    def product(self, row: Mapping[str, Any]) -> Product:
        return Product(
            id=int(row["id"]),
            template=int(_id(row.get("product_tmpl_id")) or 0),
            category=_id(row.get("categ_id")),
            sales_price=float(row.get("list_price") or 0) + float(row.get("price_extra") or 0),
            cost=float(row.get("standard_price") or 0),
            currency=_id(row.get("currency_id")) or self.company_currency,
            cost_currency=_id(row.get("cost_currency_id")) or self.company_currency,
        )


def _live_item(record_id: int, row: Mapping[str, Any]) -> Item:
    return Item(
        pricelist=_pid(int(_id(row.get("pricelist_id")) or 0)),
        rank=record_id,
        applied_on=str(row.get("applied_on") or "3_global"),
        categ_id=_id(row.get("categ_id")),
        product_tmpl_id=_id(row.get("product_tmpl_id")),
        product_id=_id(row.get("product_id")),
        min_quantity=float(row.get("min_quantity") or 0),
        date_start=parse_moment(row.get("date_start")),
        date_end=parse_moment(row.get("date_end")),
        compute_price=str(row.get("compute_price") or "fixed"),
        fixed_price=float(row.get("fixed_price") or 0),
        percent_price=float(row.get("percent_price") or 0),
        base=str(row.get("base") or "list_price"),
        base_pricelist=_pid(b) if (b := _id(row.get("base_pricelist_id"))) else None,
        price_discount=float(row.get("price_discount") or 0),
        price_surcharge=float(row.get("price_surcharge") or 0),
        price_round=float(row.get("price_round") or 0),
        price_min_margin=float(row.get("price_min_margin") or 0),
        price_max_margin=float(row.get("price_max_margin") or 0),
    )


class _Planner:
    """The planned pricelists and items: the live ones with the plan's changes laid over."""

    def __init__(self, reader: _Reader, changes: Sequence[Change]) -> None:
        self.reader = reader
        self.live = reader.live
        self.pricelists = {
            _pid(rid): Pricelist(_id(row.get("currency_id")), _id(row.get("company_id")))
            for rid, row in reader.pricelists.items()
        }
        self.live_pricelists = dict(self.pricelists)
        self.names: dict[str, list[tuple[str, bool]]] = {}
        for rid, row in sorted(reader.pricelists.items()):
            entry = (_pid(rid), row.get("active") is not False)
            self.names.setdefault(str(row["name"]), []).append(entry)
        self.items: dict[int, Item] = {
            rid: _live_item(rid, row) for rid, row in reader.items.items()
        }
        self.touched = False
        self._synthetic = -1
        top = max(self.items, default=0)
        for change in changes:
            if change.kind == "pricelist" and change.action is not Action.NOOP:
                self.touched = True
                self._pricelist(change)
        for index, change in enumerate(changes):
            if change.kind != "pricelist_item" or change.action is Action.NOOP:
                continue
            self.touched = True
            if change.action is Action.DELETE and change.record_id is not None:
                self.items.pop(change.record_id, None)
            elif change.action in (Action.CREATE, Action.UPDATE, Action.ADOPT):
                rank = change.record_id if change.record_id is not None else top + 1 + index
                self.items[rank] = self._item(change.after, rank)

    def _pricelist(self, change: Change) -> None:
        after = change.after
        identity = _pid(change.record_id) if change.record_id is not None else f"new {change.key}"
        old = self.pricelists.get(identity, Pricelist(None, None))
        currency = old.currency
        if "currency" in after:
            currency = self._ref("currency", after["currency"]) if after["currency"] else None
        company = old.company
        if "company" in after:
            company = self._ref("company", after["company"]) if after["company"] else None
        elif change.record_id is None and self.reader.major >= 17:
            company = self.reader.company  # the current company by default from 17
        self.pricelists[identity] = Pricelist(currency, company)
        if change.record_id is None:
            self.names.setdefault(change.key, []).insert(
                0, (identity, after.get("active", True) is not False)
            )

    def _ref(self, target: str, key: Any) -> int | None:
        xmlid = getattr(key, "xmlid", None)
        if xmlid is not None:
            hit = self.live.xmlids.get(str(xmlid))
            return hit[1] if hit else None
        ids = self.live.matches(target, str(key))
        return ids[0] if len(ids) == 1 else None

    def pricelist(self, name: Any) -> str | None:
        """A pricelist by name (the active one when several)."""
        xmlid = getattr(name, "xmlid", None)
        if xmlid is not None:
            hit = self.live.xmlids.get(str(xmlid))
            return _pid(hit[1]) if hit else None
        found = self.names.get(str(name), [])
        active = [identity for identity, on in found if on] or [identity for identity, _ in found]
        return active[0] if len(active) == 1 else None

    def _category(self, key: Any) -> int | None:
        found = self._ref("product_category", key)
        if found is not None:
            return found
        # A category the plan creates: no product is in it yet, it only takes part in the order.
        self._synthetic -= 1
        name = str(key)
        self.reader.categories = {
            **self.reader.categories,
            self._synthetic: Category(self._synthetic, None, name),
        }
        return self._synthetic

    def _item(self, after: Mapping[str, Any], rank: int) -> Item:
        values: dict[str, Any] = {
            field: after[attr] for attr, field in _PLAIN.items() if after.get(attr) is not None
        }
        for name in (
            "min_quantity",
            "fixed_price",
            "percent_price",
            "price_discount",
            "price_surcharge",
            "price_round",
            "price_min_margin",
            "price_max_margin",
        ):
            if name in values:
                values[name] = float(values[name])  # fmt: skip
        pricelist = self.pricelist(after.get("pricelist"))
        base = after.get("base_pricelist")
        return Item(
            pricelist=pricelist or f"new {after.get('pricelist')}",
            rank=rank,
            categ_id=self._category(after["category"]) if after.get("category") else None,
            product_tmpl_id=(
                self._ref("product_template", after["product"]) if after.get("product") else None
            ),
            product_id=self._ref("product", after["variant"]) if after.get("variant") else None,
            date_start=parse_moment(after.get("date_start")),
            date_end=parse_moment(after.get("date_end")),
            base_pricelist=(self.pricelist(base) or f"new {base}") if base else None,
            **values,
        )

    def world(self, planned: bool, rates: Sequence[Rate]) -> World:
        items = (
            self.items.values()
            if planned
            else [_live_item(rid, row) for rid, row in self.reader.items.items()]
        )
        return World(
            major=self.reader.major,
            pricelists=self.pricelists if planned else self.live_pricelists,
            items=list(items),
            categories=self.reader.categories,
            company=self.reader.company,
            company_currency=self.reader.company_currency,
            rates=rates,
        )


def plan_prices(
    checks: Sequence[PriceCheck],
    results: Sequence[PriceCheckResult],
    changes: Sequence[Change],
    live: LiveState,
    gateway: Gateway,
    now: datetime | None = None,
) -> list[PriceCheckResult]:
    """Each check's result with its price once the plan is applied (``planned``), or why
    odooconf cannot tell (``planned_problem``)."""
    if not checks:
        return list(results)
    reader = _Reader(gateway, checks, live)
    planner = _Planner(reader, changes)
    currencies = {p.currency for p in planner.pricelists.values() if p.currency}
    for rows in reader.products.values():
        for row in rows:
            product = reader.product(row)
            currencies |= {c for c in (product.currency, product.cost_currency) if c}
    if reader.company_currency:
        currencies.add(reader.company_currency)
    rates = reader.rates(currencies)
    current, planned = planner.world(False, rates), planner.world(True, rates)
    moment_now = now or datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    out = []
    for check, result in zip(checks, results, strict=True):
        out.append(_planned(check, result, planner, current, planned, moment_now))
    return out


def _planned(
    check: PriceCheck,
    result: PriceCheckResult,
    planner: _Planner,
    current: World,
    planned: World,
    now: datetime,
) -> PriceCheckResult:
    spec = check.spec

    def outcome(price: float | None, problem: str = "") -> PriceCheckResult:
        ok = price is not None and abs(price - spec.expected) < TOLERANCE
        return replace(result, planned=price, planned_ok=ok, planned_problem=problem)

    if not planner.touched and result.actual is not None:
        return outcome(result.actual)  # the plan changes no pricelist: Odoo's price stands
    rows = planner.reader.products.get(spec.product, [])
    if len(rows) != 1:
        return outcome(None, result.problem or f"no single variant has reference {spec.product!r}")
    product = planner.reader.product(rows[0])
    moment = moment_of(spec.date, now)
    after_id = planner.pricelist(spec.pricelist)
    if after_id is None:
        return outcome(None, f"no single pricelist is named {spec.pricelist!r} after the plan")
    try:
        if result.actual is not None:
            before_id = planner.pricelist(spec.pricelist)
            mine = current.price(before_id, product, spec.quantity, moment) if before_id else None
            if mine is None or abs(mine - result.actual) > _NOISE * max(1.0, abs(result.actual)):
                shown = "nothing" if mine is None else f"{mine:.2f}"
                return outcome(
                    None,
                    f"odooconf cannot compute the planned price: on the instance now Odoo "
                    f"computes {result.actual:.2f} and odooconf {shown} (a module or a setting "
                    "changes prices in a way odooconf does not follow)",
                )
        return outcome(planned.price(after_id, product, spec.quantity, moment))
    except Unpriceable as exc:
        return outcome(None, f"odooconf cannot compute the planned price: {exc}")

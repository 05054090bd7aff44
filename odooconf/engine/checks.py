"""Price checks: the prices a pricing owner expects (section ``price_checks``), computed by Odoo.

A check names a pricelist (by name), a product variant (by internal reference), a quantity, an
optional date and the expected price. Odoo computes the price itself over RPC with the public
``product.product.get_contextual_price`` (the pricelist, quantity and date in the context):
odooconf never re-implements Odoo's price rules here. It prices one product per call (the
method works on one record), so a run costs two reads (the
pricelists and products the checks name) plus one call per distinct check (a check repeated,
by a YAML alias, is priced once).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from odooconf import progress
from odooconf.engine.invalid import from_pydantic
from odooconf.kinds._base import Day, KeyRef, storable
from odooconf.kinds.lookups import CodeKey
from odooconf.model.diagnostics import Diagnostic, SourceRef
from odooconf.model.plan import PriceCheckResult
from odooconf.odoo.gateway import Gateway

#: The blueprint section of price checks (not a kind: nothing is written for them).
SECTION = "price_checks"
#: Prices are compared at the currency's precision (2 decimals for the common currencies).
TOLERANCE = 0.005


class PriceCheckSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    pricelist: KeyRef
    #: A product variant by internal reference.
    product: CodeKey
    quantity: float = Field(default=1.0, gt=0)
    #: The day the price is for; today when not given.
    date: Day | None = None
    expected: float

    @field_validator("quantity", "expected")
    @classmethod
    def _number(cls, value: float) -> float:
        return float(storable(value))


@dataclass(frozen=True)
class PriceCheck:
    spec: PriceCheckSpec
    source: SourceRef
    path: str


def validate_checks(
    name: str, items: Any, line_of: Callable[[tuple[str | int, ...]], int | None]
) -> tuple[list[PriceCheck], list[Diagnostic]]:
    """Validate the items of one ``price_checks`` section (``line_of(path)`` gives a line)."""
    checks: list[PriceCheck] = []
    diagnostics: list[Diagnostic] = []
    if items is None:
        return checks, diagnostics
    if not isinstance(items, list):
        source = SourceRef(name, line_of((SECTION,)))
        diagnostics.append(Diagnostic("OC-V003", "must be a list of price checks", source, SECTION))
        return checks, diagnostics
    for index, item in enumerate(items):
        crumb = f"{SECTION}[{index}]"
        try:
            spec = PriceCheckSpec.model_validate(item)
        except ValidationError as exc:
            at = (SECTION, index)
            diagnostics.extend(from_pydantic(exc, PriceCheckSpec, name, line_of, at, crumb))
            continue
        label = f" ({spec.pricelist}: {spec.product} x {spec.quantity:g})"
        checks.append(PriceCheck(spec, SourceRef(name, line_of((SECTION, index))), crumb + label))
    return checks, diagnostics


def run_checks(checks: Sequence[PriceCheck], gateway: Gateway) -> list[PriceCheckResult]:
    """Each check as Odoo prices it on the instance now."""
    if not checks:
        return []
    names = sorted({check.spec.pricelist for check in checks})
    codes = sorted({check.spec.product for check in checks})
    pricelists: dict[str, list[dict[str, Any]]] = {}
    for row in gateway.search_read(
        "product.pricelist", [("name", "in", names)], ["name", "active"]
    ):
        pricelists.setdefault(str(row["name"]), []).append(row)
    products: dict[str, list[int]] = {}
    for row in gateway.search_read(
        "product.product", [("default_code", "in", codes)], ["default_code"]
    ):
        products.setdefault(str(row["default_code"]), []).append(int(row["id"]))
    prices: dict[tuple[int, tuple[tuple[str, Any], ...]], float] = {}

    def price(product_id: int, context: dict[str, Any]) -> float:
        """Odoo's price, asked once per product and context: YAML aliases can repeat one
        check thousands of times, each a call."""
        key = (product_id, tuple(sorted(context.items())))
        if key not in prices:
            prices[key] = gateway.contextual_price(product_id, context)
        return prices[key]

    results = []
    for done, check in enumerate(checks):  # a call per product and context: can take a while
        progress.update("pricing", done, len(checks))
        results.append(_run(check, pricelists, products, price))
    progress.end()
    return results


def _run(
    check: PriceCheck,
    pricelists: dict[str, list[dict[str, Any]]],
    products: dict[str, list[int]],
    price: Callable[[int, dict[str, Any]], float],
) -> PriceCheckResult:
    spec = check.spec

    def result(actual: float | None, problem: str = "") -> PriceCheckResult:
        ok = actual is not None and abs(actual - spec.expected) < TOLERANCE
        return PriceCheckResult(
            spec.pricelist, spec.product, spec.quantity,
            spec.date.isoformat() if spec.date else "", spec.expected, actual, ok, problem,
            str(check.source),
        )  # fmt: skip

    found = pricelists.get(spec.pricelist, [])
    active = [row for row in found if row.get("active") is not False] or found
    if not active:
        return result(None, f"pricelist {spec.pricelist!r} is not on the instance")
    if len(active) > 1:
        return result(None, f"{len(active)} pricelists are named {spec.pricelist!r}")
    ids = products.get(spec.product, [])
    if len(ids) != 1:
        what = "no product variant has" if not ids else f"{len(ids)} product variants have"
        return result(None, f"{what} internal reference {spec.product!r}")
    context: dict[str, Any] = {"pricelist": int(active[0]["id"]), "quantity": spec.quantity}
    if spec.date is not None:
        context["date"] = spec.date.isoformat()
    return result(price(ids[0], context))

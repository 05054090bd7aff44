"""Differential test of the planned prices: odooconf's computation against Odoo's own.

Hypothesis generates pricelists (items on all products, categories with parents, products and
variants; minimum quantities; validity dates; fixed prices, percentages and formulas on the
sales price, the cost or another pricelist) and price checks over products and quantities.
Each generated set is planned (odooconf computes every check's price once applied), applied,
and planned again: the price Odoo computes then (``get_contextual_price``) must be the one
odooconf predicted. The same three pricelists are rewritten by every example, so plans also
update and delete existing items, and new items compete with older ones.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.integration.conftest import Project

#: Examples per run (one plan, apply and plan each) and 108 checks per example: 540 cases.
EXAMPLES = 5
#: At least this many prices compared (the issue asks 500 on the emulator, 200 on a real Odoo).
CASES = 500
PRICELISTS = ("Fid A", "Fid B", "Fid C")
CATEGORIES = ("Fida", "Fida / Fidb", "Fida / Fidb / Fidc", "Fidd")
#: (code, sales price, cost, category): two products without a category of ours.
PRODUCTS = (
    ("FID-1", 100.0, 60.0, "Fida"), ("FID-2", 37.5, 21.0, "Fida / Fidb"),
    ("FID-3", 9.99, 7.49, "Fida / Fidb / Fidc"), ("FID-4", 12.0, 0.0, "Fidd"),
    ("FID-5", 0.0, 3.0, None), ("FID-6", 1234.56, 1000.0, None),
)  # fmt: skip
QUANTITIES = (1, 12, 60)
DAYS = ("2026-06-01", "2027-01-15")


def _setup(project: Project) -> None:
    odoo = project.odoo
    ids: dict[str, int] = {}
    for path in CATEGORIES:
        parent, _, name = path.rpartition(" / ")
        values: dict[str, Any] = {"name": name, **({"parent_id": ids[parent]} if parent else {})}
        ids[path] = int(odoo.execute("product.category", "create", values))  # type: ignore[call-overload]
    for code, price, cost, category in PRODUCTS:
        values = {"name": code, "default_code": code, "list_price": price, "standard_price": cost}
        if category:
            values["categ_id"] = ids[category]
        odoo.execute("product.product", "create", values)


def _target() -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        st.just({}),
        st.sampled_from(CATEGORIES).map(lambda c: {"category": c}),
        st.sampled_from(PRODUCTS).map(lambda p: {"product": p[0]}),
        st.sampled_from(PRODUCTS).map(lambda p: {"variant": p[0]}),
    )


_DATES = st.sampled_from(
    [{}, {"start": "2026-05-01"}, {"end": "2026-12-31"},
     {"start": "2026-06-01", "end": "2026-06-30"}, {"start": "2027-01-01 08:00:00"},
     {"start": "2026-01-01", "end": "2026-06-01"}]
)  # fmt: skip
_AMOUNT = st.sampled_from([0.0, 0.5, 1.0, 2.5, 10.0, -1.0, -0.01, 4.99])
_ROUNDING = st.sampled_from([0.0, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 0.25])
_PERCENT = st.sampled_from([0.0, 5.0, 10.0, 12.5, 33.33, -20.0, 50.0, 99.0])


@st.composite
def _formula(draw: st.DrawFn) -> dict[str, Any]:
    low, high = sorted(draw(st.lists(_AMOUNT, min_size=2, max_size=2)))
    margins = draw(st.sampled_from(["none", "min", "both"]))
    formula: dict[str, Any] = {
        "discount": draw(_PERCENT), "surcharge": draw(_AMOUNT), "rounding": draw(_ROUNDING),
    }  # fmt: skip
    if margins == "min" and low <= 0:  # Odoo refuses a minimum above a maximum of 0
        formula["min_margin"] = low
    if margins == "both":
        formula.update(min_margin=low, max_margin=high if high else 0.5)
    return formula


@st.composite
def _item(draw: st.DrawFn, index: int) -> dict[str, Any]:
    item: dict[str, Any] = {**draw(_target()), **draw(_DATES)}
    item["min_quantity"] = draw(st.sampled_from([0, 1, 10, 12, 50, 60, 100]))
    kind = draw(st.sampled_from(["fixed", "percentage", "formula"]))
    if kind == "fixed":
        item["fixed_price"] = draw(st.sampled_from([0.0, 5.0, 8.1, 99.99, 250.0]))
        return item
    item["percentage" if kind == "percentage" else "formula"] = (
        draw(_PERCENT) if kind == "percentage" else draw(_formula())
    )
    bases = ["sales_price", "cost"] + [f"pricelist:{p}" for p in PRICELISTS[:index]]
    base = draw(st.sampled_from(bases))
    if base.startswith("pricelist:"):
        item["base_pricelist"] = base.removeprefix("pricelist:")
    else:
        item["base"] = base
    return item


def _key(item: dict[str, Any]) -> tuple[Any, ...]:
    target = next(((k, item[k]) for k in ("category", "product", "variant") if k in item), None)
    return (target, item["min_quantity"], item.get("start"), item.get("end"))


@st.composite
def _pricelists(draw: st.DrawFn) -> list[dict[str, Any]]:
    return [
        {"name": name, "items": draw(st.lists(_item(index), max_size=6, unique_by=_key))}
        for index, name in enumerate(PRICELISTS)
    ]


def _checks() -> list[dict[str, Any]]:
    return [
        {"pricelist": p, "product": code, "quantity": q, "date": day, "expected": 0}
        for p in PRICELISTS for code, *_ in PRODUCTS for q in QUANTITIES for day in DAYS
    ]  # fmt: skip


def _checks_of(project: Project) -> list[dict[str, Any]]:
    result = project.run("plan", "-e", "test", "--format", "json")
    assert result.code == 0, result.out + result.err
    checks: list[dict[str, Any]] = json.loads(result.out)["checks"]
    return checks


def test_planned_prices_are_the_prices_odoo_computes_after_apply(project: Project) -> None:
    _setup(project)
    project.write("checks.yaml", yaml.safe_dump({"price_checks": _checks()}))
    compared: list[tuple[str, float, float]] = []

    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
        phases=[Phase.generate], suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    @given(_pricelists())
    def run(pricelists: list[dict[str, Any]]) -> None:
        project.write("pricelists.yaml", yaml.safe_dump({"pricelists": pricelists}))
        planned = _checks_of(project)
        applied = project.run("apply", "-e", "test", "--yes")
        assert "Traceback" not in applied.err, applied.err
        after = _checks_of(project)
        for before, now in zip(planned, after, strict=True):
            label = f"{now['pricelist']} · {now['product']} × {now['quantity']} on {now['date']}"
            assert before["planned"] is not None, (label, before["planned_problem"], pricelists)
            assert now["actual"] is not None, (label, now["problem"])
            compared.append((label, before["planned"], now["actual"]))
        mismatches = [
            (label, mine, odoo)
            for label, mine, odoo in compared[-len(after) :]
            if abs(mine - odoo) > 1e-6 * max(1.0, abs(odoo))
        ]
        assert not mismatches, (mismatches, pricelists)

    run()
    assert len(compared) >= CASES

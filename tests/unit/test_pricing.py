"""odooconf.pricing: Odoo's price rules on data read in batch (hand-computed expectations)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from odooconf.pricing import (
    Category,
    Item,
    Pricelist,
    Product,
    Rate,
    Unpriceable,
    World,
    float_round,
)

USD, EUR = 1, 2
DAY = datetime(2026, 6, 1)
CATEGORIES = {
    10: Category(10, None, "All"),
    11: Category(11, 10, "All / Food"),
    12: Category(12, 11, "All / Food / Dry"),
}
RICE = Product(id=5, template=50, category=12, sales_price=9.0, cost=6.0, currency=USD,
               cost_currency=USD)  # fmt: skip


def world(*items: Item, major: int = 18, **pricelists: Pricelist) -> World:
    lists = {"W": Pricelist(USD, 1), "K": Pricelist(USD, 1), **pricelists}
    return World(major, lists, items, CATEGORIES, company=1, company_currency=USD)


def test_the_first_item_in_odoos_order_gives_the_price() -> None:
    w = world(
        Item("W", 1, min_quantity=10, compute_price="percentage", percent_price=5),
        Item("W", 2, applied_on="2_product_category", categ_id=11, compute_price="fixed",
             fixed_price=8.0),
        Item("W", 3, applied_on="2_product_category", categ_id=12, compute_price="fixed",
             fixed_price=7.0, min_quantity=100),
    )  # fmt: skip
    assert w.price("W", RICE, 60, DAY) == 8.0  # a category (parent of the product's) first
    assert w.price("W", RICE, 100, DAY) == 7.0  # the higher minimum quantity first
    assert w.price("K", RICE, 60, DAY) == 9.0  # no item: the sales price


def test_dates_and_the_newer_of_two_equal_items() -> None:
    w = world(
        Item("W", 1, compute_price="fixed", fixed_price=1.0),
        Item("W", 2, compute_price="fixed", fixed_price=2.0,
             date_start=datetime(2026, 7, 1), date_end=datetime(2026, 7, 31)),
    )  # fmt: skip
    assert w.price("W", RICE, 1, DAY) == 1.0
    assert w.price("W", RICE, 1, datetime(2026, 7, 1)) == 2.0  # both apply: the newer


def test_formula_discount_rounding_surcharge_and_margins() -> None:
    formula = Item("W", 1, compute_price="formula", price_discount=10, price_round=0.5,
                   price_surcharge=-0.01)  # fmt: skip
    assert world(formula).price("W", RICE, 1, DAY) == pytest.approx(7.99)
    bounded = Item("W", 1, compute_price="formula", base="standard_price", price_discount=-50,
                   price_min_margin=1, price_max_margin=2)  # fmt: skip
    assert world(bounded).price("W", RICE, 1, DAY) == 8.0  # 9 capped at cost + 2


def test_pricelists_based_on_pricelists_and_currency_conversion() -> None:
    rates = [Rate(EUR, date(2026, 1, 1), 0.5), Rate(EUR, date(2026, 7, 1), 0.8),
             Rate(EUR, date(2026, 1, 1), 0.9, company=1)]  # fmt: skip
    items = [
        Item("W", 1, compute_price="percentage", percent_price=10),
        Item("E", 2, compute_price="percentage", percent_price=0, base="pricelist",
             base_pricelist="W"),
    ]  # fmt: skip
    lists = {"W": Pricelist(USD, 1), "E": Pricelist(EUR, None)}
    w = World(18, lists, items, CATEGORIES, company=1, company_currency=USD, rates=rates)
    # 8.10 USD at the company's own EUR rate (before the shared ones).
    assert w.price("E", RICE, 1, DAY) == pytest.approx(8.1 * 0.9)


def test_rates_before_the_first_one_depend_on_the_version() -> None:
    rates = [Rate(EUR, date(2027, 1, 1), 0.5)]
    lists = {"E": Pricelist(EUR, None)}
    for major, expected in ((16, 9.0), (17, 4.5)):
        w = World(major, lists, [], CATEGORIES, company=1, company_currency=USD, rates=rates)
        assert w.price("E", RICE, 1, DAY) == pytest.approx(expected)


def test_another_companys_pricelist_shows_no_items_to_the_login() -> None:
    w = world(Item("O", 1, compute_price="fixed", fixed_price=1.0), O=Pricelist(USD, 2))
    assert w.price("O", RICE, 1, DAY) == 9.0


def test_what_odooconf_cannot_compute_is_said() -> None:
    supplier = Item("W", 1, compute_price="formula", base="supplierinfo")
    with pytest.raises(Unpriceable, match="module"):
        world(supplier).price("W", RICE, 1, DAY)
    loop = [
        Item("W", 1, compute_price="percentage", base="pricelist", base_pricelist="K"),
        Item("K", 2, compute_price="percentage", base="pricelist", base_pricelist="W"),
    ]
    with pytest.raises(Unpriceable, match="RecursionError"):
        world(*loop).price("W", RICE, 1, DAY)


@pytest.mark.parametrize(
    ("value", "rounding", "expected"),
    [(2.675, 0.01, 2.68), (7.25, 0.5, 7.5), (-7.25, 0.5, -7.5), (1.3, 0.5, 1.5), (12.0, 5.0, 10.0),
     (12.5, 5.0, 15.0), (8.55, 0.1, 8.6)],
)  # fmt: skip
def test_float_round_is_half_away_from_zero_on_every_version(
    value: float, rounding: float, expected: float
) -> None:
    for major in (16, 17, 18, 19):
        assert float_round(value, rounding, major) == pytest.approx(expected, abs=1e-12)

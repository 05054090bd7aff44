"""Customer pricelists and their items: specs, keys, values, sentences, warnings and refusals."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from odooconf.engine.checks import validate_checks
from odooconf.engine.parse import parse_documents
from odooconf.engine.render import RenderedDocument
from odooconf.engine.validate import validate_documents
from odooconf.kinds import KINDS
from odooconf.kinds.pricelist_words import item_sentence, price_text
from odooconf.model.diagnostics import Diagnostic
from odooconf.model.plan import Action, Change, FieldChange
from odooconf.model.resource import DesiredResource
from odooconf.policies.pricelist import precedence_warnings

PRICELIST, ITEM = KINDS["pricelist"], KINDS["pricelist_item"]


def validate(text: str) -> tuple[list[DesiredResource], list[Diagnostic]]:
    parsed, problems = parse_documents([RenderedDocument("p.yaml", textwrap.dedent(text))])
    assert problems == [], problems
    resources, _checks, diagnostics = validate_documents(parsed, "acme")
    return resources, diagnostics


def items(text: str) -> dict[str, DesiredResource]:
    resources, diagnostics = validate(text)
    assert diagnostics == [], diagnostics
    return {r.key: r for r in resources if r.kind == "pricelist_item"}


def messages(text: str) -> list[str]:
    _resources, diagnostics = validate(text)
    return [f"{d.path}: {d.message}" for d in diagnostics]


WHOLESALE = """\
pricelists:
  - name: Wholesale
    currency: USD
    country_groups: [Europe]
    items:
      - {min_quantity: 10, percentage: 5}
      - {category: All / Saleable, min_quantity: 50, percentage: 12}
      - {variant: 1234, fixed_price: 80, start: 2026-01-01, end: 2026-01-31 12:00:00}
      - {product: FURN-1, formula: {discount: 5, rounding: 0.5, surcharge: -0.01}, base: cost}
      - {base_pricelist: Retail, percentage: 3, min_quantity: 500}
"""


def test_pricelist_and_items_keys_values_and_ids() -> None:
    resources, diagnostics = validate(WHOLESALE)
    assert diagnostics == []
    pricelist = resources[0]
    assert pricelist.values == {
        "name": "Wholesale", "currency": "USD", "country_groups": ["Europe"],
    }  # fmt: skip
    found = {r.key: r for r in resources[1:]}
    assert list(found) == [
        "Wholesale | all products | ≥ 10",
        "Wholesale | category All / Saleable | ≥ 50",
        "Wholesale | variant 1234 | ≥ 0 | 2026-01-01 → 2026-01-31 12:00:00",
        "Wholesale | product FURN-1 | ≥ 0",
        "Wholesale | all products | ≥ 500",
    ]
    category = found["Wholesale | category All / Saleable | ≥ 50"]
    assert category.xmlid == "acme.pricelist_item_wholesale_category_all_saleable_50"
    assert category.path == "pricelists[0] (Wholesale) › items[1]"
    assert category.values == {
        "pricelist": "Wholesale", "applied_on": "2_product_category",
        "category": "All / Saleable", "product": None, "variant": None, "min_quantity": 50.0,
        "date_start": None, "date_end": None, "based_on": "list_price", "base_pricelist": None,
        "compute_price": "percentage", "percent_price": 12.0,
    }  # fmt: skip
    variant = found["Wholesale | variant 1234 | ≥ 0 | 2026-01-01 → 2026-01-31 12:00:00"]
    assert "product" not in variant.values  # Odoo fills a variant item's template itself
    assert (variant.values["date_start"], variant.values["date_end"]) == (
        "2026-01-01 00:00:00", "2026-01-31 12:00:00",
    )  # fmt: skip
    formula = found["Wholesale | product FURN-1 | ≥ 0"]
    assert {k: formula.values[k] for k in ("based_on", "discount", "rounding", "surcharge")} == {
        "based_on": "standard_price", "discount": 5.0, "rounding": 0.5, "surcharge": -0.01,
    }  # fmt: skip
    assert formula.values["min_margin"] == formula.values["max_margin"] == 0.0
    based = found["Wholesale | all products | ≥ 500"]
    assert (based.values["based_on"], based.values["base_pricelist"]) == ("pricelist", "Retail")


def test_the_position_of_an_item_is_no_part_of_its_identity() -> None:
    before = items(WHOLESALE)
    lines = WHOLESALE.splitlines()
    moved = "\n".join([*lines[:5], *reversed(lines[5:])]) + "\n"
    after = items(moved)
    assert {k: r.xmlid for k, r in before.items()} == {k: r.xmlid for k, r in after.items()}
    assert {k: r.values for k, r in before.items()} == {k: r.values for k, r in after.items()}


def test_live_item_key_matches_the_declared_key() -> None:
    names = {("pricelist", 3): "Wholesale", ("product_category", 2): "All / Saleable"}

    def keyer(target: str, record_id: int) -> str | None:
        return names.get((target, record_id))

    record = {
        "pricelist_id": [3, "Wholesale (USD)"], "applied_on": "2_product_category",
        "categ_id": [2, "All / Saleable"], "product_tmpl_id": False, "product_id": False,
        "min_quantity": 50.0, "date_start": False, "date_end": False,
    }  # fmt: skip
    assert ITEM.live_key(record, keyer) == "Wholesale | category All / Saleable | ≥ 50"
    assert ITEM.live_key({**record, "pricelist_id": False}, keyer) is None


def test_two_items_with_the_same_key_are_a_validate_error() -> None:
    assert messages(
        """\
        pricelists:
          - name: W
            items:
              - {min_quantity: 10, percentage: 5}
              - {min_quantity: 10.0, fixed_price: 9}
        """
    ) == [
        "pricelists[0] (W) › items[1]: pricelist_item W | all products | ≥ 10 is declared twice "
        "(first at p.yaml:4 pricelists[0] (W) › items[0])"
    ]


@pytest.mark.parametrize(
    ("item", "words"),
    [
        ("{}", "exactly one of fixed_price, percentage or formula"),
        ("{fixed_price: 1, percentage: 2}", "exactly one of fixed_price, percentage or formula"),
        ("{category: A, product: B, fixed_price: 1}", "applies to one thing: product or category"),
        ("{fixed_price: 1, base: cost}", "a fixed price has no base"),
        ("{percentage: 1, base: pricelist}", "base: pricelist needs base_pricelist"),
        ("{percentage: 1, base: cost, base_pricelist: X}", "contradicts base: cost"),
        ("{formula: {rounding: -1}}", "greater than or equal to 0"),
        ("{formula: {min_margin: 5, max_margin: 2}}", "min_margin must not exceed max_margin"),
        ("{fixed_price: 1, start: 2026-03-01, end: 2026-03-01}", "end must be after start"),
        ("{fixed_price: 1, min_quantity: -1}", "greater than or equal to 0"),
        ("{fixed_price: 1, sequence: 3}", "unknown key 'sequence'"),
    ],
)
def test_items_odoo_would_refuse_or_break_on(item: str, words: str) -> None:
    (message,) = messages(f"pricelists:\n  - name: W\n    items: [{item}]\n")
    assert words in message


def test_an_item_of_the_pricelist_items_section_needs_its_pricelist() -> None:
    assert messages("pricelist_items:\n  - {percentage: 5}\n") == [
        "pricelist_items[0] › pricelist: required key is missing"
    ]
    (resource,) = items("pricelist_items:\n  - {pricelist: Default, percentage: 5}\n").values()
    assert resource.key == "Default | all products | ≥ 0"


def _change(after: dict[str, Any], fields: tuple[FieldChange, ...], action: Action) -> Change:
    record_id = None if action is Action.CREATE else 7
    return Change(action, "pricelist_item", "k", "product.pricelist.item", "x.y", record_id,
                  fields, after=after)  # fmt: skip


BASE = {
    "pricelist": "Wholesale", "applied_on": "2_product_category", "category": "All / Saleable",
    "min_quantity": 50.0, "date_start": None, "date_end": None, "based_on": "list_price",
    "compute_price": "percentage", "percent_price": 12.0,
}  # fmt: skip


def test_an_item_change_reads_as_a_sentence() -> None:
    change = _change(BASE, (FieldChange("percent_price", 10.0, 12.0),), Action.UPDATE)
    assert (
        item_sentence(change) == "Wholesale: category All / Saleable, ≥ 50 units: 10 % → 12 % off"
    )
    assert ITEM.sentence(change) == item_sentence(change)
    assert item_sentence(_change(BASE, (), Action.CREATE)) == (
        "Wholesale: category All / Saleable, ≥ 50 units: 12 % off (new)"
    )
    dated = {**BASE, "min_quantity": 0.0, "date_start": "2026-12-01 00:00:00"}
    assert item_sentence(_change(dated, (), Action.DELETE)) == (
        "Wholesale: category All / Saleable, from 2026-12-01: 12 % off (removed)"
    )
    to_fixed = (
        FieldChange("compute_price", "percentage", "fixed"),
        FieldChange("fixed_price", None, 80.0),
    )
    fixed = {**BASE, "compute_price": "fixed", "fixed_price": 80.0}
    assert item_sentence(_change(fixed, to_fixed, Action.UPDATE)).endswith(
        ": 12 % off → fixed price 80"
    )


@pytest.mark.parametrize(
    ("values", "text"),
    [
        ({"compute_price": "fixed", "fixed_price": 9.5}, "fixed price 9.5"),
        ({"compute_price": "percentage", "percent_price": -5}, "5 % more"),
        (
            {"compute_price": "percentage", "percent_price": 5, "based_on": "pricelist",
             "base_pricelist": "Wholesale"},
            "5 % off Wholesale price",
        ),
        (
            {"compute_price": "formula", "based_on": "standard_price", "discount": -25,
             "rounding": 0.5, "surcharge": -0.01, "min_margin": 1, "max_margin": 0},
            "cost, + 25 % markup, rounded to 0.5, − 0.01, margin 1 to any",
        ),
    ],
)  # fmt: skip
def test_price_texts(values: dict[str, Any], text: str) -> None:
    assert price_text(values) == text


def test_items_whose_precedence_odoo_decides_by_creation_order() -> None:
    found = items(
        """\
        pricelists:
          - name: S
            items:
              - {percentage: 5}
              - {percentage: 20, start: 2026-12-01, end: 2026-12-31}
              - {percentage: 30, start: 2027-01-01}
              - {percentage: 8, min_quantity: 10}
        """
    )
    everyday, december, january, volume = found.values()
    # Existing: the December item (id 9) is newer than the everyday one (id 4): it applies in
    # December; the January item is new (created after both).
    changes = [
        _change({}, (), Action.NOOP).__class__(
            Action.NOOP, "pricelist_item", r.key, "product.pricelist.item", r.xmlid, rid
        )
        for r, rid in ((everyday, 4), (december, 9), (january, None), (volume, 5))
    ]
    warnings = precedence_warnings(list(found.values()), changes)
    assert [(w.code, w.subjects) for w in warnings] == [
        ("ambiguous", (str(everyday.address), str(december.address))),
        ("ambiguous", (str(everyday.address), str(january.address))),
    ]
    assert "both apply on their common dates" in warnings[0].message
    assert "on the instance" in warnings[0].message
    assert "after this apply" in warnings[1].message
    # The everyday item recreated (id 12): the December one can never apply.
    changes[0] = Change(Action.NOOP, "pricelist_item", everyday.key, "m", everyday.xmlid, 12)
    warnings = precedence_warnings(list(found.values()), changes)
    assert [(w.code, w.subjects) for w in warnings] == [
        ("shadowed", (str(december.address), str(everyday.address))),
        ("ambiguous", (str(everyday.address), str(january.address))),  # new: newer still
    ]
    assert warnings[0].message.startswith(f"item {december.key} can never apply: item ")


def test_price_checks_are_validated_offline_and_worded_as_every_section() -> None:
    lines = {("price_checks", 1): 3, ("price_checks", 1, "quantity"): 3}
    checks, diagnostics = validate_checks(
        "c.yaml",
        [
            {"pricelist": "W", "product": 1234, "quantity": 10, "expected": 9.5},
            {"pricelist": "W", "product": "X", "quantity": 0, "expected": 1, "extra": 1},
        ],
        lines.get,
    )
    (check,) = checks
    assert (check.spec.product, check.spec.quantity, check.spec.date) == ("1234", 10.0, None)
    assert check.path == "price_checks[0] (W: 1234 x 10)"
    assert sorted(f"{d.path}: {d.message}" for d in diagnostics) == [
        "price_checks[1] › extra: unknown key 'extra' "
        "(allowed: pricelist, product, quantity, date, expected)",
        "price_checks[1] › quantity: Input should be greater than 0",
    ]


def test_pricelist_kind_declares_its_items_exhaustively() -> None:
    assert ITEM.owned_by_container and ITEM.container == "pricelist"
    assert not ITEM.can_archive
    assert PRICELIST.scope == ("company",)

"""Vendor prices and approval matrices: specs, keys, values, live records, backend mapping."""

from __future__ import annotations

import textwrap

from odooconf.engine.parse import parse_documents
from odooconf.engine.render import RenderedDocument
from odooconf.engine.validate import validate_documents
from odooconf.kinds import KINDS
from odooconf.model.diagnostics import Diagnostic
from odooconf.model.resource import Address, DesiredResource

VENDOR_PRICE = KINDS["vendor_price"]
LIVE_KEYS = {
    ("partner", 7): "Acme Foods",
    ("product", 41): "FRZ-PEAS-1KG",
    ("product_template", 12): "DRY-RICE-5KG",
    ("currency", 1): "USD",
    ("company", 1): "My Company",
}


def keyer(target: str, record_id: int) -> str | None:
    return LIVE_KEYS.get((target, record_id))


def validate(text: str) -> tuple[list[DesiredResource], list[Diagnostic]]:
    parsed, problems = parse_documents([RenderedDocument("p.yaml", textwrap.dedent(text))])
    assert problems == [], problems
    return validate_documents(parsed, "acme")


def one(text: str) -> DesiredResource:
    resources, diagnostics = validate(text)
    assert diagnostics == []
    (resource,) = resources
    return resource


def errors(text: str) -> list[tuple[str, str]]:
    _resources, diagnostics = validate(text)
    assert {d.code for d in diagnostics} == {"OC-V010"}
    return [(d.path, d.message) for d in diagnostics]


# --- vendor prices ----------------------------------------------------------------------------


def test_vendor_price_key_values_and_external_id() -> None:
    price = one(
        """\
        vendor_prices:
          - vendor: Acme Foods
            product: DRY-RICE-5KG
            min_qty: 100
            price: 3.95
            currency: EUR
            delay: 4
            date_start: 2026-01-01
            date_end: "2026-12-31"
        """
    )
    key = "Acme Foods | product:DRY-RICE-5KG | min 100 | from 2026-01-01"
    assert price.address == Address("vendor_price", key)
    assert (
        price.xmlid == "acme.vendor_price_acme_foods_product_dry_rice_5kg_min_100_from_2026_01_01"
    )
    assert price.path == "vendor_prices[0] (Acme Foods)"
    assert price.values == {
        "vendor": "Acme Foods",
        "product": "DRY-RICE-5KG",
        "variant": None,  # a template's line: a variant set by hand is drift
        "min_qty": 100,
        "price": 3.95,
        "currency": "EUR",
        "delay": 4,
        "date_start": "2026-01-01",  # YAML's date, as Odoo returns it
        "date_end": "2026-12-31",
    }


def test_a_variant_line_has_its_own_key_and_leaves_the_template_to_odoo() -> None:
    price = one("vendor_prices: [{vendor: Acme Foods, variant: 4711, price: 2}]")
    assert price.key == "Acme Foods | variant:4711 | min 0 | always"
    assert "product" not in price.values
    assert price.values["date_start"] is None and price.values["min_qty"] == 0


def test_live_supplier_lines_get_the_same_keys() -> None:
    template_line = {
        "id": 1,
        "partner_id": [7, "Acme Foods"],
        "product_tmpl_id": [12, "Rice"],
        "product_id": False,
        "min_qty": 100.0,
        "date_start": "2026-01-01",
    }
    variant_line = {
        **template_line,
        "product_id": [41, "Peas"],
        "min_qty": 0.0,
        "date_start": False,
    }
    assert VENDOR_PRICE.live_key(template_line, keyer) == (
        "Acme Foods | product:DRY-RICE-5KG | min 100 | from 2026-01-01"
    )
    assert VENDOR_PRICE.live_key(variant_line, keyer) == (
        "Acme Foods | variant:FRZ-PEAS-1KG | min 0 | always"
    )
    # Odoo accepts lines without a product or whose product has no internal reference.
    assert VENDOR_PRICE.live_key({**template_line, "product_tmpl_id": False}, keyer) is None
    assert VENDOR_PRICE.live_key({**template_line, "product_tmpl_id": [99, "x"]}, keyer) is None


def test_vendor_price_schema_errors() -> None:
    assert errors(
        """\
        vendor_prices:
          - {vendor: Acme, price: 1}
          - {vendor: Acme, product: A, variant: B, price: 1}
          - {vendor: Acme, product: A, price: -1, min_qty: -5, delay: -1}
          - {vendor: Acme, product: A, price: 1, date_start: 2026-02-01, date_end: 2026-01-01}
          - {vendor: Acme, product: A, price: 1, date_start: someday}
          - {vendor: {xmlid: base.main_partner}, product: A, price: 1}
        """
    ) == [
        ("vendor_prices[0] (Acme)", "give either 'product' or 'variant' (exactly one of them)"),
        ("vendor_prices[1] (Acme)", "give either 'product' or 'variant' (exactly one of them)"),
        (
            "vendor_prices[2] (Acme) › min_qty",
            "Input should be greater than or equal to 0 (got -5)",
        ),
        ("vendor_prices[2] (Acme) › price", "Input should be greater than or equal to 0 (got -1)"),
        ("vendor_prices[2] (Acme) › delay", "Input should be greater than or equal to 0 (got -1)"),
        (
            "vendor_prices[3] (Acme)",
            "date_start (2026-02-01) is after date_end (2026-01-01): Odoo would save the price "
            "and never use it",
        ),
        ("vendor_prices[4] (Acme) › date_start", "'someday' is not a date (YYYY-MM-DD)"),
        (
            "vendor_prices[5] › vendor",
            "is part of the natural key: write the key itself, not an external id",
        ),
    ]


def test_two_lines_with_one_key_are_a_validate_error() -> None:
    _resources, diagnostics = validate(
        """\
        vendor_prices:
          - {vendor: Acme, product: A, price: 1}
          - {vendor: Acme, product: A, price: 2, min_qty: 0}
        """
    )
    assert [d.code for d in diagnostics] == ["OC-V020"]
    assert "declared twice" in diagnostics[0].message

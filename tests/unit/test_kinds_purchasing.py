"""Vendor prices and approval matrices: specs, keys, values, live records, backend mapping."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from odooconf.engine.read import new_live_state
from odooconf.kinds import KINDS, TARGETS
from odooconf.kinds.approval_backend import realize_approvals, review_sequences, tier_domain
from odooconf.model.live import PlanContext
from odooconf.model.resource import Address
from tests.emulator.helpers import reference_dir, reference_root
from tests.unit.blueprint_text import errors, one, validate

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


# --- approval matrices ------------------------------------------------------------------------

MATRIX = """\
approvals:
  - document: purchase_order
    currency: USD
    levels:
      - amount: 10000
        approvers: [{role: {xmlid: purchase.group_purchase_manager}}]
      - amount: 50000
        approvers: [{role: Purchase Directors}, {user: director}]
"""


def test_an_approval_expands_into_located_levels() -> None:
    resources, diagnostics = validate(MATRIX)
    assert diagnostics == []
    approval, first, second = resources
    assert approval.address == Address("approval", "purchase_order")
    assert approval.path == "approvals[0] (purchase_order)"
    assert [level.address for level in (first, second)] == [
        Address("approval_level", "purchase_order | level 1"),
        Address("approval_level", "purchase_order | level 2"),
    ]
    assert (first.path, first.source.line) == ("approvals[0] (purchase_order) › levels[0]", 5)
    assert second.source.line == 7
    assert second.values["number"] == 2
    assert [a.describe() for a in second.values["spec"].approvers] == [
        "role Purchase Directors",
        "user director",
    ]


def test_matrix_schema_errors() -> None:
    assert errors(
        """\
        approvals:
          - {document: invoice, currency: USD}
          - document: purchase_order
            currency: USD
            levels:
              - {amount: 50000, approvers: [{user: a}]}
              - {amount: 10000, approvers: [{user: b}]}
          - document: sale_order
            currency: USD
            levels:
              - {amount: 0, approvers: []}
              - {amount: 5, approvers: [{role: A, user: b}, {}]}
          - document: vendor_bill
            currency: USD
            levels:
              - amount: 5
                approvers: [{user: a}]
                domain: "[('amount_total', '>', 5)]"
        """
    ) == [
        (
            "approvals[0] (invoice) › document",
            "Input should be 'purchase_order', 'sale_order' or 'vendor_bill' (got 'invoice')",
        ),
        (
            "approvals[1] (purchase_order)",
            "levels must be ordered by strictly increasing amount (level 1 is the first to "
            "review, from the lowest amount), got 50000, 10000",
        ),
        (
            "approvals[2] (sale_order) › levels[0] › amount",
            "Input should be greater than 0",
        ),
        # A level nobody can approve is refused: Odoo would save it and hold documents forever.
        (
            "approvals[2] (sale_order) › levels[0] › approvers",
            "List should have at least 1 item after validation, not 0 (got [])",
        ),
        (
            "approvals[2] (sale_order) › levels[1] › approvers[0]",
            "give either 'role' or 'user' (exactly one of them)",
        ),
        (
            "approvals[2] (sale_order) › levels[1] › approvers[1]",
            "give either 'role' or 'user' (exactly one of them)",
        ),
        # The domain is generated from the amount and currency, never taken as text.
        (
            "approvals[3] (vendor_bill) › levels[0] › domain",
            "unknown key 'domain' (allowed: amount, approvers, name, id, state)",
        ),
    ]


def test_generated_domains_are_valid_literals_of_the_amount_and_currency() -> None:
    assert tier_domain("purchase_order", 10000, "USD") == (
        "[('amount_total', '>=', 10000.0), ('currency_id.name', '=', 'USD')]"
    )
    bills = tier_domain("vendor_bill", 2500.5, "EUR")
    assert ast.literal_eval(bills) == [
        ("move_type", "=", "in_invoice"),
        ("amount_total", ">=", 2500.5),
        ("currency_id.name", "=", "EUR"),
    ]


def test_level_order_maps_onto_descending_review_sequences() -> None:
    # OCA tier validation numbers a document's reviews by descending sequence
    # (odoo-reference/18-tier/side_effects.md): level 1 must have the highest.
    assert review_sequences(1) == [10]
    assert review_sequences(3) == [30, 20, 10]
    order = sorted(range(3), key=lambda index: -review_sequences(3)[index])
    assert order == [0, 1, 2]


def test_tier_definition_without_its_reviewer_is_refused() -> None:
    tier = KINDS["tier_definition"]
    assert tier.problems({"review_type": "group", "reviewer_group": None}, {}) == [
        "a tier definition reviewed by a group names no group"
    ]
    assert tier.problems({"review_type": "individual", "reviewer": None}, {}) == [
        "a tier definition reviewed by a user names no user"
    ]
    assert tier.problems({"review_type": "group", "reviewer_group": "Directors"}, {}) == []


def test_backend_kinds_map_fields_the_reference_has() -> None:
    """tier_definition against odoo-reference/18-tier, purchase_approval against 18."""
    reference = reference_root(Path(__file__).parents[1] / "emulator" / "conftest.py")
    for kind, folder in ((KINDS["tier_definition"], "18-tier"), (KINDS["purchase_approval"], "18")):
        path = reference_dir(reference / folder) / "fields" / f"{kind.model}.json"
        fields = json.loads(path.read_text(encoding="utf-8"))["fields"]
        for attr in kind.attrs:
            info = fields[attr.odoo]
            assert info["store"] and not info["readonly"], attr.odoo
            if attr.target is not None:
                assert (info["type"], info["relation"]) == ("many2one", TARGETS[attr.target].model)
            else:
                assert info["type"] not in ("many2one", "one2many", "many2many")


def test_no_approvals_no_reads() -> None:
    resources, _ = validate("vendor_prices: [{vendor: A, product: B, price: 1}]")
    live, context = new_live_state("odooconf"), PlanContext("dev", "dev.yaml")
    assert list(KINDS["approval"].needs(resources, live, context)) == []
    assert realize_approvals(resources, live, context).resources is resources


def test_a_vendor_by_reference_waits_for_plan_to_know_its_name() -> None:
    price = one("vendor_prices: [{vendor_ref: V-0042, product: A, price: 1}]")
    assert price.key == "ref:V-0042 | product:A | min 0 | always"
    assert price.values["vendor_ref"] == "V-0042" and "vendor" not in price.values
    assert errors("vendor_prices: [{vendor: Acme, vendor_ref: V-1, product: A, price: 1}]") == [
        ("vendor_prices[0] (Acme)", "give either 'vendor' or 'vendor_ref' (exactly one of them)")
    ]

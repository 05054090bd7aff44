"""Product categories, putaway rules and reordering rules: specs, keys, values and live records."""

from __future__ import annotations

from typing import Any

import pytest

from odooconf.engine.resolve import resolve_references
from odooconf.kinds import KINDS
from odooconf.kinds.location import location_path
from odooconf.kinds.product_category import ACCOUNTS
from odooconf.kinds.rule import RuleSpec
from odooconf.model.resource import Address, XmlidRef
from tests.unit.blueprint_text import errors, one, validate

CATEGORY, PUTAWAY, REORDERING = (
    KINDS["product_category"],
    KINDS["putaway_rule"],
    KINDS["reordering_rule"],
)
#: Natural keys of the live records the hand-built records below point to.
LIVE_KEYS = {
    ("product_category", 1): "All",
    ("product_category", 2): "All / Saleable",
    ("product_category", 7): "All / Saleable / Frozen",
    ("location", 8): "DC1/Stock",
    ("location", 30): "DC1/Stock/Cold Room",
    ("product", 41): "FRZ-PEAS-1KG",
    ("product", 42): "no code",
    ("account", 2): "110100",
    ("account", 3): "110200",
    ("removal", 1): "fifo",
    ("route", 5): "Buy",
    ("route", 6): "DC1/reception",
    ("company", 1): "My Company",
    ("warehouse", 1): "WH",
}


def keyer(target: str, record_id: int) -> str | None:
    key = LIVE_KEYS.get((target, record_id))
    return None if key == "no code" else key


def id_of(target: str, key: str) -> int:
    return next(rid for (name, rid), value in LIVE_KEYS.items() if (name, value) == (target, key))


# --- product categories -----------------------------------------------------------------------


def test_category_values_split_the_path_and_flatten_accounts() -> None:
    category = one(
        """\
        product_categories:
          - path: All / Saleable / Frozen
            costing_method: fifo
            valuation: real_time
            removal_strategy: fifo
            routes: [Buy, {xmlid: stock.route_warehouse0_mto}]
            accounts:
              stock_valuation: 110100
              stock_output: "110300"
              price_difference: null
        """
    )
    assert category.address == Address("product_category", "All / Saleable / Frozen")
    assert category.xmlid == "acme.product_category_all_saleable_frozen"
    assert category.path == "product_categories[0] (All / Saleable / Frozen)"
    assert category.values == {
        "name": "Frozen",
        "parent": "All / Saleable",
        "costing_method": "fifo",
        "valuation": "real_time",
        "removal_strategy": "fifo",
        "routes": ["Buy", XmlidRef("stock.route_warehouse0_mto")],
        "accounts.stock_valuation": "110100",  # YAML's number, as the code it is
        "accounts.stock_output": "110300",
        "accounts.price_difference": None,
    }


def test_category_declares_only_what_is_written_and_a_one_part_path_is_a_root() -> None:
    assert one("product_categories: [{path: All / Saleable}]").values == {
        "name": "Saleable",
        "parent": "All",
    }
    assert one("product_categories: [{path: Internal}]").values == {
        "name": "Internal",
        "parent": None,
    }


def test_category_depends_on_its_declared_parent() -> None:
    resources, diagnostics = validate(
        """\
        product_categories:
          - {path: All / Saleable / Frozen / Peas}
          - {path: All / Saleable / Frozen}
        """
    )
    assert diagnostics == []
    resources = resolve_references(resources)
    assert resources[0].depends_on == {Address("product_category", "All / Saleable / Frozen")}
    assert resources[1].depends_on == set()


@pytest.mark.parametrize(
    "path",
    ["All/Saleable", "All / Saleable/Frozen", "All /  Saleable", "All / / Frozen", " All", ""],
)
def test_malformed_category_path(path: str) -> None:
    ((crumb, message),) = errors(f"product_categories: [{{path: '{path}'}}]")
    assert crumb.endswith(" › path")
    assert "separated by ' / '" in message


@pytest.mark.parametrize(
    ("item", "crumb", "words"),
    [
        ("{path: A, valuation: automated}", "valuation", ["'manual_periodic'", "'real_time'"]),
        ("{path: A, costing_method: lifo}", "costing_method", ["'standard'", "'fifo'"]),
        ("{path: A, removal_strategy: oldest}", "removal_strategy", ["'least_packages'"]),
        ("{path: A, accounts: {stock: 1}}", "accounts › stock", ["allowed: stock_valuation"]),
        ("{path: A, routes: null}", "routes", ["valid list"]),
        ("{path: A, active: false}", "active", ["unknown key"]),
    ],
)
def test_invalid_category_item(item: str, crumb: str, words: list[str]) -> None:
    ((where, message),) = errors(f"product_categories: [{item}]")
    assert where == f"product_categories[0] (A) › {crumb}"
    for word in words:
        assert word in message


def test_category_from_odoo_round_trips_its_values() -> None:
    category = one(
        """\
        product_categories:
          - path: All / Saleable / Frozen
            costing_method: fifo
            valuation: real_time
            removal_strategy: fifo
            routes: [DC1/reception, Buy]
            accounts: {stock_valuation: 110100, stock_input: 110200, price_difference: null}
        """
    )
    record = {
        "id": 7,
        "complete_name": "All / Saleable / Frozen",
        "name": "Frozen",
        "parent_id": [2, "All / Saleable"],
        "property_cost_method": "fifo",
        "property_valuation": "real_time",
        "removal_strategy_id": [1, "First In First Out (FIFO)"],
        "route_ids": [6, 5],
        "property_stock_valuation_account_id": [2, "110100 Stock Valuation"],
        "property_stock_account_input_categ_id": [3, "110200 Stock Interim (Received)"],
        "property_stock_account_output_categ_id": [3, "110200 Stock Interim (Received)"],
        "property_account_creditor_price_difference_categ": False,
    }
    types = {"property_cost_method": "selection", "property_valuation": "selection"}
    live = CATEGORY.from_odoo(record, keyer, types)
    assert {name: live[name] for name in category.values} == {
        **category.values,
        "routes": ["Buy", "DC1/reception"],  # many2many: sorted keys
    }
    assert live["accounts.stock_output"] == "110200"  # read, though not declared
    assert CATEGORY.live_key(record, keyer) == category.key


def test_category_to_odoo_writes_the_company_dependent_fields() -> None:
    values = {
        "parent": "All / Saleable",
        "costing_method": "average",
        "routes": ["Buy"],
        "accounts.stock_valuation": "110100",
        "accounts.price_difference": None,
    }
    assert CATEGORY.to_odoo(values, id_of) == {
        "parent_id": 2,
        "property_cost_method": "average",
        "route_ids": [(6, 0, [5])],
        "property_stock_valuation_account_id": 2,
        "property_account_creditor_price_difference_categ": False,
    }


# --- putaway rules ----------------------------------------------------------------------------


def test_putaway_rule_on_a_category() -> None:
    rule = one(
        """\
        putaway_rules:
          - location_in: DC1/Stock
            category: All / Saleable / Frozen
            location_out: DC1/Stock/Cold Room
            sequence: 5
        """
    )
    assert rule.key == "DC1/Stock | category:All / Saleable / Frozen → DC1/Stock/Cold Room"
    assert rule.path == "putaway_rules[0] (DC1/Stock/Cold Room)"
    assert rule.values == {
        "location_in": "DC1/Stock",
        "category": "All / Saleable / Frozen",
        "location_out": "DC1/Stock/Cold Room",
        "sequence": 5,
    }


def test_putaway_rule_on_a_product_with_a_numeric_code() -> None:
    rule = one("putaway_rules: [{location_in: WH/Stock, product: 4711, location_out: WH/Stock}]")
    assert rule.key == "WH/Stock | product:4711 → WH/Stock"
    assert rule.values["product"] == "4711"


def test_putaway_rule_depends_on_declared_category_and_locations() -> None:
    resources, diagnostics = validate(
        """\
        product_categories: [{path: All / Saleable / Frozen}]
        locations: [{path: DC1/Stock/Cold Room}]
        putaway_rules:
          - {location_in: DC1/Stock, category: All / Saleable / Frozen,
             location_out: DC1/Stock/Cold Room}
        """
    )
    assert diagnostics == []
    resources = resolve_references(resources)
    assert resources[2].depends_on == {
        Address("product_category", "All / Saleable / Frozen"),
        Address("location", "DC1/Stock/Cold Room"),
    }


@pytest.mark.parametrize(
    ("item", "crumb", "words"),
    [
        (
            "{location_in: A/B, product: P1, category: All, location_out: A/B}",
            "",
            ["exactly one of them"],
        ),
        ("{location_in: A/B, location_out: A/B}", "", ["either 'product' or 'category'"]),
        ("{location_in: A/B, category: All/Food, location_out: A/B}", " › category", ["' / '"]),
        ("{product: P1, location_out: A/B}", " › location_in", ["required key is missing"]),
        (
            "{location_in: A/B, product: P1, location_out: A/B, sublocation: nearest}",
            " › sublocation",
            ["'no', 'last_used' or 'closest_location'"],
        ),
    ],
)
def test_invalid_putaway_rule(item: str, crumb: str, words: list[str]) -> None:
    ((where, message),) = errors(f"putaway_rules: [{item}]")
    assert where == "putaway_rules[0] (A/B)" + crumb
    for word in words:
        assert word in message


@pytest.mark.parametrize(
    ("matched", "key"),
    [
        (
            {"product_id": False, "category_id": [7, "All / Saleable / Frozen"]},
            "DC1/Stock | category:All / Saleable / Frozen → DC1/Stock/Cold Room",
        ),
        (
            {"product_id": [41, "[FRZ-PEAS-1KG] Frozen peas"], "category_id": False},
            "DC1/Stock | product:FRZ-PEAS-1KG → DC1/Stock/Cold Room",
        ),
        ({"product_id": [42, "Peas"], "category_id": False}, None),  # product without a code
        ({"product_id": False, "category_id": False}, None),  # on package types only
        ({"product_id": [41, "Peas"], "category_id": [7, "Frozen"]}, None),  # on both
    ],
)
def test_putaway_rule_live_key(matched: dict[str, Any], key: str | None) -> None:
    record = {
        "id": 3,
        "location_in_id": [8, "DC1/Stock"],
        "location_out_id": [30, "DC1/Stock/Cold Room"],
        **matched,
    }
    assert PUTAWAY.live_key(record, keyer) == key


def test_putaway_rule_from_odoo_round_trips_its_values() -> None:
    rule = one(
        """\
        putaway_rules:
          - {location_in: DC1/Stock, product: FRZ-PEAS-1KG, location_out: DC1/Stock/Cold Room,
             company: My Company, sequence: 0, active: false}
        """
    )
    record = {
        "id": 3,
        "location_in_id": [8, "DC1/Stock"],
        "product_id": [41, "[FRZ-PEAS-1KG] Frozen peas"],
        "category_id": False,
        "location_out_id": [30, "DC1/Stock/Cold Room"],
        "sequence": 0,
        "company_id": [1, "My Company"],
        "active": False,
    }
    live = PUTAWAY.from_odoo(record, keyer, {"active": "boolean", "sequence": "integer"})
    assert {name: live[name] for name in rule.values} == rule.values
    assert live["category"] is None
    assert PUTAWAY.live_key(record, keyer) == rule.key
    assert PUTAWAY.to_odoo(rule.values, id_of) == {
        "location_in_id": 8,
        "product_id": 41,
        "location_out_id": 30,
        "company_id": 1,
        "sequence": 0,
        "active": False,
    }


# --- reordering rules -------------------------------------------------------------------------


def test_reordering_rule_declares_only_what_is_written() -> None:
    rule = one("reordering_rules: [{product: FRZ-PEAS-1KG, location: RW1/Stock, min: 5, max: 20}]")
    assert rule.key == "FRZ-PEAS-1KG @ RW1/Stock"
    assert rule.xmlid == "acme.reordering_rule_frz_peas_1kg_rw1_stock"
    assert rule.path == "reordering_rules[0] (FRZ-PEAS-1KG)"
    # No multiple, trigger or active: Odoo's defaults apply and existing values are left alone.
    assert rule.values == {"product": "FRZ-PEAS-1KG", "location": "RW1/Stock", "min": 5, "max": 20}


def test_reordering_rule_with_every_attribute() -> None:
    rule = one(
        """\
        reordering_rules:
          - product: 4711
            location: WH/Stock
            warehouse: WH
            min: 0
            max: 0
            multiple: 0
            route: {xmlid: purchase_stock.route_warehouse0_buy}
            trigger: manual
            company: My Company
            active: false
        """
    )
    assert rule.key == "4711 @ WH/Stock"
    assert rule.values == {
        "product": "4711",
        "location": "WH/Stock",
        "warehouse": "WH",
        "min": 0,
        "max": 0,
        "multiple": 0,
        "route": XmlidRef("purchase_stock.route_warehouse0_buy"),
        "trigger": "manual",
        "company": "My Company",
        "active": False,
    }


@pytest.mark.parametrize(
    ("fields", "crumb", "words"),
    [
        ("min: 30, max: 20", "", ["min (30) must not be greater than max (20)"]),
        ("min: -1, max: 20", " › min", ["greater than or equal to 0"]),
        ("min: 1, max: 2, multiple: -5", " › multiple", ["greater than or equal to 0"]),
        ("min: 1", " › max", ["required key is missing"]),
        ("min: 1, max: 2, trigger: always", " › trigger", ["'auto'", "'manual'"]),
        ("min: 1, max: 2, name: OP/001", " › name", ["unknown key 'name'"]),
    ],
)
def test_invalid_reordering_rule(fields: str, crumb: str, words: list[str]) -> None:
    ((where, message),) = errors(
        f"reordering_rules: [{{product: P1, location: WH/Stock, {fields}}}]"
    )
    assert where == "reordering_rules[0] (P1)" + crumb
    for word in words:
        assert word in message


def test_reordering_rule_from_odoo_round_trips_its_values() -> None:
    rule = one(
        """\
        reordering_rules:
          - {product: FRZ-PEAS-1KG, location: DC1/Stock, warehouse: WH, min: 10, max: 50.5,
             multiple: 5, route: Buy, trigger: manual, active: true}
        """
    )
    record = {
        "id": 4,
        "product_id": [41, "[FRZ-PEAS-1KG] Frozen peas"],
        "location_id": [8, "DC1/Stock"],
        "warehouse_id": [1, "WH"],
        "product_min_qty": 10.0,
        "product_max_qty": 50.5,
        "qty_multiple": 5.0,
        "route_id": [5, "Buy"],
        "trigger": "manual",
        "company_id": [1, "My Company"],
        "active": True,
    }
    types = {"product_min_qty": "float", "qty_multiple": "float", "active": "boolean"}
    live = REORDERING.from_odoo(record, keyer, types)
    assert {name: live[name] for name in rule.values} == rule.values
    assert REORDERING.live_key(record, keyer) == rule.key == "FRZ-PEAS-1KG @ DC1/Stock"
    assert REORDERING.live_key({**record, "product_id": [42, "no code"]}, keyer) is None
    assert REORDERING.to_odoo(rule.values, id_of) == {
        "product_id": 41,
        "location_id": 8,
        "warehouse_id": 1,
        "product_min_qty": 10,
        "product_max_qty": 50.5,
        "qty_multiple": 5,
        "route_id": 5,
        "trigger": "manual",
        "active": True,
    }


def test_same_reordering_rule_twice_is_an_error() -> None:
    _resources, diagnostics = validate(
        """\
        reordering_rules:
          - {product: P1, location: WH/Stock, min: 1, max: 2}
          - {product: P1, location: WH/Stock, min: 3, max: 4}
        """
    )
    assert [(d.code, d.path) for d in diagnostics] == [("OC-V020", "reordering_rules[1] (P1)")]
    assert "reordering_rule P1 @ WH/Stock is declared twice" in diagnostics[0].message


def test_key_attribute_refuses_an_external_id() -> None:
    problems = errors(
        """\
        reordering_rules:
          - {product: P1, location: {xmlid: stock.stock_location_stock}, min: 1, max: 2}
        """
    )
    assert [(path, message.split(" (got")[0]) for path, message in problems] == [
        (
            "reordering_rules[0] (P1) › location",
            "is part of the natural key: write the key itself, not an external id",
        )
    ]


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Partners/Customers", "Customers"),
        ("Physical Locations/Inter-warehouse transit", "Inter-warehouse transit"),
        ("Virtual Locations/Inventory adjustment", "Inventory adjustment"),
        ("Customers", "Customers"),
        ("Partners", "Partners"),  # the view itself keeps its name
        ("DC1/Stock/Partners/X", "DC1/Stock/Partners/X"),  # only a top-level view is dropped
    ],
)
def test_location_paths_are_the_same_on_every_version(written: str, key: str) -> None:
    """Odoo 19 has no Physical Locations / Partners / Virtual Locations views: odooconf names
    locations without them, so one blueprint holds on 18 and 19."""
    assert location_path(written) == key


def test_a_rule_written_with_an_odoo_18_path_has_the_version_independent_key() -> None:
    rule = KINDS["rule"]
    old = RuleSpec(route="R", action="pull", source="WH/Stock", destination="Partners/Customers",
                   operation_type="WH/OUT")  # fmt: skip
    new = RuleSpec(route="R", action="pull", source="WH/Stock", destination="Customers",
                   operation_type="WH/OUT")  # fmt: skip
    assert rule.key(old) == rule.key(new) == "R | pull | WH/Stock → Customers"


def test_real_time_valuation_needs_the_stock_accounts_only_where_odoo_has_them() -> None:
    """Odoo 18 refuses a real-time category without its three stock accounts; Odoo 19 has no
    input and output accounts and accepts it (odoo-reference 19/side_effects.md, part e)."""
    category = KINDS["product_category"]
    odoo_18: dict[str, dict[str, str]] = {field: {} for field in ACCOUNTS.values()}
    odoo_19: dict[str, dict[str, str]] = {
        "property_stock_valuation_account_id": {},
        "property_price_difference_account_id": {},
    }
    values = {"valuation": "real_time"}
    assert category.problems(values, odoo_18) == [
        "automated (real_time) valuation needs accounts.stock_valuation, accounts.stock_input, "
        "accounts.stock_output"
    ]
    assert category.problems(values, odoo_19) == []

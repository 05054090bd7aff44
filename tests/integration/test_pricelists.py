"""Customer pricelists, their items and price checks end to end (emulator or a real Odoo)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration.conftest import Odoo, Project

PRICELISTS = """\
pricelists:
  - name: Retail
    currency: USD
    sequence: 10
  - name: Wholesale
    currency: USD
    items:
      - {min_quantity: 10, percentage: 5}
      - {min_quantity: 50, percentage: 10}
      - {category: All / Saleable, min_quantity: 50, percentage: 10}
      - {min_quantity: 200, formula: {discount: 15, rounding: 0.5, surcharge: -0.01}}
  - name: Key Accounts
    items:
      - {base_pricelist: Wholesale, percentage: 5}
"""


def _plan(project: Project) -> dict[str, Any]:
    result = project.run("plan", "-e", "test", "--format", "json")
    assert result.code == 0, result.out + result.err
    document: dict[str, Any] = json.loads(result.out)
    return document


def _pending(project: Project) -> list[dict[str, Any]]:
    return [c for c in _plan(project)["changes"] if c["action"] != "noop"]


def _pricelist_id(odoo: Odoo, name: str) -> int:
    (row,) = odoo.read("product.pricelist", [("name", "=", name)], ["id"])
    return int(row["id"])


def _items(odoo: Odoo, pricelist: str) -> list[dict[str, Any]]:
    fields = [
        "applied_on", "categ_id", "min_quantity", "compute_price", "percent_price",
        "price_discount", "price_round", "price_surcharge", "base", "base_pricelist_id",
        "fixed_price", "date_start", "date_end",
    ]  # fmt: skip
    return odoo.read(
        "product.pricelist.item", [("pricelist_id", "=", _pricelist_id(odoo, pricelist))], fields
    )


def _product(odoo: Odoo, code: str, price: float, cost: float = 0.0) -> int:
    values = {"name": code, "default_code": code, "list_price": price, "standard_price": cost}
    created: Any = odoo.execute("product.product", "create", values)
    return int(created)


def test_pricelists_plan_apply_and_converge(project: Project) -> None:
    project.write("pricelists.yaml", PRICELISTS)
    changes = _pending(project)
    assert {c["action"] for c in changes} == {"create"}
    assert sorted(c["key"] for c in changes if c["kind"] == "pricelist") == [
        "Key Accounts", "Retail", "Wholesale",
    ]  # fmt: skip
    assert sorted(c["key"] for c in changes if c["kind"] == "pricelist_item") == [
        "Key Accounts | all products | ≥ 0",
        "Wholesale | all products | ≥ 10",
        "Wholesale | all products | ≥ 200",
        "Wholesale | all products | ≥ 50",
        "Wholesale | category All / Saleable | ≥ 50",
    ]
    project.apply_ok()
    project.converged()
    items = {
        (row["applied_on"], row["min_quantity"]): row for row in _items(project.odoo, "Wholesale")
    }
    assert len(items) == 5 - 1  # the category item is (2_product_category, 50)
    assert items[("2_product_category", 50.0)]["percent_price"] == 10.0
    formula = items[("3_global", 200.0)]
    assert formula["compute_price"] == "formula"
    assert (formula["price_discount"], formula["price_round"]) == (15.0, 0.5)
    assert formula["price_surcharge"] == -0.01
    (key_item,) = _items(project.odoo, "Key Accounts")
    assert key_item["base"] == "pricelist"
    assert key_item["base_pricelist_id"][0] == _pricelist_id(project.odoo, "Wholesale")
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 0
    assert "No changes" in result.out


def test_moving_items_in_the_file_changes_nothing(project: Project) -> None:
    project.write("pricelists.yaml", PRICELISTS)
    project.apply_ok()
    lines = PRICELISTS.splitlines()
    start = lines.index("      - {min_quantity: 10, percentage: 5}")
    moved = lines[:start] + list(reversed(lines[start : start + 4])) + lines[start + 4 :]
    project.write("pricelists.yaml", "\n".join(moved) + "\n")
    project.converged()


def test_hand_edits_of_every_managed_field_are_detected_and_restored(project: Project) -> None:
    project.write(
        "pricelists.yaml",
        PRICELISTS
        + """\
  - name: Promotions
    currency: USD
    sequence: 20
    items:
      - {fixed_price: 80, category: All / Saleable, start: 2026-01-01, end: 2026-01-31}
      - {formula: {discount: 5, surcharge: 1, rounding: 0.5, min_margin: 1, max_margin: 20},
         base: cost}
""",
    )
    project.apply_ok()
    odoo = project.odoo
    promotions = _pricelist_id(odoo, "Promotions")
    eur = odoo.read("res.currency", [("name", "=", "EUR")], ["id"])[0]["id"]
    odoo.execute("product.pricelist", "write", [promotions], {"sequence": 99, "currency_id": eur})
    fixed, formula = sorted(_items(odoo, "Promotions"), key=lambda r: r["compute_price"] != "fixed")
    odoo.execute("product.pricelist.item", "write", [fixed["id"]], {"fixed_price": 70})
    edits = {
        "price_discount": 7, "price_surcharge": 2, "price_round": 1, "price_min_margin": 2,
        "price_max_margin": 30, "base": "list_price",
    }  # fmt: skip
    odoo.execute("product.pricelist.item", "write", [formula["id"]], edits)
    changes = {c["key"]: c for c in _pending(project)}
    assert {f["field"] for f in changes["Promotions"]["fields"]} == {"sequence", "currency"}
    fixed_change = changes["Promotions | category All / Saleable | ≥ 0 | 2026-01-01 → 2026-01-31"]
    assert [(f["field"], f["old"], f["new"]) for f in fixed_change["fields"]] == [
        ("fixed_price", 70.0, 80.0)
    ]
    formula_change = changes["Promotions | all products | ≥ 0"]
    assert {f["field"] for f in formula_change["fields"]} == {
        "discount", "surcharge", "rounding", "min_margin", "max_margin", "based_on",
    }  # fmt: skip
    project.apply_ok()
    project.converged()
    odoo.execute("product.pricelist", "write", [promotions], {"active": False})
    assert [c["key"] for c in _pending(project)] == ["Promotions"]
    project.apply_ok()
    project.converged()


def test_text_plan_shows_an_item_change_as_a_sentence(project: Project) -> None:
    project.write("pricelists.yaml", PRICELISTS)
    project.apply_ok()
    project.write(
        "pricelists.yaml",
        PRICELISTS.replace(
            "{category: All / Saleable, min_quantity: 50, percentage: 10}",
            "{category: All / Saleable, min_quantity: 50, percentage: 12}",
        ),
    )
    text = project.run("plan", "-e", "test").out
    assert "Wholesale: category All / Saleable, ≥ 50 units: 10 % → 12 % off" in text
    markdown = project.run("plan", "-e", "test", "--format", "markdown").out
    assert "Wholesale: category All / Saleable, ≥ 50 units: 10 % → 12 % off" in markdown


def test_removed_items_are_deleted(project: Project) -> None:
    project.write("pricelists.yaml", PRICELISTS)
    project.apply_ok()
    project.write(
        "pricelists.yaml",
        PRICELISTS.replace("      - {min_quantity: 50, percentage: 10}\n", ""),
    )
    (change,) = _pending(project)
    assert (change["action"], change["key"]) == ("delete", "Wholesale | all products | ≥ 50")
    assert "odooconf created it" in change["note"]
    text = project.run("plan", "-e", "test").out
    assert "x pricelist_item Wholesale | all products | ≥ 50" in text
    assert "Wholesale: all products, ≥ 50 units: 10 % off (removed)" in text
    project.apply_ok()
    project.converged()
    assert sorted(r["min_quantity"] for r in _items(project.odoo, "Wholesale")) == [
        10.0, 50.0, 200.0,
    ]  # fmt: skip
    xmlids = project.odoo.read(
        "ir.model.data", [("model", "=", "product.pricelist.item")], ["name"]
    )
    assert len(xmlids) == 3 + 1  # Wholesale's three items and Key Accounts' one: no stale id


def test_adopted_item_removed_from_the_blueprint_is_deleted_and_said_so(project: Project) -> None:
    odoo = project.odoo
    wholesale: Any = odoo.execute(
        "product.pricelist",
        "create",
        {"name": "Wholesale", "item_ids": [(0, 0, {"compute_price": "percentage",
                                                   "percent_price": 3, "min_quantity": 5}),
                                           (0, 0, {"compute_price": "fixed", "fixed_price": 9,
                                                   "min_quantity": 7})]},
    )  # fmt: skip
    assert wholesale
    project.write(
        "pricelists.yaml",
        "pricelists:\n  - name: Wholesale\n    items:\n      - {min_quantity: 5, percentage: 3}\n",
    )
    plan = _plan(project)
    adopted = [c for c in plan["changes"] if c["action"] == "adopt"]
    assert {c["key"] for c in adopted} == {"Wholesale", "Wholesale | all products | ≥ 5"}
    # The hand-made item nobody declared is never deleted: a warning names it.
    (warning,) = plan["warnings"]
    assert warning["code"] == "unmanaged" and "≥ 7" in warning["message"]
    project.apply_ok()
    project.write("pricelists.yaml", "pricelists:\n  - name: Wholesale\n    items: []\n")
    (change,) = _pending(project)
    assert change["action"] == "delete"
    assert "odooconf adopted it (it did not create it)" in change["note"]
    assert "lists exactly its declared" in change["note"]
    project.apply_ok()
    assert [r["min_quantity"] for r in _items(odoo, "Wholesale")] == [7.0]


def test_items_of_a_pricelist_that_left_the_blueprints_are_not_deleted(project: Project) -> None:
    project.write("pricelists.yaml", PRICELISTS)
    project.apply_ok()
    project.write(
        "pricelists.yaml", "pricelists:\n  - {name: Retail, currency: USD, sequence: 10}\n"
    )
    assert [c["action"] for c in _pending(project)] == []
    project.environment(prune="archive")
    actions = {(c["kind"], c["action"]) for c in _pending(project)}
    assert actions == {("pricelist", "archive")}
    project.apply_ok()
    assert len(_items(project.odoo, "Wholesale")) == 4


def test_shadowed_and_ambiguous_items_are_warnings_naming_both(project: Project) -> None:
    project.write(
        "pricelists.yaml",
        """\
pricelists:
  - name: Seasonal
    items:
      - {percentage: 5}
      - {percentage: 20, start: 2026-12-01, end: 2026-12-31}
      - {percentage: 30, start: 2026-12-20, end: 2027-01-15}
      - {min_quantity: 10, percentage: 8}
""",
    )
    plan = _plan(project)
    warnings = {tuple(w["subjects"]): w for w in plan["warnings"]}
    everyday = "pricelist_item Seasonal | all products | ≥ 0"
    december = f"{everyday} | 2026-12-01 → 2026-12-31"
    turn = f"{everyday} | 2026-12-20 → 2027-01-15"
    # New items are created in key order: the everyday item first, so the dated ones are newer.
    assert set(warnings) == {(everyday, december), (everyday, turn), (december, turn)}
    assert warnings[(december, turn)]["code"] == "ambiguous"
    assert warnings[(everyday, december)]["code"] == "ambiguous"
    text = project.run("plan", "-e", "test").out
    assert text.count("warning: ") == 3
    assert "3 warning(s)" in text
    markdown = project.run("plan", "-e", "test", "--format", "markdown").out
    assert "**Warnings**" in markdown
    project.apply_ok()
    # Recreated by hand, the everyday item becomes the newest: the December one never applies.
    odoo = project.odoo
    seasonal = _pricelist_id(odoo, "Seasonal")
    (everyday_row,) = [
        r for r in _items(odoo, "Seasonal") if not r["date_start"] and not r["min_quantity"]
    ]
    odoo.execute("product.pricelist.item", "unlink", [everyday_row["id"]])
    odoo.execute(
        "product.pricelist.item",
        "create",
        {"pricelist_id": seasonal, "compute_price": "percentage", "percent_price": 5},
    )
    warnings = {tuple(w["subjects"]): w for w in _plan(project)["warnings"]}
    assert warnings[(december, everyday)]["code"] == "shadowed"
    assert "can never apply" in warnings[(december, everyday)]["message"]
    assert warnings[(turn, everyday)]["code"] == "shadowed"
    assert warnings[(december, turn)]["code"] == "ambiguous"


def test_duplicate_item_keys_are_a_validate_error(project: Project) -> None:
    project.write(
        "pricelists.yaml",
        "pricelists:\n  - name: W\n    items:\n"
        "      - {min_quantity: 10, percentage: 5}\n      - {min_quantity: 10, fixed_price: 5}\n",
    )
    result = project.run("validate", "-e", "test")
    assert result.code == 1
    assert "pricelist_item W | all products | ≥ 10 is declared twice" in result.err


@pytest.mark.parametrize(
    ("item", "words"),
    [
        ("{formula: {rounding: -1}}", "greater than or equal to 0"),
        ("{percentage: 5, base_pricelist: W}", "based on itself"),
    ],
)
def test_what_odoo_accepts_and_then_breaks_on_is_refused(
    project: Project, item: str, words: str
) -> None:
    project.write("pricelists.yaml", f"pricelists:\n  - name: W\n    items: [{item}]\n")
    result = project.run("plan", "-e", "test")
    assert result.code == 1
    assert words in result.err


def test_an_item_without_a_pricelist_is_refused(project: Project) -> None:
    project.write("items.yaml", "pricelist_items:\n  - {percentage: 5}\n")
    result = project.run("validate", "-e", "test")
    assert result.code == 1
    assert "pricelist_items[0] › pricelist: required key is missing" in result.err


def test_pricelists_based_on_each_other_are_a_plan_error(project: Project) -> None:
    project.write(
        "pricelists.yaml",
        """\
pricelists:
  - {name: A, items: [{base_pricelist: B, percentage: 5}]}
  - {name: B, items: [{base_pricelist: C, percentage: 5}]}
  - {name: C, items: [{base_pricelist: A, percentage: 5}]}
""",
    )
    result = project.run("plan", "-e", "test")
    assert result.code == 1
    assert "pricelists based on each other: A → B → C → A" in result.err
    assert result.err.count("OC-X080") == 1


def test_a_cycle_through_a_pricelist_only_on_the_instance(project: Project) -> None:
    odoo = project.odoo
    odoo.execute("product.pricelist", "create", {"name": "Outside"})
    project.write("pricelists.yaml", "pricelists:\n  - {name: Inside}\n")
    project.apply_ok()
    inside = _pricelist_id(odoo, "Inside")
    outside = _pricelist_id(odoo, "Outside")
    odoo.execute(
        "product.pricelist.item",
        "create",
        {"pricelist_id": outside, "compute_price": "percentage", "base": "pricelist",
         "base_pricelist_id": inside},
    )  # fmt: skip
    project.write(
        "pricelists.yaml",
        "pricelists:\n  - {name: Inside, items: [{base_pricelist: Outside, percentage: 1}]}\n",
    )
    result = project.run("plan", "-e", "test")
    assert result.code == 1
    assert "Inside → Outside → Inside" in result.err

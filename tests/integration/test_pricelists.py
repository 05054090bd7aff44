"""Customer pricelists, their items and price checks end to end (emulator or a real Odoo)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from odooconf.odoo.connect import Transport, connect
from odooconf.testing import Emulator, serve_emulator
from tests.integration.conftest import Odoo, Project

PRICELISTS = """\
product_categories:
  - {path: Resale}
pricelists:
  - name: Retail
    currency: USD
    sequence: 10
  - name: Wholesale
    currency: USD
    items:
      - {min_quantity: 10, percentage: 5}
      - {min_quantity: 50, percentage: 10}
      - {category: Resale, min_quantity: 50, percentage: 10}
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
        "Wholesale | category Resale | ≥ 50",
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
      - {fixed_price: 80, category: Resale, start: 2026-01-01, end: 2026-01-31}
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
    fixed_change = changes["Promotions | category Resale | ≥ 0 | 2026-01-01 → 2026-01-31"]
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
            "{category: Resale, min_quantity: 50, percentage: 10}",
            "{category: Resale, min_quantity: 50, percentage: 12}",
        ),
    )
    text = project.run("plan", "-e", "test").out
    assert "Wholesale: category Resale, ≥ 50 units: 10 % → 12 % off" in text
    assert "~ pricelist_item Wholesale | category Resale | ≥ 50" in text
    markdown = project.run("plan", "-e", "test", "--format", "markdown").out
    assert "Wholesale: category Resale, ≥ 50 units: 10 % → 12 % off" in markdown


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
    assert "**⚠️ Warnings** (3)" in markdown
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
    err = project.refused("validate")
    assert "pricelist_item W | all products | ≥ 10 is declared twice" in err


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
    err = project.refused()
    assert words in err


def test_an_item_without_a_pricelist_is_refused(project: Project) -> None:
    project.write("items.yaml", "pricelist_items:\n  - {percentage: 5}\n")
    err = project.refused("validate")
    assert "pricelist_items[0] › pricelist: required key is missing" in err


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
    err = project.refused()
    assert "pricelists based on each other: A → B → C → A" in err
    assert err.count("OC-X080") == 1


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
    err = project.refused()
    assert "Inside → Outside → Inside" in err


# --- price checks --------------------------------------------------------------------------------

CHECKS = """\
price_checks:
  - {pricelist: Wholesale, product: WIDGET, quantity: 1, expected: 100}
  - {pricelist: Wholesale, product: WIDGET, quantity: 10, expected: 95}
  - {pricelist: Wholesale, product: WIDGET, quantity: 60, expected: 90}
  # In Resale, the category item (>= 50) comes before every global item in Odoo's order.
  - {pricelist: Wholesale, product: WIDGET, quantity: 250, expected: 90}
  - {pricelist: Wholesale, product: GADGET, quantity: 250, expected: 84.99}
  - {pricelist: Key Accounts, product: WIDGET, quantity: 60, expected: 85.5}
"""


def _widget(odoo: Odoo) -> int:
    (category,) = odoo.read("product.category", [("name", "=", "Resale")], ["id"])
    values = {
        "name": "Widget", "default_code": "WIDGET", "list_price": 100.0,
        "standard_price": 60.0, "categ_id": category["id"],
    }  # fmt: skip
    created: Any = odoo.execute("product.product", "create", values)
    gadget = {"name": "Gadget", "default_code": "GADGET", "list_price": 100.0}
    odoo.execute("product.product", "create", gadget)
    return int(created)


def test_price_checks_pass_and_fail_as_odoo_computes_them(project: Project) -> None:
    project.write("pricelists.yaml", PRICELISTS)
    project.apply_ok()
    _widget(project.odoo)
    project.write("checks.yaml", CHECKS)
    result = project.run("check", "-e", "test")
    assert result.code == 0, result.out + result.err
    assert "PASS Wholesale: WIDGET x 60: 90.00 (expected 90.00)" in result.out
    assert "6 of 6 price check(s) hold." in result.out
    checks = _plan(project)["checks"]
    assert [(c["actual"], c["ok"]) for c in checks] == [
        (100.0, True), (95.0, True), (90.0, True), (90.0, True), (84.99, True), (85.5, True),
    ]  # fmt: skip
    # A hand edit breaks a price: check fails with expected vs actual; apply restores it.
    odoo = project.odoo
    (category_item,) = [
        r for r in _items(odoo, "Wholesale") if r["applied_on"] == "2_product_category"
    ]
    odoo.execute("product.pricelist.item", "write", [category_item["id"]], {"percent_price": 20})
    result = project.run("check", "-e", "test")
    assert result.code == 1
    assert "FAIL Wholesale: WIDGET x 60: 80.00 (expected 90.00)" in result.out
    assert "FAIL Key Accounts: WIDGET x 60: 76.00 (expected 85.50)" in result.out
    assert "3 of 6 price check(s) hold." in result.out
    text = project.run("plan", "-e", "test").out
    # Plan shows each price now and once it restores the item: the checks hold after apply.
    assert "Price checks (now → after apply):" in text
    assert "Wholesale · WIDGET × 60: 80.00 → 90.00 (expected 90.00: PASS)" in text
    assert "Key Accounts · WIDGET × 60: 76.00 → 85.50 (expected 85.50: PASS)" in text
    markdown = project.run("plan", "-e", "test", "--format", "markdown").out
    assert "| ✅ | Wholesale | WIDGET | 60 |  | 90.00 | 80.00 | 90.00 |" in markdown
    assert "| ✅ | Wholesale | WIDGET | 10 |  | 95.00 | 95.00 | 95.00 |" in markdown
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 0, result.out + result.err
    assert "Price checks after apply:" in result.out
    assert "PASS Wholesale: WIDGET x 60: 90.00 (expected 90.00)" in result.out


def test_apply_fails_when_a_price_check_does_not_hold(project: Project) -> None:
    project.write("pricelists.yaml", PRICELISTS)
    project.apply_ok()
    _widget(project.odoo)
    project.write(
        "checks.yaml", CHECKS.replace("quantity: 60, expected: 90}", "quantity: 60, expected: 88}")
    )
    project.write(
        "pricelists.yaml",
        PRICELISTS.replace(
            "{min_quantity: 10, percentage: 5}", "{min_quantity: 10, percentage: 6}"
        ),
    )
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 1
    # Every write succeeded: the apply says so, and what fails is the prices.
    assert (
        "applied 1 change(s); 2 of 6 price check(s) fail: Wholesale: WIDGET x 10: expected "
        "95.00, Odoo computes 94.00; Wholesale: WIDGET x 60: expected 88.00, Odoo computes 90.00"
    ) in result.err
    assert "Apply stopped" not in result.err
    assert "run plan to see what remains" not in result.err
    # Nothing is left to write, but a price that does not hold fails a detailed plan.
    plan = project.run("plan", "-e", "test", "--detailed-exitcode")
    assert plan.code == 1, plan.out + plan.err
    assert "Wholesale · WIDGET × 60: 90.00 → 90.00 (expected 88.00: FAIL)" in plan.err
    assert "2 of 6 price check(s) fail once the plan is applied" in plan.err
    assert project.run("plan", "-e", "test").code == 0  # a plain plan only shows them
    audit = (project.root / "state" / "audit" / "test.jsonl").read_text().splitlines()
    entry = json.loads(audit[-1])
    assert entry["outcome"] == "applied, price checks fail"
    assert [change["resource"] for change in entry["applied"]] == [
        "pricelist_item Wholesale | all products | ≥ 10"
    ]
    assert entry["failed_checks"] == [
        "Wholesale: WIDGET x 10: expected 95.00, Odoo computes 94.00",
        "Wholesale: WIDGET x 60: expected 88.00, Odoo computes 90.00",
    ]
    # Nothing left to write: apply still refuses prices that do not hold.
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 1
    assert "expected 88.00, Odoo computes 90.00" in result.err


def test_price_checks_of_pricelists_not_created_yet_and_dated_checks(project: Project) -> None:
    project.write("cat.yaml", "product_categories: [{path: Resale}]\n")
    project.apply_ok()
    _widget(project.odoo)
    project.write(
        "pricelists.yaml",
        """\
pricelists:
  - name: Seasonal
    items:
      - {fixed_price: 70, variant: WIDGET, start: 2026-12-01, end: 2026-12-31}
price_checks:
  - {pricelist: Seasonal, product: WIDGET, date: 2026-12-24, expected: 70}
  - {pricelist: Seasonal, product: WIDGET, date: 2027-01-02, expected: 100}
  - {pricelist: Nowhere, product: WIDGET, expected: 1}
""",
    )
    checks = _plan(project)["checks"]
    assert checks[0]["actual"] is None
    assert checks[0]["problem"] == "pricelist 'Seasonal' is not on the instance"
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 1
    assert "PASS Seasonal: WIDGET x 1 on 2026-12-24: 70.00 (expected 70.00)" in result.err
    assert "PASS Seasonal: WIDGET x 1 on 2027-01-02: 100.00 (expected 100.00)" in result.err
    assert "Nowhere: WIDGET x 1: expected 1.00, Odoo computes pricelist 'Nowhere'" in result.err


def test_identical_price_checks_cost_one_call(project: Project) -> None:
    """35,000 aliases of one check cost 35,000 calls (about 30 s): each price is asked once."""
    project.write("pricelists.yaml", PRICELISTS)
    project.apply_ok()
    _widget(project.odoo)
    project.write(
        "checks.yaml",
        "price_checks:\n"
        "  - &check {pricelist: Wholesale, product: WIDGET, quantity: 60, expected: 90}\n"
        + "  - *check\n" * 300
        + "  - {pricelist: Wholesale, product: WIDGET, quantity: 1, expected: 100}\n",
    )
    project.odoo.reset_calls()
    result = project.run("check", "-e", "test")
    assert result.code == 0, result.out + result.err
    assert "302 of 302 price check(s) hold." in result.out
    priced = [m for _model, m in project.odoo.object_calls() if m == "get_contextual_price"]
    assert len(priced) == 2


def test_check_without_price_checks(project: Project) -> None:
    project.write("pricelists.yaml", PRICELISTS)
    result = project.run("check", "-e", "test")
    assert (result.code, result.out.strip()) == (
        0,
        "The blueprints of test declare no price checks.",
    )


def _many_pricelists(prefix: str, count: int) -> str:
    """The three pricelists of ``PRICELISTS`` and ``count`` customer pricelists based on
    Wholesale, every name prefixed, with the price checks."""
    text = PRICELISTS + "".join(
        f"  - name: Customer {index}\n"
        "    items:\n"
        f"      - {{base_pricelist: Wholesale, percentage: {index % 7}}}\n"
        f"      - {{category: Resale, min_quantity: {10 + index}, percentage: 3}}\n"
        for index in range(count)
    )
    text += CHECKS.replace("pricelist: ", f"pricelist: {prefix}").replace("WIDGET", f"{prefix}W")
    for name in ("Wholesale", "Retail", "Key Accounts", "Customer ", "Resale"):
        text = text.replace(name, prefix + name)
    return text.replace(f"{prefix}{prefix}", prefix).replace("GADGET", f"{prefix}G")


def test_plan_and_apply_make_as_many_calls_with_3_or_60_pricelists(project: Project) -> None:
    odoo = project.odoo
    calls = {}
    for prefix, count in (("A ", 0), ("B ", 57)):
        project.environment(xmlid_namespace=f"ns_{prefix.strip().lower()}")
        project.write("pricelists.yaml", _many_pricelists(prefix, count).split("price_checks:")[0])
        odoo.reset_calls()
        assert project.run("plan", "-e", "test").code == 0
        plan_create = len(odoo.object_calls())
        odoo.reset_calls()
        project.apply_ok()
        apply_create = len(odoo.object_calls())
        (category,) = odoo.read("product.category", [("name", "=", f"{prefix}Resale")], ["id"])
        for code, categ in ((f"{prefix}W", category["id"]), (f"{prefix}G", False)):
            values = {"name": code, "default_code": code, "list_price": 100.0, "categ_id": categ}
            odoo.execute("product.product", "create", {k: v for k, v in values.items() if v})
        project.write("pricelists.yaml", _many_pricelists(prefix, count))
        odoo.reset_calls()
        assert project.run("plan", "-e", "test").code == 0
        plan_checks = len(odoo.object_calls())
        project.write(
            "pricelists.yaml",
            _many_pricelists(prefix, count)
            .replace("{min_quantity: 10, percentage: 5}", "{min_quantity: 10, percentage: 6}")
            .replace("expected: 95}", "expected: 94}"),
        )
        odoo.reset_calls()
        project.apply_ok()
        apply_update = len(odoo.object_calls())
        calls[count + 3] = (plan_create, apply_create, plan_checks, apply_update)
    assert calls[3] == calls[60], calls


def test_hand_edits_of_key_fields_and_links_are_restored(project: Project) -> None:
    """The fields of an item's key (its target, minimum quantity, dates) and the pricelist's
    company and country groups: edited by hand, the record is still found by its external id
    and written back."""
    project.write(
        "pricelists.yaml",
        """\
product_categories:
  - {path: Resale}
  - {path: Other}
pricelists:
  - name: Export
    company: My Company
    country_groups: [European Union, South America]
    items:
      - {category: Resale, min_quantity: 5, percentage: 4, start: 2026-01-01, end: 2026-06-30}
""",
    )
    project.apply_ok()
    odoo = project.odoo
    export = _pricelist_id(odoo, "Export")
    (union,) = odoo.read("res.country.group", [("name", "=", "European Union")], ["id"])
    odoo.execute(
        "product.pricelist", "write", [export],
        {"company_id": False, "country_group_ids": [(6, 0, [union["id"]])]},
    )  # fmt: skip
    (item,) = _items(odoo, "Export")
    item_id = item["id"]
    (other,) = odoo.read("product.category", [("name", "=", "Other")], ["id"])
    odoo.execute(
        "product.pricelist.item", "write", [item["id"]],
        {"categ_id": other["id"], "min_quantity": 7, "date_end": "2026-07-31 00:00:00"},
    )  # fmt: skip
    changes = {c["key"]: c for c in _pending(project)}
    fields = {f["field"]: (f["old"], f["new"]) for f in changes["Export"]["fields"]}
    assert fields == {
        "company": (None, "My Company"),
        "country_groups": (["European Union"], ["European Union", "South America"]),
    }
    (item_change,) = [c for c in changes.values() if c["kind"] == "pricelist_item"]
    assert item_change["action"] == "update"
    assert {f["field"]: f["old"] for f in item_change["fields"]} == {
        "category": "Other", "min_quantity": 7.0, "date_end": "2026-07-31 00:00:00",
    }  # fmt: skip
    project.apply_ok()
    project.converged()
    (item,) = _items(odoo, "Export")
    assert (item["id"], item["min_quantity"], item["date_end"]) == (
        item_id, 5.0, "2026-06-30 00:00:00",
    )  # fmt: skip


@pytest.mark.emulator_only("JSON-2 needs an API key, which only the emulator mints")
@pytest.mark.parametrize("transport", ["json2", "jsonrpc"])
def test_both_transports_have_odoo_compute_a_price(transport: Transport) -> None:
    emulator = Emulator("prices19", "admin", "prices-password", version="19.0")
    template: Any = emulator.execute("product.template", "create", {"name": "W", "list_price": 80})
    found: Any = emulator.execute("product.product", "search", [("product_tmpl_id", "=", template)])
    (variant,) = found
    pricelist: Any = emulator.execute(
        "product.pricelist",
        "create",
        {"name": "P", "item_ids": [(0, 0, {"compute_price": "percentage", "percent_price": 25})]},
    )
    with serve_emulator(emulator) as server:
        secret = emulator.add_api_key() if transport == "json2" else "prices-password"
        gateway = connect(server.url, "prices19", "admin", secret, transport=transport)
        context = {"pricelist": pricelist, "quantity": 3}
        assert gateway.contextual_price(variant, context) == 60.0
    assert not emulator.crashes


def test_a_subcategory_item_wins_over_its_parents_whatever_was_created_first(
    project: Project,
) -> None:
    """Odoo orders category items by the category's complete name, descending (a many2one
    sorts by its model's _order): ``Top / Sub`` before ``Top``, even when Top came later (real
    Odoo 18). No warning: neither item hides the other."""
    odoo = project.odoo
    sub: Any = odoo.execute("product.category", "create", {"name": "Sub"})
    top: Any = odoo.execute("product.category", "create", {"name": "Top"})
    odoo.execute("product.category", "write", [sub], {"parent_id": top})
    project.write(
        "pricelists.yaml",
        """\
pricelists:
  - name: Trade
    items:
      - {category: Top / Sub, percentage: 20}
      - {category: Top, percentage: 5}
""",
    )
    assert _plan(project)["warnings"] == []
    project.apply_ok()
    values = {"name": "Bolt", "default_code": "BOLT", "list_price": 10.0, "categ_id": sub}
    odoo.execute("product.product", "create", values)
    project.write(
        "checks.yaml", "price_checks:\n  - {pricelist: Trade, product: BOLT, expected: 8.0}\n"
    )
    result = project.run("check", "-e", "test")
    assert result.code == 0, result.out  # Sub's 20 %, not Top's 5 %


def test_hand_made_items_of_a_pricelist_declaring_its_items_are_reported(
    project: Project,
) -> None:
    project.write("pricelists.yaml", "pricelists:\n  - {name: Retail, items: []}\n")
    project.apply_ok()
    retail = _pricelist_id(project.odoo, "Retail")
    project.odoo.execute(
        "product.pricelist.item",
        "create",
        {"pricelist_id": retail, "compute_price": "fixed", "fixed_price": 1},
    )
    (warning,) = _plan(project)["warnings"]
    assert warning["code"] == "unmanaged"
    assert "pricelist Retail has a pricelist item" in warning["message"]
    assert "(Retail | all products | ≥ 0)" in warning["message"]

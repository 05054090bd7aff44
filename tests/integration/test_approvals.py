"""Approval matrices end to end, on both backends: Odoo Community's purchase double validation
(the plain emulator) and OCA tier validation (the emulator with base_tier_validation and
purchase_tier_validation installed, from odoo-reference/18-tier, or a real server's template
with them: ``ODOOCONF_TEST_ODOO_TIER_TEMPLATE``)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest

from odooconf.testing import Emulator, serve_emulator
from tests.integration.conftest import (
    EMULATOR_DATABASE,
    PASSWORD,
    PASSWORD_ENV,
    REPO,
    Odoo,
    Project,
    RealServer,
    database_of,
)

TIER_MODULES = ("base_tier_validation", "purchase_tier_validation")
MANAGER = "{xmlid: purchase.group_purchase_manager}"
ONE_LEVEL = f"""\
approvals:
  - document: purchase_order
    currency: USD
    levels:
      - amount: 10000
        approvers: [{{role: {MANAGER}}}]
"""
TWO_LEVELS = f"""\
approvals:
  - document: purchase_order
    currency: USD
    levels:
      - amount: 10000
        approvers: [{{role: {MANAGER}}}]
      - amount: 50000
        approvers: [{{user: director}}]
"""
TIER_FIELDS = [
    "name",
    "model",
    "model_id",
    "review_type",
    "reviewer_group_id",
    "reviewer_id",
    "definition_type",
    "definition_domain",
    "sequence",
    "approve_sequence",
    "company_id",
    "active",
]


@pytest.fixture
def tier(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tier_server: RealServer | None,
) -> Iterator[Project]:
    """A project aimed at an Odoo with OCA tier validation, with a user ``director``: the
    emulator's tier profile (18), or on a real server a copy of its tier template
    (``ODOOCONF_TEST_ODOO_TIER_TEMPLATE``)."""
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    if tier_server is not None:
        for odoo in database_of(tier_server, monkeypatch):
            odoo.add_user("director", "director-secret", ["base.group_user"])
            yield _project(tmp_path, odoo, capsys)
        return
    emulator = Emulator(
        database=EMULATOR_DATABASE, login="admin", password=PASSWORD, modules=TIER_MODULES
    )
    emulator.add_user("director", "director-secret", name="Director")
    with serve_emulator(emulator, host="127.0.0.1", port=0) as server:
        yield _project(tmp_path, Odoo(server.url, EMULATOR_DATABASE, _emulator=emulator), capsys)
        assert not emulator.crashes


def _project(tmp_path: Path, odoo: Odoo, capsys: pytest.CaptureFixture[str]) -> Project:
    project = Project(tmp_path, odoo, capsys)
    project.blueprints.mkdir()
    project.environment()
    return project


def _plan(project: Project) -> list[dict[str, Any]]:
    result = project.run("plan", "-e", "test", "--format", "json")
    assert result.code == 0, result.out + result.err
    return [c for c in json.loads(result.out)["changes"] if c["action"] != "noop"]


def _company(odoo: Odoo) -> dict[str, Any]:
    [company] = odoo.read(
        "res.company",
        [("name", "=", "My Company")],
        ["po_double_validation", "po_double_validation_amount"],
    )
    return company


def _definitions(odoo: Odoo) -> list[dict[str, Any]]:
    return odoo.read("tier.definition", [], TIER_FIELDS)


def _no_writes_on_second_apply(project: Project) -> None:
    project.odoo.reset_calls()
    project.apply_ok()
    assert [m for _m, m in project.odoo.object_calls() if m in ("create", "write", "unlink")] == []


# --- Odoo Community: purchase double validation ---------------------------------------------


def test_one_level_maps_onto_purchase_double_validation(project: Project) -> None:
    project.write("approvals.yaml", ONE_LEVEL)
    (change,) = _plan(project)
    assert (change["action"], change["kind"], change["key"]) == (
        "adopt",
        "purchase_approval",
        "My Company",
    )
    assert change["fields"] == [
        {"field": "double_validation", "old": "one_step", "new": "two_step"},
        {"field": "double_validation_amount", "old": 5000.0, "new": 10000.0},
    ]
    project.apply_ok()
    company = _company(project.odoo)
    assert (company["po_double_validation"], company["po_double_validation_amount"]) == (
        "two_step",
        10000.0,
    )
    # The company is Odoo's: odooconf adopted it (noupdate), in its own namespace.
    [xmlid] = project.odoo.read(
        "ir.model.data", [("module", "=", "odooconf"), ("model", "=", "res.company")],
        ["name", "noupdate", "res_id"],
    )  # fmt: skip
    assert (xmlid["name"], xmlid["noupdate"]) == (
        "approval_purchase_order_company_my_company",
        True,
    )
    project.converged()
    _no_writes_on_second_apply(project)


@pytest.mark.parametrize(
    ("field", "value", "attr", "old", "new"),
    [
        ("po_double_validation", "one_step", "double_validation", "one_step", "two_step"),
        ("po_double_validation_amount", 2500.0, "double_validation_amount", 2500.0, 10000.0),
    ],
)
def test_hand_edits_of_double_validation_are_restored(
    project: Project, field: str, value: Any, attr: str, old: Any, new: Any
) -> None:
    project.write("approvals.yaml", ONE_LEVEL)
    project.apply_ok()
    company = _company(project.odoo)
    project.odoo.execute("res.company", "write", [company["id"]], {field: value})
    (change,) = _plan(project)
    assert change["fields"] == [{"field": attr, "old": old, "new": new}]
    project.apply_ok()
    assert _company(project.odoo)[field] == company[field]
    project.converged()


def test_no_levels_switch_double_validation_off(project: Project) -> None:
    project.write("approvals.yaml", ONE_LEVEL)
    project.apply_ok()
    project.write("approvals.yaml", "approvals: [{document: purchase_order, currency: USD}]")
    (change,) = _plan(project)
    assert change["fields"] == [
        {"field": "double_validation", "old": "two_step", "new": "one_step"}
    ]
    project.apply_ok()
    assert _company(project.odoo)["po_double_validation"] == "one_step"
    project.converged()


def test_two_levels_on_plain_community_name_tier_validation(project: Project) -> None:
    project.write("approvals.yaml", TWO_LEVELS)
    err = project.refused()
    assert "approvals.yaml:2: approvals[0] (purchase_order): 2 levels" in err
    assert "purchase double validation has exactly one" in err
    assert "base_tier_validation and purchase_tier_validation" in err
    assert "[OC-X080]" in err


@pytest.mark.parametrize(
    ("blueprint", "expected"),
    [
        (
            "approvals: [{document: sale_order, currency: USD,"
            " levels: [{amount: 1000, approvers: [{role: Sales Managers}]}]}]",
            "Odoo has no approval of sales orders of its own: this matrix needs OCA tier "
            "validation (modules base_tier_validation and sale_tier_validation)",
        ),
        (
            "approvals: [{document: vendor_bill, currency: USD,"
            " levels: [{amount: 1000, approvers: [{user: admin}]}]}]",
            "account_move_tier_validation",
        ),
        (
            "approvals: [{document: purchase_order, currency: USD, backend: tier_validation,"
            " levels: [{amount: 1000, approvers: [{role: " + MANAGER + "}]}]}]",
            "backend tier_validation: purchase orders have no tier validation on this "
            "instance; it needs OCA tier validation",
        ),
        (
            "approvals: [{document: purchase_order, currency: USD,"
            " levels: [{amount: 1000, approvers: [{user: admin}]}]}]",
            "user admin: Odoo's purchase double validation is approved by Purchase / Administrator",
        ),
        (
            "approvals: [{document: purchase_order, currency: EUR,"
            " levels: [{amount: 1000, approvers: [{role: " + MANAGER + "}]}]}]",
            "the amount is in EUR, and Odoo's purchase double validation amount is in the "
            "company's currency (My Company: USD)",
        ),
        (
            "approvals: [{document: purchase_order, currency: XYZ,"
            " levels: [{amount: 1000, approvers: [{role: " + MANAGER + "}]}]}]",
            "currency 'XYZ' (by name) is not on the instance",
        ),
        (
            "approvals: [{document: purchase_order, currency: USD, company: No Such Co,"
            " levels: [{amount: 1000, approvers: [{role: " + MANAGER + "}]}]}]",
            "company 'No Such Co' (by name) is not on the instance",
        ),
    ],
)
def test_what_plain_community_cannot_express_is_a_plan_error(
    project: Project, blueprint: str, expected: str
) -> None:
    project.write("approvals.yaml", blueprint + "\n")
    err = project.refused()
    assert "approvals.yaml:1: approvals[0]" in err
    assert expected in err


def test_the_purchase_manager_may_be_named_by_name_when_that_is_unambiguous(
    project: Project,
) -> None:
    # "Administrator" is the name of every app's administrator group: ambiguous, refused.
    project.write("approvals.yaml", ONE_LEVEL.replace(MANAGER, "Administrator"))
    assert "role Administrator: Odoo's purchase double validation" in project.refused()


# --- OCA tier validation --------------------------------------------------------------------


def test_two_levels_map_onto_tier_definitions_in_review_order(tier: Project) -> None:
    tier.write("approvals.yaml", TWO_LEVELS)
    changes = _plan(tier)
    # Odoo's own double validation is already off on a fresh database: the company is only
    # adopted (tagged), and stays one_step.
    assert [(c["action"], c["kind"], c["fields"]) for c in changes[2:]] == [
        ("adopt", "purchase_approval", [])
    ]
    assert {(c["action"], c["kind"]) for c in changes[:2]} == {("create", "tier_definition")}
    assert [c["key"] for c in changes[:2]] == [
        "purchase.order | Purchase orders from 10,000.00 USD: level 1 of 2",
        "purchase.order | Purchase orders from 50,000.00 USD: level 2 of 2",
    ]
    tier.apply_ok()
    definitions = _definitions(tier.odoo)
    by_name = {d["name"]: d for d in definitions}
    first = by_name["Purchase orders from 10,000.00 USD: level 1 of 2"]
    second = by_name["Purchase orders from 50,000.00 USD: level 2 of 2"]
    assert (first["model"], first["review_type"], first["reviewer_group_id"][1]) == (
        "purchase.order",
        "group",
        "Purchase / Administrator",
    )
    [director] = tier.odoo.read("res.users", [("login", "=", "director")], ["id"])
    assert (second["review_type"], second["reviewer_id"][0], second["reviewer_group_id"]) == (
        "individual",
        director["id"],
        False,
    )
    assert first["definition_domain"] == (
        "[('amount_total', '>=', 10000.0), ('currency_id.name', '=', 'USD')]"
    )
    assert all(d["approve_sequence"] and d["definition_type"] == "domain" for d in definitions)
    # Tier validation reviews the definitions by descending sequence (18-tier/side_effects.md:
    # the highest sequence becomes review 1): that order is the blueprint's level order.
    reviewed = sorted(definitions, key=lambda d: -int(d["sequence"]))
    assert [d["name"] for d in reviewed] == [first["name"], second["name"]]
    # odooconf tagged what it created, in its namespace (tier definitions have no ids of their
    # own), and left Odoo's double validation off.
    ids = tier.odoo.read(
        "ir.model.data", [("model", "=", "tier.definition")], ["module", "name", "noupdate"]
    )
    assert sorted((r["module"], r["name"], r["noupdate"]) for r in ids) == [
        ("odooconf", "approval_purchase_order_level1", False),
        ("odooconf", "approval_purchase_order_level2", False),
    ]
    assert _company(tier.odoo)["po_double_validation"] == "one_step"
    tier.converged()
    _no_writes_on_second_apply(tier)


def test_a_purchase_order_of_each_amount_needs_the_levels_it_reaches(tier: Project) -> None:
    tier.write("approvals.yaml", TWO_LEVELS)
    tier.apply_ok()
    needs = {}
    for amount in (5000.0, 20000.0):
        order = _purchase_order(tier.odoo, amount)
        [row] = tier.odoo.read("purchase.order", [("id", "=", order)], ["need_validation"])
        needs[amount] = row["need_validation"]
    assert needs == {5000.0: False, 20000.0: True}


def _purchase_order(odoo: Odoo, amount: float) -> int:
    """A draft purchase order of ``amount`` USD before taxes. Odoo computes the total from the
    order's lines (with the product's default purchase tax); the emulator has no order lines
    and takes the total as given."""
    [usd] = odoo.read("res.currency", [("name", "=", "USD")], ["id"])
    values = {"partner_id": 1, "currency_id": usd["id"], "company_id": 1}
    if odoo._emulator is not None:
        values.update(name=f"PO {amount}", amount_total=amount, state="draft")
    else:
        product: Any = odoo.execute("product.product", "create", {"name": "Approval test"})
        line = {"product_id": product, "product_qty": 1, "price_unit": amount}
        values["order_line"] = [(0, 0, line)]
    return int(cast(Any, odoo.execute("purchase.order", "create", values)))


@pytest.mark.parametrize(
    ("field", "value", "attr"),
    [
        ("name", "Renamed by hand", "name"),
        ("definition_domain", "[('amount_total' >", "domain"),
        ("definition_domain", "[('no_such_field', '>', 1)]", "domain"),
        ("sequence", 99, "sequence"),
        ("approve_sequence", False, "approve_sequence"),
        ("review_type", "individual", "review_type"),
        ("reviewer_group_id", False, "reviewer_group"),
        ("reviewer_id", "director", "reviewer"),
        ("model_id", "sale.order", "document"),
        ("active", False, "active"),
    ],
)
def test_hand_edits_of_tier_definitions_are_detected_and_restored(
    tier: Project, field: str, value: Any, attr: str
) -> None:
    tier.write("approvals.yaml", TWO_LEVELS)
    tier.apply_ok()
    [before] = [d for d in _definitions(tier.odoo) if "level 1" in d["name"]]
    written = value
    if field == "reviewer_id":
        [user] = tier.odoo.read("res.users", [("login", "=", value)], ["id"])
        written = user["id"]
    elif field == "model_id":
        [model] = tier.odoo.read("ir.model", [("model", "=", value)], ["id"])
        written = model["id"]
    tier.odoo.execute("tier.definition", "write", [before["id"]], {field: written})
    if field == "definition_domain":
        # What Odoo does with such a domain: every purchase order fails to load.
        order: Any = tier.odoo.execute(
            "purchase.order", "create",
            {"name": "PO", "partner_id": 1, "currency_id": 1, "company_id": 1},
        )  # fmt: skip
        with pytest.raises(Exception, match=r"never closed|no_such_field"):
            tier.odoo.read("purchase.order", [("id", "=", order)], ["need_validation"])
    (change,) = _plan(tier)
    assert (change["action"], change["kind"]) == ("update", "tier_definition")
    assert attr in [f["field"] for f in change["fields"]]
    tier.apply_ok()
    [after] = [d for d in _definitions(tier.odoo) if d["id"] == before["id"]]
    assert after == before
    tier.converged()


def test_a_level_that_leaves_the_matrix_is_archived_whatever_the_prune_policy(
    tier: Project,
) -> None:
    tier.write("approvals.yaml", TWO_LEVELS)
    tier.apply_ok()
    tier.write("approvals.yaml", ONE_LEVEL)
    changes = {(c["action"], c["key"]): c for c in _plan(tier)}
    level2 = ("update", "purchase.order | Purchase orders from 50,000.00 USD: level 2 of 2")
    assert changes[level2]["fields"] == [{"field": "active", "old": True, "new": False}]
    tier.apply_ok()
    active = [d["name"] for d in _definitions(tier.odoo) if d["active"]]
    assert active == ["Purchase orders from 10,000.00 USD: level 1 of 1"]
    assert [d["sequence"] for d in _definitions(tier.odoo) if d["active"]] == [10]
    tier.converged()


def test_a_level_with_two_approvers_needs_both(tier: Project) -> None:
    tier.write(
        "approvals.yaml",
        f"""\
        approvals:
          - document: purchase_order
            currency: USD
            levels:
              - amount: 25000
                name: Large purchases
                approvers: [{{role: {MANAGER}}}, {{user: director}}]
        """,
    )
    tier.apply_ok()
    definitions = _definitions(tier.odoo)
    assert sorted(d["name"] for d in definitions) == [
        "Large purchases (role xmlid purchase.group_purchase_manager)",
        "Large purchases (user director)",
    ]
    assert {d["sequence"] for d in definitions} == {10}
    tier.converged()


def test_a_reviewer_that_does_not_exist_is_a_located_plan_error(tier: Project) -> None:
    tier.write(
        "approvals.yaml",
        """\
        approvals:
          - document: purchase_order
            currency: USD
            levels:
              - amount: 10000
                approvers: [{role: Purchase Directors}]
              - amount: 50000
                approvers: [{user: nobody}]
        """,
    )
    err = tier.refused()
    assert (
        "approvals.yaml:5: approvals[0] (purchase_order) › levels[0] › reviewer_group: "
        "role 'Purchase Directors' is neither declared nor on the instance"
    ) in err
    assert "approvals.yaml:7:" in err and "user 'nobody' (by login) is not on the instance" in err
    assert _definitions(tier.odoo) == []


def test_sales_approvals_need_their_own_tier_module(tier: Project) -> None:
    tier.write(
        "approvals.yaml",
        "approvals: [{document: sale_order, currency: USD,"
        " levels: [{amount: 1000, approvers: [{user: director}]}]}]\n",
    )
    assert "modules base_tier_validation and sale_tier_validation" in tier.refused()


def test_double_validation_can_still_be_chosen_where_tier_validation_is_installed(
    tier: Project,
) -> None:
    tier.write(
        "approvals.yaml",
        ONE_LEVEL.replace("currency: USD", "currency: USD\n    backend: double_validation"),
    )
    tier.apply_ok()
    assert _company(tier.odoo)["po_double_validation"] == "two_step"
    assert _definitions(tier.odoo) == []
    tier.converged()


# --- the shipped example ----------------------------------------------------------------------


def _example(project: Project, variables: str) -> None:
    """The shipped blueprints without the product- and vendor-dependent files (as
    environments/demo*.yaml), with the environment's approval variables."""
    shutil.rmtree(project.blueprints)
    shutil.copytree(REPO / "blueprints", project.blueprints)
    project.environment(
        version=project.odoo.version,
        exclude='["stock/reordering.yaml", "commercial/price_checks.yaml",'
        ' "commercial/purchasing.yaml"]',
    )
    env = project.root / "environments" / "test.yaml"
    text = env.read_text(encoding="utf-8").replace("variables:\n", f"variables:\n{variables}")
    env.write_text(text, encoding="utf-8")


def test_the_example_matrix_is_refused_on_plain_community_naming_tier_validation(
    project: Project,
) -> None:
    _example(project, "  purchase_director: admin\n")
    err = project.refused()
    assert "commercial/approvals.yaml:10: approvals[0] (purchase_order): 2 levels" in err
    assert "modules base_tier_validation and purchase_tier_validation" in err


def test_the_example_on_plain_community_says_one_level(project: Project) -> None:
    _example(project, "  approval_levels: 1\n")  # as environments/demo.yaml
    project.apply_ok()
    company = _company(project.odoo)
    assert (company["po_double_validation"], company["po_double_validation_amount"]) == (
        "two_step",
        10000.0,
    )
    project.converged()


def test_the_example_on_tier_validation_has_both_levels(tier: Project) -> None:
    _example(tier, "  purchase_director: director\n")  # as environments/demo-tier.yaml
    tier.apply_ok()
    names = sorted(d["name"] for d in _definitions(tier.odoo))
    assert names == [
        "Purchase orders from 10,000.00 USD: level 1 of 2",
        "Purchase orders from 50,000.00 USD: level 2 of 2",
    ]
    tier.converged()


def test_a_new_amount_updates_the_level_s_definition_in_place(tier: Project) -> None:
    tier.write("approvals.yaml", TWO_LEVELS)
    tier.apply_ok()
    ids = sorted(d["id"] for d in _definitions(tier.odoo))
    tier.write("approvals.yaml", TWO_LEVELS.replace("amount: 50000", "amount: 75000"))
    (change,) = _plan(tier)
    assert (change["action"], change["key"]) == (
        "update",
        "purchase.order | Purchase orders from 75,000.00 USD: level 2 of 2",
    )
    assert {f["field"]: f["new"] for f in change["fields"]} == {
        "name": "Purchase orders from 75,000.00 USD: level 2 of 2",
        "domain": "[('amount_total', '>=', 75000.0), ('currency_id.name', '=', 'USD')]",
    }
    tier.apply_ok()
    assert sorted(d["id"] for d in _definitions(tier.odoo)) == ids
    tier.converged()


def test_moving_a_matrix_to_double_validation_archives_its_tier_definitions(
    tier: Project,
) -> None:
    tier.write("approvals.yaml", TWO_LEVELS)
    tier.apply_ok()
    tier.write(
        "approvals.yaml",
        ONE_LEVEL.replace("currency: USD", "currency: USD\n    backend: double_validation"),
    )
    tier.apply_ok()
    assert [d["active"] for d in _definitions(tier.odoo)] == [False, False]
    assert _company(tier.odoo)["po_double_validation"] == "two_step"
    tier.converged()


def test_a_matrix_of_a_declared_company_tags_its_definitions_with_it(tier: Project) -> None:
    tier.write(
        "approvals.yaml",
        ONE_LEVEL.replace("currency: USD", "currency: USD\n    company: My Company"),
    )
    changes = _plan(tier)
    assert {"field": "company", "old": None, "new": "My Company"} in changes[0]["fields"]
    tier.apply_ok()
    [definition] = _definitions(tier.odoo)
    assert definition["company_id"][1] == "My Company"
    assert definition["name"] == "Purchase orders of My Company from 10,000.00 USD: level 1 of 1"
    [xmlid] = tier.odoo.read("ir.model.data", [("model", "=", "tier.definition")], ["name"])
    assert xmlid["name"] == "approval_purchase_order_my_company_level1"
    tier.converged()


def test_removing_the_matrix_with_prune_archive_archives_its_definitions(tier: Project) -> None:
    tier.write("approvals.yaml", TWO_LEVELS)
    tier.apply_ok()
    tier.environment(prune="archive")
    tier.write("approvals.yaml", "warehouses: []\n")
    actions = {(c["action"], c["kind"]) for c in _plan(tier)}
    # Created by odooconf: archived; the company is Odoo's: only released.
    assert actions == {("archive", "tier_definition"), ("release", "purchase_approval")}
    tier.apply_ok()
    assert [d["active"] for d in _definitions(tier.odoo)] == [False, False]
    tier.converged()


# --- doctor -----------------------------------------------------------------------------------


def test_doctor_names_tier_validation_for_a_matrix_plain_community_cannot_hold(
    project: Project,
) -> None:
    project.write("approvals.yaml", TWO_LEVELS)
    result = project.run("doctor", "-e", "test")
    assert result.code == 1
    lines = result.out.splitlines()
    assert (
        "info  backend  multi-level approvals (OCA tier validation): base_tier_validation not "
        "installed" in lines
    )
    [plan] = [line for line in lines if line.startswith("FAIL  plan")]
    assert "2 levels" in plan and "base_tier_validation and purchase_tier_validation" in plan
    # The virtual section is no module of its own: only its backends are listed.
    assert not any("approvals:" in line for line in lines if "module" in line)


def test_doctor_finds_a_tier_instance_ready(tier: Project) -> None:
    tier.write("approvals.yaml", TWO_LEVELS)
    result = tier.run("doctor", "-e", "test")
    assert result.code == 0, result.out + result.err
    lines = result.out.splitlines()
    assert (
        "  ok  module   tier_definition (approvals backend): tier.definition "
        "(base_tier_validation)" in lines
    )
    assert "  ok  rights   tier.definition: read, create, write" in lines
    assert "  ok  plan     the blueprints plan on this instance: 3 change(s) pending" in lines


def test_doctor_fails_a_tier_matrix_the_login_may_not_write(tier: Project) -> None:
    """The matrix is planned onto tier.definition: the login's rights on that model are needed,
    not information (apply would fail on them)."""
    tier.write("approvals.yaml", TWO_LEVELS)
    [model] = tier.odoo.read("ir.model", [("model", "=", "tier.definition")], ["id"])
    domain = [("model_id", "=", model["id"]), ("perm_create", "=", True)]
    rows = tier.odoo.read("ir.model.access", domain, ["id"])
    assert rows
    tier.odoo.execute("ir.model.access", "write", [r["id"] for r in rows], {"active": False})
    result = tier.run("doctor", "-e", "test")
    assert result.code == 1, result.out + result.err
    lines = result.out.splitlines()
    assert "FAIL  rights   tier.definition: 'admin' may not create, write" in lines
    assert lines[-1].startswith("Environment test is not ready: ")


def test_two_levels_given_one_name_are_a_located_plan_error(tier: Project) -> None:
    tier.write(
        "approvals.yaml",
        """\
        approvals:
          - document: purchase_order
            currency: USD
            levels:
              - {amount: 10000, name: Big, approvers: [{user: director}]}
              - {amount: 50000, name: Big, approvers: [{user: admin}]}
        """,
    )
    err = tier.refused()
    assert (
        "approvals.yaml:6: approvals[0] (purchase_order) › levels[1]: tier_definition "
        "purchase.order | Big would be made twice" in err
    )


def test_a_kept_level_may_take_the_name_of_one_that_left(tier: Project) -> None:
    named = """\
approvals:
  - document: purchase_order
    currency: USD
    levels:
      - {amount: 10000, name: Small, approvers: [{user: director}]}
      - {amount: 50000, name: Large, approvers: [{user: admin}]}
"""
    tier.write("approvals.yaml", named)
    tier.apply_ok()
    tier.write(
        "approvals.yaml",
        named.replace("      - {amount: 10000, name: Small, approvers: [{user: director}]}\n", ""),
    )
    tier.apply_ok()
    active = [(d["name"], d["sequence"]) for d in _definitions(tier.odoo) if d["active"]]
    assert active == [("Large", 10)]
    assert len(_definitions(tier.odoo)) == 2
    tier.converged()


# --- ownership: a matrix owns exactly its own definitions -----------------------------------

#: A company whose name makes its matrix's external ids start like those of the company-less
#: matrix's levels (``approval_purchase_order_level_co_level1`` after
#: ``approval_purchase_order_level1``).
LEVEL_CO = "Level Co"
COMPANYLESS = ONE_LEVEL.removeprefix("approvals:\n")
OF_LEVEL_CO = f"""\
  - document: purchase_order
    currency: USD
    company: {LEVEL_CO}
    levels:
      - amount: 20000
        approvers: [{{role: {MANAGER}}}]
"""


def _both_matrices(project: Project, companyless_first: bool, companyless: str = "") -> None:
    project.odoo.execute("res.company", "create", {"name": LEVEL_CO})
    first, second = COMPANYLESS + companyless, OF_LEVEL_CO
    if not companyless_first:
        first, second = second, first
    project.write("approvals.yaml", "approvals:\n" + first + second)


@pytest.mark.parametrize("companyless_first", [True, False], ids=["companyless_first", "last"])
def test_a_matrix_never_archives_another_s_levels_whose_ids_start_like_its_own(
    tier: Project, companyless_first: bool
) -> None:
    _both_matrices(tier, companyless_first)
    tier.apply_ok()
    active = sorted(d["name"] for d in _definitions(tier.odoo) if d["active"])
    assert active == [
        "Purchase orders from 10,000.00 USD: level 1 of 1",
        f"Purchase orders of {LEVEL_CO} from 20,000.00 USD: level 1 of 1",
    ]
    ids = tier.odoo.read("ir.model.data", [("model", "=", "tier.definition")], ["name"])
    assert sorted(r["name"] for r in ids) == [
        "approval_purchase_order_level1",
        "approval_purchase_order_level_co_level1",
    ]
    tier.converged()
    _no_writes_on_second_apply(tier)


def test_a_level_leaving_one_matrix_archives_only_that_matrix_s_definition(tier: Project) -> None:
    second_level = "      - amount: 50000\n        approvers: [{user: director}]\n"
    _both_matrices(tier, True, second_level)
    tier.apply_ok()
    tier.write("approvals.yaml", "approvals:\n" + COMPANYLESS + OF_LEVEL_CO)
    archived = [c["key"] for c in _plan(tier) if {"field": "active", "old": True, "new": False}
                in c["fields"]]  # fmt: skip
    assert archived == ["purchase.order | Purchase orders from 50,000.00 USD: level 2 of 2"]
    tier.apply_ok()
    assert sorted(d["name"] for d in _definitions(tier.odoo) if d["active"]) == [
        "Purchase orders from 10,000.00 USD: level 1 of 1",
        f"Purchase orders of {LEVEL_CO} from 20,000.00 USD: level 1 of 1",
    ]
    tier.converged()


@pytest.mark.parametrize("companyless_first", [True, False], ids=["companyless_first", "last"])
def test_a_matrix_on_double_validation_leaves_another_s_tier_levels_alone(
    tier: Project, companyless_first: bool
) -> None:
    # The company-less matrix on res.company's threshold archives what it made on tier
    # validation: only its own definitions, not Level Co's.
    _both_matrices(tier, companyless_first)
    text = (tier.blueprints / "approvals.yaml").read_text(encoding="utf-8")
    marker = "    currency: USD\n    levels:\n      - amount: 10000"
    (tier.blueprints / "approvals.yaml").write_text(
        text.replace(marker, marker.replace("USD\n", "USD\n    backend: double_validation\n")),
        encoding="utf-8",
    )
    tier.apply_ok()
    assert _company(tier.odoo)["po_double_validation"] == "two_step"
    assert [(d["name"], d["active"]) for d in _definitions(tier.odoo)] == [
        (f"Purchase orders of {LEVEL_CO} from 20,000.00 USD: level 1 of 1", True)
    ]
    tier.converged()
    _no_writes_on_second_apply(tier)


@pytest.mark.parametrize("companyless_first", [True, False], ids=["companyless_first", "last"])
def test_matrices_of_two_companies_on_double_validation_converge(
    project: Project, companyless_first: bool
) -> None:
    _both_matrices(project, companyless_first)
    project.apply_ok()
    rows = project.odoo.read(
        "res.company",
        [("name", "in", ["My Company", LEVEL_CO])],
        ["name", "po_double_validation", "po_double_validation_amount"],
    )
    assert sorted((r["name"], r["po_double_validation"], r["po_double_validation_amount"])
                  for r in rows) == [
        (LEVEL_CO, "two_step", 20000.0),
        ("My Company", "two_step", 10000.0),
    ]  # fmt: skip
    project.converged()
    _no_writes_on_second_apply(project)


# --- an external id whose record is gone ----------------------------------------------------


def _dangle_manager_xmlid(odoo: Odoo) -> None:
    """Point ``purchase.group_purchase_manager`` at a group that no longer exists (what a
    group deleted in SQL, or by a module's faulty migration, leaves)."""
    domain = [("module", "=", "purchase"), ("name", "=", "group_purchase_manager")]
    [row] = odoo.read("ir.model.data", domain, ["id"])
    odoo.execute("ir.model.data", "write", [row["id"]], {"res_id": 999999})


@pytest.mark.parametrize(
    ("backend", "role"),
    [("project", MANAGER), ("project", "Purchase / Administrator"), ("tier", MANAGER)],
    ids=["double_validation-xmlid", "double_validation-name", "tier-xmlid"],
)
def test_an_external_id_of_a_deleted_record_is_a_located_error(
    backend: str, role: str, request: pytest.FixtureRequest
) -> None:
    project: Project = request.getfixturevalue(backend)
    project.write("approvals.yaml", ONE_LEVEL.replace(MANAGER, role))
    _dangle_manager_xmlid(project.odoo)
    err = project.refused()
    assert "approvals.yaml:" in err and "purchase.group_purchase_manager" in err
    result = project.run("plan", "-e", "test", "--format", "json")
    assert result.code == 1, result.out + result.err
    [error] = json.loads(result.out)["errors"]
    assert "res.groups #999999, which is not on the instance" in error["message"]
    assert "levels[0]" in error["path"] and "›" in result.out  # not escaped as \u203a
    doctor = project.run("doctor", "-e", "test")
    assert doctor.code == 1, doctor.out + doctor.err
    assert "Traceback" not in doctor.err and "internal error" not in doctor.err
    [plan] = [line for line in doctor.out.splitlines() if line.startswith("FAIL  plan")]
    assert "purchase.group_purchase_manager" in plan


# --- the document models tier validation serves -----------------------------------------------

OWN_ORDERS = """\
record_rules:
  - name: OC own purchase orders
    model: purchase.order
    domain: "[('user_id', '=', user.id)]"
    roles: [{xmlid: base.group_user}]
"""


@pytest.mark.parametrize("backend", ["project", "tier"])
def test_a_standard_record_rule_on_purchase_orders_is_accepted(
    backend: str, request: pytest.FixtureRequest
) -> None:
    """Odoo's purchase orders have a buyer (``user_id``): the usual "own purchase orders" rule
    is planned and applied, whether the instance serves the model's fields to the check
    (tier validation installed) or not."""
    project: Project = request.getfixturevalue(backend)
    project.write("rules.yaml", OWN_ORDERS)
    project.apply_ok()
    [rule] = project.odoo.read(
        "ir.rule", [("name", "=", "OC own purchase orders")], ["domain_force"]
    )
    assert rule["domain_force"] == "[('user_id', '=', user.id)]"
    project.converged()

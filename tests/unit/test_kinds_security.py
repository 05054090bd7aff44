"""Roles, access rights, record rules, assignments and SoD policies: specs, keys, values,
comparisons and writes, offline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from odooconf.config import Environment, EnvironmentSpec
from odooconf.kinds import KINDS, LOOKUPS
from odooconf.kinds._base import Attr, compared
from odooconf.kinds.domain import domain_paths
from odooconf.model.plan import Action, Change, FieldChange
from odooconf.model.resource import Address, XmlidRef
from odooconf.policies.access import check_blueprint_sod
from tests.unit.blueprint_text import errors, one, validate

ROLE = KINDS["role"]
RIGHT = KINDS["access_right"]
RULE = KINDS["record_rule"]
ASSIGNMENT = KINDS["role_assignment"]


def _env(**extra: Any) -> Environment:
    odoo = {"url": "http://x", "database": "d", "login": "a", "password_env": "P"}
    return Environment("dev", Path("environments/dev.yaml"), EnvironmentSpec(odoo=odoo, **extra))


# --- roles and access rights -------------------------------------------------------------------


def test_role_key_is_the_full_name_odoo_shows_and_rights_expand_inline() -> None:
    resources, diagnostics = validate(
        """\
        roles:
          - name: Buyer
            category: Inventory / Purchase
            implied: [{xmlid: purchase.group_purchase_user}]
            access_rights:
              - {model: product.supplierinfo, read: true, write: true}
          - {name: Auditor, privilege: Accounting}
          - {name: Loose}
        """
    )
    assert diagnostics == []
    assert [r.address for r in resources] == [
        Address("role", "Purchase / Buyer"),
        Address("access_right", "Purchase / Buyer | product.supplierinfo"),
        Address("role", "Accounting / Auditor"),
        Address("role", "Loose"),
    ]
    buyer, right = resources[:2]
    assert buyer.values == {
        "name": "Buyer",
        "category": "Inventory / Purchase",
        "implied": [XmlidRef("purchase.group_purchase_user")],
    }
    # The four rights are always managed: what is not granted is refused.
    assert right.values == {
        "role": "Purchase / Buyer",
        "model": "product.supplierinfo",
        "read": True,
        "write": True,
        "create": False,
        "delete": False,
    }
    assert right.depends_on == {buyer.address}
    assert right.path == "roles[0] (Buyer) › access_rights[0]"


def test_role_refusals() -> None:
    assert errors(
        """\
        roles:
          - {name: A, category: X, privilege: Y}
          - {name: "-dash"}
          - {name: B, access_rights: [{model: stock.quant}, {model: stock.quant, read: true}]}
          - {name: C, access_rights: [{model: NotAModel}]}
        """
    ) == [
        (
            "roles[0] (A)",
            "give either 'category' (Odoo up to 18) or 'privilege' (Odoo 19), not both",
        ),
        ("roles[1] (-dash) › name", "String should match pattern '^[^-]' (got '-dash')"),
        ("roles[2] (B)", "access_rights name stock.quant twice: one right per model"),
        (
            "roles[3] (C) › access_rights[0] › model",
            "String should match pattern '^[a-z_][a-z0-9_]*(\\.[a-z0-9_]+)+$' (got 'NotAModel')",
        ),
    ]


def test_live_keys_of_groups_categories_and_rights() -> None:
    keys = {("role", 40): "Inventory / Administrator", ("ir_model", 7): "stock.quant"}

    def keyer(target: str, rid: int) -> str | None:
        return keys.get((target, rid))

    assert ROLE.live_key({"name": "User", "category_id": [55, "Inventory"]}, keyer) == (
        "Inventory / User"
    )
    assert ROLE.live_key({"name": "User", "privilege_id": [9, "Inventory"]}, keyer) == (
        "Inventory / User"
    )
    assert ROLE.live_key({"name": "Bypass", "category_id": False}, keyer) == "Bypass"
    category = LOOKUPS["app_category"]
    assert category.live_key({"name": "Purchase", "parent_id": [16, "Inventory"]}, keyer) == (
        "Inventory / Purchase"
    )
    row = {"group_id": [40, "Inventory / Administrator"], "model_id": [7, "Quants"]}
    assert RIGHT.live_key(row, keyer) == "Inventory / Administrator | stock.quant"
    assert RIGHT.live_key({"group_id": False, "model_id": [7, "Quants"]}, keyer) is None


# --- record rules ----------------------------------------------------------------------------


def test_record_rule_values_are_those_declared() -> None:
    rule = one(
        """\
        record_rules:
          - name: Own pickings
            model: stock.picking
            domain: "[('user_id', '=', user.id)]"
            roles: [Inventory / Operator]
            delete: false
        """
    )
    assert rule.address == Address("record_rule", "stock.picking | Own pickings")
    assert rule.values == {
        "name": "Own pickings",
        "model": "stock.picking",
        "domain": "[('user_id', '=', user.id)]",
        "roles": ["Inventory / Operator"],
        "delete": False,
    }
    # Adopting a rule by its name and model manages neither its domain nor its groups.
    assert one("record_rules: [{name: G, model: res.partner}]\n").values == {
        "name": "G",
        "model": "res.partner",
    }


@pytest.mark.parametrize(
    ("domain", "message"),
    [
        ("[('name', '=', ", "the domain is not valid Python: '(' was never closed"),
        ("True", "a domain is a list of conditions"),
        ("[('create_uid', '=', uid)]", "the domain uses 'uid', which a record rule cannot see "
         "(use user.id)"),
        ("[('a', 'equals', 1)]", "('a', 'equals', 1): unknown operator 'equals'"),
        ("['|', ('a', '=', 1)]", "operator '|' lacks its 2 condition(s)"),
        ("[('a', '=')]", "('a', '=') is not a condition (field, operator, value)"),
        ("[('a', '=', __import__('os'))]", "the domain may not call or compute"),
    ],
)  # fmt: skip
def test_a_broken_domain_is_refused_before_anything_is_sent(domain: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        domain_paths(domain)
    assert message in str(caught.value)


def test_domain_paths() -> None:
    text = (
        "['|', ('partner_id.country_id.code', '=', 'US'), ('user_id', 'in', [user.id]),"
        " (1, '=', 1)]"
    )
    assert domain_paths(text) == ["partner_id.country_id.code", "user_id"]
    assert domain_paths("[('company_id', 'in', company_ids)]") == ["company_id"]


def test_record_rule_refusals() -> None:
    assert errors(
        """\
        record_rules:
          - {name: None, model: res.partner, read: false, write: false, create: false,
             delete: false}
          - {name: Meta, model: ir.rule}
          - {name: Bad, model: res.partner, domain: "[('x', '=', uid)]"}
        """
    )[:2] == [
        (
            "record_rules[0] (None)",
            "a rule applies to at least one of read, write, create, delete (Odoo refuses a "
            "rule with none)",
        ),
        ("record_rules[1] (Meta)", "Odoo applies no rule on the record rules model (ir.rule)"),
    ]


# --- assignments -----------------------------------------------------------------------------


def test_assignment_compares_only_the_managed_roles() -> None:
    held = {"roles": ["Inventory / User", "Purchase / Buyer", "User types / Internal User"]}
    desired = {"roles": ["Accounting / Accountant", "Purchase / Buyer"], "revoked": ["Sales / Rep"]}
    # Of all the user's groups, only the declared roles it holds and the revoked ones it
    # lacks are compared: its other groups are none of odooconf's business.
    assert compared(ASSIGNMENT, held, desired) == {
        "roles": ["Purchase / Buyer"],
        "revoked": ["Sales / Rep"],
    }
    held["roles"].append("Sales / Rep")
    assert compared(ASSIGNMENT, held, desired)["revoked"] == []


def test_assignment_writes_add_and_remove_commands_never_replace() -> None:
    ids = {"Accounting / Accountant": 7, "Sales / Rep": 9, "Purchase / User": 11}
    vals = ASSIGNMENT.to_odoo(
        {"roles": ["Accounting / Accountant"], "revoked": ["Sales / Rep", "Purchase / User"]},
        lambda _target, key: ids[key],
    )
    assert vals == {"groups_id": [(3, 9), (3, 11), (4, 7)]}
    assert ASSIGNMENT.to_odoo({"roles": []}, lambda _t, key: ids[key]) == {}


def test_the_users_groups_field_is_found_by_introspection() -> None:
    [roles, revoked] = ASSIGNMENT.attrs
    assert roles.field_in({"groups_id": {}}) == "groups_id"
    assert roles.field_in({"group_ids": {}}) == "group_ids"  # Odoo 19
    assert revoked.field_in({"group_ids": {}}) == "group_ids"
    assert Attr("name", "name").field_in({}) == "name"
    record = {"group_ids": [3, 4], "login": "alice"}
    keys = {3: "Inventory / User", 4: "Purchase / Buyer"}
    assert ASSIGNMENT.from_odoo(record, lambda _t, rid: keys[rid], {}) == {
        "roles": ["Inventory / User", "Purchase / Buyer"],
        "revoked": ["Inventory / User", "Purchase / Buyer"],
    }


def test_assignment_sentence() -> None:
    change = Change(
        Action.UPDATE, "role_assignment", "alice", "res.users", "acme.x", 6,
        (
            FieldChange("roles", [], ["Accounting / Accountant"]),
            FieldChange("revoked", ["Sales / Rep"], ["Purchase / Buyer", "Sales / Rep"]),
        ),
    )  # fmt: skip
    assert ASSIGNMENT.sentence(change) == "alice: + Accounting / Accountant; - Purchase / Buyer"


# --- segregation of duties on the blueprint ------------------------------------------------------

SOD = """\
roles:
  - {name: Buyer, privilege: Purchase}
  - {name: Purchase Manager, privilege: Purchase, implied: [Purchase / Buyer]}
  - {name: Payables, privilege: Accounting}
sod_policies:
  - name: buy-approve-pay
    roles: [Purchase / Buyer, Accounting / Payables]
    description: who buys does not pay the vendor
role_assignments:
  - {user: alice, roles: [Purchase / Purchase Manager, Accounting / Payables]}
  - {user: bob, roles: [Purchase / Buyer]}
"""


def test_sod_violation_on_the_blueprint_names_user_and_roles() -> None:
    resources, diagnostics = validate(SOD)
    assert diagnostics == []
    [problem] = check_blueprint_sod(resources, _env())
    assert problem.code == "OC-X090"
    assert problem.path == "role_assignments[0] (alice)"
    assert problem.source is not None and problem.source.line == 10
    assert problem.message == (
        "user alice would hold Purchase / Buyer and Accounting / Payables, which segregation-"
        "of-duties policy 'buy-approve-pay' (bp.yaml:6) keeps apart"
    )


def test_an_environment_may_lower_a_policy() -> None:
    resources, _ = validate(SOD)
    assert check_blueprint_sod(resources, _env(sod_warnings=["buy-approve-pay"])) == []
    assert errors("sod_policies: [{name: p, roles: [A]}]\n") == [
        (
            "sod_policies[0] (p) › roles",
            "List should have at least 2 items after validation, not 1 (got ['A'])",
        )
    ]


def test_a_policy_naming_a_role_twice_is_refused() -> None:
    text = (
        "sod_policies:\n  - name: p\n"
        "    roles: [A, {xmlid: base.group_system}, A, {xmlid: base.group_system}]\n"
    )
    assert errors(text) == [
        (
            "sod_policies[0] (p)",
            "names A, xmlid base.group_system twice: a policy keeps distinct roles apart",
        )
    ]

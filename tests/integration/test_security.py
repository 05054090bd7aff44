"""Security roles, access rights, record rules, role assignments, segregation of duties: planned
and applied against the server under test (the emulator, or a real Odoo)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration.conftest import Odoo, Project

PASSWORD = "s3cret-pass"

ROLES = """\
roles:
  - name: OC Warehouse Operator
    {app}: {inventory}
    implied: [{{xmlid: stock.group_stock_user}}]
    comment: Moves stock, counts it
    access_rights:
      - {{model: stock.quant, read: true, write: true, create: true}}
  - name: OC Buyer
    {app}: {purchase}
    implied: [{{xmlid: purchase.group_purchase_user}}]
  - name: OC Auditor
    access_rights:
      - {{model: account.move, read: true}}
access_rights:
  - {{role: Purchase / OC Buyer, model: product.supplierinfo, read: true, write: true}}
"""


def _apps(odoo: Odoo) -> dict[str, str]:
    """Odoo 19 replaced a group's application (category_id, by path) by a privilege."""
    fields: Any = odoo.execute("res.groups", "fields_get", [], attributes=["type"])
    if "privilege_id" in fields:
        return {"app": "privilege", "inventory": "Inventory", "purchase": "Purchase"}
    return {
        "app": "category",
        "inventory": "Inventory / Inventory",
        "purchase": "Inventory / Purchase",
    }


def _plan(project: Project, *extra: str) -> dict[str, Any]:
    result = project.run("plan", "-e", "test", "--format", "json", *extra)
    assert result.code in (0, 2), result.out + result.err
    document: dict[str, Any] = json.loads(result.out)
    return document


def _refused(project: Project) -> str:
    result = project.run("plan", "-e", "test")
    assert result.code == 1, result.out + result.err
    return result.err


def _groups_of(odoo: Odoo, login: str) -> set[str]:
    """Full names of the groups a user's record lists."""
    fields: Any = odoo.execute("res.users", "fields_get", [], attributes=["type"])
    field = "group_ids" if "group_ids" in fields else "groups_id"
    [user] = odoo.read("res.users", [("login", "=", login)], [field])
    rows = odoo.read("res.groups", [("id", "in", user[field])], ["full_name"])
    return {str(row["full_name"]) for row in rows}


def _effective(odoo: Odoo, login: str) -> set[str]:
    """Full names of a user's groups, implied ones included, on every version."""
    fields: Any = odoo.execute("res.users", "fields_get", [], attributes=["type"])
    field = "all_group_ids" if "all_group_ids" in fields else "groups_id"
    [user] = odoo.read("res.users", [("login", "=", login)], [field])
    rows = odoo.read("res.groups", [("id", "in", user[field])], ["full_name"])
    return {str(row["full_name"]) for row in rows}


@pytest.fixture
def roles(project: Project) -> Project:
    project.write("security/roles.yaml", ROLES.format(**_apps(project.odoo)))
    return project


def test_roles_rights_and_assignments_apply_idempotently(roles: Project) -> None:
    odoo = roles.odoo
    odoo.add_user("alice", PASSWORD, ["base.group_user"])
    roles.write(
        "security/assignments.yaml",
        """\
        role_assignments:
          - {user: alice, roles: [Inventory / OC Warehouse Operator, Purchase / OC Buyer]}
        """,
    )
    plan = _plan(roles)
    kinds = [(c["action"], c["kind"], c["key"]) for c in plan["changes"] if c["action"] != "noop"]
    assert ("create", "role", "Inventory / OC Warehouse Operator") in kinds
    assert ("create", "access_right", "Inventory / OC Warehouse Operator | stock.quant") in kinds
    assert ("create", "access_right", "Purchase / OC Buyer | product.supplierinfo") in kinds
    assert ("adopt", "role_assignment", "alice") in kinds
    roles.apply_ok()
    held = _effective(odoo, "alice")
    assert {"Inventory / OC Warehouse Operator", "Purchase / OC Buyer"} <= held
    assert {"Inventory / User", "Purchase / User", "User types / Internal User"} & held
    rights = odoo.read(
        "ir.model.access",
        [("group_id.name", "=", "OC Warehouse Operator")],
        ["perm_read", "perm_write", "perm_create", "perm_unlink", "model_id"],
    )
    assert [
        (r["perm_read"], r["perm_write"], r["perm_create"], r["perm_unlink"]) for r in rights
    ] == [(True, True, True, False)]
    roles.converged()


def test_hand_edits_are_restored(roles: Project) -> None:
    odoo = roles.odoo
    odoo.add_user("alice", PASSWORD, ["base.group_user"])
    roles.write(
        "security/assignments.yaml",
        "role_assignments: [{user: alice, roles: [Purchase / OC Buyer]}]\n",
    )
    roles.apply_ok()
    [right] = odoo.read(
        "ir.model.access", [("group_id.name", "=", "OC Buyer")], ["id", "perm_write"]
    )
    odoo.execute("ir.model.access", "write", [right["id"]], {"perm_write": False})
    [buyer] = odoo.read("res.groups", [("name", "=", "OC Buyer")], ["id"])
    fields: Any = odoo.execute("res.users", "fields_get", [], attributes=["type"])
    field = "group_ids" if "group_ids" in fields else "groups_id"
    [alice] = odoo.read("res.users", [("login", "=", "alice")], ["id"])
    odoo.execute("res.users", "write", [alice["id"]], {field: [(3, buyer["id"])]})
    changes = [c for c in _plan(roles)["changes"] if c["action"] != "noop"]
    assert sorted((c["kind"], c["key"]) for c in changes) == [
        ("access_right", "Purchase / OC Buyer | product.supplierinfo"),
        ("role_assignment", "alice"),
    ]
    roles.apply_ok()
    assert "Purchase / OC Buyer" in _groups_of(odoo, "alice")
    roles.converged()


def test_unknown_login_is_a_plan_error(roles: Project) -> None:
    roles.write(
        "security/assignments.yaml",
        "role_assignments:\n  - {user: nobody, roles: [Purchase / OC Buyer]}\n",
    )
    err = _refused(roles)
    assert "assignments.yaml:2: role_assignments[0] (nobody)" in err
    assert "user 'nobody' (by login) is not on the instance" in err

"""Security roles, access rights, record rules, role assignments, segregation of duties: planned
and applied against the server under test (the emulator, or a real Odoo)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from odooconf.cli import main
from odooconf.testing import Emulator, serve_emulator
from tests.integration.conftest import PASSWORD as LOGIN_PASSWORD
from tests.integration.conftest import REPO, Odoo, Project
from tests.integration.test_approvals import tier  # noqa: F401 (the tier validation fixture)

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


def _assign(project: Project, login: str, *roles: str) -> None:
    """Blueprint ``security/assignments.yaml`` giving ``login`` exactly ``roles``."""
    project.write(
        "security/assignments.yaml",
        f"role_assignments: [{{user: {login}, roles: [{', '.join(roles)}]}}]\n",
    )


def _give_by_hand(odoo: Odoo, login: str, group: str) -> None:
    """Give ``login`` the group named ``group``, as an administrator would in Odoo."""
    [found] = odoo.read("res.groups", [("name", "=", group)], ["id"])
    fields: Any = odoo.execute("res.users", "fields_get", [], attributes=["type"])
    field = "group_ids" if "group_ids" in fields else "groups_id"
    [user] = odoo.read("res.users", [("login", "=", login)], ["id"])
    odoo.execute("res.users", "write", [user["id"]], {field: [(4, found["id"])]})


@pytest.fixture
def roles(project: Project) -> Project:
    project.write("security/roles.yaml", ROLES.format(**_apps(project.odoo)))
    return project


def test_roles_rights_and_assignments_apply_idempotently(roles: Project) -> None:
    odoo = roles.odoo
    odoo.add_user("alice", PASSWORD, ["base.group_user"])
    _assign(roles, "alice", "Inventory / OC Warehouse Operator", "Purchase / OC Buyer")
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
    _assign(roles, "alice", "Purchase / OC Buyer")
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
    [operator] = odoo.read("res.groups", [("name", "=", "OC Warehouse Operator")], ["id"])
    odoo.execute("res.groups", "write", [operator["id"]], {"comment": "x", "implied_ids": [(5,)]})
    changes = [c for c in _plan(roles)["changes"] if c["action"] != "noop"]
    assert sorted((c["kind"], c["key"], len(c["fields"])) for c in changes) == [
        ("access_right", "Purchase / OC Buyer | product.supplierinfo", 1),
        ("role", "Inventory / OC Warehouse Operator", 2),
        ("role_assignment", "alice", 1),
    ]
    roles.apply_ok()
    assert "Purchase / OC Buyer" in _groups_of(odoo, "alice")
    roles.converged()


def test_unknown_login_is_a_plan_error(roles: Project) -> None:
    roles.write(
        "security/assignments.yaml",
        "role_assignments:\n  - {user: nobody, roles: [Purchase / OC Buyer]}\n",
    )
    err = roles.refused()
    assert "assignments.yaml:2: role_assignments[0] (nobody)" in err
    assert "user 'nobody' (by login) is not on the instance" in err


# --- record rules ----------------------------------------------------------------------------

RULES = """\
record_rules:
  - name: OC own locations
    model: stock.location
    domain: "[('warehouse_id.company_id', 'in', company_ids)]"
    roles: [Inventory / OC Warehouse Operator]
    delete: false
  - name: OC company partners
    model: res.partner
    domain: "['|', ('company_id', '=', False), ('company_id', 'in', company_ids)]"
"""


def test_record_rules_apply_idempotently_and_hand_edits_are_restored(roles: Project) -> None:
    odoo = roles.odoo
    roles.write("security/rules.yaml", RULES)
    roles.apply_ok()
    rules = {
        r["name"]: r
        for r in odoo.read(
            "ir.rule",
            [("name", "like", "OC ")],
            ["name", "domain_force", "groups", "perm_unlink", "perm_read", "global", "active"],
        )
    }
    own, partners = rules["OC own locations"], rules["OC company partners"]
    assert own["domain_force"] == "[('warehouse_id.company_id', 'in', company_ids)]"
    assert (own["perm_read"], own["perm_unlink"], own["global"]) == (True, False, False)
    assert len(own["groups"]) == 1 and partners["global"] is True
    roles.converged()
    odoo.execute(
        "ir.rule", "write", [own["id"]], {"domain_force": "[(1, '=', 1)]", "perm_unlink": True}
    )
    odoo.execute("ir.rule", "write", [partners["id"]], {"active": False})
    changed = [c for c in _plan(roles)["changes"] if c["action"] != "noop"]
    assert {c["key"]: sorted(f["field"] for f in c["fields"]) for c in changed} == {
        "stock.location | OC own locations": ["delete", "domain"],
        "res.partner | OC company partners": ["active"],
    }
    roles.apply_ok()
    roles.converged()


def test_a_domain_naming_a_missing_field_is_a_plan_error(roles: Project) -> None:
    roles.write(
        "security/rules.yaml",
        """\
        record_rules:
          - name: OC broken
            model: stock.location
            domain: "[('company_id.partner_id.no_such_field', '=', 1)]"
        """,
    )
    err = roles.refused()
    assert "rules.yaml:4: record_rules[0] (OC broken) › domain" in err
    assert "res.partner has no field 'no_such_field'" in err
    assert odoo_rules(roles.odoo, "OC broken") == []


@pytest.mark.parametrize(
    ("domain", "words"),
    [
        ("[('name.id', '=', 1)]", "'name.id': res.partner.name is not a relation"),
        ("[('company_id.name.x', '=', 1)]", "'company_id.name.x': res.company.name is not a"),
        ("[('child_ids', 'any', [('email.id', '=', 1)])]", "'child_ids.email.id'"),
    ],
)
def test_a_domain_path_is_checked_to_its_end(roles: Project, domain: str, words: str) -> None:
    """The check stopped at the first field that is not a relation: ``name.id`` passed."""
    roles.write(
        "security/rules.yaml",
        f'record_rules:\n  - {{name: OC path, model: res.partner, domain: "{domain}"}}\n',
    )
    err = roles.refused()
    assert "rules.yaml:2: record_rules[0] (OC path) › domain" in err
    assert words in err
    assert odoo_rules(roles.odoo, "OC path") == []


def test_a_domain_using_uid_is_a_validate_error(roles: Project) -> None:
    roles.write(
        "security/rules.yaml",
        "record_rules:\n  - {name: OC uid, model: res.partner, domain: \"[('id', '=', uid)]\"}\n",
    )
    result = roles.run("validate")
    assert result.code == 1
    assert "the domain uses 'uid', which a record rule cannot see (use user.id)" in result.err


def odoo_rules(odoo: Odoo, name: str) -> list[dict[str, Any]]:
    return odoo.read("ir.rule", [("name", "=", name)], ["id"])


# --- revocation ----------------------------------------------------------------------------


def test_revoking_a_role_leaves_no_access_behind(roles: Project) -> None:
    odoo = roles.odoo
    odoo.add_user("alice", PASSWORD, ["base.group_user"])
    before = _effective(odoo, "alice")
    _assign(roles, "alice", "Inventory / OC Warehouse Operator", "Purchase / OC Buyer")
    roles.apply_ok()
    assert {"Purchase / User", "Inventory / User"} <= _effective(odoo, "alice")
    _assign(roles, "alice")
    plan = _plan(roles)
    [change] = [c for c in plan["changes"] if c["kind"] == "role_assignment"]
    revoked = next(f["new"] for f in change["fields"] if f["field"] == "revoked")
    assert {"Inventory / OC Warehouse Operator", "Purchase / OC Buyer"} <= set(revoked)
    lost = {line["what"] for line in plan["access"] if line["sign"] == "-"}
    assert {"group Purchase / User", "group Inventory / User", "group Purchase / OC Buyer"} <= lost
    fields: Any = odoo.execute("res.users", "fields_get", [], attributes=["type"])
    if "all_group_ids" not in fields:
        # Up to 18 the user's record carries the implied groups: the plan names the residue.
        assert {"Inventory / User", "Purchase / User"} <= set(revoked)
        assert (
            "alice: - Purchase / User with Purchase / OC Buyer, which implied it (Odoo up to 18 "
            "keeps no record of why a user holds a group: one given by hand goes too)"
        ) in plan["escalations"]
    roles.apply_ok()
    assert _effective(odoo, "alice") == before
    roles.converged()


def test_a_group_the_user_keeps_through_another_group_is_not_revoked(roles: Project) -> None:
    odoo = roles.odoo
    # Inventory / Administrator (not managed here) implies Inventory / User.
    odoo.add_user("carol", PASSWORD, ["base.group_user", "stock.group_stock_manager"])
    _assign(roles, "carol", "Inventory / OC Warehouse Operator")
    roles.apply_ok()
    _assign(roles, "carol")
    roles.apply_ok()
    held = _effective(odoo, "carol")
    assert "Inventory / OC Warehouse Operator" not in held
    assert {"Inventory / User", "Inventory / Administrator"} <= held
    roles.converged()


# --- access review and escalations -----------------------------------------------------------


def test_access_review_and_escalations_in_every_format(roles: Project) -> None:
    odoo = roles.odoo
    odoo.add_user("alice", PASSWORD, ["base.group_user"])
    _assign(roles, "alice", "OC Auditor", "{xmlid: base.group_erp_manager}")
    roles.write(
        "security/roles.yaml",
        ROLES.format(**_apps(odoo)).replace(
            "{model: account.move, read: true}", "{model: account.move, read: true, write: true}"
        ),
    )
    plan = _plan(roles)
    access = {(a["user"], a["sign"], a["what"], a["via"]) for a in plan["access"]}
    assert ("alice", "+", "read, write account.move", "OC Auditor") in access
    # Access Rights is "Administration / Access Rights" up to 18, "Access Rights" on 19.
    assert any(a[2].startswith("group ") and a[2].endswith("Access Rights") for a in access)
    escalations = plan["escalations"]
    assert "role OC Auditor gets write on account.move" in escalations
    assert any(
        e.startswith("alice: + group ") and "base.group_erp_manager administers" in e
        for e in escalations
    )
    text = roles.run("plan", "-e", "test").out
    assert text.index("ESCALATIONS") < text.index("+ role ")
    assert "! role OC Auditor gets write on account.move" in text
    assert "alice: + read, write account.move (via OC Auditor)" in text
    markdown = roles.run("plan", "-e", "test", "--format", "markdown").out
    assert markdown.index("**🚨 Escalations**") < markdown.index("| | resource |")
    assert "🚨 role OC Auditor gets write on account.move" in markdown


# --- segregation of duties ------------------------------------------------------------------

SOD = """\
sod_policies:
  - name: buy-approve-pay
    roles: [Purchase / OC Buyer, {xmlid: account.group_account_manager}]
    description: who buys does not pay vendors
"""


def test_sod_violation_on_the_instance_fails_the_plan_even_with_a_clean_blueprint(
    roles: Project,
) -> None:
    odoo = roles.odoo
    # Odoo's own assignment: Invoicing / Administrator given by hand.
    odoo.add_user("dave", PASSWORD, ["base.group_user", "account.group_account_manager"])
    roles.write("security/sod.yaml", SOD)
    assert roles.run("validate").code == 0  # nothing in the blueprint breaks it
    roles.apply_ok()  # nobody holds both yet
    _assign(roles, "dave", "Purchase / OC Buyer")
    assert roles.run("validate").code == 0  # dave's other role is the instance's
    err = roles.refused()
    assert "sod.yaml:2: sod_policies[0] (buy-approve-pay)" in err
    # The plan apply refuses is shown, and the plan exits 1, not 2 (changes).
    shown = roles.run("plan", "-e", "test", "--detailed-exitcode")
    assert shown.code == 1
    assert "role_assignment dave" in shown.out
    assert "keeps apart" in shown.err
    assert (
        "user dave holds Purchase / OC Buyer and Invoicing / Administrator (implied groups "
        "included), which segregation-of-duties policy 'buy-approve-pay' keeps apart (who buys "
        "does not pay vendors)"
    ) in err.replace("Accounting / Administrator", "Invoicing / Administrator")
    # An environment may lower the policy to a warning.
    roles.environment(sod_warnings="[buy-approve-pay]")
    plan = _plan(roles)
    assert [w["code"] for w in plan["warnings"]] == ["sod"]
    roles.apply_ok()


def test_sod_violation_in_the_blueprint_is_a_validate_error(roles: Project) -> None:
    roles.write(
        "security/sod.yaml",
        """\
        sod_policies:
          - {name: buy-or-audit, roles: [Purchase / OC Buyer, OC Auditor]}
        role_assignments:
          - {user: erin, roles: [Purchase / OC Buyer, OC Auditor]}
        """,
    )
    result = roles.run("validate")
    assert result.code == 1
    assert "sod.yaml:4: role_assignments[0] (erin)" in result.err
    assert "user erin would hold Purchase / OC Buyer and OC Auditor" in result.err


# --- exclusive roles ------------------------------------------------------------------------


def test_exclusive_roles_take_a_role_from_users_the_blueprints_do_not_assign(
    roles: Project,
) -> None:
    odoo = roles.odoo
    odoo.add_user("alice", PASSWORD, ["base.group_user"])
    odoo.add_user("frank", PASSWORD, ["base.group_user"])
    _assign(roles, "alice", "Purchase / OC Buyer")
    roles.apply_ok()
    _give_by_hand(odoo, "frank", "OC Buyer")
    roles.converged()  # frank is none of the blueprints' business
    roles.environment(exclusive_roles="['Purchase / OC Buyer']")
    plan = _plan(roles)
    [change] = [c for c in plan["changes"] if c["key"] == "frank"]
    assert change["source"].endswith("test.yaml")
    assert (
        "frank: - Purchase / OC Buyer: exclusive_roles of environment test keeps it to the users "
        "the blueprints assign it to"
    ) in plan["escalations"]
    roles.apply_ok()
    assert "Purchase / OC Buyer" not in _groups_of(odoo, "frank")
    assert "Purchase / OC Buyer" in _groups_of(odoo, "alice")
    roles.converged()


# --- Odoo 19's field set ---------------------------------------------------------------------


def _xmlid(emulator: Emulator, xmlid: str) -> int:
    found: Any = emulator.execute("ir.model.data", "check_object_reference", *xmlid.split("."))
    return int(found[1])


def _read(emulator: Emulator, uid: int) -> list[dict[str, Any]]:
    rows: Any = emulator.execute("res.users", "read", [uid], ["group_ids", "all_group_ids"])
    return list(rows)


def _search(emulator: Emulator, name: str) -> list[int]:
    ids: Any = emulator.execute("res.groups", "search", [("name", "=", name)])
    return list(ids)


@pytest.mark.emulator_only("needs an emulator presenting Odoo 19, whatever the server under test")
def test_odoo_19_renames_privileges_and_group_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """On 19 a role names a privilege, and a user's groups are ``group_ids``, holding only its
    explicit groups: odooconf writes add and remove commands there, and a revoked role takes
    its implied groups with it (no residue to revoke)."""
    emulator = Emulator("sec19", "admin", "sec-password", version="19.0")
    internal = _xmlid(emulator, "base.group_user")
    alice = emulator.add_user(login="alice", password=PASSWORD)
    emulator.execute("res.users", "write", [alice], {"group_ids": [(6, 0, [internal])]})
    monkeypatch.setenv("ODOOCONF_SEC19_PASSWORD", "sec-password")
    (tmp_path / "blueprints").mkdir()
    (tmp_path / "blueprints" / "roles.yaml").write_text(
        "roles:\n"
        "  - name: OC Buyer\n"
        "    privilege: Purchase\n"
        "    implied: [{xmlid: purchase.group_purchase_user}]\n"
        "role_assignments:\n  - {user: alice, roles: [Purchase / OC Buyer]}\n"
    )
    with serve_emulator(emulator) as server:
        (tmp_path / "environments").mkdir()
        (tmp_path / "environments" / "e19.yaml").write_text(
            f"odoo: {{url: '{server.url}', database: sec19, login: admin,"
            " password_env: ODOOCONF_SEC19_PASSWORD, transport: jsonrpc}\n"
        )

        def run(*args: str) -> int:
            base = ["--blueprints", str(tmp_path / "blueprints")]
            base += ["--environments", str(tmp_path / "environments")]
            base += ["--state-dir", str(tmp_path / "state")]
            try:
                main([*base, *args])
            except SystemExit as exc:
                return int(exc.code or 0)
            return 0

        assert run("apply", "-e", "e19", "--yes") == 0, capsys.readouterr()
        writes = [
            c.args for c in emulator.calls if c.model == "res.users" and c.model_method == "write"
        ]
        [buyer] = _search(emulator, "OC Buyer")
        assert writes[-1][1] == {"group_ids": [[4, buyer]]}
        [user] = _read(emulator, alice)
        assert sorted(user["group_ids"]) == sorted([internal, buyer])  # no implied ones
        purchase_user = _xmlid(emulator, "purchase.group_purchase_user")
        assert purchase_user in user["all_group_ids"]
        assert run("plan", "-e", "e19", "--detailed-exitcode") == 0
        (tmp_path / "blueprints" / "roles.yaml").write_text(
            "roles:\n  - {name: OC Buyer, privilege: Purchase}\n"
            "role_assignments:\n  - {user: alice, roles: []}\n"
        )
        assert run("apply", "-e", "e19", "--yes") == 0
        [user] = _read(emulator, alice)
        assert buyer not in user["group_ids"] and purchase_user not in user["all_group_ids"]
        assert run("plan", "-e", "e19", "--detailed-exitcode") == 0
    assert not emulator.crashes


# --- the shipped example ---------------------------------------------------------------------


def _role_holders(project: Project) -> dict[str, list[str]]:
    """The example's ``role_holders``, as environments/production.yaml declares them."""
    text = (REPO / "environments" / "production.yaml").read_text(encoding="utf-8")
    variables: dict[str, Any] = yaml.safe_load(text)["variables"]
    holders: dict[str, list[str]] = variables["role_holders"]
    return holders


def _with_holders(project: Project, holders: dict[str, list[str]]) -> None:
    env = project.root / "environments" / "test.yaml"
    lines = "".join(f"    {login}: {json.dumps(roles)}\n" for login, roles in holders.items())
    text = env.read_text(encoding="utf-8")
    env.write_text(text.replace("variables:\n", f"variables:\n  role_holders:\n{lines}"))


def test_the_shipped_security_example_applies_and_converges(project: Project) -> None:
    odoo = project.odoo
    shutil.rmtree(project.blueprints)
    shutil.copytree(REPO / "blueprints" / "security", project.blueprints / "security")
    project.environment(version=odoo.version)
    bare = _plan(project)  # no role_holders: the roles, and no assignment
    assert bare["changes"] and not [c for c in bare["changes"] if c["kind"] == "role_assignment"]
    holders = _role_holders(project)
    _with_holders(project, holders)
    for login in holders:
        odoo.add_user(login, PASSWORD, ["base.group_user"])
    plan = _plan(project)
    assert len([c for c in plan["changes"] if c["kind"] == "role_assignment"]) == len(holders)
    # The accountant's payments and full accounting features are flagged for the reviewer.
    assert any(
        e.startswith("anna.accounts: + write, create or delete") for e in plan["escalations"]
    )
    project.apply_ok()
    for login, roles in holders.items():
        assert set(roles) <= _effective(odoo, login), login
    assert "Inventory / Warehouse Operator" in _effective(odoo, "sam.supervisor")  # implied
    project.converged()
    # The supervisor holds the operator's role through the supervisor's: nothing to warn about.
    assert _plan(project)["warnings"] == []
    # Giving the buyer the purchasing manager's role breaks buy-approve-pay: refused at validate.
    project.environment(version=odoo.version)
    _with_holders(
        project, {**holders, "bruno.buyer": ["Purchase / Buyer", "Purchase / Purchasing Manager"]}
    )
    result = project.run("validate")
    assert result.code == 1
    assert "user bruno.buyer would hold Purchase / Buyer and Purchase / Purchasing Manager" in (
        result.err
    )


def test_a_policy_or_exclusive_role_naming_no_role_is_a_plan_error(roles: Project) -> None:
    roles.write(
        "security/sod.yaml",
        "sod_policies:\n  - {name: p, roles: [Purchase / OC Buyer, No Such Role]}\n",
    )
    roles.environment(exclusive_roles="['Nobody / Here']")
    err = roles.refused()
    assert "sod.yaml:2: sod_policies[0] (p) › roles: role 'No Such Role' is neither declared" in err
    assert "test.yaml: exclusive_roles: role 'Nobody / Here' is neither declared" in err


def test_an_approval_names_odoo_s_purchase_administrator_by_its_key(project: Project) -> None:
    project.write(
        "approvals.yaml",
        "approvals: [{document: purchase_order, currency: USD,"
        " levels: [{amount: 5000, approvers: [{role: Purchase / Administrator}]}]}]\n",
    )
    project.apply_ok()
    [company] = project.odoo.read(
        "res.company", [("id", "=", 1)], ["po_double_validation", "po_double_validation_amount"]
    )
    assert (company["po_double_validation"], company["po_double_validation_amount"]) == (
        "two_step",
        5000.0,
    )
    project.converged()


# --- identity ----------------------------------------------------------------------------------


def test_a_key_two_live_groups_share_is_a_plan_error_never_a_guess(project: Project) -> None:
    odoo = project.odoo
    for _twin in range(2):  # Odoo accepts two groups of one name without application (B4)
        odoo.execute("res.groups", "create", {"name": "OC Twin"})
    project.write("security/roles.yaml", "roles:\n  - {name: OC Twin, comment: which one?}\n")
    err = project.refused()
    assert "roles.yaml:2: roles[0] (OC Twin): 2 res.groups records have the key 'OC Twin'" in err


def test_an_access_right_made_by_hand_is_adopted_and_a_duplicate_refused(roles: Project) -> None:
    odoo = roles.odoo
    roles.apply_ok()
    [buyer] = odoo.read("res.groups", [("name", "=", "OC Buyer")], ["id"])
    [model] = odoo.read("ir.model", [("model", "=", "product.supplierinfo")], ["id"])
    [right] = odoo.read("ir.model.access", [("group_id", "=", buyer["id"])], ["id"])
    # odooconf's row is deleted, and one made by hand stands in its place: adopted, not doubled.
    odoo.execute("ir.model.access", "unlink", [right["id"]])
    values = {
        "name": "by hand",
        "group_id": buyer["id"],
        "model_id": model["id"],
        "perm_read": True,
    }
    odoo.execute("ir.model.access", "create", values)
    changes = [c for c in _plan(roles)["changes"] if c["action"] != "noop"]
    assert [(c["action"], c["key"]) for c in changes] == [
        ("adopt", "Purchase / OC Buyer | product.supplierinfo")
    ]
    # A second row with the same role and model: which one to manage is not guessed.
    odoo.execute("ir.model.access", "create", {**values, "name": "twin"})
    err = roles.refused()
    assert (
        "2 ir.model.access records have the key 'Purchase / OC Buyer | product.supplierinfo'" in err
    )


def test_plan_rpc_calls_do_not_grow_with_roles_rules_and_users(project: Project) -> None:
    odoo = project.odoo
    for index in range(12):
        odoo.add_user(f"user{index}", PASSWORD, ["base.group_user"])

    def plan_calls(count: int) -> int:
        roles = "".join(
            f"  - {{name: OC Role {i}, implied: [{{xmlid: stock.group_stock_user}}],"
            f" access_rights: [{{model: stock.quant, read: true}}]}}\n"
            for i in range(count)
        )
        rules = "".join(
            f"  - {{name: OC Rule {i}, model: res.partner, roles: [OC Role {i}],"
            f" domain: \"[('company_id', 'in', company_ids)]\"}}\n"
            for i in range(count)
        )
        users = "".join(f"  - {{user: user{i}, roles: [OC Role {i}]}}\n" for i in range(count))
        project.write(
            "security.yaml",
            f"roles:\n{roles}record_rules:\n{rules}role_assignments:\n{users}",
        )
        odoo.reset_calls()
        assert project.run("plan", "-e", "test").code == 0
        return len(odoo.calls)

    assert plan_calls(2) == plan_calls(12)  # everything to create or assign
    project.apply_ok()
    # 12 live roles, rules and assigned users: nothing to do, or 10 of each left the blueprints.
    assert plan_calls(12) == plan_calls(2)


def test_retiring_a_role_revokes_it_from_the_declared_users(roles: Project) -> None:
    odoo = roles.odoo
    odoo.add_user("alice", PASSWORD, ["base.group_user"])
    _assign(roles, "alice", "Purchase / OC Buyer")
    roles.apply_ok()
    # The role leaves the blueprints with its last holder: odooconf still manages it.
    roles.write(
        "security/roles.yaml",
        ROLES.format(**_apps(odoo)).split("  - name: OC Buyer")[0] + "  - name: OC Auditor\n",
    )
    _assign(roles, "alice")
    roles.apply_ok()
    assert not {"Purchase / OC Buyer", "Purchase / User"} & _effective(odoo, "alice")
    roles.converged()


def test_an_approval_names_a_role_the_blueprints_declare(tier: Project) -> None:  # noqa: F811
    """Tier validation reviews by a role created in the same apply."""
    tier.write(
        "security.yaml",
        """\
        roles:
          - {name: OC Purchase Directors, implied: [{xmlid: purchase.group_purchase_user}]}
        approvals:
          - document: purchase_order
            currency: USD
            levels: [{amount: 20000, approvers: [{role: OC Purchase Directors}]}]
        """,
    )
    tier.apply_ok()
    [definition] = tier.odoo.read(
        "tier.definition", [("active", "=", True)], ["review_type", "reviewer_group_id"]
    )
    assert definition["review_type"] == "group"
    assert definition["reviewer_group_id"][1] == "OC Purchase Directors"
    tier.converged()


# --- what a plan may take away ---------------------------------------------------------------


def _escalations(project: Project) -> list[str]:
    escalations: list[str] = _plan(project)["escalations"]
    return escalations


def _full_name(odoo: Odoo, xmlid: str = "base.group_system") -> str:
    """Full name of a group (by default Settings), which is its key, on the server under test."""
    [group] = odoo.read("res.groups", [("id", "=", odoo.group_id(xmlid))], ["full_name"])
    return str(group["full_name"])


def test_a_group_named_in_one_assignment_is_taken_from_no_other_user(roles: Project) -> None:
    odoo = roles.odoo
    odoo.add_user("clerk.a", PASSWORD, ["base.group_user"])
    odoo.add_user("clerk.b", PASSWORD, ["base.group_user"])
    admin_before = _effective(odoo, "admin")
    roles.write(
        "security/assignments.yaml",
        """\
        role_assignments:
          - user: clerk.a
            roles: [{xmlid: base.group_system}, {xmlid: base.group_user}, OC Auditor]
          - {user: clerk.b, roles: [OC Auditor]}
          - {user: admin, roles: [OC Auditor]}
        """,
    )
    plan = _plan(roles)
    lost = [(a["user"], a["what"]) for a in plan["access"] if a["sign"] == "-"]
    assert lost == []
    settings = _full_name(odoo)
    assert (
        f"clerk.a: + group {settings} (via {settings}): base.group_system administers the instance"
    ) in plan["escalations"][:2]  # with Access Rights, which Settings implies
    roles.apply_ok()
    assert admin_before <= _effective(odoo, "admin")
    assert _full_name(odoo, "base.group_user") in _effective(odoo, "clerk.b")
    assert settings in _effective(odoo, "clerk.a")
    roles.converged()


def test_an_assignment_never_changes_a_user_s_type(roles: Project) -> None:
    odoo = roles.odoo
    odoo.add_user("pat", PASSWORD, ["base.group_portal"])
    # An internal role (it implies Inventory / User, hence Internal User) for a portal user.
    _assign(roles, "pat", "Inventory / OC Warehouse Operator")
    err = roles.refused()
    assert "assignments.yaml:1: role_assignments[0] (pat) › roles" in err
    assert "would make portal user pat an internal user too" in err
    assert "Inventory / OC Warehouse Operator" in err
    # Naming the type itself is no way round it.
    _assign(roles, "pat", "{xmlid: base.group_user}")
    err = roles.refused()
    assert "would make portal user pat an internal user too" in err


def test_a_plan_never_takes_settings_from_its_own_login_unless_allowed(roles: Project) -> None:
    odoo = roles.odoo
    settings = _full_name(odoo)
    odoo.add_user("clerk.a", PASSWORD, ["base.group_user"])
    _assign(roles, "clerk.a", "{xmlid: base.group_system}")
    # admin, the login odooconf runs as, is not assigned Settings: exclusive_roles takes it away.
    roles.environment(exclusive_roles=f"['{settings}']")
    err = roles.refused()
    assert f"admin, the login odooconf runs as, would lose {settings}" in err
    assert "allow_admin_revocation: true" in err
    assert roles.refused("apply") != ""
    roles.environment(exclusive_roles=f"['{settings}']", allow_admin_revocation="true")
    escalations = _escalations(roles)
    administering = [e for e in escalations if "administers the instance" in e]
    assert escalations[: len(administering)] == administering  # listed first
    assert any(e.startswith(f"admin: - group {settings}") for e in administering)


def test_a_plan_never_takes_settings_from_its_last_holder(roles: Project) -> None:
    odoo = roles.odoo
    settings = _full_name(odoo)
    # odooconf runs as an Access Rights manager: admin holds Settings alone.
    odoo.add_user("keeper", LOGIN_PASSWORD, ["base.group_user", "base.group_erp_manager"])
    roles.environment(exclusive_roles=f"['{settings}']")
    roles.login_as("keeper")
    err = roles.refused()
    assert f"no active user would hold {settings}" in err
    assert "allow_admin_revocation: true" in err


def test_the_access_review_lists_what_an_archived_right_and_rule_take_away(
    roles: Project,
) -> None:
    odoo = roles.odoo
    roles.environment(prune="archive")
    roles.write(
        "security/tagger.yaml",
        """\
        roles:
          - name: OC Tagger
            access_rights:
              - {model: product.tag, read: true, write: true, create: true, delete: true}
        record_rules:
          - {name: OC tags, model: product.tag, roles: [OC Tagger], domain: "[(1, '=', 1)]"}
        """,
    )
    odoo.add_user("clerk.a", PASSWORD, ["base.group_user"])
    odoo.add_user("clerk.b", PASSWORD, ["base.group_user"])
    _assign(roles, "clerk.a", "OC Tagger")
    roles.apply_ok()
    _give_by_hand(odoo, "clerk.b", "OC Tagger")
    roles.write("security/tagger.yaml", "roles: [{name: OC Tagger}]\n")
    access = {(a["user"], a["sign"], a["what"], a["via"]) for a in _plan(roles)["access"]}
    for login in ("clerk.a", "clerk.b"):
        assert (login, "-", "write, create, delete product.tag", "OC Tagger") in access
        assert (login, "-", "rule product.tag | OC tags", "OC Tagger") in access


# --- adopting a record rule ------------------------------------------------------------------


def test_adopting_a_record_rule_keeps_what_the_blueprint_does_not_declare(roles: Project) -> None:
    odoo = roles.odoo
    [partner] = odoo.read("ir.model", [("model", "=", "res.partner")], ["id"])
    internal = odoo.group_id("base.group_user")
    domain = "[('type', '!=', 'private')]"
    odoo.execute(
        "ir.rule",
        "create",
        {
            "name": "OC shipped",
            "model_id": partner["id"],
            "domain_force": domain,
            "groups": [(6, 0, [internal])],
        },
    )
    roles.write(
        "security/rules.yaml",
        "record_rules:\n"
        "  - {name: OC shipped, model: res.partner, read: true, write: true, create: true,"
        " delete: true}\n",
    )
    roles.apply_ok()
    [rule] = odoo.read("ir.rule", [("name", "=", "OC shipped")], ["domain_force", "groups"])
    assert (rule["domain_force"], rule["groups"]) == (domain, [internal])
    roles.converged()
    # A change of its domain or roles is an escalation.
    roles.write(
        "security/rules.yaml",
        "record_rules:\n"
        "  - {name: OC shipped, model: res.partner, domain: '[]', roles: [OC Auditor]}\n",
    )
    escalations = _escalations(roles)
    assert any(e.startswith("record rule res.partner | OC shipped: domain") for e in escalations), (
        escalations
    )
    assert any(e.startswith("record rule res.partner | OC shipped: roles") for e in escalations)


# --- roles that cannot be applied, and rights that grant anything -------------------------------


def test_a_role_implying_itself_is_a_plan_error(roles: Project) -> None:
    roles.write("security/loop.yaml", "roles:\n  - {name: OC Self, implied: [OC Self]}\n")
    err = roles.refused()
    assert "loop.yaml:2: roles[0] (OC Self) › implied: role OC Self implies itself" in err
    # Through the instance: two existing roles made to imply each other.
    roles.write("security/loop.yaml", "roles:\n  - {name: OC A}\n  - {name: OC B}\n")
    roles.apply_ok()
    roles.write(
        "security/loop.yaml",
        "roles:\n  - {name: OC A, implied: [OC B]}\n  - {name: OC B, implied: [OC A]}\n",
    )
    err = roles.refused()
    assert (
        "loop.yaml:2: roles[0] (OC A) › implied: role OC A implies itself (OC A → OC B → OC A)"
        in err
    )


@pytest.mark.parametrize("model", ["res.groups", "res.users", "ir.model.access"])
def test_write_access_on_security_models_is_an_escalation(roles: Project, model: str) -> None:
    roles.write(
        "security/grant.yaml",
        f"roles:\n  - {{name: OC Granter, access_rights: [{{model: {model}, read: true,"
        " write: true}]}\n",
    )
    assert (
        f"role OC Granter gets write on {model}: a member can grant itself any access"
        in _escalations(roles)
    )

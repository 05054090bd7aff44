"""The sensitive areas (``odooconf.policies.sensitive``): a plan lists among its escalations every
role and user it lets do one of them that could not before, whether a role gains the rights
(directly, or through an implied group) or a user is assigned a role that has them; a record
rule lifted on an area's model is listed too. Each test runs on every emulated version asked
for (``ODOOCONF_TEST_EMULATOR_VERSION``)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration.conftest import Project

PASSWORD = "s3cret-pass"
ROLE = "OC Sensitive"

#: Per area, what a role declares to reach it: Odoo's groups it implies, its own access rights.
REACHING: dict[str, str] = {
    # directly: a right on the pricelist items
    "price overrides": "access_rights: [{model: product.pricelist.item, read: true, write: true}]",
    # through an implied group: Contact Creation writes bank accounts
    "vendor bank changes": "implied: [{xmlid: base.group_partner_manager}]",
    "inventory adjustments": "implied: [{xmlid: stock.group_stock_manager}]",
    # a right, and the group the credit limit field needs
    "credit limit overrides": (
        "implied: [{xmlid: account.group_account_invoice}]\n"
        "    access_rights: [{model: res.partner, read: true, write: true}]"
    ),
    "accounting postings": "implied: [{xmlid: account.group_account_invoice}]",
}


def _role(reaching: str = "") -> str:
    return f"roles:\n  - name: {ROLE}\n    {reaching or 'comment: nothing sensitive'}\n"


def _assign(*logins: str) -> str:
    return "role_assignments:\n" + "".join(
        f"  - {{user: {login}, roles: ['{ROLE}']}}\n" for login in logins
    )


def _escalations(project: Project) -> list[str]:
    result = project.run("plan", "-e", "test", "--format", "json")
    assert result.code in (0, 2), result.out + result.err
    plan: dict[str, Any] = json.loads(result.out)
    return [str(line) for line in plan["escalations"]]


def _about(area: str, escalations: list[str]) -> list[str]:
    return [line for line in escalations if f": + {area}, a sensitive area (" in line]


@pytest.mark.parametrize("area", sorted(REACHING))
def test_a_role_gaining_an_area_is_an_escalation_for_it_and_its_members(
    project: Project, area: str
) -> None:
    project.odoo.add_user("alice", PASSWORD, ["base.group_user"])
    project.write("security.yaml", _role() + _assign("alice"))
    project.apply_ok()
    assert _about(area, _escalations(project)) == []

    project.write("security.yaml", _role(REACHING[area]) + _assign("alice"))
    found = _about(area, _escalations(project))
    assert [line.split(", a sensitive area (")[0] for line in found] == [
        f"role {ROLE}: + {area}",
        f"alice: + {area}",
    ]
    assert found[1].startswith(f"alice: + {area}, a sensitive area (via {ROLE}: ")
    project.apply_ok()
    assert _about(area, _escalations(project)) == []


@pytest.mark.parametrize("area", sorted(REACHING))
def test_a_user_assigned_a_role_in_an_area_is_an_escalation(project: Project, area: str) -> None:
    project.odoo.add_user("alice", PASSWORD, ["base.group_user"])
    project.odoo.add_user("bob", PASSWORD, ["base.group_user"])
    project.write("security.yaml", _role(REACHING[area]) + _assign("bob"))
    project.apply_ok()

    project.write("security.yaml", _role(REACHING[area]) + _assign("bob", "alice"))
    found = _about(area, _escalations(project))
    assert len(found) == 1, found
    assert found[0].startswith(f"alice: + {area}, a sensitive area (via {ROLE}: ")


def test_a_record_rule_lifted_on_an_area_s_model_is_an_escalation(project: Project) -> None:
    project.odoo.add_user("alice", PASSWORD, ["base.group_user"])

    def rule(active: str) -> str:
        return (
            "record_rules:\n"
            f"  - {{name: OC drafts only, model: account.move, roles: ['{ROLE}'],\n"
            f"     domain: \"[('state', '=', 'draft')]\"{active}}}\n"
        )

    roles = _role(REACHING["accounting postings"]) + _assign("alice")
    project.write("security.yaml", roles + rule(""))
    project.apply_ok()
    project.write("security.yaml", roles + rule(", active: false"))
    assert (
        "record rule account.move | OC drafts only: lifted: accounting postings, a sensitive area, "
        "may widen for admin, alice"
    ) in _escalations(project)


#: An area's own group, by external id on each version (policies/sensitive.py, README table).
DISCOUNT_16 = "product.group_discount_per_so_line"
DISCOUNT_18 = "sale.group_discount_per_so_line"
VALIDATE_BANK = "account.group_validate_bank_account"


@pytest.mark.parametrize(
    ("area", "groups"),
    [
        ("price overrides", {16: DISCOUNT_16, 17: DISCOUNT_16, 18: DISCOUNT_18, 19: DISCOUNT_18}),
        ("vendor bank changes", {17: VALIDATE_BANK, 18: VALIDATE_BANK, 19: VALIDATE_BANK}),
    ],
)
def test_an_area_s_group_on_each_version(
    project: Project, area: str, groups: dict[int, str]
) -> None:
    major = int(project.odoo.version.split(".")[0])
    if major not in groups:
        pytest.skip(f"Odoo {major} has no group for {area}")
    project.odoo.add_user("alice", PASSWORD, ["base.group_user"])
    project.write(
        "security.yaml", _role(f"implied: [{{xmlid: {groups[major]}}}]") + _assign("alice")
    )
    found = _about(area, _escalations(project))
    assert [line.split(", a sensitive area (")[0] for line in found] == [
        f"role {ROLE}: + {area}",
        f"alice: + {area}",
    ]
    assert found[1].endswith(f"({groups[major]}))")

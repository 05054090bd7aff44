"""House rules (``house_rules``): validated offline, checked on the declared resources."""

from __future__ import annotations

from pathlib import Path

import pytest

from odooconf.config import load_environment
from odooconf.engine.pipeline import load_blueprints
from odooconf.model.live import LiveState
from odooconf.policies.house_rules import Verdict, check_house_rules, take_rules
from tests.unit.blueprint_text import validate

PRICES = """\
pricelists:
  - name: Wholesale
    items:
      - {min_quantity: 10, percentage: 5}
      - {min_quantity: 50, percentage: 35}
roles:
  - {name: Clerk, comment: Files things}
  - {name: Intern}
approvals:
  - document: purchase_order
    currency: USD
    levels:
      - {amount: 10000, approvers: [{role: {xmlid: purchase.group_purchase_manager}}]}
      - {amount: 60000, approvers: [{role: Directors}]}
"""


#: A rule on the percentage items, by section or kind name.
MAX_DISCOUNT = """\
house_rules:
  - name: max-discount
    kind: {kind}
    when: "compute_price == 'percentage'"
    require: "percent_price <= {percent}"
    message: no pricelist item gives more than {percent} % off
"""


def _check(rules: str, blueprint: str = PRICES) -> Verdict:
    resources, diagnostics = validate(blueprint + rules)
    assert diagnostics == []
    found = take_rules(resources)
    assert found
    live = LiveState({}, {}, {}, {}, lambda *_args: None)
    return check_house_rules(found, resources, [], live)


REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("environment", ["production", "upgrade-19", "demo"])
def test_the_example_passes_its_house_rules(environment: str) -> None:
    env = load_environment(REPO / "environments", environment)
    resources = list(load_blueprints(REPO / "blueprints", env).resources)
    rules = take_rules(resources)
    assert len(rules) == 4
    live = LiveState({}, {}, {}, {}, lambda *_args: None)
    assert check_house_rules(rules, resources, [], live) == Verdict()


def test_a_rule_every_resource_meets_passes() -> None:
    assert _check(MAX_DISCOUNT.format(kind="pricelist_items", percent=50)) == Verdict()


def test_a_broken_error_rule_is_located_at_the_resource_and_names_the_rule() -> None:
    verdict = _check(MAX_DISCOUNT.format(kind="pricelist_item", percent=30))
    [error] = verdict.errors
    assert verdict.warnings == []
    assert error.code == "OC-P001"
    assert error.render() == (
        "bp.yaml:5: pricelists[0] (Wholesale) › items[1]: no pricelist item gives more than "
        "30 % off (broken: house rule 'max-discount' (bp.yaml:16)) [OC-P001]"
    )


def test_a_warning_rule_is_a_plan_warning() -> None:
    verdict = _check(
        """\
house_rules:
  - name: described-roles
    kind: roles
    require: comment
    message: every role has a description
    severity: warning
"""
    )
    assert verdict.errors == []
    [warning] = verdict.warnings
    assert warning.subjects == ("role Intern",)
    assert warning.source == "bp.yaml:8"
    assert warning.message == (
        "roles[1] (Intern): every role has a description (house rule 'described-roles' "
        "(bp.yaml:16))"
    )


def test_rules_see_nested_items_and_other_resources() -> None:
    verdict = _check(
        """\
house_rules:
  - name: big-purchases-name-a-user
    kind: approval_level
    when: "approval == 'purchase_order' and amount > 50000"
    require: "approvers | selectattr('user') | list"
    message: a purchase approval above 50,000 names a user, not only a role
  - name: intern-has-a-clerk
    kind: roles
    when: "key == 'Intern'"
    require: "resources.roles | selectattr('key', 'startswith', 'Cl') | list"
    message: an intern needs a clerk
"""
    )
    [error] = verdict.errors
    assert error.path == "approvals[0] (purchase_order) › levels[1]"
    assert "names a user" in error.message


def test_a_rule_that_cannot_be_evaluated_is_a_located_error() -> None:
    verdict = _check(
        """\
house_rules:
  - name: max-discount
    kind: pricelist_items
    require: "percent_price <= 30"
    message: no pricelist item gives more than 30 % off
"""
        "pricelist_items:\n  - {pricelist: Wholesale, min_quantity: 100, fixed_price: 3}\n",
    )
    [error] = [e for e in verdict.errors if e.code == "OC-P002"]
    assert error.path == "pricelist_items[0] (Wholesale)"
    assert error.message.startswith(
        "house rule 'max-discount' (bp.yaml:16) cannot be checked on pricelist_item Wholesale"
    )
    assert "'<=' not supported" in error.message


@pytest.mark.parametrize(
    ("rule", "line", "message"),
    [
        (
            "kind: roles\nrequire: 'comment and'",
            4,
            "not an expression: unexpected 'end of template'",
        ),
        ("kind: roles\nrequire: 'comment }} x'", 4, "unexpected '}}' after the expression"),
        ("kind: roles\nrequire: 'coment'", 2, "names 'coment', which role has not; did you mean"),
        ("kind: role\nwhen: '[1,'\nrequire: '1'", 4, "not an expression"),
        ("kind: rolez\nrequire: '1'", 3, "unknown kind 'rolez'; did you mean 'role'?"),
        ("kind: roles\nrequire: '1'\nseverity: fatal", 5, "Input should be 'error' or 'warning'"),
    ],
)
def test_a_malformed_rule_is_a_located_validate_error(rule: str, line: int, message: str) -> None:
    body = "".join(f"    {part}\n" for part in rule.split("\n"))
    _resources, diagnostics = validate(f"house_rules:\n  - name: r\n{body}    message: m\n")
    [diagnostic] = diagnostics
    assert diagnostic.code == "OC-V010"
    assert diagnostic.source is not None
    assert diagnostic.source.line == line
    assert message in diagnostic.message, diagnostic.message

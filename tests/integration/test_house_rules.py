"""House rules (``house_rules``) checked by plan on the server under test: a broken error rule
refuses the plan, a warning is shown, a rule sees the values the plan leaves (the instance's
too), and the example passes its own rules."""

from __future__ import annotations

import json
from typing import Any

from tests.integration.conftest import Project

RULES = """\
house_rules:
  - name: max-discount
    kind: pricelist_items
    require: "(percent_price or 0) <= 30"
    message: no pricelist item gives more than 30 % off
  - name: roles-are-described
    kind: roles
    require: comment
    message: every role has a description
    severity: warning
"""

BLUEPRINT = """\
pricelists:
  - name: OC Wholesale
    items:
      - {min_quantity: 10, percentage: 5}
      - {min_quantity: 50, percentage: 35}
roles:
  - name: OC Intern
"""


def _rule_warnings(project: Project) -> list[dict[str, Any]]:
    result = project.run("plan", "-e", "test", "--format", "json")
    assert result.code in (0, 2), result.out + result.err
    document: dict[str, Any] = json.loads(result.out)
    return [w for w in document["warnings"] if w["code"] == "house_rule"]


def test_a_broken_rule_refuses_the_plan_and_a_warning_is_shown(project: Project) -> None:
    project.write("rules.yaml", RULES)
    project.write("commercial.yaml", BLUEPRINT)
    result = project.run("plan", "-e", "test")
    assert result.code == 1, result.out + result.err
    assert "OC Wholesale" in result.out  # the plan is shown
    assert "roles[0] (OC Intern): every role has a description (house rule " in result.out
    err = project.refused("apply")
    assert (
        "commercial.yaml:5: pricelists[0] (OC Wholesale) › items[1]: no pricelist item gives "
        "more than 30 % off (broken: house rule 'max-discount' ("
    ) in err
    assert "rules.yaml:2)) [OC-P001]" in err

    project.write("commercial.yaml", BLUEPRINT.replace("percentage: 35", "percentage: 25"))
    [warning] = _rule_warnings(project)
    assert warning["subjects"] == ["role OC Intern"]
    project.apply_ok()
    # The rule reads the role as the plan leaves it: a description written in Odoo counts.
    [intern] = project.odoo.read("res.groups", [("name", "=", "OC Intern")], ["id"])
    project.odoo.execute("res.groups", "write", [intern["id"]], {"comment": "Learns the trade"})
    assert _rule_warnings(project) == []
    project.converged()


def test_the_example_passes_its_house_rules(example: Project) -> None:
    """Roles and rights included (the ``example`` fixture leaves security out)."""
    assert (example.blueprints / "governance" / "house_rules.yaml").exists()
    example.environment(
        version=example.odoo.version,
        exclude='["stock/reordering.yaml", "commercial/price_checks.yaml",'
        ' "commercial/purchasing.yaml", "commercial/approvals.yaml"]',
    )
    assert _rule_warnings(example) == []

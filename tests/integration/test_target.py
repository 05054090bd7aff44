"""``--target KIND[:KEY]``: a plan (and its apply) limited to some resources and what they
depend on, which says so and prunes nothing."""

from __future__ import annotations

import json

from tests.integration.conftest import Project

STOCK = """\
warehouses:
  - {code: DC1, name: Central, locations: [Stock/Bulk, Stock/Cold]}
  - {code: RW1, name: West}
locations:
  - {path: WH/Stock/Shelf}
putaway_rules:
  - {location_in: DC1/Stock, category: %s, location_out: DC1/Stock/Bulk}
"""


def _planned(project: Project, *args: str) -> list[tuple[str, str, str]]:
    result = project.run("plan", "-e", "test", "--format", "json", *args)
    assert result.code == 0, result.out + result.err
    data = json.loads(result.out)
    return sorted((c["action"], c["kind"], c["key"]) for c in data["changes"])


def test_a_target_limits_the_plan_and_the_header_says_so(project: Project) -> None:
    project.write("stock.yaml", STOCK % project.odoo.facts.top)
    plan = project.run("plan", "-e", "test", "--target", "location:WH/Stock/Shelf")
    assert plan.code == 0, plan.err
    assert "targeted: location:WH/Stock/Shelf. A partial plan" in plan.out
    assert "+ location WH/Stock/Shelf" in plan.out
    assert "DC1" not in plan.out and "RW1" not in plan.out
    data = json.loads(
        project.run("plan", "-e", "test", "--format", "json", "--target", "locations").out
    )
    assert data["targets"] == ["location"]
    # DC1's locations are declared inside it: they come with it.
    assert sorted(c["key"] for c in data["changes"]) == [
        "DC1", "DC1/Stock/Bulk", "DC1/Stock/Cold", "WH/Stock/Shelf",
    ]  # fmt: skip

    result = project.run("apply", "-e", "test", "--yes", "--target", "location:WH/Stock/Shelf")
    assert result.code == 0, result.out + result.err
    assert project.odoo.read("stock.location", [("name", "=", "Shelf")], ["id"])
    assert project.odoo.read("stock.warehouse", [("code", "in", ["DC1", "RW1"])], ["id"]) == []
    # The whole plan still has the rest to do.
    assert ("create", "warehouse", "RW1") in _planned(project)


def test_a_target_brings_what_it_depends_on_and_its_inline_children(project: Project) -> None:
    project.write("stock.yaml", STOCK % project.odoo.facts.top)
    rule = f"putaway_rule:DC1/Stock | category:{project.odoo.facts.top} → DC1/Stock/Bulk"
    keys = {(kind, key) for _action, kind, key in _planned(project, "--target", rule)}
    # The rule references DC1/Stock/Bulk, declared inside warehouse DC1, which makes DC1/Stock.
    assert keys == {
        ("putaway_rule", rule.split(":", 1)[1]),
        ("location", "DC1/Stock/Bulk"),
        ("warehouse", "DC1"),
    }
    keys = {(kind, key) for _action, kind, key in _planned(project, "--target", "warehouse:DC1")}
    assert keys == {
        ("warehouse", "DC1"),
        ("location", "DC1/Stock/Bulk"),
        ("location", "DC1/Stock/Cold"),
    }


def test_a_targeted_plan_prunes_nothing(project: Project) -> None:
    project.environment(prune="archive")
    project.write(
        "wh.yaml", "warehouses:\n  - {code: RW1, name: West}\n  - {code: RW2, name: East}\n"
    )
    project.apply_ok()
    project.write("wh.yaml", "warehouses:\n  - {code: RW1, name: East and West}\n")
    targeted = project.run("plan", "-e", "test", "--target", "warehouse:RW1")
    assert "~ warehouse RW1" in targeted.out
    assert "RW2" not in targeted.out
    assert "nothing is pruned" in targeted.out
    result = project.run("apply", "-e", "test", "--yes", "--target", "warehouse:RW1")
    assert result.code == 0, result.out + result.err
    rows = project.odoo.read("stock.warehouse", [("code", "=", "RW2")], ["active"])
    assert rows == [{"id": rows[0]["id"], "active": True}]
    assert _planned(project) == [("archive", "warehouse", "RW2"), ("noop", "warehouse", "RW1")]


def test_a_plan_saved_with_targets_is_applied_with_them(project: Project) -> None:
    project.write(
        "stock.yaml", "locations:\n  - {path: WH/Stock/Shelf}\n  - {path: WH/Stock/Bin}\n"
    )
    path = project.root / "plan.json"
    result = project.run(
        "plan", "-e", "test", "--target", "location:WH/Stock/Bin", "--out", str(path)
    )
    assert result.code == 0, result.out + result.err
    assert json.loads(path.read_text())["plan"]["targets"] == ["location:WH/Stock/Bin"]
    other = project.run("apply", "-e", "test", str(path), "--target", "location:WH/Stock/Shelf")
    assert other.code == 1
    assert "was saved with location:WH/Stock/Bin; apply it without --target" in other.err
    applied = project.run("apply", "-e", "test", str(path))
    assert applied.code == 0, applied.out + applied.err
    assert project.odoo.read("stock.location", [("name", "=", "Bin")], ["id"])
    assert project.odoo.read("stock.location", [("name", "=", "Shelf")], ["id"]) == []


def test_a_target_that_names_nothing_is_an_error(project: Project) -> None:
    project.write("stock.yaml", "locations:\n  - {path: WH/Stock/Shelf}\n")
    unknown = project.run("plan", "-e", "test", "--target", "locaton:WH/Stock/Shelf")
    assert unknown.code == 1
    assert "no kind 'locaton' to target" in unknown.err
    missing = project.run("plan", "-e", "test", "--target", "location:WH/Stock/Nowhere")
    assert missing.code == 1
    assert "--target location:WH/Stock/Nowhere names no resource the blueprints declare" in (
        missing.err
    )
    assert "Traceback" not in missing.err + unknown.err

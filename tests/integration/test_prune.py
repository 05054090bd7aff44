"""Records odooconf manages that leave the blueprints: noted, or archived by policy."""

from __future__ import annotations

import json
from typing import Any

from tests.integration.conftest import Project

BOTH = "warehouses:\n  - {code: RW1, name: West}\n  - {code: RW2, name: East}\n"
ONE = "warehouses:\n  - {code: RW1, name: West}\n"


def _active(project: Project) -> dict[str, bool]:
    rows: Any = project.odoo.execute(
        "stock.warehouse", "search_read", [], ["code", "active"], context={"active_test": False}
    )
    return {row["code"]: row["active"] for row in rows}


def test_default_policy_leaves_removed_records_alone_and_says_so(project: Project) -> None:
    project.write("wh.yaml", BOTH)
    assert project.run("apply", "-e", "test", "--yes").code == 0
    project.write("wh.yaml", ONE)
    plan = project.run("plan", "-e", "test", "--detailed-exitcode")
    assert plan.code == 0
    assert (
        "warehouse RW2 (odooconf.warehouse_rw2) is managed by odooconf but no longer in the "
        "blueprints; left alone (prune: never)" in plan.out
    )
    assert project.run("apply", "-e", "test", "--yes").code == 0
    assert _active(project)["RW2"] is True


def test_archive_policy_archives_and_converges(project: Project) -> None:
    project.environment(prune="archive")
    project.write("wh.yaml", BOTH)
    assert project.run("apply", "-e", "test", "--yes").code == 0
    project.write("wh.yaml", ONE)
    plan = json.loads(project.run("plan", "-e", "test", "--format", "json").out)
    pending = [(c["action"], c["key"]) for c in plan["changes"] if c["action"] != "noop"]
    assert pending == [("archive", "RW2")]
    assert project.run("apply", "-e", "test", "--yes").code == 0
    assert _active(project) == {"WH": True, "RW1": True, "RW2": False}
    assert project.run("plan", "-e", "test", "--detailed-exitcode").code == 0


def test_unmanaged_records_are_never_pruned(project: Project) -> None:
    project.environment(prune="archive")
    project.write("wh.yaml", ONE)
    assert project.run("apply", "-e", "test", "--yes").code == 0
    assert _active(project)["WH"] is True  # Odoo's own warehouse was never odooconf's


def test_apply_needs_yes_when_not_interactive(project: Project) -> None:
    project.write("wh.yaml", ONE)
    result = project.run("apply", "-e", "test")
    assert result.code == 1
    assert "pass --yes" in result.err
    assert "RW1" not in _active(project)


def test_archiving_a_record_still_in_use_is_a_plan_error(project: Project) -> None:
    project.environment(prune="archive")
    used = f"""\
    warehouses:
      - {{code: RW1, name: West, locations: [Stock/Bulk]}}
    putaway_rules:
      - {{location_in: RW1/Stock, category: {project.odoo.facts.top}, location_out: RW1/Stock/Bulk}}
    """
    project.write("wh.yaml", used)
    project.apply_ok()
    project.write("wh.yaml", used.replace(", locations: [Stock/Bulk]", ""))
    err = project.refused()
    assert (
        "location RW1/Stock/Bulk (odooconf.location_rw1_stock_bulk) left the blueprints and "
        "would be archived (prune: archive), but putaway_rule" in err
    )


GROUPS = (
    "account_groups:\n"
    "  - {prefix_start: 97, name: Spare A}\n"
    "  - {prefix_start: 98, name: Spare B}\n"
)


def _groups(project: Project) -> list[str]:
    rows = project.odoo.read("account.group", [("name", "like", "Spare")], ["name"])
    return sorted(row["name"] for row in rows)


def test_delete_policy_deletes_created_records_without_active_and_converges(
    project: Project,
) -> None:
    # account.group has no ``active``: prune: archive can only leave it alone, delete deletes it.
    project.environment(prune="archive")
    project.write("groups.yaml", GROUPS)
    project.apply_ok()
    project.write("groups.yaml", GROUPS.replace("  - {prefix_start: 98, name: Spare B}\n", ""))
    plan = project.run("plan", "-e", "test", "--detailed-exitcode")
    assert plan.code == 0
    assert "left alone (prune: archive)" in plan.out
    project.environment(prune="delete")
    data = json.loads(project.run("plan", "-e", "test", "--format", "json").out)
    pending = [(c["action"], c["key"]) for c in data["changes"] if c["action"] != "noop"]
    assert pending == [("delete", "98")]
    project.apply_ok()
    assert _groups(project) == ["Spare A"]
    project.converged()


def test_delete_policy_archives_models_with_active_and_releases_adopted_records(
    project: Project,
) -> None:
    project.environment(prune="delete")
    project.write("wh.yaml", BOTH + GROUPS)
    project.apply_ok()
    # An account group made by hand and adopted by its key is odooconf's, not its creation.
    project.odoo.execute("account.group", "create", {"code_prefix_start": "96", "name": "Spare C"})
    project.write("wh.yaml", BOTH + GROUPS + "  - {prefix_start: 96, name: Spare C}\n")
    project.apply_ok()
    project.write("wh.yaml", ONE)
    data = json.loads(project.run("plan", "-e", "test", "--format", "json").out)
    pending = sorted((c["action"], c["key"]) for c in data["changes"] if c["action"] != "noop")
    assert pending == [("archive", "RW2"), ("delete", "97"), ("delete", "98"), ("release", "96")]
    project.apply_ok()
    assert _groups(project) == ["Spare C"]
    assert _active(project)["RW2"] is False
    project.converged()

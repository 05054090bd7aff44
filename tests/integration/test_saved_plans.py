"""Saved plans: ``plan --out FILE`` then ``apply -e ENV FILE`` applies exactly the reviewed plan,
or refuses with nothing written (issue 18)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.integration.conftest import PASSWORD, Project

LOCATIONS = """\
locations:
  - {path: WH/Stock/Bulk, barcode: BULK-1}
  - {path: WH/Stock/Cold}
"""


def _saved(project: Project) -> Path:
    project.write("stock.yaml", LOCATIONS)
    path = project.root / "plan.json"
    result = project.run("plan", "-e", "test", "--out", str(path))
    assert result.code == 0, result.out + result.err
    return path


def _refused(project: Project, path: Path, env: str = "test") -> str:
    """``apply -e env path`` fails with exit 1 and no traceback, writing nothing (not even the
    lock); its stderr."""
    project.odoo.reset_calls()
    result = project.run("apply", "-e", env, str(path))
    assert result.code == 1, result.out + result.err
    assert "Traceback" not in result.err
    writes = ("create", "write", "unlink", "message_post")
    assert [m for _model, m in project.odoo.object_calls() if m in writes] == []
    assert project.odoo.read("ir.config_parameter", [("key", "=", "odooconf.apply_lock")], []) == []
    assert project.odoo.read("stock.location", [("name", "=", "Cold")], ["id"]) == []
    return result.err


def test_saved_plan_is_applied_exactly_and_audited_with_its_digest(project: Project) -> None:
    path = _saved(project)
    document: dict[str, Any] = json.loads(path.read_text())
    assert PASSWORD not in path.read_text()
    assert document["environment"] == "test"
    assert [c["key"] for c in document["plan"]["changes"]] == ["WH/Stock/Bulk", "WH/Stock/Cold"]
    assert any(key.startswith("stock.location,") for key in document["fingerprints"])

    result = project.run("apply", "-e", "test", str(path))  # reviewed: no --yes needed

    assert result.code == 0, result.out + result.err
    assert project.odoo.read("stock.location", [("barcode", "=", "BULK-1")], ["name"])
    project.converged()
    [line] = (project.root / "state" / "audit" / "test.jsonl").read_text().splitlines()
    assert json.loads(line)["plan_sha256"] == document["plan_sha256"]


def test_stale_plan_is_refused_naming_every_value_that_moved(project: Project) -> None:
    [stock] = project.odoo.read("stock.location", [("complete_name", "=", "WH/Stock")], ["id"])
    path = _saved(project)
    project.odoo.execute("stock.location", "write", [stock["id"]], {"barcode": "HAND-EDIT"})

    err = _refused(project, path)  # found before the lock is even taken

    assert "is stale" in err
    assert f"stock.location #{stock['id']} (WH/Stock): barcode" in err
    assert '→ "HAND-EDIT"' in err


def test_plan_for_another_environment_or_database_is_refused(project: Project) -> None:
    path = _saved(project)
    environments = project.root / "environments"
    text = (environments / "test.yaml").read_text()
    (environments / "other.yaml").write_text(text)

    assert "Saved plan does not match this database" in _refused(project, path, env="other")

    # The same URL and database name, but another database (a restored or recreated one).
    [row] = project.odoo.read("ir.config_parameter", [("key", "=", "database.uuid")], ["id"])
    project.odoo.execute("ir.config_parameter", "write", [row["id"]], {"value": "another-uuid"})
    assert "Saved plan does not match this database" in _refused(project, path)


def test_plan_whose_blueprints_changed_is_refused(project: Project) -> None:
    path = _saved(project)
    project.write("stock.yaml", LOCATIONS.replace("BULK-1", "BULK-2"))

    assert "blueprints changed since the plan was saved" in _refused(project, path)


def test_tampered_plan_file_is_refused(project: Project) -> None:
    path = _saved(project)
    document = json.loads(path.read_text())
    document["plan"]["changes"][0]["after"]["barcode"] = "FORGED"
    path.write_text(json.dumps(document))

    assert "modified after it was saved" in _refused(project, path)


def test_environment_may_require_a_saved_plan(project: Project) -> None:
    project.environment(apply_requires_saved_plan="true")
    project.write("stock.yaml", LOCATIONS)
    project.odoo.reset_calls()

    result = project.run("apply", "-e", "test", "--yes")

    assert result.code == 1
    assert "applies only saved plans" in result.err
    assert project.odoo.object_calls() == []


def test_environments_are_listed_for_a_ci_matrix(project: Project) -> None:
    project.environment(name="prod", apply_requires_saved_plan="true", prune="archive")

    result = project.run("environments", "--format", "json")

    rows = {row["name"]: row for row in json.loads(result.out)}
    assert rows["prod"] == {
        "name": "prod",
        "url": project.odoo.url,
        "database": project.odoo.database,
        "version": None,
        "apply_requires_saved_plan": True,
        "prune": "archive",
    }
    assert rows["test"]["apply_requires_saved_plan"] is False

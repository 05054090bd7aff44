"""``plan -e A -e B -e C``: environments planned concurrently, each reported with its own status,
the exit codes folded into one (any error → 1, else any changes → 2 with --detailed-exitcode)."""

from __future__ import annotations

import json

from tests.integration.conftest import Project


def _three(project: Project) -> None:
    """dev has a change to make, staging none (its one item is absent, and there is no such
    record), broken an error (it expects another Odoo version than the server's)."""
    project.write("l.yaml", "locations:\n  - {path: WH/Stock/Shelf}\n")
    project.write("s.yaml", "locations:\n  - {path: WH/Stock/Never, state: absent}\n")
    project.environment("dev", include='["l.yaml"]')
    project.environment("staging", include='["s.yaml"]')
    other = "17.0" if project.odoo.version != "17.0" else "18.0"
    project.environment("broken", version=other)


def test_each_environment_is_reported_with_its_status_and_the_codes_fold(
    project: Project,
) -> None:
    _three(project)
    both = project.run("plan", "-e", "dev", "-e", "staging", "--detailed-exitcode")
    assert both.code == 2, both.out + both.err
    lines = both.out.splitlines()
    dev = lines.index("== environment dev: changes (exit 2) ==")
    staging = lines.index("== environment staging: no changes (exit 0) ==")
    assert dev < staging
    assert "+ location WH/Stock/Shelf" in "\n".join(lines[dev:staging])
    assert "No changes." in "\n".join(lines[staging:])
    assert lines[-1] == "2 environments planned: dev changes, staging no changes; exit 2"

    assert project.run("plan", "-e", "dev", "-e", "staging").code == 0  # changes, not asked
    assert project.run("plan", "-e", "staging", "-e", "staging").code == 1  # given twice

    three = project.run("plan", "-e", "dev", "-e", "staging", "-e", "broken", "--detailed-exitcode")
    assert three.code == 1
    assert "== environment broken: error (exit 1) ==" in three.out
    assert "environment broken declares Odoo" in three.err
    assert "Traceback" not in three.err


def test_json_lists_every_environment_and_markdown_keeps_each_marker(project: Project) -> None:
    _three(project)
    result = project.run(
        "plan", "-e", "dev", "-e", "broken", "-e", "staging", "--format", "json",
        "--detailed-exitcode",
    )  # fmt: skip
    assert result.code == 1
    data = json.loads(result.out)
    assert data["exit_code"] == 1
    got = [(e["environment"], e["status"], e["exit_code"]) for e in data["environments"]]
    assert got == [("dev", "changes", 2), ("broken", "error", 1), ("staging", "no changes", 0)]
    dev, broken, _staging = (e["plan"] for e in data["environments"])
    assert dev["environment"] == "dev" and dev["summary"]["create"] == 1
    assert broken["summary"] is None and "declares Odoo" in broken["errors"][0]["message"]

    markdown = project.run("plan", "-e", "dev", "-e", "staging", "--format", "markdown")
    assert markdown.code == 0
    assert markdown.out.index("<!-- odooconf:plan:dev -->") < markdown.out.index(
        "<!-- odooconf:plan:staging -->"
    )


def test_several_saved_plans_need_one_file_each(project: Project) -> None:
    _three(project)
    shared = project.run("plan", "-e", "dev", "-e", "staging", "--out", "plan.json")
    assert shared.code == 1
    assert "cannot share one saved plan: give a FILE with {env}" in shared.err
    pattern = str(project.root / "plan-{env}.json")
    result = project.run("plan", "-e", "dev", "-e", "staging", "--out", pattern)
    assert result.code == 0, result.out + result.err
    for name in ("dev", "staging"):
        saved = json.loads((project.root / f"plan-{name}.json").read_text())
        assert saved["environment"] == name
    applied = project.run("apply", "-e", "dev", str(project.root / "plan-dev.json"))
    assert applied.code == 0, applied.out + applied.err
    assert project.odoo.read("stock.location", [("name", "=", "Shelf")], ["id"])

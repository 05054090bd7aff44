"""odooconf export (issue 20): blueprints for an instance configured by hand, which plan to no
change against it, read it only, and come out the same every time."""

from __future__ import annotations

import json
from pathlib import Path

from tests.integration.conftest import Project

#: Object-service methods that change an instance.
WRITES = ("create", "write", "unlink")


def _export(project: Project, out: Path, *args: str) -> str:
    project.odoo.reset_calls()
    result = project.run("export", "-e", "test", "-o", str(out), *args)
    assert result.code == 0, result.out + result.err
    assert [m for _model, m in project.odoo.object_calls() if m in WRITES] == []
    return result.out


def _round_trip(project: Project, out: Path) -> list[str]:
    """The exported blueprints validate, and plan to no change against the instance: nothing
    to create, update, archive or delete, and no field to change in the records the first apply
    adopts (binds to odooconf's external ids). Their keys."""
    base = ["--blueprints", str(out)]
    result = project.run(*base, "validate", "-e", "test")
    assert result.code == 0, result.out + result.err
    result = project.run(*base, "plan", "-e", "test", "--format", "json")
    assert result.code == 0, result.out + result.err
    changes = json.loads(result.out)["changes"]
    changed = [c for c in changes if c["action"] not in ("noop", "adopt") or c["fields"]]
    assert changed == [], json.dumps(changed, indent=1)[:3000]
    return [c["key"] for c in changes if c["action"] == "adopt"]


def test_fresh_database_round_trip(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "exported"
    said = _export(project, out)
    assert "unresolved" in said
    _round_trip(project, out)
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    _export(project, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first

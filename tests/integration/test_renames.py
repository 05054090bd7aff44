"""Changing a key: the record keeps its identity, and so do the records whose keys contain it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration.conftest import Project

BEFORE = """\
warehouses:
  - {id: central, code: DC1, name: Central, delivery_steps: pick_ship,
     locations: [Stock/Bulk]}
operation_types:
  - {warehouse: DC1, sequence_code: PICK, reservation_method: manual}
"""
AFTER = BEFORE.replace("code: DC1", "code: DC2").replace("warehouse: DC1", "warehouse: DC2")


def _count(project: Project, model: str, domain: list[Any]) -> int:
    rows: Any = project.odoo.execute(
        model, "search_read", domain, ["id"], context={"active_test": False}
    )
    return len(rows)


@pytest.mark.parametrize("prune", ["never", "archive"])
def test_warehouse_code_change_carries_its_records(project: Project, prune: str) -> None:
    project.environment(prune=prune)
    project.write("w.yaml", BEFORE)
    assert project.run("apply", "-e", "test", "--yes").code == 0
    project.write("w.yaml", AFTER)

    plan = json.loads(project.run("plan", "-e", "test", "--format", "json").out)
    actions = {(c["kind"], c["key"]): c["action"] for c in plan["changes"]}
    assert actions[("warehouse", "DC2")] == "update"
    assert actions[("operation_type", "DC2/PICK")] == "adopt"  # the DC1/PICK it manages
    assert "archive" not in actions.values()

    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 0, result.out + result.err
    assert _count(project, "stock.location", [("complete_name", "like", "/Stock/Bulk")]) == 1
    assert _count(project, "stock.picking.type", [("sequence_code", "=", "PICK")]) == 2  # WH's
    after = project.run("plan", "-e", "test", "--detailed-exitcode")
    assert after.code == 0, after.out

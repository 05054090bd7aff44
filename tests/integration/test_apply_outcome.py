"""Apply always reports what the instance holds: after a failure (read back, never assumed),
when the audit cannot be written, and when the instance changed during the confirmation.

Lost answers are simulated at odooconf's own transport boundary (the call reaches the server and
is committed, then the answer is dropped), so these tests run on a real Odoo as well.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

import click
import pytest

from odooconf.errors import RemoteError
from odooconf.odoo.rpc import RpcGateway
from tests.integration.conftest import Project

WAREHOUSE_AND_TYPE = """\
warehouses:
  - {code: DC1, name: Central}
operation_types:
  - {warehouse: DC1, sequence_code: QH, name: Hold, type: internal}
"""


@pytest.fixture
def lose_answer(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``lose_answer(model, method, then_down=False)``: the next such call is executed by the
    server, but its answer never arrives; with ``then_down``, every later call fails too."""
    original = RpcGateway._call
    armed: dict[str, Any] = {}

    def execute(self: RpcGateway, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        if armed.get("down"):
            raise RemoteError(f"lost contact with Odoo during {model}.{method}: connection refused")
        result = original(self, model, method, *args, **kwargs)
        if armed.get("call") == (model, method):
            armed["down"] = armed.pop("then_down")
            del armed["call"]
            raise RemoteError(f"lost contact with Odoo during {model}.{method}: timed out")
        return result

    def arm(model: str, method: str, then_down: bool = False) -> None:
        armed.update(call=(model, method), then_down=then_down)

    monkeypatch.setattr(RpcGateway, "_call", execute)
    yield arm


def _audit(project: Project) -> list[dict[str, Any]]:
    path = project.root / "state" / "audit" / "test.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_create_whose_answer_was_lost_is_reported_as_done(
    project: Project, lose_answer: Any
) -> None:
    project.write("w.yaml", WAREHOUSE_AND_TYPE)
    lose_answer("stock.warehouse", "create")
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 1
    assert (
        "+ warehouse DC1: created (done, but its external id is not recorded: the next plan "
        "adopts it)"
    ) in result.err
    assert "failed" not in result.err.replace("0 failed", "")
    assert "not attempted: operation_type DC1/QH" in result.err
    [entry] = _audit(project)
    assert entry["outcome"] == "failed"
    [applied] = entry["applied"]
    assert (applied["resource"], applied["note"]) == (
        "warehouse DC1",
        "done, but its external id is not recorded: the next plan adopts it",
    )
    assert isinstance(applied["record_id"], int)
    assert entry["failed"] == [] and entry["unknown"] == []
    # The re-run adopts the warehouse the lost call made: no duplicate.
    project.apply_ok()
    project.converged()
    assert len(project.odoo.read("stock.warehouse", [("code", "=", "DC1")], ["id"])) == 1


def test_a_write_whose_answer_was_lost_is_reported_as_done(
    project: Project, lose_answer: Any
) -> None:
    project.write("w.yaml", "warehouses:\n  - {code: DC1, name: Central}\n")
    project.apply_ok()
    project.write("w.yaml", "warehouses:\n  - {code: DC1, name: Central DC}\n")
    lose_answer("stock.warehouse", "write")
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 1
    assert "~ warehouse DC1: updated" in result.err
    assert "1 change(s) applied, 0 failed, 0 unknown, 0 not attempted" in result.err
    assert [c["resource"] for c in _audit(project)[-1]["applied"]] == ["warehouse DC1"]
    project.converged()


def test_an_instance_that_cannot_be_read_back_makes_the_outcome_unknown(
    project: Project, lose_answer: Any
) -> None:
    project.write("w.yaml", WAREHOUSE_AND_TYPE)
    lose_answer("stock.warehouse", "create", then_down=True)
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 1
    assert "unknown (the instance could not be read back): warehouse DC1" in result.err
    assert "0 change(s) applied, 0 failed, 1 unknown, 1 not attempted" in result.err
    [entry] = _audit(project)
    assert [c["resource"] for c in entry["unknown"]] == ["warehouse DC1"]
    assert entry["applied"] == []


def test_the_audit_names_the_operator_without_a_passwd_entry(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_user() -> str:
        raise KeyError("getpwuid(): uid not found: 12345")

    monkeypatch.setattr("getpass.getuser", no_user)
    project.write("w.yaml", "warehouses:\n  - {code: DC1, name: Central}\n")
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 0, result.err
    assert "Apply complete" in result.out
    [entry] = _audit(project)
    assert entry["operator"].startswith("uid ")
    assert entry["outcome"] == "applied"


def test_an_audit_that_cannot_be_written_is_an_error_that_prints_the_record(
    project: Project,
) -> None:
    (project.root / "state" / "audit" / "test.jsonl").mkdir(parents=True)  # not a file
    project.write("w.yaml", "warehouses:\n  - {code: DC1, name: Central}\n")
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 1
    assert "Apply complete: 1 change(s)" in result.out  # the outcome is always reported
    assert "error: the audit record could not be written to" in result.err
    record = json.loads(result.err.strip().splitlines()[-1])
    assert record["outcome"] == "applied"
    assert [c["resource"] for c in record["applied"]] == ["warehouse DC1"]
    assert "Traceback" not in result.err
    assert project.odoo.read("stock.warehouse", [("code", "=", "DC1")], ["id"])


@pytest.fixture
def at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)


def test_an_edit_made_while_the_prompt_waits_stops_the_apply(
    project: Project, monkeypatch: pytest.MonkeyPatch, at_a_terminal: None
) -> None:
    project.write("w.yaml", "warehouses:\n  - {code: DC1, name: Central}\n")
    project.apply_ok()
    project.write("w.yaml", "warehouses:\n  - {code: DC1, name: Central DC}\n")
    [dc1] = project.odoo.read("stock.warehouse", [("code", "=", "DC1")], ["id"])

    def someone_edits_then_confirms(*_args: Any, **_kwargs: Any) -> bool:
        project.odoo.execute("stock.warehouse", "write", [dc1["id"]], {"name": "By hand"})
        return True

    monkeypatch.setattr(click, "confirm", someone_edits_then_confirms)
    result = project.run("apply", "-e", "test")
    assert result.code == 1
    assert "the instance changed while the plan waited for confirmation" in result.err
    assert '"By hand" → "Central DC"' in result.err  # the plan as it is now
    [row] = project.odoo.read("stock.warehouse", [("id", "=", dc1["id"])], ["name"])
    assert row["name"] == "By hand"  # nothing was applied


def test_a_confirmed_plan_is_applied_when_nothing_changed_meanwhile(
    project: Project, monkeypatch: pytest.MonkeyPatch, at_a_terminal: None
) -> None:
    project.write("w.yaml", "warehouses:\n  - {code: DC1, name: Central}\n")
    monkeypatch.setattr(click, "confirm", lambda *_args, **_kwargs: True)
    result = project.run("apply", "-e", "test")
    assert result.code == 0, result.err
    assert "Apply complete" in result.out
    project.converged()


@pytest.mark.emulator_only("injects a failure (fail_next)")
def test_an_adoption_whose_external_id_was_not_recorded_is_not_reported_done(
    project: Project,
) -> None:
    # WH's adoption writes nothing but its external id, after the batch's creates: when the
    # create fails, the adoption did not happen.
    project.write(
        "w.yaml", "warehouses:\n  - {code: WH, name: My Company}\n  - {code: DC1, name: Central}\n"
    )
    project.odoo.emulator.fail_next("stock.warehouse", "create")
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 1
    assert "failed (not done, as read back): warehouse WH" in result.err
    assert "failed (not done, as read back): warehouse DC1" in result.err
    assert "warehouse WH: adopted" not in result.err
    assert _audit(project)[0]["applied"] == []

"""Every class of failure gives a one-paragraph located message and a non-zero exit."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from odooconf.odoo.rpc import RpcGateway
from tests.integration.conftest import PASSWORD, PASSWORD_ENV, Project

WAREHOUSES = """\
warehouses:
  - {code: DC1, name: Central, reception_steps: three_steps}
  - {code: RW1, name: West, resupply_from: [DC1]}
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _no_traceback(text: str) -> None:
    assert "Traceback" not in text


def test_unreachable_server(project: Project) -> None:
    project.write("wh.yaml", WAREHOUSES)
    project.odoo.url = f"http://127.0.0.1:{_free_port()}"
    project.environment()
    err = project.refused()
    assert "cannot reach Odoo at http://127.0.0.1:" in err


def test_wrong_password(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project.write("wh.yaml", WAREHOUSES)
    monkeypatch.setenv(PASSWORD_ENV, "not-the-password")
    result = project.run("plan", "-e", "test")
    assert result.code == 1
    assert "was refused: wrong login or password" in result.err
    assert "not-the-password" not in result.err + result.out


def test_unknown_database(project: Project) -> None:
    project.write("wh.yaml", WAREHOUSES)
    env = project.root / "environments" / "test.yaml"
    env.write_text(
        env.read_text().replace(f"database: {project.odoo.database}", "database: nosuchdb")
    )
    err = project.refused()
    assert "database 'nosuchdb' does not exist" in err


def test_missing_password_variable(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project.write("wh.yaml", WAREHOUSES)
    monkeypatch.delenv(PASSWORD_ENV)
    err = project.refused()
    assert PASSWORD_ENV in err


def test_access_denied_for_a_read_only_user(project: Project) -> None:
    project.write("wh.yaml", "locations:\n  - {path: WH/Stock/Bulk}\n")
    project.odoo.add_readonly_user("viewer", PASSWORD)
    env = project.root / "environments" / "test.yaml"
    env.write_text(env.read_text().replace("login: admin", "login: viewer"))
    # The emulator lets the viewer read everything and refuses the create; a real Odoo already
    # refuses the reads of ir.model (Access Rights): the same one-paragraph refusal either way.
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 1
    assert "Odoo denied 'viewer' access for " in result.err
    _no_traceback(result.err)
    assert not project.odoo.read(
        "stock.location", [("complete_name", "=", "WH/Stock/Bulk")], ["id"]
    )


@pytest.mark.emulator_only("injects a failure (fail_next)")
def test_failure_mid_apply_reports_what_was_done(project: Project) -> None:
    project.write("wh.yaml", WAREHOUSES)
    project.odoo.emulator.fail_next(
        "stock.warehouse", "create", "odoo.exceptions.UserError", "Injected failure"
    )
    # DC1 (level 0) is created in the first batch; the injected failure hits it.
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 1
    assert "Injected failure" in result.err
    assert "failed (not done, as read back): warehouse DC1" in result.err
    assert "not attempted: warehouse RW1" in result.err
    audit = (project.root / "state" / "audit" / "test.jsonl").read_text().splitlines()
    entry = json.loads(audit[-1])
    assert entry["outcome"] == "failed"
    assert entry["not_attempted"] == ["warehouse RW1"]
    # A re-run converges: nothing was half-created.
    assert project.run("apply", "-e", "test", "--yes").code == 0
    assert project.run("plan", "-e", "test", "--detailed-exitcode").code == 0


@pytest.mark.emulator_only("injects a failure (fail_next)")
def test_failure_after_a_committed_batch(project: Project) -> None:
    project.write("wh.yaml", WAREHOUSES)
    project.odoo.emulator.fail_next("ir.model.data", "create")
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 1
    # The warehouse batch was committed before the external-id batch failed: the re-run adopts
    # DC1 by its code instead of duplicating it.
    plan = json.loads(project.run("plan", "-e", "test", "--format", "json").out)
    actions = {change["key"]: change["action"] for change in plan["changes"]}
    assert actions["DC1"] == "adopt"
    assert project.run("apply", "-e", "test", "--yes").code == 0
    codes: Any = project.odoo.execute("stock.warehouse", "search_read", [], ["code"])
    assert sorted(row["code"] for row in codes) == ["DC1", "RW1", "WH"]


def test_dangling_reference_is_a_located_plan_error(project: Project) -> None:
    project.write(
        "wh.yaml",
        """\
        warehouses:
          - code: RW1
            name: West
            resupply_from: [DC9]
        locations:
          - path: WH/Stok/Shelf
        """,
    )
    err = project.refused()
    assert "wh.yaml:4: warehouses[0] (RW1) › resupply_from: warehouse 'DC9'" in err
    assert (
        "location 'WH/Stok' is neither declared nor on the instance; did you mean 'WH/Stock'" in err
    )


def test_unknown_company_is_reported(project: Project) -> None:
    project.write("wh.yaml", "warehouses:\n  - {code: X1, name: X, company: No Such Co}\n")
    err = project.refused()
    assert "company 'No Such Co' (by name) is not on the instance" in err


def test_xmlid_reference_to_wrong_model(project: Project) -> None:
    project.write(
        "wh.yaml",
        "warehouses:\n"
        "  - {code: X1, name: X, resupply_from: [{xmlid: stock.stock_location_stock}]}\n",
    )
    err = project.refused()
    assert "external id 'stock.stock_location_stock' names a stock.location record" in err


def test_xmlid_reference_resolves(project: Project) -> None:
    project.write(
        "wh.yaml",
        "warehouses:\n  - {code: X1, name: X, resupply_from: [{xmlid: stock.warehouse0}]}\n",
    )
    assert project.run("apply", "-e", "test", "--yes").code == 0
    assert project.run("plan", "-e", "test", "--detailed-exitcode").code == 0


def test_namespace_that_is_an_installed_module_is_refused(project: Project) -> None:
    project.write("wh.yaml", WAREHOUSES)
    project.environment(xmlid_namespace="stock")
    err = project.refused()
    env = project.root / "environments" / "test.yaml"
    assert f"xmlid_namespace 'stock' (in {env}) is an installed Odoo module" in err


def test_odoo_constraint_error_is_reported_not_raised(project: Project) -> None:
    # Odoo refuses two warehouses with one name in a company; the blueprint cannot know.
    project.write("wh.yaml", "warehouses:\n  - {code: X1, name: My Company}\n")
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 1
    assert "The name of the warehouse must be unique per company!" in result.err
    _no_traceback(result.err)


def test_secret_never_appears_in_output_or_audit(example: Project) -> None:
    outputs = [
        example.run("validate"),
        example.run("plan", "-e", "test", "--format", "json"),
        example.run("plan", "-e", "test", "--format", "markdown"),
        example.run("apply", "-e", "test", "--yes"),
    ]
    assert all(result.code == 0 for result in outputs)
    text = "".join(result.out + result.err for result in outputs).encode()
    # The audit trail and the cache of loaded blueprints (binary).
    for path in Path(example.root / "state").rglob("*"):
        if path.is_file():
            text += path.read_bytes()
    assert PASSWORD.encode() not in text
    assert b"audit" in text  # the audit file was read
    assert list((example.root / "state" / "cache").glob("*"))  # and the cache


def test_interrupt_during_apply_reports_and_exits_130(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write("wh.yaml", WAREHOUSES)

    create = RpcGateway.create

    def interrupted(gateway: RpcGateway, model: str, values: list[dict[str, Any]]) -> list[int]:
        if model == "ir.config_parameter":  # odooconf's lock, taken before planning
            return create(gateway, model, values)
        raise KeyboardInterrupt

    monkeypatch.setattr(RpcGateway, "create", interrupted)
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 130
    assert "Apply stopped: interrupted" in result.err
    assert "not attempted: warehouse RW1" in result.err


@pytest.mark.emulator_only("removes a model (drop_model)")
def test_kind_whose_module_is_not_installed(project: Project) -> None:
    project.odoo.emulator.drop_model("stock.putaway.rule")
    project.write(
        "p.yaml",
        "putaway_rules:\n"
        f"  - {{location_in: WH/Stock, category: {project.odoo.facts.saleable},"
        " location_out: WH/Stock}\n",
    )
    err = project.refused()
    assert (
        f"this Odoo {project.odoo.version} instance cannot hold the blueprints: putaway_rules "
        "need model "
        "stock.putaway.rule (module 'stock' is not installed)" in err
    )
    # Blueprints that do not use the missing model still plan.
    project.write("p.yaml", "warehouses: [{code: X1, name: X}]\n")
    assert project.run("plan", "-e", "test").code == 0


def test_json_plan_reports_located_errors_on_stdout(project: Project) -> None:
    project.write("wh.yaml", "warehouses:\n  - {code: RW1, name: West, resupply_from: [DC9]}\n")
    result = project.run("plan", "-e", "test", "--format", "json")
    assert result.code == 1
    document = json.loads(result.out)
    assert document["odooconf_plan_version"] == 2
    [error] = document["errors"]
    assert (error["code"], error["line"], error["path"]) == (
        "OC-X001",
        2,
        "warehouses[0] (RW1) › resupply_from",
    )
    assert error["file"].endswith("wh.yaml")


@pytest.mark.parametrize("output", ["json", "markdown"])
def test_an_internal_error_still_prints_the_plan_s_error_envelope(
    project: Project, monkeypatch: pytest.MonkeyPatch, output: str
) -> None:
    """CI reads stdout: an error odooconf did not foresee (exit 3, traceback in a log) still
    gives it a document in its format, whose text is not escaped."""
    project.write("wh.yaml", WAREHOUSES)

    def crash(*_args: object) -> None:
        raise ValueError("Entrepôt 🏭 brisé")

    monkeypatch.setattr("odooconf.engine.pipeline.plan_environment", crash)
    result = project.run("plan", "-e", "test", "--format", output)
    assert result.code == 3
    assert "The traceback was written to" in result.err
    if output == "markdown":
        assert "Entrepôt 🏭 brisé" in result.out
        return
    [error] = json.loads(result.out)["errors"]
    assert error["code"] == "OC-E999"
    assert "internal error" in error["message"] and "Entrepôt 🏭 brisé" in result.out


def test_connection_errors_name_the_environment_file_and_variable(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write("wh.yaml", WAREHOUSES)
    monkeypatch.setenv(PASSWORD_ENV, "wrong")
    err = project.refused()
    assert f"environments/test.yaml; password from ${PASSWORD_ENV}]" in err

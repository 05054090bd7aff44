"""Contract: every JSON document odooconf prints (plan, validate, check, doctor, and their error
envelopes) matches its schema in ``schemas/``; ``--format github`` annotates the lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import jsonschema
import pytest
from click.testing import CliRunner

from odooconf.cli import cli
from tests.integration.conftest import REPO, Project
from tests.integration.test_pricelists import CHECKS, PRICELISTS, _widget

SCHEMAS = REPO / "schemas"


def conforms(text: str, schema: str) -> dict[str, Any]:
    """The document printed, checked against ``schemas/<schema>.schema.json``."""
    document: dict[str, Any] = json.loads(text)
    contract = json.loads((SCHEMAS / f"{schema}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(contract)
    jsonschema.validate(document, contract)
    return document


BROKEN = """\
warehouses:
  - {code: DC9, name: Central, recepton_steps: two_steps}
  - {code: TOOLONG, name: Too long}
"""


def test_validate_json_and_github(example: Project) -> None:
    valid = example.run("validate", "--format", "json")
    example.write("broken.yaml", BROKEN)
    invalid = example.run("validate", "-e", "test", "--format", "json")
    annotated = example.run("validate", "-e", "test", "--format", "github")

    assert valid.code == 0 and invalid.code == 1 and annotated.code == 1
    document = conforms(valid.out, "validate.v1")
    assert document["valid"] is True
    assert document["environments"][0]["resources"]["warehouse"] == 4
    errors = conforms(invalid.out, "validate.v1")["environments"][0]["errors"]
    assert {(Path(e["file"]).name, e["line"]) for e in errors} == {
        ("broken.yaml", 2),
        ("broken.yaml", 3),
    }
    lines = annotated.out.splitlines()
    assert len(lines) == 2
    broken = example.blueprints / "broken.yaml"
    assert lines[0].startswith(f"::error file={broken},line=2,title=odooconf test%3A OC-")
    assert "recepton_steps" in lines[0]


def test_plan_json_before_and_after_apply_and_its_error_envelope(example: Project) -> None:
    first = conforms(example.run("plan", "-e", "test", "--format", "json").out, "plan.v2")
    example.apply_ok()
    # A managed record that leaves the blueprints is a structured note (prune: never).
    (example.blueprints / "finance" / "journals.yaml").unlink()
    noted = example.run("plan", "-e", "test", "--format", "json")
    example.write("broken.yaml", BROKEN)
    failed = example.run("plan", "-e", "test", "--format", "json")

    assert first["summary"]["create"] > 0
    document = conforms(noted.out, "plan.v2")
    assert failed.code == 1
    assert conforms(failed.out, "plan.v2")["summary"] is None
    [note] = document["notes"]
    assert (note["code"], note["kind"], note["key"]) == ("left_alone", "journal", "IMP")


def test_plan_github_annotations(example: Project) -> None:
    result = example.run("plan", "-e", "test", "--format", "github")

    assert result.code == 0, result.err
    assert result.out.startswith("::notice title=odooconf plan test::Plan: ")


def test_check_json(project: Project) -> None:
    empty = project.run("check", "-e", "test", "--format", "json")
    project.write("pricelists.yaml", PRICELISTS)
    project.apply_ok()
    _widget(project.odoo)
    project.write("checks.yaml", CHECKS)
    held = project.run("check", "-e", "test", "--format", "json")
    plan = project.run("plan", "-e", "test", "--format", "json")

    assert empty.code == 1  # no blueprint at all: an error, in the document too
    [error] = conforms(empty.out, "check.v1")["errors"]
    assert error["code"] == "OC-L001"
    document = conforms(held.out, "check.v1")
    assert (document["held"], document["total"]) == (6, 6)
    assert {c["product"] for c in document["checks"]} == {"WIDGET", "GADGET"}
    assert len(conforms(plan.out, "plan.v2")["checks"]) == 6


def test_doctor_json_and_its_error_envelope(
    example: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    ready = example.run("doctor", "-e", "test", "--format", "json")
    monkeypatch.setenv("ODOOCONF_TEST_PASSWORD", "not-the-password-42")
    refused = example.run("doctor", "-e", "test", "--format", "json")

    document = conforms(ready.out, "doctor.v1")
    assert document["ready"] is (ready.code == 0)
    assert {f["status"] for f in document["findings"]} <= {"ok", "info", "FAIL"}
    assert refused.code == 1
    [error] = conforms(refused.out, "doctor.v1")["errors"]
    assert error["code"] == "OC-E100"
    assert "not-the-password-42" not in refused.out + refused.err


@pytest.mark.parametrize(("args", "env"), [((), {"NO_COLOR": "1"}), (("--no-color",), {})])
def test_no_colour_with_no_color_set_or_asked(
    example: Project, args: tuple[str, ...], env: dict[str, str]
) -> None:
    runner = CliRunner()
    base = ["--blueprints", str(example.blueprints), "--environments",
            str(example.root / "environments")]  # fmt: skip

    coloured = runner.invoke(cli, [*base, "plan", "-e", "test"], color=True)
    plain = runner.invoke(cli, [*args, *base, "plan", "-e", "test"], color=True, env=env)

    assert coloured.exit_code == 0 and plain.exit_code == 0, plain.output
    assert "\x1b[" in coloured.output
    assert "\x1b[" not in plain.output
    assert click.unstyle(coloured.output) == plain.output

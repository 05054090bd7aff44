"""One run reports every error it can find: a duplicate is found even when one of its copies
has a type error, so a second CI round is not needed to learn of it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from odooconf.cli import cli
from tests.unit.test_validate import validate, where

REPOSITORY = Path(__file__).resolve().parents[2]


def test_a_duplicate_is_reported_beside_the_type_error_of_one_copy() -> None:
    resources, diagnostics = validate(
        {
            "a.yaml": """\
            warehouses:
              - {code: DC1, name: Central, reception_steps: 7}
            pricelists:
              - {name: Wholesale, items: [{min_quantity: abc, percentage: 5}]}
            """,
            "b.yaml": """\
            pricelists:
              - {name: Wholesale, currency: USD}
              - {name: Retail}
            """,
        }
    )

    assert sorted((where(d), d.code) for d in diagnostics) == [
        (("a.yaml", 2), "OC-V010"),
        (("a.yaml", 4), "OC-V010"),
        (("b.yaml", 2), "OC-V020"),
    ]
    [duplicate] = [d for d in diagnostics if d.code == "OC-V020"]
    assert "pricelist Wholesale is declared twice (first at a.yaml:4" in duplicate.message
    # An item that failed is no resource: nothing is planned from it.
    assert sorted(str(r.address) for r in resources if r.kind == "pricelist") == [
        "pricelist Retail",
        "pricelist Wholesale",
    ]


def test_an_invalid_key_makes_no_duplicate() -> None:
    _resources, diagnostics = validate(
        {
            "a.yaml": """\
            warehouses:
              - {code: [DC1], name: Central}
              - {code: DC1, name: Central}
              - {code: DC2, name: [x]}
              - {code: DC3, name: Other}
            """,
        }
    )

    assert sorted((where(d), d.code) for d in diagnostics) == [
        (("a.yaml", 2), "OC-V010"),
        (("a.yaml", 4), "OC-V010"),
    ]


SOD = """\
roles:
  - {name: Buyer}
  - {name: Payer}
role_assignments:
  - {user: bob, roles: [Buyer, Payer]}
sod_policies:
  - {name: buy-pay, roles: [Buyer, Payer]}
"""


def _project(tmp_path: Path, blueprints: dict[str, str], environment: str = "") -> list[str]:
    """A project of these blueprint files and environment ``dev``: the global options aimed at
    it."""
    (tmp_path / "blueprints").mkdir()
    for name, text in blueprints.items():
        (tmp_path / "blueprints" / name).write_text(text)
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "dev.yaml").write_text(
        "odoo: {url: 'http://127.0.0.1:8169', database: demo, login: admin, "
        "password_env: ODOO_PASSWORD}\n" + environment
    )
    return [
        *("--blueprints", str(tmp_path / "blueprints")),
        *("--environments", str(tmp_path / "environments")),
    ]


def test_a_broken_sod_policy_is_reported_beside_a_type_error(tmp_path: Path) -> None:
    base = _project(
        tmp_path, {"security.yaml": SOD, "stock.yaml": "warehouses: [{code: DC1, name: [x]}]\n"}
    )

    result = CliRunner().invoke(cli, [*base, "validate", "--format", "json"])

    [environment] = json.loads(result.stdout)["environments"]
    assert sorted(error["code"] for error in environment["errors"]) == ["OC-V010", "OC-X090"]


def test_a_policy_lowered_to_a_warning_still_shows_in_validate(tmp_path: Path) -> None:
    base = _project(tmp_path, {"security.yaml": SOD}, "sod_warnings: [buy-pay]\n")
    runner = CliRunner()

    text = runner.invoke(cli, [*base, "validate"])
    document = runner.invoke(cli, [*base, "validate", "--format", "json"])
    annotated = runner.invoke(cli, [*base, "validate", "--format", "github"])

    assert (text.exit_code, document.exit_code, annotated.exit_code) == (0, 0, 0)
    assert text.stdout.startswith("environment dev: valid (")
    where = f"{tmp_path / 'blueprints' / 'security.yaml'}:5"
    assert text.stderr == (
        f"warning: {where}: role_assignments[0] (bob): user bob would hold Buyer and "
        f"Payer, which segregation-of-duties policy 'buy-pay' ({tmp_path / 'blueprints'}"
        f"/security.yaml:7) keeps apart; lowered to a warning by sod_warnings in "
        f"{tmp_path / 'environments' / 'dev.yaml'} [OC-X090]\n"
    )
    parsed = json.loads(document.stdout)
    schema = json.loads((REPOSITORY / "schemas" / "validate.v1.schema.json").read_text())
    jsonschema.validate(parsed, schema)
    [environment] = parsed["environments"]
    assert environment["valid"] is True
    assert [(w["code"], w["line"]) for w in environment["warnings"]] == [("OC-X090", 5)]
    assert annotated.stdout.startswith(f"::warning file={where.replace(':5', ',line=5')},")

"""Snapshot and drift (issue 20): two emulated instances configured alike, then changed by
hand on one; a snapshot of an instance; environments that point at a snapshot."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from odooconf.testing import Emulator, serve_emulator
from tests.integration.conftest import EMULATOR_DATABASE, PASSWORD, Odoo, Project

#: The schema every ``drift --format json`` document is checked against (schemas/).
DRIFT_SCHEMA = json.loads(
    (Path(__file__).parents[2] / "schemas" / "drift.v1.schema.json").read_text(encoding="utf-8")
)

#: Ids of the records created on the second instance start this far beyond the first's.
OFFSET = 1_000

PRICELISTS = """\
pricelists:
  - name: Wholesale
    items: [{min_quantity: 10, percentage: 5}]
  - name: Retail
locations:
  - {path: WH/Stock/Bulk}
  - {path: WH/Stock/Cold, barcode: COLD}
"""

ROLES = """\
roles:
  - name: OC Auditor
    access_rights:
      - {model: res.partner, read: true}
"""


def _second(project: Project, name: str) -> Iterator[Odoo]:
    """Another emulated instance of the same version, whose new records get other ids."""
    emulator = Emulator(
        database=EMULATOR_DATABASE, login="admin", password=PASSWORD, version=project.odoo.version
    )
    store = emulator.db.store
    for model in list(store.next_ids):
        store.next_ids[model] += OFFSET
    with serve_emulator(emulator, host="127.0.0.1", port=0) as server:
        env = project.root / "environments"
        text = (env / "test.yaml").read_text().replace(project.odoo.url, server.url)
        (env / f"{name}.yaml").write_text(text)
        yield Odoo(server.url, EMULATOR_DATABASE, _emulator=emulator)


@pytest.fixture
def pair(project: Project) -> Iterator[tuple[Project, Odoo]]:
    """Environment ``test`` and environment ``b`` on a second instance, both with the same
    blueprints applied: on ``b`` in another order (roles first, hand-made records between)."""
    yield from _pair(project)


def _pair(project: Project) -> Iterator[tuple[Project, Odoo]]:
    for other in _second(project, "b"):
        project.write("security/roles.yaml", ROLES)
        project.write("stock.yaml", PRICELISTS)
        assert project.run("apply", "-e", "test", "--yes").code == 0
        stock = project.blueprints / "stock.yaml"
        stock.rename(project.root / "stock.yaml")
        assert project.run("apply", "-e", "b", "--yes").code == 0  # roles first on b
        (project.root / "stock.yaml").rename(stock)
        assert project.run("apply", "-e", "b", "--yes").code == 0
        yield project, other


def _drift(project: Project, *args: str) -> tuple[int, dict[str, Any]]:
    """``drift --format json``: its exit code and document, which matches the schema."""
    result = project.run("drift", *args, "--format", "json", "--detailed-exitcode")
    assert result.code in (0, 2), result.out + result.err
    document = json.loads(result.out)
    jsonschema.validate(document, DRIFT_SCHEMA)
    return result.code, document


def _id_of(odoo: Odoo, model: str, domain: list[Any]) -> int:
    [row] = odoo.read(model, domain, ["id"])
    return int(row["id"])


@pytest.mark.emulator_only("serves a second instance")
def test_same_configuration_other_ids_and_order_is_no_drift(pair: tuple[Project, Odoo]) -> None:
    project, other = pair
    assert _id_of(other, "product.pricelist", [("name", "=", "Retail")]) > OFFSET
    code, document = _drift(project, "-e", "test", "-e", "b")
    assert (code, document["findings"], document["privileges"]) == (0, [], [])
    code, document = _drift(project, "-e", "test", "-e", "test")
    assert (code, document["findings"], document["privileges"]) == (0, [], [])


def _hand_edits(odoo: Odoo) -> None:
    """Production changed by hand, as in issue 20."""
    item = _id_of(odoo, "product.pricelist.item", [("pricelist_id.name", "=", "Wholesale")])
    odoo.execute("product.pricelist.item", "write", [item], {"percent_price": 7.0})
    odoo.execute("product.pricelist", "create", {"name": "Undeclared"})
    parent = _id_of(odoo, "stock.location", [("complete_name", "=", "WH/Stock")])
    odoo.execute("stock.location", "create", {"name": "Overflow", "location_id": parent})
    settings = odoo.group_id("base.group_system")
    odoo.execute("res.groups", "create", {"name": "Power Users", "implied_ids": [(4, settings)]})
    odoo.add_user("eve", "pw-eve-1", ["base.group_user", "base.group_system"])
    auditor = _id_of(odoo, "res.groups", [("name", "=", "OC Auditor")])
    [model] = odoo.read("ir.model", [("model", "=", "account.move")], ["id"])
    values = {"name": "by hand", "group_id": auditor, "model_id": model["id"]}
    values |= {f"perm_{p}": True for p in ("read", "write", "create", "unlink")}
    odoo.execute("ir.model.access", "create", values)


@pytest.mark.emulator_only("serves a second instance")
def test_hand_edits_are_all_reported_privileges_first(pair: tuple[Project, Odoo]) -> None:
    project, other = pair
    _hand_edits(other)
    code, document = _drift(project, "-e", "test", "-e", "b")
    assert code == 2
    found = {(f["kind"], f["key"], f["change"], tuple(f["fields"])) for f in document["findings"]}
    privileges = {(f["kind"], f["key"], f["change"]) for f in document["privileges"]}
    assert found == {
        ("pricelist_item", "Wholesale | all products | ≥ 10", "changed", ("percent_price",)),
        ("pricelist", "Undeclared", "only_right", ()),
        ("location", "WH/Stock/Overflow", "only_right", ()),
    }
    assert privileges == {
        ("role", "Power Users", "only_right"),
        ("role_assignment", "eve", "only_right"),
        ("access_right", "OC Auditor | account.move", "only_right"),
    }
    text = project.run("drift", "-e", "test", "-e", "b").out
    assert text.index("Privileges") < text.index("Differences")


def _snapshot_environment(project: Project, name: str, snapshot: Path) -> None:
    """Environment ``name``: the blueprints of ``test`` planned against a snapshot file."""
    env = project.root / "environments"
    lines = [f"snapshot: {snapshot}", "variables: {company: My Company}"]
    (env / f"{name}.yaml").write_text("\n".join(lines) + "\n")


def test_snapshot_records_the_configuration_without_ids_or_secrets(project: Project) -> None:
    project.write("stock.yaml", PRICELISTS)
    project.apply_ok()
    path = project.root / "evidence" / "snap.json"
    result = project.run("snapshot", "-e", "test", "-o", str(path))
    assert result.code == 0, result.err
    text = path.read_text()
    document = json.loads(text)
    assert PASSWORD not in text
    assert document["odoo"]["version"] == project.odoo.version
    assert document["taken"]["by"] == "admin"
    assert "T" in document["taken"]["at"]
    assert document["fields"]["stock.location"]["usage"]["type"] == "selection"
    locations = document["configuration"]["location"]
    assert locations["WH/Stock/Cold"]["values"]["barcode"] == "COLD"
    assert locations["WH/Stock/Cold"]["values"]["parent"] == "WH/Stock"
    assert locations["WH/Stock/Cold"]["xmlid"].startswith("location_")

    def ids(value: Any) -> list[Any]:
        if isinstance(value, dict):
            return [k for k in value if k == "id"] + [i for v in value.values() for i in ids(v)]
        return [i for v in value for i in ids(v)] if isinstance(value, list) else []

    assert ids(document) == []
    again = project.root / "again.json"
    assert project.run("snapshot", "-e", "test", "-o", str(again)).code == 0
    strip = {**json.loads(again.read_text()), "taken": document["taken"]}
    assert strip == document  # the same instance, the same snapshot


def test_a_snapshot_environment_works_offline(project: Project) -> None:
    project.write("stock.yaml", PRICELISTS)
    project.write("security/roles.yaml", ROLES)
    project.apply_ok()
    path = project.root / "snap.json"
    assert project.run("snapshot", "-e", "test", "-o", str(path)).code == 0
    _snapshot_environment(project, "evidence", path)
    project.odoo.reset_calls()
    assert project.run("validate", "-e", "evidence").code == 0
    result = project.run("plan", "-e", "evidence", "--detailed-exitcode")
    assert result.code == 0, result.out + result.err
    assert project.odoo.calls == []  # validate and plan asked nothing of any server
    code, document = _drift(project, "-e", "test", "-e", "evidence")
    assert (code, document["findings"], document["privileges"]) == (0, [], [])
    project.odoo.reset_calls()
    code, _document = _drift(project, "-e", "evidence", "-e", "evidence")
    assert code == 0
    assert project.odoo.calls == []  # nothing asked of any server
    refused = project.run("apply", "-e", "evidence", "--yes")
    assert refused.code == 1 and "snapshot" in refused.err and "Traceback" not in refused.err


def test_plan_against_a_snapshot_sees_what_changed_since(project: Project) -> None:
    project.write("stock.yaml", PRICELISTS)
    project.apply_ok()
    path = project.root / "snap.json"
    assert project.run("snapshot", "-e", "test", "-o", str(path)).code == 0
    _snapshot_environment(project, "evidence", path)
    project.write("stock.yaml", PRICELISTS.replace("percentage: 5", "percentage: 6"))
    result = project.run("plan", "-e", "evidence", "--detailed-exitcode")
    assert result.code == 2, result.out + result.err
    assert "percent" in result.out


def test_one_environment_against_its_blueprints(project: Project) -> None:
    project.write("security/roles.yaml", ROLES)
    project.write("stock.yaml", PRICELISTS)
    project.apply_ok()
    _hand_edits(project.odoo)
    code, document = _drift(project, "-e", "test")
    assert code == 2
    privileges = {(f["kind"], f["key"]) for f in document["privileges"]}
    assert privileges == {
        ("role", "Power Users"),  # implies Settings
        ("role_assignment", "eve"),  # holds Settings, which no declared role gives
        ("access_right", "OC Auditor | account.move"),  # on a managed role
    }
    found = {(f["kind"], f["key"], f["change"]) for f in document["findings"]}
    assert {
        ("pricelist_item", "Wholesale | all products | ≥ 10", "changed"),
        ("pricelist", "Undeclared", "only_right"),
        ("location", "WH/Stock/Overflow", "only_right"),
    } <= found
    # What Odoo generated for the warehouse is left out, and shown with --strict.
    assert ("location", "WH/Stock", "only_right") not in found
    assert any(line.startswith("location: 2 declared") for line in document["coverage"])
    _code, strict = _drift(project, "-e", "test", "--strict", "--kind", "locations")
    assert ("location", "WH/Stock") in {(f["kind"], f["key"]) for f in strict["findings"]}
    assert {f["kind"] for f in strict["findings"]} == {"location"}


@pytest.mark.emulator_only("serves a second instance")
def test_ignores_and_expected_differences_are_counted(pair: tuple[Project, Odoo]) -> None:
    project, other = pair
    _hand_edits(other)
    ignore = project.root / "drift.ignore"
    ignore.write_text("location:WH/Stock/*\npricelist:*\n!pricelist:Undeclared\n")
    code, document = _drift(project, "-e", "test", "-e", "b", "--ignore-file", str(ignore))
    kinds = {f["kind"] for f in document["findings"]}
    assert "location" not in kinds and "pricelist" in kinds
    assert document["ignored"] == 1
    text = project.run("drift", "-e", "test", "-e", "b", "--ignore-file", str(ignore)).out
    assert "1 ignored" in text
    b = project.root / "environments" / "b.yaml"
    b.write_text(b.read_text() + "expected_differences: ['pricelist_item:*.percent_price']\n")
    document = _drift(project, "-e", "test", "-e", "b", "--ignore-file", str(ignore))[1]
    assert (document["ignored"], document["expected"]) == (1, 1)
    assert "pricelist_item" not in {f["kind"] for f in document["findings"]}
    baseline = project.root / "baseline.ignore"
    assert project.run("drift", "-e", "test", "-e", "b", "--ignore-file", str(baseline),
                       "--write-ignore").code == 0  # fmt: skip
    code, document = _drift(project, "-e", "test", "-e", "b", "--ignore-file", str(baseline))
    assert (code, document["findings"], document["privileges"]) == (0, [], [])
    assert (document["ignored"], document["expected"]) == (5, 1)


@pytest.mark.emulator_only("serves a second instance")
def test_findings_have_stable_ids(pair: tuple[Project, Odoo]) -> None:
    project, other = pair
    _hand_edits(other)
    first = _drift(project, "-e", "test", "-e", "b")[1]
    second = _drift(project, "-e", "test", "-e", "b")[1]
    ids = [f["id"] for f in first["privileges"] + first["findings"]]
    assert len(set(ids)) == len(ids) == 6
    assert ids == [f["id"] for f in second["privileges"] + second["findings"]]

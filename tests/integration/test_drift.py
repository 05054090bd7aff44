"""Snapshot and drift (issue 20): two emulated instances configured alike, then changed by
hand on one; a snapshot of an instance; environments that point at a snapshot."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from odooconf.testing import Emulator, serve_emulator
from tests.integration.conftest import EMULATOR_DATABASE, PASSWORD, Odoo, Project

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
    result = project.run("drift", *args, "--format", "json", "--detailed-exitcode")
    assert result.code in (0, 2), result.out + result.err
    return result.code, json.loads(result.out)


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

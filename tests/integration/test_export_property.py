"""Export round trip, property-style (issue 20): hypothesis draws configurations (warehouses,
locations, pricelists with items, roles with access rights, accounts), they are applied and
their external ids removed (what a team configured by hand), then the instance is exported
and the export planned against it: nothing to change.

Every example adds its own records (names carry the example's number) to the same instance,
so later exports also carry the earlier examples' records.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.integration.conftest import Project
from tests.integration.test_export import _export, _round_trip

#: Examples per run: each applies, exports, validates and plans (about 2 s on the emulator).
EXAMPLES = 20
NAMESPACE = "drawn"
#: The field that keys a record of each section (``name`` otherwise).
KEYS = {"warehouses": "code", "locations": "path", "accounts": "code"}

_WORDS = st.sampled_from(
    ["North", "Bulk", "Cold", "Dock 2", "Key", "Staff", "Retail", "Spare", "Zone-B", "Ünïcode",
     "O'Brien", "A & B", "50%", "x"]
)  # fmt: skip
_NAME = st.lists(_WORDS, min_size=1, max_size=3).map(" ".join)
_MONEY = st.sampled_from([0.0, 0.5, 1.0, 9.99, 12.5, 100.0, 1234.56])
_PERCENT = st.sampled_from([0.0, 2.0, 5.0, 12.5, 33.33, -10.0, 100.0])
_RIGHT_MODELS = ("res.partner", "product.template", "stock.picking", "account.move", "uom.uom")
_ACCOUNT_TYPES = ("asset_current", "expense", "income", "liability_current", "equity")


@st.composite
def _warehouse(draw: st.DrawFn, n: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A warehouse and locations under its stock (nested, some archived, some with a
    barcode)."""
    code = f"P{n}"
    warehouse = {
        "code": code,
        "name": f"{draw(_NAME)} {n}",
        "reception_steps": draw(st.sampled_from(["one_step", "two_steps", "three_steps"])),
        "delivery_steps": draw(st.sampled_from(["ship_only", "pick_ship", "pick_pack_ship"])),
    }
    locations: list[dict[str, Any]] = []
    parents = [f"{code}/Stock"]
    for index in range(draw(st.integers(0, 4))):
        parent = draw(st.sampled_from(parents))
        location: dict[str, Any] = {"path": f"{parent}/{draw(_NAME)} {index}"}
        if draw(st.booleans()):
            location["barcode"] = f"{code}-L{index}"
        if draw(st.booleans()):
            location["active"] = False
        else:
            parents.append(location["path"])
        locations.append(location)
    return warehouse, locations


@st.composite
def _item(draw: st.DrawFn, top: str) -> dict[str, Any]:
    item: dict[str, Any] = {"min_quantity": draw(st.sampled_from([0, 1, 10, 100]))}
    if draw(st.booleans()):
        item["category"] = top
    if draw(st.booleans()):
        item["fixed_price"] = draw(_MONEY)
    else:
        item["percentage"] = draw(_PERCENT)
    if draw(st.booleans()):
        item |= {"start": "2026-01-01", "end": draw(st.sampled_from(["2026-06-30", "2027-12-31"]))}
    return item


@st.composite
def _pricelist(draw: st.DrawFn, n: int, top: str) -> dict[str, Any]:
    items = draw(
        st.lists(
            _item(top),
            max_size=4,
            unique_by=lambda i: (i.get("category"), i["min_quantity"], i.get("end")),
        )
    )
    pricelist: dict[str, Any] = {"name": f"{draw(_NAME)} {n}", "items": items}
    if draw(st.booleans()):
        pricelist["active"] = False
    return pricelist


@st.composite
def _role(draw: st.DrawFn, n: int) -> dict[str, Any]:
    role: dict[str, Any] = {"name": f"Drawn {draw(_NAME)} {n}"}
    if draw(st.booleans()):
        role["comment"] = draw(_NAME)
    if draw(st.booleans()):
        role["implied"] = [{"xmlid": "base.group_user"}]
    models = draw(st.lists(st.sampled_from(_RIGHT_MODELS), max_size=3, unique=True))
    rights = []
    for model in models:
        perms = draw(st.fixed_dictionaries({p: st.booleans() for p in ("write", "create")}))
        rights.append({"model": model, "read": True, **{p: v for p, v in perms.items() if v}})
    if rights:
        role["access_rights"] = rights
    return role


@st.composite
def _account(draw: st.DrawFn, n: int, index: int) -> dict[str, Any]:
    kind = draw(st.sampled_from(_ACCOUNT_TYPES))
    account: dict[str, Any] = {"code": f"98{n:02d}{index:02d}", "name": draw(_NAME), "type": kind}
    if draw(st.booleans()):
        account["reconcile"] = True
    return account


@st.composite
def _configuration(draw: st.DrawFn, n: int, top: str) -> dict[str, Any]:
    """The blueprint of example ``n``: each section present or not."""
    config: dict[str, Any] = {}
    if draw(st.booleans()):
        warehouse, locations = draw(_warehouse(n))
        config["warehouses"] = [warehouse]
        if locations:
            config["locations"] = locations
    if draw(st.booleans()):
        config["pricelists"] = [draw(_pricelist(n, top))]
    if draw(st.booleans()):
        config["roles"] = [draw(_role(n))]
    accounts = draw(st.integers(0, 2))
    if accounts:
        config["accounts"] = [draw(_account(n, index)) for index in range(accounts)]
    return config


def test_drawn_configurations_round_trip(project: Project, tmp_path: Path) -> None:
    env = project.root / "environments"
    (env / "hand.yaml").write_text(
        (env / "test.yaml").read_text() + f"xmlid_namespace: {NAMESPACE}\n"
    )
    counter = itertools.count()
    sections: set[str] = set()
    top = project.odoo.facts.top

    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
        phases=[Phase.generate], suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    @given(st.data())
    def round_trip(data: st.DataObject) -> None:
        n = next(counter)
        config = data.draw(_configuration(n, top), label="blueprint")
        sections.update(config)
        drawn = tmp_path / f"drawn{n}"
        drawn.mkdir()
        (drawn / "drawn.yaml").write_text(yaml.safe_dump(config, allow_unicode=True))
        result = project.run("--blueprints", str(drawn), "apply", "-e", "hand", "--yes")
        assert result.code == 0, result.out + result.err
        ids = project.odoo.read("ir.model.data", [("module", "=", NAMESPACE)], ["id"])
        project.odoo.execute("ir.model.data", "unlink", [row["id"] for row in ids])
        out = tmp_path / f"exported{n}"
        _export(project, out)
        adopted = _round_trip(project, out)
        for section in config:  # each drawn record is exported (and adopted by the plan)
            for record in config[section]:
                key = str(record.get(KEYS.get(section, "name")))
                assert any(key in k for k in adopted), f"{section} {key} not adopted: {adopted}"

    round_trip()
    assert sections == {"warehouses", "locations", "pricelists", "roles", "accounts"}

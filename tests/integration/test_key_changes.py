"""A changed key without ``id:`` creates a record and orphans the old one: the plan says so.

Journal items stay on the old account and customers on the old pricelist, so a plan that creates
a record while it archives, releases, deletes or leaves alone one of the same kind whose other
values match warns that this looks like a key change, and gives the ``id:`` that keeps the
record.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration.conftest import Project

PROMO = "pricelists:\n  - {{name: {name}, currency: USD{id}}}\n"
ACCOUNT = "accounts:\n  - {{code: '{code}', name: OC Rent, type: expense{id}}}\n"
WAREHOUSE = (
    "warehouses:\n  - {{code: {code}, name: OC Depot{id}, locations: [Stock/Bulk]}}\n"
    "operation_types:\n  - {{warehouse: {code}, sequence_code: PICK, reservation_method: manual}}\n"
)

CASES = [
    # (file, template, old key, new key, the id that keeps the record, prune)
    ("p.yaml", PROMO, {"name": "Promo"}, {"name": "Promo 2026"}, "pricelist_promo", "never"),
    ("a.yaml", ACCOUNT, {"code": "612000"}, {"code": "612001"}, "account_612000", "archive"),
    ("w.yaml", WAREHOUSE, {"code": "DC9"}, {"code": "DC8"}, "warehouse_dc9", "archive"),
]


def _plan(project: Project) -> dict[str, Any]:
    result = project.run("plan", "-e", "test", "--format", "json")
    document: dict[str, Any] = json.loads(result.out)
    return document


@pytest.mark.parametrize(
    ("name", "template", "old", "new", "xmlid_name", "prune"),
    CASES,
    ids=["pricelist", "account", "warehouse"],
)
def test_a_key_change_without_id_is_named_with_the_id_that_keeps_the_record(
    project: Project,
    name: str,
    template: str,
    old: dict[str, str],
    new: dict[str, str],
    xmlid_name: str,
    prune: str,
) -> None:
    project.environment(prune=prune)
    project.write(name, template.format(**old, id=""))
    project.apply_ok()
    project.write(name, template.format(**new, id=""))

    plan = _plan(project)
    [warning] = [w for w in plan["warnings"] if w["code"] == "key_change"]
    kind = next(c["kind"] for c in plan["changes"] if c["action"] == "create")
    old_key, new_key = next(iter(old.values())), next(iter(new.values()))
    assert warning["subjects"] == [f"{kind} {new_key}", f"{kind} {old_key}"]
    assert "looks like a key change" in warning["message"]
    assert f"id: {xmlid_name}" in warning["message"]
    assert f"{name}:" in warning["source"]
    text = project.run("plan", "-e", "test").out
    assert f"id: {xmlid_name}" in text
    markdown = project.run("plan", "-e", "test", "--format", "markdown").out
    assert f"id: {xmlid_name}" in markdown

    # Given that id, the record itself changes key: nothing is created, archived or released.
    project.write(name, template.format(**new, id=f", id: {xmlid_name}"))
    plan = _plan(project)
    actions = {c["action"] for c in plan["changes"]}
    assert actions <= {"noop", "update", "adopt"}, plan["changes"]
    assert "key_change" not in {w["code"] for w in plan["warnings"]}
    project.apply_ok()
    project.converged()


def test_a_create_whose_other_values_differ_is_no_key_change(project: Project) -> None:
    project.write("a.yaml", ACCOUNT.format(code="612000", id=""))
    project.apply_ok()
    project.write("a.yaml", ACCOUNT.format(code="612001", id="").replace("OC Rent", "OC Lease"))
    assert "key_change" not in {w["code"] for w in _plan(project)["warnings"]}


def test_a_pricelist_item_whose_key_changes_is_named_with_its_id(project: Project) -> None:
    text = "pricelists:\n  - name: OC Bulk\n    items: [{{min_quantity: {q}, percentage: 7}}]\n"
    project.write("p.yaml", text.format(q=10))
    project.apply_ok()
    project.write("p.yaml", text.format(q=20))
    plan = _plan(project)
    assert {c["action"] for c in plan["changes"]} >= {"create", "delete"}
    [warning] = [w for w in plan["warnings"] if w["code"] == "key_change"]
    assert "id: pricelist_item_oc_bulk_all_products_10" in warning["message"]
    project.write(
        "p.yaml",
        text.format(q="20, id: pricelist_item_oc_bulk_all_products_10"),
    )
    assert [(c["action"], c["fields"]) for c in _plan(project)["changes"]] == [
        ("noop", []),
        ("update", [{"field": "min_quantity", "old": 10.0, "new": 20.0}]),
    ]
    project.apply_ok()
    project.converged()


def test_records_whose_keys_contain_the_changed_key_are_not_named_again(project: Project) -> None:
    text = "locations:\n" + "".join(
        f"  - {{{{path: WH/Stock/{path}}}}}\n" for path in ("{zone}", "{zone}/A", "{zone}/B")
    )
    project.write("l.yaml", text.format(zone="Zone"))
    project.apply_ok()
    project.write("l.yaml", text.format(zone="Zone 2"))
    [warning] = [w for w in _plan(project)["warnings"] if w["code"] == "key_change"]
    assert warning["subjects"] == ["location WH/Stock/Zone 2", "location WH/Stock/Zone"]
    assert "id: location_wh_stock_zone" in warning["message"]

    # With that id, the zone is renamed and its sublocations follow it.
    project.write(
        "l.yaml",
        text.format(zone="Zone 2").replace("Zone 2}", "Zone 2, id: location_wh_stock_zone}", 1),
    )
    assert {c["action"] for c in _plan(project)["changes"]} <= {"noop", "update", "adopt"}
    project.apply_ok()
    project.converged()

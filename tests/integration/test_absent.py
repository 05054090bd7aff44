"""Items that say ``state: absent``: the record they name is archived (or deleted where its
model has no ``active``), whoever made it; a no-op when there is none; never referenced."""

from __future__ import annotations

import json
from typing import Any

from tests.integration.conftest import Project


def _pending(project: Project) -> list[tuple[str, str, str]]:
    data = json.loads(project.run("plan", "-e", "test", "--format", "json").out)
    return [(c["action"], c["kind"], c["key"]) for c in data["changes"] if c["action"] != "noop"]


def _location(project: Project, name: str) -> dict[str, Any]:
    rows = project.odoo.execute(
        "stock.location", "search_read", [("name", "=", name)], ["active"],
        context={"active_test": False},
    )  # fmt: skip
    assert isinstance(rows, list) and len(rows) == 1
    return dict(rows[0])


def test_an_absent_item_archives_the_record_odooconf_created(project: Project) -> None:
    project.write("l.yaml", "locations:\n  - {path: WH/Stock/Old}\n  - {path: WH/Stock/Keep}\n")
    project.apply_ok()
    project.write(
        "l.yaml", "locations:\n  - {path: WH/Stock/Old, state: absent}\n  - {path: WH/Stock/Keep}\n"
    )
    plan = project.run("plan", "-e", "test", "--detailed-exitcode")
    assert plan.code == 2
    assert "- location WH/Stock/Old" in plan.out
    assert "absent: archive #" in plan.out
    assert "state: absent in the blueprints; odooconf created it" in plan.out
    project.apply_ok()
    assert _location(project, "Old")["active"] is False
    assert _location(project, "Keep")["active"] is True
    converged = project.run("plan", "-e", "test", "--detailed-exitcode")
    assert converged.code == 0, converged.out
    assert "location WH/Stock/Old is state: absent: #" in converged.out  # archived already


def test_an_absent_item_names_a_record_odooconf_does_not_manage(project: Project) -> None:
    stock = project.odoo.read("stock.location", [("complete_name", "=", "WH/Stock")], ["id"])
    hand = {"name": "Hand", "location_id": stock[0]["id"]}
    project.odoo.execute("stock.location", "create", hand)
    project.write("l.yaml", "locations:\n  - {path: WH/Stock/Hand, state: absent}\n")
    assert _pending(project) == [("archive", "location", "WH/Stock/Hand")]
    project.apply_ok()
    assert _location(project, "Hand")["active"] is False
    project.converged()


def test_an_absent_item_deletes_where_the_model_has_no_active(project: Project) -> None:
    project.write("g.yaml", "account_groups:\n  - {prefix_start: 97, name: Spare}\n")
    project.apply_ok()
    project.write("g.yaml", "account_groups:\n  - {prefix_start: 97, name: Spare, state: absent}\n")
    plan = project.run("plan", "-e", "test")
    assert "x account_group 97" in plan.out
    project.apply_ok()
    assert project.odoo.read("account.group", [("name", "=", "Spare")], ["id"]) == []
    project.converged()


def test_an_absent_item_that_matches_nothing_is_a_noop_with_a_note(project: Project) -> None:
    project.write("l.yaml", "locations:\n  - {path: WH/Stock/Never, state: absent}\n")
    plan = project.run("plan", "-e", "test", "--detailed-exitcode")
    assert plan.code == 0, plan.out + plan.err
    assert (
        "location WH/Stock/Never is state: absent: no such record on the instance: nothing to "
        "remove" in plan.out
    )
    data = json.loads(project.run("plan", "-e", "test", "--format", "json").out)
    assert [n["code"] for n in data["notes"]] == ["absent"]


def test_a_reference_to_an_absent_item_is_an_error(project: Project) -> None:
    project.write("l.yaml", "locations:\n  - {path: WH/Stock/Bulk}\n")
    project.apply_ok()
    top = project.odoo.facts.top
    project.write(
        "l.yaml",
        f"""\
        locations:
          - {{path: WH/Stock/Bulk, state: absent}}
        putaway_rules:
          - {{location_in: WH/Stock, category: {top}, location_out: WH/Stock/Bulk}}
        """,
    )
    err = project.refused()
    assert "l.yaml:4: putaway_rules[0]" in err
    assert "references location WH/Stock/Bulk, which is declared state: absent" in err


def test_a_kind_odooconf_never_removes_cannot_be_absent(project: Project) -> None:
    project.write("r.yaml", "roles:\n  - name: Buyer\n    state: absent\n")
    result = project.run("validate")
    assert result.code == 1
    assert "r.yaml:3: roles[0] (Buyer) › state: odooconf never archives or deletes a role" in (
        result.err
    )

"""Several live records with the key of one declared resource: the plan names them all and stops.

Three applies at once of one blueprint left every new location twice on a real Odoo 18, one of
each pair with odooconf's external id: plan found its own and said "No changes". The twins are
made here through the external API, as a concurrent apply or a person would.
"""

from __future__ import annotations

import json

from tests.integration.conftest import Odoo, Project

LOCATIONS = "locations:\n  - {path: WH/Stock/Twin}\n  - {path: WH/Stock/Single}\n"


def _location(odoo: Odoo, path: str) -> dict[str, object]:
    [row] = odoo.read("stock.location", [("complete_name", "=", path)], ["id", "location_id"])
    return row


def test_a_managed_location_with_a_live_twin_is_a_plan_error_naming_both(
    project: Project,
) -> None:
    odoo = project.odoo
    project.write("locations.yaml", LOCATIONS)
    project.apply_ok()
    mine = _location(odoo, "WH/Stock/Twin")
    parent = mine["location_id"]
    assert isinstance(parent, list)
    twin = odoo.execute("stock.location", "create", {"name": "Twin", "location_id": parent[0]})

    err = project.refused()
    assert "locations.yaml:2: locations[0] (WH/Stock/Twin): 2 stock.location records" in err
    assert f"#{mine['id']} (odooconf.location_wh_stock_twin, the one odooconf manages)" in err
    assert f"#{twin}" in err
    assert "archive or merge the others by hand" in err
    assert "Single" not in err  # only the key several records share

    # Never "No changes": --detailed-exitcode fails, and apply writes nothing.
    detailed = project.run("plan", "-e", "test", "--detailed-exitcode")
    assert detailed.code == 1
    assert "No changes" not in detailed.out + detailed.err
    odoo.reset_calls()
    applied = project.run("apply", "-e", "test", "--yes")
    assert applied.code == 1
    assert [m for _model, m in odoo.object_calls() if m in ("create", "write")] == []
    document = json.loads(project.run("plan", "-e", "test", "--format", "json").out)
    [error] = document["errors"]
    assert error["code"] == "OC-X006"
    assert f"#{twin}" in error["message"]

    # Resolved as the message says: the twin archived by hand, the plan converges.
    odoo.execute("stock.location", "write", [twin], {"active": False})
    project.converged()


def test_a_twin_of_a_record_that_cannot_be_archived_is_to_delete(project: Project) -> None:
    odoo = project.odoo
    project.write("security/roles.yaml", "roles:\n  - {name: OC Twin, comment: one}\n")
    project.apply_ok()
    [mine] = odoo.read("res.groups", [("name", "=", "OC Twin")], ["id"])
    twin = odoo.execute("res.groups", "create", {"name": "OC Twin"})

    err = project.refused()
    assert "2 res.groups records have the key 'OC Twin'" in err
    assert f"#{mine['id']} (odooconf.role_oc_twin, the one odooconf manages) and #{twin}" in err
    assert "delete the others by hand, or change their key" in err


def test_archived_twins_and_twins_in_another_scope_are_not_duplicates(project: Project) -> None:
    odoo = project.odoo
    project.write("pricelists.yaml", "pricelists:\n  - {name: OC Promo, currency: USD}\n")
    project.apply_ok()
    # An archived twin is not live, and another company's pricelist is another key's record.
    twin = odoo.execute("product.pricelist", "create", {"name": "OC Promo"})
    odoo.execute("product.pricelist", "write", [twin], {"active": False})
    other = odoo.execute("res.company", "create", {"name": "OC Other Co"})
    odoo.execute("product.pricelist", "create", {"name": "OC Promo", "company_id": other})
    project.converged()

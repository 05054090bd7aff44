"""The plan says, before any write, when Odoo will refuse the login a setting it switches itself.

A company's second warehouse makes Odoo give every internal user multi-warehouse and storage
locations, which only Administration/Settings may do: an Inventory administrator with Access
Rights (what odooconf otherwise needs) is refused at the first warehouse create.
"""

from __future__ import annotations

from odooconf.kinds.warehouse import MULTI_WAREHOUSE_GROUPS
from tests.integration.conftest import PASSWORD, Project

DEPLOY_GROUPS = ("base.group_user", "stock.group_stock_manager", "base.group_erp_manager")
NEW_WAREHOUSE = "warehouses:\n  - {code: DC1, name: Central}\n"


def _as_inventory_administrator(project: Project) -> None:
    """Make the environment log in as an Inventory administrator with Access Rights."""
    project.odoo.add_user("deploy", PASSWORD, list(DEPLOY_GROUPS))
    project.login_as("deploy")


def test_a_second_warehouse_without_settings_rights_is_a_plan_error(project: Project) -> None:
    _as_inventory_administrator(project)
    project.write("w.yaml", NEW_WAREHOUSE)
    result = project.run("plan", "-e", "test")
    assert result.code == 1
    assert result.out == ""
    assert f"{project.blueprints / 'w.yaml'}:2: warehouses[0] (DC1): create warehouse DC1 " in (
        result.err
    )
    assert (
        "makes Odoo switch on stock.group_stock_multi_warehouses and "
        "stock.group_stock_multi_locations for every internal user (base.group_user), which "
        "only Administration/Settings (base.group_system) may do, and 'deploy' lacks it"
    ) in result.err
    assert "[OC-X070]" in result.err
    apply = project.run("apply", "-e", "test", "--yes")
    assert apply.code == 1
    assert "nothing was changed in Odoo" in apply.err
    assert not project.odoo.read("stock.warehouse", [("code", "=", "DC1")], ["id"])


def test_once_multi_warehouse_is_on_an_inventory_administrator_applies(project: Project) -> None:
    user = project.odoo.group_id("base.group_user")
    implied = [project.odoo.group_id(xmlid) for xmlid in MULTI_WAREHOUSE_GROUPS]
    project.odoo.execute("res.groups", "write", [user], {"implied_ids": [(4, g) for g in implied]})
    _as_inventory_administrator(project)
    project.write("w.yaml", NEW_WAREHOUSE)
    project.apply_ok()
    project.converged()


def test_plans_that_switch_nothing_read_nothing_more(project: Project) -> None:
    project.write("w.yaml", "warehouses:\n  - {code: WH, name: Main}\n")
    project.odoo.reset_calls()
    assert project.run("plan", "-e", "test").code == 0
    reads = [model for model, _method in project.odoo.object_calls()]
    assert "res.groups" not in reads
    project.write("w.yaml", NEW_WAREHOUSE)
    project.odoo.reset_calls()
    assert project.run("plan", "-e", "test").code == 0
    reads = [model for model, _method in project.odoo.object_calls()]
    assert reads.count("res.groups") == 1

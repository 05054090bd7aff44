"""A plan reads what the declared kinds and their references need, nothing more."""

from __future__ import annotations

from tests.integration.conftest import Project

WAREHOUSES = "warehouses:\n  - {code: DC1, name: Central}\n"


def _read_models(project: Project) -> set[str]:
    project.odoo.reset_calls()
    result = project.run("plan", "-e", "test")
    assert result.code == 0, result.err
    return {str(model) for model, method in project.odoo.object_calls() if method == "search_read"}


def test_a_warehouse_plan_reads_no_category_putaway_or_reordering_rule(project: Project) -> None:
    project.write("w.yaml", WAREHOUSES)
    models = _read_models(project)
    # The warehouse, what Odoo changes when it is written, and what their keys name.
    assert {"stock.warehouse", "stock.location", "stock.picking.type", "stock.route",
            "stock.rule"} <= models  # fmt: skip
    assert not models & {"product.category", "stock.putaway.rule", "stock.warehouse.orderpoint"}
    assert "account.account" not in models


def test_managed_records_of_an_undeclared_kind_are_still_read(project: Project) -> None:
    top = project.odoo.facts.top
    project.write("c.yaml", f"product_categories:\n  - {{path: {top} / Bulk}}\n")
    project.apply_ok()
    project.write("c.yaml", WAREHOUSES)  # the category leaves the blueprints
    models = _read_models(project)
    assert "product.category" in models
    result = project.run("plan", "-e", "test")
    xmlid = f"odooconf.product_category_{top.lower()}_bulk"
    assert f"product_category {top} / Bulk ({xmlid}) is managed" in result.out


def test_prune_archive_with_a_record_leaving_reads_every_kind(project: Project) -> None:
    """Any kind may use a record that would be archived: all are read to check."""
    project.environment(prune="archive")
    project.write("w.yaml", WAREHOUSES + "  - {code: RW1, name: West}\n")
    project.apply_ok()
    project.write("w.yaml", WAREHOUSES)
    models = _read_models(project)
    assert {"stock.putaway.rule", "stock.warehouse.orderpoint", "product.category"} <= models

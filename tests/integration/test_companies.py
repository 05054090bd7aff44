"""Multi-company blueprints against Odoo 18's company checks (ORM ``_check_company`` on
``check_company`` fields, stock.rule / stock.route ``_check_company_consistency``).

Records odooconf creates without a declared company get Odoo's default, the current company
(``odoo.company``, else the login user's): inside a warehouse of another company, Odoo refuses
them. What a user should get: records that follow the company of their warehouse, location or
route, or a plan error asking for ``company`` — never a failed apply.
"""

from __future__ import annotations

from typing import Any

from tests.integration.conftest import Odoo, Project

SECOND_DC = """\
warehouses:
  - {code: DC2, name: Second DC, company: Second Co}
"""


def _second_company(project: Project) -> int:
    company: Any = project.odoo.execute("res.company", "create", {"name": "Second Co"})
    return int(company)


def _company_of(odoo: Odoo, model: str, domain: list[Any]) -> Any:
    rows: Any = odoo.execute(model, "search_read", domain, ["company_id"])
    (row,) = rows
    return row["company_id"] and row["company_id"][1]


def test_warehouse_of_another_company_is_created_with_its_company(project: Project) -> None:
    _second_company(project)
    project.write("wh.yaml", SECOND_DC)
    project.apply_ok()
    project.converged()
    assert _company_of(project.odoo, "stock.warehouse", [("code", "=", "DC2")]) == "Second Co"


def test_location_inside_another_company_s_warehouse(project: Project) -> None:
    _second_company(project)
    project.write("wh.yaml", SECOND_DC.replace("}", ", locations: [Stock/Bulk]}"))
    project.apply_ok()
    project.converged()
    domain = [("complete_name", "=", "DC2/Stock/Bulk")]
    assert _company_of(project.odoo, "stock.location", domain) == "Second Co"


def test_operation_type_of_another_company_s_warehouse(project: Project) -> None:
    _second_company(project)
    project.write(
        "wh.yaml",
        SECOND_DC
        + "operation_types:\n"
        + "  - {warehouse: DC2, sequence_code: XD2, name: Cross dock, type: internal}\n",
    )
    project.apply_ok()
    project.converged()
    domain = [("sequence_code", "=", "XD2")]
    assert _company_of(project.odoo, "stock.picking.type", domain) == "Second Co"


def test_rule_on_a_route_of_another_company(project: Project) -> None:
    _second_company(project)
    project.write(
        "wh.yaml",
        SECOND_DC
        + """\
routes:
  - name: DC2 Express
    company: Second Co
    rules:
      - {action: pull, source: DC2/Stock, destination: Partners/Customers,
         operation_type: DC2/OUT}
""",
    )
    project.apply_ok()
    project.converged()
    domain = [("route_id.name", "=", "DC2 Express")]
    assert _company_of(project.odoo, "stock.rule", domain) == "Second Co"


def test_reordering_rule_at_another_company_s_location(project: Project) -> None:
    _second_company(project)
    project.odoo.execute("product.product", "create", {"name": "Rice", "default_code": "RICE"})
    project.write(
        "wh.yaml",
        SECOND_DC + "reordering_rules:\n  - {product: RICE, location: DC2/Stock, min: 1, max: 5}\n",
    )
    project.apply_ok()
    project.converged()
    domain = [("location_id.complete_name", "=", "DC2/Stock")]
    assert _company_of(project.odoo, "stock.warehouse.orderpoint", domain) == "Second Co"


def test_putaway_rule_in_another_company_s_warehouse(project: Project) -> None:
    _second_company(project)
    project.write(
        "wh.yaml",
        SECOND_DC
        + "putaway_rules:\n"
        + f"  - {{location_in: DC2, category: {project.odoo.facts.saleable},"
        + " location_out: DC2/Stock}\n",
    )
    project.apply_ok()
    project.converged()
    domain = [("location_in_id.complete_name", "=", "DC2")]
    assert _company_of(project.odoo, "stock.putaway.rule", domain) == "Second Co"


def test_declared_company_makes_a_reordering_rule_of_another_company_work(
    project: Project,
) -> None:
    _second_company(project)
    project.odoo.execute("product.product", "create", {"name": "Rice", "default_code": "RICE"})
    project.write(
        "wh.yaml",
        SECOND_DC
        + "reordering_rules:\n"
        + "  - {product: RICE, location: DC2/Stock, min: 1, max: 5, company: Second Co}\n",
    )
    project.apply_ok()
    project.converged()

"""The chart of accounts end to end: accounts, groups, tax groups, taxes and their repartition
lines, journals, fiscal positions; adoption of the chart's own records, drift, guard rails."""

from __future__ import annotations

import json
import shutil
from typing import Any

import pytest

from tests.integration.conftest import REPO, Odoo, Project

ACCOUNTS = """\
accounts:
  - {code: 110100, name: Inventory Valuation, reconcile: false}   # the chart's 110100, adopted
  - {code: 110210, name: Goods Received Not Invoiced, type: asset_current, reconcile: true}
  - {code: 510100, name: Freight In, type: expense_direct_cost}
"""

TAXES = """\
tax_groups:
  - {name: Sales Tax 8%, sequence: 20}
taxes:
  - name: Sales Tax 8%
    scope: sale
    amount: 8
    tax_group: Sales Tax 8%
    included_in_price: false         # the company's default: nothing to write (18+)
    invoice_lines: [{type: base}, {type: tax, account: 251000}]
    refund_lines: [{type: base}, {type: tax, account: 251000}]
  - {name: Purchase Tax 8%, scope: purchase, amount: 8, tax_group: Sales Tax 8%}
"""

JOURNALS = """\
journals:
  - {code: IMP, name: Import Purchases, type: purchase, default_account: 510100}
  - {code: BNK1, name: Main Bank}                                  # the chart's bank, adopted
"""


def _taxes(odoo: Odoo) -> str:
    """The taxes blueprint for this version: ``included_in_price`` is a field of 18+."""
    if int(odoo.version.split(".")[0]) >= 18:
        return TAXES
    return TAXES.replace(
        "    included_in_price: false         # the company's default: nothing to write (18+)\n", ""
    )


def _changes(project: Project) -> list[dict[str, Any]]:
    result = project.run("plan", "-e", "test", "--format", "json")
    assert result.code == 0, result.out + result.err
    return [c for c in json.loads(result.out)["changes"] if c["action"] != "noop"]


def _account(odoo: Odoo, code: str) -> dict[str, Any]:
    fields = ["code", "name", "account_type", "reconcile"]
    rows = odoo.read("account.account", [("code", "=", code)], fields)
    assert len(rows) == 1, rows
    return rows[0]


def _xmlid_of(odoo: Odoo, model: str, res_id: int) -> list[dict[str, Any]]:
    domain = [("model", "=", model), ("res_id", "=", res_id)]
    return odoo.read("ir.model.data", domain, ["module", "name", "noupdate"])


def test_accounts_apply_adopt_the_chart_and_converge(project: Project, odoo: Odoo) -> None:
    project.write("finance/accounts.yaml", ACCOUNTS)
    changes = {c["key"]: c for c in _changes(project)}
    assert changes["110100"]["action"] == "adopt"
    assert changes["110210"]["action"] == "create"
    before = odoo.read("account.account", [], ["id"])

    project.apply_ok()
    project.converged()

    after = odoo.read("account.account", [], ["id"])
    assert len(after) == len(before) + 2  # 110100 adopted, not duplicated
    valuation = _account(odoo, "110100")
    assert valuation["name"] == "Inventory Valuation"
    owners = _xmlid_of(odoo, "account.account", valuation["id"])
    assert {(o["module"], o["noupdate"]) for o in owners} >= {("odooconf", True)}
    assert _account(odoo, "110210")["reconcile"] is True
    assert _account(odoo, "510100")["account_type"] == "expense_direct_cost"


def test_hand_edits_of_accounts_taxes_and_journals_are_restored(
    project: Project, odoo: Odoo
) -> None:
    project.write("finance/accounts.yaml", ACCOUNTS)
    project.write("finance/taxes.yaml", _taxes(odoo))
    project.write("finance/journals.yaml", JOURNALS)
    project.apply_ok()
    project.converged()

    freight = _account(odoo, "510100")
    odoo.execute("account.account", "write", [freight["id"]], {"name": "Freight"})
    [tax] = odoo.read(
        "account.tax", [("name", "=", "Sales Tax 8%")], ["invoice_repartition_line_ids"]
    )
    lines = odoo.read(
        "account.tax.repartition.line",
        [("id", "in", tax["invoice_repartition_line_ids"]), ("repartition_type", "=", "tax")],
        ["account_id"],
    )
    odoo.execute("account.tax.repartition.line", "write", [lines[0]["id"]], {"account_id": False})
    odoo.execute("account.tax", "write", [tax["id"]], {"amount": 9})
    [journal] = odoo.read("account.journal", [("code", "=", "IMP")], ["id"])
    odoo.execute("account.journal", "write", [journal["id"]], {"name": "Imports"})

    changed = {(c["kind"], c["key"]) for c in _changes(project)}
    assert changed == {
        ("account", "510100"),
        ("tax", "sale | Sales Tax 8%"),
        ("tax_line", "sale | Sales Tax 8% | invoice | tax 1"),
        ("journal", "IMP"),
    }
    project.apply_ok()
    project.converged()
    assert _account(odoo, "510100")["name"] == "Freight In"


def test_a_new_tax_gets_its_declared_lines_not_odoo_s_four(project: Project, odoo: Odoo) -> None:
    project.write("finance/taxes.yaml", _taxes(odoo))
    project.apply_ok()
    project.converged()

    fields = ["invoice_repartition_line_ids", "refund_repartition_line_ids", "tax_group_id"]
    [tax] = odoo.read("account.tax", [("name", "=", "Sales Tax 8%")], fields)
    lines = odoo.read(
        "account.tax.repartition.line",
        [("id", "in", tax["invoice_repartition_line_ids"] + tax["refund_repartition_line_ids"])],
        ["document_type", "repartition_type", "account_id", "factor_percent"],
    )
    assert len(lines) == 4  # Odoo's own four, adopted and given their account
    taxed = [line for line in lines if line["repartition_type"] == "tax"]
    assert {line["account_id"][0] for line in taxed} == {_account(odoo, "251000")["id"]}
    assert tax["tax_group_id"][1] == "Sales Tax 8%"


def test_a_tax_split_over_two_accounts(project: Project, odoo: Odoo) -> None:
    project.write(
        "finance/taxes.yaml",
        """\
        taxes:
          - name: Split 10%
            scope: purchase
            amount: 10
            invoice_lines: &split
              - {type: base}
              - {type: tax, factor: 60, account: 131000}
              - {type: tax, factor: 40, account: 251000}
            refund_lines: *split
        """,
    )
    # Odoo 16 ties a line to its tax through invoice_tax_id / refund_tax_id: written through
    # the tax, a line Odoo did not make is created there too.
    project.apply_ok()
    project.converged()
    [tax] = odoo.read("account.tax", [("name", "=", "Split 10%")], ["invoice_repartition_line_ids"])
    assert len(tax["invoice_repartition_line_ids"]) == 3

    # Back to one tax line: the second is deleted, the first takes 100 %.
    project.write(
        "finance/taxes.yaml",
        """\
        taxes:
          - name: Split 10%
            scope: purchase
            amount: 10
            invoice_lines: [{type: base}, {type: tax, account: 131000}]
            refund_lines: [{type: base}, {type: tax, account: 131000}]
        """,
    )
    project.apply_ok()
    project.converged()
    [tax] = odoo.read("account.tax", [("name", "=", "Split 10%")], ["invoice_repartition_line_ids"])
    assert len(tax["invoice_repartition_line_ids"]) == 2


def test_journals_long_codes_are_refused_before_odoo_cuts_them(project: Project) -> None:
    project.write(
        "finance/journals.yaml", "journals:\n  - {code: IMPORT, name: Imports, type: purchase}\n"
    )
    err = project.refused("validate")
    assert "'IMPORT' has 6 characters; Odoo stores at most 5" in err


def test_a_bank_journal_gets_the_account_odoo_makes(project: Project, odoo: Odoo) -> None:
    project.write(
        "finance/journals.yaml", "journals:\n  - {code: BNK2, name: Second Bank, type: bank}\n"
    )
    before = odoo.read("account.account", [], ["id"])
    project.apply_ok()
    project.converged()
    [journal] = odoo.read("account.journal", [("code", "=", "BNK2")], ["default_account_id"])
    assert journal["default_account_id"]
    assert len(odoo.read("account.account", [], ["id"])) == len(before) + 1


POSITIONS = """\
accounts:
  - {code: 400100, name: Export Sales, type: income}
fiscal_positions:
  - name: Export Customers
    auto_apply: true
    country_group: European Union
    taxes:
      - {from: sale | 15%}                       # the chart's sales tax, removed
    accounts:
      - {from: 400000, to: 400100}
"""


def test_fiscal_positions_map_taxes_and_accounts(project: Project, odoo: Odoo) -> None:
    if "account.fiscal.position.tax" not in _models(odoo):
        pytest.skip("Odoo 19 keeps tax mappings on the taxes (test_tax_mappings_on_odoo_19)")
    project.write("finance/positions.yaml", POSITIONS)
    project.apply_ok()
    project.converged()
    [position] = odoo.read(
        "account.fiscal.position",
        [("name", "=", "Export Customers")],
        ["id", "tax_ids", "account_ids"],
    )
    [mapping] = odoo.read(
        "account.fiscal.position.tax", [("id", "in", position["tax_ids"])], ["tax_dest_id"]
    )
    assert mapping["tax_dest_id"] is False
    assert len(position["account_ids"]) == 1

    # A hand edit of the position is restored.
    odoo.execute("account.fiscal.position", "write", [position["id"]], {"auto_apply": False})
    assert [(c["kind"], c["key"]) for c in _changes(project)] == [
        ("fiscal_position", "Export Customers")
    ]
    project.apply_ok()
    project.converged()

    # A mapping added by hand is left alone; a declared one that leaves the blueprint goes.
    mapping_gone = POSITIONS.replace(
        "accounts:\n      - {from: 400000, to: 400100}", "accounts: []"
    )
    project.write("finance/positions.yaml", mapping_gone)
    changes = _changes(project)
    assert [(c["action"], c["key"]) for c in changes] == [
        ("delete", "Export Customers | 400000 → 400100")
    ]
    project.apply_ok()
    project.converged()


def test_a_position_s_tax_mappings_on_odoo_19_say_where_they_live(
    project: Project, odoo: Odoo
) -> None:
    if "account.fiscal.position.tax" in _models(odoo):
        pytest.skip("up to Odoo 18 a position maps its taxes itself")
    project.write("finance/positions.yaml", POSITIONS)
    err = project.refused()
    assert "need model account.fiscal.position.tax (Odoo 19 keeps tax mappings on the taxes" in err


def test_tax_mappings_on_odoo_19(project: Project, odoo: Odoo) -> None:
    if "account.fiscal.position.tax" in _models(odoo):
        pytest.skip("Odoo 19 only: up to 18 replaces and fiscal_positions do not exist")
    project.write(
        "finance/positions.yaml",
        """\
        fiscal_positions:
          - {name: Export Customers, auto_apply: true, country_group: European Union}
        taxes:
          - name: Export 0%
            scope: sale
            amount: 0
            replaces: [sale | 15%]
            fiscal_positions: [Export Customers]
        """,
    )
    project.apply_ok()
    project.converged()
    [tax] = odoo.read("account.tax", [("name", "=", "Export 0%")], ["original_tax_ids"])
    [position] = odoo.read(
        "account.fiscal.position", [("name", "=", "Export Customers")], ["tax_ids"]
    )
    assert position["tax_ids"] == [tax["id"]]
    assert len(tax["original_tax_ids"]) == 1

    # A hand edit of what the tax replaces is restored.
    odoo.execute("account.tax", "write", [tax["id"]], {"original_tax_ids": [(5,)]})
    assert [(c["kind"], c["key"]) for c in _changes(project)] == [("tax", "sale | Export 0%")]
    project.apply_ok()
    project.converged()


def test_tax_mapping_fields_on_odoo_18_are_named(project: Project, odoo: Odoo) -> None:
    if "account.fiscal.position.tax" not in _models(odoo):
        pytest.skip("Odoo 19 has these fields")
    project.write(
        "finance/taxes.yaml",
        "taxes:\n  - {name: Export 0%, scope: sale, amount: 0, replaces: [sale | 15%]}\n",
    )
    err = project.refused()
    assert "'replaces' needs field account.tax.original_tax_ids, which this Odoo" in err


def test_account_groups(project: Project, odoo: Odoo) -> None:
    project.write(
        "finance/groups.yaml",
        """\
        account_groups:
          - {prefix_start: 11, name: Current Assets}
          - {prefix_start: 1101, name: Inventory}
          - {prefix_start: 40, prefix_end: 49, name: Revenue}
        """,
    )
    project.apply_ok()
    project.converged()
    valuation = odoo.read("account.account", [("code", "=", "110100")], ["group_id"])[0]
    assert valuation["group_id"][1].endswith("Inventory")

    odoo.execute(
        "account.group",
        "write",
        [g["id"] for g in odoo.read("account.group", [("name", "=", "Revenue")], ["id"])],
        {"name": "Income"},
    )
    assert [c["key"] for c in _changes(project)] == ["40-49"]


def test_overlapping_account_groups_are_refused_before_apply(project: Project) -> None:
    project.write(
        "finance/groups.yaml",
        """\
        account_groups:
          - {prefix_start: 1101, prefix_end: 1103, name: A}
          - {prefix_start: 1103, prefix_end: 1105, name: B}
        """,
    )
    err = project.refused()
    assert "account groups 1101-1103 and 1103-1105 overlap" in err


def _models(odoo: Odoo) -> set[str]:
    names = ["account.fiscal.position.tax"]
    return {row["model"] for row in odoo.read("ir.model", [("model", "in", names)], ["model"])}


def test_included_in_price_is_a_field_of_odoo_18(project: Project, odoo: Odoo) -> None:
    if int(odoo.version.split(".")[0]) >= 18:
        pytest.skip("Odoo 18+ has price_include_override")
    project.write("finance/taxes.yaml", TAXES)
    err = project.refused()
    assert "'included_in_price' needs field account.tax.price_include_override" in err


# --- guard rails ---------------------------------------------------------------------------------

RISKY_ACCOUNT = """\
accounts:
  - {code: 110210, name: Goods Received Not Invoiced, type: TYPE, reconcile: RECONCILE}
"""


def _post_entry(odoo: Odoo, account_code: str) -> None:
    """A posted journal entry on the account (100 against the chart's capital account)."""
    [journal] = odoo.read("account.journal", [("code", "=", "MISC")], ["id"])
    lines = [
        (0, 0, {"account_id": _account(odoo, account_code)["id"], "debit": 100.0, "name": "x"}),
        (0, 0, {"account_id": _account(odoo, "301000")["id"], "credit": 100.0, "name": "x"}),
    ]
    move = odoo.execute(
        "account.move",
        "create",
        {"journal_id": journal["id"], "move_type": "entry", "line_ids": lines},
    )
    odoo.execute("account.move", "action_post", [move])


def _risky(project: Project) -> list[dict[str, Any]]:
    """The plan's risky warnings: the plan is printed, and exits 1 when it has any, as apply
    refuses it."""
    result = project.run("plan", "-e", "test", "--format", "json")
    risky = [w for w in json.loads(result.out)["warnings"] if w["code"] == "risky"]
    assert result.code == (1 if risky else 0), result.out + result.err
    return risky


def _allow_risky(project: Project) -> None:
    env = project.root / "environments" / "test.yaml"
    env.write_text(env.read_text() + "allow_risky_changes: true\n")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"TYPE": "expense"}, "type 'asset_current' → 'expense'"),
        ({"RECONCILE": "false"}, "reconcile True → False"),
    ],
)
def test_changing_an_account_with_journal_items_is_refused_unless_allowed(
    project: Project, odoo: Odoo, change: dict[str, str], field: str
) -> None:
    declared = RISKY_ACCOUNT.replace("TYPE", "asset_current").replace("RECONCILE", "true")
    project.write("finance/accounts.yaml", declared)
    project.apply_ok()
    changed = RISKY_ACCOUNT.replace("TYPE", change.get("TYPE", "asset_current"))
    project.write(
        "finance/accounts.yaml", changed.replace("RECONCILE", change.get("RECONCILE", "true"))
    )
    assert _risky(project) == []  # no journal items yet: an ordinary change

    _post_entry(odoo, "110210")
    [warning] = _risky(project)
    assert warning["subjects"] == ["account 110210"]
    assert f"{field} on an account that has journal items" in warning["message"]
    plan = project.run("plan", "-e", "test", "--detailed-exitcode")
    assert plan.code == 1  # not 2: apply would refuse this plan
    assert "~ account 110210" in plan.out
    assert "1 risky change(s) (account 110210)" in plan.err
    doctor = project.run("doctor", "-e", "test")
    assert doctor.code == 1  # not ready: apply would refuse the plan
    assert "1 risky change(s) (account 110210)" in doctor.out
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 1
    assert "1 risky change(s) (account 110210)" in result.err
    assert _account(odoo, "110210")["account_type"] == "asset_current"
    assert _account(odoo, "110210")["reconcile"] is True  # nothing was written

    _allow_risky(project)
    project.apply_ok()
    project.converged()


def _retire(odoo: Odoo) -> str:
    """How a blueprint retires an account on this version: deprecated (16-18), active (19)."""
    fields: Any = odoo.execute("account.account", "fields_get", [], attributes=["type"])
    return "active: false" if "active" in fields else "deprecated: true"


def test_retiring_an_account_that_is_a_default_is_refused_unless_allowed(
    project: Project, odoo: Odoo
) -> None:
    project.write(
        "finance/accounts.yaml",
        f"""\
        accounts:
          - {{code: 400000, name: Product Sales, {_retire(odoo)}}}      # the sales journal's
          - {{code: 110100, name: Stock Valuation, {_retire(odoo)}}}    # every category's
          - {{code: 110250, name: Transfers, type: asset_current}}
        """,
    )
    messages = {w["subjects"][0]: w["message"] for w in _risky(project)}
    assert set(messages) == {"account 400000", "account 110100"}
    assert "still the default of journal INV (default_account_id)" in messages["account 400000"]
    assert (
        "for new product categories (property_stock_valuation_account_id)"
        in (messages["account 110100"])
    )
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 1
    assert odoo.read("account.account", [("code", "=", "110250")], ["id"]) == []  # nothing done


def test_retiring_a_company_default_is_refused(project: Project, odoo: Odoo) -> None:
    project.write(
        "finance/accounts.yaml",
        "accounts:\n  - {code: 110250, name: Transfers, type: asset_current}\n",
    )
    project.apply_ok()
    odoo.execute(
        "res.company", "write", [1], {"transfer_account_id": _account(odoo, "110250")["id"]}
    )
    project.write(
        "finance/accounts.yaml",
        f"accounts:\n  - {{code: 110250, name: Transfers, type: asset_current, {_retire(odoo)}}}\n",
    )
    [warning] = _risky(project)
    assert "default of company My Company (transfer_account_id)" in warning["message"]
    assert project.run("apply", "-e", "test", "--yes").code == 1
    _allow_risky(project)
    project.apply_ok()
    project.converged()


def test_account_codes_are_checked_against_the_chart_before_apply(project: Project) -> None:
    project.write(
        "finance/accounts.yaml",
        """\
        accounts:
          - {code: 1102, name: Too Short, type: asset_current}
          - {code: 11A200, name: Letters, type: asset_current}
          - {code: 110-200, name: Dash, type: asset_current}
        """,
    )
    result = project.run("validate", "-e", "test")
    assert result.code == 1
    assert "'110-200': Odoo accepts only letters, digits and dots in an account code" in result.err
    project.write(
        "finance/accounts.yaml",
        """\
        accounts:
          - {code: 1102, name: Too Short, type: asset_current}
          - {code: 11A200, name: Letters, type: asset_current}
        """,
    )
    result = project.run("plan", "-e", "test")
    assert result.code == 1
    assert "account code '1102' has 4 characters where the company's accounts have 6" in result.err
    assert "account code '11A200' is not all digits" in result.err


# --- the example ---------------------------------------------------------------------------------


def test_the_example_s_chart_and_the_stock_categories_using_it_converge(
    project: Project, odoo: Odoo
) -> None:
    for folder in ("finance", "stock"):
        shutil.copytree(REPO / "blueprints" / folder, project.blueprints / folder)
    project.environment(version=odoo.version, exclude='["stock/reordering.yaml"]')
    before = len(odoo.read("account.account", [], ["id"]))
    project.apply_ok()
    project.converged()

    assert len(odoo.read("account.account", [], ["id"])) == before + 6  # 110100, 500000 adopted
    [frozen] = odoo.read(
        "product.category", [("name", "=", "Frozen")], ["property_stock_valuation_account_id"]
    )
    assert frozen["property_stock_valuation_account_id"][0] == _account(odoo, "110100")["id"]
    [position] = odoo.read(
        "account.fiscal.position", [("name", "=", "Export Customers")], ["tax_ids"]
    )
    if "account.fiscal.position.tax" in _models(odoo):
        [mapping] = odoo.read(
            "account.fiscal.position.tax", [("id", "in", position["tax_ids"])], ["tax_dest_id"]
        )
        assert mapping["tax_dest_id"] is False  # the sales tax is removed abroad
    else:
        [export] = odoo.read("account.tax", [("id", "in", position["tax_ids"])], ["name"])
        assert export["name"] == "Export 0%"

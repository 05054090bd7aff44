"""One rule for every list the README calls "exactly these" (a pricelist's items, a tax's
repartition lines, a fiscal position's mappings, a role's inline access rights): an omitted key
means not managed, a written list means exactly these, a managed child that leaves a written
list is removed whatever ``prune`` says (and counts as a change), and children no blueprint
manages are named. A tax's lines are written through the tax, where Odoo checks them."""

from __future__ import annotations

import json
from typing import Any

from tests.integration.conftest import Odoo, Project


def _plan(project: Project) -> dict[str, Any]:
    result = project.run("plan", "-e", "test", "--format", "json")
    assert result.code == 0, result.out + result.err
    document: dict[str, Any] = json.loads(result.out)
    return document


def _pending(project: Project) -> list[tuple[str, str, str]]:
    return [
        (c["action"], c["kind"], c["key"])
        for c in _plan(project)["changes"]
        if c["action"] != "noop"
    ]


# --- a role's inline access rights ---------------------------------------------------------------

CLERK = """\
roles:
  - name: OC Clerk
    access_rights:
      - {model: account.move, read: true}
      - {model: product.supplierinfo, read: true, write: true}
"""


def _rights(odoo: Odoo, role: str) -> dict[str, bool]:
    """Model → active of the role's access rights."""
    [group] = odoo.read("res.groups", [("name", "=", role)], ["id"])
    rows = odoo.read("ir.model.access", [("group_id", "=", group["id"])], ["model_id", "active"])
    models = odoo.read("ir.model", [("id", "in", [r["model_id"][0] for r in rows])], ["model"])
    name = {m["id"]: m["model"] for m in models}
    return {name[r["model_id"][0]]: r["active"] for r in rows}


def test_a_right_that_leaves_its_role_s_list_is_removed_and_counts_as_a_change(
    project: Project,
) -> None:
    project.write("security/roles.yaml", CLERK)
    project.apply_ok()
    project.write(
        "security/roles.yaml",
        CLERK.replace("      - {model: product.supplierinfo, read: true, write: true}\n", ""),
    )
    # prune: never (the default) does not keep a right its role's list no longer names.
    result = project.run("plan", "-e", "test", "--detailed-exitcode")
    assert result.code == 2, result.out + result.err
    assert "No changes" not in result.out
    assert _pending(project) == [("archive", "access_right", "OC Clerk | product.supplierinfo")]
    project.apply_ok()
    project.converged()
    assert _rights(project.odoo, "OC Clerk") == {
        "account.move": True,
        "product.supplierinfo": False,
    }
    # `[]` means none.
    project.write("security/roles.yaml", "roles:\n  - {name: OC Clerk, access_rights: []}\n")
    assert _pending(project) == [("archive", "access_right", "OC Clerk | account.move")]


def test_a_role_without_access_rights_leaves_them_alone(project: Project) -> None:
    project.write("security/roles.yaml", CLERK)
    project.apply_ok()
    project.write("security/roles.yaml", "roles:\n  - {name: OC Clerk}\n")
    assert _pending(project) == []
    project.converged()
    assert set(_rights(project.odoo, "OC Clerk").values()) == {True}


def test_hand_made_rights_of_a_role_with_a_list_are_named(project: Project) -> None:
    project.write("security/roles.yaml", CLERK)
    project.apply_ok()
    odoo = project.odoo
    [group] = odoo.read("res.groups", [("name", "=", "OC Clerk")], ["id"])
    [model] = odoo.read("ir.model", [("model", "=", "res.partner")], ["id"])
    odoo.execute(
        "ir.model.access",
        "create",
        {"name": "by hand", "group_id": group["id"], "model_id": model["id"], "perm_read": True},
    )
    (warning,) = _plan(project)["warnings"]
    assert warning["code"] == "unmanaged"
    assert "role OC Clerk" in warning["message"]
    assert "OC Clerk | res.partner" in warning["message"]
    project.converged()  # named, never removed: odooconf did not make it


# --- a tax's repartition lines ------------------------------------------------------------------

LINES = """\
taxes:
  - name: OC Tax 8%
    scope: sale
    amount: 8
    invoice_lines: [{type: base}, {type: tax, account: 251000}]
    refund_lines: [{type: base}, {type: tax, account: 251000}]
"""


def _lines(odoo: Odoo, tax: str) -> list[tuple[str, str, float]]:
    """(document, type, factor) of a tax's lines, in Odoo's order."""
    fields = ["invoice_repartition_line_ids", "refund_repartition_line_ids"]
    [row] = odoo.read("account.tax", [("name", "=", tax)], fields)
    lines = odoo.read(
        "account.tax.repartition.line",
        [("id", "in", row["invoice_repartition_line_ids"] + row["refund_repartition_line_ids"])],
        ["document_type", "repartition_type", "factor_percent", "sequence"],
    )
    lines.sort(key=lambda r: (r["document_type"], r["sequence"], r["id"]))
    return [(r["document_type"], r["repartition_type"], r["factor_percent"]) for r in lines]


def test_a_tax_without_lines_keeps_its_lines(project: Project) -> None:
    project.write("finance/taxes.yaml", LINES)
    project.apply_ok()
    project.write(
        "finance/taxes.yaml",
        "taxes:\n  - {name: OC Tax 8%, scope: sale, amount: 8}\n",
    )
    project.environment(prune="archive")
    assert [p for p in _pending(project) if p[0] == "delete"] == []
    project.apply_ok()
    assert len(_lines(project.odoo, "OC Tax 8%")) == 4


def _hand_made_tax(odoo: Odoo) -> None:
    """A sale tax whose tax lines split 60 / 40, both with Odoo's default sequence."""
    lines = [
        (0, 0, {"repartition_type": "base"}),
        (0, 0, {"repartition_type": "tax", "factor_percent": 60}),
        (0, 0, {"repartition_type": "tax", "factor_percent": 40}),
    ]
    odoo.execute(
        "account.tax",
        "create",
        {
            "name": "OC Split",
            "amount": 10,
            "type_tax_use": "sale",
            "invoice_repartition_line_ids": lines,
            "refund_repartition_line_ids": lines,
        },
    )


SPLIT = """\
taxes:
  - name: OC Split
    scope: sale
    amount: 10
    invoice_lines: &lines
      - {type: base}
      - {type: tax, factor: 60}
      - {type: tax, factor: 40}
    refund_lines: *lines
"""


def test_a_plan_leaving_a_tax_s_lines_off_100_percent_is_an_error_naming_them(
    project: Project,
) -> None:
    odoo = project.odoo
    _hand_made_tax(odoo)
    one_line = SPLIT.replace("      - {type: tax, factor: 40}\n", "").replace("60", "100")
    project.write("finance/taxes.yaml", one_line)
    err = project.refused()
    assert "sale | OC Split" in err
    assert "140" in err
    assert "tax 2" in err and "40" in err


def test_tax_lines_with_one_sequence_are_adopted_and_written_through_the_tax(
    project: Project,
) -> None:
    odoo = project.odoo
    _hand_made_tax(odoo)
    project.write("finance/taxes.yaml", SPLIT)  # two tax lines with sequence 1: tax 1 and tax 2
    adopted = {key for action, kind, key in _pending(project) if kind == "tax_line"}
    assert "sale | OC Split | invoice | tax 2" in adopted
    project.apply_ok()
    project.converged()

    # One 100 % line: the 40 % line, now odooconf's, goes; both writes go through the tax.
    project.write(
        "finance/taxes.yaml",
        SPLIT.replace("      - {type: tax, factor: 40}\n", "").replace("60", "100"),
    )
    assert ("delete", "tax_line", "sale | OC Split | invoice | tax 2") in _pending(project)
    odoo.reset_calls()
    project.apply_ok()
    written = {
        model for model, method in odoo.object_calls() if method in ("create", "write", "unlink")
    }
    assert "account.tax.repartition.line" not in written
    project.converged()
    assert _lines(odoo, "OC Split") == [
        ("invoice", "base", 100.0),
        ("invoice", "tax", 100.0),
        ("refund", "base", 100.0),
        ("refund", "tax", 100.0),
    ]


# --- a pricelist's items -------------------------------------------------------------------------


def test_a_pricelist_without_items_keeps_its_adopted_items(project: Project) -> None:
    odoo = project.odoo
    odoo.execute(
        "product.pricelist",
        "create",
        {"name": "OC Trade", "item_ids": [(0, 0, {"compute_price": "percentage",
                                                  "percent_price": 3, "min_quantity": 5})]},
    )  # fmt: skip
    project.write(
        "pricelists.yaml",
        "pricelists:\n  - name: OC Trade\n    items: [{min_quantity: 5, percentage: 3}]\n",
    )
    project.apply_ok()
    project.write("pricelists.yaml", "pricelists:\n  - name: OC Trade\n")
    assert _pending(project) == []
    project.apply_ok()
    [pricelist] = odoo.read("product.pricelist", [("name", "=", "OC Trade")], ["item_ids"])
    assert len(pricelist["item_ids"]) == 1


# --- a fiscal position's mappings ----------------------------------------------------------------

POSITION = """\
accounts:
  - {code: 400100, name: Export Sales, type: income}
fiscal_positions:
  - name: OC Export
    accounts: [{from: 400000, to: 400100}]
"""


def _account_id(odoo: Odoo, code: str) -> int:
    [row] = odoo.read("account.account", [("code", "=", code)], ["id"])
    return int(row["id"])


def test_hand_made_mappings_of_a_position_are_named(project: Project) -> None:
    odoo = project.odoo
    project.write("finance/positions.yaml", POSITION)
    project.apply_ok()
    [position] = odoo.read("account.fiscal.position", [("name", "=", "OC Export")], ["id"])
    odoo.execute(
        "account.fiscal.position.account",
        "create",
        {
            "position_id": position["id"],
            "account_src_id": _account_id(odoo, "110100"),
            "account_dest_id": _account_id(odoo, "400100"),
        },
    )
    (warning,) = _plan(project)["warnings"]
    assert warning["code"] == "unmanaged"
    assert "fiscal_position OC Export" in warning["message"]
    assert "OC Export | 110100 → 400100" in warning["message"]
    project.converged()


def test_twin_children_that_cannot_be_archived_are_told_to_be_deleted(project: Project) -> None:
    item = {"compute_price": "percentage", "percent_price": 3, "min_quantity": 5}
    project.odoo.execute(
        "product.pricelist", "create", {"name": "OC Twins", "item_ids": [(0, 0, item)] * 2}
    )
    project.write(
        "pricelists.yaml",
        "pricelists:\n  - name: OC Twins\n    items: [{min_quantity: 5, percentage: 3}]\n",
    )
    err = project.refused()
    assert "2 product.pricelist.item records have the key 'OC Twins | all products | ≥ 5'" in err
    assert "change or delete the duplicates in Odoo" in err

"""The account models against what a real Odoo 18 did (``side_effects_finance_security.json``,
part A), and their version differences (17's one company per account, 19's ``active`` and tax
mappings on taxes)."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from odooconf.testing import Emulator, errors
from tests.emulator.helpers import replay

#: Experiments the emulator does not reproduce, and why.
NOT_REPLAYED = {
    "A1z8": "unlink of an account with journal items (not emulated)",
    "A1z3": "a read of journal item fields the emulator does not have (amount_residual)",
    "A1z9": "unlinks account #60, made by a setup call the reference did not record",
    "A7b": "reads res.users fields the reference's capture left out",
    "A7c": "record rules (a company's accounts hidden from another) are not emulated",
    "A3m": "an Html field's sanitizing (not emulated)",
    "A5j": "unlink of an account used in a fiscal position mapping (not emulated)",
}


#: Fields read in the experiments that are bookkeeping, not behaviour.
IGNORED_FIELDS = frozenset(
    {
        "create_date",
        "write_date",
        "display_name",
        # Not emulated: the Html description's sanitizing, the repartition summary shown in the
        # chatter, sale and purchase journals' mail aliases.
        "description",
        "repartition_lines_str",
        "alias_name",
    }
)


@pytest.fixture(scope="module")
def finance(reference: Path) -> list[dict[str, Any]]:
    path = reference / "side_effects_finance_security.json"
    experiments: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["experiments"]
    return [e for e in experiments if e["label"][:2] in ("A1", "A2", "A3", "A4", "A5", "A7")]


def _run(emulator: Emulator, call: dict[str, Any], ids: dict[tuple[str, int], int]) -> Any:
    """Run a recorded call; record ids the emulator numbered otherwise are translated."""
    args = list(call["args"])
    if args and isinstance(args[0], list) and all(isinstance(i, int) for i in args[0]):
        args[0] = [ids.get((call["model"], i), i) for i in args[0]]
    return emulator.execute(call["model"], call["method"], *args, **call["kwargs"])


def test_replay_of_part_a_gives_odoo_s_outcomes(
    emulator: Emulator, finance: list[dict[str, Any]]
) -> None:
    """Every recorded call of A1-A5 and A7, in order: the same success or the same error text,
    the same reads, and up to A5 the same id for what it created (the reference's A6 made
    records it did not record)."""
    mismatches: list[str] = []
    ids: dict[tuple[str, int], int] = {}
    for experiment in finance:
        label = experiment["label"].split()[0]
        call = experiment.get("call")
        if call is None or label in NOT_REPLAYED:
            continue
        done, result = replay(label, experiment, partial(_run, emulator, call, ids), mismatches)
        if not done:
            continue
        if call["method"] == "create" and result != experiment["result"]:
            if label < "A6":
                mismatches.append(f"{label}: created #{result}, Odoo #{experiment['result']}")
            ids[(call["model"], experiment["result"])] = result
        elif call["method"] in ("read", "search_read"):
            mismatches.extend(_read_differences(label, result, experiment["result"]))
    assert mismatches == [], "\n".join(mismatches)


def _read_differences(
    label: str, rows: list[dict[str, Any]], recorded: list[dict[str, Any]]
) -> list[str]:
    """Fields of the recorded rows that the emulator reads otherwise."""
    out = []
    if len(rows) != len(recorded):
        return [f"{label}: read ids {[r['id'] for r in rows]}, Odoo {[r['id'] for r in recorded]}"]
    for row, expected in zip(rows, recorded, strict=True):
        for field, value in expected.items():
            mine, theirs = row.get(field), value
            if isinstance(mine, list) and isinstance(theirs, list) and _is_ids(mine + theirs):
                mine, theirs = sorted(mine), sorted(theirs)  # companies are captured unordered
            if field in row and field not in IGNORED_FIELDS | {"id"} and mine != theirs:
                out.append(f"{label} #{row['id']}.{field}: {mine!r}, Odoo {theirs!r}")
    return out


def _is_ids(values: list[Any]) -> bool:
    return all(type(item) is int for item in values)


def test_odoo_17_accounts_have_one_company_and_a_plain_code() -> None:
    emulator = Emulator(database="demo", login="admin", password="admin", version="17.0")
    fields = emulator.execute("account.account", "fields_get", [], attributes=["type", "store"])
    assert "code_store" not in fields and "company_ids" not in fields
    assert fields["code"]["store"] is True and fields["company_id"]["type"] == "many2one"
    account = emulator.execute(
        "account.account", "create", {"code": "110150", "name": "X", "account_type": "expense"}
    )
    [row] = emulator.execute("account.account", "read", [account], ["code", "company_id"])
    assert row["code"] == "110150" and row["company_id"][0] == 1
    journal = emulator.execute("account.journal", "fields_get", ["type"], attributes=["selection"])
    assert "credit" not in [key for key, _label in journal["type"]["selection"]]
    tax = emulator.execute("account.tax", "fields_get", [], attributes=["store"])
    assert "price_include_override" not in tax and tax["price_include"]["store"] is True


def test_odoo_18_accounts_keep_a_code_per_company(emulator: Emulator) -> None:
    second = emulator.execute("res.company", "create", {"name": "Second Co"})
    account = emulator.execute(
        "account.account",
        "create",
        {"code": "110160", "name": "Shared", "account_type": "asset_current"},
        context={"allowed_company_ids": [second]},
    )
    [row] = emulator.execute(
        "account.account", "read", [account], ["code", "company_ids"],
        context={"allowed_company_ids": [1, second]},
    )  # fmt: skip
    assert row["code"] is False  # another company's code is not the current company's
    mine = emulator.execute(
        "account.account", "search", [("code", "=", "110160")],
        context={"allowed_company_ids": [second]},
    )  # fmt: skip
    assert mine == [account]


def test_odoo_19_accounts_archive_and_taxes_hold_fiscal_mappings() -> None:
    emulator = Emulator(database="demo", login="admin", password="admin", version="19.0")
    fields = emulator.execute("account.account", "fields_get", [], attributes=["type"])
    assert "active" in fields and "deprecated" not in fields
    position = emulator.execute("account.fiscal.position", "create", {"name": "Export"})
    exempt = emulator.execute(
        "account.tax",
        "create",
        {
            "name": "Export 0%",
            "amount": 0,
            "original_tax_ids": [(6, 0, [1])],
            "fiscal_position_ids": [(6, 0, [position])],
        },
    )
    [read] = emulator.execute("account.fiscal.position", "read", [position], ["tax_ids"])
    assert read["tax_ids"] == [exempt]  # one relation, seen from both sides
    [sales] = emulator.execute("account.tax", "read", [1], ["replacing_tax_ids"])
    assert exempt in sales["replacing_tax_ids"]
    assert "account.fiscal.position.tax" not in {
        r["model"] for r in emulator.execute("ir.model", "search_read", [], ["model"])
    }


def test_odoo_16_repartition_lines_belong_to_their_tax_by_document() -> None:
    """16.0 account_tax.py: ``invoice_tax_id`` / ``refund_tax_id``; ``tax_id`` and
    ``document_type`` are computed from them, and a new tax still gets its four lines."""
    emulator = Emulator(database="demo", login="admin", password="admin", version="16.0")
    fields = emulator.execute(
        "account.tax.repartition.line", "fields_get", [], attributes=["store", "readonly"]
    )
    assert fields["tax_id"]["readonly"] and not fields["tax_id"]["store"]
    assert "invoice_tax_id" in fields and "refund_tax_id" in fields
    tax = emulator.execute("account.tax", "create", {"name": "T7", "amount": 7})
    lines = emulator.execute(
        "account.tax.repartition.line",
        "read",
        [9, 10, 11, 12],
        ["tax_id", "document_type", "invoice_tax_id", "refund_tax_id"],
    )
    assert [(line["tax_id"][0], line["document_type"]) for line in lines] == [
        (tax, "invoice"), (tax, "invoice"), (tax, "refund"), (tax, "refund"),
    ]  # fmt: skip
    assert lines[0]["invoice_tax_id"][0] == tax and lines[2]["refund_tax_id"][0] == tax
    assert "invoice_label" not in emulator.execute("account.tax", "fields_get", [])


def test_tax_lines_are_checked_as_odoo_does_only_through_the_tax(emulator: Emulator) -> None:
    """account_tax.py ``_validate_repartition_lines`` (a constraint on the tax's line fields):
    the tax factors (percent / 100) must add up to 1 at 2 decimals (``float_compare``), and a
    write on a line itself is not checked."""

    def tax(name: str, *factors: float) -> Any:
        lines: list[tuple[int, int, dict[str, Any]]] = [(0, 0, {"repartition_type": "base"})]
        lines += [(0, 0, {"repartition_type": "tax", "factor_percent": f}) for f in factors]
        return emulator.execute(
            "account.tax",
            "create",
            {"name": name, "amount": 5, "invoice_repartition_line_ids": lines,
             "refund_repartition_line_ids": lines},
        )  # fmt: skip

    assert tax("Rounded", 60, 39.6)  # 0.996 is 1.00 at 2 decimals
    with pytest.raises(errors.OdooError, match="total factor"):
        tax("Short", 60, 39.4)
    split = tax("Split", 60, 40)
    fields = ["invoice_repartition_line_ids", "refund_repartition_line_ids"]
    [row] = emulator.execute("account.tax", "read", [split], fields)
    sixty = row["invoice_repartition_line_ids"][1]
    hundred = {field: [(1, row[field][1], {"factor_percent": 100})] for field in fields}
    with pytest.raises(errors.OdooError, match="total factor"):
        emulator.execute("account.tax", "write", [split], hundred)
    # Written on the line itself, Odoo checks nothing: the tax then posts 140 %.
    emulator.execute("account.tax.repartition.line", "write", [sixty], {"factor_percent": 100})

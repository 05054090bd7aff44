"""The chart of accounts kinds offline: keys, values, external ids, and what validate refuses
because Odoo would refuse it or cut it."""

from __future__ import annotations

from typing import Any

from odooconf.kinds import KINDS
from tests.unit.blueprint_text import errors, one, validate


def _keyer(keys: dict[tuple[str, int], str]) -> Any:
    return lambda target, record_id: keys.get((target, record_id))


def test_an_account_code_written_as_a_number_is_its_text() -> None:
    account = one("accounts:\n  - {code: 110100, name: Inventory, type: asset_current}\n")
    assert account.key == "110100"
    assert account.xmlid == "acme.account_110100"
    assert account.values == {"code": "110100", "name": "Inventory", "type": "asset_current"}


def test_account_schema_errors() -> None:
    problems = errors(
        """\
        accounts:
          - {code: 110-100, name: Dash}
          - {code: 110100, name: X, type: assets}
        """
    )
    assert problems[0] == (
        "accounts[0] (110-100) › code",
        "'110-100': Odoo accepts only letters, digits and dots in an account code",
    )
    assert problems[1][0] == "accounts[1] (110100) › type"


def test_account_groups_are_keyed_by_their_prefixes() -> None:
    resources, diagnostics = validate(
        """\
        account_groups:
          - {prefix_start: 1101, name: Inventory}
          - {prefix_start: 40, prefix_end: 49, name: Revenue}
        """
    )
    assert diagnostics == []
    assert [r.key for r in resources] == ["1101", "40-49"]
    assert resources[0].values["prefix_end"] == "1101"  # Odoo's default: the start
    live = KINDS["account_group"].live_key(
        {"code_prefix_start": "40", "code_prefix_end": "49"}, _keyer({})
    )
    assert live == "40-49"
    assert KINDS["account_group"].live_key({"code_prefix_start": False}, _keyer({})) is None


def test_account_group_prefixes_of_two_lengths_are_refused() -> None:
    [(path, message)] = errors(
        "account_groups:\n  - {prefix_start: 110, prefix_end: 1109, name: X}\n"
    )
    assert path == "account_groups[0] (110)"
    assert "prefix_start and prefix_end must have the same length" in message


def test_a_tax_expands_into_keyed_repartition_lines() -> None:
    resources, diagnostics = validate(
        """\
        taxes:
          - name: VAT 10%
            scope: sale
            amount: 10
            invoice_lines: &lines
              - {type: base}
              - {type: tax, factor: 60, account: 251000}
              - {type: tax, factor: 40}
            refund_lines: *lines
        """
    )
    assert diagnostics == []
    tax, *lines = resources
    assert tax.key == "sale | VAT 10%"
    assert [line.key for line in lines] == [
        "sale | VAT 10% | invoice | base",
        "sale | VAT 10% | invoice | tax 1",
        "sale | VAT 10% | invoice | tax 2",
        "sale | VAT 10% | refund | base",
        "sale | VAT 10% | refund | tax 1",
        "sale | VAT 10% | refund | tax 2",
    ]
    assert lines[1].values == {
        "tax": "sale | VAT 10%", "document": "invoice", "type": "tax", "factor": 60.0,
        "account": "251000", "sequence": 1,
    }  # fmt: skip
    assert "sequence" not in lines[0].values  # the base line's is Odoo's
    assert lines[1].path == "taxes[0] (VAT 10%) › invoice_lines[1]"


def test_live_repartition_lines_get_the_same_keys() -> None:
    kind = KINDS["tax_line"]
    keyer = _keyer({("tax", 7): "sale | VAT 10%"})
    base = {"tax_id": [7, "VAT 10%"], "document_type": "refund", "repartition_type": "base"}
    assert kind.live_key({**base, "sequence": 1}, keyer) == "sale | VAT 10% | refund | base"
    tax = {**base, "repartition_type": "tax", "sequence": 2}
    assert kind.live_key(tax, keyer) == "sale | VAT 10% | refund | tax 2"


def test_tax_lines_odoo_refuses_are_validate_errors() -> None:
    cases = {
        "[{type: tax}]": "invoice_lines need exactly one base line",
        "[{type: base}]": "invoice_lines need at least one tax line",
        "[{type: base}, {type: tax, factor: 50}]": "must add up to 100",
    }
    for lines, expected in cases.items():
        [(_path, message)] = errors(
            f"taxes:\n  - {{name: T, scope: sale, amount: 1, invoice_lines: {lines}, "
            f"refund_lines: {lines}}}\n"
        )
        assert expected in message, (lines, message)
    [(_path, message)] = errors(
        "taxes:\n  - {name: T, scope: sale, amount: 1, "
        "invoice_lines: [{type: base}, {type: tax}]}\n"
    )
    assert "give both invoice_lines and refund_lines" in message
    [(_path, message)] = errors(
        "taxes:\n  - {name: T, scope: sale, amount: 1, invoice_lines: [{type: base}, {type: tax}],"
        " refund_lines: [{type: tax}, {type: base}]}\n"
    )
    assert "same lines (type and factor) in the same order" in message


def test_included_in_price_is_odoo_s_override() -> None:
    tax = one("taxes:\n  - {name: T, scope: purchase, amount: 5, included_in_price: true}\n")
    assert tax.values["included_in_price"] == "tax_included"
    kind = KINDS["tax"]
    live = {
        "type_tax_use": "purchase",
        "name": "T",
        "price_include_override": False,
        "price_include": False,
    }
    assert kind.from_odoo(live, _keyer({}), {})["included_in_price"] == "tax_excluded"


def test_journal_codes_odoo_would_cut_and_accounts_its_type_lacks() -> None:
    problems = errors(
        """\
        journals:
          - {code: IMPORT, name: Imports, type: purchase}
          - {code: IMP, name: Imports, type: purchase, suspense_account: 101402}
        """
    )
    assert problems[0] == (
        "journals[0] (IMPORT) › code",
        "'IMPORT' has 6 characters; Odoo stores at most 5 (it would cut the code "
        "and the blueprint would never converge)",
    )
    assert "suspense_account exist only on bank, cash and credit card journals" in problems[1][1]


def test_fiscal_position_mappings_are_keyed_by_what_they_map() -> None:
    resources, diagnostics = validate(
        """\
        fiscal_positions:
          - name: Export
            taxes: [{from: sale | VAT 10%}, {from: sale | VAT 20%, to: sale | VAT 0%}]
            accounts: [{from: 400200, to: 400100}]
        """
    )
    assert diagnostics == []
    assert [r.key for r in resources] == [
        "Export",
        "Export | sale | VAT 10% → none",
        "Export | sale | VAT 20% → sale | VAT 0%",
        "Export | 400200 → 400100",
    ]
    keyer = _keyer({("fiscal_position", 3): "Export", ("tax", 1): "sale | VAT 10%"})
    live = {"position_id": [3, "Export"], "tax_src_id": [1, "VAT 10%"], "tax_dest_id": False}
    assert KINDS["fiscal_position_tax"].live_key(live, keyer) == "Export | sale | VAT 10% → none"

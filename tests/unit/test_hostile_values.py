"""Values a blueprint may not give, whatever field they are in: numbers Odoo cannot mean, dates
read as something else than what was written, codes YAML would change."""

from __future__ import annotations

import textwrap

import pytest

from odooconf.engine.checks import PriceCheck
from odooconf.engine.parse import parse_documents
from odooconf.engine.render import RenderedDocument
from odooconf.engine.validate import validate_documents
from odooconf.model.diagnostics import Diagnostic
from odooconf.model.resource import DesiredResource


def validate(
    text: str,
) -> tuple[list[DesiredResource], list[PriceCheck], list[Diagnostic]]:
    parsed, problems = parse_documents([RenderedDocument("f.yaml", textwrap.dedent(text))])
    if problems:
        return [], [], problems
    return validate_documents(parsed, "acme")


def refused(text: str, line: int, *words: str) -> str:
    """The one error ``text`` gets: on ``line``, saying ``words``."""
    _resources, _checks, diagnostics = validate(text)
    assert len(diagnostics) == 1, diagnostics
    [diagnostic] = diagnostics
    assert diagnostic.source is not None and diagnostic.source.line == line, diagnostic
    for word in words:
        assert word in diagnostic.message, diagnostic.message
    return diagnostic.render()


# --- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ['"nan"', '"inf"', '"-Infinity"', ".nan", "-.inf"],
)
@pytest.mark.parametrize(
    "template",
    [
        "pricelists:\n  - {name: P, items: [{formula: {discount: VALUE}}]}\n",
        "pricelists:\n  - {name: P, items: [{formula: {surcharge: VALUE}}]}\n",
        "taxes:\n  - {name: T, scope: sale, invoice_lines: [{type: base}, {type: tax,"
        " factor: VALUE}], refund_lines: [{type: base}, {type: tax}]}\n",
        "price_checks:\n  - {pricelist: P, product: X, expected: VALUE}\n",
        "price_checks:\n  - {pricelist: P, product: X, quantity: VALUE, expected: 1}\n",
    ],
    ids=["formula-discount", "formula-surcharge", "tax-line-factor", "check-expected",
         "check-quantity"],
)  # fmt: skip
def test_numbers_that_are_not_finite_are_refused_in_nested_values(
    template: str, value: str
) -> None:
    _resources, checks, diagnostics = validate(template.replace("VALUE", value))

    assert checks == []
    assert [d.source.line if d.source else None for d in diagnostics] == [2]
    assert "finite" in diagnostics[0].message


@pytest.mark.parametrize(
    ("item", "words"),
    [
        ("{percentage: 1e308}", "beyond"),
        ("{fixed_price: 1.0e+300}", "beyond"),
        ("{min_quantity: 1.0e+20, fixed_price: 1}", "beyond"),
        ("{formula: {surcharge: -1.0e+14}}", "surcharge: -1e+14 is beyond"),
        ("{percentage: 100.5}", "100"),  # more than the whole price off: a negative price
        ("{formula: {discount: 250}}", "100"),
        ("{percentage: -1000.5}", "1000"),
    ],
)
def test_amounts_and_percentages_odoo_cannot_mean_are_refused(item: str, words: str) -> None:
    refused(f"pricelists:\n  - name: P\n    items:\n      - {item}\n", 4, words)


def test_markups_and_whole_discounts_are_percentages_odoo_means() -> None:
    resources, _checks, diagnostics = validate(
        "pricelists:\n  - name: P\n    items: [{percentage: 100}, {min_quantity: 5, percentage:"
        " -150}, {min_quantity: 9, formula: {discount: -300, surcharge: 99999999.99}}]\n"
    )

    assert diagnostics == []
    assert len(resources) == 4


@pytest.mark.parametrize(
    ("tax", "words"),
    [
        ("computation: division, amount: 100", "division"),
        ("computation: division, amount: 250", "division"),
        ("computation: percent, amount: 1.0e+308", "beyond"),
        ("computation: percent, amount: 1001", "1000 %"),
        ("computation: percent, amount: -1001", "1000"),
        ("computation: fixed, amount: 1.0e+308", "beyond"),
    ],
)
def test_tax_amounts_odoo_cannot_compute_are_refused(tax: str, words: str) -> None:
    refused(f"taxes:\n  - {{name: T, scope: sale, {tax}}}\n", 2, words)


def test_a_division_tax_below_100_percent_is_accepted() -> None:
    _resources, _checks, diagnostics = validate(
        "taxes:\n  - {name: T, scope: sale, computation: division, amount: 99.5}\n"
    )

    assert diagnostics == []


# --- dates ------------------------------------------------------------------------------------

#: A blueprint with a date or time (MOMENT) on line 3 (price checks, vendor prices) or 4.
DATE_FIELDS = pytest.mark.parametrize(
    "template",
    [
        "pricelists:\n  - name: P\n    items:\n      - {fixed_price: 1, start: MOMENT}\n",
        "price_checks:\n  - {pricelist: P, product: X, expected: 1,\n     date: MOMENT}\n",
        "vendor_prices:\n  - {vendor: V, product: X, price: 1,\n     date_start: MOMENT}\n",
    ],
    ids=["pricelist-item", "price-check", "vendor-price"],
)


def _dated(template: str, moment: str) -> tuple[str, int]:
    """The blueprint with ``moment``, and the line it is on."""
    return template.replace("MOMENT", moment), 4 if template.startswith("pricelists") else 3


@pytest.mark.parametrize("moment", ["20261201", "86400", '"20261201"', "1.5"])
@DATE_FIELDS
def test_a_number_is_never_read_as_a_date(template: str, moment: str) -> None:
    """pydantic reads a number as a Unix timestamp (20261201 → 1970-08-23)."""
    refused(*_dated(template, moment), "a number is not a date")


@pytest.mark.parametrize(
    "moment",
    ["2026-12-01T10:00:00+09:00", '"2026-12-01T10:00:00+09:00"', "2026-12-01 10:00:00 -5",
     '"2026-12-01T00:00:00Z"'],
)  # fmt: skip
@DATE_FIELDS
def test_a_time_zone_offset_is_refused_not_dropped(template: str, moment: str) -> None:
    """Odoo stores UTC times without offset: dropping it wrote the time 9 hours off."""
    message = refused(*_dated(template, moment), "time zone offset", "UTC")
    if "10:00:00+09" in moment:
        assert "2026-12-01 01:00:00" in message  # the time to write instead


def test_dates_and_utc_times_are_accepted() -> None:
    resources, checks, diagnostics = validate(
        """\
        pricelists:
          - name: P
            items: [{fixed_price: 1, start: 2026-12-01, end: "2026-12-31 18:00:00"}]
        price_checks:
          - {pricelist: P, product: X, expected: 1, date: 2026-12-24}
        """
    )

    assert diagnostics == []
    assert resources[1].values["date_start"] == "2026-12-01 00:00:00"
    assert resources[1].values["date_end"] == "2026-12-31 18:00:00"
    assert str(checks[0].spec.date) == "2026-12-24"


# --- codes ------------------------------------------------------------------------------------


def test_an_account_code_yaml_reads_as_octal_keeps_what_was_written() -> None:
    resources, _checks, diagnostics = validate("accounts:\n  - {code: 0110100, name: Cash}\n")

    assert diagnostics == []
    assert resources[0].key == "0110100"  # not 36928


def test_a_number_field_written_with_a_leading_zero_reads_its_digits() -> None:
    resources, _checks, diagnostics = validate(
        "vendor_prices:\n  - {vendor: V, product: X, price: 1, sequence: 010}\n"
    )

    assert diagnostics == []
    assert resources[0].values["sequence"] == 10  # YAML 1.1 alone reads 8


# --- what errors quote ------------------------------------------------------------------------


def test_an_error_quotes_a_huge_key_shortened() -> None:
    """A 10,000-character key was echoed twice, in the breadcrumb and in the message."""
    key = "P" * 10_000
    _resources, _checks, diagnostics = validate(
        f"pricelists:\n  - name: {key}\n    items: [{{percentage: 5}}, {{percentage: 6}}]\n"
    )

    [diagnostic] = diagnostics
    line = diagnostic.render()
    assert len(line) < 400, line
    assert "P" * 81 not in line
    # The crumb, the key and the first item's crumb, each cut in its middle.
    assert line.count(f"{'P' * 30}…{'P' * 30}") == 3
    assert "is declared twice (first at f.yaml:3 " in line


def test_file_references_in_a_message_are_never_shortened() -> None:
    where = "/tmp/" + "d" * 120 + "/blueprints/stock.yaml:3"
    diagnostic = Diagnostic("OC-V020", f"x is declared twice (first at {where} items[0])")

    assert where in diagnostic.message

"""Vendor prices (``product.supplierinfo``) end to end: plan, apply, converge, drift."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration.conftest import Odoo, Project

PRICES = """\
vendor_prices:
  - vendor: Acme Foods
    product: DRY-RICE-5KG
    price: 4.20
    min_qty: 0
    delay: 3
    product_code: AC-R5
    product_name: Rice, 5 kg bag
  - vendor: Acme Foods
    product: DRY-RICE-5KG
    min_qty: 100
    price: 3.95
    date_start: 2026-01-01
    date_end: 2026-12-31
  - vendor: Nordic Frost
    variant: FRZ-PEAS-1KG
    price: 1.75
    currency: EUR
    delay: 7
"""
#: The first line alone.
FIRST = "\n".join(PRICES.splitlines()[:8]) + "\n"
KEYS = {
    "Acme Foods | product:DRY-RICE-5KG | min 0 | always",
    "Acme Foods | product:DRY-RICE-5KG | min 100 | from 2026-01-01",
    "Nordic Frost | variant:FRZ-PEAS-1KG | min 0 | always",
}
FIELDS = [
    "partner_id",
    "product_tmpl_id",
    "product_id",
    "product_code",
    "product_name",
    "min_qty",
    "price",
    "currency_id",
    "delay",
    "date_start",
    "date_end",
    "discount",
    "sequence",
    "company_id",
]


def _master_data(odoo: Odoo) -> dict[str, int]:
    """The vendors and products the blueprint names (master data odooconf never creates)."""
    ids: dict[str, int] = {}
    for name in ("Acme Foods", "Nordic Frost"):
        created: Any = odoo.execute("res.partner", "create", {"name": name, "is_company": True})
        ids[name] = int(created)
    for code, name in (("DRY-RICE-5KG", "Rice 5 kg"), ("FRZ-PEAS-1KG", "Frozen peas 1 kg")):
        created = odoo.execute("product.product", "create", {"name": name, "default_code": code})
        ids[code] = int(created)
    return ids


def _plan(project: Project) -> list[dict[str, Any]]:
    result = project.run("plan", "-e", "test", "--format", "json")
    assert result.code == 0, result.out + result.err
    return [c for c in json.loads(result.out)["changes"] if c["action"] != "noop"]


def _fields(odoo: Odoo) -> list[str]:
    """FIELDS that this version has (``discount`` is new in 17)."""
    known: Any = odoo.execute("product.supplierinfo", "fields_get", [], attributes=["type"])
    return [name for name in FIELDS if name in known]


def _lines(odoo: Odoo) -> list[dict[str, Any]]:
    return odoo.read("product.supplierinfo", [], _fields(odoo))


def _line(odoo: Odoo, vendor: str, min_qty: float) -> dict[str, Any]:
    [row] = [r for r in _lines(odoo) if r["partner_id"][1] == vendor and r["min_qty"] == min_qty]
    return row


def test_vendor_prices_plan_apply_and_converge(project: Project) -> None:
    ids = _master_data(project.odoo)
    project.write("purchasing.yaml", PRICES)
    changes = _plan(project)
    assert {(c["action"], c["kind"], c["key"]) for c in changes} == {
        ("create", "vendor_price", key) for key in KEYS
    }
    project.apply_ok()
    project.converged()
    rice = _line(project.odoo, "Acme Foods", 0)
    assert rice["product_tmpl_id"][1].endswith("Rice 5 kg") and rice["product_id"] is False
    assert (rice["price"], rice["delay"], rice["product_code"]) == (4.2, 3, "AC-R5")
    assert rice["currency_id"][1] == "USD"  # Odoo's default: the company's currency
    volume = _line(project.odoo, "Acme Foods", 100)
    assert (volume["date_start"], volume["date_end"], volume["price"]) == (
        "2026-01-01",
        "2026-12-31",
        3.95,
    )
    peas = _line(project.odoo, "Nordic Frost", 0)
    assert peas["product_id"][0] == ids["FRZ-PEAS-1KG"]
    assert (peas["currency_id"][1], peas["delay"]) == ("EUR", 7)
    # A second apply changes nothing.
    project.odoo.reset_calls()
    project.apply_ok()
    assert [m for _model, m in project.odoo.object_calls() if m in ("create", "write")] == []
    assert len(_lines(project.odoo)) == 3


@pytest.mark.parametrize(
    ("field", "value", "attr", "old", "new"),
    [
        ("price", 9.99, "price", 9.99, 4.2),
        ("delay", 30, "delay", 30, 3),
        ("product_code", "X-1", "product_code", "X-1", "AC-R5"),
        ("product_name", "Other", "product_name", "Other", "Rice, 5 kg bag"),
        ("currency_id", "EUR", "currency", "EUR", None),
        ("date_end", "2027-01-01", "date_end", "2027-01-01", None),
        ("product_id", "FRZ-PEAS-1KG", "variant", "FRZ-PEAS-1KG", None),
        # The key's own parts: the line is found by its external id, and put back.
        ("min_qty", 5.0, "min_qty", 5.0, 0),
        ("date_start", "2026-03-01", "date_start", "2026-03-01", None),
        ("discount", 7.5, "discount", 7.5, 2.5),
        ("sequence", 9, "sequence", 9, 1),
        ("company_id", False, "company", None, "My Company"),
    ],
)
def test_hand_edits_of_a_vendor_price_are_detected_and_restored(
    project: Project, field: str, value: Any, attr: str, old: Any, new: Any
) -> None:
    ids = _master_data(project.odoo)
    declared = FIRST.splitlines()
    if field in ("currency_id", "date_end"):
        declared.append(f"    {attr}: " + ("USD" if attr == "currency" else "null"))
        new = "USD" if attr == "currency" else None
    elif field in ("discount", "sequence", "company_id"):
        declared.append(f"    {attr}: {new}")
    project.write("purchasing.yaml", "\n".join(declared) + "\n")
    if field not in _fields(project.odoo):  # Odoo 16 has no vendor discount
        err = project.refused()
        assert (
            f"'{attr}' needs field product.supplierinfo.{field}, which this Odoo "
            f"{project.odoo.version} instance does not have"
        ) in err
        return
    project.apply_ok()
    line = _line(project.odoo, "Acme Foods", 0)
    written: Any = value
    if field == "currency_id":
        [eur] = project.odoo.read("res.currency", [("name", "=", "EUR")], ["id"])
        written = eur["id"]
    elif field == "product_id":
        written = ids[value]
    project.odoo.execute("product.supplierinfo", "write", [line["id"]], {field: written})

    (change,) = _plan(project)
    assert (change["action"], change["key"]) == (
        "update",
        "Acme Foods | product:DRY-RICE-5KG | min 0 | always",
    )
    expected = [{"field": attr, "old": old, "new": new}]
    if field == "product_id":  # Odoo moves the line to the variant's template too (real 18)
        expected.insert(0, {"field": "product", "old": value, "new": "DRY-RICE-5KG"})
    assert change["fields"] == expected
    project.apply_ok()
    assert _line(project.odoo, "Acme Foods", 0)[field] == line[field]
    assert len(_lines(project.odoo)) == 1
    project.converged()


def test_a_line_made_by_hand_is_adopted_not_duplicated(project: Project) -> None:
    ids = _master_data(project.odoo)
    [template] = project.odoo.read(
        "product.template", [("default_code", "=", "DRY-RICE-5KG")], ["id"]
    )
    project.odoo.execute(
        "product.supplierinfo",
        "create",
        {"partner_id": ids["Acme Foods"], "product_tmpl_id": template["id"], "price": 5.0},
    )
    project.write("purchasing.yaml", FIRST)
    (change,) = _plan(project)
    assert change["action"] == "adopt"
    assert {f["field"]: (f["old"], f["new"]) for f in change["fields"]}["price"] == (5.0, 4.2)
    project.apply_ok()
    project.converged()
    assert len(_lines(project.odoo)) == 1


def test_unknown_vendor_product_or_currency_is_a_located_plan_error(project: Project) -> None:
    _master_data(project.odoo)
    project.write(
        "purchasing.yaml",
        """\
        vendor_prices:
          - {vendor: Acme Food, product: DRY-RICE-5KG, price: 1}
          - {vendor: Acme Foods, product: NO-SUCH-CODE, price: 1}
          - {vendor: Acme Foods, variant: DRY-RICE-5KG, price: 1, currency: XYZ}
        """,
    )
    err = project.refused()
    assert "purchasing.yaml:2" in err
    assert "partner 'Acme Food' (by name) is not on the instance" in err
    assert "did you mean 'Acme Foods'" in err
    assert "purchasing.yaml:3" in err
    assert "product_template 'NO-SUCH-CODE' (by default_code) is not on the instance" in err
    assert "purchasing.yaml:4" in err and "currency 'XYZ' (by name)" in err
    assert [m for _model, m in project.odoo.object_calls() if m in ("create", "write")] == []


def test_a_date_range_odoo_would_never_apply_is_a_validate_error(project: Project) -> None:
    project.write(
        "purchasing.yaml",
        """\
        vendor_prices:
          - vendor: Acme Foods
            product: DRY-RICE-5KG
            price: 1
            date_start: 2026-06-01
            date_end: 2026-01-31
        """,
    )
    result = project.run("validate")
    assert result.code == 1
    assert "date_start (2026-06-01) is after date_end (2026-01-31)" in result.err
    assert "purchasing.yaml:2" in result.err


def _vendor_refs(odoo: Odoo, ids: dict[str, int]) -> None:
    odoo.execute("res.partner", "write", [ids["Acme Foods"]], {"ref": "V-0001"})
    odoo.execute("res.partner", "write", [ids["Nordic Frost"]], {"ref": "V-0002"})


def test_a_vendor_named_by_reference_is_the_same_line(project: Project) -> None:
    _vendor_refs(project.odoo, _master_data(project.odoo))
    by_ref = "vendor_prices: [{vendor_ref: V-0001, product: DRY-RICE-5KG, price: 4.2}]\n"
    project.write("purchasing.yaml", by_ref)
    (change,) = _plan(project)
    # Plan gives the line its vendor's name: the key, and the line, are the same either way.
    assert (change["action"], change["key"]) == (
        "create",
        "Acme Foods | product:DRY-RICE-5KG | min 0 | always",
    )
    project.apply_ok()
    project.converged()
    project.write("purchasing.yaml", by_ref.replace("vendor_ref: V-0001", "vendor: Acme Foods"))
    assert [(c["action"], c["fields"]) for c in _plan(project)] == [("adopt", [])]  # new id only
    project.apply_ok()
    project.converged()
    assert len(_lines(project.odoo)) == 1


def test_an_unknown_or_shared_vendor_reference_is_a_located_plan_error(project: Project) -> None:
    ids = _master_data(project.odoo)
    _vendor_refs(project.odoo, ids)
    project.odoo.execute("res.partner", "create", {"name": "Acme Twin", "ref": "V-0002"})
    project.write(
        "purchasing.yaml",
        """\
        vendor_prices:
          - {vendor_ref: V-9999, product: DRY-RICE-5KG, price: 1}
          - {vendor_ref: V-0002, product: DRY-RICE-5KG, price: 1}
          - {vendor_ref: V-0001, product: DRY-RICE-5KG, price: 1}
          - {vendor: Acme Foods, product: DRY-RICE-5KG, price: 2}
        """,
    )
    err = project.refused()
    assert (
        "purchasing.yaml:2: vendor_prices[0] › vendor_ref: partner 'V-9999' (by ref) is "
        "not on the instance [OC-X001]" in err
    )
    assert (
        "purchasing.yaml:3: vendor_prices[1] › vendor_ref: partner 'V-0002' (by ref) is "
        "shared by 2 partners [OC-X003]" in err
    )
    assert (
        "purchasing.yaml:5: vendor_prices[3] (Acme Foods): vendor_price Acme Foods | "
        "product:DRY-RICE-5KG | min 0 | always is declared twice" in err
    )
    assert [m for _model, m in project.odoo.object_calls() if m in ("create", "write")] == []

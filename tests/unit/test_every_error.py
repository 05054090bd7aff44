"""One run reports every error it can find: a duplicate is found even when one of its copies
has a type error, so a second CI round is not needed to learn of it."""

from __future__ import annotations

from tests.unit.test_validate import validate, where


def test_a_duplicate_is_reported_beside_the_type_error_of_one_copy() -> None:
    resources, diagnostics = validate(
        {
            "a.yaml": """\
            warehouses:
              - {code: DC1, name: Central, reception_steps: 7}
            pricelists:
              - {name: Wholesale, items: [{min_quantity: abc, percentage: 5}]}
            """,
            "b.yaml": """\
            pricelists:
              - {name: Wholesale, currency: USD}
              - {name: Retail}
            """,
        }
    )

    assert sorted((where(d), d.code) for d in diagnostics) == [
        (("a.yaml", 2), "OC-V010"),
        (("a.yaml", 4), "OC-V010"),
        (("b.yaml", 2), "OC-V020"),
    ]
    [duplicate] = [d for d in diagnostics if d.code == "OC-V020"]
    assert "pricelist Wholesale is declared twice (first at a.yaml:4" in duplicate.message
    # An item that failed is no resource: nothing is planned from it.
    assert sorted(str(r.address) for r in resources if r.kind == "pricelist") == [
        "pricelist Retail",
        "pricelist Wholesale",
    ]


def test_an_invalid_key_makes_no_duplicate() -> None:
    _resources, diagnostics = validate(
        {
            "a.yaml": """\
            warehouses:
              - {code: [DC1], name: Central}
              - {code: DC1, name: Central}
              - {code: DC2, name: [x]}
              - {code: DC3, name: Other}
            """,
        }
    )

    assert sorted((where(d), d.code) for d in diagnostics) == [
        (("a.yaml", 2), "OC-V010"),
        (("a.yaml", 4), "OC-V010"),
    ]

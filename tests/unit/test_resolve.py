"""Stage 5 (``resolve_references``, ``levels``, ``generated_by``): order between resources."""

from __future__ import annotations

import textwrap

import pytest

from odooconf.engine.parse import parse_documents
from odooconf.engine.render import RenderedDocument
from odooconf.engine.resolve import cycles, generated_by, levels, references, resolve_references
from odooconf.engine.validate import validate_documents
from odooconf.model.resource import Address, DesiredResource, XmlidRef
from odooconf.testing import seed

DC1 = Address("warehouse", "DC1")


def resources_of(text: str) -> list[DesiredResource]:
    parsed, problems = parse_documents([RenderedDocument("b.yaml", textwrap.dedent(text))])
    assert problems == []
    resources, _checks, problems = validate_documents(parsed, "acme")
    assert problems == []
    return resources


def resolved(text: str) -> dict[Address, DesiredResource]:
    resources = resources_of(text)
    resources = resolve_references(resources)
    assert cycles(resources) == []
    return {resource.address: resource for resource in resources}


def test_regional_warehouse_depends_on_its_supplier() -> None:
    resources = resources_of(
        """\
        warehouses:
          - {code: RW1, name: West, resupply_from: [DC1]}
          - {code: DC1, name: Central}
        """
    )

    resources = resolve_references(resources)
    assert cycles(resources) == []

    rw1, dc1 = resources
    assert rw1.depends_on == {DC1}
    assert dc1.depends_on == set()
    assert levels(resources) == {Address("warehouse", "RW1"): 1, DC1: 0}


def test_chain_of_suppliers_gives_increasing_levels() -> None:
    resources = resources_of(
        """\
        warehouses:
          - {code: C, name: C, resupply_from: [B]}
          - {code: B, name: B, resupply_from: [A]}
          - {code: A, name: A}
          - {code: D, name: D, resupply_from: [A, C]}
        """
    )
    resources = resolve_references(resources)

    assert {str(a): level for a, level in levels(resources).items()} == {
        "warehouse A": 0,
        "warehouse B": 1,
        "warehouse C": 2,
        "warehouse D": 3,
    }


@pytest.mark.parametrize(
    "path",
    [
        "DC1/Bulk",
        "DC1/Stock/Bulk",
        "DC1/Input/Dock",
        "DC1/Quality Control/Lab",
        "DC1/Output/Lane",
        "DC1/Packing Zone/Table",
    ],
)
def test_location_under_a_generated_location_depends_on_the_warehouse(path: str) -> None:
    by_address = resolved(
        f"""\
        warehouses:
          - {{code: DC1, name: Central}}
        locations:
          - path: {path}
        """
    )

    location = by_address[Address("location", path)]
    assert location.depends_on == {DC1}
    assert levels(list(by_address.values()))[location.address] == 1


def test_location_under_a_declared_location_depends_on_it() -> None:
    by_address = resolved(
        """\
        warehouses:
          - {code: DC1, name: Central, locations: [Stock/Bulk]}
        locations:
          - {path: DC1/Stock/Bulk/Shelf}
          - {path: DC1/Stock/Bulk/Shelf/Bin}
          - {path: Outside/Zone}
          - {path: Outside/Zone/Bay}
        """
    )

    def deps(path: str) -> set[Address]:
        return by_address[Address("location", path)].depends_on

    assert deps("DC1/Stock/Bulk") == {DC1}  # inline: depends on its warehouse
    assert deps("DC1/Stock/Bulk/Shelf") == {Address("location", "DC1/Stock/Bulk")}
    assert deps("DC1/Stock/Bulk/Shelf/Bin") == {Address("location", "DC1/Stock/Bulk/Shelf")}
    assert deps("Outside/Zone") == set()
    assert deps("Outside/Zone/Bay") == {Address("location", "Outside/Zone")}
    assert {str(a): n for a, n in levels(list(by_address.values())).items()} == {
        "warehouse DC1": 0,
        "location DC1/Stock/Bulk": 1,
        "location DC1/Stock/Bulk/Shelf": 2,
        "location DC1/Stock/Bulk/Shelf/Bin": 3,
        "location Outside/Zone": 0,
        "location Outside/Zone/Bay": 1,
    }


def test_references_to_undeclared_records_add_no_dependency() -> None:
    by_address = resolved(
        """\
        warehouses:
          - code: RW1
            name: West
            company: My Company
            resupply_from: [WH, {xmlid: stock.warehouse0}]
        locations:
          - {path: WH/Stock/Bulk}
          - {path: DC9/Stock/Bulk}
        """
    )

    assert all(resource.depends_on == set() for resource in by_address.values())
    assert set(levels(list(by_address.values())).values()) == {0}


def test_references_lists_every_reference() -> None:
    warehouse, location = resources_of(
        """\
        warehouses:
          - code: RW1
            name: West
            company: {xmlid: base.main_company}
            resupply_from: [DC1, DC2]
        locations:
          - {path: DC1/Stock/Bulk}
        """
    )

    assert references(warehouse) == [
        ("company", "company", XmlidRef("base.main_company")),
        ("resupply_from", "warehouse", "DC1"),
        ("resupply_from", "warehouse", "DC2"),
    ]
    assert references(location) == [("parent", "location", "DC1/Stock")]


def test_generated_by_names_the_locations_odoo_creates() -> None:
    resources = resources_of(
        """\
        warehouses:
          - {code: DC1, name: Central}
          - {code: RW1, name: West}
        locations:
          - {path: DC1/Stock/Bulk}
        """
    )

    generated = generated_by(resources)

    dc1 = {str(address) for address, owner in generated.items() if owner.key == "DC1"}
    assert {"route DC1/reception", "route DC1/delivery", "operation_type DC1/PICK"} <= dc1
    assert {address for address in dc1 if address.startswith("location ")} == {
        "location DC1",
        "location DC1/Stock",
        "location DC1/Input",
        "location DC1/Quality Control",
        "location DC1/Output",
        "location DC1/Packing Zone",
    }
    # Locations, operation types and routes any version makes (before the instance is read).
    assert len(generated) == 2 * (6 + 9 + 3)
    assert generated[Address("location", "RW1/Stock")] is resources[1]
    assert Address("location", "DC1/Stock/Bulk") not in generated


def test_two_warehouse_cycle_is_reported() -> None:
    resources = resources_of(
        """\
        warehouses:
          - {code: A, name: A, resupply_from: [B]}
          - {code: B, name: B, resupply_from: [A]}
        """
    )

    resources = resolve_references(resources)
    diagnostics = cycles(resources)

    assert [d.code for d in diagnostics] == ["OC-X010"]
    (problem,) = diagnostics
    assert problem.message == (
        "dependency cycle among records to create: warehouse A → warehouse B → warehouse A"
    )
    assert problem.source is not None
    assert (problem.source.file, problem.source.line) == ("b.yaml", 3)
    assert problem.path == "warehouses[1] (B)"


def test_every_cycle_is_reported_with_all_its_members() -> None:
    resources = resources_of(
        """\
        warehouses:
          - {code: A, name: A, resupply_from: [B]}
          - {code: B, name: B, resupply_from: [C]}
          - {code: C, name: C, resupply_from: [A]}
          - {code: X, name: X, resupply_from: [Y]}
          - {code: Y, name: Y, resupply_from: [X]}
          - {code: Z, name: Z, resupply_from: [A]}
        """
    )

    resources = resolve_references(resources)
    diagnostics = cycles(resources)

    assert [d.code for d in diagnostics] == ["OC-X010", "OC-X010"]
    first, second = (d.message for d in diagnostics)
    for code in "ABC":
        assert f"warehouse {code}" in first
    assert "warehouse X" not in first
    assert "warehouse Z" not in first
    assert "warehouse X" in second
    assert "warehouse Y" in second
    assert "warehouse Z" not in second


def test_no_cycle_no_diagnostic() -> None:
    resources = resources_of(
        """\
        warehouses:
          - {code: A, name: A}
          - {code: B, name: B, resupply_from: [A]}
          - {code: C, name: C, resupply_from: [A, B]}
        """
    )

    resources = resolve_references(resources)
    assert cycles(resources) == []


@pytest.mark.parametrize(
    ("version", "absent", "present"),
    [
        ("16.0", {"XD", "QC", "STOR"}, {"RET", "INT"}),  # Cross Dock... new in 18
        ("17.0", {"XD", "QC", "STOR", "RET"}, {"INT"}),  # 16's Returns type is gone
        ("18.0", {"RET"}, {"XD", "QC", "STOR"}),
        ("19.0", {"RET"}, {"XD", "QC", "STOR"}),
    ],
)
def test_generated_by_follows_the_instance_s_warehouse_fields(
    version: str, absent: set[str], present: set[str]
) -> None:
    """What plan takes for granted must be what this version's warehouse makes: a reference to
    a type it does not make is then a plan error, not a failed apply."""
    [dc1] = resources_of("warehouses:\n  - {code: DC1, name: Central}\n")
    fields = {"stock.warehouse": seed.fields_get(version)["stock.warehouse"]}

    generated = {str(address) for address in generated_by([dc1], fields)}

    assert not {f"operation_type DC1/{code}" for code in absent} & generated
    assert {f"operation_type DC1/{code}" for code in present} <= generated
    assert ("route DC1/crossdock" in generated) is (version != "19.0")

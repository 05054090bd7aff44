"""Stage 4 (``validate_documents``): warehouse and location items become desired resources."""

from __future__ import annotations

import textwrap

import pytest

from odooconf.engine.parse import parse_documents
from odooconf.engine.render import RenderedDocument
from odooconf.engine.validate import validate_documents
from odooconf.kinds import SECTIONS
from odooconf.model.diagnostics import Diagnostic
from odooconf.model.resource import Address, DesiredResource, XmlidRef

ALLOWED_WAREHOUSE_KEYS = (
    "code, name, company, reception_steps, delivery_steps, resupply_from, active, locations, id, "
    "state"
)


def validate(
    files: dict[str, str], namespace: str = "acme"
) -> tuple[list[DesiredResource], list[Diagnostic]]:
    """Parse and validate ``{file name: YAML text}`` (texts are dedented)."""
    rendered = [RenderedDocument(name, textwrap.dedent(text)) for name, text in files.items()]
    parsed, problems = parse_documents(rendered)
    assert problems == [], problems
    resources, _checks, diagnostics = validate_documents(parsed, namespace)
    return resources, diagnostics


def by_address(resources: list[DesiredResource]) -> dict[str, DesiredResource]:
    return {str(resource.address): resource for resource in resources}


def where(diagnostic: Diagnostic) -> tuple[str | None, int | None]:
    source = diagnostic.source
    return (source.file, source.line) if source else (None, None)


# --- valid items ------------------------------------------------------------------------------


def test_warehouse_resource() -> None:
    resources, diagnostics = validate(
        {
            "stock/w.yaml": """\
                # comment
                warehouses:
                  - code: DC1
                    name: Central
                    reception_steps: three_steps
                    active: false
            """
        }
    )

    assert diagnostics == []
    (warehouse,) = resources
    assert warehouse.address == Address("warehouse", "DC1")
    assert (warehouse.kind, warehouse.key) == ("warehouse", "DC1")
    # Only what the blueprint declares: no defaults (delivery_steps, resupply_from, locations...).
    assert warehouse.values == {
        "code": "DC1",
        "name": "Central",
        "reception_steps": "three_steps",
        "active": False,
    }
    assert warehouse.xmlid == "acme.warehouse_dc1"
    assert (warehouse.source.file, warehouse.source.line) == ("stock/w.yaml", 3)
    assert warehouse.path == "warehouses[0] (DC1)"
    assert warehouse.depends_on == set()


def test_references_are_keys_or_xmlid_refs() -> None:
    resources, diagnostics = validate(
        {
            "w.yaml": """\
                warehouses:
                  - code: DC1
                    name: Central
                    company: My Company
                  - code: RW1
                    name: West
                    company: {xmlid: base.main_company}
                    resupply_from: [DC1, {xmlid: stock.warehouse0}]
            """
        }
    )

    assert diagnostics == []
    dc1, rw1 = resources
    assert dc1.values["company"] == "My Company"
    assert type(dc1.values["company"]) is str
    assert rw1.values["company"] == XmlidRef("base.main_company")
    assert rw1.values["resupply_from"] == ["DC1", XmlidRef("stock.warehouse0")]
    assert type(rw1.values["resupply_from"][0]) is str


@pytest.mark.parametrize(
    ("item", "namespace", "xmlid"),
    [
        ("{code: DC1, name: A}", "acme", "acme.warehouse_dc1"),
        ("{code: RW-1, name: A}", "acme", "acme.warehouse_rw_1"),
        ("{code: 'a.b', name: A}", "acme", "acme.warehouse_a_b"),
        ("{code: DC1, name: A}", "odooconf", "odooconf.warehouse_dc1"),
        ("{code: DC1, name: A, id: main_dc}", "acme", "acme.main_dc"),
    ],
)
def test_warehouse_xmlid(item: str, namespace: str, xmlid: str) -> None:
    resources, diagnostics = validate({"w.yaml": f"warehouses:\n  - {item}\n"}, namespace)

    assert diagnostics == []
    assert [resource.xmlid for resource in resources] == [xmlid]


def test_five_character_code_is_accepted() -> None:
    resources, diagnostics = validate({"w.yaml": "warehouses:\n  - {code: ABCDE, name: A}\n"})

    assert diagnostics == []
    assert resources[0].key == "ABCDE"


def test_location_resource() -> None:
    resources, diagnostics = validate(
        {
            "l.yaml": """\
                locations:
                  - path: DC1/Stock/Bulk
                  - path: DC1/Stock/Bulk/Shelf 1
                    barcode: S1
                    active: false
                    usage: transit
                    id: shelf_one
            """
        }
    )

    assert diagnostics == []
    bulk, shelf = resources
    assert bulk.address == Address("location", "DC1/Stock/Bulk")
    assert bulk.values == {"name": "Bulk", "parent": "DC1/Stock"}  # usage only on create
    assert bulk.xmlid == "acme.location_dc1_stock_bulk"
    assert shelf.values == {
        "name": "Shelf 1",
        "parent": "DC1/Stock/Bulk",
        "usage": "transit",
        "barcode": "S1",
        "active": False,
    }
    assert shelf.xmlid == "acme.shelf_one"
    assert (shelf.source.file, shelf.source.line, shelf.path) == (
        "l.yaml",
        3,
        "locations[1] (DC1/Stock/Bulk/Shelf 1)",
    )


def test_inline_locations_expand_into_location_resources() -> None:
    resources, diagnostics = validate(
        {
            "w.yaml": """\
                warehouses:
                  - code: DC1
                    name: Central
                    locations:
                      - Stock/Bulk
                      - path: Stock/Cold Room/Freezer
                        barcode: FRZ
                        usage: transit
            """
        }
    )

    assert diagnostics == []
    assert [str(resource.address) for resource in resources] == [
        "warehouse DC1",
        "location DC1/Stock/Bulk",
        "location DC1/Stock/Cold Room/Freezer",
    ]
    warehouse, bulk, freezer = resources
    assert "locations" not in warehouse.values
    assert bulk.values == {"name": "Bulk", "parent": "DC1/Stock"}  # usage only on create
    assert freezer.values == {
        "name": "Freezer",
        "parent": "DC1/Stock/Cold Room",
        "usage": "transit",
        "barcode": "FRZ",
    }
    assert bulk.xmlid == "acme.location_dc1_stock_bulk"
    assert freezer.xmlid == "acme.location_dc1_stock_cold_room_freezer"
    for child in (bulk, freezer):
        assert child.depends_on == {Address("warehouse", "DC1")}
        assert child.source.file == "w.yaml"
        assert child.path.startswith("warehouses[0] (DC1)")


def test_empty_sections_and_documents_are_fine() -> None:
    resources, diagnostics = validate(
        {"a.yaml": "warehouses:\nlocations: []\n", "b.yaml": "# nothing yet\n", "c.yaml": "---\n"}
    )

    assert (resources, diagnostics) == ([], [])


# --- errors -----------------------------------------------------------------------------------

ITEM_ERRORS = [
    pytest.param(
        "  - {code: DC1, name: A}\n  - code: RW1\n    name: West\n    colour: red\n",
        5,
        "warehouses[1] (RW1) › colour",
        ["unknown key 'colour'", f"(allowed: {ALLOWED_WAREHOUSE_KEYS})"],
        id="unknown-key",
    ),
    pytest.param(
        "  - {code: DC1, name: A}\n  - code: RW1\n    name: [West]\n",
        4,
        "warehouses[1] (RW1) › name",
        ["valid string", "(got ['West'])"],
        id="wrong-type",
    ),
    pytest.param(
        "  - code: RW1\n    name: West\n    active: maybe\n",
        4,
        "warehouses[0] (RW1) › active",
        ["valid boolean", "(got 'maybe')"],
        id="wrong-type-bool",
    ),
    pytest.param(
        "  - code: RW1\n    name: West\n    reception_steps: four_steps\n",
        4,
        "warehouses[0] (RW1) › reception_steps",
        ["'one_step', 'two_steps' or 'three_steps'", "(got 'four_steps')"],
        id="bad-selection",
    ),
    pytest.param(
        "  - {code: DC1, name: A}\n  - code: TOOLONG\n    name: West\n",
        3,
        "warehouses[1] (TOOLONG) › code",
        ["7 characters", "at most 5"],
        id="code-too-long",
    ),
    pytest.param(
        "  - {code: DC1, name: A}\n  - code: RW1\n    company: X\n",
        3,
        "warehouses[1] (RW1) › name",
        ["required key is missing"],
        id="missing-key",
    ),
    pytest.param(
        "  - code: RW1\n    name: West\n    resupply_from: [DC1, RW1]\n",
        2,
        "warehouses[0] (RW1)",
        ["warehouse RW1 cannot be resupplied from itself"],
        id="resupplied-from-itself",
    ),
    pytest.param(
        "  - code: DC1\n    name: A\n    locations:\n      - Stock/A\n      - Stock//B\n",
        6,
        "warehouses[0] (DC1) › locations[1] › path",
        ["without empty parts", "(got 'Stock//B')"],
        id="bad-inline-location",
    ),
    pytest.param(
        "  - code: ' DC1'\n    name: A\n",
        2,
        "warehouses[0] ( DC1) › code",
        ["pattern"],
        id="code-with-space",
    ),
    pytest.param(
        "  - just a string\n",
        2,
        "warehouses[0]",
        ["valid dictionary"],
        id="item-not-a-mapping",
    ),
]


@pytest.mark.parametrize(("items", "line", "crumb", "words"), ITEM_ERRORS)
def test_invalid_warehouse_item(items: str, line: int, crumb: str, words: list[str]) -> None:
    _, diagnostics = validate({"w.yaml": "warehouses:\n" + items})

    assert [(d.code, d.path) for d in diagnostics] == [("OC-V010", crumb)]
    (problem,) = diagnostics
    assert where(problem) == ("w.yaml", line)
    for word in words:
        assert word in problem.message
    assert problem.render().startswith(f"w.yaml:{line}: {crumb}: ")


@pytest.mark.parametrize(
    ("item", "crumb", "words"),
    [
        ("{path: No//Parent}", "locations[0] (No//Parent) › path", ["parent path"]),
        ("{path: A/B, usage: bad}", "locations[0] (A/B) › usage", ["'internal'", "(got 'bad')"]),
        ("{path: A/B, id: Bad-Id}", "locations[0] (A/B) › id", ["pattern"]),
        ("{path: A/B, colour: red}", "locations[0] (A/B) › colour", ["path, usage"]),
        ("{usage: transit}", "locations[0] › path", ["required key is missing"]),
    ],
)
def test_invalid_location_item(item: str, crumb: str, words: list[str]) -> None:
    _, diagnostics = validate({"l.yaml": f"# locations\nlocations:\n  - {item}\n"})

    assert [(d.code, d.path) for d in diagnostics] == [("OC-V010", crumb)]
    assert where(diagnostics[0]) == ("l.yaml", 3)
    for word in words:
        assert word in diagnostics[0].message


def test_every_error_of_an_item_is_reported() -> None:
    _, diagnostics = validate(
        {
            "w.yaml": """\
                warehouses:
                  - code: TOOLONG
                    reception_steps: four_steps
                    colour: red
            """
        }
    )

    assert sorted((d.path, where(d)[1]) for d in diagnostics) == [
        ("warehouses[0] (TOOLONG) › code", 2),
        ("warehouses[0] (TOOLONG) › colour", 4),
        ("warehouses[0] (TOOLONG) › name", 2),
        ("warehouses[0] (TOOLONG) › reception_steps", 3),
    ]


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("warehouse: []\n", "did you mean 'warehouses'?"),
        ("location: []\n", "did you mean 'locations'?"),
        ("Warehouses: []\n", "did you mean 'warehouses'?"),
        ("zzzz: []\n", None),
    ],
)
def test_unknown_section(text: str, hint: str | None) -> None:
    _, diagnostics = validate({"w.yaml": "warehouses: []\n" + text})

    assert [d.code for d in diagnostics] == ["OC-V002"]
    (problem,) = diagnostics
    assert where(problem) == ("w.yaml", 2)
    assert f"unknown section {text.split(':', maxsplit=1)[0]!r}" in problem.message
    assert f"known: {', '.join(sorted(SECTIONS))}" in problem.message
    if hint is None:
        assert "did you mean" not in problem.message
    else:
        assert hint in problem.message


@pytest.mark.parametrize("value", ["{code: DC1, name: A}", "DC1", "12"])
def test_section_that_is_not_a_list(value: str) -> None:
    resources, diagnostics = validate({"w.yaml": f"locations: []\nwarehouses: {value}\n"})

    assert resources == []
    assert [(d.code, d.path) for d in diagnostics] == [("OC-V003", "warehouses")]
    assert where(diagnostics[0]) == ("w.yaml", 2)
    assert "must be a list of warehouse items" in diagnostics[0].message


@pytest.mark.parametrize(
    ("text", "type_name", "line"),
    [("- a\n- b\n", "list", 1), ("# top\njust text\n", "str", 2), ("42\n", "int", 1)],
)
def test_top_level_that_is_not_a_mapping(text: str, type_name: str, line: int) -> None:
    resources, diagnostics = validate({"w.yaml": text})

    assert resources == []
    assert [d.code for d in diagnostics] == ["OC-V001"]
    assert where(diagnostics[0]) == ("w.yaml", line)
    assert f"not a {type_name}" in diagnostics[0].message
    assert ", ".join(sorted(SECTIONS)) in diagnostics[0].message


def test_same_warehouse_in_two_files_names_the_first() -> None:
    _, diagnostics = validate(
        {
            "a.yaml": "# first\nwarehouses:\n  - {code: DC1, name: A}\n",
            "b.yaml": "warehouses:\n  - {code: RW1, name: R}\n  - {code: DC1, name: B}\n",
        }
    )

    assert [(d.code, d.path) for d in diagnostics] == [("OC-V020", "warehouses[1] (DC1)")]
    (problem,) = diagnostics
    assert where(problem) == ("b.yaml", 3)
    assert "warehouse DC1 is declared twice" in problem.message
    assert "first at a.yaml:3 warehouses[0] (DC1)" in problem.message


@pytest.mark.parametrize(
    ("items", "identity"),
    [
        ("  - {code: DC1, name: A, id: main}\n  - {code: DC2, name: B, id: main}\n", "acme.main"),
        ("  - {code: A B, name: A}\n  - {code: A-B, name: B}\n", "acme.warehouse_a_b"),
    ],
)
def test_same_external_id_twice(items: str, identity: str) -> None:
    _, diagnostics = validate({"w.yaml": "warehouses:\n" + items})

    assert [d.code for d in diagnostics] == ["OC-V020"]
    (problem,) = diagnostics
    assert problem.path.startswith("warehouses[1] (")
    assert f"gets external id {identity}, like warehouse " in problem.message
    assert "(at w.yaml:2 warehouses[0]" in problem.message
    assert "give one of them its own 'id'" in problem.message
    assert where(problem) == ("w.yaml", 3)


def test_inline_location_also_declared_at_top_level() -> None:
    _, diagnostics = validate(
        {
            "w.yaml": "warehouses:\n  - {code: DC1, name: A, locations: [Stock/Bulk]}\n",
            "l.yaml": "locations:\n  - path: DC1/Stock/Bulk\n",
        }
    )

    assert [(d.code, d.path) for d in diagnostics] == [("OC-V020", "locations[0] (DC1/Stock/Bulk)")]
    assert where(diagnostics[0]) == ("l.yaml", 2)
    assert "location DC1/Stock/Bulk is declared twice" in diagnostics[0].message


def test_errors_of_several_files_are_reported_together() -> None:
    resources, diagnostics = validate(
        {
            "a.yaml": "warehouses:\n  - {code: DC1}\n  - {code: RW1, name: R, colour: red}\n",
            "b.yaml": "warehous: []\n",
            "c.yaml": "locations:\n  - {path: WH/Stock/A}\n",
            "d.yaml": "locations:\n  - {path: X}\n",
        }
    )

    assert [str(resource.address) for resource in resources] == ["location WH/Stock/A"]
    assert [(d.code, *where(d), d.path) for d in diagnostics] == [
        ("OC-V010", "a.yaml", 2, "warehouses[0] (DC1) › name"),
        ("OC-V010", "a.yaml", 3, "warehouses[1] (RW1) › colour"),
        ("OC-V002", "b.yaml", 1, ""),
        ("OC-V010", "d.yaml", 2, "locations[0] (X) › path"),
    ]


# --- references written as external ids --------------------------------------------------------


def test_xmlid_reference_is_accepted() -> None:
    resources, diagnostics = validate(
        {
            "w.yaml": (
                "warehouses:\n"
                "  - code: RW1\n"
                "    name: West\n"
                "    company: {xmlid: base.main_company}\n"
                "    resupply_from:\n"
                "      - {xmlid: stock.warehouse0}\n"
            )
        }
    )

    assert diagnostics == []
    assert resources[0].values["company"] == XmlidRef("base.main_company")
    assert resources[0].values["resupply_from"] == [XmlidRef("stock.warehouse0")]


@pytest.mark.parametrize(
    ("attribute", "line", "crumb_start"),
    [
        ("company: {xmlid: bad}", 4, "warehouses[0] (RW1) › company"),
        (
            "resupply_from:\n      - DC1\n      - {xmlid: bad}",
            6,
            "warehouses[0] (RW1) › resupply_from[1]",
        ),
    ],
)
def test_bad_xmlid_reference_gives_one_error(attribute: str, line: int, crumb_start: str) -> None:
    _, diagnostics = validate(
        {"w.yaml": f"warehouses:\n  - code: RW1\n    name: West\n    {attribute}\n"}
    )

    assert [d.code for d in diagnostics] == ["OC-V010"]
    (problem,) = diagnostics
    assert where(problem) == ("w.yaml", line)
    assert problem.path.startswith(crumb_start)
    assert "(got 'bad')" in problem.message
    assert "pattern" in problem.message
    # No noise from the other branch of the reference union.
    assert "valid string" not in problem.message


@pytest.mark.parametrize(
    ("attribute", "crumb"),
    [
        ("company: {xmlid: bad}", "warehouses[0] (RW1) › company › xmlid"),
        ("company: 12", "warehouses[0] (RW1) › company"),
        ("resupply_from: [{xmlid: bad}]", "warehouses[0] (RW1) › resupply_from[0] › xmlid"),
    ],
)
def test_reference_error_breadcrumb_has_no_union_branch(attribute: str, crumb: str) -> None:
    _, diagnostics = validate(
        {"w.yaml": f"warehouses:\n  - code: RW1\n    name: West\n    {attribute}\n"}
    )

    assert [d.path for d in diagnostics] == [crumb]


@pytest.mark.parametrize(
    ("attribute", "allowed"),
    [
        (
            "locations: [{path: Stock/X, bogus: 1}]",
            "allowed: path, usage, barcode, company, active",
        ),
        ("company: {xmlid: base.main_company, bogus: 1}", "allowed: xmlid"),
    ],
)
def test_unknown_nested_key_lists_the_nested_keys(attribute: str, allowed: str) -> None:
    _, diagnostics = validate(
        {"w.yaml": f"warehouses:\n  - code: RW1\n    name: West\n    {attribute}\n"}
    )

    (problem,) = diagnostics
    assert "unknown key 'bogus'" in problem.message
    assert allowed in problem.message
    assert "reception_steps" not in problem.message


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("warehouse:\n  - code: DC1\n    name: A\n", 1),
        ("warehouses:\n  - code: DC1\n    name: A\n    location:\n      - Stock/A\n", 4),
    ],
    ids=["unknown-section", "unknown-key"],
)
def test_unknown_key_with_block_value_points_at_the_key(text: str, line: int) -> None:
    _, diagnostics = validate({"w.yaml": text})

    assert [where(d) for d in diagnostics] == [("w.yaml", line)]

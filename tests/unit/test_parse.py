"""Stage 3 (``parse_documents``): safe YAML with a line for every value."""

from __future__ import annotations

import pytest
import yaml

from odooconf.engine import parse
from odooconf.engine.parse import ParsedDocument, parse_documents
from odooconf.engine.render import RenderedDocument
from odooconf.model.diagnostics import Diagnostic

BLUEPRINT = """\
# Distribution centre and one regional warehouse.
warehouses:
  - code: DC1
    name: Central
    locations:
      - Stock/Bulk
      - path: Stock/Cold
        barcode: C1
  - code: RW1
    resupply_from: [DC1, WH]
locations:
  - {path: DC1/Stock/X}
"""


def parse_one(text: str, name: str = "f.yaml") -> tuple[list[ParsedDocument], list[Diagnostic]]:
    return parse_documents([RenderedDocument(name, text)])


def located(diagnostics: list[Diagnostic]) -> list[tuple[str, str | None, int | None]]:
    return [
        (d.code, d.source.file if d.source else None, d.source.line if d.source else None)
        for d in diagnostics
    ]


def test_data_is_plain_python() -> None:
    (doc,), diagnostics = parse_one(BLUEPRINT, "stock/w.yaml")

    assert diagnostics == []
    assert doc.name == "stock/w.yaml"
    assert doc.data == {
        "warehouses": [
            {
                "code": "DC1",
                "name": "Central",
                "locations": ["Stock/Bulk", {"path": "Stock/Cold", "barcode": "C1"}],
            },
            {"code": "RW1", "resupply_from": ["DC1", "WH"]},
        ],
        "locations": [{"path": "DC1/Stock/X"}],
    }


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ((), 2),
        (("warehouses", 0), 3),
        (("warehouses", 0, "code"), 3),
        (("warehouses", 0, "name"), 4),
        (("warehouses", 0, "locations", 0), 6),
        (("warehouses", 0, "locations", 1), 7),
        (("warehouses", 0, "locations", 1, "path"), 7),
        (("warehouses", 0, "locations", 1, "barcode"), 8),
        (("warehouses", 1), 9),
        (("warehouses", 1, "resupply_from", 1), 10),
        (("locations", 0, "path"), 12),
        # Unknown paths fall back to the deepest known value along the way.
        (("warehouses", 1, "name"), 9),
        (("warehouses", 0, "locations", 1, "usage"), 7),
        (("warehouses", 0, "locations", 1, "path", "deeper"), 7),
        (("no_such_section", 3), 2),
    ],
)
def test_line_of_nested_values(path: tuple[str | int, ...], line: int) -> None:
    (doc,), _ = parse_one(BLUEPRINT)

    assert doc.line(path) == line


def test_line_is_none_when_nothing_is_known() -> None:
    assert ParsedDocument("x.yaml", None).line(("a", 0)) is None


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a'"),
        ("w:\n  - code: A\n    name: x\n    code: B\n", 4, "duplicate key 'code'"),
        ("a: 1\n1: 2\n", 2, "not a string"),
        ("a: 1\nnull: 2\n", 2, "not a string"),
        ("a: 1\ntrue: 2\n", 2, "not a string"),
        ("a: 1\n? [x]\n: 2\n", 2, "not a string"),
        ("a:\n  b:\n    - {3.5: x}\n", 3, "not a string"),
        ("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n", 3, ""),
    ],
    ids=[
        "duplicate",
        "nested-duplicate",
        "int-key",
        "null-key",
        "bool-key",
        "sequence-key",
        "float-key",
        "merge-key",
    ],
)
def test_surprising_keys_are_rejected_with_line(text: str, line: int, words: str) -> None:
    parsed, diagnostics = parse_one(text)

    assert parsed == []
    assert located(diagnostics) == [("OC-L010", "f.yaml", line)]
    assert words in diagnostics[0].message


def test_merge_key_message_says_merge_keys_are_unsupported() -> None:
    _, diagnostics = parse_one("base: &b {x: 1}\nother:\n  <<: *b\n")

    assert "merge keys" in diagnostics[0].message


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a: 1\nb: [1, 2\nc: 3\n", 3, "the construct starts at line 2"),
        ("a: 1\nb: 'unterminated\n", 3, "the construct starts at line 2"),
        # libyaml (used where PyYAML has it) names the tab; the pure-Python parser quotes it.
        ("a: 1\n\tb: 2\n", 2, "tab character" if yaml.__with_libyaml__ else "'\\t'"),
        ("a: b: c\n", 1, "mapping values are not allowed"),
        ("a: 1\n  b: 2\n", 2, "mapping values are not allowed"),
        ("- a\nb: 1\n", 2, "block"),
        ("a: 1\nb: *nope\n", 2, "undefined alias"),
    ],
)
def test_invalid_yaml_gives_line(text: str, line: int, words: str) -> None:
    parsed, diagnostics = parse_one(text)

    assert parsed == []
    assert located(diagnostics) == [("OC-L010", "f.yaml", line)]
    assert diagnostics[0].message.startswith("invalid YAML: ")
    assert words in diagnostics[0].message


def test_multi_document_file() -> None:
    parsed, diagnostics = parse_one("a: 1\n---\nb:\n  - x\n---\n")

    assert diagnostics == []
    assert [doc.name for doc in parsed] == ["f.yaml"] * 3
    assert [doc.data for doc in parsed] == [{"a": 1}, {"b": ["x"]}, None]
    # Lines count from the top of the file, not of each document.
    assert parsed[1].line(("b", 0)) == 4
    assert parsed[0].line(("b", 0)) == 1


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n"])
def test_empty_file_has_no_documents(text: str) -> None:
    assert parse_one(text) == ([], [])


def test_errors_of_several_files_are_collected() -> None:
    documents = [
        RenderedDocument("a.yaml", "a: [1\n"),
        RenderedDocument("b.yaml", "b: 1\n"),
        RenderedDocument("c.yaml", "c: 1\nc: 2\n"),
    ]

    parsed, diagnostics = parse_documents(documents)

    assert [(doc.name, doc.data) for doc in parsed] == [("b.yaml", {"b": 1})]
    assert located(diagnostics) == [("OC-L010", "a.yaml", 2), ("OC-L010", "c.yaml", 2)]


def test_aliases_within_limits_are_expanded() -> None:
    (doc,), diagnostics = parse_one("a: &a [1, 2]\nb: *a\n")

    assert diagnostics == []
    assert doc.data == {"a": [1, 2], "b": [1, 2]}


def test_alias_bomb_is_refused() -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for previous, name in zip("abcdef", "bcdefg", strict=True):
        anchor = "" if name == "g" else f"&{name} "
        levels.append(f"{name}: {anchor}[{', '.join([f'*{previous}'] * 10)}]")
    bomb = "\n".join(levels) + "\n"  # 10**7 values once expanded

    parsed, diagnostics = parse_one(bomb)

    assert parsed == []
    assert [d.code for d in diagnostics] == ["OC-L010"]
    assert f"more than {parse.MAX_NODES} values" in diagnostics[0].message


def test_node_limit_boundary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse, "MAX_NODES", 4)

    fits, fits_problems = parse_one("[1, 2, 3]\n")  # a sequence and three scalars
    over, over_problems = parse_one("[1, 2, 3, 4]\n")

    assert (fits_problems, [doc.data for doc in fits]) == ([], [[1, 2, 3]])
    assert over == []
    assert "more than 4 values" in over_problems[0].message


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/name:os.system ''\n",
        "a: !!python/object:os.system x\n",
        "a: !!python/module:os ''\n",
        "a: !custom 1\n",
    ],
)
def test_python_and_custom_tags_are_invalid_yaml(text: str) -> None:
    parsed, diagnostics = parse_one(text)

    assert parsed == []
    assert located(diagnostics) == [("OC-L010", "f.yaml", 1)]
    assert "is not allowed in blueprints" in diagnostics[0].message


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object:os.system {}\n",
        "a: !!python/object/apply:os.system [ls]\n",
        "a: !!python/object/new:os.system {args: [ls]}\n",
        "a: !!python/tuple [1, 2]\n",
        "a: !custom {x: 1}\n",
    ],
)
def test_tags_on_collections_are_invalid_yaml(text: str) -> None:
    parsed, diagnostics = parse_one(text)

    assert parsed == []
    assert located(diagnostics) == [("OC-L010", "f.yaml", 1)]


@pytest.mark.parametrize(
    "text",
    [
        "[" * 5000,
        "{a: " * 5000,
        "a:" + " [" * 5000,
        "x: &x\n  y: *x\n",  # an alias inside itself: infinitely deep
    ],
    ids=["open-lists", "open-mappings", "nested-value", "recursive-alias"],
)
def test_deep_nesting_is_an_error_not_a_crash(text: str) -> None:
    parsed, diagnostics = parse_one(text)

    assert parsed == []
    assert [d.code for d in diagnostics] == ["OC-L010"]
    assert diagnostics[0].source is not None
    assert diagnostics[0].source.file == "f.yaml"


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nday: 2024-02-30\n",
        "a: 1\nday: 2024-13-01\n",
        "a: 1\nat: 2024-01-01 25:00:00\n",
        "a: 1\nn: !!int x\n",
        "a: 1\nb: !!bool x\n",
        "a: 1\nt: !!timestamp nope\n",
    ],
)
def test_unconstructible_values_are_errors_with_line(text: str) -> None:
    parsed, diagnostics = parse_one(text)

    assert parsed == []
    assert located(diagnostics) == [("OC-L010", "f.yaml", 2)]


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("a: 1\ncode: !!binary aGVsbG8=\n", "!!binary"),  # would be the text 'hello'
        ("a: 1\nb: !!python/bytes aGVsbG8=\n", "!!python/bytes"),
        ("a: 1\nb: !!value x\n", "!!value"),
    ],
)
def test_tags_outside_the_core_schema_are_refused_with_line(text: str, tag: str) -> None:
    parsed, diagnostics = parse_one(text)

    assert parsed == []
    assert located(diagnostics) == [("OC-L010", "f.yaml", 2)]
    assert f"tag {tag} is not allowed in blueprints" in diagnostics[0].message


def test_core_schema_tags_are_kept() -> None:
    text = "a: !!str 0110\nb: !!int '7'\nc: !!float '1.5'\nd: !!bool 'true'\ne: !!null ''\n"

    [doc], diagnostics = parse_one(text)

    assert diagnostics == []
    assert doc.data == {"a": "0110", "b": 7, "c": 1.5, "d": True, "e": None}


@pytest.mark.parametrize(
    "number", [".nan", ".NaN", ".inf", "-.Inf", "+.inf", "1.0e+400", "-1.5e+999"]
)
def test_numbers_that_are_not_finite_are_refused_with_line(number: str) -> None:
    parsed, diagnostics = parse_one(f"a: 1\nb: [1, {number}]\n")

    assert parsed == []
    assert located(diagnostics) == [("OC-L010", "f.yaml", 2)]
    assert f"{number!r} is not a finite number" in diagnostics[0].message


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("0110100", "0110100"),  # YAML 1.1: the octal number 36928
        ("-017", "-017"),
        ("0b101", "0b101"),
        ("0x1F", "0x1F"),
        ("1_000", "1_000"),
        ("1:30", "1:30"),  # YAML 1.1: 90 (base 60)
        ("110100", 110100),
        ("-7", -7),
        ("+7", 7),
        ("0", 0),
    ],
)
def test_whole_numbers_yaml_1_1_reads_otherwise_keep_their_text(
    written: str, value: int | str
) -> None:
    """YAML 1.1 reads ``0110100`` as octal; the user wrote an account code (or meant 110100):
    the text is kept, a text field gets it as written and a number field reads its digits."""
    [doc], diagnostics = parse_one(f"code: {written}\n")

    assert diagnostics == []
    assert doc.data == {"code": value}

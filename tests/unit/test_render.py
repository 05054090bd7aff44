"""Stage 2 (``render_documents``): Jinja2 in a sandbox, strict about undefined variables."""

from __future__ import annotations

from typing import Any

import pytest

from odooconf.engine import render
from odooconf.engine.load import RawDocument
from odooconf.engine.render import render_documents

VARIABLES: dict[str, Any] = {
    "company": "ACME",
    "environment": "dev",
    "regions": [{"code": "RW1", "name": "West"}, {"code": "RW2", "name": "East"}],
    "flag": True,
}


def test_variables_are_substituted() -> None:
    text = (
        "warehouses:\n"
        "  - code: DC1\n"
        '    name: "{{ company }} Central ({{ environment }})"\n'
        "{% for region in regions %}\n"
        "  - code: {{ region.code }}\n"
        "    name: {{ company }} {{ region.name }}\n"
        "{% endfor %}\n"
    )

    rendered, diagnostics = render_documents([RawDocument("w.yaml", text)], VARIABLES)

    assert diagnostics == []
    assert [doc.name for doc in rendered] == ["w.yaml"]
    assert rendered[0].text == (
        "warehouses:\n"
        "  - code: DC1\n"
        '    name: "ACME Central (dev)"\n'
        "\n"
        "  - code: RW1\n"
        "    name: ACME West\n"
        "\n"
        "  - code: RW2\n"
        "    name: ACME East\n"
        "\n"
    )


def test_plain_text_is_unchanged_including_trailing_newline() -> None:
    text = "# a comment: no {template} here\nwarehouses: []\n\n"

    rendered, diagnostics = render_documents([RawDocument("plain.yaml", text)], {})

    assert diagnostics == []
    assert rendered[0].text == text


def test_values_are_not_html_escaped() -> None:
    rendered, diagnostics = render_documents(
        [RawDocument("a.yaml", "name: {{ name }}\n")], {"name": "R&D <main>"}
    )

    assert diagnostics == []
    assert rendered[0].text == "name: R&D <main>\n"


@pytest.mark.parametrize(
    ("text", "line", "word"),
    [
        ("a: 1\nb: 2\nc: {{ missing }}\n", 3, "missing"),
        (
            "a: 1\n{% for r in regions %}\n- code: {{ r.code }}\n"
            "  name: {{ r.nme }}\n{% endfor %}\n",
            4,
            "nme",
        ),
        ("a: 1\nb: 2\n{% if flag %}\nc: {{ nope }}\n{% endif %}\n", 4, "nope"),
        ("a: 1\n\n\nb: {{ company | upper }} {{ x | default(fallback) }}\n", 4, "fallback"),
        ("a: {{ company.nope }}\n", 1, "nope"),
    ],
)
def test_undefined_variable_names_file_and_line(text: str, line: int, word: str) -> None:
    rendered, diagnostics = render_documents([RawDocument("stock/w.yaml", text)], VARIABLES)

    assert rendered == []
    assert [d.code for d in diagnostics] == ["OC-R002"]
    (problem,) = diagnostics
    assert problem.source is not None
    assert (problem.source.file, problem.source.line) == ("stock/w.yaml", line)
    assert "undefined" in problem.message
    assert word in problem.message
    assert problem.render().startswith(f"stock/w.yaml:{line}: ")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: 1\nb: {{ 1 + }}\n", 2),
        ("a: 1\n\nb: {% endfor %}\n", 3),
        ("a: 1\nb: 2\nc: 3\nd: {{ company }\n", 4),
        ("a: 1\n{% if %}\n{% endif %}\n", 2),
    ],
)
def test_template_syntax_error_gives_line(text: str, line: int) -> None:
    rendered, diagnostics = render_documents([RawDocument("w.yaml", text)], VARIABLES)

    assert rendered == []
    assert [d.code for d in diagnostics] == ["OC-R001"]
    (problem,) = diagnostics
    assert problem.source is not None
    assert (problem.source.file, problem.source.line) == ("w.yaml", line)
    assert problem.message.startswith("template syntax: ")


@pytest.mark.parametrize(
    "expression",
    [
        "''.__class__.__mro__",
        "''.__class__.__mro__[1].__subclasses__()",
        "company.__class__.__base__.__subclasses__()",
        "lipsum.__globals__",
        "cycler.__init__.__globals__",
        "company.__len__()",
        "self._TemplateReference__context",
    ],
)
def test_sandbox_blocks_attribute_escapes(expression: str) -> None:
    text = f"a: 1\nb: {{{{ {expression} }}}}\n"

    rendered, diagnostics = render_documents([RawDocument("evil.yaml", text)], VARIABLES)

    assert rendered == []
    assert [d.code for d in diagnostics] == ["OC-R002"]
    (problem,) = diagnostics
    assert "unsafe" in problem.message
    assert problem.source is not None
    assert (problem.source.file, problem.source.line) == ("evil.yaml", 2)


def test_output_size_bomb_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "MAX_OUTPUT", 1000)
    bomb = "a: {% for i in range(50) %}{% for j in range(50) %}x{% endfor %}{% endfor %}\n"
    fits = "a: {% for i in range(10) %}{{ 'x' * 90 }}{% endfor %}\n"  # 3 + 900 + 1 characters

    rendered, diagnostics = render_documents(
        [RawDocument("bomb.yaml", bomb), RawDocument("fits.yaml", fits)], {}
    )

    assert [doc.name for doc in rendered] == ["fits.yaml"]
    assert len(rendered[0].text) == 904
    assert [d.code for d in diagnostics] == ["OC-R002"]
    assert diagnostics[0].source is not None
    assert diagnostics[0].source.file == "bomb.yaml"
    assert "more than 1000 characters" in diagnostics[0].message


def test_sandbox_range_limit_is_an_error() -> None:
    rendered, diagnostics = render_documents(
        [RawDocument("r.yaml", "a: {{ range(10**12) | list | length }}\n")], {}
    )

    assert rendered == []
    assert [d.code for d in diagnostics] == ["OC-R002"]
    assert "range" in diagnostics[0].message.lower()


@pytest.mark.parametrize(
    ("text", "word"),
    [("a: {{ 1 / 0 }}\n", "ZeroDivisionError"), ("a: {{ [1] | first(2) }}\n", "TypeError")],
)
def test_python_errors_while_rendering_are_diagnostics(text: str, word: str) -> None:
    rendered, diagnostics = render_documents([RawDocument("e.yaml", text)], {})

    assert rendered == []
    assert [d.code for d in diagnostics] == ["OC-R002"]
    assert word in diagnostics[0].message
    assert diagnostics[0].source is not None
    assert diagnostics[0].source.line == 1


def test_errors_of_all_documents_are_collected_together() -> None:
    documents = [
        RawDocument("a.yaml", "a: {{ missing_a }}\n"),
        RawDocument("b.yaml", "b: {{ company }}\n"),
        RawDocument("c.yaml", "c: 1\nc2: {% if %}\n"),
        RawDocument("d.yaml", "d: 1\nd2: 2\nd3: {{ ''.__class__ }}\n"),
        RawDocument("e.yaml", "e: {{ missing_e }}\n"),
    ]

    rendered, diagnostics = render_documents(documents, VARIABLES)

    assert [(doc.name, doc.text) for doc in rendered] == [("b.yaml", "b: ACME\n")]
    located = [
        (d.code, d.source.file if d.source else None, d.source.line if d.source else None)
        for d in diagnostics
    ]
    assert located == [
        ("OC-R002", "a.yaml", 1),
        ("OC-R001", "c.yaml", 2),
        ("OC-R002", "d.yaml", 3),
        ("OC-R002", "e.yaml", 1),
    ]


def test_including_a_missing_template_is_an_error() -> None:
    rendered, diagnostics = render_documents(
        [RawDocument("a.yaml", "a: 1\n{% include 'nope.yaml' %}\n")], {}
    )

    assert rendered == []
    assert [d.code for d in diagnostics] == ["OC-R002"]
    assert "nope.yaml" in diagnostics[0].message
    assert diagnostics[0].source is not None
    assert (diagnostics[0].source.file, diagnostics[0].source.line) == ("a.yaml", 2)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("a: {{ '%z' % 1 }}\n", id="ValueError"),
        pytest.param("a: {{ '%(a)s' % {} }}\n", id="KeyError"),
        pytest.param("a: {{ '{0}{1}'.format(1) }}\n", id="IndexError"),
        # 10**18 characters cannot even be allocated: MemoryError is immediate, never swapping.
        pytest.param("a: {{ 'x' * 10**18 }}\n", id="MemoryError"),
        pytest.param("{% macro f() %}{{ f() }}{% endmacro %}a: {{ f() }}\n", id="recursive-macro"),
        pytest.param("{% extends 'self.yaml' %}\n", id="self-extends"),
    ],
)
def test_any_template_failure_is_a_diagnostic_not_a_crash(text: str) -> None:
    rendered, diagnostics = render_documents([RawDocument("self.yaml", text)], {})

    assert rendered == []
    assert [d.code for d in diagnostics] == ["OC-R002"]
    assert diagnostics[0].source is not None
    assert diagnostics[0].source.file == "self.yaml"


def test_a_template_that_spins_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("odooconf.engine.render.MAX_SECONDS", 0.2)
    spin = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}x\n"
    rendered, diagnostics = render_documents([RawDocument("spin.yaml", spin)], {})
    assert rendered == []
    assert [d.code for d in diagnostics] == ["OC-R002"]
    assert "took more than 0.2 s to render" in diagnostics[0].message


def test_rendered_lines_map_back_to_template_lines() -> None:
    template = (
        "locations:\n"
        "{% for zone in ['A', 'B'] %}\n"
        "  - path: WH/Stock/{{ zone }}\n"
        "{% endfor %}\n"
        "warehouses: []\n"
    )
    [doc], problems = render_documents([RawDocument("l.yaml", template)], {})
    assert problems == []
    lines = doc.text.split("\n")
    for rendered, text in enumerate(lines, start=1):
        if "path:" in text:
            assert doc.source_line(rendered) == 3
        if text.startswith("warehouses"):
            assert doc.source_line(rendered) == 5


def test_an_undefined_variable_suggests_the_defined_ones() -> None:
    doc = RawDocument("w.yaml", "name: {{ compnay }}\n")
    _rendered, [problem] = render_documents([doc], {"company": "X", "regions": []})
    assert problem.message == (
        "undefined template variable: 'compnay' is undefined (did you mean 'company'? "
        "the environment defines: company, regions)"
    )


def test_a_bug_in_odooconfs_own_rendering_code_is_not_a_blueprint_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only what template code raises is the blueprint's; an exception from odooconf's own line
    mapping must reach the internal-error handler (exit 3, crash log), not exit 1."""

    def broken(*_args: object, **_kwargs: object) -> int:
        raise IndexError("odooconf's own bug")

    monkeypatch.setattr("odooconf.engine.render.bisect.bisect_left", broken)
    with pytest.raises(IndexError, match="odooconf's own bug"):
        render_documents([RawDocument("r.yaml", "a: {{ 1 }}\n")], {})

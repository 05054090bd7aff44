"""The layers of the package, as its imports show them (read with ``ast``, nothing imported).

``model/`` is the shared vocabulary and imports nothing else from odooconf; ``views/`` render
that vocabulary and import only ``model/`` (and each other): rendering a plan never loads the
engine, the kinds or a transport.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "odooconf"

#: Which odooconf packages each layer may import, by prefix.
ALLOWED = {
    "model": ("odooconf.model",),
    "views": ("odooconf.model", "odooconf.views"),
}


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every odooconf module ``path`` imports, anywhere in it (deferred imports too)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
    return [(line, name) for line, name in found if name.split(".")[0] == "odooconf"]


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_a_layer_imports_only_what_it_may(layer: str) -> None:
    allowed = ALLOWED[layer]
    breaches = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {name}"
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        for line, name in _imports(path)
        if not name.startswith(allowed)
    ]
    assert breaches == []


def test_the_import_reader_sees_a_breach(tmp_path: Path) -> None:
    """The rule above can fail: a deferred import of the engine is one."""
    module = tmp_path / "view.py"
    module.write_text(
        "from odooconf.model.plan import Plan\n"
        "def render() -> None:\n"
        "    from odooconf.engine import diff\n",
        encoding="utf-8",
    )
    assert _imports(module) == [(1, "odooconf.model.plan.Plan"), (3, "odooconf.engine.diff")]


def test_the_text_view_loads_no_engine() -> None:
    code = (
        "import sys, odooconf.views.human, odooconf.views.json, odooconf.views.markdown;"
        "print('\\n'.join(sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    roots = {name.split(".")[0] for name in run.stdout.split()}
    packages = {".".join(name.split(".")[:2]) for name in run.stdout.split()}
    assert {"odooconf.engine", "odooconf.kinds", "odooconf.odoo"}.isdisjoint(packages)
    assert {"pydantic", "jinja2", "yaml"}.isdisjoint(roots)


def test_the_command_line_starts_without_the_engine() -> None:
    """``odooconf --version`` and a command's start-up import neither the engine nor its
    libraries: the commands import what they use, the auditors' commands are registered when
    looked up."""
    code = "import sys, odooconf.cli; print('\\n'.join(sys.modules))"
    run = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    roots = {name.split(".")[0] for name in run.stdout.split()}
    packages = {".".join(name.split(".")[:2]) for name in run.stdout.split()}
    assert {"odooconf.engine", "odooconf.kinds", "odooconf.drift"}.isdisjoint(packages)
    assert {"pydantic", "jinja2", "yaml", "httpx", "odoorpc"}.isdisjoint(roots)

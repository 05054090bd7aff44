"""Golden files pin the text, markdown and JSON of a set of plans (``tests/unit/golden/``); the
JSON ones also match the plan's schema. After an intended change of output, rewrite them with
``ODOOCONF_UPDATE_GOLDEN=1 pytest tests/unit/test_golden.py`` and review the diff."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import click
import jsonschema
import pytest

from odooconf.model.diagnostics import Diagnostic, SourceRef
from odooconf.model.plan import Plan
from odooconf.views import github, human, markdown
from odooconf.views import json as json_view
from tests.unit.markdown_check import check_tables
from tests.unit.test_markdown import RISKY, _big_plan
from tests.unit.test_views import PLAN, UNCHANGED

GOLDEN = Path(__file__).parent / "golden"
SCHEMA = json.loads((Path(__file__).parents[2] / "schemas/plan.v2.schema.json").read_text())
PLANS = {"mixed": PLAN, "risky": RISKY, "unchanged": UNCHANGED, "large": _big_plan(60)}
FAILURE = [
    Diagnostic("OC-V010", "unknown key 'recepton_steps'", SourceRef("w.yaml", 3), "warehouses[0]"),
    Diagnostic("OC-E100", "cannot reach Odoo at http://x"),
]
VIEWS: dict[str, tuple[str, Callable[[Plan], str]]] = {
    "text": ("txt", lambda plan: click.unstyle(human.render_plan(plan))),
    "markdown": ("md", lambda plan: "\n\n".join(markdown.render_chunks(plan, 6_000))),
    "json": ("json", json_view.render_plan),
    "github": ("github.txt", github.render_plan),
}


def _matches(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ODOOCONF_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text + "\n", f"{name} differs: see the docstring"


@pytest.mark.parametrize("plan", sorted(PLANS))
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_golden_plan(plan: str, view: str) -> None:
    suffix, render = VIEWS[view]
    text = render(PLANS[plan])

    _matches(f"{plan}.{suffix}", text)
    if view == "json":
        jsonschema.validate(json.loads(text), SCHEMA)
    if view == "markdown":
        for chunk in markdown.render_chunks(PLANS[plan], 6_000):
            assert len(chunk) <= 6_000
            check_tables(chunk)


def test_golden_failure() -> None:
    text = json_view.render_diagnostics(FAILURE, "dev")

    _matches("failure.json", text)
    _matches("failure.md", markdown.render_failure("dev", FAILURE))
    _matches("failure.github.txt", github.render_diagnostics(FAILURE, "dev"))
    jsonschema.validate(json.loads(text), SCHEMA)

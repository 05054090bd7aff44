"""The markdown plan of real plans fits pull-request comments: the example's first apply with
eight users in one comment; a 5,690-resource first apply split, its first comment holding the
summary and every risky item; every comment's tables well formed."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from benchmarks.generate import product_codes, write_project
from odooconf.views.markdown import MAX_COMMENT_CHARS
from tests.integration.conftest import PASSWORD_ENV, REPO, Project
from tests.unit.markdown_check import check_tables

HOLDERS = {
    "olivia.ops": ["Inventory / Warehouse Operator"],
    "sam.supervisor": ["Inventory / Warehouse Supervisor"],
    "bruno.buyer": ["Purchase / Buyer", "Inventory / Warehouse Operator"],
    "purchasing.director": ["Purchase / Purchasing Manager"],
    "rita.sales": ["Sales / Sales Representative"],
    "carl.credit": ["Credit Controller"],
    "anna.accounts": ["Accountant"],
    "otto.audit": ["Auditor"],
}


def comments(output: str) -> list[str]:
    """The comments ``plan --format markdown`` printed, one after the other."""
    return re.split(r"\n\n(?=<!-- odooconf:plan:)", output.rstrip("\n"))


def _risky_lines(plan: dict[str, object]) -> list[str]:
    escalations = plan["escalations"]
    warnings = plan["warnings"]
    assert isinstance(escalations, list) and isinstance(warnings, list)
    return [*escalations, *(w["message"] for w in warnings)]


def test_the_examples_first_apply_with_eight_users_fits_one_comment(project: Project) -> None:
    for login in HOLDERS:
        project.odoo.add_user(login, "x-password-1", ["base.group_user"])
    project.blueprints.rmdir()
    shutil.copytree(REPO / "blueprints", project.blueprints)
    project.environment(
        version=project.odoo.version,
        exclude='["stock/reordering.yaml", "commercial/price_checks.yaml",'
        ' "commercial/purchasing.yaml"]',
    )
    env = project.root / "environments" / "test.yaml"
    holders = json.dumps(HOLDERS)
    env.write_text(
        env.read_text().replace(
            "variables:\n",
            f"variables:\n  approval_levels: 1\n  purchase_director: purchasing.director\n"
            f"  role_holders: {holders}\n",
        )
    )

    result = project.run("plan", "-e", "test", "--format", "markdown")
    document = json.loads(project.run("plan", "-e", "test", "--format", "json").out)

    assert result.code == 0, result.err
    [comment] = comments(result.out)
    assert len(comment) <= MAX_COMMENT_CHARS
    assert comment.startswith("<!-- odooconf:plan:test -->\n")
    assert len(document["changes"]) >= 44
    assert {a["user"] for a in document["access"]} == set(HOLDERS)
    check_tables(comment)
    for line in _risky_lines(document):
        assert line.replace("|", "\\|") in comment


@pytest.mark.parametrize("limit", [MAX_COMMENT_CHARS, 32_000])
def test_a_5690_resource_plan_splits_with_its_summary_and_risks_first(
    tmp_path: Path, project: Project, monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    if project.odoo.version != "18.0":
        pytest.skip("the benchmark's blueprints are written for Odoo 18.0")
    root = tmp_path / "bench"
    shape = write_project(root, 5_660, project.odoo.url, PASSWORD_ENV, project.odoo.database)
    env = root / "environments" / "bench.yaml"
    env.write_text(env.read_text() + "  transport: jsonrpc\n")
    project.odoo.execute(
        "product.product",
        "create",
        [
            {"name": code, "default_code": code, **project.odoo.facts.storable}
            for code in product_codes(shape)
        ],
    )
    base = ["--blueprints", str(root / "blueprints"), "--environments", str(root / "environments")]

    result = project.run(*base, "plan", "-e", "bench", "--format", "markdown",
                         "--max-comment-chars", str(limit))  # fmt: skip
    document = json.loads(project.run(*base, "plan", "-e", "bench", "--format", "json").out)

    assert result.code == 0, result.err
    assert len(document["changes"]) == 5_690
    parts = comments(result.out)
    assert len(parts) > 1
    for number, comment in enumerate(parts, 1):
        assert len(comment) <= limit
        assert comment.startswith(
            f"<!-- odooconf:plan:bench{f':{number}' if number > 1 else ''} -->"
        )
        check_tables(comment)
    first = parts[0]
    assert "**Plan: 5690 to create" in first
    assert "| **all** | 5690 |" in first
    risky = _risky_lines(document)
    assert risky
    for line in risky:
        assert line.replace("|", "\\|") in first


def test_graph_draws_the_instances_flows_of_one_warehouse(example: Project) -> None:
    example.apply_ok()

    result = example.run("graph", "-e", "test", "--warehouse", "DC1")
    unknown = example.run("graph", "-e", "test", "--warehouse", "NOPE")

    assert result.code == 0, result.err
    assert result.out.startswith("### Route flows on `test`, warehouse DC1")
    flows = dict(re.findall(r"\*\*Route `([^`]+)`\*\*\n\n```mermaid\n(.*?)```", result.out, re.S))
    # The example's cross-dock rule: on the Cross Dock type from 18, Internal Transfers before.
    crossdock = "DC1/XD" if example.odoo.facts.crossdock_type else "DC1/INT"
    assert f'-->|"pull · {crossdock}"|' in flows["DC1 Cross-Dock"]
    assert '["DC1/Input"]' in flows["DC1 Cross-Dock"]
    assert all("RW1/" not in flow for flow in flows.values())
    assert "linkStyle" not in result.out  # as it is: nothing highlighted
    assert unknown.code == 1
    assert "warehouse 'NOPE' is not on the instance" in unknown.err

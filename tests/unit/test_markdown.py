"""The markdown plan: what comes first, the access review per role, route flows, and comments
split between rows and sections."""

from __future__ import annotations

import re

import pytest

from odooconf.model.plan import (
    AccessChange,
    Action,
    Change,
    FieldChange,
    Plan,
    PlanWarning,
    PriceCheckResult,
)
from odooconf.views import markdown
from tests.unit.markdown_check import check_tables


def _change(action: Action, kind: str, key: str, *fields: FieldChange, **extra: object) -> Change:
    record_id = None if action is Action.CREATE else 10
    return Change(action, kind, key, "x.model", f"acme.{kind}", record_id, fields, **extra)  # type: ignore[arg-type]


def _plan(changes: tuple[Change, ...], **extra: object) -> Plan:
    return Plan("prod", "http://odoo:8069", "distrib", "18.0", changes, **extra)  # type: ignore[arg-type]


RULE_KEY = "DC1 Cross-Dock | pull | DC1/Input → DC1/Output"
RISKY = _plan(
    (
        _change(Action.CREATE, "location", "DC1/Stock/A", FieldChange("name", None, "A")),
        _change(
            Action.UPDATE,
            "warehouse",
            "DC1",
            FieldChange("delivery_steps", "ship_only", "pick_ship"),
        ),
        _change(
            Action.UPDATE, "account", "400100", FieldChange("type", "income", "asset_receivable")
        ),
        _change(Action.ARCHIVE, "pricelist", "Old"),
        _change(Action.RELEASE, "warehouse", "WH"),
        _change(Action.DELETE, "pricelist_item", "Wholesale | all products | ≥ 10"),
        _change(
            Action.CREATE,
            "rule",
            RULE_KEY,
            FieldChange("operation_type", None, "DC1/XD"),
            after={"operation_type": "DC1/XD"},
        ),
        _change(
            Action.NOOP,
            "rule",
            "DC1 Cross-Dock | pull | DC1/Output → Customers",
            after={"operation_type": "DC1/OUT"},
        ),
        _change(Action.ARCHIVE, "rule", "DC1 Cross-Dock | push | DC1/Input → DC1/Stock"),
    ),
    warnings=(
        PlanWarning(
            "risky", "risky change of account 400100: it has journal items", ("account 400100",)
        ),
        PlanWarning("shadowed", "item B can never apply", ("pricelist_item Wholesale | all",)),
    ),
    checks=(
        PriceCheckResult("Wholesale", "FURN-1", 10, "", 90.0, 95.0, False),
        PriceCheckResult("Wholesale", "FURN-2", 1, "", 50.0, 50.0, True),
    ),
    access=(
        AccessChange("alice", "+", "group Purchase / Buyer", "Purchase / Buyer"),
        AccessChange("alice", "+", "read, write purchase.order", "Purchase / Buyer"),
        AccessChange("bob", "+", "group Purchase / Buyer", "Purchase / Buyer"),
        AccessChange("carol", "-", "group Accountant", "Accountant"),
        AccessChange("carol", "-", "write account.move", "Accountant"),
    ),
    escalations=("role Auditor gets write on account.move",),
)


def test_summary_then_everything_risky_then_one_collapsed_section_per_kind() -> None:
    text = markdown.render_plan(RISKY)

    first_details = text.index("<details>")
    review = text.index("**Review first**")
    assert text.startswith("<!-- odooconf:plan:prod -->\n### odooconf plan for `prod`")
    assert text.index("| **all** | 2 | 2 | 0 | 2 | 1 | 1 | 1 |") < review < first_details
    for risky in (
        "🚨 role Auditor gets write on account.move",
        "🔒 **Accountant** is taken from `carol`",
        "🗄️ `pricelist Old`: archive #10",
        "↩️ `warehouse WH`: release #10",
        "🗑️ `pricelist_item Wholesale \\| all products \\| ≥ 10`: delete #10",
        "💰 risky change of account 400100",
        '🏭 `warehouse DC1` delivery_steps: "ship_only" → "pick_ship"',
        "❌ Wholesale · FURN-1 × 10: 95.00 (expected 90.00: FAIL)",
        "⚠️ item B can never apply",
    ):
        assert review < text.index(risky) < first_details, risky
    kinds = re.findall(r"<details><summary><b>(\w+)</b>", text)
    assert kinds == ["location", "warehouse", "account", "pricelist", "pricelist_item", "rule"]
    assert "FURN-2" not in text[:first_details]  # a check that holds is not risky
    assert check_tables(text) > 0


def test_access_review_per_role_with_the_per_user_detail_collapsed() -> None:
    text = markdown.render_plan(RISKY)

    assert (
        "| Purchase / Buyer | `alice`, `bob` |  | groups: Purchase / Buyer; "
        "read, write: purchase.order |" in text
    )
    assert "| Accountant |  | `carol` | groups: Accountant; write: account.move |" in text
    detail = text.index("<details><summary>Access review per user (5 lines)</summary>")
    assert text.index("| `alice` | gains | Purchase / Buyer |") > detail
    assert text.index("| `carol` | loses | Accountant |") > detail


def test_changed_route_flows_as_mermaid_with_changes_highlighted() -> None:
    text = markdown.render_plan(RISKY)

    [flow] = re.findall(r"```mermaid\n(.*?)```", text, re.S)
    assert '["DC1/Input"]' in flow
    assert '-->|"pull · DC1/XD (new)"|' in flow
    assert '-->|"pull · DC1/OUT"|' in flow  # unchanged: drawn, not highlighted
    assert '-.->|"push (removed)"|' in flow
    assert flow.count("linkStyle") == 2
    assert "**Route `DC1 Cross-Dock`**" in text


def test_a_plan_without_route_changes_draws_no_flow() -> None:
    unchanged = _change(Action.NOOP, "rule", RULE_KEY)
    plan = _plan((unchanged, _change(Action.UPDATE, "location", "A", FieldChange("name", 1, 2))))
    assert "mermaid" not in markdown.render_plan(plan)


def _big_plan(count: int) -> Plan:
    changes = tuple(
        _change(
            Action.UPDATE,
            "location" if i % 2 else "route",
            f"WH/Stock/Bin {i:04}",
            FieldChange("barcode", f"OLD-{i}", f"NEW-{i}"),
            FieldChange("name", f"Bin {i} | old", f"Bin {i}"),
        )
        for i in range(count)
    )
    return _plan(
        changes,
        escalations=tuple(f"user{i}: + write account.move (via Accountant)" for i in range(30)),
        access=tuple(
            AccessChange(f"user{i}", "+", "write account.move", "Accountant") for i in range(60)
        ),
    )


@pytest.mark.parametrize("limit", [4_000, 20_000])
def test_chunks_fit_split_between_rows_repeat_headers_and_keep_every_row(limit: int) -> None:
    plan = _big_plan(300)

    chunks = markdown.render_chunks(plan, max_chars=limit)

    assert len(chunks) > 1
    for number, chunk in enumerate(chunks, 1):
        assert len(chunk) <= limit
        suffix = f":{number}" if number > 1 else ""
        assert chunk.startswith(f"<!-- odooconf:plan:prod{suffix} -->\n")
        check_tables(chunk)
        assert chunk.count("<details>") == chunk.count("</details>")
    first = chunks[0]
    assert "**Plan: 0 to create, 300 to update" in first
    assert all(escalation in first for escalation in plan.escalations)
    assert "part 2 of" in chunks[1]
    whole = "\n".join(chunks)
    for i in range(300):
        assert whole.count(f'| barcode | "OLD-{i}" |') == 1, i
    assert "<b>location</b> (continued)" in whole


def test_the_first_chunk_holds_the_summary_and_every_risky_item() -> None:
    plan = _big_plan(300)
    many = tuple(
        PlanWarning("shadowed", f"item {i} can never apply" + " x" * 80) for i in range(40)
    )
    plan = _plan(plan.changes, warnings=many, escalations=plan.escalations)

    first = markdown.render_chunks(plan, max_chars=12_000)[0]

    assert all(w.message in first for w in many)
    assert "| **all** |" in first


def test_a_plan_that_fits_is_one_comment() -> None:
    assert len(markdown.render_chunks(RISKY)) == 1
    assert markdown.render_chunks(RISKY)[0] == markdown.render_plan(RISKY)


def test_a_row_larger_than_a_comment_is_cut_and_stays_a_row() -> None:
    huge = _change(Action.CREATE, "role", "Huge", FieldChange("comment", None, "x" * 9_000))

    chunks = markdown.render_chunks(_plan((huge,)), max_chars=3_000)

    assert all(len(chunk) <= 3_000 for chunk in chunks)
    assert "cut: too long for a comment" in "".join(chunks)
    for chunk in chunks:
        check_tables(chunk)

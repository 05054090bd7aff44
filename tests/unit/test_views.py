"""Views: plans, apply results and diagnostics rendered as text, markdown and JSON."""

from __future__ import annotations

import datetime
import json
import re

import click
import pytest

from odooconf.model.diagnostics import Diagnostic, SourceRef
from odooconf.model.plan import Action, ApplyResult, Change, FieldChange, Plan, PlanNote
from odooconf.views import human, markdown
from odooconf.views import json as json_view
from tests.unit.markdown_check import check_tables

CREATE = Change(
    Action.CREATE,
    "warehouse",
    "DC1",
    "stock.warehouse",
    "acme.warehouse_dc1",
    None,
    (FieldChange("code", None, "DC1"), FieldChange("name", None, "Central | DC")),
    0,
    "blueprints/stock/w.yaml:3",
)
UPDATE = Change(
    Action.UPDATE,
    "warehouse",
    "RW1",
    "stock.warehouse",
    "acme.warehouse_rw1",
    7,
    (FieldChange("name", "Old", "New"), FieldChange("resupply_from", [], ["DC1"])),
    1,
    "blueprints/stock/w.yaml:9",
)
ADOPT = Change(
    Action.ADOPT,
    "warehouse",
    "WH",
    "stock.warehouse",
    "acme.warehouse_wh",
    1,
    (FieldChange("company", None, "My Company"),),
    0,
    "blueprints/stock/w.yaml:1",
)
ARCHIVE = Change(Action.ARCHIVE, "location", "X/Old", "stock.location", "acme.location_x_old", 42)
NOOP = Change(
    Action.NOOP,
    "location",
    "DC1/Stock/A",
    "stock.location",
    "acme.location_a",
    5,
    (),
    1,
    "l.yaml:2",
)

PLAN = Plan(
    environment="dev",
    url="http://odoo:8069",
    database="distrib",
    server_version="17.0",
    changes=(CREATE, UPDATE, ADOPT, ARCHIVE, NOOP),
    notes=(
        PlanNote(
            "left_alone", "location", "WH/Stock", "location WH/Stock is left alone | not managed"
        ),
    ),
)
UNCHANGED = Plan("dev", "http://odoo:8069", "distrib", "17.0", (NOOP, NOOP))


# --- text --------------------------------------------------------------------------------------


def test_text_plan() -> None:
    text = human.render_plan(PLAN)

    assert click.unstyle(text) == "\n".join(
        [
            "Environment dev: database distrib at http://odoo:8069 (Odoo 17.0)",
            "",
            "+ warehouse DC1  (create, blueprints/stock/w.yaml:3)",
            '    code: "DC1"',
            '    name: "Central | DC"',
            "~ warehouse RW1  (update #7, blueprints/stock/w.yaml:9)",
            '    name:          "Old" → "New"',
            '    resupply_from: [] → ["DC1"]',
            "* warehouse WH  (adopt #1, found by key; gets external id acme.warehouse_wh, "
            "blueprints/stock/w.yaml:1)",
            '    company: (unset) → "My Company"',
            "- location X/Old  (archive #42 (acme.location_x_old), not in the blueprints)",
            "note: location WH/Stock is left alone | not managed",
            "",
            "Plan: 1 to create, 1 to update, 1 to adopt, 1 to archive; 1 unchanged; "
            "1 managed record(s) left alone.",
        ]
    )
    # Coloured for terminals (click.echo strips styles when the stream is not one).
    assert text != click.unstyle(text)
    assert "DC1/Stock/A" not in text


@pytest.mark.parametrize("plan", [UNCHANGED, Plan("dev", "http://odoo:8069", "distrib", "17", ())])
def test_text_plan_without_changes(plan: Plan) -> None:
    text = click.unstyle(human.render_plan(plan))

    assert text.splitlines()[-1] == (
        f"No changes. The instance matches the blueprints ({len(plan.changes)} resources)."
    )
    assert "Plan:" not in text
    assert "DC1/Stock/A" not in text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "(unset)"),
        (False, "false"),
        (0, "0"),
        ("", '""'),
        ("Entrepôt", '"Entrepôt"'),
        (["B", "A"], '["B", "A"]'),
        (datetime.date(2024, 1, 31), '"2024-01-31"'),
    ],
)
def test_value_text(value: object, text: str) -> None:
    assert human.value_text(value) == text


def test_text_apply_complete() -> None:
    result = ApplyResult("dev", applied=[CREATE, UPDATE, ADOPT, ARCHIVE], rpc_calls=9)

    assert click.unstyle(human.render_apply(result)).splitlines() == [
        "+ warehouse DC1: created",
        "~ warehouse RW1: updated",
        "* warehouse WH: adopted",
        "- location X/Old: archived",
        "Apply complete: 4 change(s) in 9 RPC call(s).",
    ]


def test_text_apply_failure_lists_applied_failed_and_not_attempted() -> None:
    result = ApplyResult(
        "dev",
        applied=[CREATE],
        failed=[UPDATE],
        not_attempted=[ADOPT, ARCHIVE],
        error="Odoo refused stock.warehouse.write (ValidationError): bad",
        rpc_calls=4,
    )

    assert click.unstyle(human.render_apply(result)).splitlines() == [
        "+ warehouse DC1: created",
        "Apply stopped: Odoo refused stock.warehouse.write (ValidationError): bad",
        "  failed (not done, as read back): warehouse RW1",
        "  not attempted: warehouse WH",
        "  not attempted: location X/Old",
        "1 change(s) applied, 1 failed, 0 unknown, 2 not attempted (read back from the instance "
        "after the failure); run plan to see what remains.",
    ]


def test_text_apply_error_before_any_change() -> None:
    result = ApplyResult("dev", not_attempted=[CREATE], error="lost contact with Odoo")

    lines = click.unstyle(human.render_apply(result)).splitlines()

    assert lines[0] == "Apply stopped: lost contact with Odoo"
    assert "  not attempted: warehouse DC1" in lines
    assert lines[-1].startswith("0 change(s) applied, 0 failed, 0 unknown, 1 not attempted")
    assert not any(line.startswith("Apply complete") for line in lines)


def test_text_diagnostics() -> None:
    diagnostics = [
        Diagnostic("OC-V010", "bad", SourceRef("a.yaml", 3), "warehouses[1] (RW1) › code"),
        Diagnostic("OC-L002", "links outside", SourceRef("b.yaml")),
        Diagnostic("OC-L001", "no blueprint"),
    ]

    assert human.render_diagnostics(diagnostics).splitlines() == [
        "error: a.yaml:3: warehouses[1] (RW1) › code: bad [OC-V010]",
        "error: b.yaml: links outside [OC-L002]",
        "error: no blueprint [OC-L001]",
        "3 error(s); nothing was changed in Odoo.",
    ]


# --- markdown ----------------------------------------------------------------------------------


def test_markdown_table_rows_keep_five_columns() -> None:
    awkward = Change(
        Action.UPDATE,
        "location",
        "A/B",
        "stock.location",
        "acme.l",
        3,
        (FieldChange("name", "a|b", "line one\nline two | three"),),
    )
    plan = Plan("dev", "http://odoo:8069", "distrib", "17.0", (awkward,))

    text = markdown.render_plan(plan)
    rows = [line for line in text.splitlines() if line.startswith("| ✏️")]

    assert len(rows) == 1
    check_tables(text)
    for row in rows:
        assert len(re.findall(r"(?<!\\)\|", row)) == 6


def test_markdown_plan_without_changes() -> None:
    text = markdown.render_plan(UNCHANGED)

    assert "**No changes.** The instance matches the blueprints (2 resources)." in text
    assert "|" not in text
    assert "Notes" not in text


# --- JSON --------------------------------------------------------------------------------------


def test_json_plan_document() -> None:
    document = json.loads(json_view.render_plan(PLAN))

    assert list(document) == [
        "odooconf_plan_version",
        "summary",
        "environment",
        "url",
        "database",
        "server_version",
        "changes",
        "notes",
        "login",
        "company",
        "prune",
        "tool_version",
        "warnings",
        "checks",
        "access",
        "escalations",
        "targets",
        "errors",
    ]
    assert document["odooconf_plan_version"] == 2
    assert document["summary"] == {
        "noop": 1,
        "create": 1,
        "update": 1,
        "adopt": 1,
        "archive": 1,
        "release": 0,
        "delete": 0,
        "has_changes": True,
    }
    assert (document["environment"], document["url"], document["database"]) == (
        "dev",
        "http://odoo:8069",
        "distrib",
    )
    assert document["server_version"] == "17.0"
    assert [c["action"] for c in document["changes"]] == [
        "create",
        "update",
        "adopt",
        "archive",
        "noop",
    ]
    create, update = document["changes"][:2]
    assert create == {
        "action": "create",
        "kind": "warehouse",
        "key": "DC1",
        "model": "stock.warehouse",
        "xmlid": "acme.warehouse_dc1",
        "record_id": None,
        "fields": [
            {"field": "code", "old": None, "new": "DC1"},
            {"field": "name", "old": None, "new": "Central | DC"},
        ],
        "level": 0,
        "source": "blueprints/stock/w.yaml:3",
        "note": "",
        "after": {},
        "previous_xmlid": "",
        "sentence": "",
    }
    assert update["record_id"] == 7
    assert update["fields"] == [
        {"field": "name", "old": "Old", "new": "New"},
        {"field": "resupply_from", "old": [], "new": ["DC1"]},
    ]
    assert document["notes"] == [
        {
            "code": "left_alone",
            "kind": "location",
            "key": "WH/Stock",
            "message": "location WH/Stock is left alone | not managed",
        }
    ]


def test_json_plan_document_matches_rendered_json() -> None:
    document = json_view.plan_document(PLAN)

    assert document["odooconf_plan_version"] == 2
    assert "format_version" not in document
    assert json.loads(json_view.render_plan(PLAN)) == json.loads(json.dumps(document, default=str))


def test_json_plan_without_changes() -> None:
    document = json_view.plan_document(UNCHANGED)

    assert document["summary"] == {
        "noop": 2,
        "create": 0,
        "update": 0,
        "adopt": 0,
        "archive": 0,
        "release": 0,
        "delete": 0,
        "has_changes": False,
    }


def test_json_plan_serialises_values_json_cannot() -> None:
    change = Change(
        Action.UPDATE,
        "location",
        "A/B",
        "stock.location",
        "acme.l",
        3,
        (FieldChange("name", datetime.date(2024, 1, 1), "Entrepôt"),),
    )

    text = json_view.render_plan(Plan("dev", "http://odoo:8069", "db", "17.0", (change,)))

    assert "Entrepôt" in text  # not \u-escaped
    assert json.loads(text)["changes"][0]["fields"] == [
        {"field": "name", "old": "2024-01-01", "new": "Entrepôt"}
    ]


def test_json_diagnostics() -> None:
    diagnostics = [
        Diagnostic("OC-V010", "bad", SourceRef("a.yaml", 3), "warehouses[0] (X) › code"),
        Diagnostic("OC-L001", "no blueprint"),
    ]

    assert json.loads(json_view.render_diagnostics(diagnostics, "dev")) == {
        "odooconf_plan_version": 2,
        "summary": None,
        "environment": "dev",
        "changes": [],
        "errors": [
            {
                "code": "OC-V010",
                "message": "bad",
                "file": "a.yaml",
                "line": 3,
                "path": "warehouses[0] (X) › code",
            },
            {"code": "OC-L001", "message": "no blueprint", "file": None, "line": None, "path": ""},
        ],
    }


def test_markdown_failure() -> None:
    diagnostics = [Diagnostic("OC-E100", "cannot reach Odoo at http://x | y")]
    assert markdown.render_failure("dev", diagnostics).splitlines() == [
        "<!-- odooconf:plan:dev -->",
        "### ❌ odooconf plan for `dev` failed",
        "",
        "- cannot reach Odoo at http://x \\| y [OC-E100]",
    ]

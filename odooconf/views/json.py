"""The versioned machine-readable plan for CI (``odooconf_plan_version`` is the contract)."""

from __future__ import annotations

import json
from typing import Any

from odooconf.model.diagnostics import Diagnostic
from odooconf.model.plan import PLAN_FORMAT_VERSION, Plan


def plan_document(plan: Plan) -> dict[str, Any]:
    data = plan.to_dict()
    for check, result in zip(data["checks"], plan.checks, strict=True):
        check["holds_after"] = result.holds_after
        check["text"] = result.transition
    return {
        "odooconf_plan_version": data.pop("format_version"),
        "summary": {**plan.counts(), "has_changes": plan.has_changes},
        **data,
        "errors": [],
    }


def render_plan(plan: Plan) -> str:
    return json.dumps(plan_document(plan), indent=2, ensure_ascii=False, default=str)


def render_diagnostics(diagnostics: list[Diagnostic], environment: str) -> str:
    """The envelope of a plan that could not be made: no summary, no changes, the errors."""
    errors = [
        {
            "code": d.code,
            "message": d.message,
            "file": d.source.file if d.source else None,
            "line": d.source.line if d.source else None,
            "path": d.path,
        }
        for d in diagnostics
    ]
    document = {
        "odooconf_plan_version": PLAN_FORMAT_VERSION,
        "summary": None,
        "environment": environment,
        "changes": [],
        "errors": errors,
    }
    return json.dumps(document, indent=2, ensure_ascii=False)

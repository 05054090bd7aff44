"""Machine-readable output for CI, each document versioned (its ``odooconf_*_version`` is the
contract) and described by a JSON Schema in ``schemas/``: the plan, validate, check, doctor."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from typing import Any

from odooconf.model.diagnostics import Diagnostic
from odooconf.model.plan import PLAN_FORMAT_VERSION, Plan, PriceCheckResult
from odooconf.model.report import Report

#: Versions of the other documents (``schemas/<command>.v<N>.schema.json``).
VALIDATE_FORMAT_VERSION = 1
CHECK_FORMAT_VERSION = 1
DOCTOR_FORMAT_VERSION = 1


def dumps(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, default=str)


def errors(diagnostics: Iterable[Diagnostic]) -> list[dict[str, Any]]:
    """Located errors, as every document lists them."""
    return [
        {
            "code": d.code,
            "message": d.message,
            "file": d.source.file if d.source else None,
            "line": d.source.line if d.source else None,
            "path": d.path,
        }
        for d in diagnostics
    ]


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
    return dumps(plan_document(plan))


def render_diagnostics(diagnostics: list[Diagnostic], environment: str) -> str:
    """The envelope of a plan that could not be made: no summary, no changes, the errors."""
    document = {
        "odooconf_plan_version": PLAN_FORMAT_VERSION,
        "summary": None,
        "environment": environment,
        "changes": [],
        "errors": errors(diagnostics),
    }
    return dumps(document)


def validate_document(
    results: Sequence[tuple[str, Mapping[str, int], list[Diagnostic]]],
    warnings: Mapping[str, list[Diagnostic]] | None = None,
) -> str:
    """``validate``: per environment, the resources per kind or the errors, and the warnings
    (segregation-of-duties policies the environment lowers)."""
    environments = [
        {"environment": name, "valid": not problems, "resources": dict(counts),
         "errors": errors(problems), "warnings": errors((warnings or {}).get(name, []))}
        for name, counts, problems in results
    ]  # fmt: skip
    return dumps(
        {
            "odooconf_validate_version": VALIDATE_FORMAT_VERSION,
            "valid": all(env["valid"] for env in environments) and bool(environments),
            "environments": environments,
        }
    )


#: What ``plan`` adds to a check (the price once the plan is applied): ``check`` applies nothing.
_PLANNED = ("planned", "planned_ok", "planned_problem")


def _now(result: PriceCheckResult) -> dict[str, Any]:
    return {k: v for k, v in asdict(result).items() if k not in _PLANNED}


def check_document(
    environment: str, results: Sequence[PriceCheckResult], problems: Iterable[Diagnostic] = ()
) -> str:
    """``check``: each price check as Odoo computed it (or the errors that stopped it)."""
    return dumps(
        {
            "odooconf_check_version": CHECK_FORMAT_VERSION,
            "environment": environment,
            "held": sum(1 for r in results if r.ok),
            "total": len(results),
            "checks": [_now(result) for result in results],
            "errors": errors(problems),
        }
    )


def doctor_document(
    environment: str, report: Report | None, problems: Iterable[Diagnostic] = ()
) -> str:
    """``doctor``: each finding, and whether the environment is ready for apply."""
    findings = report.findings if report is not None else ()
    return dumps(
        {
            "odooconf_doctor_version": DOCTOR_FORMAT_VERSION,
            "environment": environment,
            "ready": report is not None and report.ready,
            "findings": [
                {"topic": f.topic, "status": f.status.value, "text": f.text} for f in findings
            ],
            "errors": errors(problems),
        }
    )

"""Audit trail: one JSON line per apply (who, where, what, outcome) — never a secret."""

from __future__ import annotations

import getpass
import json
from datetime import datetime, timezone
from pathlib import Path

from odooconf.model.plan import ApplyResult, Change, Plan


def _change(change: Change) -> dict[str, object]:
    return {
        "action": change.action.value,
        "resource": change.address,
        "xmlid": change.xmlid,
        "record_id": change.record_id,
        "fields": {field.field: {"old": field.old, "new": field.new} for field in change.fields},
    }


def record_apply(directory: Path, plan: Plan, result: ApplyResult, login: str) -> Path:
    """Append the outcome of an apply to ``<directory>/<environment>.jsonl``; return the file."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{plan.environment}.jsonl"
    entry = {
        "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "operator": getpass.getuser(),
        "environment": plan.environment,
        "url": plan.url,
        "database": plan.database,
        "odoo_login": login,
        "server_version": plan.server_version,
        "odooconf_version": plan.tool_version,
        "company": plan.company or None,
        "prune": plan.prune,
        "outcome": "failed" if result.error else "applied",
        "error": result.error or None,
        "applied": [_change(change) for change in result.applied],
        "failed": [_change(change) for change in result.failed],
        "not_attempted": [change.address for change in result.not_attempted],
        "rpc_calls": result.rpc_calls,
    }
    with path.open("a", encoding="utf-8") as stream:
        stream.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
    return path

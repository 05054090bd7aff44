"""Audit trail: one JSON line per apply (who, where, what, outcome) — never a secret."""

from __future__ import annotations

import getpass
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from odooconf.model.plan import ApplyResult, Change, Plan, failed, failure


def _change(change: Change) -> dict[str, object]:
    return {
        "action": change.action.value,
        "resource": change.address,
        "xmlid": change.xmlid,
        "record_id": change.record_id,
        "fields": {field.field: {"old": field.old, "new": field.new} for field in change.fields},
        **({"note": change.note} if change.note else {}),
    }


def operator() -> str:
    """Who runs odooconf, from what is available: CI containers often run under a user id with
    no passwd entry and no ``USER``, where ``getpass.getuser`` raises."""
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):
        getuid = getattr(os, "getuid", None)
        return f"uid {getuid()}" if getuid else "unknown"


def _outcome(result: ApplyResult) -> str:
    """``failed`` (a write failed), ``applied, price checks fail`` (every write was made, and
    Odoo computes prices the blueprints do not expect) or ``applied``."""
    if result.error:
        return "failed"
    return "applied, price checks fail" if failed(result.checks) else "applied"


def audit_entry(plan: Plan, result: ApplyResult, login: str) -> dict[str, Any]:
    """The audit record of an apply, as it is read back from the instance after a failure."""
    return {
        "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "operator": operator(),
        "environment": plan.environment,
        "url": plan.url,
        "database": plan.database,
        "odoo_login": login,
        "server_version": plan.server_version,
        "odooconf_version": plan.tool_version,
        "company": plan.company or None,
        "prune": plan.prune,
        "outcome": _outcome(result),
        "error": result.error or None,
        "failed_checks": [failure(check) for check in failed(result.checks)],
        "applied": [_change(change) for change in result.applied],
        "failed": [_change(change) for change in result.failed],
        "unknown": [_change(change) for change in result.unknown],
        "not_attempted": [change.address for change in result.not_attempted],
        "rpc_calls": result.rpc_calls,
    }


def entry_line(entry: dict[str, Any]) -> str:
    return json.dumps(entry, ensure_ascii=False, default=str)


def append_entry(directory: Path, environment: str, entry: dict[str, Any]) -> Path:
    """Append an audit record to ``<directory>/<environment>.jsonl``; return the file. Raises
    ``OSError`` when it cannot be written."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{environment}.jsonl"
    with path.open("a", encoding="utf-8") as stream:
        stream.write(entry_line(entry) + "\n")
    return path

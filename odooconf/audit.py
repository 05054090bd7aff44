"""Audit trail: one JSON line per apply (who, where, what, outcome) — never a secret."""

from __future__ import annotations

import getpass
import json
import os
import subprocess
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


def ci_job_url() -> str:
    """The URL of the CI job running odooconf, when there is one (GitHub Actions, GitLab CI,
    Jenkins), else ""."""
    github = [os.environ.get(f"GITHUB_{name}", "") for name in ("SERVER_URL", "REPOSITORY")]
    run = os.environ.get("GITHUB_RUN_ID", "")
    if all(github) and run:
        return f"{github[0]}/{github[1]}/actions/runs/{run}"
    return os.environ.get("CI_JOB_URL", "") or os.environ.get("BUILD_URL", "")


def git_commit(directory: Path) -> str:
    """The git commit the blueprints are at ("" outside a repository), with ``+changes`` when
    the directory differs from it."""
    try:
        head = subprocess.run(
            ["git", "-C", str(directory), "rev-parse", "HEAD"],
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout.strip()  # fmt: skip
        status = subprocess.run(
            ["git", "-C", str(directory), "status", "--porcelain", "--", "."],
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return ""
    return f"{head}+changes" if status else head


def audit_entry(
    plan: Plan, result: ApplyResult, login: str, commit: str = "", digest: str = ""
) -> dict[str, Any]:
    """The audit record of an apply, as it is read back from the instance after a failure.
    ``commit`` is the blueprints' git commit, ``digest`` the plan's (``saved.plan_digest``)."""
    return {
        "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "operator": operator(),
        "ci_job_url": ci_job_url() or None,
        "git_commit": commit or None,
        "plan_sha256": digest or None,
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

"""Terminal output for people (colour only when the stream is a terminal; click strips it)."""

from __future__ import annotations

import json
from typing import Any

import click

from odooconf.model.diagnostics import Diagnostic
from odooconf.model.plan import (
    Action,
    ApplyResult,
    Change,
    Plan,
    PriceCheckResult,
    failed,
    failure_message,
)
from odooconf.model.report import Report, Status

_COLOURS = {
    Action.CREATE: "green",
    Action.UPDATE: "yellow",
    Action.ADOPT: "cyan",
    Action.ARCHIVE: "red",
    Action.RELEASE: "magenta",
    Action.DELETE: "red",
    Action.NOOP: "white",
}


def value_text(value: Any) -> str:
    """A value as a reviewer reads it: JSON-like, ``(unset)`` for nothing."""
    if value is None:
        return "(unset)"
    return json.dumps(value, ensure_ascii=False, default=str)


def summary(plan: Plan) -> str:
    counts = plan.counts()
    maybe = sum(1 for c in plan.changes if c.action is Action.CREATE and c.note)
    either = f" ({maybe} of them adopted instead if Odoo generates them)" if maybe else ""
    left = f"; {len(plan.notes)} managed record(s) left alone" if plan.notes else ""
    released = f", {counts['release']} to release" if counts["release"] else ""
    deleted = f", {counts['delete']} to delete" if counts["delete"] else ""
    warned = f"; {len(plan.warnings)} warning(s)" if plan.warnings else ""
    return (
        f"Plan: {counts['create']} to create{either}, {counts['update']} to update, "
        f"{counts['adopt']} to adopt, {counts['archive']} to archive{released}{deleted}; "
        f"{counts['noop']} unchanged{left}{warned}."
    )


def describe(change: Change) -> str:
    """What a reviewer needs beside the fields: the record, how it was found, where declared."""
    where = f", {change.source}" if change.source else ""
    if change.action is Action.ADOPT and change.previous_xmlid:
        text = f"#{change.record_id} re-identified: {change.previous_xmlid} → {change.xmlid}"
    elif change.action is Action.ADOPT and change.record_id:
        text = f"adopt #{change.record_id}, found by key; gets external id {change.xmlid}"
    elif change.action is Action.ADOPT:
        text = f"adopt the record Odoo generates earlier in this apply; gets {change.xmlid}"
    elif change.action.closing and change.source:  # a record an item says is absent
        named = f" ({change.xmlid})" if change.xmlid else ""
        text = f"absent: {change.action.value} #{change.record_id}{named}"
    elif change.action.closing:  # archive, release, delete: records gone from the blueprints
        text = f"{change.action.value} #{change.record_id} ({change.xmlid}), not in the blueprints"
    elif change.action is Action.CREATE:
        text = "create"
    else:
        text = f"{change.action.value} #{change.record_id}"
    return text + where + (f"; {change.note}" if change.note else "")


def header(plan: Plan) -> str:
    """Where the plan applies and on whose behalf: what a reviewer approves besides changes."""
    text = f"Environment {plan.environment}: database {plan.database} at {plan.url} "
    text += f"(Odoo {plan.server_version})"
    if plan.login:
        company = f"company {plan.company!r}" if plan.company else "the user's current company"
        text += f" as {plan.login!r}, {company}; prune: {plan.prune}"
    if plan.tool_version:
        text += f"; odooconf {plan.tool_version}"
    if plan.targets:
        text += (
            f"\ntargeted: {', '.join(plan.targets)}. A partial plan: only these resources and "
            "what they depend on are considered, nothing is pruned, price checks are not "
            "priced; plan without --target before relying on it"
        )
    return text


def render_plan(plan: Plan) -> str:
    lines = [header(plan), ""]
    if plan.escalations:
        lines.append(click.style("ESCALATIONS (review before applying):", fg="red", bold=True))
        lines += [click.style(f"  ! {text}", fg="red") for text in plan.escalations]
        lines.append("")
    for change in plan.pending:
        lines.extend(_change_lines(change))
    for note in plan.notes:
        lines.append(click.style(f"note: {note.message}", fg="blue"))
    if plan.access:
        lines += ["", "Access review (effective access per user, implied groups included):"]
        lines += [f"  {line}" for line in plan.access]
    lines.extend(warning_lines(plan))
    lines.extend(planned_check_lines(plan.checks))
    if plan.has_changes:
        lines += ["", summary(plan)]
    else:
        lines.append(
            f"No changes. The instance matches the blueprints ({len(plan.changes)} resources)."
        )
    return "\n".join(lines)


def warning_lines(plan: Plan) -> list[str]:
    """Each warning, with where its first subject is declared."""
    return [
        click.style(f"warning: {w.message}", fg="yellow") + (f" ({w.source})" if w.source else "")
        for w in plan.warnings
    ]


def check_text(check: PriceCheckResult) -> str:
    """``PASS Wholesale: FURN_001 x 50: 90.00 (expected 90.00)``."""
    if check.actual is None:
        return f"FAIL {check.label}: expected {check.expected:.2f}, {check.problem}"
    verdict = "PASS" if check.ok else "FAIL"
    return f"{verdict} {check.label}: {check.actual:.2f} (expected {check.expected:.2f})"


def check_lines(
    checks: tuple[PriceCheckResult, ...] | list[PriceCheckResult], title: str
) -> list[str]:
    if not checks:
        return []
    lines = ["", title]
    for check in checks:
        colour = "green" if check.ok else "red"
        where = f"  ({check.source})" if check.source and not check.ok else ""
        lines.append("  " + click.style(check_text(check), fg=colour) + where)
    return lines


def planned_check_lines(checks: tuple[PriceCheckResult, ...]) -> list[str]:
    """Each check's price now and once the plan is applied, with its verdict after apply."""
    if not checks:
        return []
    lines = ["", "Price checks (now → after apply):"]
    for check in checks:
        colour = "green" if check.holds_after else "red"
        where = f"  ({check.source})" if check.source and not check.holds_after else ""
        lines.append("  " + click.style(check.transition, fg=colour) + where)
    return lines


def _change_lines(change: Change) -> list[str]:
    colour = _COLOURS[change.action]
    head = f"{change.action.symbol} {change.address}"
    lines = [click.style(head, fg=colour, bold=True) + f"  ({describe(change)})"]
    if change.sentence:
        lines.append(f"    {change.sentence}")
    width = max((len(field.field) for field in change.fields), default=0)
    for field in change.fields:
        name = f"{field.field}:".ljust(width + 1)
        if change.action is Action.CREATE or change.record_id is None:
            lines.append(f"    {name} {value_text(field.new)}")
        else:
            lines.append(f"    {name} {value_text(field.old)} → {value_text(field.new)}")
    return lines


def render_apply(result: ApplyResult) -> str:
    done = {
        Action.CREATE: "created", Action.UPDATE: "updated", Action.ADOPT: "adopted",
        Action.ARCHIVE: "archived", Action.RELEASE: "released", Action.DELETE: "deleted",
    }  # fmt: skip
    lines = [
        f"{change.action.symbol} {change.address}: "
        + done[change.action]
        + (f" ({change.note})" if change.note else "")
        for change in result.applied
    ]
    if result.error:
        lines.append(click.style(f"Apply stopped: {result.error}", fg="red", bold=True))
        lines.extend(f"  failed (not done, as read back): {c.address}" for c in result.failed)
        lines.extend(
            f"  unknown (the instance could not be read back): {c.address}" for c in result.unknown
        )
        lines.extend(f"  not attempted: {c.address}" for c in result.not_attempted)
        lines.append(
            f"{len(result.applied)} change(s) applied, {len(result.failed)} failed, "
            f"{len(result.unknown)} unknown, {len(result.not_attempted)} not attempted "
            "(read back from the instance after the failure); run plan to see what remains."
        )
    elif not failed(result.checks):
        lines.append(
            f"Apply complete: {len(result.applied)} change(s) in {result.rpc_calls} RPC call(s)."
        )
    lines.extend(check_lines(result.checks, "Price checks after apply:"))
    if failed(result.checks) and not result.error:  # every write made; the prices are wrong
        text = f"applied {len(result.applied)} change(s); {failure_message(result.checks)}"
        lines += ["", click.style(text, fg="red", bold=True)]
    return "\n".join(lines)


def render_diagnostics(diagnostics: list[Diagnostic]) -> str:
    lines = [f"error: {diagnostic.render()}" for diagnostic in diagnostics]
    lines.append(f"{len(diagnostics)} error(s); nothing was changed in Odoo.")
    return "\n".join(lines)


def render_doctor(report: Report) -> str:
    """``doctor``'s findings, one a line, then the verdict."""
    colours = {Status.OK: "green", Status.INFO: "blue", Status.FAIL: "red"}
    width = max((len(f.topic) for f in report.findings), default=0)
    lines = [
        click.style(f"{finding.status.value:>4}", fg=colours[finding.status], bold=True)
        + f"  {finding.topic.ljust(width)}  {finding.text}"
        for finding in report.findings
    ]
    failed = sum(1 for finding in report.findings if finding.status is Status.FAIL)
    verdict = (
        f"Environment {report.environment} is ready."
        if report.ready
        else f"Environment {report.environment} is not ready: {failed} problem(s) marked FAIL."
    )
    return "\n".join([*lines, "", verdict])

"""A plan as a pull-request comment (GitHub-flavoured markdown)."""

from __future__ import annotations

from odooconf.model.diagnostics import Diagnostic
from odooconf.model.plan import Action, Plan
from odooconf.views.human import describe, header, summary, value_text

_ICONS = {
    Action.CREATE: "➕", Action.UPDATE: "✏️", Action.ADOPT: "🔗", Action.ARCHIVE: "🗄️",
    Action.RELEASE: "↩️", Action.DELETE: "🗑️",
}  # fmt: skip


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_plan(plan: Plan) -> str:
    lines = [
        f"### odooconf plan for `{plan.environment}`",
        "",
        header(plan).replace(f"Environment {plan.environment}: d", "D", 1),
        "",
    ]
    failing = [check for check in plan.checks if not check.holds_after]
    if plan.escalations or failing:
        lines += ["> [!CAUTION]", "> **Escalations**: review these before approving", ">"]
        lines += [f"> - 🚨 {_cell(text)}" for text in plan.escalations]
        lines += [f"> - 🚨 price check after apply: {_cell(c.transition)}" for c in failing]
        lines.append("")
    if not plan.has_changes:
        lines.append(
            f"**No changes.** The instance matches the blueprints ({len(plan.changes)} resources)."
        )
    else:
        lines += [f"**{summary(plan)}**", "", "| | resource | field | before | after |"]
        lines.append("|---|---|---|---|---|")
        for change in plan.pending:
            icon = _ICONS[change.action]
            title = f"`{_cell(change.address)}`<br><sub>{_cell(describe(change))}</sub>"
            if change.sentence:
                title += f"<br>{_cell(change.sentence)}"
            if change.record_id is None:  # a new record: its values in one row
                values = "<br>".join(
                    f"{_cell(f.field)}: {_cell(value_text(f.new))}" for f in change.fields
                )
                lines.append(f"| {icon} {change.action.value} | {title} | | | {values} |")
                continue
            first = True
            for field in change.fields or ():
                resource = title if first else ""
                label = f"{icon} {change.action.value}" if first else ""
                old, new = _cell(value_text(field.old)), _cell(value_text(field.new))
                lines.append(f"| {label} | {resource} | {_cell(field.field)} | {old} | {new} |")
                first = False
            if first:
                lines.append(f"| {icon} {change.action.value} | {title} | | | |")
    if plan.access:
        lines += ["", "**Access review** (effective access per user, implied groups included)", ""]
        lines += [f"- `{_cell(str(line))}`" for line in plan.access]
    if plan.warnings:
        lines += ["", "**Warnings**", ""]
        lines += [
            f"- ⚠️ {_cell(w.message)}" + (f" ({_cell(w.source)})" if w.source else "")
            for w in plan.warnings
        ]
    if plan.checks:
        lines += ["", "**Price checks** (now, and once the plan is applied)", ""]
        lines += ["| | pricelist | product | quantity | date | expected | now | after apply |"]
        lines += ["|---|---|---|---|---|---|---|---|"]
        for check in plan.checks:
            mark = "✅" if check.holds_after else "❌"
            actual = f"{check.actual:.2f}" if check.actual is not None else _cell(check.problem)
            after = f"{check.planned:.2f}" if check.planned is not None else ""
            after = after or _cell(check.planned_problem) or actual
            lines.append(
                f"| {mark} | {_cell(check.pricelist)} | {_cell(check.product)} | "
                f"{check.quantity:g} | {check.date} | {check.expected:.2f} | {actual} | {after} |"
            )
    if plan.notes:
        lines += ["", "<details><summary>Notes</summary>", ""]
        lines += [f"- {_cell(note)}" for note in plan.notes]
        lines += ["", "</details>"]
    return "\n".join(lines)


def render_failure(environment: str, diagnostics: list[Diagnostic]) -> str:
    """A pull-request comment for a plan that could not be made."""
    lines = [f"### ❌ odooconf plan for `{environment}` failed", ""]
    lines += [f"- {_cell(diagnostic.render())}" for diagnostic in diagnostics]
    return "\n".join(lines)

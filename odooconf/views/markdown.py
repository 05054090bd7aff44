"""A plan as a pull-request comment (GitHub-flavoured markdown)."""

from __future__ import annotations

from odooconf.model.plan import Action, Plan
from odooconf.views.human import summary, value_text

_ICONS = {Action.CREATE: "➕", Action.UPDATE: "✏️", Action.ADOPT: "🔗", Action.ARCHIVE: "🗄️"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_plan(plan: Plan) -> str:
    lines = [
        f"### odooconf plan for `{plan.environment}`",
        "",
        f"Database `{plan.database}` at {plan.url} (Odoo {plan.server_version})",
        "",
    ]
    if not plan.has_changes:
        lines.append(
            f"**No changes.** The instance matches the blueprints ({len(plan.changes)} resources)."
        )
    else:
        lines += [f"**{summary(plan)}**", "", "| | resource | field | before | after |"]
        lines.append("|---|---|---|---|---|")
        for change in plan.pending:
            icon = _ICONS[change.action]
            first = True
            for field in change.fields or ():
                resource = f"`{change.address}`" if first else ""
                if first and change.note:
                    resource += f" ({_cell(change.note)})"
                label = f"{icon} {change.action.value}" if first else ""
                fresh = change.action is Action.CREATE or change.record_id is None
                old = "" if fresh else value_text(field.old)
                lines.append(
                    f"| {label} | {resource} | {_cell(field.field)} | {_cell(old)} | "
                    f"{_cell(value_text(field.new))} |"
                )
                first = False
            if first:
                lines.append(f"| {icon} {change.action.value} | `{change.address}` | | | |")
    if plan.notes:
        lines += ["", "<details><summary>Notes</summary>", ""]
        lines += [f"- {_cell(note)}" for note in plan.notes]
        lines += ["", "</details>"]
    return "\n".join(lines)

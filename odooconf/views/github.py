"""GitHub Actions workflow commands (``::error file=…,line=…::message``): errors and warnings
appear on the pull request's lines."""

from __future__ import annotations

from collections.abc import Iterable

from odooconf.model.diagnostics import Diagnostic
from odooconf.model.plan import Plan
from odooconf.views.human import summary


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(level: str, message: str, where: str = "", title: str = "") -> str:
    """One command; ``where`` is ``file`` or ``file:line``."""
    props = []
    if where:
        file, _, line = (
            where.rpartition(":") if where.rpartition(":")[2].isdigit() else (where, "", "")
        )
        props.append(f"file={_property(file)}")
        if line:
            props.append(f"line={line}")
    if title:
        props.append(f"title={_property(title)}")
    return (
        f"::{level} {','.join(props)}::{_data(message)}"
        if props
        else f"::{level}::{_data(message)}"
    )


def render_diagnostics(
    diagnostics: Iterable[Diagnostic], environment: str, level: str = "error"
) -> str:
    lines = []
    for d in diagnostics:
        where = str(d.source) if d.source else ""
        message = f"{d.path}: {d.message}" if d.path else d.message
        lines.append(annotation(level, message, where, f"odooconf {environment}: {d.code}"))
    return "\n".join(lines)


def render_plan(plan: Plan) -> str:
    """The summary as a notice, each warning and escalation where it is declared."""
    title = f"odooconf plan {plan.environment}"
    lines = [annotation("notice", summary(plan), title=title)]
    lines += [
        annotation("warning", text, title=f"{title}: escalation") for text in plan.escalations
    ]
    lines += [
        annotation("warning", w.message, w.source, f"{title}: {w.code}") for w in plan.warnings
    ]
    lines += [
        annotation("error", f"price check fails: {c.label}", c.source, f"{title}: price check")
        for c in plan.checks
        if not c.ok
    ]
    return "\n".join(lines)

"""Route flows as Mermaid diagrams: locations as nodes, rules as edges labelled with their action
and operation type. GitHub and GitLab render them in comments; ``odooconf graph`` prints them for
the configuration as it is."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from odooconf.model.plan import Action, Plan

#: How a rule's edge is drawn, by what the plan does to it ("" = as it is).
_STYLES = {
    "new": "stroke:#2da44e,stroke-width:3px",
    "changed": "stroke:#d29922,stroke-width:3px",
    "removed": "stroke:#cf222e,stroke-width:2px,stroke-dasharray:5 5",
}
_STATES = {
    Action.CREATE: "new",
    Action.UPDATE: "changed",
    Action.ADOPT: "changed",
    Action.ARCHIVE: "removed",
    Action.DELETE: "removed",
    Action.RELEASE: "",  # released rules stay as they are on the instance
    Action.NOOP: "",
}
#: Where a rule without a source location takes goods from, by its action.
_ORIGINS = {"buy": "(vendor)", "manufacture": "(production)"}


@dataclass(frozen=True)
class Edge:
    """One stock rule of a route: ``state`` is new, changed, removed or "" (unchanged)."""

    route: str
    action: str
    source: str
    destination: str
    operation_type: str = ""
    state: str = ""


def rule_edge(key: str, values: Mapping[str, Any], state: str = "") -> Edge:
    """The edge of a rule keyed ``route | action | source → destination``."""
    *route, action, ends = key.split(" | ")
    source, _, destination = ends.partition(" → ")
    return Edge(
        " | ".join(route),
        action,
        source,
        destination,
        str(values.get("operation_type") or ""),
        state,
    )


def changed_flows(plan: Plan) -> dict[str, list[Edge]]:
    """Per route the plan changes (the route or one of its rules), every rule the plan knows."""
    flows: dict[str, list[Edge]] = {}
    changed: set[str] = set()
    for change in plan.changes:
        if change.kind == "route" and change.action is not Action.NOOP:
            changed.add(change.key)
            flows.setdefault(change.key, [])
        if change.kind != "rule":
            continue
        values = {**change.after, **change.values()}
        edge = rule_edge(change.key, values, _STATES[change.action])
        flows.setdefault(edge.route, []).append(edge)
        if change.action is not Action.NOOP:
            changed.add(edge.route)
    return {route: edges for route, edges in flows.items() if route in changed and edges}


def _text(value: str) -> str:
    return value.replace('"', "#quot;")


def flowchart(edges: Iterable[Edge]) -> str:
    """A ``flowchart LR`` of the edges, those the plan changes highlighted."""
    lines = ["flowchart LR"]
    nodes: dict[str, str] = {}
    styles = []
    for index, edge in enumerate(edges):
        ends = []
        origin = _ORIGINS.get(edge.action, "(none)")
        for name in (edge.source if edge.source not in ("", "-") else origin, edge.destination):
            if name not in nodes:
                nodes[name] = f"n{len(nodes)}"
                lines.append(f'  {nodes[name]}["{_text(name)}"]')
            ends.append(nodes[name])
        label = " · ".join(part for part in (edge.action, edge.operation_type) if part)
        if edge.state:
            label += f" ({edge.state})"
        arrow = "-.->" if edge.state == "removed" else "-->"
        lines.append(f'  {ends[0]} {arrow}|"{_text(label)}"| {ends[1]}')
        if edge.state:
            styles.append(f"  linkStyle {index} {_STYLES[edge.state]}")
    return "\n".join([*lines, *styles])


def block(edges: Iterable[Edge]) -> str:
    """A fenced Mermaid block, as markdown renders it."""
    return f"```mermaid\n{flowchart(edges)}\n```"

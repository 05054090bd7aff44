"""``odooconf graph``: the instance's route flows as they are (one read per model involved)."""

from __future__ import annotations

from odooconf.engine.read import live_values, read_live_state
from odooconf.errors import UserError
from odooconf.kinds import KINDS
from odooconf.odoo.gateway import Gateway
from odooconf.views.mermaid import Edge, rule_edge


def live_flows(gateway: Gateway, namespace: str, warehouse: str = "") -> dict[str, list[Edge]]:
    """Per route (by name), the active rules on the instance; with ``warehouse`` (a code), only
    the rules of that warehouse or between its locations, and the routes it has."""
    live = read_live_state(gateway, [], namespace, also=("rule", "route", "warehouse"))
    codes = {str(record.get("code")) for record in live.records.get("warehouse", {}).values()}
    if warehouse and warehouse not in codes:
        known = ", ".join(sorted(codes)) or "none"
        raise UserError(f"warehouse {warehouse!r} is not on the instance (warehouses: {known})")
    flows: dict[str, list[Edge]] = {}
    for record_id, record in sorted(live.records.get("rule", {}).items()):
        key = live.key_of("rule", record_id)
        if record.get("active") is False or key is None:
            continue
        values = live_values(KINDS["rule"], record_id, live)
        edge = rule_edge(key, values)
        if warehouse and not _belongs(edge, values.get("warehouse"), warehouse):
            continue
        flows.setdefault(edge.route, []).append(edge)
    return dict(sorted(flows.items()))


def _belongs(edge: Edge, rule_warehouse: object, code: str) -> bool:
    ends = (edge.source, edge.destination, edge.operation_type)
    return rule_warehouse == code or any(end.startswith(f"{code}/") for end in ends)

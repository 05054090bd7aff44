"""``stock.route`` and ``stock.rule``."""

from __future__ import annotations

from typing import Any

from ..orm import Model, register
from ..store import Row


@register
class StockRoute(Model):
    _name = "stock.route"

    def toggle_active(self, ids: list[int]) -> None:
        """Toggle the route and, like Odoo, those of its rules in the same state as the route."""
        rules = self.env.with_context(active_test=False)["stock.rule"]
        for row in self.rows(ids):
            same = [
                rid
                for rid, rule in rules.table.items()
                if rule.get("route_id") == row["id"]
                and bool(rule.get("active")) == bool(row.get("active"))
            ]
            rules.toggle_active(same)
        super().toggle_active(ids)


@register
class StockRule(Model):
    _name = "stock.rule"

    def compute(self, row: Row, fname: str) -> Any:
        route = self.env.db.store.get("stock.route", row.get("route_id") or 0) or {}
        if fname == "route_sequence":
            return route.get("sequence", 0)
        if fname == "route_company_id":
            return route.get("company_id") or False
        if fname == "picking_type_code_domain":
            return "incoming" if row.get("action") == "buy" else False
        return super().compute(row, fname)

"""``stock.route`` and ``stock.rule``."""

from __future__ import annotations

from typing import Any

from .. import errors
from ..orm import Model, register
from ..store import Row


def _company_mismatch(model: Model, rule: Row, route: Row) -> errors.OdooError:
    """Odoo's refusal of a rule and its route in different companies (an empty company
    renders as ``False``)."""

    def company(row: Row) -> str:
        cid = row.get("company_id")
        return model.env.db.display_name("res.company", cid, model.env) if cid else "False"

    rules = model.env["stock.rule"]
    return errors.validation(
        f"Rule {rules.display_name(rule['id'])} belongs to {company(rule)} while the route "
        f"belongs to {company(route)}."
    )


@register
class StockRoute(Model):
    _name = "stock.route"

    def toggle_active(self, ids: list[int]) -> None:
        """Toggle the route and, like Odoo, those of its rules in the same state as the route."""
        rules = self.env.with_context(active_test=False)["stock.rule"]
        for row in self.rows(ids):
            same = [
                rid
                for rid in rules.referencing("route_id", row["id"])
                if bool(rules.table[rid].get("active")) == bool(row.get("active"))
            ]
            rules.toggle_active(same)
        super().toggle_active(ids)

    def _validate(self, ids: list[int], written: set[str]) -> None:
        """A route with a company only holds (active) rules of that company, checked when the
        route's company is set."""
        super()._validate(ids, written)
        if "company_id" not in written:
            return
        rules = self.env["stock.rule"]
        for route in self.rows(ids):
            if not route.get("company_id"):
                continue
            for rid in self.value(route, "rule_ids"):
                rule = rules.rows([rid])[0]
                if (rule.get("company_id") or False) != route["company_id"]:
                    raise _company_mismatch(self, rule, route)


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
            if self.schema.fields[fname].type == "json":  # 19: a list of codes
                return ["incoming"] if row.get("action") == "buy" else False
            return "incoming" if row.get("action") == "buy" else False
        return super().compute(row, fname)

    def _validate(self, ids: list[int], written: set[str]) -> None:
        """A rule of a route with a company has that company, checked when the rule's company
        is set (its default, the current company, on create)."""
        super()._validate(ids, written)
        if "company_id" not in written:
            return
        routes = self.env.with_context(active_test=False)["stock.route"]
        for rule in self.rows(ids):
            route = routes.row(rule.get("route_id") or 0)
            if route is None or not route.get("company_id"):
                continue
            if (rule.get("company_id") or False) != route["company_id"]:
                raise _company_mismatch(self, rule, route)

"""Routes and rules of a warehouse (Odoo 18 with purchase_stock and sale_stock installed)."""

from __future__ import annotations

from typing import Any

from . import warehouse_legacy as legacy
from .warehouse_base import Routing, WarehouseBase


class WarehouseRoutes(WarehouseBase):
    """The reception, delivery and cross-dock routes and the MTO/Buy rules of global routes."""

    # ------------------------------------------------------------------ routes and rules
    def get_rules_dict(self, wid: int) -> dict[str, list[Routing]]:
        """The rule layout of each step value (Odoo 18, purchase_stock's reception rules)."""
        if self.legacy:
            return legacy.rules_dict(self, wid, Routing)
        customer, stock, inp, qc, out, pack, t = self.rule_ends(wid)
        return {
            "one_step": [],
            "two_steps": [Routing(inp, stock, t["store_type_id"], "push")],
            "three_steps": [
                Routing(inp, qc, t["qc_type_id"], "push"),
                Routing(qc, stock, t["store_type_id"], "push"),
            ],
            "crossdock": [
                Routing(0, customer, t["in_type_id"], "buy"),
                Routing(inp, out, t["xdock_type_id"], "push"),
            ],
            "ship_only": [Routing(stock, customer, t["out_type_id"], "pull")],
            "pick_ship": [
                Routing(stock, customer, t["pick_type_id"], "pull"),
                Routing(out, customer, t["out_type_id"], "push"),
            ],
            "pick_pack_ship": [
                Routing(stock, customer, t["pick_type_id"], "pull"),
                Routing(pack, out, t["pack_type_id"], "push"),
                Routing(out, customer, t["out_type_id"], "push"),
            ],
        }

    def _routes_values(self, wid: int) -> dict[str, dict[str, Any]]:
        wh = self._wh(wid)
        reception, delivery = str(wh.get("reception_steps")), str(wh.get("delivery_steps"))
        active = bool(wh.get("active"))
        company = wh.get("company_id")
        crossdock_active = reception != "one_step" and delivery != "ship_only"
        # Odoo 19 (19/side_effects.md, difference 7): the delivery route of a new warehouse
        # has sequence 60; the reception route keeps 9.
        delivery_sequence = 60 if self.env.db.major >= 19 else 10
        selectable = {
            "product_categ_selectable": True,
            "warehouse_selectable": True,
            "product_selectable": False,
            "company_id": company,
        }
        values: dict[str, dict[str, Any]] = {
            "reception_route_id": {
                "routing_key": reception,
                "route_update_values": {
                    "name": self._format_routename(wid, reception),
                    "active": active,
                },
                "route_create_values": {**selectable, "sequence": 9},
                "rules_values": {
                    "active": True,
                    "propagate_cancel": True,
                    "procure_method": "make_to_order",
                },
            },
            "delivery_route_id": {
                "routing_key": delivery,
                "route_update_values": {
                    "name": self._format_routename(wid, delivery),
                    "active": active,
                },
                "route_create_values": {**selectable, "sequence": delivery_sequence},
                "rules_values": {"active": True, "propagate_carrier": True},
            },
            # Observed on 18.0: the cross-dock route is sale-selectable only, and every update
            # sets sale_selectable again (the seeded route, created before sale, had it off).
            "crossdock_route_id": {
                "routing_key": "crossdock",
                "route_update_values": {
                    "name": self._format_routename(wid, "crossdock"),
                    "active": crossdock_active,
                    "sale_selectable": True,
                },
                "route_create_values": {
                    "product_selectable": False,
                    "product_categ_selectable": False,
                    "active": crossdock_active,
                    "company_id": company,
                    "sequence": 20,
                },
                "rules_values": {},
            },
        }
        if "crossdock_route_id" not in self.schema.fields:
            # Odoo 19 has no cross-dock route (19/side_effects.md, difference 6).
            del values["crossdock_route_id"]
        elif self.legacy:
            name = self._format_routename(wid, "crossdock")
            values["crossdock_route_id"] = legacy.crossdock_route_values(wh, name)
        return values

    def _rule_values(
        self,
        wid: int,
        routings: list[Routing],
        values: dict[str, Any] | None = None,
        name_suffix: str = "",
    ) -> list[dict[str, Any]]:
        wh = self._wh(wid)
        rules = []
        for index, routing in enumerate(routings):
            rule = {
                "name": self._format_rulename(wid, routing.from_loc, routing.dest_loc, name_suffix),
                "location_src_id": routing.from_loc or False,
                "location_dest_id": routing.dest_loc or False,
                "action": routing.action,
                "auto": "manual",
                "picking_type_id": routing.picking_type or False,
                "procure_method": "make_to_order" if index else "make_to_stock",
                "warehouse_id": wid,
                "company_id": wh.get("company_id"),
            }
            rule.update(values or {})
            rules.append(rule)
        if values and values.get("propagate_cancel") and rules:
            # A chain with cancel propagation stops propagating at its last step.
            rules[-1]["propagate_cancel"] = False
        return rules

    def _supply_pull_rules_values(
        self, wid: int, routings: list[Routing], values: dict[str, Any]
    ) -> list[dict[str, Any]]:
        stock = self._wh(wid).get("lot_stock_id")
        rules = self._rule_values(wid, routings, {**values, "active": True})
        for rule in rules:
            from_stock = rule["location_src_id"] == stock
            rule["procure_method"] = "make_to_stock" if from_stock else "make_to_order"
        return rules

    def _find_existing_rule_or_create(self, rules_list: list[dict[str, Any]]) -> None:
        rules = self.env["stock.rule"]
        for values in rules_list:
            existing = rules.search(
                [
                    ("picking_type_id", "=", values["picking_type_id"]),
                    ("location_src_id", "=", values["location_src_id"]),
                    ("location_dest_id", "=", values["location_dest_id"]),
                    ("route_id", "=", values["route_id"]),
                    ("action", "=", values["action"]),
                    ("active", "=", False),
                ]
            )
            if existing:
                rules.write(existing, {"active": True})
            else:
                rules.create([self.known("stock.rule", values)])

    def _create_or_update_route(self, wid: int) -> dict[str, Any]:
        routes = self.env["stock.route"]
        rules = self.env["stock.rule"]
        layouts = self.get_rules_dict(wid)
        selectable = []
        for fname, data in self._routes_values(wid).items():
            current = self._wh(wid).get(fname)
            if current and routes.row(current) is not None:
                routes.write([current], data["route_update_values"])
                route_id = int(current)
                rules.write(routes.value(routes.rows([route_id])[0], "rule_ids"), {"active": False})
            else:
                values = {**data["route_create_values"], **data["route_update_values"]}
                route_id = routes.create([values])[0]
                self.write([wid], {fname: route_id})
            rules_values = {**data["rules_values"], "route_id": route_id}
            routings = layouts[data["routing_key"]]
            self._find_existing_rule_or_create(self._rule_values(wid, routings, rules_values))
            if data["route_create_values"].get("warehouse_selectable"):
                selectable.append(route_id)
        self._touch_buy_route(wid)
        return {"route_ids": [(4, route_id) for route_id in selectable]}

    def buy_route(self) -> int:
        """The global Buy route (purchase_stock), 0 when missing."""
        route = self.env.ref("purchase_stock.route_warehouse0_buy")
        return route if self.env["stock.route"].with_context(active_test=False).row(route) else 0

    def buy_is_computed(self) -> bool:
        """Odoo 19: ``buy_to_resupply`` is not stored but computed from (and written through)
        the Buy route's ``warehouse_ids`` (MODELS.md 1.1, purchase_stock)."""
        field = self.schema.fields.get("buy_to_resupply")
        return field is not None and not field.store

    def link_buy_route(self, wid: int, linked: bool) -> None:
        """Write the Buy route with the warehouse added or removed (19's inverse)."""
        route = self.buy_route()
        if route:
            command = (4, wid) if linked else (3, wid)
            self.env["stock.route"].write([route], {"warehouse_ids": [command]})

    def _touch_buy_route(self, wid: int) -> None:
        """Odoo 19 rewrites the global Buy route each time a warehouse's routes are created or
        updated, for a warehouse it supplies (19/side_effects.md, difference 8)."""
        if not self.buy_is_computed():
            return
        route = self.buy_route()
        routes = self.env["stock.route"].with_context(active_test=False)
        if route and wid in (routes.rows([route])[0].get("warehouse_ids") or []):
            self.link_buy_route(wid, True)

    def _find_or_create_global_route(
        self, wid: int, xmlid: str, route_name: str, create: bool = True
    ) -> int:
        routes = self.env.with_context(active_test=False)["stock.route"]
        data_route = self.env.ref(xmlid)
        route = data_route if routes.row(data_route) is not None else 0
        company = self._wh(wid).get("company_id")
        route_company = (routes.row(route) or {}).get("company_id")
        if not route or (route_company and route_company != company):
            found = routes.search(
                [("name", "like", route_name), ("company_id", "in", [False, company])],
                limit=1,
                order="company_id",
            )
            route = found[0] if found else 0
        if not route and create and routes.row(data_route) is not None:
            source = routes.rows([data_route])[0]
            copied: dict[str, Any] = {
                k: source.get(k)
                for k in ("name", "sequence", "product_selectable", "sale_selectable")
                if k in source
            }
            route = routes.create([{**copied, "company_id": company}])[0]
        return route

    def _global_route_rules_values(self, wid: int) -> dict[str, dict[str, Any]]:
        wh = self._wh(wid)
        stock = wh.get("lot_stock_id") or 0
        layout = self.get_rules_dict(wid)[str(wh.get("delivery_steps"))]
        rule = next(r for r in layout if r.from_loc == stock)
        multi_step_reception = wh.get("reception_steps") != "one_step"
        major = self.env.db.major
        # 16/17: the MTO rule is "MTS else MTO"; 16 names the route "Make To Order" and sets no
        # carrier propagation; 16/17's Buy rule leads where receipts go (purchase_stock, stock.py
        # _get_global_route_rules_values / _generate_global_route_rules_values).
        mto_name = "Make To Order" if major <= 16 else "Replenish on Order (MTO)"
        buy_destination = stock
        if self.legacy:
            buy_destination = self._input_output(wid, wh.get("reception_steps"), "ship_only")[0]
        values = {
            "mto_pull_id": {
                "create_values": {
                    "active": True,
                    "procure_method": "mts_else_mto" if self.legacy else "make_to_order",
                    "company_id": wh.get("company_id"),
                    "action": "pull",
                    "auto": "manual",
                    **({"propagate_carrier": True} if major >= 17 else {}),
                    "route_id": self._find_or_create_global_route(
                        wid, "stock.route_warehouse0_mto", mto_name
                    ),
                },
                "update_values": {
                    "name": self._format_rulename(wid, rule.from_loc, rule.dest_loc, "MTO"),
                    "location_dest_id": rule.dest_loc,
                    "location_src_id": rule.from_loc,
                    "picking_type_id": rule.picking_type,
                },
            },
            "buy_pull_id": {
                "create_values": {
                    "action": "buy",
                    "picking_type_id": wh.get("in_type_id"),
                    "group_propagation_option": "none",
                    "company_id": wh.get("company_id"),
                    "route_id": self._find_or_create_global_route(
                        wid, "purchase_stock.route_warehouse0_buy", "Buy"
                    ),
                    "propagate_cancel": multi_step_reception,
                },
                "update_values": {
                    "active": bool(self.value(wh, "buy_to_resupply")),
                    "name": self._format_rulename(wid, buy_destination, 0, "Buy"),
                    "location_dest_id": buy_destination,
                    "propagate_cancel": multi_step_reception,
                },
            },
        }
        return {k: v for k, v in values.items() if v["create_values"]["route_id"]}

    def _create_or_update_global_routes_rules(self, wid: int) -> None:
        rules = self.env["stock.rule"]
        for fname, details in self._global_route_rules_values(wid).items():
            values = dict(details["update_values"])
            current = self._wh(wid).get(fname)
            if current and rules.row(current) is not None:
                rules.write([current], values)
            else:
                values.update(details["create_values"], warehouse_id=wid)
                rule = rules.create([self.known("stock.rule", values)])[0]
                self.write([wid], {fname: rule})

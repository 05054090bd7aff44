"""Inter-warehouse resupply routes through the transit location."""

from __future__ import annotations

from typing import Any

from .warehouse_base import Routing
from .warehouse_routes import WarehouseRoutes


class WarehouseResupply(WarehouseRoutes):
    """Routes a warehouse gets from ``resupply_wh_ids``, and how they follow delivery steps."""

    # ------------------------------------------------------------------ resupply
    def _transit_locations(self, wid: int) -> tuple[int, int]:
        company_id = self._wh(wid).get("company_id")
        company = self.env.db.store.get("res.company", company_id or 0) or {}
        internal = company.get("internal_transit_location_id") or 0
        if not internal:
            found = self.env.with_context(active_test=False)["stock.location"].search(
                [("usage", "=", "transit"), ("company_id", "=", company_id)], limit=1
            )
            internal = found[0] if found else 0
        return internal, self.env.ref("stock.stock_location_inter_company")

    def create_resupply_routes(self, wid: int, supplier_ids: list[int]) -> None:
        routes = self.env["stock.route"]
        rules = self.env["stock.rule"]
        locations = self.env["stock.location"]
        internal_transit, external_transit = self._transit_locations(wid)
        wh = self._wh(wid)
        for supplier_id in supplier_ids:
            supplier = self._wh(supplier_id)
            same_company = supplier.get("company_id") == wh.get("company_id")
            transit = internal_transit if same_company else external_transit
            if not transit:
                continue
            locations.write([transit], {"active": True})
            ship_only = supplier.get("delivery_steps") == "ship_only"
            output = supplier.get("lot_stock_id" if ship_only else "wh_output_stock_loc_id") or 0
            out_type = supplier.get("out_type_id") or 0
            if ship_only:
                # The extra MTO rule only exists for "ship only": other layouts already have one.
                routing = [Routing(output, transit, out_type, "pull")]
                mto = self._global_route_rules_values(supplier_id)["mto_pull_id"]
                mto_rules = self._rule_values(supplier_id, routing, mto["create_values"], "MTO")
                rules.create([self.known("stock.rule", rule) for rule in mto_rules])
            route_id = routes.create([self._inter_warehouse_route_values(wid, supplier_id)])[0]
            pull_rules = self._supply_pull_rules_values(
                supplier_id,
                [Routing(output, transit, out_type, "pull")],
                {"route_id": route_id, "location_dest_from_rule": True},
            )
            if not ship_only and not self.legacy:
                pull_rules += self._supply_pull_rules_values(
                    supplier_id,
                    [
                        Routing(
                            supplier.get("lot_stock_id") or 0,
                            output,
                            supplier.get("pick_type_id") or 0,
                            "pull",
                        )
                    ],
                    {"route_id": route_id},
                )
            # 16/17 (create_resupply_routes): the supplied warehouse receives in its input
            # location; 18 and later in its stock.
            receive_in = wh.get("lot_stock_id") or 0
            if self.legacy:
                receive_in = self._input_output(wid, wh.get("reception_steps"), "ship_only")[0]
            pull_rules += self._supply_pull_rules_values(
                wid,
                [Routing(transit, receive_in, wh.get("in_type_id") or 0, "pull")],
                {"route_id": route_id, "propagate_warehouse_id": supplier_id},
            )
            rules.create([self.known("stock.rule", rule) for rule in pull_rules])

    def _inter_warehouse_route_values(self, wid: int, supplier_id: int) -> dict[str, Any]:
        wh, supplier = self._wh(wid), self._wh(supplier_id)
        same_company = wh.get("company_id") == supplier.get("company_id")
        return {
            "name": f"{wh.get('name')}: Supply Product from {supplier.get('name')}",
            "warehouse_selectable": True,
            "product_selectable": True,
            "product_categ_selectable": True,
            "supplied_wh_id": wid,
            "supplier_wh_id": supplier_id,
            "company_id": wh.get("company_id") if same_company else False,
        }

    def _check_delivery_resupply(self, wid: int, new_location: int, to_multiple: bool) -> None:
        """Follow a change between one and several delivery steps in the routes it supplies."""
        wh = self._wh(wid)
        rules = self.env["stock.rule"]
        routes = self.env["stock.route"].search([("supplier_wh_id", "=", wid)])
        transit_rules = rules.search(
            [
                ("route_id", "in", routes),
                ("action", "!=", "push"),
                ("location_dest_id.usage", "=", "transit"),
            ]
        )
        rules.write(
            transit_rules,
            {
                "location_src_id": new_location,
                "procure_method": "make_to_order" if to_multiple else "make_to_stock",
            },
        )
        output_domain = [
            ("route_id", "in", routes),
            ("action", "!=", "push"),
            ("location_dest_id", "=", wh.get("wh_output_stock_loc_id")),
            ("picking_type_id", "=", wh.get("pick_type_id")),
        ]
        stock = wh.get("lot_stock_id") or 0
        if not to_multiple:
            if not self.legacy:  # 16/17 have no Stock → Output rule in supply routes
                rules.write(rules.search(output_domain), {"active": False})
            destinations = dict.fromkeys(
                int(rules.rows([r])[0].get("location_dest_id") or 0) for r in transit_rules
            )
            routings = [
                Routing(stock, dest, wh.get("out_type_id") or 0, "pull") for dest in destinations
            ]
            mto = self._global_route_rules_values(wid)["mto_pull_id"]["create_values"]
            mto_rules = self._rule_values(wid, routings, mto, "MTO")
            rules.create([self.known("stock.rule", rule) for rule in mto_rules])
            return
        all_rules = self.env.with_context(active_test=False)["stock.rule"]
        found = [] if self.legacy else all_rules.search(output_domain)
        all_rules.write(found, {"active": True})
        found_routes = {all_rules.rows([r])[0].get("route_id") for r in found}
        missing: list[dict[str, Any]] = []
        for route_id in [] if self.legacy else routes:
            if route_id not in found_routes:
                routing = [Routing(stock, new_location, wh.get("pick_type_id") or 0, "pull")]
                missing += self._supply_pull_rules_values(wid, routing, {"route_id": route_id})
        rules.create([self.known("stock.rule", rule) for rule in missing])
        mto_name = "Make To Order" if self.env.db.major <= 16 else "Replenish on Order (MTO)"
        mto_route = self._find_or_create_global_route(
            wid, "stock.route_warehouse0_mto", mto_name, create=False
        )
        stale = rules.search(
            [
                ("route_id", "=", mto_route),
                ("location_dest_id.usage", "=", "transit"),
                ("action", "!=", "push"),
                ("location_src_id", "=", stock),
            ]
        )
        rules.write(stale, {"active": False})

    def _update_reception_resupply(self, wid: int, reception: str) -> None:
        """16/17 (``_check_reception_resupply``): between one and several reception steps, the
        supply routes' rules from the transit location lead to the new input location."""
        current = self._wh(wid).get("reception_steps")
        if not self.legacy or current == reception or "one_step" not in (current, reception):
            return
        new_input = self._input_output(wid, reception, "ship_only")[0]
        rules = self.env["stock.rule"]
        routes = self.env["stock.route"].search([("supplied_wh_id", "=", wid)])
        found = rules.search(
            [
                ("route_id", "in", routes),
                ("action", "!=", "push"),
                ("location_src_id.usage", "=", "transit"),
            ]
        )
        rules.write(found, {"location_dest_id": new_input})

    def _update_delivery_resupply(self, wid: int, reception: Any, delivery: str) -> None:
        current = self._wh(wid).get("delivery_steps")
        if current != delivery and "ship_only" in (current, delivery):
            _input, output = self._input_output(wid, reception, delivery)
            self._check_delivery_resupply(wid, output, current == "ship_only")

    def _update_resupply_routes(self, wid: int, old: set[int]) -> None:
        routes = self.env["stock.route"]
        new = set(self.value(self._wh(wid), "resupply_wh_ids"))
        to_add, to_remove = new - old, old - new
        if to_add:
            archived = routes.search(
                [
                    ("supplied_wh_id", "=", wid),
                    ("supplier_wh_id", "in", sorted(to_add)),
                    ("active", "=", False),
                ]
            )
            if archived:
                routes.toggle_active(archived)
            restored = {routes.rows([r])[0].get("supplier_wh_id") for r in archived}
            remaining = [w for w in sorted(to_add) if w not in restored]
            if remaining:
                self.create_resupply_routes(wid, remaining)
        if to_remove:
            current = routes.search(
                [
                    ("supplied_wh_id", "=", wid),
                    ("supplier_wh_id", "in", sorted(to_remove)),
                    ("active", "=", True),
                ]
            )
            routes.toggle_active(current)

    # ------------------------------------------------------------------ company-wide effects

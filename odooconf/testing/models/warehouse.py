"""``stock.warehouse``: everything Odoo 18 creates and updates around a warehouse.

The flow mirrors Odoo 18's ``stock`` module as extended by ``purchase_stock`` (buy rule, reception
rules without the initial pull) and ``sale_stock`` (cross-dock route flags), which are installed
in the reference database. The derived values live in ``warehouse_base``, ``warehouse_routes``
and ``warehouse_resupply``.
"""

from __future__ import annotations

from typing import Any

from .. import errors
from ..orm import Model, register
from ..store import Row
from .base import ResGroups, check_company_unchanged
from .location import StockLocation
from .warehouse_resupply import WarehouseResupply

#: Warehouse fields whose change rebuilds routes, rules and picking types.
ROUTE_DEPENDS = ("reception_steps", "buy_to_resupply", "delivery_steps")
GLOBAL_RULES = ("mto_pull_id", "buy_pull_id")


@register
class StockWarehouse(WarehouseResupply):
    _name = "stock.warehouse"

    # ------------------------------------------------------------------ create
    def default_values(self, vals: dict[str, Any]) -> None:
        super().default_values(vals)
        company = self.env.db.store.get("res.company", vals["company_id"]) or {}
        if "name" not in vals:
            count = self._all().search_count([("company_id", "=", vals["company_id"])])
            name = company.get("name") or ""
            vals["name"] = f"{name} - warehouse # {count + 1}" if count else name
        vals.setdefault("partner_id", company.get("partner_id") or False)

    def compute(self, row: Row, fname: str) -> Any:
        if fname == "buy_to_resupply" and self.buy_is_computed():
            route = self.buy_route()
            routes = self.env["stock.route"].with_context(active_test=False)
            if not route:
                return False
            route_row = routes.rows([route])[0]
            return bool(route_row.get("product_selectable")) or row["id"] in (
                route_row.get("warehouse_ids") or []
            )
        return super().compute(row, fname)

    def create(self, vals_list: list[dict[str, Any]]) -> list[int]:
        locations = self.env["stock.location"]
        all_locations = self.env.with_context(active_test=False)["stock.location"]
        prepared = []
        for given in vals_list:
            vals = dict(given)
            self._check_names(vals)
            company_id = vals.get("company_id")
            if company_id:
                company = self.env.db.store.get("res.company", company_id) or {}
                vals.setdefault("name", company.get("name"))
                vals.setdefault("code", (company.get("name") or "")[:5])
                vals.setdefault("partner_id", company.get("partner_id") or False)
            view_vals = {
                "name": vals.get("code"),
                "usage": "view",
                "location_id": self.env.ref("stock.stock_location_locations"),
            }
            if company_id:
                view_vals["company_id"] = company_id
            # The view location takes the code as given: it is not cut to the field's 5 chars.
            vals["view_location_id"] = locations.create([view_vals])[0]
            for fname, values in self._locations_values(vals).items():
                values["location_id"] = vals["view_location_id"]
                if company_id:
                    values["company_id"] = company_id
                vals[fname] = all_locations.create([values])[0]
            prepared.append(vals)
        ids = super().create(prepared)
        for wid, vals in zip(ids, prepared, strict=True):
            if self.buy_is_computed() and vals.get("buy_to_resupply", True):
                self.link_buy_route(wid, True)
            self.write([wid], self._create_or_update_sequences_and_picking_types(wid))
            self.write([wid], self._create_or_update_route(wid))
            self._create_or_update_global_routes_rules(wid)
            self.create_resupply_routes(wid, self.value(self._wh(wid), "resupply_wh_ids"))
            if vals.get("partner_id"):
                self._update_partner_data(vals["partner_id"], vals.get("company_id"))
            view = vals["view_location_id"]
            children = all_locations.referencing("location_id", view)
            all_locations.write([view, *children], {"warehouse_id": wid})
        self._check_multiwarehouse_group()
        return ids

    # ------------------------------------------------------------------ write
    def write(self, ids: list[int], vals: dict[str, Any]) -> None:
        if not ids:
            return
        self._check_names(vals)
        check_company_unchanged(self, ids, vals)
        whs = self._all()
        whs._create_missing_locations(ids, vals)
        if vals.get("reception_steps"):
            whs._update_location_reception(ids, vals["reception_steps"])
        if vals.get("delivery_steps"):
            whs._update_location_delivery(ids, vals["delivery_steps"])
        if vals.get("reception_steps"):
            for wid in ids:
                whs._update_reception_resupply(wid, vals["reception_steps"])
        if vals.get("delivery_steps"):
            for wid in ids:
                whs._update_delivery_resupply(
                    wid, vals.get("reception_steps"), vals["delivery_steps"]
                )
        resupply = bool(vals.get("resupply_wh_ids")) and not vals.get("resupply_route_ids")
        if resupply:
            # Odoo browses the suppliers to build their routes: an unknown one is a MissingError.
            whs.rows(_linked_ids(vals["resupply_wh_ids"]))
        old_resupply = {wid: set(whs.value(whs._wh(wid), "resupply_wh_ids")) for wid in ids}
        if vals.get("partner_id"):
            for wid in ids:
                company = vals.get("company_id") or self._wh(wid).get("company_id")
                self._update_partner_data(vals["partner_id"], company)
        if vals.get("code") or vals.get("name"):
            whs._update_name_and_code(ids, vals.get("name"), vals.get("code"))
        super().write(ids, vals)
        if "buy_to_resupply" in vals and self.buy_is_computed():
            for wid in ids:
                self.link_buy_route(wid, bool(vals["buy_to_resupply"]))
        for wid in ids:
            route_change = any(depend in vals for depend in ROUTE_DEPENDS)
            if "code" in vals or route_change:
                picking_types = whs._create_or_update_sequences_and_picking_types(wid)
                if picking_types:
                    whs.write([wid], picking_types)
            if route_change:
                whs.write([wid], whs._create_or_update_route(wid))
            if route_change or any(rule in vals for rule in GLOBAL_RULES):
                whs._create_or_update_global_routes_rules(wid)
            if "active" in vals:
                whs._propagate_active(wid, bool(vals["active"]))
        if resupply:
            for wid in ids:
                whs._update_resupply_routes(wid, old_resupply[wid])
        if "active" in vals:
            self._check_multiwarehouse_group()

    def _update_location_reception(self, ids: list[int], step: str) -> None:
        locations = self.env["stock.location"]
        rows = self.rows(ids)
        qc = [r["wh_qc_stock_loc_id"] for r in rows if r.get("wh_qc_stock_loc_id")]
        inputs = [r["wh_input_stock_loc_id"] for r in rows if r.get("wh_input_stock_loc_id")]
        locations.write(qc, {"active": step == "three_steps"})
        locations.write(inputs, {"active": step != "one_step"})

    def _update_location_delivery(self, ids: list[int], step: str) -> None:
        locations = self.env["stock.location"]
        rows = self.rows(ids)
        packs = [r["wh_pack_stock_loc_id"] for r in rows if r.get("wh_pack_stock_loc_id")]
        outputs = [r["wh_output_stock_loc_id"] for r in rows if r.get("wh_output_stock_loc_id")]
        locations.write(packs, {"active": step == "pick_pack_ship"})
        locations.write(outputs, {"active": step != "ship_only"})

    def _update_name_and_code(self, ids: list[int], name: Any, code: Any) -> None:
        locations = self.env["stock.location"]
        routes = self.env["stock.route"]
        rules = self.env["stock.rule"]
        sequences = self.env["ir.sequence"]
        types = self.env["stock.picking.type"]
        for wid in ids:
            wh = self._wh(wid)
            stock = locations.row(wh.get("lot_stock_id") or 0)
            if code and stock is not None and stock.get("location_id"):
                locations.write([stock["location_id"]], {"name": code})
            old = str(wh.get("name") or "")
            if name:
                for route_id in self.value(wh, "route_ids"):
                    route = routes.rows([route_id])[0]
                    routes.write([route_id], {"name": str(route.get("name")).replace(old, name, 1)})
                    for rule_id in routes.value(route, "rule_ids"):
                        self._rename_rule(rules, rule_id, old, name)
                for fname in ("mto_pull_id", "buy_pull_id"):
                    if wh.get(fname) and rules.row(wh[fname]) is not None:
                        self._rename_rule(rules, wh[fname], old, name)
            sequence_data = self._sequence_values(wid, name=name or None, code=code or None)
            for fname in self.picking_type_fields():
                picking_type = types.row(wh.get(fname) or 0)
                if picking_type is not None and picking_type.get("sequence_id"):
                    sequences.write([picking_type["sequence_id"]], sequence_data[fname])

    @staticmethod
    def _rename_rule(rules: Model, rule_id: int, old: str, new: str) -> None:
        rule = rules.rows([rule_id])[0]
        rules.write([rule_id], {"name": str(rule.get("name")).replace(old, new, 1)})

    def _propagate_active(self, wid: int, active: bool) -> None:
        """Archive or restore what belongs to the warehouse, then rebuild it from its steps."""
        wh = self._wh(wid)
        types = self.env["stock.picking.type"]
        type_ids = types.search([("warehouse_id", "=", wid)])
        types.write(type_ids, {"active": active})
        locations = StockLocation(self.env, self.env.db.schemas["stock.location"])
        inside = locations.descendants([wh["view_location_id"]])
        active_types = self.env.with_context(active_test=True)["stock.picking.type"]
        users = active_types.search(
            [
                ("default_location_src_id", "in", inside),
                ("default_location_dest_id", "in", inside),
                ("id", "not in", type_ids),
            ]
        )
        if users:
            names = ", ".join(str(active_types.rows([u])[0].get("name")) for u in users)
            raise errors.user_error(
                f"{names} have default source or destination locations within warehouse "
                f"{wh.get('name')}, therefore you cannot archive it."
            )
        locations.write([wh["view_location_id"]], {"active": active})
        rules = self.env["stock.rule"]
        rule_ids = rules.search([("warehouse_id", "=", wid)])
        routes = self.env["stock.route"]
        own_routes = [
            route_id
            for route_id in self.value(wh, "route_ids")
            if len(routes.value(routes.rows([route_id])[0], "warehouse_ids")) == 1
        ]
        routes.write(own_routes, {"active": active})
        rules.write(rule_ids, {"active": active})
        if self._wh(wid).get("active"):
            values: dict[str, Any] = {
                "resupply_route_ids": [(4, r) for r in self.value(wh, "resupply_route_ids")]
            }
            for depend in ROUTE_DEPENDS:
                values[depend] = self.value(self._wh(wid), depend)
            self.write([wid], values)

    def _update_partner_data(self, partner_id: int, company_id: Any) -> None:
        company = company_id or self.env.company_id
        row = self.env.db.store.get("res.company", company) or {}
        transit = row.get("internal_transit_location_id") or False
        partners = self.env.with_context(allowed_company_ids=[company])["res.partner"]
        partners.write(
            [partner_id], {"property_stock_customer": transit, "property_stock_supplier": transit}
        )

    def _most_active_warehouses_in_a_company(self) -> int:
        """0, 1, or 2 when a company has more than one active warehouse (counted per company
        until a second one is found)."""
        table = self.store.table(self.name)
        top = 0
        for company in self.store.values(self.name, "company_id"):
            active = 0
            for rid in self.store.lookup(self.name, "company_id", company):
                if table[rid].get("active"):
                    active += 1
                    if active > 1:
                        return 2
            top = max(top, active)
        return top

    def _check_multiwarehouse_group(self) -> None:
        top = self._most_active_warehouses_in_a_company()
        if not top:
            return
        groups = ResGroups(self.env, self.env.db.schemas["res.groups"])
        group_user = self.env.ref("base.group_user")
        multi_warehouses = self.env.ref("stock.group_stock_multi_warehouses")
        multi_locations = self.env.ref("stock.group_stock_multi_locations")
        implied = set(groups.rows([group_user])[0].get("implied_ids") or [])
        if top <= 1 and multi_warehouses in implied:
            groups.link(group_user, "implied_ids", [(3, multi_warehouses)])
            users = groups.rows([group_user])[0].get(groups.users_field) or []
            groups.link(multi_warehouses, groups.users_field, [(3, u) for u in users])
        if top > 1 and multi_warehouses not in implied:
            if multi_locations not in implied and self.env.db.major >= 17:
                # Odoo runs res.config.settings here: turning on storage locations activates
                # the internal transfer type of every active warehouse.
                groups.link(group_user, "implied_ids", [(4, multi_locations)])
                warehouses = self.env.with_context(active_test=True)["stock.warehouse"]
                int_types = [
                    warehouses.rows([w])[0].get("int_type_id") for w in warehouses.search([])
                ]
                self.env["stock.picking.type"].write([t for t in int_types if t], {"active": True})
            groups.link(group_user, "implied_ids", [(4, multi_warehouses), (4, multi_locations)])
            if self.env.db.major >= 19:
                # 19 writes the base.group_user row (19/side_effects.md, difference 9).
                groups.write([group_user], {})


def _linked_ids(commands: Any) -> list[int]:
    """Ids an x2many write links (``(4, id)``, ``(6, 0, ids)``, or a plain list of ids)."""
    ids: list[int] = []
    for command in commands if isinstance(commands, list) else []:
        if isinstance(command, int):
            ids.append(command)
        elif isinstance(command, (list, tuple)) and command and command[0] == 4:
            ids.append(int(command[1]))
        elif isinstance(command, (list, tuple)) and command and command[0] == 6:
            ids.extend(int(i) for i in command[2] or [])
    return ids

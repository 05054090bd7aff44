"""Reordering rules (``stock.warehouse.orderpoint``) and putaway rules."""

from __future__ import annotations

from typing import Any

from .. import errors
from ..orm import Model, register
from ..store import Row
from .base import IrSequence, ReadChecked, check_company_unchanged, user_has_group


def _redirect_warning(model: Model) -> errors.OdooError:
    company = model.env.db.display_name("res.company", model.env.company_id, model.env)
    return errors.OdooError(
        errors.REDIRECT_WARNING, f"Please create a warehouse for company {company}."
    )


@register
class StockWarehouseOrderpoint(ReadChecked):
    _name = "stock.warehouse.orderpoint"

    def default_values(self, vals: dict[str, Any]) -> None:
        super().default_values(vals)
        if "name" not in vals:
            sequences = IrSequence(self.env, self.env.db.schemas["ir.sequence"])
            vals["name"] = sequences.next_by_code("stock.orderpoint")
        vals.setdefault("product_min_qty", 0.0)
        vals.setdefault("product_max_qty", 0.0)
        warehouses = self.env["stock.warehouse"]
        location = self.env["stock.location"].row(vals.get("location_id") or 0)
        if not vals.get("warehouse_id"):
            if location is not None and location.get("warehouse_id"):
                vals["warehouse_id"] = location["warehouse_id"]
            else:
                found = warehouses.search([("company_id", "=", vals["company_id"])], limit=1)
                if not found:
                    raise _redirect_warning(self)
                vals["warehouse_id"] = found[0]
        if not vals.get("location_id"):
            warehouse = warehouses.row(vals["warehouse_id"]) or {}
            vals["location_id"] = warehouse.get("lot_stock_id") or False

    def compute(self, row: Row, fname: str) -> Any:
        if "replenishment_uom_id" in self.schema.fields and fname in (
            "qty_to_order",
            "qty_to_order_computed",
        ):
            return self._qty_to_order(row, fname)
        if fname == "replenishment_uom_id_placeholder":
            return ""  # no default replenishment unit without vendors or routes (g12b)
        return super().compute(row, fname)

    def _qty_to_order(self, row: Row, fname: str) -> float:
        """Odoo 19 (``stock_orderpoint.py``, ``_compute_qty_to_order_computed``), without stock
        moves (forecast 0): up to max when under min, rounded up to a multiple of the
        replenishment unit (19/side_effects.md, difference 21: 10 -> 12 with Pack of 6, 1000
        with kg); a manual quantity wins."""
        manual = row.get("qty_to_order_manual") or 0.0
        if fname == "qty_to_order" and manual:
            return float(manual)
        low, high = row.get("product_min_qty") or 0.0, row.get("product_max_qty") or 0.0
        forecast = 0.0
        if forecast >= low:
            return 0.0
        quantity = max(low, high) - forecast
        uom = self.env.db.store.get("uom.uom", row.get("replenishment_uom_id") or 0)
        multiple = float((uom or {}).get("factor") or 0.0)
        remainder = quantity % multiple if multiple > 0 else 0.0
        return float(quantity + multiple - remainder if remainder else quantity)

    def write(self, ids: list[int], vals: dict[str, Any]) -> None:
        check_company_unchanged(self, ids, vals)
        if ("product_min_qty" in vals) == ("product_max_qty" in vals):
            super().write(ids, vals)
            return
        # Min and max are computed from each other (stored, writable): writing one of them
        # alone recomputes the other, per record, before the min <= max constraint runs. Min
        # follows max when it is above max or zero; max follows min when it is below min or zero.
        written, other = (
            ("product_min_qty", "product_max_qty")
            if "product_min_qty" in vals
            else ("product_max_qty", "product_min_qty")
        )
        field = self.schema.fields[written]
        new = self.convert(field, vals[written])
        for row in self.rows(ids):
            current = row.get(other) or 0.0
            low, high = (new, current) if written == "product_min_qty" else (current, new)
            follows = high < low or not current
            super().write([row["id"]], {**vals, other: new} if follows else vals)

    def check(self, ids: list[int]) -> None:
        for row in self.rows(ids):
            if (row.get("qty_multiple") or 0.0) < 0:
                raise errors.sql_constraint("Qty Multiple must be greater than or equal to zero.")
            if (row.get("product_min_qty") or 0.0) > (row.get("product_max_qty") or 0.0):
                raise errors.validation(
                    "The minimum quantity must be less than or equal to the maximum quantity."
                )


@register
class StockPutawayRule(Model):
    _name = "stock.putaway.rule"

    def default_values(self, vals: dict[str, Any]) -> None:
        super().default_values(vals)
        if "location_in_id" in vals or user_has_group(
            self.env, "stock.group_stock_multi_warehouses"
        ):
            return
        warehouses = self.env["stock.warehouse"]
        found = warehouses.search([("company_id", "in", [vals["company_id"], False])], limit=1)
        if found:
            warehouse = warehouses.rows(found)[0]
            one_step = warehouse.get("reception_steps") == "one_step"
            field = "lot_stock_id" if one_step else "wh_input_stock_loc_id"
            vals["location_in_id"] = warehouse.get(field) or False

    def write(self, ids: list[int], vals: dict[str, Any]) -> None:
        check_company_unchanged(self, ids, vals)
        if (
            "sublocation" in vals
            and "storage_category_id" not in vals
            and vals["sublocation"] != "closest_location"
        ):
            # The storage category is computed (stored, writable) from the sublocation
            # strategy: it is kept only with "closest_location".
            vals = {**vals, "storage_category_id": False}
        super().write(ids, vals)


@register
class StockPackageType(ReadChecked):
    _name = "stock.package.type"

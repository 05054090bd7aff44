"""``stock.picking.type``: its sequence, computed warehouse and default locations."""

from __future__ import annotations

from typing import Any

from .. import errors
from ..orm import Model, register
from ..store import Row
from .base import check_company_unchanged


def _sequence_values(warehouse: Row | None, code: str, company_id: Any) -> dict[str, Any]:
    """The ``ir.sequence`` of a picking type: per warehouse when it has one."""
    if warehouse is not None:
        return {
            "name": f"{warehouse.get('name')} Sequence {code}",
            "prefix": f"{warehouse.get('code')}/{code}/",
            "padding": 5,
            "company_id": warehouse.get("company_id"),
        }
    return {"name": f"Sequence {code}", "prefix": code, "padding": 5, "company_id": company_id}


@register
class StockPickingType(Model):
    _name = "stock.picking.type"

    def display_name(self, rid: int) -> str:
        row = self.rows([rid])[0]
        warehouse = self.env.db.store.get("stock.warehouse", row.get("warehouse_id") or 0)
        if warehouse is not None:
            return f"{warehouse.get('name')}: {row.get('name')}"
        return str(row.get("name") or "")

    def compute(self, row: Row, fname: str) -> Any:
        if fname == "hide_reservation_method":
            return row.get("code") == "incoming"
        if fname == "show_picking_type":
            return row.get("code") in ("incoming", "outgoing", "internal")
        return super().compute(row, fname)

    def create(self, vals_list: list[dict[str, Any]]) -> list[int]:
        sequences = self.env["ir.sequence"]
        prepared = []
        for given in vals_list:
            vals = dict(given)
            code = vals.get("sequence_code")
            if not vals.get("sequence_id") and code:
                warehouse = self.env.db.store.get("stock.warehouse", vals.get("warehouse_id") or 0)
                company = vals.get("company_id") or self.env.company_id
                values = _sequence_values(warehouse, str(code), company)
                vals["sequence_id"] = sequences.create([values])[0]
            prepared.append(vals)
        return super().create(prepared)

    def default_values(self, vals: dict[str, Any]) -> None:
        super().default_values(vals)
        warehouses = self.env["stock.warehouse"]
        if not vals.get("warehouse_id") and vals.get("company_id"):
            found = warehouses.search([("company_id", "=", vals["company_id"])], limit=1)
            vals["warehouse_id"] = found[0] if found else False
        code = vals.get("code")
        warehouse = warehouses.row(vals.get("warehouse_id") or 0)
        for fname, value in self._default_locations(code, warehouse, skip=vals).items():
            vals[fname] = value
        vals.setdefault("print_label", code == "outgoing")

    def write(self, ids: list[int], vals: dict[str, Any]) -> None:
        check_company_unchanged(self, ids, vals)
        if "sequence_code" in vals:
            self._rename_sequences(ids, str(vals["sequence_code"]))
        if "code" not in vals:
            super().write(ids, vals)
            return
        for row in self.rows(ids):
            extra = {} if row.get("code") == vals["code"] else self._code_dependents(row, vals)
            super().write([row["id"]], {**extra, **vals})

    def _code_dependents(self, row: Row, vals: dict[str, Any]) -> dict[str, Any]:
        """Fields Odoo recomputes (stored, writable) when the type of operation changes, unless
        the same write gives them: the default locations follow the new code and the
        warehouse's stock location, lots and shipping-label flags are switched on or off."""
        code = vals["code"]
        warehouses = self.env["stock.warehouse"]
        warehouse = warehouses.row(vals.get("warehouse_id") or row.get("warehouse_id") or 0)
        out: dict[str, Any] = self._default_locations(code, warehouse, skip={})
        if code == "incoming":
            out["use_create_lots"] = True
        if code == "outgoing":
            out["use_existing_lots"] = True
        if code in ("incoming", "internal"):
            out["print_label"] = False
        elif code == "outgoing":
            out["print_label"] = True
        return out

    def _default_locations(
        self, code: Any, warehouse: Row | None, skip: dict[str, Any]
    ) -> dict[str, Any]:
        """Default source and destination of a type of operation: vendors → stock for receipts,
        stock → customers for deliveries, the warehouse's stock otherwise."""
        out: dict[str, Any] = {}
        for fname, special, xmlid in (
            ("default_location_src_id", "incoming", "stock.stock_location_suppliers"),
            ("default_location_dest_id", "outgoing", "stock.stock_location_customers"),
        ):
            if fname in skip:
                continue
            if warehouse is None:
                company = self.env.db.display_name("res.company", self.env.company_id, self.env)
                raise errors.OdooError(
                    errors.REDIRECT_WARNING, f"Please create a warehouse for company {company}."
                )
            out[fname] = (
                self.env.ref(xmlid) if code == special else warehouse.get("lot_stock_id") or False
            )
        return out

    def _rename_sequences(self, ids: list[int], code: str) -> None:
        sequences = self.env["ir.sequence"]
        for row in self.rows(ids):
            if not row.get("sequence_id") or sequences.row(row["sequence_id"]) is None:
                continue
            warehouse = self.env.db.store.get("stock.warehouse", row.get("warehouse_id") or 0)
            values = _sequence_values(warehouse, code, self.env.company_id)
            sequences.write([row["sequence_id"]], values)

"""Values Odoo 18 derives for a warehouse: its locations, sequences and picking types.

Shared by the ``stock.warehouse`` behaviour (``warehouse.py``), split for size.
"""

from __future__ import annotations

from typing import Any, NamedTuple, TypeVar

from ..orm import Model
from ..store import Row
from . import warehouse_legacy as legacy
from .base import user_has_group

ROUTE_NAMES = {
    "one_step": "Receive in 1 step (stock)",
    "two_steps": "Receive in 2 steps (input + stock)",
    "three_steps": "Receive in 3 steps (input + quality + stock)",
    "crossdock": "Cross-Dock",
    "ship_only": "Deliver in 1 step (ship)",
    "pick_ship": "Deliver in 2 steps (pick + ship)",
    "pick_pack_ship": "Deliver in 3 steps (pick + pack + ship)",
}

#: Picking type fields with their sequence name suffix and default sequence code, in creation order.
PICKING_TYPES = {
    "in_type_id": ("in", "IN"),
    "out_type_id": ("out", "OUT"),
    "pick_type_id": ("picking", "PICK"),
    "pack_type_id": ("packing", "PACK"),
    "qc_type_id": ("quality control", "QC"),
    "store_type_id": ("storage", "STOR"),
    "int_type_id": ("internal", "INT"),
    "xdock_type_id": ("cross dock", "XD"),
}


def _color_used(types: Model, color: int) -> bool:
    """Whether a picking type of a warehouse has ``color`` (Odoo reads the colors of
    ``[("warehouse_id", "!=", False), ("color", "!=", False)]``); found through the index."""
    used = [("warehouse_id", "!=", False), ("color", "!=", False), ("color", "=", color)]
    found = types.matching(used, types.store.lookup(types.name, "color", color))
    return next(found, None) is not None


def _max_sequence(types: Model) -> int:
    """The highest sequence of a picking type (Odoo: ``search_read([("sequence", "!=", False)],
    order="sequence desc", limit=1)``), from the distinct values of the column, highest first."""
    domain = [("sequence", "!=", False)]
    for value in sorted(types.store.values(types.name, "sequence"), key=_number, reverse=True):
        found = next(
            types.matching(domain, types.store.lookup(types.name, "sequence", value)), None
        )
        if found is not None:
            return int(types.value(types.table[found], "sequence"))
    return 0


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) else 0.0


class Routing(NamedTuple):
    """One rule of a route layout: source, destination, picking type (0 = none) and action."""

    from_loc: int
    dest_loc: int
    picking_type: int
    action: str


class RuleEnds(NamedTuple):
    """What ``get_rules_dict`` chains: the customers location, the warehouse's locations and
    its picking types by field (ids, 0 when unset)."""

    customer: int
    stock: int
    input: int
    qc: int
    output: int
    pack: int
    types: dict[str, int]


W = TypeVar("W", bound="WarehouseBase")


class WarehouseBase(Model):
    """Helpers and the location / picking type part of a warehouse."""

    # ------------------------------------------------------------------ helpers
    def _wh(self, wid: int) -> Row:
        return self.rows([wid])[0]

    def known(self, model: str, vals: dict[str, Any]) -> dict[str, Any]:
        """``vals`` without the fields ``model`` lacks in this version (e.g. 19 has no
        ``stock.rule.group_propagation_option`` nor ``propagate_warehouse_id``)."""
        fields = self.env.db.schemas[model].fields
        return {k: v for k, v in vals.items() if k in fields}

    @property
    def legacy(self) -> bool:
        """Odoo 16 / 17's warehouse layout (``warehouse_legacy``)."""
        return legacy.is_legacy(self)

    def picking_type_fields(self) -> dict[str, tuple[str, str]]:
        """The picking type fields of the warehouse in this version, in creation order."""
        if self.legacy:
            return legacy.picking_types(self)
        return PICKING_TYPES

    def rule_ends(self, wid: int) -> RuleEnds:
        """The locations and picking types the rule layouts of ``get_rules_dict`` use."""
        wh = self._wh(wid)
        return RuleEnds(
            customer=self.env.ref("stock.stock_location_customers"),
            stock=wh.get("lot_stock_id") or 0,
            input=wh.get("wh_input_stock_loc_id") or 0,
            qc=wh.get("wh_qc_stock_loc_id") or 0,
            output=wh.get("wh_output_stock_loc_id") or 0,
            pack=wh.get("wh_pack_stock_loc_id") or 0,
            types={fname: wh.get(fname) or 0 for fname in self.picking_type_fields()},
        )

    def _all(self: W) -> W:
        """This model with ``active_test`` off, as Odoo's ``write`` runs its side effects."""
        return type(self)(self.env.with_context(active_test=False), self.schema)

    def _loc_name(self, lid: int) -> str:
        row = self.env.db.store.get("stock.location", lid) if lid else None
        return str(row.get("name")) if row else "False"

    def _format_rulename(self, wid: int, from_loc: int, dest_loc: int, suffix: str = "") -> str:
        name = f"{self._wh(wid).get('code')}: {self._loc_name(from_loc)}"
        if dest_loc:
            name += f" → {self._loc_name(dest_loc)}"
        if suffix:
            name += f" ({suffix})"
        return name

    def _format_routename(self, wid: int, route_type: str) -> str:
        return f"{self._wh(wid).get('name')}: {ROUTE_NAMES[route_type]}"

    def _input_output(self, wid: int, reception: Any, delivery: Any) -> tuple[int, int]:
        wh = self._wh(wid)
        stock = wh.get("lot_stock_id") or 0
        return (
            stock if reception == "one_step" else wh.get("wh_input_stock_loc_id") or 0,
            stock if delivery == "ship_only" else wh.get("wh_output_stock_loc_id") or 0,
        )

    def _locations_values(self, vals: dict[str, Any], code: Any = False) -> dict[str, Row]:
        reception = vals.get("reception_steps", "one_step")
        delivery = vals.get("delivery_steps", "ship_only")
        prefix = str(vals.get("code") or code or "").replace(" ", "").upper()
        if self.legacy:
            prefix += "-"  # 16 and 17: WH-STOCK (_get_locations_values)
        company_id = vals.get("company_id", self.env.company_id)
        specs = (
            ("lot_stock_id", "Stock", True, "STOCK"),
            ("wh_input_stock_loc_id", "Input", reception != "one_step", "INPUT"),
            ("wh_qc_stock_loc_id", "Quality Control", reception == "three_steps", "QUALITY"),
            ("wh_output_stock_loc_id", "Output", delivery != "ship_only", "OUTPUT"),
            ("wh_pack_stock_loc_id", "Packing Zone", delivery == "pick_pack_ship", "PACKING"),
        )
        result: dict[str, Row] = {}
        for fname, name, active, suffix in specs:
            result[fname] = {
                "name": name,
                "active": active,
                "usage": "internal",
                "barcode": self._valid_barcode(prefix + suffix, company_id),
            }
        result["lot_stock_id"]["replenish_location"] = True
        return result

    def _valid_barcode(self, barcode: str, company_id: Any) -> str | bool:
        """The barcode, or False when a location of the company already has it (Odoo drops it)."""
        taken = self.env.with_context(active_test=False)["stock.location"].search(
            [("barcode", "=", barcode), ("company_id", "=", company_id)]
        )
        return False if taken else barcode

    def _create_missing_locations(self, ids: list[int], vals: dict[str, Any]) -> None:
        locations = self.env["stock.location"]
        for wid in ids:
            wh = self._wh(wid)
            company_id = vals.get("company_id", wh.get("company_id"))
            values = self._locations_values({**vals, "company_id": company_id}, wh.get("code"))
            missing = {}
            for fname, location_values in values.items():
                if not wh.get(fname) and fname not in vals:
                    location_values["location_id"] = vals.get(
                        "view_location_id", wh.get("view_location_id")
                    )
                    location_values["company_id"] = company_id
                    missing[fname] = locations.create([location_values])[0]
            if missing:
                self.write([wid], missing)

    # ------------------------------------------------------------------ picking types
    def _sequence_values(
        self, wid: int, name: str | None = None, code: str | None = None
    ) -> dict[str, Row]:
        if self.legacy:
            return legacy.sequence_values(self, wid, name, code)
        wh = self._wh(wid)
        name = name or wh.get("name")
        code = code or wh.get("code")
        types = self.env.db.store.tables.get("stock.picking.type", {})
        result = {}
        for fname, (label, default_code) in PICKING_TYPES.items():
            current = types.get(wh.get(fname) or 0) or {}
            result[fname] = {
                "name": f"{name} Sequence {label}",
                "prefix": f"{code}/{current.get('sequence_code') or default_code}/",
                "padding": 5,
                "company_id": wh.get("company_id"),
            }
        return result

    def _picking_type_update_values(self, wid: int) -> dict[str, Row]:
        if self.legacy:
            return legacy.picking_type_update_values(self, wid)
        wh = self._wh(wid)
        reception, delivery = wh.get("reception_steps"), wh.get("delivery_steps")
        input_loc, output_loc = self._input_output(wid, reception, delivery)
        active = bool(wh.get("active"))
        code = str(wh.get("code") or "").replace(" ", "").upper()
        return {
            "in_type_id": {"default_location_dest_id": input_loc, "barcode": code + "IN"},
            "out_type_id": {"default_location_src_id": output_loc, "barcode": code + "OUT"},
            "pick_type_id": {
                "active": delivery != "ship_only" and active,
                "default_location_dest_id": (
                    output_loc if delivery == "pick_ship" else wh.get("wh_pack_stock_loc_id")
                ),
                "barcode": code + "PICK",
            },
            "pack_type_id": {
                "active": delivery == "pick_pack_ship" and active,
                "default_location_dest_id": output_loc,
                "barcode": code + "PACK",
            },
            "qc_type_id": {"active": reception == "three_steps" and active, "barcode": code + "QC"},
            "store_type_id": {
                "active": reception != "one_step" and active,
                "default_location_src_id": (
                    input_loc if reception == "two_steps" else wh.get("wh_qc_stock_loc_id")
                ),
                "barcode": code + "STOR",
            },
            "int_type_id": {"barcode": code + "INT"},
            "xdock_type_id": {
                "active": reception != "one_step" and delivery != "ship_only" and active,
                "barcode": code + "XD",
            },
        }

    def _picking_type_create_values(self, wid: int, max_sequence: int) -> dict[str, Row]:
        if self.legacy:
            return legacy.picking_type_create_values(self, wid, max_sequence)
        wh = self._wh(wid)
        company = wh.get("company_id")
        _input_loc, output_loc = self._input_output(
            wid, wh.get("reception_steps"), wh.get("delivery_steps")
        )
        internal = {"code": "internal", "use_create_lots": False, "use_existing_lots": True}
        values: dict[str, Row] = {
            "in_type_id": {
                "name": "Receipts",
                "code": "incoming",
                "use_existing_lots": False,
                "sequence": max_sequence + 1,
                "sequence_code": "IN",
            },
            "out_type_id": {
                "name": "Delivery Orders",
                "code": "outgoing",
                "use_create_lots": False,
                "sequence": max_sequence + 7,
                "sequence_code": "OUT",
                "print_label": True,
            },
            "pack_type_id": {
                **internal,
                "name": "Pack",
                "default_location_src_id": wh.get("wh_pack_stock_loc_id"),
                "default_location_dest_id": output_loc,
                "sequence": max_sequence + 6,
                "sequence_code": "PACK",
            },
            "pick_type_id": {
                **internal,
                "name": "Pick",
                "default_location_src_id": wh.get("lot_stock_id"),
                "sequence": max_sequence + 5,
                "sequence_code": "PICK",
            },
            "qc_type_id": {
                **internal,
                "name": "Quality Control",
                "default_location_src_id": wh.get("wh_input_stock_loc_id"),
                "default_location_dest_id": wh.get("wh_qc_stock_loc_id"),
                "sequence": max_sequence + 2,
                "sequence_code": "QC",
            },
            "store_type_id": {
                **internal,
                "name": "Storage",
                "default_location_dest_id": wh.get("lot_stock_id"),
                "sequence": max_sequence + 3,
                "sequence_code": "STOR",
            },
            "int_type_id": {
                **internal,
                "name": "Internal Transfers",
                "default_location_src_id": wh.get("lot_stock_id"),
                "default_location_dest_id": wh.get("lot_stock_id"),
                "active": user_has_group(self.env, "stock.group_stock_multi_locations"),
                "sequence": max_sequence + 4,
                "sequence_code": "INT",
            },
            "xdock_type_id": {
                **internal,
                "name": "Cross Dock",
                "default_location_src_id": wh.get("wh_input_stock_loc_id"),
                "default_location_dest_id": wh.get("wh_output_stock_loc_id"),
                "sequence": max_sequence + 8,
                "sequence_code": "XD",
            },
        }
        return {fname: {**vals, "company_id": company} for fname, vals in values.items()}

    def _create_or_update_sequences_and_picking_types(self, wid: int) -> dict[str, Any]:
        types = self.env["stock.picking.type"]
        sequences = self.env["ir.sequence"]
        color = next((c for c in range(12) if not _color_used(types, c)), 0)
        sequence_data = self._sequence_values(wid)
        max_sequence = _max_sequence(types)
        data = self._picking_type_update_values(wid)
        create_data = self._picking_type_create_values(wid, max_sequence)
        created: dict[str, Any] = {}
        for fname, values in data.items():
            current = self._wh(wid).get(fname)
            if current and types.row(current) is not None:
                sequence = types.row(current) or {}
                # 16 updates the existing types only, not their sequences.
                if sequence.get("sequence_id") and self.env.db.major >= 17:
                    sequences.write([sequence["sequence_id"]], sequence_data[fname])
                types.write([current], values)
                continue
            values.update(create_data[fname])
            seq_values = sequence_data[fname]
            existing = sequences.search_count(
                [("company_id", "=", seq_values["company_id"]), ("name", "=", seq_values["name"])]
            )
            sequence_id = sequences.create([seq_values])[0]
            if existing:
                sequences.write(
                    [sequence_id], {"name": f"{seq_values['name']} (copy)({sequence_id})"}
                )
            values.update(warehouse_id=wid, color=color, sequence_id=sequence_id)
            created[fname] = types.create([values])[0]
        if "out_type_id" in created:
            # 16: deliveries are returned with the Returns type.
            returned_by = (
                "return_type_id" if "return_type_id" in self.schema.fields else "in_type_id"
            )
            types.write(
                [created["out_type_id"]],
                {"return_picking_type_id": created.get(returned_by, False)},
            )
        if "in_type_id" in created:
            types.write(
                [created["in_type_id"]],
                {"return_picking_type_id": created.get("out_type_id", False)},
            )
        return created

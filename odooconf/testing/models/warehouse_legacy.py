"""What a warehouse generates on Odoo 16.0 and 17.0, where it differs from 18.

Read in Odoo's source (``addons/stock/models/stock_warehouse.py``, class ``Warehouse``) of
16.0 (odoo/odoo @ 005507b8) and 17.0 (a vendored 17.0 tree, UmmeHani-SCI/Odoo17-UH_Hospital_
Management @ 02f3b73a), with ``purchase_stock`` installed (``addons/purchase_stock/models/
stock.py``: ``get_rules_dict`` takes the reception rules of ``_get_receive_rules_dict`` and
``_get_routes_values`` the reception route of ``_get_receive_routes_values``):

- five picking types (``in``, ``out``, ``pick``, ``pack``, ``int``) and, on 16 only, a
  ``Returns`` type (``return_type_id``, removed in 17); no Quality Control, Storage or Cross
  Dock types (new in 18);
- pull chains: ``pull_push`` reception rules on the Internal type, delivery rules all ``pull``
  through Output and Packing Zone, a cross-dock route Input → Output → Customers;
- barcodes with a dash (``WH-STOCK``, ``WH-RECEIPTS``...), fixed sequence prefixes;
- the MTO rule is ``mts_else_mto``, in a route named "Make To Order" on 16.

The emulator chooses this layout when ``stock.warehouse`` has no ``qc_type_id`` (16 and 17).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import user_has_group

if TYPE_CHECKING:
    from ..store import Row
    from .warehouse_base import Routing, WarehouseBase

#: ``_get_picking_type_update_values`` keys in their order (the creation order), with the
#: sequence label and prefix code of ``_get_sequence_values``.
LEGACY_PICKING_TYPES = {
    "in_type_id": ("in", "IN"),
    "out_type_id": ("out", "OUT"),
    "pick_type_id": ("picking", "PICK"),
    "pack_type_id": ("packing", "PACK"),
    "int_type_id": ("internal", "INT"),
    "return_type_id": ("return", "RET"),  # 16 only
}
#: Barcode suffixes of the picking types (``_get_picking_type_update_values``).
_TYPE_BARCODES = {
    "in_type_id": "-RECEIPTS",
    "out_type_id": "-DELIVERY",
    "pick_type_id": "-PICK",
    "pack_type_id": "-PACK",
    "int_type_id": "-INTERNAL",
    "return_type_id": "-RETURNS",
}


def is_legacy(model: WarehouseBase) -> bool:
    """16 and 17: the warehouse has none of 18's QC / Storage / Cross Dock types."""
    return "qc_type_id" not in model.schema.fields


def picking_types(model: WarehouseBase) -> dict[str, tuple[str, str]]:
    """The warehouse's picking type fields of this version: sequence label and code."""
    return {f: v for f, v in LEGACY_PICKING_TYPES.items() if f in model.schema.fields}


def sequence_values(
    model: WarehouseBase, wid: int, name: str | None, code: str | None
) -> dict[str, Row]:
    """``_get_sequence_values``: fixed prefixes, not the types' sequence codes."""
    wh = model.rows([wid])[0]
    name = name or wh.get("name")
    code = code or wh.get("code")
    return {
        fname: {
            "name": f"{name} Sequence {label}",
            "prefix": f"{code}/{prefix}/",
            "padding": 5,
            "company_id": wh.get("company_id"),
        }
        for fname, (label, prefix) in picking_types(model).items()
    }


def picking_type_update_values(model: WarehouseBase, wid: int) -> dict[str, Row]:
    """``_get_picking_type_update_values``: the Pack type goes to Output in pick_ship, else
    to the Packing Zone (as the source has it); the Internal type's activity is not updated."""
    wh = model.rows([wid])[0]
    delivery = wh.get("delivery_steps")
    input_loc, output_loc = model._input_output(wid, wh.get("reception_steps"), delivery)
    active = bool(wh.get("active"))
    pack_or_output = output_loc if delivery == "pick_ship" else wh.get("wh_pack_stock_loc_id")
    values: dict[str, Row] = {
        "in_type_id": {"default_location_dest_id": input_loc},
        "out_type_id": {"default_location_src_id": output_loc},
        "pick_type_id": {
            "active": delivery != "ship_only" and active,
            "default_location_dest_id": pack_or_output,
        },
        "pack_type_id": {
            "active": delivery == "pick_pack_ship" and active,
            "default_location_dest_id": pack_or_output,
        },
        "int_type_id": {},
        "return_type_id": {"default_location_dest_id": output_loc},
    }
    code = str(wh.get("code") or "").replace(" ", "").upper()
    return {
        fname: {**values[fname], "barcode": code + _TYPE_BARCODES[fname]}
        for fname in picking_types(model)
    }


def picking_type_create_values(model: WarehouseBase, wid: int, max_sequence: int) -> dict[str, Row]:
    """``_get_picking_type_create_values`` of 16 and 17 (16: Receipts also create lots and hide
    operations; the Returns type)."""
    wh = model.rows([wid])[0]
    reception, delivery = wh.get("reception_steps"), wh.get("delivery_steps")
    _input_loc, output_loc = model._input_output(wid, reception, delivery)
    v16 = model.env.db.major <= 16
    internal = {"code": "internal", "use_create_lots": False, "use_existing_lots": True}
    receipts: Row = {
        "name": "Receipts",
        "code": "incoming",
        "use_existing_lots": False,
        "default_location_src_id": False,
        "sequence": max_sequence + 1,
        "show_reserved": False,
        "sequence_code": "IN",
    }
    if v16:
        receipts.update(use_create_lots=True, show_operations=False)
    values: dict[str, Row] = {
        "in_type_id": receipts,
        "out_type_id": {
            "name": "Delivery Orders",
            "code": "outgoing",
            "use_create_lots": False,
            "default_location_dest_id": False,
            "sequence": max_sequence + 5,
            "sequence_code": "OUT",
            "print_label": True,
            **({"use_existing_lots": True} if v16 else {}),
        },
        "pack_type_id": {
            **internal,
            "name": "Pack",
            "default_location_src_id": wh.get("wh_pack_stock_loc_id"),
            "default_location_dest_id": output_loc,
            "sequence": max_sequence + 4,
            "sequence_code": "PACK",
        },
        "pick_type_id": {
            **internal,
            "name": "Pick",
            "default_location_src_id": wh.get("lot_stock_id"),
            "sequence": max_sequence + 3,
            "sequence_code": "PICK",
        },
        "int_type_id": {
            **internal,
            "name": "Internal Transfers",
            "default_location_src_id": wh.get("lot_stock_id"),
            "default_location_dest_id": wh.get("lot_stock_id"),
            "active": reception != "one_step"
            or delivery != "ship_only"
            or user_has_group(model.env, "stock.group_stock_multi_locations"),
            "sequence": max_sequence + 2,
            "sequence_code": "INT",
        },
        "return_type_id": {
            "name": "Returns",
            "code": "incoming",
            "use_create_lots": False,
            "use_existing_lots": True,
            "default_location_src_id": False,
            "sequence": max_sequence + 6,
            "show_reserved": True,
            # RET since odoo/odoo#186462 (16.0, Nov. 2024): IN before, as the Receipts.
            "sequence_code": "RET",
        },
    }
    company = wh.get("company_id")
    return {
        fname: model.known("stock.picking.type", {**values[fname], "company_id": company})
        for fname in picking_types(model)
    }


def rules_dict(model: WarehouseBase, wid: int, routing: type[Routing]) -> dict[str, list[Routing]]:
    """``get_rules_dict`` with purchase_stock's ``_get_receive_rules_dict``: pull chains."""
    customer, stock, inp, qc, out, pack, t = model.rule_ends(wid)
    return {
        "one_step": [],
        "two_steps": [routing(inp, stock, t["int_type_id"], "pull_push")],
        "three_steps": [
            routing(inp, qc, t["int_type_id"], "pull_push"),
            routing(qc, stock, t["int_type_id"], "pull_push"),
        ],
        "crossdock": [
            routing(inp, out, t["int_type_id"], "pull"),
            routing(out, customer, t["out_type_id"], "pull"),
        ],
        "ship_only": [routing(stock, customer, t["out_type_id"], "pull")],
        "pick_ship": [
            routing(stock, out, t["pick_type_id"], "pull"),
            routing(out, customer, t["out_type_id"], "pull"),
        ],
        "pick_pack_ship": [
            routing(stock, pack, t["pick_type_id"], "pull"),
            routing(pack, out, t["pack_type_id"], "pull"),
            routing(out, customer, t["out_type_id"], "pull"),
        ],
    }


def crossdock_route_values(wh: Row, name: str) -> dict[str, Any]:
    """``_get_routes_values``' cross-dock route of 16 and 17: selectable on products and
    categories, its rules make-to-order."""
    active = wh.get("reception_steps") != "one_step" and wh.get("delivery_steps") != "ship_only"
    return {
        "routing_key": "crossdock",
        "route_update_values": {"name": name, "active": active},
        "route_create_values": {
            "product_selectable": True,
            "product_categ_selectable": True,
            "active": active,
            "company_id": wh.get("company_id"),
            "sequence": 20,
        },
        "rules_values": {"active": True, "procure_method": "make_to_order"},
    }

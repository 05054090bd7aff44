"""What Odoo 16.0 and 17.0 change on top of the 18.0 seed: fields removed, added or changed and
the records of a fresh database that differ. ``seed_build.py`` writes them to
``seed/16/delta.json`` and ``seed/17/delta.json``; ``seed.py`` applies them to 18's seed.

No database of these versions was captured. The facts come from Odoo's source of each branch and
from ``odoo-reference/MODELS.md``:

- [S16] ``addons/stock/models/stock_warehouse.py`` of 16.0 (odoo/odoo @ 005507b8), class
  ``Warehouse``; [S17] the same file of 17.0 (UmmeHani-SCI/Odoo17-UH_Hospital_Management
  @ 02f3b73a).
- [U17] / [U18] OpenUpgrade's ``openupgrade_scripts/scripts/stock/17.0.1.1`` and ``18.0.1.1``
  ``upgrade_analysis.txt``: every stored field added or removed by 17.0 and by 18.0.
- [M] MODELS.md, the section named with the fact.

Ids of the records kept are 18's (a real 16/17 database numbers them differently); the records
the older warehouse does not have (QC / Storage / Cross Dock types and their sequences, the
buy cross-dock rule) are left out, and those it has instead are added.
"""

from __future__ import annotations

import copy
from typing import Any

# ---------------------------------------------------------------------------------- fields


def _field(ftype: str, string: str, **extra: Any) -> dict[str, Any]:
    return {
        "company_dependent": False,
        "readonly": False,
        "required": False,
        "store": True,
        "string": string,
        "type": ftype,
        **extra,
    }


#: [S16]/[S17] ``reception_steps`` / ``delivery_steps`` labels (the keys are the same).
_STEP_LABELS = {
    "reception_steps": [
        ["one_step", "Receive goods directly (1 step)"],
        ["two_steps", "Receive goods in input and then stock (2 steps)"],
        ["three_steps", "Receive goods in input, then quality and then stock (3 steps)"],
    ],
    "delivery_steps": [
        ["ship_only", "Deliver goods directly (1 step)"],
        ["pick_ship", "Send goods in output and then deliver (2 steps)"],
        ["pick_pack_ship", "Pack goods, send goods in output and then deliver (3 steps)"],
    ],
}
#: [U18] 17's product types: "Storable Product" is a type, not ``is_storable``.
_PRODUCT_TYPES = [["consu", "Consumable"], ["service", "Service"], ["product", "Storable Product"]]

FIELDS_17: dict[str, dict[str, Any]] = {
    "stock.warehouse": {
        # [U18] qc_type_id, store_type_id, xdock_type_id: NEW in 18.
        "remove": ["qc_type_id", "store_type_id", "xdock_type_id"],
        "change": {name: {"selection": labels} for name, labels in _STEP_LABELS.items()},
    },
    "stock.location": {
        # [U18] return_location: DEL in 18; [M 1.3] is_empty new in 18.
        "remove": ["is_empty"],
        "add": {"return_location": _field("boolean", "Is a Return Location?")},
    },
    "stock.picking.type": {
        # [U18] favorite_user_ids, move_type NEW; show_reserved, default_location_return_id DEL;
        # default locations "now required".
        "remove": ["favorite_user_ids", "is_favorite", "move_type"],
        "add": {
            "show_reserved": _field("boolean", "Pre-fill Detailed Operations"),
            "default_location_return_id": _field(
                "many2one", "Default returns location", relation="stock.location"
            ),
        },
        "change": {
            "default_location_src_id": {"required": False},
            "default_location_dest_id": {"required": False},
        },
    },
    # [U18] sublocation: NEW in 18.
    "stock.putaway.rule": {"remove": ["sublocation"]},
    # [U18] location_dest_from_rule, push_domain: NEW in 18.
    "stock.rule": {"remove": ["location_dest_from_rule", "push_domain"]},
    "stock.warehouse.orderpoint": {
        # [U18] qty_to_order_manual NEW, qty_to_order stored before 18; [M 1.5].
        "remove": ["qty_to_order_manual", "qty_to_order_computed"],
        "change": {"qty_to_order": {"store": True}},
    },
    "product.template": {
        # [U18] is_storable NEW, detailed_type DEL, type keys consu/product/service.
        "remove": ["is_storable"],
        "add": {
            "detailed_type": _field(
                "selection", "Product Type", required=True, selection=_PRODUCT_TYPES
            )
        },
        "change": {"type": {"selection": _PRODUCT_TYPES}},
    },
    "product.product": {
        "remove": ["is_storable"],
        "add": {
            "detailed_type": _field(
                "selection", "Product Type", store=False, selection=_PRODUCT_TYPES
            )
        },
        "change": {"type": {"selection": _PRODUCT_TYPES}},
    },
    "product.pricelist": {
        # [M 4.1] discount_policy present in 16 and 17, removed in 18.
        "add": {
            "discount_policy": _field(
                "selection",
                "Discount Policy",
                required=True,
                selection=[
                    ["with_discount", "Discount included in the price"],
                    ["without_discount", "Show public price & discount to the customer"],
                ],
            )
        },
    },
    # [M 4.2] display_applied_on (UI helper) and price_markup are new in 18.
    "product.pricelist.item": {"remove": ["display_applied_on", "price_markup"]},
    # [M 6.1] api_key_duration [18+].
    "res.groups": {"remove": ["api_key_duration"]},
    "account.account": {
        # [M 7.1] one company per account (company_id) and a plain code up to 17.
        "remove": ["company_ids", "code_store", "code_mapping_ids", "placeholder_code"],
        "add": {"company_id": _field("many2one", "Company", required=True, relation="res.company")},
        "change": {"code": {"store": True, "required": True}},
    },
    # [M 7.3] price_include is a plain Boolean up to 17; 18 computes it from
    # price_include_override.
    "account.tax": {
        "remove": ["price_include_override"],
        "change": {"price_include": {"store": True, "readonly": False}},
    },
    # [M 7.4] journal type ``credit`` (Credit Card) is new in 18.
    "account.journal": {
        "change": {
            "type": {
                "selection": [
                    ["sale", "Sales"],
                    ["purchase", "Purchase"],
                    ["cash", "Cash"],
                    ["bank", "Bank"],
                    ["general", "Miscellaneous"],
                ]
            }
        }
    },
}


def _merge(base: dict[str, dict[str, Any]], extra: dict[str, dict[str, Any]]) -> dict[str, Any]:
    result = copy.deepcopy(base)
    for model, change in extra.items():
        target = result.setdefault(model, {})
        for key, value in change.items():
            if isinstance(value, list):
                target[key] = [*target.get(key, []), *value]
            else:
                target[key] = {**target.get(key, {}), **value}
    return result


FIELDS_16 = _merge(
    FIELDS_17,
    {
        # [U17] return_type_id: DEL in 17; [S16] the Returns type.
        "stock.warehouse": {
            "add": {
                "return_type_id": _field("many2one", "Return Type", relation="stock.picking.type")
            }
        },
        "stock.picking.type": {
            # [U17] NEW in 17: the auto_print_* flags, label formats, picking properties and
            # default_location_return_id.
            "remove": [
                "auto_print_delivery_slip",
                "auto_print_lot_labels",
                "auto_print_package_label",
                "auto_print_packages",
                "auto_print_product_labels",
                "auto_print_reception_report",
                "auto_print_reception_report_labels",
                "auto_print_return_slip",
                "lot_label_format",
                "package_label_to_print",
                "picking_properties_definition",
                "product_label_format",
            ],
        },
        # [U17] filter_for_stock_putaway_rule: NEW in 17.
        "product.category": {"remove": ["filter_for_stock_putaway_rule"]},
        # [M 4.3] discount added in 17.
        "product.supplierinfo": {"remove": ["discount", "price_discounted"]},
        # [M 1.5] unwanted_replenish added in 17.
        "stock.warehouse.orderpoint": {"remove": ["unwanted_replenish"]},
        # [M 7.3] invoice_label and the combined repartition_line_ids are new in 17.
        "account.tax": {"remove": ["invoice_label", "repartition_line_ids"]},
        # [M 7.3] a 16 line belongs to its tax through invoice_tax_id or refund_tax_id; tax_id
        # and document_type are computed from them (16.0 account_tax.py,
        # AccountTaxRepartitionLine).
        "account.tax.repartition.line": {
            "add": {
                "invoice_tax_id": _field("many2one", "Invoice Tax", relation="account.tax"),
                "refund_tax_id": _field("many2one", "Refund Tax", relation="account.tax"),
            },
            "change": {
                "tax_id": {"store": False, "readonly": True},
                "document_type": {"store": False, "readonly": True, "required": False},
            },
        },
    },
)
# default_location_return_id exists in 17 only ([U17] NEW, [U18] DEL).
del FIELDS_16["stock.picking.type"]["add"]["default_location_return_id"]

# ---------------------------------------------------------------------------------- records

#: The main warehouse's records that differ ([S16]/[S17] _get_locations_values,
#: _get_picking_type_update_values, _get_sequence_values, get_rules_dict with purchase_stock's
#: _get_receive_rules_dict, _get_routes_values, _get_global_route_rules_values).
_LOCATION_BARCODES = {
    8: "WH-STOCK",
    9: "WH-INPUT",
    10: "WH-QUALITY",
    11: "WH-OUTPUT",
    12: "WH-PACKING",
}
_TYPE_BARCODES = {1: "WH-RECEIPTS", 2: "WH-DELIVERY", 3: "WH-PICK", 4: "WH-PACK", 7: "WH-INTERNAL"}
#: 18's QC, Storage and Cross Dock types and their sequences.
_TYPES_18 = [5, 6, 8]
_SEQUENCES_18 = [7, 8, 10]


def _repartition_16() -> dict[str, Any]:
    """[M 7.3] The chart's repartition lines linked as 16 links them: lines 1-4 are the sales
    tax's (#1), 5-8 the purchase tax's (#2); 1, 2, 5, 6 invoice, the others refund."""
    update = {}
    for line in range(1, 9):
        tax = 1 if line <= 4 else 2
        field = "invoice_tax_id" if line in (1, 2, 5, 6) else "refund_tax_id"
        update[str(line)] = {field: [tax, "15%"]}
    return {"update": update}


def _records(version: str) -> dict[str, Any]:
    v16 = version == "16.0"
    types: dict[str, Any] = {
        "remove": _TYPES_18,
        "update": {
            str(rid): {
                "barcode": barcode,
                "show_reserved": False,
                # Created with no default source / destination ([S16]/[S17]
                # _get_picking_type_create_values: default_location_src_id False on Receipts,
                # default_location_dest_id False on Delivery Orders).
                **({"default_location_src_id": False} if rid == 1 else {}),
                **({"default_location_dest_id": False} if rid == 2 else {}),
                **({"use_create_lots": True} if v16 and rid == 1 else {}),
            }
            for rid, barcode in _TYPE_BARCODES.items()
        },
    }
    sequences: dict[str, Any] = {"remove": _SEQUENCES_18}
    warehouse_update: dict[str, Any] = {}
    if v16:
        # [S16] the Returns type with its own "Sequence return" WH/RET/; sequence_code RET
        # since odoo/odoo#186462 (Nov. 2024; IN before, which made two WH/IN types).
        types["add"] = [
            {
                "id": 9,
                "name": "Returns",
                "code": "incoming",
                "sequence_code": "RET",
                "sequence": 6,
                "active": True,
                "barcode": "WH-RETURNS",
                "color": 0,
                "company_id": [1, "My Company"],
                "warehouse_id": [1, "My Company"],
                "sequence_id": [19, "My Company Sequence return"],
                "default_location_src_id": False,
                "default_location_dest_id": [8, "WH/Stock"],
                "use_create_lots": False,
                "use_existing_lots": True,
                "show_reserved": True,
                "reservation_method": "at_confirm",
                "create_backorder": "ask",
            }
        ]
        types["update"]["2"]["return_picking_type_id"] = [9, "My Company: Returns"]
        sequences["add"] = [
            {
                "id": 19,
                "name": "My Company Sequence return",
                "prefix": "WH/RET/",
                "padding": 5,
                "code": False,
                "implementation": "standard",
                "number_next": 1,
                "number_increment": 1,
                "active": True,
                "company_id": [1, "My Company"],
            }
        ]
        warehouse_update["return_type_id"] = [9, "My Company: Returns"]
    mto_route = "Make To Order" if v16 else "Replenish on Order (MTO)"
    rules: dict[str, Any] = {
        "remove": [6],  # 18's buy rule of the cross-dock route
        "update": {
            # [S16]/[S17] cross-dock: Input → Output (Internal type), Output → Customers, both
            # make-to-order, in the archived cross-dock route.
            "3": {
                "name": "WH: Input → Output",
                "location_src_id": [9, "WH/Input"],
                "location_dest_id": [11, "WH/Output"],
                "picking_type_id": [7, "My Company: Internal Transfers"],
                "action": "pull",
                "procure_method": "make_to_order",
                "active": True,
            },
            "4": {
                "name": "WH: Output → Customers",
                "location_src_id": [11, "WH/Output"],
                "location_dest_id": [5, "Partners/Customers"],
                "picking_type_id": [2, "My Company: Delivery Orders"],
                "action": "pull",
                "procure_method": "make_to_order",
                "active": True,
            },
            # [S16]/[S17] _get_global_route_rules_values: "MTS else MTO".
            "5": {
                "procure_method": "mts_else_mto",
                "route_id": [1, mto_route],
                **({"propagate_carrier": False} if v16 else {}),
            },
        },
    }
    routes: dict[str, Any] = {
        "update": {
            # [S16]/[S17] _get_routes_values: the cross-dock route is selectable on products and
            # categories.
            "4": {"product_selectable": True, "product_categ_selectable": True},
        }
    }
    if v16:
        routes["update"]["1"] = {"name": mto_route}
    locations: dict[str, Any] = {
        "update": {str(rid): {"barcode": code} for rid, code in _LOCATION_BARCODES.items()},
        # [U18] stock.stock_location_inter_company is NEW in 18, stock_location_inter_wh DEL.
        "rename_xmlids": {"stock.stock_location_inter_company": "stock.stock_location_inter_wh"},
    }
    removal: dict[str, Any] = {}
    if v16:
        removal["remove"] = [4]  # [U17] NEW product.removal: stock.removal_least_packages
    return {
        "stock.picking.type": types,
        "ir.sequence": sequences,
        "stock.rule": rules,
        "stock.route": routes,
        "stock.location": locations,
        "stock.warehouse": {"update": {"1": warehouse_update}} if warehouse_update else {},
        "product.removal": removal,
        "product.pricelist": {"update_all": {"discount_policy": "with_discount"}},
        # [16]/[17] addons/product/security/product_security.xml: "Discount on lines" is the
        # product module's group; 18 moved it to sale (addons/sale/security/res_groups.xml).
        "res.groups": {
            "rename_xmlids": {
                "sale.group_discount_per_so_line": "product.group_discount_per_so_line"
            }
        },
        **({"account.tax.repartition.line": _repartition_16()} if v16 else {}),
        "account.account": {"update_all": {"company_id": [1, "My Company"]}},
        # A module's version starts with the series (``16.0.1.2``); the rest is 18's (not
        # captured).
        "ir.module.module": {"replace_prefix": {"latest_version": ["18.0.", f"{version}."]}},
    }


def _version_info(major: int) -> dict[str, Any]:
    return {
        "protocol_version": 1,
        "server_serie": f"{major}.0",
        "server_version": f"{major}.0",
        "server_version_info": [major, 0, 0, "final", 0, ""],
    }


DELTAS: dict[str, dict[str, Any]] = {
    "17.0": {
        "base": "18.0",
        "version_info": _version_info(17),
        "fields": FIELDS_17,
        "records": _records("17.0"),
    },
    "16.0": {
        "base": "18.0",
        "version_info": _version_info(16),
        "fields": FIELDS_16,
        "records": _records("16.0"),
    },
}

"""Model schemas: the seeded ``fields_get`` plus the facts ``fields_get`` does not expose.

``fields_get`` gives types, relations, required/readonly flags and selections. It does not give
one2many inverse fields, shared many2many tables, ``size``, ``ondelete``, SQL constraints, default
orders or defaults, so those come from the tables below (read in Odoo 18's model definitions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import seed

ONE2MANY_INVERSES: dict[tuple[str, str], str] = {
    ("stock.location", "child_ids"): "location_id",
    ("stock.location", "putaway_rule_ids"): "location_in_id",
    ("stock.location", "warehouse_view_ids"): "view_location_id",
    ("stock.route", "rule_ids"): "route_id",
    ("stock.warehouse", "resupply_route_ids"): "supplied_wh_id",
    ("product.category", "child_id"): "parent_id",
    ("product.category", "putaway_rule_ids"): "category_id",
    ("product.pricelist", "item_ids"): "pricelist_id",
    ("product.template", "product_variant_ids"): "product_tmpl_id",
    ("product.template", "seller_ids"): "product_tmpl_id",
    ("product.template", "variant_seller_ids"): "product_tmpl_id",
    ("product.product", "putaway_rule_ids"): "product_id",
    ("product.product", "orderpoint_ids"): "product_id",
    ("ir.module.category", "child_ids"): "parent_id",
    ("ir.module.category", "module_ids"): "category_id",
    ("res.partner", "child_ids"): "parent_id",
    ("res.company", "child_ids"): "parent_id",
    ("ir.model", "access_ids"): "model_id",
    ("ir.model", "rule_ids"): "model_id",
    ("res.groups", "model_access"): "group_id",
    ("res.groups.privilege", "group_ids"): "privilege_id",
    ("account.tax", "repartition_line_ids"): "tax_id",
    ("account.fiscal.position", "account_ids"): "position_id",
    ("account.fiscal.position", "tax_ids"): "position_id",  # 16-18 (19: a many2many of taxes)
    ("account.move", "line_ids"): "move_id",
}

#: Pairs of many2many fields that share one relation table.
MANY2MANY_MIRRORS: tuple[tuple[tuple[str, str], tuple[str, str]], ...] = (
    (("stock.warehouse", "route_ids"), ("stock.route", "warehouse_ids")),
    (("product.category", "route_ids"), ("stock.route", "categ_ids")),
    (("product.template", "route_ids"), ("stock.route", "product_ids")),
    (("res.groups", "users"), ("res.users", "groups_id")),
    # Odoo 19 renamed both sides (res_groups.py / res_users.py).
    (("res.groups", "user_ids"), ("res.users", "group_ids")),
    (("res.users", "company_ids"), ("res.company", "user_ids")),
    (("res.country.group", "country_ids"), ("res.country", "country_group_ids")),
    (("res.country.group", "pricelist_ids"), ("product.pricelist", "country_group_ids")),
    (("ir.rule", "groups"), ("res.groups", "rule_groups")),
    # Odoo 19: a fiscal position lists the taxes that replace others (account_tax.py).
    (("account.fiscal.position", "tax_ids"), ("account.tax", "fiscal_position_ids")),
    (("account.tax", "original_tax_ids"), ("account.tax", "replacing_tax_ids")),
)

CHAR_SIZES: dict[tuple[str, str], int] = {
    ("stock.warehouse", "code"): 5,
    ("account.journal", "code"): 5,  # cut, not refused (18/side_effects_finance_security A4c)
}

#: Precision of float fields declared with named digits, as ``fields_get`` gives it
#: (``(16, decimals)``). The ``Product Unit of Measure`` decimal precision is 2 on a fresh 18.0
#: database; Odoo rounds stored values to it (half up).
_UOM_DIGITS = (16, 2)
DIGITS: dict[tuple[str, str], tuple[int, int]] = {
    ("stock.warehouse.orderpoint", name): _UOM_DIGITS
    for name in (
        "product_min_qty",
        "product_max_qty",
        "qty_multiple",
        "qty_on_hand",
        "qty_forecast",
        "qty_to_order",
        "qty_to_order_computed",
        "qty_to_order_manual",
    )
}

#: Relational fields declared ``check_company`` on the models that check them automatically
#: (``_check_company_auto``): their records must belong to the record's company or to none.
CHECK_COMPANY: dict[str, tuple[str, ...]] = {
    "stock.location": ("location_id", "storage_category_id"),
    "stock.picking.type": (
        "sequence_id",
        "default_location_src_id",
        "default_location_dest_id",
        "return_picking_type_id",
        "warehouse_id",
    ),
    "stock.rule": (
        "location_dest_id",
        "location_src_id",
        "picking_type_id",
        "partner_address_id",
        "warehouse_id",
    ),
    "stock.route": ("product_ids",),
    "stock.putaway.rule": (
        "product_id",
        "location_in_id",
        "location_out_id",
        "package_type_ids",
        "storage_category_id",
    ),
    "stock.warehouse.orderpoint": ("warehouse_id", "location_id", "product_id"),
}

#: Many2one ``ondelete`` other than the default (``set null``, or ``restrict`` when required).
ONDELETE: dict[tuple[str, str], str] = {
    ("stock.rule", "route_id"): "cascade",
    ("stock.picking.type", "warehouse_id"): "cascade",
    ("stock.putaway.rule", "location_in_id"): "cascade",
    ("stock.putaway.rule", "product_id"): "cascade",
    ("stock.putaway.rule", "category_id"): "cascade",
    ("stock.warehouse.orderpoint", "product_id"): "cascade",
    ("stock.warehouse.orderpoint", "location_id"): "cascade",
    ("stock.warehouse.orderpoint", "warehouse_id"): "cascade",
    ("stock.warehouse", "crossdock_route_id"): "restrict",
    ("stock.warehouse", "reception_route_id"): "restrict",
    ("stock.warehouse", "delivery_route_id"): "restrict",
    ("product.product", "product_tmpl_id"): "cascade",
    ("product.supplierinfo", "product_tmpl_id"): "cascade",
    ("product.pricelist.item", "pricelist_id"): "cascade",
    ("product.pricelist.item", "product_tmpl_id"): "cascade",
    ("product.pricelist.item", "product_id"): "cascade",
    ("product.pricelist.item", "categ_id"): "cascade",
    ("ir.model.access", "model_id"): "cascade",
    ("ir.model.access", "group_id"): "cascade",
    ("ir.rule", "model_id"): "cascade",
    ("account.tax.repartition.line", "tax_id"): "cascade",
    ("account.tax.repartition.line", "invoice_tax_id"): "cascade",  # 16
    ("account.tax.repartition.line", "refund_tax_id"): "cascade",  # 16
    ("account.fiscal.position.tax", "position_id"): "cascade",
    ("account.fiscal.position.account", "position_id"): "cascade",
    ("account.move.line", "move_id"): "cascade",
}

#: SQL unique constraints: (columns, message), in the order PostgreSQL checks them.
UNIQUE: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {
    "stock.warehouse": (
        (("name", "company_id"), "The name of the warehouse must be unique per company!"),
        (("code", "company_id"), "The short name of the warehouse must be unique per company!"),
    ),
    "stock.location": (
        (("barcode", "company_id"), "The barcode for a location must be unique per company!"),
    ),
    "stock.warehouse.orderpoint": (
        (
            ("product_id", "location_id", "company_id"),
            "A replenishment rule already exists for this product on this location.",
        ),
    ),
    "res.groups": (
        (("category_id", "name"), "The name of the group must be unique within an application!"),
        # Odoo 19 (res_groups.py): privileges replaced categories on groups.
        (
            ("privilege_id", "name"),
            "The name of the group must be unique within a group privilege!",
        ),
    ),
    "res.users": ((("login",), "You can not have two users with the same login!"),),
    # ir_config_parameter.py (key_uniq, 16 to 19).
    "ir.config_parameter": ((("key",), "Key must be unique."),),
    "res.currency": ((("name",), "The currency code must be unique!"),),
    "res.country": ((("code",), "The code of the country must be unique!"),),
    # 18/side_effects_finance_security.md A4e, A5b (case-sensitive, as SQL compares).
    "account.journal": ((("company_id", "code"), "Journal codes must be unique per company."),),
    "account.fiscal.position.tax": (
        (
            ("position_id", "tax_src_id", "tax_dest_id"),
            "A tax fiscal position could be defined only one time on same taxes.",
        ),
    ),
    "account.fiscal.position.account": (
        (
            ("position_id", "account_src_id", "account_dest_id"),
            "An account fiscal position could be defined only one time on same accounts.",
        ),
    ),
}

ORDERS: dict[str, str] = {
    "ir.config_parameter": "key",
    "stock.warehouse": "sequence, id",
    "stock.location": "complete_name, id",
    "stock.route": "sequence, id",
    "stock.rule": "sequence, id",
    "stock.picking.type": "sequence, id",
    "stock.putaway.rule": "sequence, product_id, id",
    "stock.warehouse.orderpoint": "location_id, company_id, id",
    "product.category": "complete_name, id",
    "product.template": "name, id",
    "product.product": "default_code, name, id",
    "product.pricelist": "sequence, id",
    "product.supplierinfo": "sequence, min_qty desc, price, id",
    "res.partner": "name, id",
    "res.users": "name, login",
    "res.groups": "name, id",
    "res.company": "sequence, name",
    "res.currency": "name, id",
    "res.country": "name, id",
    "ir.model": "model, id",
    "ir.model.data": "module, model, name, id",
    "ir.module.module": "name, id",
    "ir.module.category": "name, id",
    "ir.sequence": "name, id",
    "account.account": "code, id",
    "account.journal": "sequence, type, code, id",
    "account.tax": "sequence, id",
    "account.group": "code_prefix_start, id",
    "account.tax.repartition.line": "document_type, repartition_type, sequence, id",
    "account.fiscal.position": "sequence, id",
}

#: Field used for display names and name_search when it is not ``name``.
REC_NAMES: dict[str, str] = {
    "ir.config_parameter": "key",
    "stock.location": "complete_name",
    "product.category": "complete_name",
    "res.groups": "full_name",
    "ir.model.data": "complete_name",
}

#: Field walked by ``child_of`` / ``parent_of`` when it is not ``parent_id``.
PARENT_NAMES: dict[str, str] = {"stock.location": "location_id"}

#: ``_inherits`` delegation: child model -> (parent model, link field).
INHERITS: dict[str, tuple[str, str]] = {"product.product": ("product.template", "product_tmpl_id")}

#: Models whose ``company_id`` defaults to the current company.
COMPANY_DEFAULT = frozenset(
    {
        "stock.warehouse",
        "stock.location",
        "stock.route",
        "stock.rule",
        "stock.picking.type",
        "stock.putaway.rule",
        "stock.warehouse.orderpoint",
        "ir.sequence",
        "product.supplierinfo",
    }
)

#: Constant defaults of Odoo 18 fields (dynamic ones are set by the model behaviours); those of
#: fields a version lacks are left out of its schema.
DEFAULTS: dict[str, dict[str, Any]] = {
    "stock.warehouse": {
        "reception_steps": "one_step",
        "delivery_steps": "ship_only",
        "sequence": 10,
        "buy_to_resupply": True,
    },
    "stock.location": {"usage": "internal"},
    "stock.route": {"product_selectable": True},
    "stock.rule": {
        "action": "pull",
        "procure_method": "make_to_stock",
        "group_propagation_option": "propagate",
        "auto": "manual",
        "sequence": 20,
    },
    "stock.picking.type": {
        "code": "incoming",
        "reservation_method": "at_confirm",
        "create_backorder": "ask",
        "move_type": "direct",
        "use_create_lots": True,
        "use_existing_lots": True,
        "product_label_format": "2x7xprice",
        "lot_label_format": "4x12_lots",
        "package_label_to_print": "pdf",
    },
    "stock.putaway.rule": {"sublocation": "no"},
    "stock.storage.category": {"allow_new_product": "mixed"},
    "stock.warehouse.orderpoint": {"trigger": "auto", "qty_multiple": 1.0},
    "ir.sequence": {
        "implementation": "standard",
        "number_next": 1,
        "number_increment": 1,
    },
    "product.category": {"packaging_reserve_method": "partial"},
    "product.template": {
        "type": "consu",
        "tracking": "none",
        "sale_ok": True,
        "purchase_ok": True,
        "list_price": 1.0,
        "purchase_line_warn": "no-message",
        "sale_line_warn": "no-message",
        "service_tracking": "no",
        "invoice_policy": "order",
        "purchase_method": "receive",
    },
    # discount_policy: 16/17 only (MODELS.md 4.1), required, default "with_discount".
    "product.pricelist": {"sequence": 16, "discount_policy": "with_discount"},
    "product.pricelist.item": {
        "applied_on": "3_global",
        "base": "list_price",
        "compute_price": "fixed",
        "display_applied_on": "1_product",
    },
    "product.supplierinfo": {"delay": 1, "sequence": 1},
    # group_on / group_rfq: required on 19 (purchase_stock), both default to "default".
    "res.partner": {
        "type": "contact",
        "autopost_bills": "ask",
        "group_on": "default",
        "group_rfq": "default",
    },
    # 19 (stock_account): required company settings.
    "res.company": {"cost_method": "standard", "inventory_period": "manual"},
    "uom.uom": {"factor": 1.0, "uom_type": "reference", "rounding": 0.01},
}

_EMPTY_BY_TYPE: dict[str, Any] = {
    "integer": 0,
    "float": 0.0,
    "monetary": 0.0,
    "one2many": [],
    "many2many": [],
    "properties": [],
    "properties_definition": [],
}


@dataclass(frozen=True)
class Field:
    """One field of a model, as the emulator uses it."""

    name: str
    type: str
    string: str
    relation: str | None
    required: bool
    readonly: bool
    store: bool
    company_dependent: bool
    translate: bool
    selection: tuple[str, ...] | None
    description: dict[str, Any]
    size: int | None = None
    inverse: str | None = None
    ondelete: str = "set null"
    #: ``(precision, scale)`` of a float with fixed digits; its values are stored rounded.
    digits: tuple[int, int] | None = None

    @property
    def empty(self) -> Any:
        """The value Odoo reads back when the column is NULL."""
        value = _EMPTY_BY_TYPE.get(self.type, False)
        return list(value) if isinstance(value, list) else value


@dataclass
class ModelSchema:
    """A model: its fields and the table-level facts about it."""

    name: str
    description: str
    fields: dict[str, Field]
    order: str = "id"
    rec_name: str | None = None
    parent_name: str = "parent_id"
    inherits: tuple[str, str] | None = None
    unique: tuple[tuple[tuple[str, ...], str], ...] = ()
    check_company: tuple[str, ...] = ()
    mirrors: dict[str, tuple[str, str]] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)

    def field(self, name: str) -> Field | None:
        return self.fields.get(name)


def _make_field(model: str, name: str, desc: dict[str, Any]) -> Field:
    required = bool(desc.get("required"))
    selection = desc.get("selection")
    ondelete = ONDELETE.get((model, name), "restrict" if required else "set null")
    digits = DIGITS.get((model, name))
    if digits is not None:
        desc = {**desc, "digits": list(digits)}
    return Field(
        name=name,
        type=desc["type"],
        string=desc.get("string", name),
        relation=desc.get("relation"),
        required=required,
        readonly=bool(desc.get("readonly")),
        store=bool(desc.get("store", True)),
        company_dependent=bool(desc.get("company_dependent")),
        translate=bool(desc.get("translate")),
        selection=tuple(key for key, _label in selection) if isinstance(selection, list) else None,
        description=desc,
        size=CHAR_SIZES.get((model, name)),
        inverse=ONE2MANY_INVERSES.get((model, name)),
        ondelete=ondelete,
        digits=digits,
    )


def load_schemas(
    descriptions: dict[str, str], version: str = seed.DEFAULT_VERSION
) -> dict[str, ModelSchema]:
    """Build every seeded model's schema of an Odoo ``version``; ``descriptions`` maps model
    names to ``_description``. Facts about fields a version lacks are left out."""
    schemas: dict[str, ModelSchema] = {}
    for model, fields in seed.fields_get(version).items():
        schemas[model] = ModelSchema(
            name=model,
            description=descriptions.get(model, model),
            fields={name: _make_field(model, name, desc) for name, desc in fields.items()},
            order=ORDERS.get(model, "id"),
            rec_name=REC_NAMES.get(model, "name" if "name" in fields else None),
            parent_name=PARENT_NAMES.get(model, "parent_id"),
            inherits=INHERITS.get(model),
            unique=tuple(
                (columns, message)
                for columns, message in UNIQUE.get(model, ())
                if all(column in fields for column in columns)
            ),
            check_company=tuple(name for name in CHECK_COMPANY.get(model, ()) if name in fields),
            defaults={k: v for k, v in DEFAULTS.get(model, {}).items() if k in fields},
        )
    for left, right in MANY2MANY_MIRRORS:
        if all(m in schemas and f in schemas[m].fields for m, f in (left, right)):
            schemas[left[0]].mirrors[left[1]] = right
            schemas[right[0]].mirrors[right[1]] = left
    return schemas

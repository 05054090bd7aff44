"""Operation types (``stock.picking.type``), keyed by warehouse code and sequence code.

Odoo creates eight per warehouse (``DC1/IN``, ``DC1/PICK``, ...): a blueprint manages those by
the same key instead of creating new ones. Creating a new type also creates its sequence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field

from odooconf.kinds._base import Attr, Keyer, KeyRef, Kind, RefSpec, Spec
from odooconf.kinds.location import LocationRef


class OperationTypeSpec(Spec):
    #: Its warehouse, by code: part of the key (Odoo gives a type without one the company's
    #: first warehouse).
    warehouse: KeyRef
    #: Code of the operation type's sequence (``PICK``): prefix of its transfers' references.
    sequence_code: str = Field(min_length=1, pattern=r"^[^/\s]([^/]*[^/\s])?$")
    #: Name and type may be omitted to manage an existing type (e.g. Odoo's ``DC1/PICK``).
    name: str | None = Field(default=None, min_length=1)
    #: Odoo's ``code``: incoming, outgoing, internal (modules add mrp_operation, dropship).
    type: str | None = Field(default=None, min_length=1)
    default_source: LocationRef | None = None
    default_destination: LocationRef | None = None
    create_lots: bool | None = None
    use_existing_lots: bool | None = None
    reservation_method: Literal["at_confirm", "manual", "by_date"] | None = None
    return_type: RefSpec | None = None
    barcode: str | None = None
    sequence: int | None = None
    #: Default: the company of its warehouse.
    company: RefSpec | None = None
    active: bool = True


class OperationType(Kind):
    name = "operation_type"
    can_archive = True
    can_delete = False
    revokes = ""
    owned_by_container = False
    section = "operation_types"
    model = "stock.picking.type"
    module = "stock"
    spec = OperationTypeSpec
    identity = "sequence_code"
    create_requires = ("name", "type")
    key_fields = ("sequence_code", "warehouse_id")
    attrs = (
        Attr("warehouse", "warehouse_id", target="warehouse"),
        Attr("sequence_code", "sequence_code"),
        Attr("name", "name"),
        Attr("type", "code"),
        Attr("default_source", "default_location_src_id", target="location"),
        Attr("default_destination", "default_location_dest_id", target="location"),
        Attr("create_lots", "use_create_lots"),
        Attr("use_existing_lots", "use_existing_lots"),
        Attr("reservation_method", "reservation_method"),
        Attr("return_type", "return_picking_type_id", target="operation_type"),
        Attr("barcode", "barcode"),
        Attr("sequence", "sequence"),
        Attr("company", "company_id", target="company"),
        Attr("active", "active"),
    )
    company_from = "warehouse"
    archived_with = ("warehouse",)
    # Writing the type makes Odoo recompute the default locations and lots options.
    write_together = (
        ("type", "default_source", "default_destination", "create_lots", "use_existing_lots"),
    )

    def key(self, spec: Spec) -> str:
        assert isinstance(spec, OperationTypeSpec)
        return f"{spec.warehouse}/{spec.sequence_code}"

    def live_key(self, record: Mapping[str, Any], keyer: Keyer) -> str | None:
        code = record.get("sequence_code")
        if not code:
            return None
        warehouse = record.get("warehouse_id")
        return f"{keyer('warehouse', warehouse[0])}/{code}" if warehouse else str(code)

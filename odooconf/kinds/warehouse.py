"""Warehouses (``stock.warehouse``), keyed by their short code, with inline sub-locations."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from odooconf.kinds._base import Attr, Inline, Keyer, Kind, RefSpec, Spec, SwitchesSettings
from odooconf.kinds.location import LocationSpec
from odooconf.model.plan import Action, Change

#: Sub-locations Odoo creates under a warehouse's view location (archived or not by the steps).
GENERATED_LOCATIONS = ("Stock", "Input", "Quality Control", "Output", "Packing Zone")
#: Sequence codes of the operation types Odoo creates per warehouse, by the warehouse field that
#: holds each: the instance has the types whose field it has (QC, STOR and XD are new in 18; 16
#: has a Returns type, sequence code RET since odoo/odoo#186462).
GENERATED_OPERATION_TYPES = {
    "in_type_id": "IN",
    "out_type_id": "OUT",
    "int_type_id": "INT",
    "pick_type_id": "PICK",
    "pack_type_id": "PACK",
    "qc_type_id": "QC",
    "store_type_id": "STOR",
    "xdock_type_id": "XD",
    "return_type_id": "RET",
}
#: Groups Odoo adds to every internal user when a company gets a second warehouse.
MULTI_WAREHOUSE_GROUPS = ("stock.group_stock_multi_warehouses", "stock.group_stock_multi_locations")
#: Stable aliases of the routes Odoo generates per warehouse (their names change with the steps).
ROUTE_ALIASES = {
    "reception": "reception_route_id",
    "delivery": "delivery_route_id",
    "crossdock": "crossdock_route_id",  # up to 18
}


class SubLocationSpec(LocationSpec):
    """A location inside the warehouse: ``path`` is relative to it (``Stock/Bulk``)."""

    @field_validator("path")
    @classmethod
    def _has_parent(cls, path: str) -> str:
        if any(not part.strip() or part != part.strip() for part in path.split("/")):
            raise ValueError("must be names separated by '/' without empty parts or spaces around")
        return path


class WarehouseSpec(Spec):
    #: Odoo stores at most 5 characters (``size=5``); a longer code would be truncated and the
    #: blueprint would never converge, so it is rejected here.
    code: str = Field(min_length=1, pattern=r"^\S(.*\S)?$")
    name: str = Field(min_length=1)
    company: RefSpec | None = None
    reception_steps: Literal["one_step", "two_steps", "three_steps"] = "one_step"
    delivery_steps: Literal["ship_only", "pick_ship", "pick_pack_ship"] = "ship_only"
    #: Warehouses that resupply this one (Odoo creates inter-warehouse routes).
    resupply_from: list[RefSpec] = Field(default_factory=list)
    active: bool = True
    #: Extra locations inside the warehouse, by path relative to it (``Stock/Bulk``).
    locations: list[SubLocationSpec] = Field(default_factory=list)

    @field_validator("code")
    @classmethod
    def _fits_odoo(cls, code: str) -> str:
        if len(code) > 5:
            raise ValueError(
                f"{code!r} has {len(code)} characters; Odoo stores at most 5 (it would truncate "
                "the code and the blueprint would never converge)"
            )
        return code

    @field_validator("locations", mode="before", json_schema_input_type=list[str | SubLocationSpec])
    @classmethod
    def _paths_as_items(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"path": item} if isinstance(item, str) else item for item in value]
        return value

    @model_validator(mode="after")
    def _not_own_supplier(self) -> WarehouseSpec:
        if self.code in self.resupply_from:
            raise ValueError(f"warehouse {self.code} cannot be resupplied from itself")
        return self


class Warehouse(Kind, SwitchesSettings):
    name = "warehouse"
    can_archive = True
    can_delete = False
    revokes = ""
    owned_by_container = False
    section = "warehouses"
    model = "stock.warehouse"
    module = "stock"
    spec = WarehouseSpec
    identity = "code"
    scope = ("company",)
    impacts = {
        "reception_steps": "Odoo rebuilds the warehouse's routes, rules and operation types",
        "delivery_steps": "Odoo rebuilds the warehouse's routes, rules and operation types",
        "code": "Odoo renames the warehouse's locations, routes, rules and sequences",
        "name": "Odoo renames the warehouse's routes and operation types",
        "active": "Odoo archives or restores the warehouse's locations, routes and rules",
    }
    key_fields = ("code", *ROUTE_ALIASES.values())
    side_effects = ("location", "operation_type", "route", "rule")
    attrs = (
        Attr("code", "code"),
        Attr("name", "name"),
        Attr("company", "company_id", target="company"),
        Attr("reception_steps", "reception_steps"),
        Attr("delivery_steps", "delivery_steps"),
        Attr("resupply_from", "resupply_wh_ids", target="warehouse", many=True),
        Attr("active", "active"),
    )

    def switches(self, change: Change) -> tuple[str, ...]:
        # Odoo 16-18 (stock.warehouse._check_multiwarehouse_group): once a company has two
        # active warehouses, every internal user gets multi-warehouse and storage locations
        # (the latter through res.config.settings). A company without any warehouse is the
        # rare case where a create switches nothing; the check then errs on the safe side.
        activated = any(f.field == "active" and f.new is not False for f in change.fields)
        if change.action is Action.CREATE or (change.record_id is not None and activated):
            return MULTI_WAREHOUSE_GROUPS
        return ()

    def expand(self, spec: Spec) -> Iterable[Inline]:
        assert isinstance(spec, WarehouseSpec)
        for index, sub in enumerate(spec.locations):
            data = sub.model_dump(exclude_unset=True)
            data["path"] = f"{spec.code}/{sub.path}"
            yield Inline("location", LocationSpec(**data), ("locations", index), sub.path)

    def generated(
        self, key: str, values: Mapping[str, Any], fields: Mapping[str, Any] | None = None
    ) -> dict[str, list[str]]:
        def made(field: str) -> bool:
            return fields is None or field in fields

        return {
            "location": [key, *(f"{key}/{name}" for name in GENERATED_LOCATIONS)],
            "operation_type": [
                f"{key}/{code}" for field, code in GENERATED_OPERATION_TYPES.items() if made(field)
            ],
            "route": [
                *(f"{key}/{alias}" for alias, field in ROUTE_ALIASES.items() if made(field)),
                *(f"{key}/resupply/{supplier}" for supplier in values.get("resupply_from", [])),
            ],
        }

    def aliases(self, record: Mapping[str, Any], keyer: Keyer) -> Iterable[tuple[str, str, int]]:
        for alias, field in ROUTE_ALIASES.items():
            if record.get(field):
                yield "route", f"{record['code']}/{alias}", record[field][0]

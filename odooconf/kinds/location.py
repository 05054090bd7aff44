"""Stock locations (``stock.location``), keyed by their full path such as ``DC1/Stock/Bulk``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, field_validator

from odooconf.kinds._base import Attr, Keyer, Kind, RefSpec, Spec

#: ``view`` is left out: Odoo names a view location by its name alone, without its parent's path,
#: so no path could designate it (warehouses create their own view location).
Usage = Literal["internal", "supplier", "customer", "inventory", "production", "transit"]


class LocationSpec(Spec):
    #: Full path (Odoo's complete name): parent path, ``/``, then the location's own name.
    path: str = Field(min_length=3, max_length=500)
    #: Managed only when written; a location odooconf creates is internal unless told otherwise.
    usage: Usage = "internal"
    barcode: str | None = None
    #: Default: the company of the parent location.
    company: RefSpec | None = None
    active: bool = True

    @field_validator("path")
    @classmethod
    def _has_parent(cls, path: str) -> str:
        parts = path.split("/")
        if len(parts) < 2 or any(not part.strip() or part != part.strip() for part in parts):
            raise ValueError(
                "must be a parent path and a name separated by '/', e.g. 'DC1/Stock/Bulk', "
                "without empty parts or surrounding spaces"
            )
        return path


class Location(Kind):
    name = "location"
    section = "locations"
    model = "stock.location"
    module = "stock"
    spec = LocationSpec
    identity = "path"
    key_fields = ("complete_name",)
    attrs = (
        Attr("name", "name"),
        Attr("parent", "location_id", target="location"),
        Attr("usage", "usage"),
        Attr("barcode", "barcode"),
        Attr("company", "company_id", target="company"),
        Attr("active", "active"),
    )
    company_from = "parent"
    archived_with = ("parent",)

    def values(self, spec: Spec) -> dict[str, Any]:
        assert isinstance(spec, LocationSpec)
        parent, _, name = spec.path.rpartition("/")
        return {"name": name, "parent": parent, **super().values(spec)}

    def create_defaults(self, key: str, values: Mapping[str, Any]) -> dict[str, Any]:
        return {"usage": "internal"}

    def live_key(self, record: Mapping[str, Any], keyer: Keyer) -> str | None:
        return record.get("complete_name") or None

"""Stock locations (``stock.location``), keyed by their full path such as ``DC1/Stock/Bulk``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, field_validator

from odooconf.kinds._base import Attr, Keyer, KeyRef, Kind, RefSpec, Spec

#: ``view`` is left out: Odoo names a view location by its name alone, without its parent's path,
#: so no path could designate it (warehouses create their own view location).
Usage = Literal["internal", "supplier", "customer", "inventory", "production", "transit"]


#: Odoo 16-18's top-level view locations, which Odoo 19 no longer has: ``Partners/Customers``
#: on 18 is ``Customers`` on 19. odooconf names locations without them, so that one blueprint
#: holds on every version; a path written with one still works (it is read without it).
ODOO_VIEWS = ("Physical Locations", "Partners", "Virtual Locations")


def location_path(path: str) -> str:
    """A location's path as odooconf names it: without Odoo 16-18's top-level view."""
    head, sep, rest = path.partition("/")
    return rest if sep and head in ODOO_VIEWS and rest else path


def _location_ref(value: Any) -> Any:
    return location_path(value) if isinstance(value, str) else value


#: A reference to a location that is part of a natural key (a rule's source), by path.
LocationKey = Annotated[KeyRef, AfterValidator(location_path)]
#: A reference to a location by path or external id.
LocationRef = Annotated[RefSpec, AfterValidator(_location_ref)]


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
        if any(not part.strip() or part != part.strip() for part in parts):
            raise ValueError(
                "must be a parent path and a name separated by '/', e.g. 'DC1/Stock/Bulk', "
                "without empty parts or surrounding spaces"
            )
        return location_path(path)


class Location(Kind):
    name = "location"
    can_archive = True
    can_delete = False
    revokes = ""
    owned_by_container = False
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
        # A location without a parent path is one of Odoo's own (``Customers``): its parent,
        # if any, is a view odooconf does not name, so it is not managed.
        return {"name": name, **({"parent": parent} if parent else {}), **super().values(spec)}

    def create_defaults(self, key: str, values: Mapping[str, Any]) -> dict[str, Any]:
        return {"usage": "internal"}

    def live_key(self, record: Mapping[str, Any], keyer: Keyer) -> str | None:
        return location_path(str(record.get("complete_name") or "")) or None

"""Access rights (section ``access_rights``, or inline in a role): ``ir.model.access``.

Odoo has no key and no uniqueness for access rights (18/side_effects_finance_security.md B3:
any number of rows per group and model, their rights OR-ed). odooconf keys one by its role and
model (``Inventory / Warehouse Operator | stock.quant``) and never creates a second: a key two
live rows share is a plan error (archive the duplicate), as is every natural key. The four
rights are always managed together (a right left out is "no"), so what the blueprint says is
exactly what the role may do on the model.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field

from odooconf.kinds._base import Attr, IdOf, Keyer, KeyRef, Kind, Spec

#: Blueprint right → Odoo field.
RIGHTS = {
    "read": "perm_read",
    "write": "perm_write",
    "create": "perm_create",
    "delete": "perm_unlink",
}


class InlineAccessSpec(Spec):
    """An access right inside its role."""

    #: The model by technical name (``stock.quant``).
    model: str = Field(pattern=r"^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)+$")
    read: bool = False
    write: bool = False
    create: bool = False
    delete: bool = False


class AccessRightSpec(InlineAccessSpec):
    """An access right in the ``access_rights`` section names its role (by key)."""

    role: KeyRef


def access_values(role: str, right: InlineAccessSpec) -> AccessRightSpec:
    return AccessRightSpec(role=role, **right.model_dump(exclude={"id"}, exclude_unset=True))


def access_key(role: str, model: str) -> str:
    return f"{role} | {model}"


class AccessRight(Kind):
    name = "access_right"
    can_archive = True
    can_delete = False
    revokes = "archiving a right takes it from every member of its role"
    owned_by_container = True
    section = "access_rights"
    model = "ir.model.access"
    module = "base"
    spec = AccessRightSpec
    identity = "model"
    #: A role that writes its ``access_rights`` has exactly those (with the section's).
    container = "role"
    key_fields = ("group_id", "model_id")
    attrs = (
        Attr("role", "group_id", target="role"),
        Attr("model", "model_id", target="ir_model"),
        *(Attr(right, field) for right, field in RIGHTS.items()),
        Attr("active", "active"),
    )

    def key(self, spec: Spec) -> str:
        assert isinstance(spec, AccessRightSpec)
        return access_key(spec.role, spec.model)

    def values(self, spec: Spec) -> dict[str, Any]:
        assert isinstance(spec, AccessRightSpec)
        return {
            "role": spec.role,
            "model": spec.model,
            **{right: bool(getattr(spec, right)) for right in RIGHTS},
        }

    def live_key(self, record: Mapping[str, Any], keyer: Keyer) -> str | None:
        group, model = record.get("group_id"), record.get("model_id")
        if not group or not model:
            return None  # a global right (no group) is nobody's role
        role = keyer("role", group[0])
        technical = keyer("ir_model", model[0])
        return access_key(role, technical) if role and technical else None

    def create_defaults(self, key: str, values: Mapping[str, Any]) -> dict[str, Any]:
        return {"name": f"odooconf {key}"}

    def to_odoo(self, values: Mapping[str, Any], id_of: IdOf) -> dict[str, Any]:
        name = values.get("name")
        vals = super().to_odoo({k: v for k, v in values.items() if k != "name"}, id_of)
        return {**vals, "name": name} if name is not None else vals

"""Security roles (section ``roles``): Odoo's groups (``res.groups``).

A role is keyed by its application and its name, as Odoo shows a group's full name
(``Inventory / Warehouse Operator``; a role without application: its name alone). Up to Odoo 18
the application is ``category_id`` (``ir.module.category``); Odoo 19 replaced it by a privilege
(``privilege_id``, ``res.groups.privilege``): a blueprint says which it means (``category`` or
``privilege``), and the one the instance lacks is a plan error naming the field. Odoo makes a
name unique per application only, and accepts duplicates without one: a key two live groups
share is a plan error (the engine's), never a guess. Odoo's own groups are adopted by their key
or referenced by external id (``{xmlid: stock.group_stock_user}``).

Implied roles only ever add (18/side_effects_finance_security.md B1): implying a group gives it
to every member at once, and an implication removed takes nothing away from them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import Field, model_validator

from odooconf.kinds._base import Attr, Inline, Keyer, KeyRef, Kind, RefSpec, Spec
from odooconf.kinds.access_right import InlineAccessSpec, access_values


class RoleSpec(Spec):
    #: Odoo refuses a group name starting with "-" on write (B4), and the key separator would
    #: make the key ambiguous.
    name: str = Field(min_length=1, pattern=r"^[^-]", max_length=200)
    #: The application (Odoo ≤ 18, ``ir.module.category``) by path, as the settings group
    #: them (``Inventory / Purchase``); the role's key has its last part, as Odoo's full name
    #: of the group (``Purchase / Buyer``).
    category: KeyRef | None = None
    #: The privilege (Odoo 19, ``res.groups.privilege``) by name.
    privilege: KeyRef | None = None
    #: Roles this one implies: declared ones by key, Odoo's own by external id.
    implied: list[RefSpec] | None = None
    comment: str | None = None
    #: Access rights this role grants, one per model (section ``access_rights`` inline).
    #: Written, the role's rights are exactly these (and those of the section naming it); left
    #: out, they are not managed.
    access_rights: list[InlineAccessSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_application(self) -> RoleSpec:
        if self.category is not None and self.privilege is not None:
            raise ValueError(
                "give either 'category' (Odoo up to 18) or 'privilege' (Odoo 19), not both"
            )
        if " / " in self.name:
            raise ValueError("a role's name may not contain ' / ' (it separates the key)")
        models = [right.model for right in self.access_rights]
        twice = sorted({model for model in models if models.count(model) > 1})
        if twice:
            raise ValueError(f"access_rights name {', '.join(twice)} twice: one right per model")
        return self


def role_key(name: str, application: str | None) -> str:
    return f"{application} / {name}" if application else name


class Role(Kind):
    name = "role"
    can_delete = False
    revokes = ""
    owned_by_container = False
    section = "roles"
    model = "res.groups"
    module = "base"
    spec = RoleSpec
    identity = "name"
    #: Groups have no ``active``: a role that leaves the blueprints is released, never archived.
    can_archive = False
    key_fields = ("name", "category_id", "privilege_id")
    lists = {"access_right": ("access_rights",)}
    attrs = (
        Attr("name", "name"),
        Attr("category", "category_id", target="app_category"),
        Attr("privilege", "privilege_id", target="privilege"),
        Attr("implied", "implied_ids", target="role", many=True),
        Attr("comment", "comment"),
    )
    impacts = {
        "implied": "members get the added implied groups at once; Odoo takes a removed "
        "implication from no member (assignments revoke such leftovers)",
    }

    def key(self, spec: Spec) -> str:
        assert isinstance(spec, RoleSpec)
        application = spec.category.rsplit(" / ", 1)[-1] if spec.category else spec.privilege
        return role_key(spec.name, application)

    def live_key(self, record: Mapping[str, Any], keyer: Keyer) -> str | None:
        name = record.get("name")
        if not name:
            return None
        parent = record.get("category_id") or record.get("privilege_id")
        return role_key(str(name), str(parent[1]) if parent else None)

    def expand(self, spec: Spec) -> Iterable[Inline]:
        assert isinstance(spec, RoleSpec)
        key = self.key(spec)
        for index, right in enumerate(spec.access_rights):
            yield Inline(
                "access_right",
                access_values(key, right),
                ("access_rights", index),
                right.model,
            )

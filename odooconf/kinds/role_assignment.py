"""Role assignments (section ``role_assignments``): which users hold which roles.

Users are master data: an item names an existing user by login (an unknown login is a plan
error) and odooconf adopts the user record only to manage its roles. The roles odooconf
manages are those the blueprints declare in ``roles``, its own and the environment's
``exclusive_roles``: a declared user holds exactly its declared ones among them; its other
groups are left alone. An Odoo group named only in an assignment is added to that user and
taken from no other; a user type is never revoked, nor a second one given. Before diffing,
the kind's ``prepare`` (``kinds/groups.py``) turns each item into two attributes on the user's
groups:

* ``roles``: the declared roles, compared with those of them the user holds; added (``4``);
* ``revoked``: the managed roles the user must not hold, plus, for a role it loses, the groups
  that role implied which nothing the user keeps still implies (Odoo up to 18 never takes
  implied groups away); compared with those the user does not hold;
  removed (``3``).

Groups are written with add and remove commands only: a replace (``6``) would wipe the user's
other groups, its user type included. Odoo 19 renamed ``res.users.groups_id`` to
``group_ids``; ``kinds.groups.groups_field`` says which one the instance has.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import Field

from odooconf.kinds._base import (
    Attr,
    ComparesPart,
    IdOf,
    KeyRef,
    Kind,
    Prepared,
    RefSpec,
    Spec,
)
from odooconf.kinds.groups import Security, security_needs
from odooconf.model.live import LiveState, PlanContext, Query
from odooconf.model.plan import Change
from odooconf.model.resource import DesiredResource


class RoleAssignmentSpec(Spec):
    #: The user, by login.
    user: KeyRef
    #: The roles the user holds: declared ones by key, Odoo's own by external id.
    roles: list[RefSpec] = Field(default_factory=list)


class RoleAssignment(Kind, ComparesPart):
    name = "role_assignment"
    can_delete = False
    revokes = (
        "the managed roles a declared user's assignment does not name, and the groups only "
        "they implied (Odoo ≤ 18); an `exclusive_roles` role from every user no assignment "
        "gives it"
    )
    owned_by_container = False
    section = "role_assignments"
    model = "res.users"
    module = "base"
    spec = RoleAssignmentSpec
    identity = "user"
    #: A user is never archived by odooconf: an assignment that leaves the blueprints releases
    #: the user (its roles stay as they are).
    can_archive = False
    #: Users are master data: odooconf only writes their groups.
    rights = ("read", "write")
    key_fields = ("login",)
    #: Assignments are completed from the live groups and users (``kinds.groups.Security``),
    #: which also checks the record rules' domains and the roles policies name.
    prepares = "after_read"
    attrs = (
        Attr("roles", "groups_id", target="role", many=True, also="group_ids"),
        Attr("revoked", "groups_id", target="role", many=True, also="group_ids"),
    )

    def needs(
        self, resources: Sequence[DesiredResource], live: LiveState, context: PlanContext
    ) -> Iterable[Query]:
        return security_needs(resources, live, context)

    def prepare(
        self, resources: list[DesiredResource], live: LiveState, context: PlanContext
    ) -> Prepared:
        return Security(resources, live, context).prepare()

    def read_anyway(self, context: PlanContext) -> bool:
        """``exclusive_roles`` may take roles from users no blueprint names: their records."""
        return bool(context.exclusive_roles)

    def values(self, spec: Spec) -> dict[str, Any]:
        assert isinstance(spec, RoleAssignmentSpec)
        return {**super().values(spec), "revoked": []}

    def compared(self, current: Mapping[str, Any], desired: Mapping[str, Any]) -> dict[str, Any]:
        """Of the user's groups, the declared roles it holds, and the revoked ones it does not."""
        held = set(current.get("roles") or [])
        out: dict[str, Any] = {}
        if "roles" in desired:
            out["roles"] = sorted(held & set(desired["roles"]))
        if "revoked" in desired:
            out["revoked"] = sorted(set(desired["revoked"]) - held)
        return out

    def to_odoo(self, values: Mapping[str, Any], id_of: IdOf) -> dict[str, Any]:
        added = [(4, id_of("role", key)) for key in values.get("roles") or []]
        removed = [(3, id_of("role", key)) for key in values.get("revoked") or []]
        return {"groups_id": [*removed, *added]} if added or removed else {}

    def sentence(self, change: Change) -> str:
        """``alice: + Accounting / Accountant; - Purchase / Buyer``."""
        parts = []
        for field in change.fields:
            before, after = set(field.old or []), set(field.new or [])
            sign = "+" if field.field == "roles" else "-"
            if after - before:
                parts.append(f"{sign} {', '.join(sorted(after - before))}")
        return f"{change.key}: {'; '.join(parts)}" if parts else ""

"""The instance's groups and users as security sees them, and the completion of role
assignments (the role assignment kind's ``prepare``, after the kinds' records are read).

Roles, access rights, record rules and assignments are planned by their kinds like any other
resource; what no single kind can say is worked out from the live state. ``Security.prepare``
completes each role assignment: the managed roles the user must not hold (``revoked``), and,
when a role is taken away on a version whose users carry their implied groups (Odoo up to 18
writes them into ``groups_id`` and never takes them away), the groups only that role implied
(the *residue*: Odoo keeps no record of why a user holds a group, so one given by hand goes
too; each is an escalation). The managed roles are the declared ones, odooconf's own and
``exclusive_roles``: an Odoo group named in an assignment is only ever added, never taken from
another user. A user type (internal, portal, public) is never revoked. With ``exclusive_roles``
in the environment, users the blueprints do not assign lose those roles (each loss an
escalation). It also checks the record rules' domains against the instance's fields.

What it reads is declared by ``security_needs`` and read by the read stage; nothing is read
when the blueprints declare no security resource. ``odooconf.policies.access`` reviews the
plan with the same picture.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from odooconf.kinds._base import Prepared, slug
from odooconf.kinds.access_right import RIGHTS
from odooconf.kinds.domain import domain_paths
from odooconf.kinds.role import Role
from odooconf.kinds.sod_policy import SodPolicySpec
from odooconf.model.diagnostics import Diagnostic, SourceRef
from odooconf.model.live import LiveState, PlanContext, Query, fields_of, search
from odooconf.model.plan import PlanWarning
from odooconf.model.resource import Address, DesiredResource, XmlidRef
from odooconf.policies.sensitive import XMLIDS as SENSITIVE_GROUPS
from odooconf.policies.sensitive import closure

SECURITY_KINDS = frozenset({"role", "access_right", "record_rule", "role_assignment", "sod_policy"})
#: A user's type: never revoked as a leftover (a user without one loses every access).
USER_TYPES = ("base.group_user", "base.group_portal", "base.group_public")
#: Groups that administer the instance itself.
ESCALATING = ("base.group_system", "base.group_erp_manager")
#: What Odoo would refuse halfway through an apply (the diff's code for such problems).
ODOO_REFUSES = "OC-X050"
_GROUP_FIELDS = ("name", "category_id", "privilege_id", "implied_ids")
_RIGHTS = search(
    "ir.model.access",
    [("group_id", "!=", False)],
    ["group_id", "model_id", "active", *RIGHTS.values()],
)


def groups_field(user_fields: Mapping[str, Any]) -> str:
    """The field of ``res.users`` that lists a user's groups, on the instance whose fields these
    are: Odoo 19 renamed ``groups_id`` to ``group_ids``. The one place odooconf decides it."""
    return "groups_id" if "groups_id" in user_fields else "group_ids"


def effective_groups_field(user_fields: Mapping[str, Any]) -> str:
    """The field of ``res.users`` that lists every group a user has, implied ones included:
    Odoo 19 computes them into ``all_group_ids``; up to 18 ``groups_id`` holds them."""
    return "all_group_ids" if "all_group_ids" in user_fields else groups_field(user_fields)


def group_users_field(major: int) -> str:
    """The field of ``res.groups`` that lists every user of a group, implied membership
    included: ``all_user_ids`` from Odoo 19 (``users`` lists only the explicit members there),
    ``users`` up to 18."""
    return "all_user_ids" if major >= 19 else "users"


def ref_text(ref: Any) -> str:
    return f"xmlid {ref.xmlid}" if isinstance(ref, XmlidRef) else str(ref)


def implication_path(start: str, goal: str, implied: Mapping[str, Iterable[str]]) -> list[str]:
    """The shortest chain of implications from ``start`` to ``goal`` (both included, at least
    one step), or ``[]``."""
    came: dict[str, str] = {}
    todo = [start]
    while todo:
        key = todo.pop(0)
        for other in sorted(implied.get(key, ())):
            if other == goal:
                chain = [goal, key]
                while chain[-1] != start:
                    chain.append(came[chain[-1]])
                return chain[::-1]
            if other not in came and other != start:
                came[other] = key
                todo.append(other)
    return []


def joined(items: list[str]) -> str:
    return ", ".join(items[:-1]) + f" and {items[-1]}" if len(items) > 1 else "".join(items)


def via(group: str, holders: set[str], implied: dict[str, set[str]]) -> str:
    """The first of ``holders`` (groups a user lists) that implies ``group``, else ``group``."""
    found = sorted(r for r in holders if group in closure({r}, implied) and r != group)
    return found[0] if found else group


def role_ref(ref: Any) -> Any:
    return XmlidRef(ref.xmlid) if hasattr(ref, "xmlid") else str(ref)


def _policies(resources: Sequence[DesiredResource]) -> list[DesiredResource]:
    return [r for r in resources if r.kind == "sod_policy"]


def _active(resources: Sequence[DesiredResource], context: PlanContext) -> bool:
    return bool(context.exclusive_roles) or any(r.kind in SECURITY_KINDS for r in resources)


def _wanted_xmlids(resources: Sequence[DesiredResource]) -> set[str]:
    """The groups named by external id: user types, escalating groups, those of the sensitive
    areas and those the policies name."""
    wanted = {*USER_TYPES, *ESCALATING, *SENSITIVE_GROUPS}
    for policy in _policies(resources):
        wanted |= {ref.xmlid for ref in policy.values["spec"].roles if hasattr(ref, "xmlid")}
    return wanted


def _xmlids_query(resources: Sequence[DesiredResource]) -> Query:
    """The external ids of the groups ``_wanted_xmlids`` names (one call)."""
    names = sorted({xmlid.split(".", 1)[1] for xmlid in _wanted_xmlids(resources)})
    domain: list[Any] = [("model", "=", "res.groups"), ("name", "in", names)]
    return search("ir.model.data", domain, ["module", "name", "res_id"])


def _groups_query(live: LiveState) -> Query | None:
    fields = live.answers.get(fields_of("res.groups"))
    return (
        None
        if fields is None
        else search("res.groups", [], [f for f in _GROUP_FIELDS if f in fields])
    )


def _users_query(users_fields: Mapping[str, Any]) -> Query:
    fields = ["login", groups_field(users_fields), "active"]
    return search("res.users", [("active", "in", [True, False])], fields)


def security_needs(
    resources: Sequence[DesiredResource], live: LiveState, context: PlanContext
) -> list[Query]:
    """What ``Security`` reads besides the kinds' records (those it does not find there)."""
    if not _active(resources, context):
        return []
    out = [fields_of("res.users"), _xmlids_query(resources)]
    if "role" not in live.records:
        out.append(fields_of("res.groups"))
        out += [q for q in [_groups_query(live)] if q is not None]
    users_fields = live.answers.get(fields_of("res.users"))
    if users_fields is not None and "role_assignment" not in live.records:
        out.append(_users_query(users_fields))
    rights = live.records.get("access_right")
    if rights is None:
        out.append(_RIGHTS)
        rights = {row["id"]: row for row in live.answers.get(_RIGHTS, [])}
    known = set(live.records.get("ir_model", {}))
    missing = sorted({row["model_id"][0] for row in rights.values() if row.get("model_id")} - known)
    if missing:
        out.append(search("ir.model", [("id", "in", missing)], ["model"]))
    out += _domain_fields(resources, live)
    return out


def _domain_fields(resources: Sequence[DesiredResource], live: LiveState) -> list[Query]:
    """The ``fields_get`` of each model the declared record rules' domains go through, as far
    as what was read so far tells."""
    known = {str(row.get("model")) for row in live.records.get("ir_model", {}).values()}
    out = []
    for rule in (r for r in resources if r.kind == "record_rule"):
        domain, model = rule.values.get("domain"), str(rule.values.get("model"))
        if not domain or model not in known:
            continue
        for path in domain_paths(str(domain)):
            current = model
            for name in path.split("."):
                out.append(fields_of(current))
                fields = live.answers.get(fields_of(current))
                if not fields or name not in fields:
                    break
                current = str(fields[name].get("relation") or "")
                if not current:
                    break
    return out


@dataclass
class _User:
    login: str
    #: Keys of the groups its record lists (with the implied ones up to Odoo 18).
    held: set[str]


class Security:
    """The groups, users and rights of the instance, from the read stage's answers to
    ``security_needs``, and what the declared resources do to them."""

    def __init__(
        self, resources: list[DesiredResource], live: LiveState, context: PlanContext
    ) -> None:
        self.resources, self.live, self.context = resources, live, context
        self.policies = _policies(resources)
        self.exclusive = list(context.exclusive_roles)
        self.active = _active(resources, context)
        self.kept: list[PlanWarning] = []
        if not self.active:
            return
        users_fields = live.answer(fields_of("res.users"))
        self.users_field = groups_field(users_fields)
        #: Odoo 19 keeps a user's explicit groups in ``group_ids`` and computes the implied
        #: ones (``all_group_ids``); up to 18 they are written into ``groups_id`` and stay.
        self.materialized = "all_group_ids" not in users_fields
        self.key_of: dict[int, str] = {}
        self.implied: dict[str, set[str]] = {}
        self._read_groups()
        self.xmlid_keys = self._xmlids()
        #: Group key → xmlid of the groups that administer the instance (ESCALATING).
        self.admin = {self.xmlid_keys[x]: x for x in ESCALATING if x in self.xmlid_keys}
        #: Keys of the user-type groups (internal, portal, public) → their xmlid.
        self.type_of = {self.xmlid_keys[x]: x for x in USER_TYPES if x in self.xmlid_keys}
        self.types = set(self.type_of)
        self.users = self._read_users(users_fields)
        self.residue: dict[str, dict[str, str]] = {}
        #: Per login, the roles it loses because the environment makes them exclusive.
        self.exclusive_losses: dict[str, list[str]] = {}

    # --- reading ------------------------------------------------------------------------

    def _read_groups(self) -> None:
        records = self.live.records.get("role")
        if records is None:
            query = _groups_query(self.live)
            assert query is not None
            records = {row["id"]: row for row in self.live.rows(query)}
        role = Role()
        for gid, row in records.items():
            self.key_of[gid] = role.live_key(row, lambda _t, _i: None) or f"#{gid}"
        for gid, row in records.items():
            self.implied[self.key_of[gid]] = {
                self.key_of.get(other, f"#{other}") for other in row.get("implied_ids") or []
            }

    def _xmlids(self) -> dict[str, str]:
        """Keys of the groups named by external id (``_wanted_xmlids``)."""
        wanted = _wanted_xmlids(self.resources)
        out = {}
        for row in self.live.rows(_xmlids_query(self.resources)):
            xmlid = f"{row['module']}.{row['name']}"
            if xmlid in wanted and row["res_id"] in self.key_of:
                out[xmlid] = self.key_of[row["res_id"]]
        return out

    def _read_users(self, users_fields: Mapping[str, Mapping[str, Any]]) -> dict[str, _User]:
        records = self.live.records.get("role_assignment")
        if records is None:
            records = {row["id"]: row for row in self.live.rows(_users_query(users_fields))}
        return {
            str(row["login"]): _User(
                str(row["login"]),
                {self.key_of.get(g, f"#{g}") for g in row.get(self.users_field) or []},
            )
            for row in records.values()
            if row.get("login") and row.get("active", True) is not False
        }

    def rights_rows(self) -> dict[int, dict[str, Any]]:
        """The access rights of the instance's groups."""
        records = self.live.records.get("access_right")
        if records is None:
            records = {row["id"]: row for row in self.live.rows(_RIGHTS)}
        return records

    def model_names(self, ids: set[int]) -> dict[int, str]:
        known = self.live.records.get("ir_model", {})
        names = {mid: str(row["model"]) for mid, row in known.items() if mid in ids}
        missing = sorted(ids - set(names))
        if missing:
            for query, rows in self.live.answers.items():
                if query.model == "ir.model" and query.what == "search_read":
                    names.update((row["id"], str(row["model"])) for row in rows)
        return {mid: name for mid, name in names.items() if mid in ids}

    def _role_key(self, ref: Any) -> str | None:
        if isinstance(ref, XmlidRef):
            hit = self.live.xmlids.get(ref.xmlid)
            if hit and hit[0] == "res.groups":
                return self.key_of.get(hit[1])
            return self.xmlid_keys.get(ref.xmlid)
        return str(ref)

    # --- before the diff ------------------------------------------------------------------

    def prepare(self) -> Prepared:
        """Check the record rules' domains against the instance's fields; complete every role
        assignment with the roles and leftovers to revoke (new resources: the declared ones
        are left as they are)."""
        if not self.active:
            return Prepared(self.resources)
        problems = self._rule_domains() + self._unknown_roles()
        self.resources = [
            replace(r, values=dict(r.values)) if r.kind == "role_assignment" else r
            for r in self.resources
        ]
        assignments = [r for r in self.resources if r.kind == "role_assignment"]
        declared_roles = {r.key for r in self.resources if r.kind == "role"}
        # Roles odooconf manages stay managed when they leave the blueprints: retiring a role
        # revokes it from the declared users instead of leaving it behind.
        prefix = f"{self.live.namespace}."
        managed = {
            self.key_of[res_id]
            for xmlid, (model, res_id) in self.live.xmlids.items()
            if xmlid.startswith(prefix) and model == "res.groups" and res_id in self.key_of
        }
        # An Odoo group an assignment names is added to that user and taken from no other: only
        # exclusive_roles make its membership exact. A user type is never revoked.
        universe = (declared_roles | managed | set(self.exclusive)) - self.types
        for assignment in assignments:
            roles = [self._role_key(ref) or ref for ref in assignment.values.get("roles") or []]
            assignment.values["roles"] = roles
        assigned = {a.key for a in assignments}
        for login, user in sorted(self.users.items()):
            if login not in assigned and user.held & set(self.exclusive):
                assignments.append(self._exclusive(user))
        implied = self._planned_implications()
        problems += self._self_implied(implied)
        for assignment in assignments:
            self._complete(assignment, universe, implied)
        return Prepared(self.resources, problems, self.kept, self._losses())

    def _losses(self) -> list[str]:
        """The roles users lose that the plan lists among its escalations."""
        out = []
        for login, roles in sorted(self.exclusive_losses.items()):
            out += [
                f"{login}: - {role}: exclusive_roles of environment {self.context.environment} "
                "keeps it to the users the blueprints assign it to"
                for role in roles
            ]
        for login, residue in sorted(self.residue.items()):
            out += [
                f"{login}: - {group} with {role}, which implied it (Odoo up to 18 keeps no "
                "record of why a user holds a group: one given by hand goes too)"
                for group, role in sorted(residue.items())
            ]
        return out

    def _self_implied(self, implied: dict[str, set[str]]) -> list[Diagnostic]:
        """Declared roles that would imply themselves, directly or through other groups: Odoo
        refuses the write, so every apply would fail."""
        out = []
        for role in (r for r in self.resources if r.kind == "role" and r.values.get("implied")):
            cycle = implication_path(role.key, role.key, implied)
            if cycle:
                message = (
                    f"role {role.key} implies itself ({' → '.join(cycle)}): Odoo refuses a cycle "
                    "of implied roles"
                )
                where = f"{role.path} › implied"
                out.append(Diagnostic(ODOO_REFUSES, message, role.source_of("implied"), where))
        return out

    def _planned_implications(self) -> dict[str, set[str]]:
        """What each group implies once the declared roles are written."""
        implied = {key: set(groups) for key, groups in self.implied.items()}
        for role in (r for r in self.resources if r.kind == "role"):
            if "implied" in role.values:
                refs = role.values["implied"] or []
                implied[role.key] = {key for ref in refs if (key := self._role_key(ref))}
            else:
                implied.setdefault(role.key, set())
        return implied

    def _unknown_roles(self) -> list[Diagnostic]:
        """Roles the policies and ``exclusive_roles`` name that are neither declared nor on the
        instance: a policy that checks nothing would pass silently."""
        known = set(self.implied) | {r.key for r in self.resources if r.kind == "role"}
        out = []
        for policy in self.policies:
            spec: SodPolicySpec = policy.values["spec"]
            for ref in spec.roles:
                key = self._role_key(role_ref(ref))
                if key is None or key not in known:
                    message = (
                        f"role {ref_text(role_ref(ref))!r} is neither declared nor on the instance"
                    )
                    out.append(
                        Diagnostic("OC-X001", message, policy.source, f"{policy.path} › roles")
                    )
        source = SourceRef(self.context.environment_path)
        for role in self.exclusive:
            if role not in known:
                message = f"role {role!r} is neither declared nor on the instance"
                out.append(Diagnostic("OC-X001", message, source, "exclusive_roles"))
        return out

    def _rule_domains(self) -> list[Diagnostic]:
        """Fields a declared rule's domain names that its model lacks (one ``fields_get`` per
        model a domain goes through): Odoo would refuse the rule, or, archived, save it and
        lock users out when it is activated."""
        out = []
        known = {str(row.get("model")) for row in self.live.records.get("ir_model", {}).values()}
        for rule in (r for r in self.resources if r.kind == "record_rule"):
            domain, model = rule.values.get("domain"), str(rule.values.get("model"))
            if not domain or model not in known:  # an unknown model: the diff reports it
                continue
            for path in domain_paths(str(domain)):
                problem = self._path_problem(model, path)
                if problem:
                    where = f"{rule.path} › domain"
                    out.append(Diagnostic("OC-X030", problem, rule.source_of("domain"), where))
        return out

    def _path_problem(self, model: str, path: str) -> str:
        """What is wrong with a domain's field path, to its last name ("" when nothing)."""
        current = model
        names = path.split(".")
        for index, name in enumerate(names):
            fields = self.live.answer(fields_of(current))
            if fields is None:  # listed in ir.model but not served: Odoo checks it itself
                return ""
            info = fields.get(name)
            if info is None:
                return (
                    f"the domain names {path!r}, and {current} has no field {name!r} on this "
                    f"Odoo {self.context.version} instance: the rule would lock users out"
                )
            relation = str(info.get("relation") or "")
            if not relation and index + 1 < len(names):
                return (
                    f"the domain names {path!r}: {current}.{name} is not a relation, so "
                    f"{'.'.join(names[index + 1 :])!r} cannot follow it: the rule would lock "
                    "users out"
                )
            current = relation
        return ""

    def _exclusive(self, user: _User) -> DesiredResource:
        """An assignment of no role for a user the blueprints do not assign, who holds a role
        the environment manages exclusively."""
        resource = DesiredResource(
            address=Address("role_assignment", user.login),
            values={"roles": [], "revoked": []},
            source=SourceRef(self.context.environment_path),
            path="exclusive_roles",
            xmlid=f"{self.context.namespace}.role_assignment_{slug(user.login)}",
        )
        self.resources.append(resource)
        return resource

    def _complete(
        self, assignment: DesiredResource, universe: set[str], implied: dict[str, set[str]]
    ) -> None:
        declared = {str(r) for r in assignment.values.get("roles") or [] if isinstance(r, str)}
        user = self.users.get(assignment.key)
        held = user.held if user else set()
        # A managed role one of the declared roles implies is held through it, not revoked.
        revoked = (universe - closure(declared, implied)) & held if user else set()
        residue: dict[str, str] = {}
        if revoked and self.materialized:
            types = self.types & held
            explained = closure(revoked, self.implied)
            roots = (held - explained) | declared | types
            kept = closure(roots, implied)
            for role in sorted(revoked):
                for group in sorted(closure({role}, self.implied) & held):
                    if group not in kept and group not in revoked and group not in residue:
                        residue[group] = role
        after_roots = (held - revoked - set(residue)) | declared
        stays = closure(after_roots, implied)
        for group in sorted((revoked | set(residue)) & stays):
            # Odoo gives a user the groups its other groups imply again: it would come back.
            revoked.discard(group)
            residue.pop(group, None)
            why = sorted(r for r in after_roots if group in closure({r}, implied) and r != group)
            message = (
                f"{assignment.key} keeps {group}: {joined(why)} implies it "
                "(revoke that too, or stop the implication)"
            )
            self.kept.append(PlanWarning("kept", message, (str(assignment.address),)))
        assignment.values["revoked"] = sorted(revoked | set(residue))
        if residue:
            self.residue[assignment.key] = residue
        if revoked & set(self.exclusive):
            self.exclusive_losses[assignment.key] = sorted(revoked & set(self.exclusive))

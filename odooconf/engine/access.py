"""Security planning across kinds: who may do what, before and after the plan.

Roles, access rights, record rules and assignments are planned by their kinds like any other
resource; what no single kind can say is worked out here, from the live state:

* ``Security.prepare`` (after the read, before the diff) completes each role assignment: the
  managed roles the user must not hold (``revoked``), and, when a role is taken away on a
  version whose users carry their implied groups (Odoo up to 18 writes them into ``groups_id``
  and never takes them away, 18/side_effects_finance_security.md B1), the groups only that role
  implied (the *residue*: Odoo keeps no record of why a user holds a group, so one given by
  hand goes too; each is an escalation). The managed roles are the declared ones, odooconf's
  own and ``exclusive_roles``: an Odoo group named in an assignment is only ever added, never
  taken from another user. A user type (internal, portal, public) is never revoked. With
  ``exclusive_roles`` in the environment, users the blueprints do not assign lose those roles
  (each loss an escalation).
* ``Security.review`` (after the diff) compares every user's effective access before and after
  the plan (groups with implications expanded, the model rights they bring, the record rules
  of their groups that are archived or deleted), flags escalations (Settings or Access Rights
  given or taken, directly or by implication, listed first; write, create or delete on
  accounting models, or on the models that grant access; a record rule's domain or roles
  changed) and checks the segregation-of-duties policies on the instance's effective groups as
  the plan leaves them. A plan is refused when it would give a user a second user type (Odoo
  refuses it halfway through an apply), or take Settings or Access Rights from the login
  odooconf runs as, or Settings from its last active holder, unless the environment says
  ``allow_admin_revocation: true``.

``check_blueprint_sod`` checks the policies on the blueprints alone, at validate time.
Nothing here reads anything when the blueprints declare no security resource.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from odooconf.config import Environment
from odooconf.engine.origin import in_variables
from odooconf.engine.read import read_kind
from odooconf.errors import RemoteError
from odooconf.kinds import KINDS
from odooconf.kinds._base import slug
from odooconf.kinds.access_right import RIGHTS
from odooconf.kinds.domain import domain_paths
from odooconf.kinds.sod_policy import SodPolicySpec
from odooconf.model.diagnostics import Diagnostic, SourceRef
from odooconf.model.live import LiveState
from odooconf.model.plan import AccessChange, Action, Change, PlanWarning
from odooconf.model.resource import Address, DesiredResource, XmlidRef
from odooconf.odoo.gateway import Gateway
from odooconf.policies.sensitive import XMLIDS as SENSITIVE_GROUPS
from odooconf.policies.sensitive import closure as _closure
from odooconf.policies.sensitive import sensitive_escalations

SECURITY_KINDS = frozenset({"role", "access_right", "record_rule", "role_assignment", "sod_policy"})
#: A user's type: never revoked as a leftover (B2: a user without one loses every access).
USER_TYPES = ("base.group_user", "base.group_portal", "base.group_public")
#: Groups that administer the instance itself.
ESCALATING = ("base.group_system", "base.group_erp_manager")
#: Models whose write, create or delete rights let a user grant itself any access.
GRANTING_MODELS = ("res.groups", "res.users", "ir.model.access")
GRANTS = "a member can grant itself any access"
#: Models whose write, create or delete rights are escalations.
ACCOUNTING_PREFIX = "account."
#: Named first when a role opens many accounting models.
KEY_LEDGER_MODELS = ("account.move", "account.payment", "account.account", "account.journal")
SOD_CODE = "OC-X090"
#: What Odoo would refuse halfway through an apply (the diff's code for such problems).
ODOO_REFUSES = "OC-X050"
#: A plan that would take the instance's administration away.
LOCKOUT_CODE = "OC-X095"


def _text(ref: Any) -> str:
    return f"xmlid {ref.xmlid}" if isinstance(ref, XmlidRef) else str(ref)


def take_policies(resources: list[DesiredResource]) -> list[DesiredResource]:
    """Remove the segregation-of-duties policies from ``resources`` (they are checked, not
    planned) and return them."""
    policies = [r for r in resources if r.kind == "sod_policy"]
    resources[:] = [r for r in resources if r.kind != "sod_policy"]
    return policies


def check_blueprint_sod(resources: list[DesiredResource], env: Environment) -> list[Diagnostic]:
    """Assignments that give one user two roles a policy keeps apart, on the blueprints alone
    (declared implications expanded; roles compared as written: a key or an external id)."""
    return blueprint_sod(resources, env)[0]


def blueprint_sod(
    resources: list[DesiredResource], env: Environment
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """The blueprints' conflicts: errors, and warnings (policies the environment lowers with
    ``sod_warnings``, which ``validate`` still shows)."""
    policies = [r for r in resources if r.kind == "sod_policy"]
    if not policies:
        return [], []
    implied: dict[str, set[str]] = {
        r.key: {_text(ref) for ref in r.values.get("implied") or []}
        for r in resources
        if r.kind == "role"
    }
    errors: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    lowered = set(env.spec.sod_warnings)
    for assignment in (r for r in resources if r.kind == "role_assignment"):
        held = _closure({_text(ref) for ref in assignment.values.get("roles") or []}, implied)
        for policy in policies:
            spec: SodPolicySpec = policy.values["spec"]
            both = [_text(ref) for ref in spec.roles if _text(ref) in held]
            if len(both) < 2:
                continue
            message = (
                f"user {assignment.key} would hold {_and(both)}, which segregation-of-"
                f"duties policy {spec.name!r} ({policy.source}) keeps apart"
            )
            if spec.name in lowered:
                message += f"; lowered to a warning by sod_warnings in {env.path}"
            source = assignment.source_of("roles")
            found = Diagnostic(SOD_CODE, message, source, assignment.path)
            (warnings if spec.name in lowered else errors).append(found)
    return errors, warnings


def unknown_users(
    resources: list[DesiredResource], live: LiveState, env: Environment
) -> list[Diagnostic]:
    """Role assignments whose login is not on the instance: users are master data, never
    created. Located where the environment writes the login (its ``variables``), when it does,
    and at the assignment."""
    out = []
    for resource in resources:
        if resource.kind != "role_assignment":
            continue
        if live.xmlid_record(resource.xmlid, "res.users") is not None:
            continue
        if live.matches(resource.kind, resource.key):
            continue
        assigned = resource.source_of("user")
        origin = in_variables(env, resource.key)
        message = f"user {resource.key!r} (by login) is not on the instance"
        if origin is None:
            source, path = assigned, resource.path
        else:
            (source, path), message = origin, f"{message} ({assigned} {resource.path})"
        message += "; users are master data: create the user first"
        out.append(Diagnostic("OC-X001", message, source, path))
    return out


def _path(start: str, goal: str, implied: Mapping[str, Iterable[str]]) -> list[str]:
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


def _and(items: list[str]) -> str:
    return ", ".join(items[:-1]) + f" and {items[-1]}" if len(items) > 1 else "".join(items)


@dataclass
class Review:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    warnings: list[PlanWarning] = field(default_factory=list)
    access: list[AccessChange] = field(default_factory=list)
    escalations: list[str] = field(default_factory=list)
    #: Escalations about administering the instance: listed first.
    administering: list[str] = field(default_factory=list)


@dataclass
class _User:
    login: str
    #: Keys of the groups its record lists (with the implied ones up to Odoo 18).
    held: set[str]


class Security:
    """The groups, users and rights of the instance, read once per plan, and what the plan
    does to them."""

    def __init__(
        self,
        resources: list[DesiredResource],
        policies: list[DesiredResource],
        live: LiveState,
        gateway: Gateway,
        env: Environment,
    ) -> None:
        self.resources, self.policies, self.live = resources, policies, live
        self.gateway, self.env = gateway, env
        self.active = bool(policies) or any(r.kind in SECURITY_KINDS for r in resources)
        self.exclusive = list(env.spec.exclusive_roles)
        if not self.active and not self.exclusive:
            return
        self.active = True
        users_fields = gateway.fields("res.users")
        self.users_field = "groups_id" if "groups_id" in users_fields else "group_ids"
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
        self.kept: list[PlanWarning] = []

    # --- reading ------------------------------------------------------------------------

    def _read_groups(self) -> None:
        role = KINDS["role"]
        records = self.live.records.get("role")
        if records is None:
            fields = self.gateway.fields("res.groups")
            wanted = [
                f for f in ("name", "category_id", "privilege_id", "implied_ids") if f in fields
            ]
            records = {row["id"]: row for row in self.gateway.search_read("res.groups", [], wanted)}
        for gid, row in records.items():
            self.key_of[gid] = role.live_key(row, lambda _t, _i: None) or f"#{gid}"
        for gid, row in records.items():
            self.implied[self.key_of[gid]] = {
                self.key_of.get(other, f"#{other}") for other in row.get("implied_ids") or []
            }

    def _xmlids(self) -> dict[str, str]:
        """Keys of the groups named by external id: user types, escalating groups, those of
        the sensitive areas and those the policies name (one call)."""
        wanted = {*USER_TYPES, *ESCALATING, *SENSITIVE_GROUPS}
        for policy in self.policies:
            wanted |= {ref.xmlid for ref in policy.values["spec"].roles if hasattr(ref, "xmlid")}
        names = sorted({xmlid.split(".", 1)[1] for xmlid in wanted})
        domain: list[Any] = [("model", "=", "res.groups"), ("name", "in", names)]
        rows = self.gateway.search_read("ir.model.data", domain, ["module", "name", "res_id"])
        out = {}
        for row in rows:
            xmlid = f"{row['module']}.{row['name']}"
            if xmlid in wanted and row["res_id"] in self.key_of:
                out[xmlid] = self.key_of[row["res_id"]]
        return out

    def _read_users(self, users_fields: Mapping[str, Mapping[str, Any]]) -> dict[str, _User]:
        records = self.live.records.get("role_assignment")
        if records is None and self.exclusive:
            # exclusive_roles may assign users no blueprint names: the diff needs their records.
            self.live.fields["res.users"] = users_fields
            read_kind(self.gateway, self.live, "role_assignment")
            records = self.live.records["role_assignment"]
        if records is None:
            fields = ["login", self.users_field, "active"]
            rows = self.gateway.search_read("res.users", [("active", "in", [True, False])], fields)
            records = {row["id"]: row for row in rows}
        return {
            str(row["login"]): _User(
                str(row["login"]),
                {self.key_of.get(g, f"#{g}") for g in row.get(self.users_field) or []},
            )
            for row in records.values()
            if row.get("login") and row.get("active", True) is not False
        }

    def _role_key(self, ref: Any) -> str | None:
        if isinstance(ref, XmlidRef):
            hit = self.live.xmlids.get(ref.xmlid)
            if hit and hit[0] == "res.groups":
                return self.key_of.get(hit[1])
            return self.xmlid_keys.get(ref.xmlid)
        return str(ref)

    # --- before the diff ------------------------------------------------------------------

    def prepare(self) -> list[Diagnostic]:
        """Check the record rules' domains against the instance's fields; complete every role
        assignment with the roles and leftovers to revoke."""
        if not self.active:
            return []
        problems = self._rule_domains() + self._unknown_roles()
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
        return problems

    def _self_implied(self, implied: dict[str, set[str]]) -> list[Diagnostic]:
        """Declared roles that would imply themselves, directly or through other groups: Odoo
        refuses the write, so every apply would fail."""
        out = []
        for role in (r for r in self.resources if r.kind == "role" and r.values.get("implied")):
            cycle = _path(role.key, role.key, implied)
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
                key = self._role_key(_ref(ref))
                if key is None or key not in known:
                    message = f"role {_text(_ref(ref))!r} is neither declared nor on the instance"
                    out.append(
                        Diagnostic("OC-X001", message, policy.source, f"{policy.path} › roles")
                    )
        source = SourceRef(str(self.env.path))
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
            try:
                info = self.gateway.fields(current).get(name)
            except RemoteError:  # listed in ir.model but not served: Odoo checks it itself
                return ""
            if info is None:
                return (
                    f"the domain names {path!r}, and {current} has no field {name!r} on this "
                    f"Odoo {self.gateway.server.version} instance: the rule would lock users out"
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
            source=SourceRef(str(self.env.path)),
            path="exclusive_roles",
            xmlid=f"{self.env.spec.xmlid_namespace}.role_assignment_{slug(user.login)}",
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
        revoked = (universe - _closure(declared, implied)) & held if user else set()
        residue: dict[str, str] = {}
        if revoked and self.materialized:
            types = self.types & held
            explained = _closure(revoked, self.implied)
            roots = (held - explained) | declared | types
            kept = _closure(roots, implied)
            for role in sorted(revoked):
                for group in sorted(_closure({role}, self.implied) & held):
                    if group not in kept and group not in revoked and group not in residue:
                        residue[group] = role
        after_roots = (held - revoked - set(residue)) | declared
        stays = _closure(after_roots, implied)
        for group in sorted((revoked | set(residue)) & stays):
            # Odoo gives a user the groups its other groups imply again: it would come back.
            revoked.discard(group)
            residue.pop(group, None)
            why = sorted(r for r in after_roots if group in _closure({r}, implied) and r != group)
            message = (
                f"{assignment.key} keeps {group}: {_and(why)} implies it "
                "(revoke that too, or stop the implication)"
            )
            self.kept.append(PlanWarning("kept", message, (str(assignment.address),)))
        assignment.values["revoked"] = sorted(revoked | set(residue))
        if residue:
            self.residue[assignment.key] = residue
        if revoked & set(self.exclusive):
            self.exclusive_losses[assignment.key] = sorted(revoked & set(self.exclusive))

    # --- after the diff ----------------------------------------------------------------------

    def review(self, changes: list[Change]) -> Review:
        out = Review(warnings=list(self.kept) if self.active else [])
        if not self.active:
            return out
        implied_after = {key: set(groups) for key, groups in self.implied.items()}
        held_after = {login: set(user.held) for login, user in self.users.items()}
        for change in changes:
            if change.action is Action.NOOP:
                continue
            if change.kind == "role" and "implied" in change.after:
                implied_after[change.key] = set(change.after["implied"])
            elif change.kind == "role" and change.record_id is None:
                implied_after[change.key] = set()
            if change.kind == "role_assignment" and change.key in held_after:
                held = held_after[change.key]
                held -= set(change.after.get("revoked") or [])
                held |= set(change.after.get("roles") or [])
                if self.materialized:
                    held |= _closure(change.after.get("roles") or [], implied_after)
        if self.materialized:  # an implication added reaches the members (B1)
            for groups in held_after.values():
                groups.update(_closure(groups, implied_after))
        rights_before, rights_after = self._rights(changes)
        lifted = self._lifted_rules(changes, out)
        self._escalating_roles(changes, implied_after, rights_before, rights_after, out)
        effective: dict[str, tuple[set[str], set[str]]] = {}
        for login in sorted(self.users):
            before = _closure(self.users[login].held, self.implied)
            after = _closure(held_after[login], implied_after)
            effective[login] = (before, after)
            self._user_review(
                login, before, after, held_after[login], implied_after,
                rights_before, rights_after, out,
            )  # fmt: skip
            for rule, groups in lifted.items():
                if before & groups:
                    by = _via(sorted(before & groups)[0], self.users[login].held, self.implied)
                    out.access.append(AccessChange(login, "-", f"rule {rule}", by))
            self._user_type(login, before, after, held_after[login], implied_after, out)
            self._sod(login, after, out)
        self._lockout(effective, out)
        out.escalations += sensitive_escalations(
            changes, self.xmlid_keys, (self.implied, implied_after),
            (rights_before, rights_after), effective,
            lambda login, group: _via(group, held_after[login], implied_after),
        )  # fmt: skip
        for login, roles in sorted(self.exclusive_losses.items()):
            out.escalations += [
                f"{login}: - {role}: exclusive_roles of environment {self.env.name} keeps it to "
                "the users the blueprints assign it to"
                for role in roles
            ]
        for login, residue in sorted(self.residue.items()):
            out.escalations += [
                f"{login}: - {group} with {role}, which implied it (Odoo up to 18 keeps no "
                "record of why a user holds a group: one given by hand goes too)"
                for group, role in sorted(residue.items())
            ]
        out.escalations[:0] = out.administering
        return out

    def _locate(self, login: str, role: str | None = None) -> tuple[SourceRef | None, str]:
        """Where a problem of user ``login`` is declared: its assignment (or ``exclusive_roles``),
        else the declared role that brings it, else nowhere."""
        for resource in self.resources:
            if resource.kind == "role_assignment" and resource.key == login:
                return resource.source_of("roles"), f"{resource.path} › roles"
        for resource in self.resources:
            if resource.kind == "role" and resource.key == role:
                return resource.source_of("implied"), f"{resource.path} › implied"
        return None, ""

    def _user_type(
        self,
        login: str,
        before: set[str],
        after: set[str],
        roots: set[str],
        implied_after: dict[str, set[str]],
        out: Review,
    ) -> None:
        """A second user type is refused by Odoo halfway through an apply, and odooconf never
        changes a user's type: a plan error naming the role that brings it."""
        had = before & self.types
        if not had or len(after & self.types) < 2:
            return
        for group in sorted((after & self.types) - had):
            by = _via(group, roots, implied_after)
            old = _TYPE_NAMES[self.type_of[sorted(had)[0]]]
            new = _TYPE_NAMES[self.type_of[group]]
            message = (
                f"{by} would make {old} user {login} {_article(new)} {new} user too ({group} "
                "comes with it): Odoo allows one user type per user, and odooconf never changes "
                "a user's type; change it in Odoo first, or assign roles that do not imply it"
            )
            source, path = self._locate(login, by)
            out.diagnostics.append(Diagnostic(ODOO_REFUSES, message, source, path))

    def _lockout(self, effective: dict[str, tuple[set[str], set[str]]], out: Review) -> None:
        """Refuse a plan that takes the instance's administration from the login odooconf runs
        as, or Settings from its last active holder, unless the environment allows it."""
        if self.env.spec.allow_admin_revocation:
            return
        way_past = (
            "nothing was changed; keep it in the blueprints, or set allow_admin_revocation: true "
            f"in the environment ({self.env.path}) for this plan"
        )
        login = self.gateway.server.login
        before, after = effective.get(login, (set(), set()))
        lost = [group for group in self.admin if group in before - after]
        if lost:
            message = (
                f"{login}, the login odooconf runs as, would lose {_and(lost)}: the next plan "
                f"could not read the instance; {way_past}"
            )
            out.diagnostics.append(Diagnostic(LOCKOUT_CODE, message, *self._locate(login)))
        settings = self.xmlid_keys.get("base.group_system")
        holders = sorted(user for user, (old, _new) in effective.items() if settings in old)
        if settings and holders and not any(settings in new for _old, new in effective.values()):
            message = (
                f"no active user would hold {settings} (base.group_system) after this plan "
                f"({_and(holders)} would lose it): nobody could administer the instance; "
                f"{way_past}"
            )
            out.diagnostics.append(Diagnostic(LOCKOUT_CODE, message, *self._locate(holders[0])))

    def _lifted_rules(self, changes: list[Change], out: Review) -> dict[str, set[str]]:
        """Record rules the plan archives or deletes, with their groups (users holding one no
        longer get what the rule gave them); a global one, and any change of a rule's domain
        or roles, is an escalation."""
        records = self.live.records.get("record_rule", {})
        lifted: dict[str, set[str]] = {}
        for change in changes:
            if change.kind != "record_rule" or change.action in (Action.NOOP, Action.RELEASE):
                continue
            for changed in change.fields:
                if changed.field in ("domain", "roles") and change.record_id is not None:
                    out.escalations.append(
                        f"record rule {change.key}: {changed.field} {_rule_value(changed.old)} → "
                        f"{_rule_value(changed.new)}"
                    )
            if not change.action.closing and change.after.get("active") is not False:
                continue
            row = records.get(change.record_id or 0, {})
            groups = {self.key_of.get(g, f"#{g}") for g in row.get("groups") or []}
            if groups:
                lifted[change.key] = groups
            elif row:
                out.escalations.append(
                    f"record rule {change.key}: {change.action.value}, a global rule: every "
                    "user loses its restriction"
                )
        return lifted

    def _rights(
        self, changes: list[Change]
    ) -> tuple[dict[str, dict[str, set[str]]], dict[str, dict[str, set[str]]]]:
        """Per group key, per model, the rights its access rows grant, before and after."""
        records = self.live.records.get("access_right")
        if records is None:
            fields = ["group_id", "model_id", "active", *RIGHTS.values()]
            rows = self.gateway.search_read("ir.model.access", [("group_id", "!=", False)], fields)
            records = {row["id"]: row for row in rows}
        models = self._model_names(
            {row["model_id"][0] for row in records.values() if row.get("model_id")}
        )
        before: dict[str, dict[str, set[str]]] = {}
        by_key: dict[tuple[str, str], set[str]] = {}
        for row in records.values():
            if not row.get("group_id") or not row.get("model_id") or row.get("active") is False:
                continue
            group = self.key_of.get(row["group_id"][0], f"#{row['group_id'][0]}")
            model = models.get(row["model_id"][0], str(row["model_id"][1]))
            perms = {right for right, odoo in RIGHTS.items() if row.get(odoo)}
            before.setdefault(group, {}).setdefault(model, set()).update(perms)
            by_key.setdefault((group, model), set()).update(perms)
        for change in changes:
            if change.kind != "access_right" or change.action in (Action.NOOP, Action.RELEASE):
                continue
            if change.action.closing:  # archived or deleted: the row no longer grants anything
                row = records.get(change.record_id or 0, {})
                if row.get("group_id") and row.get("model_id"):
                    group = self.key_of.get(row["group_id"][0], f"#{row['group_id'][0]}")
                    by_key[(group, models.get(row["model_id"][0], ""))] = set()
                continue
            pair = (str(change.after.get("role")), str(change.after.get("model")))
            active = change.after.get("active") is not False
            by_key[pair] = {r for r in RIGHTS if change.after.get(r)} if active else set()
        after: dict[str, dict[str, set[str]]] = {}
        for (group, model), perms in by_key.items():
            after.setdefault(group, {}).setdefault(model, set()).update(perms)
        return before, after

    def _model_names(self, ids: set[int]) -> dict[int, str]:
        known = self.live.records.get("ir_model", {})
        names = {mid: str(row["model"]) for mid, row in known.items() if mid in ids}
        missing = sorted(ids - set(names))
        if missing:
            rows = self.gateway.search_read("ir.model", [("id", "in", missing)], ["model"])
            names.update((row["id"], str(row["model"])) for row in rows)
        return names

    def _escalating_roles(
        self,
        changes: list[Change],
        implied_after: dict[str, set[str]],
        rights_before: dict[str, dict[str, set[str]]],
        rights_after: dict[str, dict[str, set[str]]],
        out: Review,
    ) -> None:
        for change in changes:
            if change.action is Action.NOOP:
                continue
            if change.kind == "role":
                gained = _closure({change.key}, implied_after) - _closure(
                    {change.key}, self.implied
                )
                for group in sorted(set(self.admin) & gained):
                    out.administering.append(
                        f"role {change.key} implies {group} ({self.admin[group]}): every member "
                        "administers the instance"
                    )
            if change.kind == "access_right":
                role, model = str(change.after.get("role")), str(change.after.get("model"))
                new = rights_after.get(role, {}).get(model, set())
                old = rights_before.get(role, {}).get(model, set())
                for right in sorted((new - old) & {"write", "create", "delete"}):
                    if model.startswith(ACCOUNTING_PREFIX):
                        out.escalations.append(f"role {role} gets {right} on {model}")
                    elif model in GRANTING_MODELS:
                        out.administering.append(f"role {role} gets {right} on {model}: {GRANTS}")

    def _user_review(
        self,
        login: str,
        before: set[str],
        after: set[str],
        roots: set[str],
        implied_after: dict[str, set[str]],
        rights_before: dict[str, dict[str, set[str]]],
        rights_after: dict[str, dict[str, set[str]]],
        out: Review,
    ) -> None:
        old_roots = self.users[login].held
        for sign, groups, holders, implied in (
            ("+", after - before, roots, implied_after),
            ("-", before - after, old_roots, self.implied),
        ):
            for group in sorted(groups):
                line = AccessChange(login, sign, f"group {group}", _via(group, holders, implied))
                out.access.append(line)
                if group in self.admin:
                    out.administering.append(
                        f"{line}: {self.admin[group]} administers the instance"
                    )
        granted_before = _granted(before, rights_before)
        granted_after = _granted(after, rights_after)
        gained: dict[tuple[str, str], list[str]] = {}  # (model, via) → rights
        lost: dict[tuple[str, str], list[str]] = {}
        for (right, model), groups in granted_after.items():
            if (right, model) not in granted_before:
                by = _via(sorted(groups)[0], roots, implied_after)
                gained.setdefault((model, by), []).append(right)
        for (right, model), groups in granted_before.items():
            if (right, model) not in granted_after:
                by = _via(sorted(groups)[0], old_roots, self.implied)
                lost.setdefault((model, by), []).append(right)
        ledger: dict[str, list[str]] = {}  # via → accounting models it may now change
        for sign, found in (("+", gained), ("-", lost)):
            for (model, by), rights in sorted(found.items()):
                ordered = [right for right in RIGHTS if right in rights]
                line = AccessChange(login, sign, f"{', '.join(ordered)} {model}", by)
                out.access.append(line)
                if sign != "+" or ordered == ["read"]:
                    continue
                if model.startswith(ACCOUNTING_PREFIX):
                    ledger.setdefault(by, []).append(model)
                elif model in GRANTING_MODELS and not after & set(self.admin):
                    out.administering.append(f"{line}: {GRANTS}")
        for by, models in sorted(ledger.items()):
            models.sort(key=lambda model: (model not in KEY_LEDGER_MODELS, model))
            shown = ", ".join(models[:3]) + (
                f" and {len(models) - 3} more" if len(models) > 3 else ""
            )
            out.escalations.append(
                f"{login}: + write, create or delete on accounting models ({shown}) (via {by})"
            )

    def _sod(self, login: str, groups: set[str], out: Review) -> None:
        lowered = set(self.env.spec.sod_warnings)
        for policy in self.policies:
            spec: SodPolicySpec = policy.values["spec"]
            roles = [(self._role_key(_ref(ref)), _text(_ref(ref))) for ref in spec.roles]
            both = [key for key, _written in roles if key is not None and key in groups]
            if len(both) < 2:
                continue
            why = f" ({spec.description})" if spec.description else ""
            message = (
                f"user {login} holds {_and(both)} (implied groups included), which "
                f"segregation-of-duties policy {spec.name!r} keeps apart{why}"
            )
            if spec.name in lowered:
                out.warnings.append(
                    PlanWarning("sod", message, (f"sod_policy {spec.name}",), str(policy.source))
                )
            else:
                out.diagnostics.append(Diagnostic(SOD_CODE, message, policy.source, policy.path))


_TYPE_NAMES = {
    "base.group_user": "internal",
    "base.group_portal": "portal",
    "base.group_public": "public",
}


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _via(group: str, holders: set[str], implied: dict[str, set[str]]) -> str:
    """The first of ``holders`` (groups a user lists) that implies ``group``, else ``group``."""
    found = sorted(r for r in holders if group in _closure({r}, implied) and r != group)
    return found[0] if found else group


def _rule_value(value: Any) -> str:
    """A record rule's domain or roles as a reviewer reads them."""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) if value else "none (a global rule)"
    return str(value) if value else "none"


def _ref(ref: Any) -> Any:
    return XmlidRef(ref.xmlid) if hasattr(ref, "xmlid") else str(ref)


def _granted(
    groups: set[str], rights: dict[str, dict[str, set[str]]]
) -> dict[tuple[str, str], set[str]]:
    """(right, model) → the groups granting it."""
    out: dict[tuple[str, str], set[str]] = {}
    for group in groups:
        for model, perms in rights.get(group, {}).items():
            for right in perms:
                out.setdefault((right, model), set()).add(group)
    return out
